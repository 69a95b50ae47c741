// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sdp.c and daemon/sdes.c: offers as baresip, BroadWorks, Zoom-like
 * and Webex-like peers write them, every a=crypto oddity REFERENCES.md
 * lists, and answers parsed back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/sdp.h"

#define PARSE(lit, c, why, wl) sdes_parse(lit, strlen(lit), c, why, wl)

#define K128 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e"		/* 30 bytes */
#define K192 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY="
#define K256 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg=="
#define KGCM128 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHA=="
#define KGCM256 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKyw="

static struct sdp_session *sess;

static int setup(void **state)
{
	sess = calloc(1, sizeof(*sess));
	return sess ? 0 : -1;
}

static int teardown(void **state)
{
	sdp_session_clear(sess);
	free(sess);
	return 0;
}

static const struct sdp_codec codecs[] = {
	{ "G722", 8000, 9 },
	{ "PCMU", 8000, 0 },
	{ "PCMA", 8000, 8 },
};

static const enum herald_suite all_suites[] = {
	HERALD_SUITE_AEAD_AES_256_GCM,
	HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	HERALD_SUITE_AEAD_AES_128_GCM,
	HERALD_SUITE_AES_192_CM_HMAC_SHA1_80,
	HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	HERALD_SUITE_AES_256_CM_HMAC_SHA1_32,
	HERALD_SUITE_AES_192_CM_HMAC_SHA1_32,
	HERALD_SUITE_AES_CM_128_HMAC_SHA1_32,
};

static struct sdp_answer_params params(void)
{
	struct sdp_answer_params p = {
		.user = "herald", .sess_id = 42, .sess_version = 1,
		.family = 4, .addr = "10.0.0.5", .port = 40000,
		.codecs = codecs, .ncodecs = 3,
		.suites = all_suites, .nsuites = 8,
		.require_srtp = true, .allow_best_effort = true, .rtcp_mux = true,
		.send = false, .recv = true,
	};

	return p;
}

static void parse_ok(const char *text)
{
	char why[128];

	sdp_session_clear(sess);
	if (sdp_parse(sess, text, strlen(text), why, sizeof(why)))
		fail_msg("sdp_parse: %s", why);
}

/* ---- SDES ---------------------------------------------------------------- */

static void sdes_standard_suites(void **state)
{
	static const struct {
		const char *line;
		enum herald_suite suite;
		unsigned int len;
	} t[] = {
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:" K128, HERALD_SUITE_AES_CM_128_HMAC_SHA1_80, 30 },
		{ "2 AES_CM_128_HMAC_SHA1_32 inline:" K128, HERALD_SUITE_AES_CM_128_HMAC_SHA1_32, 30 },
		{ "3 AES_192_CM_HMAC_SHA1_80 inline:" K192, HERALD_SUITE_AES_192_CM_HMAC_SHA1_80, 38 },
		{ "4 AES_192_CM_HMAC_SHA1_32 inline:" K192, HERALD_SUITE_AES_192_CM_HMAC_SHA1_32, 38 },
		{ "5 AES_256_CM_HMAC_SHA1_80 inline:" K256, HERALD_SUITE_AES_256_CM_HMAC_SHA1_80, 46 },
		{ "6 AES_256_CM_HMAC_SHA1_32 inline:" K256, HERALD_SUITE_AES_256_CM_HMAC_SHA1_32, 46 },
		{ "7 AEAD_AES_128_GCM inline:" KGCM128, HERALD_SUITE_AEAD_AES_128_GCM, 28 },
		{ "8 AEAD_AES_256_GCM inline:" KGCM256, HERALD_SUITE_AEAD_AES_256_GCM, 44 },
	};
	struct sdes_crypto c;
	char why[128];
	unsigned int i, j;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (sdes_parse(t[i].line, strlen(t[i].line), &c, why, sizeof(why)))
			fail_msg("%s: %s", t[i].line, why);
		assert_int_equal(c.tag, i + 1);
		assert_int_equal(c.status, SDES_SUITE_OK);
		assert_int_equal(c.suite, t[i].suite);
		assert_int_equal(c.nkeys, 1);
		assert_int_equal(c.keys[0].len, t[i].len);
		for (j = 0; j < t[i].len; j++)
			assert_int_equal(c.keys[0].key[j], j + 1);
		assert_null(sdes_unusable(&c, all_suites, 8));
		sdes_crypto_clear(&c);
		for (j = 0; j < SDES_MAX_KEY_LEN; j++)
			assert_int_equal(c.keys[0].key[j], 0);
	}
	/* unpadded base64 is accepted too */
	assert_int_equal(PARSE("9 AES_256_CM_HMAC_SHA1_80 inline:"
			       "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg",
			       &c, NULL, 0), 0);
	assert_int_equal(c.keys[0].len, 46);
}

