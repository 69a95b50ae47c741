// SPDX-License-Identifier: GPL-2.0
/*
 * The device file's name (daemon/provision.c): the MAC of the main
 * interface as 12 lower-case hex digits. Fetching itself is tested against
 * a real server in tests/host/t-provision.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/provision.h"

static void loopback_mac(void **state)
{
	char mac[13], err[256];

	assert_int_equal(provision_mac("lo", mac, err, sizeof(err)), 0);
	assert_string_equal(mac, "000000000000");
}

static void mac_matches_sysfs(void **state)
{
	char mac[13], err[256], want[13] = "", line[64], name[32], addr[32];
	unsigned int b[6];
	FILE *fp;
	int i;

	/* Any interface with an Ethernet address will do; skip if none. */
	fp = popen("for i in /sys/class/net/*; do [ \"${i##*/}\" = lo ] || "
		   "{ echo \"${i##*/} $(cat $i/address)\"; break; }; done", "r");
	assert_non_null(fp);
	if (!fgets(line, sizeof(line), fp)) {
		pclose(fp);
		skip();
	}
	pclose(fp);
	assert_int_equal(sscanf(line, "%31s %31s", name, addr), 2);
	if (sscanf(addr, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		skip();
	for (i = 0; i < 6; i++)
		snprintf(want + 2 * i, 3, "%02x", b[i]);
	assert_int_equal(provision_mac(name, mac, err, sizeof(err)), 0);
	assert_string_equal(mac, want);
}

/* Empty provision.mac_interface: the interface of the IPv4 default route. */
static void default_route_interface(void **state)
{
	char mac[13], err[256], dflt[13], line[64] = "";
	FILE *fp;

	fp = popen("ip -4 -o route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) "
		   "if ($i == \"dev\") { print $(i + 1); exit }}'", "r");
	assert_non_null(fp);
	if (!fgets(line, sizeof(line), fp))
		line[0] = '\0';
	pclose(fp);
	line[strcspn(line, "\n")] = '\0';
	if (!line[0]) {
		assert_int_equal(provision_mac("", mac, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "no default route"));
		return;
	}
	if (provision_mac(line, dflt, err, sizeof(err)))
		skip();	/* the route's device has no Ethernet address */
	assert_int_equal(provision_mac("", mac, err, sizeof(err)), 0);
	assert_string_equal(mac, dflt);
}

static void bad_interface_refused(void **state)
{
	char mac[13], err[256];

	assert_int_equal(provision_mac("../lo", mac, err, sizeof(err)), -1);
	assert_string_equal(err, "bad interface name \"../lo\"");
	assert_int_equal(provision_mac("nosuchif0", mac, err, sizeof(err)), -1);
	assert_string_equal(err, "/sys/class/net/nosuchif0/address: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loopback_mac),
		cmocka_unit_test(mac_matches_sysfs),
		cmocka_unit_test(default_route_interface),
		cmocka_unit_test(bad_interface_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
