// SPDX-License-Identifier: GPL-2.0
/*
 * The device file's name (daemon/provision.c): the MAC of the main
 * interface as 12 lower-case hex digits; and the rate limit of rounds asked
 * for from outside (provision_trigger(), for NOTIFY check-sync). Fetching
 * itself is tested against a real server in tests/host/t-provision.sh and
 * tests/host/t-sip-notify.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/loop.h"
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

static void no_apply(const struct layer *const remote[LAYER_COUNT], bool from_cache, void *arg)
{
	fail_msg("nothing can be fetched here");
}

/*
 * Rounds that fail at once (the device certificate is missing, checked
 * before any network traffic) still count: a second trigger within
 * PROVISION_TRIGGER_GAP_MS is queued, a third adds nothing, and with
 * provision.url empty there is nothing to trigger.
 */
static void trigger_gap_and_queue(void **state)
{
	static const struct layer_schema schema = { 0 };
	struct provision_config cfg = PROVISION_CONFIG_DEFAULTS;
	struct loop *loop = loop_new();
	struct provision *p;

	assert_non_null(loop);
	p = provision_new(loop, &schema, no_apply, NULL);
	assert_non_null(p);
	assert_int_equal(provision_configure(p, &cfg, NULL), 0);
	assert_int_equal(provision_trigger(p), PROVISION_TRIGGER_OFF);

	snprintf(cfg.url, sizeof(cfg.url), "https://127.0.0.1:1/");
	snprintf(cfg.cert, sizeof(cfg.cert), "/nonexistent/herald-test/device.crt");
	cfg.interval = 0;
	assert_int_equal(provision_configure(p, &cfg, NULL), 0);
	assert_int_equal(provision_trigger(p), PROVISION_TRIGGER_STARTED);
	assert_int_equal(provision_trigger(p), PROVISION_TRIGGER_QUEUED);
	assert_int_equal(provision_trigger(p), PROVISION_TRIGGER_QUEUED);

	/* Turned off meanwhile: nothing, and the queued round is dropped when its time comes. */
	cfg.url[0] = '\0';
	assert_int_equal(provision_configure(p, &cfg, NULL), 0);
	assert_int_equal(provision_trigger(p), PROVISION_TRIGGER_OFF);
	provision_free(p);
	loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loopback_mac),
		cmocka_unit_test(mac_matches_sysfs),
		cmocka_unit_test(default_route_interface),
		cmocka_unit_test(bad_interface_refused),
		cmocka_unit_test(trigger_gap_and_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