static void sdes_names_and_tags(void **state)
{
	struct sdes_crypto c;
	char why[128];

	/* tag 0: accepted (only Asterisk refuses it) */
	assert_int_equal(PARSE("0 AES_CM_128_HMAC_SHA1_80 inline:" K128, &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.tag, 0);
	assert_int_equal(PARSE("999999999 AES_CM_128_HMAC_SHA1_80 inline:" K128, &c,
				    why, sizeof(why)), 0);
	assert_int_equal(c.tag, 999999999);
	assert_int_equal(PARSE("1000000000 AES_CM_128_HMAC_SHA1_80 inline:" K128, &c,
				    why, sizeof(why)), -1);
	/* non-standard alias of a supported suite */
	assert_int_equal(PARSE("3 AES_CM_256_HMAC_SHA1_80 inline:" K256, &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.status, SDES_SUITE_ALIAS);
	assert_int_equal(c.suite, HERALD_SUITE_AES_256_CM_HMAC_SHA1_80);
	assert_string_equal(c.suite_name, "AES_CM_256_HMAC_SHA1_80");
	assert_null(sdes_unusable(&c, all_suites, 8));
	/* known, not supported */
	assert_int_equal(PARSE("4 AEAD_AES_256_GCM_8 inline:" KGCM256, &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.status, SDES_SUITE_UNSUPPORTED);
	assert_string_equal(sdes_unusable(&c, all_suites, 8), "8-byte GCM tags are not supported");
	assert_int_equal(PARSE("5 F8_128_HMAC_SHA1_80 inline:" K128, &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.status, SDES_SUITE_UNSUPPORTED);
	assert_int_equal(PARSE("6 FANCY_NEW_SUITE inline:whatever", &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.status, SDES_SUITE_UNKNOWN);
	assert_non_null(sdes_unusable(&c, all_suites, 8));
	/* allowed list respected */
	assert_int_equal(PARSE("1 AES_CM_128_HMAC_SHA1_32 inline:" K128, &c, why,
				    sizeof(why)), 0);
	assert_string_equal(sdes_unusable(&c, all_suites, 5),
			    "crypto suite not allowed by configuration");
	/* ABNF literals are case-insensitive */
	assert_int_equal(PARSE("1 aes_cm_128_hmac_sha1_80 INLINE:" K128, &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.suite, HERALD_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void sdes_key_params(void **state)
{
	struct sdes_crypto c;
	char why[128];
	static const char multi[] = "1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|2^20|1:4;inline:"
				    K128 "|1048576|2:4";
	static const char rfc_example[] =
		"1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32";

	assert_int_equal(sdes_parse(multi, strlen(multi), &c, why, sizeof(why)), 0);
	assert_int_equal(c.nkeys, 2);
	assert_true(c.keys[0].has_lifetime);
	assert_int_equal(c.keys[0].lifetime, 1u << 20);
	assert_int_equal(c.keys[1].lifetime, 1048576);
	assert_true(c.keys[0].has_mki);
	assert_int_equal(c.keys[0].mki, 1);
	assert_int_equal(c.keys[0].mki_len, 4);
	assert_int_equal(c.keys[1].mki, 2);
	assert_null(sdes_unusable(&c, all_suites, 8));

	/* MKI without lifetime */
	assert_int_equal(PARSE("1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|255:1", &c, why,
				    sizeof(why)), 0);
	assert_int_equal(c.keys[0].mki, 255);
	assert_false(c.keys[0].has_lifetime);

	/* RFC 4568's own example: a 32-byte MKI is valid, but not for us */
	assert_int_equal(sdes_parse(rfc_example, strlen(rfc_example), &c, why, sizeof(why)), 0);
	assert_true(c.mki_unsupported);
	assert_string_equal(sdes_unusable(&c, all_suites, 8),
			    "MKI longer than 4 bytes is not supported");

	/* errors */
	static const char *const bad[] = {
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K256,		/* wrong key size */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" KGCM128,		/* 28 bytes */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0*",
		"1 AES_CM_128_HMAC_SHA1_80 uri:http://x/y",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|256:1",	/* MKI > length */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:0",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:129",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|2^49",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|0",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:4|2^20",	/* order */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 ";inline:" K128,	/* no MKIs */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:4;inline:" K128 "|1:4", /* same MKI */
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:4;inline:" K128 "|2:2",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 ";",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "  KDR=1",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 " KDR=25",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 " WSH=10",
		"1 AES_CM_128_HMAC_SHA1_80",
		"x AES_CM_128_HMAC_SHA1_80 inline:" K128,
		"1 AES-CM inline:" K128,
		"1  AES_CM_128_HMAC_SHA1_80 inline:" K128,
		"1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:4;inline:" K128 "|2:4;inline:" K128
		"|3:4;inline:" K128 "|4:4;inline:" K128 "|5:4",		/* > SDES_MAX_KEYS */
	};
	unsigned int i, j;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!sdes_parse(bad[i], strlen(bad[i]), &c, why, sizeof(why)))
			fail_msg("accepted: %s", bad[i]);
		assert_true(strlen(why) > 0);
		for (j = 0; j < SDES_MAX_KEYS; j++)
			assert_int_equal(c.keys[j].key[0], 0);	/* wiped on error */
	}
}

/* One key-param on its own, as heraldctl uses it. */
#define KEY_PARAM(lit, suite, mki_max, k, why) \
	sdes_key_param_parse(lit, strlen(lit), suite, mki_max, k, why, sizeof(why))

static void assert_wiped(const struct sdes_key *k)
{
	static const struct sdes_key zero;

	assert_memory_equal(k, &zero, sizeof(zero));
}

static void sdes_key_param_alone(void **state)
{
	const struct sdes_suite_info *cm128 = sdes_suite_by_name("AES_CM_128_HMAC_SHA1_80");
	struct sdes_key k;
	char why[128];

	assert_non_null(cm128);
	assert_int_equal(KEY_PARAM("inline:" K128 "|2^20|7:2", cm128, SDES_MAX_MKI_LEN, &k, why), 0);
	assert_int_equal(k.len, 30);
	assert_int_equal(k.key[0], 1);
	assert_true(k.has_lifetime && k.has_mki);
	assert_int_equal(k.lifetime, 1u << 20);
	assert_int_equal(k.mki, 7);
	assert_int_equal(k.mki_len, 2);
	/* Leading zeros are digits like any other [RFC 4568 9.2 ABNF]. */
	assert_int_equal(KEY_PARAM("inline:" K128 "|0100|007:1", cm128, SDES_MAX_MKI_LEN, &k, why), 0);
	assert_int_equal(k.lifetime, 100);
	assert_int_equal(k.mki, 7);
	/* Without a suite, the length of any supported one. */
	assert_int_equal(KEY_PARAM("inline:" KGCM128, NULL, SDES_MAX_MKI_LEN, &k, why), 0);
	assert_int_equal(k.len, 28);
	/* A long MKI: valid, kept by length only, or refused by the caller's limit. */
	assert_int_equal(KEY_PARAM("inline:" K128 "|1:32", cm128, SDES_MKI_LEN_LIMIT, &k, why), 0);
	assert_int_equal(k.mki_len, 32);
	assert_int_equal(k.mki, 0);
	explicit_bzero(&k, sizeof(k));

	/* Errors say why, never quote the key, and leave nothing of it. */
	assert_int_equal(KEY_PARAM("inline:" K128 "|1:32", cm128, SDES_MAX_MKI_LEN, &k, why), -1);
	assert_string_equal(why, "MKI length 32 not supported: 1 to 4 bytes");
	assert_wiped(&k);
	assert_int_equal(KEY_PARAM("inline:" K128 "|1:0", cm128, SDES_MKI_LEN_LIMIT, &k, why), -1);
	assert_string_equal(why, "MKI length 0 not supported: 1 to 128 bytes");
	assert_wiped(&k);
	assert_int_equal(KEY_PARAM("inline:" K256, cm128, SDES_MAX_MKI_LEN, &k, why), -1);
	assert_string_equal(why, "46 bytes of key material, AES_CM_128_HMAC_SHA1_80 takes 30 "
			    "(key 16 + salt 14)");
	assert_wiped(&k);
	assert_int_equal(KEY_PARAM("inline:" K128 "|4294967296:4", cm128, SDES_MAX_MKI_LEN, &k,
				   why), -1);
	assert_string_equal(why, "MKI 4294967296 does not fit in 4 bytes");
	assert_wiped(&k);
	assert_int_equal(KEY_PARAM("inline:" K128 "|2^20|2^20", cm128, SDES_MAX_MKI_LEN, &k, why),
			 -1);
	assert_string_equal(why, "expected MKI:LENGTH after the lifetime, not \"2^20\"");
	assert_null(strstr(why, K128));
	assert_wiped(&k);
	assert_int_equal(KEY_PARAM("inline:" K128 ";", cm128, SDES_MAX_MKI_LEN, &k, why), -1);
	assert_string_equal(why, "the inline key is not valid base64 of at most 46 bytes");
	assert_wiped(&k);
	assert_int_equal(KEY_PARAM("uri:" K128, cm128, SDES_MAX_MKI_LEN, &k, why), -1);
	assert_string_equal(why, "key method is not inline:");
	assert_int_equal(KEY_PARAM("inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=", NULL,
				   SDES_MAX_MKI_LEN, &k, why), -1);
	assert_string_equal(why, "29 bytes of key material fit no suite");
	assert_wiped(&k);

	/* By name as a user types it: exact case, aliases, supported suites only. */
	assert_ptr_equal(sdes_suite_by_name("AES_CM_256_HMAC_SHA1_80"),
			 sdes_suite_info(HERALD_SUITE_AES_256_CM_HMAC_SHA1_80));
	assert_null(sdes_suite_by_name("aes_cm_128_hmac_sha1_80"));
	assert_null(sdes_suite_by_name("AEAD_AES_128_GCM_8"));
	assert_null(sdes_suite_by_name(NULL));
}

static void sdes_session_params(void **state)
{
	static const struct {
		const char *params;
		bool usable;
	} t[] = {
		{ "", true },
		{ " KDR=0", true },
		{ " WSH=128", true },
		{ " FEC_ORDER=FEC_SRTP FEC_KEY=inline:" K128, true },
		{ " -X_VENDOR_THING", true },
		{ " UNENCRYPTED_SRTP", false },
		{ " UNENCRYPTED_SRTCP", false },
		{ " UNAUTHENTICATED_SRTP", false },
		{ " KDR=1", false },
		{ " WSH=64 X_VENDOR_THING", false },
	};
	struct sdes_crypto c;
	char line[256], why[128];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 inline:%s%s", K128,
			 t[i].params);
		if (sdes_parse(line, strlen(line), &c, why, sizeof(why)))
			fail_msg("%s: %s", line, why);
		if ((sdes_unusable(&c, all_suites, 8) == NULL) != t[i].usable)
			fail_msg("%s: usable should be %d", line, t[i].usable);
	}
	snprintf(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 inline:%s KDR=0 WSH=256 "
		 "FEC_ORDER=SRTP_FEC UNENCRYPTED_SRTCP", K128);
	assert_int_equal(sdes_parse(line, strlen(line), &c, NULL, 0), 0);
	assert_int_equal(c.kdr, 0);
	assert_int_equal(c.wsh, 256);
	assert_int_equal(c.fec_order, SDES_FEC_SRTP_FEC);
	assert_true(c.unencrypted_srtcp);
	assert_false(c.unencrypted_srtp);
}

static void sdes_chooser(void **state)
{
	static const char *const lines[] = {
		"1 AEAD_AES_256_GCM_8 inline:" KGCM256,
		"2 AES_CM_256_HMAC_SHA1_80 inline:" K256,
		"3 AES_256_CM_HMAC_SHA1_80 inline:" K256 " UNENCRYPTED_SRTP",
		"4 AES_CM_128_HMAC_SHA1_80 inline:" K128,
		"5 AES_CM_128_HMAC_SHA1_32 inline:" K128,
	};
	static const enum herald_suite only_128[] = { HERALD_SUITE_AES_CM_128_HMAC_SHA1_32,
						      HERALD_SUITE_AES_CM_128_HMAC_SHA1_80 };
	static const enum herald_suite gcm_only[] = { HERALD_SUITE_AEAD_AES_256_GCM };
	struct sdes_crypto c[5];
	struct sdes_local l;
	char why[512], out[128];
	unsigned int i;
	int k;

	for (i = 0; i < 5; i++)
		assert_int_equal(sdes_parse(lines[i], strlen(lines[i]), &c[i], NULL, 0), 0);
	/* AES-256 first in our list: the alias line (2) wins; 3 is refused */
	assert_int_equal(sdes_choose(c, 5, all_suites, 8, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "tag 3 AES_256_CM_HMAC_SHA1_80: UNENCRYPTED"));
	/* our order, not theirs */
	assert_int_equal(sdes_choose(c, 5, only_128, 2, why, sizeof(why)), 4);
	assert_int_equal(sdes_choose(c, 5, gcm_only, 1, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "tag 1 AEAD_AES_256_GCM_8: 8-byte GCM tags"));
	assert_non_null(strstr(why, "tag 4 AES_CM_128_HMAC_SHA1_80: crypto suite not allowed"));
	assert_int_equal(sdes_choose(c, 0, all_suites, 8, why, sizeof(why)), -1);
	assert_string_equal(why, "no crypto line");

	/* the answer: same tag, the offer's spelling, a fresh key */
	assert_int_equal(sdes_make_answer(&c[1], &l), 0);
	assert_int_equal(l.tag, 2);
	assert_int_equal(l.len, 46);
	assert_string_equal(l.suite_name, "AES_CM_256_HMAC_SHA1_80");
	assert_memory_not_equal(l.key, c[1].keys[0].key, 46);
	k = sdes_format(&l, out, sizeof(out));
	assert_true(k > 0);
	assert_int_equal(strncmp(out, "2 AES_CM_256_HMAC_SHA1_80 inline:", 33), 0);
	assert_int_equal(strlen(out + 33), 64);
	{
		struct sdes_crypto back;

		assert_int_equal(sdes_parse(out, k, &back, NULL, 0), 0);
		assert_memory_equal(back.keys[0].key, l.key, 46);
		sdes_crypto_clear(&back);
	}
	assert_int_equal(sdes_format(&l, out, 40), -1);
	sdes_local_clear(&l);
	assert_int_equal(l.len, 0);
	assert_int_equal(sdes_make_answer(&c[0], &l), -1);	/* unsupported suite */
	for (i = 0; i < 5; i++)
		sdes_crypto_clear(&c[i]);
}

static void base64_vectors(void **state)
{
	static const struct {
		const char *raw, *enc;
	} t[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char enc[16];
	uint8_t dec[16];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = strlen(t[i].raw);

		assert_int_equal(sdes_base64_encode((const uint8_t *)t[i].raw, n, enc, sizeof(enc)),
				 strlen(t[i].enc));
		assert_string_equal(enc, t[i].enc);
		assert_int_equal(sdes_base64_decode(t[i].enc, strlen(t[i].enc), dec, sizeof(dec)), n);
		assert_memory_equal(dec, t[i].raw, n);
	}
	/* Unpadded. */
	assert_int_equal(sdes_base64_decode("Zm8", 3, dec, sizeof(dec)), 2);
	assert_int_equal(sdes_base64_decode("Zm9vYg", 6, dec, sizeof(dec)), 4);
	assert_memory_equal(dec, "foob", 4);
	/* Bits after the last byte set: other spellings of "fo" and "f". */
	assert_int_equal(sdes_base64_decode("Zm9=", 4, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("Zh==", 4, dec, sizeof(dec)), -1);
	/* Padding misplaced, excessive or short; one lone character. */
	assert_int_equal(sdes_base64_decode("Z===", 4, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("Zm=9", 4, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("Zg=", 3, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("Zm9v=", 5, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("Zm9vY", 5, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("====", 4, dec, sizeof(dec)), -1);
	/* URL-safe alphabet and blanks are not SDES base64. */
	assert_int_equal(sdes_base64_decode("Zm9-", 4, dec, sizeof(dec)), -1);
	assert_int_equal(sdes_base64_decode("Zm9 ", 4, dec, sizeof(dec)), -1);
	/* Longer than the buffer. */
	assert_int_equal(sdes_base64_decode("Zm9vYmFy", 8, dec, 5), -1);
	assert_int_equal(sdes_base64_encode((const uint8_t *)"foo", 3, enc, 4), -1);
}

/* ---- SDP ----------------------------------------------------------------- */

static const char baresip_offer[] =
	"v=0\r\n"
	"o=- 2890844526 2890844526 IN IP4 192.0.2.20\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.20\r\n"
	"t=0 0\r\n"
	"m=audio 36790 RTP/SAVP 9 0 8 101\r\n"
	"b=AS:64\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=sendrecv\r\n"
	"a=label:1\r\n"
	"a=ptime:20\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n";

static void parse_baresip_offer(void **state)
{
	const struct sdp_media *m;

	parse_ok(baresip_offer);
	assert_string_equal(sess->o_user, "-");
	assert_int_equal(sess->o_sess_id, 2890844526ull);
	assert_int_equal(sess->conn.family, 4);
	assert_string_equal(sess->conn.addr, "192.0.2.20");
	assert_int_equal(sess->nmedia, 1);
	m = &sess->media[0];
	assert_string_equal(m->type, "audio");
	assert_int_equal(m->port, 36790);
	assert_int_equal(m->proto, SDP_PROTO_RTP_SAVP);
	assert_int_equal(m->nfmt, 4);
	assert_int_equal(m->pt[3], 101);
	assert_int_equal(m->nrtpmap, 4);
	assert_string_equal(sdp_media_rtpmap(m, 9)->name, "G722");
	assert_int_equal(m->nfmtp, 1);
	assert_string_equal(m->fmtp[0].params, "0-15");
	assert_int_equal(m->ptime, 20);
	assert_int_equal(m->dir, SDP_DIR_SENDRECV);
	assert_int_equal(m->ncrypto, 1);
	assert_int_equal(m->crypto[0].suite, HERALD_SUITE_AES_CM_128_HMAC_SHA1_80);
	assert_ptr_equal(sdp_media_conn(sess, 0), &sess->conn);
}

/* Answer, then parse the answer back: the fields must be what res says. */
static void answer_round_trip(void **state)
{
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	struct sdp_session *ans = calloc(1, sizeof(*ans));
	const struct sdp_media *am;
	char buf[2048], why[128];
	int n;

	parse_ok(baresip_offer);
	n = sdp_build_answer(sess, &p, &res, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(res.media, 0);
	assert_int_equal(res.pt, 9);		/* G722 first in our list */
	assert_int_equal(res.te_pt, 101);
	assert_true(res.srtp);
	assert_int_equal(res.crypto, 0);
	assert_int_equal(res.dir, SDP_DIR_RECVONLY);
	assert_string_equal(res.remote_addr, "192.0.2.20");
	assert_int_equal(res.remote_port, 36790);
	assert_int_equal(res.ptime, 20);

	if (sdp_parse(ans, buf, n, why, sizeof(why)))
		fail_msg("answer does not parse: %s\n%s", why, buf);
	assert_int_equal(ans->nmedia, 1);
	am = &ans->media[0];
	assert_int_equal(am->port, 40000);
	assert_int_equal(am->proto, SDP_PROTO_RTP_SAVP);
	assert_int_equal(am->nfmt, 2);
	assert_int_equal(am->pt[0], 9);
	assert_int_equal(am->pt[1], 101);
	assert_int_equal(am->dir, SDP_DIR_RECVONLY);
	assert_int_equal(am->ptime, 20);
	assert_false(am->rtcp_mux);
	assert_int_equal(am->ncrypto, 1);
	assert_int_equal(am->crypto[0].tag, 1);
	assert_memory_equal(am->crypto[0].keys[0].key, res.local.key, 30);
	assert_string_equal(ans->conn.addr, "10.0.0.5");
	assert_string_equal(ans->o_user, "herald");
	sdes_local_clear(&res.local);
	sdp_session_clear(ans);
	free(ans);
}

static void two_media_lines(void **state)
{
	static const char offer[] =
		"v=0\r\no=polycom 1 1 IN IP4 198.51.100.2\r\ns=Polycom IP Phone\r\n"
		"t=0 0\r\n"
		"m=audio 2222 RTP/SAVP 0 18\r\n"
		"c=IN IP4 198.51.100.2\r\n"
		"a=rtpmap:18 G729/8000\r\n"
		"a=rtcp-mux\r\n"
		"a=sendonly\r\n"
		"a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|2^31\r\n"
		"m=video 2224 RTP/SAVP 109\r\n"
		"c=IN IP4 198.51.100.2\r\n"
		"a=rtpmap:109 H264/90000\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n";
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	char buf[2048];
	int n;

	parse_ok(offer);
	assert_int_equal(sess->conn.present, false);
	assert_int_equal(sess->nmedia, 2);
	n = sdp_build_answer(sess, &p, &res, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(res.media, 0);
	assert_int_equal(res.pt, 0);		/* PCMU by static type */
	assert_int_equal(res.te_pt, -1);
	assert_true(res.rtcp_mux);
	assert_int_equal(res.dir, SDP_DIR_RECVONLY);
	assert_non_null(strstr(buf, "m=audio 40000 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n"));
	assert_non_null(strstr(buf, "a=recvonly\r\na=rtcp-mux\r\na=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:"));
	assert_non_null(strstr(buf, "m=video 0 RTP/SAVP 109\r\n"));
	assert_null(strstr(buf, "H264"));
	sdes_local_clear(&res.local);

	/* without rtcp-mux support */
	p.rtcp_mux = false;
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_false(res.rtcp_mux);
	assert_null(strstr(buf, "rtcp-mux"));
	sdes_local_clear(&res.local);
}

/* BroadWorks: the same audio stream as RTP/AVP and RTP/SAVP. */
static void broadworks_duplicate_lines(void **state)
{
	static const char offer[] =
		"v=0\r\no=BroadWorks 12345 1 IN IP4 203.0.113.9\r\ns=-\r\n"
		"c=IN IP4 203.0.113.9\r\nt=0 0\r\n"
		"m=audio 16384 RTP/AVP 0 101\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"m=audio 16384 RTP/SAVP 0 101\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n";
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	char buf[2048];

	parse_ok(offer);
	p.require_srtp = false;		/* even when plain would do, SAVP wins */
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_int_equal(res.media, 1);
	assert_true(res.srtp);
	assert_non_null(strstr(buf, "m=audio 0 RTP/AVP 0 101\r\nm=audio 40000 RTP/SAVP 0 101\r\n"));
	assert_non_null(strstr(buf, "a=fmtp:101 0-15\r\n"));
	sdes_local_clear(&res.local);
}

/* baresip "srtp": crypto on RTP/AVP (best effort). */
static void best_effort_srtp(void **state)
{
	static const char offer[] =
		"v=0\r\no=- 1 2 IN IP6 2001:db8::20\r\ns=-\r\nc=IN IP6 2001:db8::20\r\nt=0 0\r\n"
		"m=audio 5004 RTP/AVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n";
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	char buf[2048];

	parse_ok(offer);
	assert_int_equal(sess->conn.family, 6);
	/* allowed: SRTP on RTP/AVP */
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_int_equal(res.media, 0);
	assert_true(res.srtp);
	assert_int_equal(res.remote_family, 6);
	assert_non_null(strstr(buf, "m=audio 40000 RTP/AVP 0\r\n"));
	assert_non_null(strstr(buf, "a=crypto:1 "));
	sdes_local_clear(&res.local);
	/* not allowed, encryption required: refused with a reason */
	p.allow_best_effort = false;
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_int_equal(res.media, -1);
	assert_non_null(strstr(res.why, "encryption is required"));
	assert_non_null(strstr(buf, "m=audio 0 RTP/AVP 0\r\n"));
	assert_null(strstr(buf, "a=crypto"));
	/* not allowed, not required: plain RTP */
	p.require_srtp = false;
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_int_equal(res.media, 0);
	assert_false(res.srtp);
	assert_null(strstr(buf, "a=crypto"));
}

/* Zoom / Webex-like offers: many lines, non-standard names, tag 0, MKI. */
static void many_crypto_lines(void **state)
{
	static const char offer[] =
		"v=0\r\no=ZoomPhone 100 101 IN IP4 162.12.233.59\r\ns=ZoomPhone\r\n"
		"c=IN IP4 162.12.233.59\r\nt=0 0\r\n"
		"m=audio 20000 RTP/SAVP 0 8 101\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=fmtp:101 0-16\r\n"
		"a=crypto:0 AEAD_AES_256_GCM_8 inline:" KGCM256 "\r\n"
		"a=crypto:1 AES_CM_256_HMAC_SHA1_80 inline:" K256 "\r\n"
		"a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:" K256 "|2^31|1:1\r\n"
		"a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" K128 " KDR=2\r\n"
		"a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:garbage!\r\n"
		"a=crypto:5 AES_CM_128_HMAC_SHA1_32 inline:" K128 "\r\n"
		"a=crypto:6 NEW_SUITE_2030 inline:xyz\r\n";
	static const enum herald_suite pref[] = { HERALD_SUITE_AES_CM_128_HMAC_SHA1_32,
						  HERALD_SUITE_AES_CM_128_HMAC_SHA1_80 };
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	const struct sdp_media *m;
	char buf[2048];

	parse_ok(offer);
	m = &sess->media[0];
	assert_int_equal(m->ncrypto, 6);
	assert_int_equal(m->ncrypto_bad, 1);
	assert_int_equal(m->crypto[0].tag, 0);
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	/* AES-256 preferred: first usable line of that suite is tag 1 (alias) */
	assert_int_equal(res.crypto, 1);
	assert_non_null(strstr(buf, "a=crypto:1 AES_CM_256_HMAC_SHA1_80 inline:"));
	assert_non_null(strstr(buf, "a=fmtp:101 0-16\r\n"));
	assert_int_equal(res.pt, 0);
	/* exactly one crypto line in the answer */
	assert_null(strstr(strstr(buf, "a=crypto:") + 1, "a=crypto:"));
	sdes_local_clear(&res.local);

	p.suites = pref;
	p.nsuites = 2;
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_int_equal(res.crypto, 4);	/* the _32 line, tag 5 */
	assert_non_null(strstr(buf, "a=crypto:5 AES_CM_128_HMAC_SHA1_32 inline:"));
	sdes_local_clear(&res.local);
}

static void directions(void **state)
{
	static const struct {
		const char *sess_attr, *media_attr;
		bool send, recv;
		enum sdp_dir want;
	} t[] = {
		{ "", "", false, true, SDP_DIR_RECVONLY },
		{ "a=sendonly\r\n", "", false, true, SDP_DIR_RECVONLY },
		{ "a=sendonly\r\n", "a=sendrecv\r\n", true, true, SDP_DIR_SENDRECV },
		{ "", "a=recvonly\r\n", false, true, SDP_DIR_INACTIVE },
		{ "", "a=recvonly\r\n", true, true, SDP_DIR_SENDONLY },
		{ "", "a=inactive\r\n", true, true, SDP_DIR_INACTIVE },
		{ "", "a=sendonly\r\n", true, true, SDP_DIR_RECVONLY },
	};
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	char offer[1024], buf[2048], want[32];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(offer, sizeof(offer),
			 "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			 "%sm=audio 4000 RTP/SAVP 8\r\n%s"
			 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n",
			 t[i].sess_attr, t[i].media_attr);
		parse_ok(offer);
		p.send = t[i].send;
		p.recv = t[i].recv;
		assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
		assert_int_equal(res.dir, t[i].want);
		snprintf(want, sizeof(want), "a=%s\r\n", sdp_dir_name(t[i].want));
		assert_non_null(strstr(buf, want));
		sdes_local_clear(&res.local);
	}
}

static void rejections(void **state)
{
	static const struct {
		const char *media;
		const char *why;
	} t[] = {
		{ "m=audio 4000 RTP/SAVP 18\r\na=rtpmap:18 G729/8000\r\n"
		  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n", "no common codec" },
		{ "m=audio 4000 RTP/SAVP 0\r\n", "no usable crypto (no crypto line)" },
		{ "m=audio 4000 UDP/TLS/RTP/SAVPF 0\r\na=fingerprint:sha-256 AB:CD\r\n",
		  "transport UDP/TLS/RTP/SAVPF not supported" },
		{ "m=audio 0 RTP/SAVP 0\r\n", "rejected by the offerer" },
		{ "m=application 5000 UDP/DTLS/SCTP webrtc-datachannel\r\n", "not audio" },
		{ "m=audio 4000 RTP/SAVP 0\r\nc=IN IP4 pbx.example.com\r\n"
		  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n",
		  "no usable connection address" },
		{ "m=audio 4000 RTP/SAVP 0\r\n"
		  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 " UNENCRYPTED_SRTP\r\n",
		  "UNENCRYPTED_SRTP/SRTCP is not supported" },
	};
	struct sdp_answer_params p = params();
	struct sdp_answer_result res;
	char offer[1024], buf[2048];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(offer, sizeof(offer),
			 "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n%s", t[i].media);
		if (!strstr(t[i].media, "c=IN"))
			snprintf(offer + strlen(offer), sizeof(offer) - strlen(offer),
				 "c=IN IP4 192.0.2.1\r\n");
		parse_ok(offer);
		assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
		assert_int_equal(res.media, -1);
		if (!strstr(res.why, t[i].why))
			fail_msg("case %u: why \"%s\", want \"%s\"", i, res.why, t[i].why);
		/* the rejected line keeps its formats, with port 0 */
		assert_non_null(strstr(buf, " 0 "));
	}
	/* no media at all */
	parse_ok("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n");
	assert_true(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)) > 0);
	assert_int_equal(res.media, -1);
	assert_string_equal(res.why, "no media in the offer");
	/* too small a buffer, bad parameters */
	parse_ok(baresip_offer);
	assert_int_equal(sdp_build_answer(sess, &p, &res, buf, 100), -1);
	assert_int_equal(res.local.len, 0);
	p.addr = "not-an-address";
	assert_int_equal(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)), -1);
	p = params();
	p.user = "two words";
	assert_int_equal(sdp_build_answer(sess, &p, &res, buf, sizeof(buf)), -1);
}

static void sdp_parse_errors(void **state)
{
	static const char *const bad[] = {
		"",
		"o=- 1 1 IN IP4 1.2.3.4\r\n",
		"v=1\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n",
		"v=0\r\ns=-\r\nt=0 0\r\n",
		"v=0\r\no=- 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nt=0 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 128\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1  RTP/AVP 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP5 1.2.3.4\r\nt=0 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4/300\r\nt=0 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 bad_host\r\nt=0 0\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"
		"a=ptime:x\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"
		"a=sendonly:x\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nx\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nA=b\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\na=x\rb\r\n",
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"
		"c=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\n",
	};
	char why[128];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sdp_session_clear(sess);
		if (!sdp_parse(sess, bad[i], strlen(bad[i]), why, sizeof(why)))
			fail_msg("accepted case %u", i);
		assert_true(strlen(why) > 0);
	}
	/* limits */
	{
		char *big = malloc(SDP_MAX_LEN + 2048);
		size_t n;

		n = sprintf(big, "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n");
		for (i = 0; i <= SDP_MAX_MEDIA; i++)
			n += sprintf(big + n, "m=audio %u RTP/AVP 0\r\n", 1000 + i);
		sdp_session_clear(sess);
		assert_int_equal(sdp_parse(sess, big, n, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "m= lines"));
		memset(big, 'a', SDP_MAX_LEN + 1);
		assert_int_equal(sdp_parse(sess, big, SDP_MAX_LEN + 1, why, sizeof(why)), -1);
		free(big);
	}
	/* LF line ends, unknown letters and a trailing blank line are fine */
	parse_ok("v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\ni=info\nc=IN IP4 224.2.1.1/127\n"
		 "t=0 0\nq=unknown\nm=audio 1/2 RTP/AVP 0\na=rtcp:53020 IN IP4 1.2.3.4\n\n");
	assert_int_equal(sess->conn.ttl, 127);
	assert_int_equal(sess->media[0].nports, 2);
	assert_int_equal(sess->media[0].rtcp_port, 53020);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sdes_standard_suites),
		cmocka_unit_test(sdes_names_and_tags),
		cmocka_unit_test(sdes_key_params),
		cmocka_unit_test(sdes_key_param_alone),
		cmocka_unit_test(sdes_session_params),
		cmocka_unit_test(sdes_chooser),
		cmocka_unit_test(base64_vectors),
		cmocka_unit_test_setup_teardown(parse_baresip_offer, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(two_media_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(broadworks_duplicate_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(best_effort_srtp, setup, teardown),
		cmocka_unit_test_setup_teardown(many_crypto_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(directions, setup, teardown),
		cmocka_unit_test_setup_teardown(rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(sdp_parse_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
