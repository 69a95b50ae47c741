// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd's sip.* keys through heraldd_config_load() (the table rows, the
 * defaults and the cross-key checks: a bad combination rejects the whole
 * file), and the registration status JSON built by sip/reg_status.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/config.h"
#include "../../daemon/sip/sip_config.h"
#include "../../daemon/sip/reg_status.h"

static char err[512];
static char path[64];

static int load(struct heraldd_config *cfg, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	err[0] = '\0';
	return heraldd_config_load(path, cfg, err, sizeof(err));
}

static int setup(void **state)
{
	int fd;

	strcpy(path, "/tmp/test_sip_config.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void defaults_and_full_file(void **state)
{
	struct heraldd_config cfg;
	char host[128];
	unsigned int port;

	assert_int_equal(load(&cfg, "log.level = info\n"), 0);
	assert_string_equal(cfg.sip.proxy, "");
	assert_int_equal(cfg.sip.transport, SIP_CFG_TLS);
	assert_true(cfg.sip.tls_verify);
	assert_int_equal(cfg.sip.register_expires, 3600);
	assert_true(cfg.sip.acct[0].enabled);
	assert_string_equal(cfg.sip.survivability_proxy, "");
	assert_int_equal(cfg.sip.failover_after, 3);
	assert_int_equal(cfg.sip.failback_interval, 60);
	assert_int_equal(load(&cfg, "sip.proxy = pbx.example.org\n"
				    "sip.survivability_proxy = [2001:db8::9]:5071\n"
				    "sip.failover_after = 5\nsip.failback_interval = 10\n"), 0);
	assert_string_equal(cfg.sip.survivability_proxy, "[2001:db8::9]:5071");
	assert_int_equal(cfg.sip.failover_after, 5);
	assert_int_equal(cfg.sip.failback_interval, 10);

	assert_int_equal(load(&cfg,
			      "sip.proxy = 192.0.2.10:5071\n"
			      "sip.domain = pbx.example.org\n"
			      "sip.transport = udp\n"
			      "sip.tls.ca = /etc/ca.pem\n"
			      "sip.tls.verify = off\n"
			      "sip.tls.cert = /etc/c.pem\n"
			      "sip.tls.key = /etc/k.pem\n"
			      "sip.tls.server_name = pbx.example.org\n"
			      "sip.register_expires = 600\n"
			      "sip.keepalive = 0\n"
			      "sip.u1.user = 1000\n"
			      "sip.u1.auth_user = a@b\n"
			      "sip.u1.password = pass word = x\n"
			      "sip.u1.role = emergency\n"
			      "sip.u4.user = 1004\n"
			      "sip.u4.enabled = off\n"), 0);
	assert_string_equal(cfg.sip.proxy, "192.0.2.10:5071");
	assert_int_equal(cfg.sip.transport, SIP_CFG_UDP);
	assert_false(cfg.sip.tls_verify);
	assert_int_equal(cfg.sip.register_expires, 600);
	assert_int_equal(cfg.sip.keepalive, 0);
	assert_string_equal(cfg.sip.acct[0].password, "pass word = x");
	assert_string_equal(cfg.sip.acct[0].auth_user, "a@b");
	assert_int_equal(cfg.sip.acct[0].role, SIP_ROLE_EMERGENCY);
	assert_false(cfg.sip.acct[3].enabled);
	assert_int_equal(sip_config_proxy(&cfg.sip, host, sizeof(host), &port), 0);
	assert_string_equal(host, "192.0.2.10");
	assert_int_equal(port, 5071);

	assert_int_equal(load(&cfg, "sip.proxy = pbx.example.org:5062\nsip.u1.user = 1\n"), 0);
	assert_int_equal(sip_config_proxy(&cfg.sip, host, sizeof(host), &port), 0);
	assert_string_equal(host, "pbx.example.org");
	assert_int_equal(port, 5062);

	assert_int_equal(load(&cfg, "sip.proxy = [2001:db8::1]\nsip.u1.user = 1\n"), 0);
	assert_int_equal(sip_config_proxy(&cfg.sip, host, sizeof(host), &port), 0);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 0);
}

static void rejected(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "sip.proxy = pbx_example.org\n", "neither" },
		{ "sip.proxy = [pbx.example.org]\n", "neither" },
		{ "sip.proxy = 2001:db8::1\n", "host[:port]" },
		{ "sip.proxy = [2001:db8::1\n", "host[:port]" },
		{ "sip.proxy = 192.0.2.1:0\n", "host[:port]" },
		{ "sip.proxy = 192.0.2.1:65536\n", "host[:port]" },
		{ "sip.proxy = 192.0.2.1:50x\n", "host[:port]" },
		{ "sip.proxy = :5060\n", "host[:port]" },
		{ "sip.transport = sctp\n", "expected one of tls, tcp, udp" },
		{ "sip.u1.role = ring\n", "expected one of page, emergency" },
		{ "sip.register_expires = 30\n", "out of range" },
		{ "sip.u5.user = 1\n", "unknown key" },
		{ "sip.proxy = 192.0.2.1\nsip.u1.password = x\n", "without sip.u1.user" },
		{ "sip.u2.user = 1000\n", "sip.proxy is not" },
		{ "sip.proxy = 192.0.2.1\nsip.u1.user = 10 00\n", "sip.u1.user" },
		{ "sip.proxy = 192.0.2.1\nsip.u1.user = <1000>\n", "sip.u1.user" },
		{ "sip.proxy = 192.0.2.1\nsip.u1.user = 1\nsip.u1.auth_user = a\"b\n", "auth_user" },
		{ "sip.proxy = 192.0.2.1\nsip.tls.cert = /c.pem\n", "go together" },
		{ "sip.proxy = 192.0.2.1\nsip.domain = a/b\n", "sip.domain" },
		{ "sip.proxy = 192.0.2.1\nsip.tls.server_name = a b\n", "server_name" },
		{ "sip.proxy = 192.0.2.1\nsip.proxy = 192.0.2.2\n", "set twice" },
		{ "sip.survivability_proxy = 192.0.2.2\n", "sip.proxy is not" },
		{ "sip.proxy = 192.0.2.1\nsip.survivability_proxy = a_b\n",
		  "sip.survivability_proxy: \"a_b\" is neither" },
		{ "sip.proxy = 192.0.2.1\nsip.survivability_proxy = 192.0.2.2:0\n",
		  "sip.survivability_proxy: expected host[:port]" },
		{ "sip.proxy = 192.0.2.1:5061\nsip.survivability_proxy = 192.0.2.1:5061\n",
		  "is sip.proxy itself" },
		{ "sip.failover_after = 0\n", "out of range" },
		{ "sip.failover_after = 101\n", "out of range" },
		{ "sip.failback_interval = 0\n", "out of range" },
	};
	struct heraldd_config cfg;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&cfg, 0x5a, sizeof(cfg));
		if (load(&cfg, bad[i].text) != -1 || !strstr(err, bad[i].msg) ||
		    strncmp(err, path, strlen(path)))
			fail_msg("\"%s\": err \"%s\", wanted \"%s\"", bad[i].text, err, bad[i].msg);
		/* Nothing of a rejected file is applied. */
		assert_int_equal(cfg.sip.proxy[0], 0x5a);
	}
}

