// SPDX-License-Identifier: GPL-2.0
/*
 * policy.require_encryption (daemon/policy_config.c): each key asking for
 * a plaintext leg is refused with a reason naming both keys, the file is
 * rejected whole, and through the layered settings (daemon/settings.c) a
 * refused reload or provisioned layer leaves the running configuration as
 * it was.
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
#include "../../daemon/log.h"
#include "../../daemon/settings.h"
#include "../../daemon/status.h"

static char path[64];

static int setup(void **state)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_policy_config.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(status_open(NULL), 0);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	status_close();
	return 0;
}

static void write_conf(const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

#define SIP_OK "sip.proxy = pbx.example.com\nsip.u1.user = 1001\n"

/* Load @text; returns the error ("" when it loaded). */
static const char *load(const char *text)
{
	static char err[512];
	struct heraldd_config cfg;

	write_conf(text);
	err[0] = '\0';
	heraldd_config_load(path, &cfg, err, sizeof(err));
	return err;
}

static void off_by_default(void **state)
{
	struct heraldd_config cfg;

	heraldd_config_defaults(&cfg);
	assert_false(cfg.policy.require_encryption);
	/* Off, every plaintext choice stands. */
	assert_string_equal(load(SIP_OK "sip.transport = udp\nsip.tls.verify = off\n"
				 "media.srtp = off\n"), "");
}

static void refusals(void **state)
{
	char want[600];

	assert_string_equal(load(SIP_OK "policy.require_encryption = on\n"), "");
	snprintf(want, sizeof(want), "%s: policy.require_encryption = on refuses sip.transport = "
		 "tcp: SIP signalling would go in the clear (use tls)", path);
	assert_string_equal(load(SIP_OK "policy.require_encryption = on\nsip.transport = tcp\n"),
			    want);
	snprintf(want, sizeof(want), "%s: policy.require_encryption = on refuses sip.transport = "
		 "udp: SIP signalling would go in the clear (use tls)", path);
	assert_string_equal(load(SIP_OK "sip.transport = udp\npolicy.require_encryption = yes\n"),
			    want);
	snprintf(want, sizeof(want), "%s: policy.require_encryption = on refuses sip.tls.verify = "
		 "off: an unverified server could read the signalling and its SRTP keys", path);
	assert_string_equal(load(SIP_OK "policy.require_encryption = on\nsip.tls.verify = off\n"),
			    want);
	snprintf(want, sizeof(want), "%s: policy.require_encryption = on refuses media.srtp = "
		 "optional: calls could carry plain RTP (use required)", path);
	assert_string_equal(load(SIP_OK "policy.require_encryption = on\nmedia.srtp = optional\n"),
			    want);
	snprintf(want, sizeof(want), "%s: policy.require_encryption = on refuses media.srtp = "
		 "off: calls could carry plain RTP (use required)", path);
	assert_string_equal(load("policy.require_encryption = on\nmedia.srtp = off\n"), want);
	/* Without a proxy there is no signalling leg to refuse. */
	assert_string_equal(load("policy.require_encryption = on\nsip.transport = udp\n"), "");
	/* A bad value is a parse error with its line. */
	snprintf(want, sizeof(want), "%s:2: policy.require_encryption: expected on/off, yes/no or "
		 "true/false, not \"maybe\"", path);
	assert_string_equal(load("# x\npolicy.require_encryption = maybe\n"), want);
}

/* settings.c: a refused reload keeps what runs (the SIGHUP path). */
static void reload_keeps_last_good(void **state)
{
	struct settings s;
	char err[512];

	settings_init(&s, path);
	write_conf(SIP_OK "policy.require_encryption = on\n");
	assert_int_equal(settings_load_local(&s, err, sizeof(err)), 0);
	assert_true(s.cfg.policy.require_encryption);
	write_conf(SIP_OK "policy.require_encryption = on\nsip.transport = tcp\nlog.level = debug\n");
	assert_int_equal(settings_load_local(&s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refuses sip.transport = tcp"));
	assert_int_equal(s.cfg.sip.transport, SIP_CFG_TLS);
	assert_int_equal(s.cfg.log_level, LOGL_INFO);
	settings_free(&s);
}

/* settings.c: a provisioned layer asking for plain media is refused whole. */
static void provisioned_layer_refused(void **state)
{
	static const char text[] = "media.srtp = optional\nlog.level = debug\n";
	const struct layer *remote[LAYER_COUNT] = { 0 };
	struct settings s;
	struct layer l;
	char err[512];

	settings_init(&s, path);
	write_conf(SIP_OK "policy.require_encryption = on\n");
	assert_int_equal(settings_load_local(&s, err, sizeof(err)), 0);
	assert_int_equal(layer_parse(&heraldd_schema, &l, text, strlen(text), "device.conf", err,
				     sizeof(err)), 0);
	remote[LAYER_DEVICE] = &l;
	assert_int_equal(settings_set_remote(&s, remote, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refuses media.srtp = optional"));
	assert_int_equal(s.cfg.call.srtp, MEDIA_SRTP_REQUIRED);
	assert_int_equal(s.cfg.log_level, LOGL_INFO);
	assert_false(s.have_remote[LAYER_DEVICE]);
	layer_clear(&l);
	settings_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(off_by_default, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(reload_keeps_last_good, setup, teardown),
		cmocka_unit_test_setup_teardown(provisioned_layer_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
