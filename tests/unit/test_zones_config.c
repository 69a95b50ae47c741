// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/zones_config.c: the mcast.* and sip.uN.zones keys through the
 * generic parser, and what only zones_config_check() can refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/zones_config.h"

/* RFC 4568's example key (30 bytes: AES_CM_128 key + salt). */
#define K128 "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
#define K128B "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"

static int load_plan(const char *text, bool require, struct zones_plan *plan, char *err,
		     size_t errlen)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct zones_config c;
	int ret;

	assert_non_null(fp);
	zones_config_defaults(&c);
	err[0] = '\0';
	ret = config_parse(zones_config_keys, &c, fp, "test.conf", err, errlen);
	fclose(fp);
	if (ret)
		return ret;
	return zones_config_check(&c, require, plan, err, errlen);
}

static int load(const char *text, char *err, size_t errlen)
{
	struct zones_plan plan;
	int ret = load_plan(text, false, &plan, err, errlen);

	zones_plan_wipe(&plan);
	return ret;
}

static void defaults(void **state)
{
	struct zones_plan plan;
	char err[256];
	int i;

	assert_int_equal(load_plan("", false, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.mode, ZONES_OFF);
	for (i = 0; i < ZONES_MAX; i++)
		assert_false(plan.zone[i].defined);
}

static void full_zone(void **state)
{
	struct zones_plan plan;
	char err[256];

	assert_int_equal(load_plan("mcast.mode = both\n"
				   "mcast.zone1.address = 239.1.2.3\n"
				   "mcast.zone1.port = 50000\n"
				   "mcast.zone1.interface = eth0\n"
				   "mcast.zone1.ttl = 4\n"
				   "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|2^31|1:1\n"
				   "mcast.zone1.priority = emergency\n"
				   "mcast.zone1.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"
				   "mcast.zone1.next_key_at = 2026-11-29T13:00:00Z\n"
				   "mcast.zone1.key_grace = 30\n"
				   "mcast.zone1.tone = on\n"
				   "mcast.zone1.volume_db = -48\n"
				   "mcast.zone16.address = ff05::1:3\n"
				   "mcast.zone16.port = 50016\n"
				   "mcast.zone16.plain = on\n"
				   "sip.u1.zones = 1,16\n"
				   "sip.u4.zones = 16\n",
				   false, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.mode, ZONES_BOTH);
	assert_true(plan.zone[0].defined);
	assert_int_equal(plan.zone[0].family, 4);
	assert_memory_equal(plan.zone[0].addr, "\xef\x01\x02\x03", 4);
	assert_int_equal(plan.zone[0].port, 50000);
	assert_string_equal(plan.zone[0].interface, "eth0");
	assert_int_equal(plan.zone[0].ttl, 4);
	assert_int_equal(plan.zone[0].suite, HERALD_SUITE_AES_CM_128_HMAC_SHA1_80);
	assert_int_equal(plan.zone[0].priority, HERALD_PRIORITY_EMERGENCY);
	assert_int_equal(plan.zone[0].key.len, 30);
	assert_memory_equal(plan.zone[0].key.material, "YS__", 4);
	assert_int_equal(plan.zone[0].key.mki, 1);
	assert_int_equal(plan.zone[0].key.mki_len, 1);
	assert_true(plan.zone[0].has_next);
	assert_int_equal(plan.zone[0].next.mki, 2);
	assert_memory_equal(plan.zone[0].next.material, "ABCD", 4);
	/* 2026-11-29T13:00:00Z, by `date -u -d ... +%s`. */
	assert_true(plan.zone[0].next_at_ms == 1795957200000LL);
	assert_true(plan.zone[0].grace_ms == 30000);
	assert_true(plan.zone[0].tone);
	assert_int_equal(plan.zone[0].volume_db, -48);
	assert_true(plan.zone[15].defined);
	assert_int_equal(plan.zone[15].family, 6);
	assert_true(plan.zone[15].plain);
	assert_int_equal(plan.zone[15].suite, HERALD_SUITE_NONE);
	assert_int_equal(plan.zone[15].ttl, 1);
	/* Defaults: no tone, no offset. */
	assert_false(plan.zone[15].tone);
	assert_int_equal(plan.zone[15].volume_db, 0);
	assert_int_equal(plan.account_zones[0], 1u | 1u << 15);
	assert_int_equal(plan.account_zones[1], 0);
	assert_int_equal(plan.account_zones[3], 1u << 15);
	zones_plan_wipe(&plan);
}

/* Each refused configuration with the words its message must hold. */
static void refused(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "mcast.zone2.address = 192.0.2.1\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n",
		  "mcast.zone2.address: 192.0.2.1 is not a multicast group" },
		{ "mcast.zone2.address = 2001:db8::1\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n",
		  "is not a multicast group" },
		{ "mcast.zone2.address = 224.0.0.251\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n",
		  "224.0.0.0/24" },
		{ "mcast.zone2.address = ff01::1\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n",
		  "interface-local scope" },
		{ "mcast.zone2.address = zone-two\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n",
		  "is not an IPv4 or IPv6 address" },
		{ "mcast.zone3.address = 239.0.0.3\nmcast.zone3.plain = on\n",
		  "mcast.zone3: no port" },
		{ "mcast.zone3.address = 239.0.0.3\nmcast.zone3.port = 5000\n",
		  "mcast.zone3: no key; set mcast.zone3.key, or mcast.zone3.plain = on" },
		{ "mcast.zone3.address = 239.0.0.3\nmcast.zone3.port = 5000\nmcast.zone3.plain = on\n"
		  "mcast.zone3.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "\n",
		  "plain = on and a key" },
		{ "mcast.zone4.port = 5000\n", "mcast.zone4.port without mcast.zone4.address" },
		{ "mcast.zone4.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "\n",
		  "mcast.zone4.key without mcast.zone4.address" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_9_CM inline:" K128 "\n", "unknown crypto suite \"AES_9_CM\"" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_256_CM_HMAC_SHA1_80 inline:" K128 "\n", "mcast.zone5.key: " },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = " K128 "\n", "expected \"SUITE inline:KEY" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:1\n"
		  "mcast.zone5.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n",
		  "next_key and next_key_at go together" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:1\n"
		  "mcast.zone5.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"
		  "mcast.zone5.next_key_at = 2026-11-29 13:00\n", "is not a UTC time" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "\n"
		  "mcast.zone5.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "\n"
		  "mcast.zone5.next_key_at = 2026-11-29T13:00:00Z\n", "need an MKI of one length" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:1\n"
		  "mcast.zone5.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|1:2\n"
		  "mcast.zone5.next_key_at = 2026-11-29T13:00:00Z\n", "need an MKI of one length" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|7:1\n"
		  "mcast.zone5.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|7:1\n"
		  "mcast.zone5.next_key_at = 2026-11-29T13:00:00Z\n", "the same MKI 7" },
		{ "mcast.zone5.address = 239.0.0.5\nmcast.zone5.port = 5000\n"
		  "mcast.zone5.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:1\n"
		  "mcast.zone5.next_key = AES_CM_128_HMAC_SHA1_32 inline:" K128B "|2:1\n"
		  "mcast.zone5.next_key_at = 2026-11-29T13:00:00Z\n", "the suite of key" },
		{ "mcast.zone6.address = 239.0.0.6\nmcast.zone6.port = 5000\nmcast.zone6.plain = on\n"
		  "mcast.zone6.interface = a/b\n", "is not an interface name" },
		{ "mcast.zone6.address = 239.0.0.6\nmcast.zone6.port = 5000\nmcast.zone6.plain = on\n"
		  "mcast.zone7.address = 239.0.0.6\nmcast.zone7.port = 5000\nmcast.zone7.plain = on\n",
		  "mcast.zone6 and mcast.zone7: the same group and port" },
		{ "mcast.zone6.address = 239.0.0.6\nmcast.zone6.port = 5000\nmcast.zone6.plain = on\n"
		  "sip.u2.zones = 6,7\n", "sip.u2.zones: zone 7 is not defined" },
		{ "mcast.zone6.address = 239.0.0.6\nmcast.zone6.port = 5000\nmcast.zone6.plain = on\n"
		  "sip.u2.zones = 6,6\n", "zone 6 listed twice" },
		{ "sip.u1.zones = 1 ,2\n", "is not a list of zone numbers" },
		{ "sip.u1.zones = 17\n", "is not a list of zone numbers" },
		{ "sip.u1.zones = 0\n", "is not a list of zone numbers" },
		{ "mcast.mode = sometimes\n", "mcast.mode: expected one of off, transmitter" },
		{ "mcast.zone1.ttl = 0\n", "out of range" },
		{ "mcast.zone2.address = 239.0.0.2\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n"
		  "mcast.zone2.volume_db = 25\n", "out of range" },
		{ "mcast.zone2.address = 239.0.0.2\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n"
		  "mcast.zone2.volume_db = -49\n", "out of range" },
		{ "mcast.zone2.address = 239.0.0.2\nmcast.zone2.port = 5\nmcast.zone2.plain = on\n"
		  "mcast.zone2.tone = loud\n", "mcast.zone2.tone" },
		{ "mcast.zone8.tone = on\n", "mcast.zone8.tone without mcast.zone8.address" },
		{ "mcast.zone8.volume_db = 3\n", "mcast.zone8.volume_db without mcast.zone8.address" },
		{ "mcast.zone17.address = 239.0.0.1\n", "unknown key" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (load(cases[i].text, err, sizeof(err)) != -1 || !strstr(err, cases[i].msg)) {
			print_error("case %zu: \"%s\" (wanted \"%s\")\n", i, err, cases[i].msg);
			fail();
		}
		/* The key text is a secret: no message quotes it. */
		assert_null(strstr(err, K128));
		assert_null(strstr(err, K128B));
	}
}

static void require_encryption(void **state)
{
	static const char plain[] = "mcast.zone1.address = 239.0.0.1\nmcast.zone1.port = 5000\n"
				    "mcast.zone1.plain = on\n";
	struct zones_plan plan;
	char err[256];

	assert_int_equal(load_plan(plain, false, &plan, err, sizeof(err)), 0);
	assert_int_equal(load_plan(plain, true, &plan, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mcast.zone1.plain: encryption is required"));
	assert_int_equal(load_plan("mcast.zone1.address = 239.0.0.1\nmcast.zone1.port = 5000\n"
				   "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "\n",
				   true, &plan, err, sizeof(err)), 0);
	zones_plan_wipe(&plan);
}

static void utc(void **state)
{
	int64_t ms;

	assert_int_equal(zones_parse_utc("1970-01-01T00:00:01Z", &ms), 0);
	assert_true(ms == 1000);
	assert_int_equal(zones_parse_utc("2026-11-29T13:00:00", &ms), -1);
	assert_int_equal(zones_parse_utc("2026-11-29T13:00:00+01:00", &ms), -1);
	assert_int_equal(zones_parse_utc("2026-11-29T13:00:00Zjunk", &ms), -1);
	assert_int_equal(zones_parse_utc("2026-13-29T13:00:00Z", &ms), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(full_zone),
		cmocka_unit_test(refused),
		cmocka_unit_test(require_encryption),
		cmocka_unit_test(utc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