static void password_not_in_errors(void **state)
{
	struct heraldd_config cfg;

	assert_int_equal(load(&cfg, "sip.u1.password = hunter2\n"), -1);
	assert_null(strstr(err, "hunter2"));
}

static void status_json(void **state)
{
	struct reg_status_entry e[2] = {
		{ .account = "u1", .user = "1000", .role = "page", .status = REG_STATUS_OK,
		  .code = 200, .reason = "OK", .since = 0, .expires = 60 },
		{ .account = "u2", .user = "1001", .role = "emergency",
		  .status = REG_STATUS_REJECTED, .code = 403,
		  .reason = "Forbidden \"x\"\\\x01 \xe9t\xc3\xa9", .since = 86400,
		  .proxy_in_use = "survivability" },
	};
	char *json = reg_status_json("tls", "127.0.0.1:5061", "192.0.2.7", e, 2);

	assert_non_null(json);
	assert_string_equal(json,
		"{\"transport\": \"tls\", \"proxy\": \"127.0.0.1:5061\", "
		"\"survivability_proxy\": \"192.0.2.7\", \"accounts\": [\n"
		"  {\"account\": \"u1\", \"user\": \"1000\", \"role\": \"page\", \"status\": \"Successful\", "
		"\"code\": 200, \"reason\": \"OK\", \"time\": \"1970-01-01T00:00:00Z\", \"expires\": 60, "
		"\"proxy_in_use\": \"primary\"},\n"
		"  {\"account\": \"u2\", \"user\": \"1001\", \"role\": \"emergency\", "
		"\"status\": \"Rejected by Server\", \"code\": 403, "
		"\"reason\": \"Forbidden \\\"x\\\"\\\\\\u0001 \\ufffdt\xc3\xa9\", \"time\": \"1970-01-02T00:00:00Z\", "
		"\"expires\": 0, \"proxy_in_use\": \"survivability\"}\n"
		"]}");
	free(json);
	/* The seed's words, exactly. */
	assert_string_equal(reg_status_text(REG_STATUS_NO_REPLY), "No reply from server");
	assert_string_equal(reg_status_text(REG_STATUS_REJECTED), "Rejected by Server");
	assert_string_equal(reg_status_text(REG_STATUS_OK), "Successful");
	assert_string_equal(reg_status_text(REG_STATUS_REGISTERING), "Registering");
	assert_string_equal(reg_status_text(REG_STATUS_DISABLED), "Disabled");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults_and_full_file, setup, teardown),
		cmocka_unit_test_setup_teardown(rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(password_not_in_errors, setup, teardown),
		cmocka_unit_test(status_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
