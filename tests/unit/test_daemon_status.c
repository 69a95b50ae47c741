// SPDX-License-Identifier: GPL-2.0
/*
 * The status file (daemon/status.c): areas replaced one at a time, the file
 * rewritten whole, strings escaped, secrets hidden, locks listed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/status.h"

struct tcfg {
	int level;
	char password[16];
};

static const struct cfg_key tkeys[] = {
	CFG_KEY_INT("x.level", struct tcfg, level, 0, 9),
	CFG_KEY_SECRET("x.password", struct tcfg, password),
	{ .name = NULL },
};

static void tdefaults(void *dst)
{
	*(struct tcfg *)dst = (struct tcfg){ .level = 1 };
}

static const struct layer_schema schema = { tkeys, sizeof(struct tcfg), tdefaults };

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void areas_and_atomic_file(void **state)
{
	char dir[] = "/tmp/test_status.XXXXXX", path[64], tmp[80];
	char *text;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/status.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(status_open(path), 0);
	assert_string_equal(slurp(path), "{\n}\n");

	assert_int_equal(status_provisioning(STATUS_PROV_FAILED, "TLS failure: \"bad\"\n", "cache",
					     3, 1), 0);
	assert_int_equal(status_set_area("registration", "{\"state\": \"Registered\"}"), 0);
	/* Replacing an area keeps its place and the others. */
	assert_int_equal(status_provisioning(STATUS_PROV_OK, "", "server", 4, 2), 0);
	text = slurp(path);
	assert_string_equal(text,
			    "{\n  \"provisioning\": {\"status\": \"Provisioned\", \"reason\": \"\", "
			    "\"source\": \"server\", \"fetches\": 4, \"not_modified\": 2},\n"
			    "  \"registration\": {\"state\": \"Registered\"}\n}\n");
	assert_string_equal(status_text(), text);
	assert_int_equal(access(tmp, F_OK), -1);

	assert_int_equal(status_provisioning(STATUS_PROV_FAILED, "TLS failure: \"bad\"\n", "cache",
					     5, 2), 0);
	assert_non_null(strstr(slurp(path), "\"reason\": \"TLS failure: \\\"bad\\\"\\u000a\""));
	status_close();
	unlink(path);
	rmdir(dir);
}

static void settings_hide_secrets_and_list_locks(void **state)
{
	struct layer acct, dev;
	const struct layer *ls[LAYER_COUNT] = { 0 };
	struct layer_result res;
	struct tcfg c;
	char err[256];
	const char *text;

	assert_int_equal(layer_parse(&schema, &acct, "lock x.level = 3\nx.password = pw123\n", 36,
				     "https://h/herald.conf", err, sizeof(err)), 0);
	assert_int_equal(layer_parse(&schema, &dev, "x.level = 4\n", 12, "dev.conf", err,
				     sizeof(err)), 0);
	ls[LAYER_ACCOUNT] = &acct;
	ls[LAYER_DEVICE] = &dev;
	assert_int_equal(layers_merge(&schema, ls, &c, &res), 0);
	assert_int_equal(status_open(NULL), 0);
	assert_int_equal(status_settings(&schema, &c, &res), 0);
	text = status_text();
	assert_null(strstr(text, "pw123"));
	assert_string_equal(text,
			    "{\n  \"settings\": {\"values\": {\n"
			    "    \"x.level\": {\"value\": \"3\", \"from\": \"account\", "
			    "\"locked_by\": \"account\"},\n"
			    "    \"x.password\": {\"value\": \"(hidden)\", \"from\": \"account\"}},\n"
			    "  \"locked\": [\n"
			    "    {\"key\": \"x.level\", \"layer\": \"device\", \"file\": \"dev.conf\", "
			    "\"line\": 1, \"locked_by\": \"account\", \"reason\": \"locked by account\"}]}"
			    "\n}\n");
	status_close();
	layer_result_clear(&res);
	layer_clear(&acct);
	layer_clear(&dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(areas_and_atomic_file),
		cmocka_unit_test(settings_hide_secrets_and_list_locks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
