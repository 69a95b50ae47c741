// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/call_config.c: the call.* and media.* keys through the generic
 * parser, and the checks only call_config_check() can make.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/call_config.h"

static int load(const char *text, struct call_config *c, struct call_policy *pol, char *err,
		size_t errlen)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(fp);
	call_config_defaults(c);
	ret = config_parse(call_config_keys, c, fp, "test.conf", err, errlen);
	fclose(fp);
	if (ret)
		return ret;
	return call_config_check(c, pol, err, errlen);
}

static void defaults(void **state)
{
	struct call_config c;
	struct call_policy pol;
	char err[256];

	assert_int_equal(load("", &c, &pol, err, sizeof(err)), 0);
	assert_int_equal(c.srtp, MEDIA_SRTP_REQUIRED);
	assert_int_equal(pol.ncodecs, 3);
	assert_string_equal(pol.codecs[0].name, "PCMU");
	assert_int_equal(pol.codecs[1].static_pt, 8);
	assert_int_equal(pol.codecs[2].static_pt, 9);
	assert_int_equal(pol.nsuites, 8);
	assert_int_equal(pol.suites[0], HERALD_SUITE_AEAD_AES_256_GCM);
	assert_int_equal(pol.suites[7], HERALD_SUITE_AES_CM_128_HMAC_SHA1_32);
	assert_int_equal(pol.noutputs, 0);
}

static void keys(void **state)
{
	struct call_config c;
	struct call_policy pol;
	char err[256];

	assert_int_equal(load("call.max_calls = 2\n"
			      "call.answer_delay_ms = 250\n"
			      "media.port_min = 20000\n"
			      "media.port_max = 20100\n"
			      "media.srtp = optional\n"
			      "media.timeout = 15\n"
			      "media.codecs = G722,pcma\n"
			      "media.suites = AES_CM_128_HMAC_SHA1_80,AEAD_AES_128_GCM\n"
			      "media.address = 2001:db8::10\n"
			      "media.outputs = 3,70000\n", &c, &pol, err, sizeof(err)), 0);
	assert_int_equal(c.max_calls, 2);
	assert_int_equal(c.answer_delay_ms, 250);
	assert_int_equal(c.port_min, 20000);
	assert_int_equal(c.srtp, MEDIA_SRTP_OPTIONAL);
	assert_int_equal(c.timeout_s, 15);
	assert_int_equal(pol.ncodecs, 2);
	assert_string_equal(pol.codecs[0].name, "G722");
	assert_string_equal(pol.codecs[1].name, "PCMA");
	assert_int_equal(pol.nsuites, 2);
	assert_int_equal(pol.suites[0], HERALD_SUITE_AES_CM_128_HMAC_SHA1_80);
	assert_int_equal(pol.suites[1], HERALD_SUITE_AEAD_AES_128_GCM);
	assert_int_equal(pol.noutputs, 2);
	assert_int_equal(pol.outputs[1], 70000);
	assert_string_equal(c.address, "2001:db8::10");
}

static void errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "media.srtp = maybe\n", "media.srtp" },
		{ "call.max_calls = 0\n", "call.max_calls" },
		{ "media.port_min = 30000\nmedia.port_max = 20000\n", "above media.port_max" },
		{ "media.codecs = PCMU,OPUS\n", "unknown codec \"OPUS\"" },
		{ "media.codecs = PCMU,,PCMA\n", "bad item" },
		{ "media.codecs = PCMU,PCMU\n", "listed twice" },
		{ "media.codecs = PCMU, PCMA\n", "bad item" },
		{ "media.suites = AES_CM_128_HMAC_SHA1_80,F8_128_HMAC_SHA1_80\n", "unknown suite" },
		{ "media.suites = AEAD_AES_256_GCM,AEAD_AES_256_GCM\n", "listed twice" },
		{ "media.address = pager.example\n", "not an IPv4 or IPv6 address" },
		{ "media.outputs = 1,0\n", "not an output id" },
		{ "media.outputs = 1,4294967296\n", "not an output id" },
		{ "media.outputs = 1,x\n", "not an output id" },
	};
	struct call_config c;
	struct call_policy pol;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (load(bad[i].text, &c, &pol, err, sizeof(err)) == 0)
			fail_msg("accepted: %s", bad[i].text);
		if (!strstr(err, bad[i].msg))
			fail_msg("%s: error \"%s\" lacks \"%s\"", bad[i].text, err, bad[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(keys),
		cmocka_unit_test(errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
