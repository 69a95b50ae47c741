// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl's stream, output and key commands without a kernel: SDES key
 * parameters, suites, addresses, priorities, payload type lists, the
 * grammar of each command, the netlink requests built from it, and the
 * printing of replies laid out as the module lays them out.
 *
 * Headers are named by path: kmod/ is on the include path first and has
 * files of the same names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <netlink/genl/genl.h>

#include "../../tools/heraldctl/heraldctl.h"
#include "../../tools/heraldctl/keyspec.h"
#include "../../tools/heraldctl/nl.h"
#include "../../tools/heraldctl/objects.h"
#include "../../tools/heraldctl/output.h"
#include "../../tools/heraldctl/tone_file.h"

/* bytes 0..N-1, base64 */
#define K30 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"
#define K28 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=="
#define K46 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLQ=="
#define K29 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="

static char *err_buf;
static size_t err_len;

static int capture_errors(void **state)
{
	ctl_errfp = open_memstream(&err_buf, &err_len);
	return ctl_errfp ? 0 : -1;
}

static int release_errors(void **state)
{
	fclose(ctl_errfp);
	ctl_errfp = NULL;
	free(err_buf);
	err_buf = NULL;
	return 0;
}

static const char *errors(void)
{
	static char last[1024];

	fflush(ctl_errfp);
	snprintf(last, sizeof(last), "%.*s", (int)err_len, err_buf ? err_buf : "");
	rewind(ctl_errfp);
	return last;
}

static const struct sdes_suite_info *suite(const char *name)
{
	const struct sdes_suite_info *s = suite_by_name(name);

	assert_non_null(s);
	return s;
}

static void is_counting(const struct key_spec *k, size_t len)
{
	size_t i;

	assert_int_equal(k->len, len);
	for (i = 0; i < len; i++)
		assert_int_equal(k->material[i], i);
}

static void keyspec_good(void **state)
{
	const struct sdes_suite_info *cm128 = suite("AES_CM_128_HMAC_SHA1_80");
	struct key_spec k;

	assert_int_equal(keyspec_parse("t", "inline:" K30, cm128, &k), 0);
	is_counting(&k, 30);
	assert_int_equal(k.lifetime, 0);
	assert_int_equal(k.mki_len, 0);

	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^31", cm128, &k), 0);
	assert_int_equal(k.lifetime, 1ULL << 31);
	assert_int_equal(k.mki_len, 0);

	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^20|1:4", cm128, &k), 0);
	assert_int_equal(k.lifetime, 1 << 20);
	assert_int_equal(k.mki, 1);
	assert_int_equal(k.mki_len, 4);

	/* MKI without lifetime, a decimal lifetime, the largest MKIs. */
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|255:1", cm128, &k), 0);
	assert_int_equal(k.mki, 255);
	assert_int_equal(k.mki_len, 1);
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|1048576|7:2", cm128, &k), 0);
	assert_int_equal(k.lifetime, 1048576);
	assert_int_equal(k.mki, 7);
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|4294967295:4", cm128, &k), 0);
	assert_int_equal(k.mki, 4294967295u);

	/* Padded lengths: GCM's 28 bytes, AES-256's 46. */
	assert_int_equal(keyspec_parse("t", "inline:" K28, suite("AEAD_AES_128_GCM"), &k), 0);
	is_counting(&k, 28);
	assert_int_equal(keyspec_parse("t", "inline:" K46, suite("AES_256_CM_HMAC_SHA1_32"), &k), 0);
	is_counting(&k, 46);
	/* Without a suite (key add), any suite's length will do. */
	assert_int_equal(keyspec_parse("t", "inline:" K28, NULL, &k), 0);
	assert_string_equal(errors(), "");
}

static void keyspec_bad(void **state)
{
	const struct sdes_suite_info *cm128 = suite("AES_CM_128_HMAC_SHA1_80");
	struct key_spec k;

	/* The base64 decodes to the wrong length for the suite. */
	assert_int_equal(keyspec_parse("t", "inline:" K28, cm128, &k), -1);
	assert_string_equal(errors(), "heraldctl: t: key: 28 bytes of key material, "
			    "AES_CM_128_HMAC_SHA1_80 takes 30 (key 16 + salt 14)\n");
	assert_int_equal(keyspec_parse("t", "inline:" K30, suite("AEAD_AES_256_GCM"), &k), -1);
	assert_non_null(strstr(errors(), "AEAD_AES_256_GCM takes 44"));
	assert_int_equal(keyspec_parse("t", "inline:" K29, NULL, &k), -1);
	assert_string_equal(errors(), "heraldctl: t: key: 29 bytes of key material fit no suite\n");
	/* Failure leaves nothing of the key behind. */
	assert_int_equal(k.len, 0);
	assert_int_equal(k.material[0] | k.material[1] | k.material[20], 0);

	/* MKI length 0 and 5 (RFC 4568 allows up to 128, the module 4). */
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|1:0", cm128, &k), -1);
	assert_string_equal(errors(), "heraldctl: t: key: MKI length 0 not supported: 1 to 4 bytes\n");
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^20|1:5", cm128, &k), -1);
	assert_string_equal(errors(), "heraldctl: t: key: MKI length 5 not supported: 1 to 4 bytes\n");
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|256:1", cm128, &k), -1);
	assert_string_equal(errors(), "heraldctl: t: key: MKI 256 does not fit in 1 byte\n");
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|x:1", cm128, &k), -1);
	assert_non_null(strstr(errors(), "bad MKI \"x:1\""));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|1:", cm128, &k), -1);
	assert_non_null(strstr(errors(), "bad MKI"));

	/* Lifetimes: zero, 2^49, not a number, a lifetime after the MKI. */
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|0", cm128, &k), -1);
	assert_non_null(strstr(errors(), "bad lifetime \"0\""));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^49", cm128, &k), -1);
	assert_non_null(strstr(errors(), "bad lifetime"));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^", cm128, &k), -1);
	assert_non_null(strstr(errors(), "bad lifetime"));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|forever", cm128, &k), -1);
	assert_non_null(strstr(errors(), "bad lifetime"));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|1:1|2^20", cm128, &k), -1);
	assert_non_null(strstr(errors(), "too many"));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^20|2^20", cm128, &k), -1);
	assert_non_null(strstr(errors(), "expected MKI:LENGTH after the lifetime"));
	assert_int_equal(keyspec_parse("t", "inline:" K30 "|2^20|1:1|x", cm128, &k), -1);
	assert_non_null(strstr(errors(), "too many"));

	/* Garbage. */
	assert_int_equal(keyspec_parse("t", K30, cm128, &k), -1);
	assert_non_null(strstr(errors(), "expected inline:BASE64"));
	assert_int_equal(keyspec_parse("t", "inline:", cm128, &k), -1);
	assert_non_null(strstr(errors(), "not valid base64"));
	assert_int_equal(keyspec_parse("t", "inline:!!!!", cm128, &k), -1);
	assert_non_null(strstr(errors(), "not valid base64"));
	assert_int_equal(keyspec_parse("t", "inline:" K46 "AAAA", NULL, &k), -1);
	assert_non_null(strstr(errors(), "not valid base64"));
	assert_int_equal(keyspec_parse("t", "INLINE:" K30, cm128, &k), -1);
	assert_non_null(strstr(errors(), "expected inline:"));
}

static void keyspec_sources(void **state)
{
	const struct sdes_suite_info *cm128 = suite("AES_CM_128_HMAC_SHA1_80");
	char path[] = "/tmp/heraldctl-key-XXXXXX", arg[64];
	struct key_spec k;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fprintf(fp, "# paging key, rotated weekly\n\n   inline:" K30 "|2^31|3:1  \r\n"
		"inline:ignored\n");
	fclose(fp);
	snprintf(arg, sizeof(arg), "file:%s", path);
	assert_int_equal(keyspec_load("t", arg, cm128, &k), 0);
	is_counting(&k, 30);
	assert_int_equal(k.mki, 3);
	assert_string_equal(errors(), "");

	fp = fopen(path, "w");
	fprintf(fp, "# nothing here\n");
	fclose(fp);
	assert_int_equal(keyspec_load("t", arg, cm128, &k), -1);
	assert_non_null(strstr(errors(), "heraldctl: t: key: no inline: line in /tmp/heraldctl-key-"));
	unlink(path);
	assert_int_equal(keyspec_load("t", arg, cm128, &k), -1);
	assert_non_null(strstr(errors(), "cannot open"));

	/* "-" reads standard input. */
	fd = dup(STDIN_FILENO);
	assert_true(fd >= 0);
	{
		int p[2];

		assert_int_equal(pipe(p), 0);
		assert_int_equal(write(p[1], "inline:" K28 "\n", strlen("inline:" K28 "\n")),
				 (ssize_t)strlen("inline:" K28 "\n"));
		close(p[1]);
		dup2(p[0], STDIN_FILENO);
		close(p[0]);
	}
	assert_int_equal(keyspec_load("t", "-", NULL, &k), 0);
	is_counting(&k, 28);
	dup2(fd, STDIN_FILENO);
	close(fd);
	keyspec_wipe(&k);
	assert_int_equal(k.len, 0);
}

static void suites(void **state)
{
	static const struct {
		const char *name;
		uint32_t id;
		unsigned int len;
	} want[] = {
		{ "AES_CM_128_HMAC_SHA1_80", HERALD_SUITE_AES_CM_128_HMAC_SHA1_80, 30 },
		{ "AES_CM_128_HMAC_SHA1_32", HERALD_SUITE_AES_CM_128_HMAC_SHA1_32, 30 },
		{ "AES_192_CM_HMAC_SHA1_80", HERALD_SUITE_AES_192_CM_HMAC_SHA1_80, 38 },
		{ "AES_192_CM_HMAC_SHA1_32", HERALD_SUITE_AES_192_CM_HMAC_SHA1_32, 38 },
		{ "AES_256_CM_HMAC_SHA1_80", HERALD_SUITE_AES_256_CM_HMAC_SHA1_80, 46 },
		{ "AES_256_CM_HMAC_SHA1_32", HERALD_SUITE_AES_256_CM_HMAC_SHA1_32, 46 },
		{ "AEAD_AES_128_GCM", HERALD_SUITE_AEAD_AES_128_GCM, 28 },
		{ "AEAD_AES_256_GCM", HERALD_SUITE_AEAD_AES_256_GCM, 44 },
	};
	const struct sdes_suite_info *s;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		s = suite_by_name(want[i].name);
		assert_non_null(s);
		assert_int_equal(s->id, want[i].id);
		assert_int_equal(s->key_len + s->salt_len, want[i].len);
		assert_ptr_equal(suite_by_id(want[i].id), s);
	}
	/* The pattern of the 128-bit name, as some SIP stacks write it. */
	assert_int_equal(suite_by_name("AES_CM_256_HMAC_SHA1_80")->id,
			 HERALD_SUITE_AES_256_CM_HMAC_SHA1_80);
	assert_int_equal(suite_by_name("AES_CM_192_HMAC_SHA1_32")->id,
			 HERALD_SUITE_AES_192_CM_HMAC_SHA1_32);
	assert_null(suite_by_name("aes_cm_128_hmac_sha1_80"));
	assert_null(suite_by_name("AES_CM_128_HMAC_SHA1"));
	assert_null(suite_by_name("F8_128_HMAC_SHA1_80"));
	assert_null(suite_by_name(""));
	assert_null(suite_by_id(HERALD_SUITE_NONE));
	assert_null(suite_by_id(HERALD_SUITE_MAX + 1));
}

static void addresses(void **state)
{
	static const uint8_t v6[16] = { 0xff, 0x02, [15] = 0x01 };
	struct ctl_addr a;
	char buf[64];

	assert_int_equal(parse_addr("239.1.2.3", &a), 0);
	assert_int_equal(a.len, 4);
	assert_memory_equal(a.bytes, "\xef\x01\x02\x03", 4);
	assert_int_equal(parse_addr("ff02::1", &a), 0);
	assert_int_equal(a.len, 16);
	assert_memory_equal(a.bytes, v6, 16);
	assert_int_equal(parse_addr("::ffff:10.0.0.1", &a), 0);
	assert_int_equal(a.len, 16);
	assert_int_equal(format_addr(v6, 16, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "ff02::1");
	assert_int_equal(format_addr("\x0a\x00\x00\x01", 4, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10.0.0.1");
	assert_int_equal(format_addr(v6, 5, buf, sizeof(buf)), -1);

	assert_int_equal(parse_addr("1.2.3", &a), -1);
	assert_int_equal(parse_addr("256.1.1.1", &a), -1);
	assert_int_equal(parse_addr("1.2.3.4 ", &a), -1);
	assert_int_equal(parse_addr("fe80::1%eth0", &a), -1);
	assert_int_equal(parse_addr("example.com", &a), -1);
	assert_int_equal(parse_addr("", &a), -1);
	assert_int_equal(parse_addr(NULL, &a), -1);
}

static void priorities(void **state)
{
	uint8_t p;

	assert_int_equal(parse_priority("normal", &p), 0);
	assert_int_equal(p, HERALD_PRIORITY_NORMAL);
	assert_int_equal(parse_priority("priority", &p), 0);
	assert_int_equal(p, HERALD_PRIORITY_PRIORITY);
	assert_int_equal(parse_priority("emergency", &p), 0);
	assert_int_equal(p, HERALD_PRIORITY_EMERGENCY);
	assert_int_equal(parse_priority("200", &p), 0);
	assert_int_equal(p, 200);
	assert_int_equal(parse_priority("0", &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(parse_priority("256", &p), -1);
	assert_int_equal(parse_priority("-1", &p), -1);
	assert_int_equal(parse_priority("Emergency", &p), -1);
	assert_int_equal(parse_priority("emerg", &p), -1);
	assert_int_equal(parse_priority("", &p), -1);
	assert_string_equal(priority_name(255), "emergency");
	assert_string_equal(priority_name(128), "priority");
	assert_string_equal(priority_name(0), "normal");
	assert_null(priority_name(1));
}

static bool pt_set(const uint8_t *mask, unsigned int pt)
{
	return mask[pt / 8] & (1u << (pt % 8));
}

static void payload_types(void **state)
{
	uint8_t m[PT_MASK_BYTES];
	unsigned int pt, n;

	assert_int_equal(parse_pt_list("0", m), 0);
	assert_true(pt_set(m, 0));
	for (n = 0, pt = 0; pt < 128; pt++)
		n += pt_set(m, pt);
	assert_int_equal(n, 1);

	assert_int_equal(parse_pt_list("0,8,96-99,127", m), 0);
	for (n = 0, pt = 0; pt < 128; pt++)
		n += pt_set(m, pt);
	assert_int_equal(n, 7);
	assert_true(pt_set(m, 8) && pt_set(m, 96) && pt_set(m, 99) && pt_set(m, 127));
	assert_false(pt_set(m, 100));

	assert_int_equal(parse_pt_list("0-127", m), 0);
	for (pt = 0; pt < 128; pt++)
		assert_true(pt_set(m, pt));

	assert_int_equal(parse_pt_list("128", m), -1);
	assert_int_equal(parse_pt_list("0-128", m), -1);
	assert_int_equal(parse_pt_list("99-96", m), -1);
	assert_int_equal(parse_pt_list("-1", m), -1);
	assert_int_equal(parse_pt_list("", m), -1);
	assert_int_equal(parse_pt_list(",", m), -1);
	assert_int_equal(parse_pt_list("1,,2", m), -1);
	assert_int_equal(parse_pt_list("1,", m), -1);
	assert_int_equal(parse_pt_list("pcmu", m), -1);
	assert_int_equal(parse_pt_list(" 1", m), -1);
	assert_int_equal(parse_pt_list("1-2-3", m), -1);
	assert_int_equal(parse_pt_list("0x10", m), -1);
}

static void numbers(void **state)
{
	uint32_t v;

	assert_int_equal(parse_u32_hex("0xdeadbeef", &v), 0);
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(parse_u32_hex("0XFF", &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(parse_u32_hex("4294967295", &v), 0);
	assert_int_equal(v, 4294967295u);
	assert_int_equal(parse_u32_hex("4294967296", &v), -1);
	assert_int_equal(parse_u32_hex("0x100000000", &v), -1);
	assert_int_equal(parse_u32_hex("0x", &v), -1);
	assert_int_equal(parse_u32_hex("0x1g", &v), -1);
	assert_int_equal(parse_u32_hex("deadbeef", &v), -1);
	assert_int_equal(parse_u32_hex("0x-1", &v), -1);
	assert_int_equal(parse_u32("010", 0, 100, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_u32("+1", 0, 100, &v), -1);
	assert_int_equal(parse_u32(" 1", 0, 100, &v), -1);
	assert_int_equal(parse_u32("101", 0, 100, &v), -1);
	assert_int_equal(parse_u32("0", 1, 100, &v), -1);
}

#define ARGV(...) (char *[]){ __VA_ARGS__ }
#define ARGC(...) (int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *))
#define OUTPUT_ADD(req, ...) output_add_parse("output add", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), req)
#define STREAM_ADD(req, ...) stream_add_parse("stream add", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), req)
#define STREAM_SET(req, ...) stream_set_parse("stream set", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), req)
#define OUTPUT_SET(req, ...) output_set_parse("output set", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), req)

static void output_grammar(void **state)
{
	struct output_req r;

	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004", "dev", "lo",
				    "ttl", "4", "dscp", "34", "id", "7", "label", "lobby",
				    "suite", "AES_CM_128_HMAC_SHA1_80",
				    "key", "inline:" K30 "|1:1", "key", "inline:" K30 "|2:1"), 0);
	assert_string_equal(errors(), "");
	assert_true(r.has_dst && r.has_port && r.has_dev && r.has_ttl && r.has_dscp && r.has_id);
	assert_int_equal(r.port, 5004);
	assert_int_equal(r.ttl, 4);
	assert_int_equal(r.dscp, 34);
	assert_int_equal(r.id, 7);
	assert_true(r.ifindex > 0);
	assert_string_equal(r.label, "lobby");
	assert_int_equal(r.nkeys, 2);
	assert_int_equal(r.keys[1].mki, 2);
	assert_false(r.plaintext);

	assert_int_equal(OUTPUT_ADD(&r, "port", "5004", "dst", "::1", "plaintext"), 0);
	assert_true(r.plaintext);
	assert_null(r.suite);
	assert_int_equal(r.dst.len, 16);

	/* Missing parts. */
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: output add: missing \"port PORT\"\n");
	assert_int_equal(OUTPUT_ADD(&r, "port", "1", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: output add: missing \"dst ADDR\"\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004"), -1);
	assert_string_equal(errors(), "heraldctl: output add: missing keys: give suite SUITE "
			    "key KEYSPEC, or plaintext\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004", "key", "inline:" K30), -1);
	assert_string_equal(errors(), "heraldctl: output add: missing suite: a key needs \"suite SUITE\"\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004",
				    "suite", "AEAD_AES_128_GCM"), -1);
	assert_non_null(strstr(errors(), "missing key"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port"), -1);
	assert_string_equal(errors(), "heraldctl: output add: \"port\" needs a value\n");

	/* Both plaintext and a key, in either order. */
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004", "plaintext",
				    "suite", "AES_CM_128_HMAC_SHA1_80", "key", "inline:" K30), -1);
	assert_string_equal(errors(), "heraldctl: output add: \"plaintext\" takes no suite and no key\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004",
				    "key", "inline:" K30, "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: output add: \"plaintext\" takes no suite and no key\n");
	/* Keys are wiped on every failure. */
	assert_int_equal(r.keys[0].len, 0);
	assert_int_equal(r.keys[0].material[1], 0);

	/* Unknown words, abbreviations, bad values, repeats. */
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004", "plaintext", "bogus"), -1);
	assert_string_equal(errors(), "heraldctl: output add: unknown argument \"bogus\"; "
			    "try \"heraldctl output help\"\n");
	assert_int_equal(OUTPUT_ADD(&r, "ds", "239.1.2.3", "port", "5004", "plaintext"), -1);
	assert_non_null(strstr(errors(), "unknown argument \"ds\""));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "0", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: output add: port: expected 1..65535, not \"0\"\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "65536", "plaintext"), -1);
	assert_non_null(strstr(errors(), "port: expected"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "1", "dscp", "64", "plaintext"), -1);
	assert_non_null(strstr(errors(), "dscp: expected 0..63"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "1", "ttl", "0", "plaintext"), -1);
	assert_non_null(strstr(errors(), "ttl: expected 1..255"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "1", "id", "0", "plaintext"), -1);
	assert_non_null(strstr(errors(), "id: expected an id"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "1", "dev",
				    "no-such-dev0", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: output add: dev: no interface \"no-such-dev0\"\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "dst", "1.1.1.2", "port", "1", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: output add: \"dst\" given twice\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "port", "1", "plaintext",
				    "label", "0123456789012345678901234567890123"), -1);
	assert_string_equal(errors(), "heraldctl: output add: label: at most 31 bytes\n");
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "port", "1", "suite", "AES_CM_128",
				    "key", "inline:" K30), -1);
	assert_non_null(strstr(errors(), "unknown suite \"AES_CM_128\""));

	/* Several keys need distinct MKIs of one length. */
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "port", "1",
				    "suite", "AES_CM_128_HMAC_SHA1_80",
				    "key", "inline:" K30, "key", "inline:" K30), -1);
	assert_non_null(strstr(errors(), "several keys need an MKI"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "port", "1",
				    "suite", "AES_CM_128_HMAC_SHA1_80",
				    "key", "inline:" K30 "|1:1", "key", "inline:" K30 "|1:1"), -1);
	assert_non_null(strstr(errors(), "two keys with MKI 1"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "port", "1",
				    "suite", "AES_CM_128_HMAC_SHA1_80",
				    "key", "inline:" K30 "|1:1", "key", "inline:" K30 "|2:2"), -1);
	assert_non_null(strstr(errors(), "same MKI length"));
	assert_int_equal(OUTPUT_ADD(&r, "dst", "1.1.1.1", "port", "1", "suite", "AEAD_AES_128_GCM",
				    "key", "inline:" K30), -1);
	assert_non_null(strstr(errors(), "AEAD_AES_128_GCM takes 28"));

	/* set takes no destination, and needs something to set. */
	assert_int_equal(OUTPUT_SET(&r, "id", "3", "ttl", "9"), 0);
	assert_true(r.has_ttl && !r.has_dscp && !r.has_label);
	assert_int_equal(OUTPUT_SET(&r, "id", "3"), -1);
	assert_non_null(strstr(errors(), "nothing to set"));
	assert_int_equal(OUTPUT_SET(&r, "ttl", "3"), -1);
	assert_string_equal(errors(), "heraldctl: output set: missing \"id N\"\n");
	assert_int_equal(OUTPUT_SET(&r, "id", "3", "dst", "1.1.1.1"), -1);
	assert_non_null(strstr(errors(), "unknown argument \"dst\""));
}

static void stream_grammar(void **state)
{
	struct stream_req r;

	assert_int_equal(STREAM_ADD(&r, "local", "239.1.2.3", "port", "5004", "dev", "lo",
				    "id", "9", "label", "fire", "suite", "AEAD_AES_256_GCM",
				    "key", "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=",
				    "window", "1024", "ssrc", "0x1234abcd", "priority", "emergency",
				    "output", "1", "2", "output", "5", "pt", "0,8,96-127"), 0);
	assert_string_equal(errors(), "");
	assert_int_equal(r.window, 1024);
	assert_int_equal(r.ssrc, 0x1234abcd);
	assert_int_equal(r.priority, 255);
	assert_int_equal(r.noutputs, 3);
	assert_int_equal(r.outputs[2], 5);
	assert_true(r.has_pts && pt_set(r.pts, 8) && !pt_set(r.pts, 9));
	assert_int_equal(r.keys[0].len, 44);

	/* A socket of the caller: fd 2 is open in any test run. */
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext"), 0);
	assert_true(r.has_fd && r.fd == 2);
	/* The output list ends at the first word that is no id. */
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "output", "3", "4", "plaintext", "priority", "7"), 0);
	assert_int_equal(r.noutputs, 2);
	assert_true(r.plaintext);
	assert_int_equal(r.priority, 7);

	assert_int_equal(STREAM_ADD(&r, "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: stream add: missing \"fd N\" or \"local ADDR port PORT\"\n");
	assert_int_equal(STREAM_ADD(&r, "local", "0.0.0.0", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: stream add: missing \"port PORT\"\n");
	assert_int_equal(STREAM_ADD(&r, "port", "5004", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: stream add: missing \"local ADDR\"\n");
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "local", "0.0.0.0", "port", "1", "plaintext"), -1);
	assert_non_null(strstr(errors(), "either \"fd N\" or"));
	assert_int_equal(STREAM_ADD(&r, "fd", "1000000", "plaintext"), -1);
	assert_string_equal(errors(), "heraldctl: stream add: fd: 1000000 is not open\n");
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "key", "inline:" K30), -1);
	assert_non_null(strstr(errors(), "takes no suite and no key"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "window", "32"), -1);
	assert_non_null(strstr(errors(), "window: expected 64..4096"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "ssrc", "0xg"), -1);
	assert_non_null(strstr(errors(), "ssrc: expected"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "priority", "urgent"), -1);
	assert_non_null(strstr(errors(), "priority: expected normal, priority, emergency or 0..255"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "pt", "128"), -1);
	assert_non_null(strstr(errors(), "pt: expected payload types 0..127"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "output"), -1);
	assert_non_null(strstr(errors(), "\"output\" needs an output id"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "output", "x"), -1);
	assert_non_null(strstr(errors(), "output: expected an id"));
	assert_int_equal(STREAM_ADD(&r, "fd", "2", "plaintext", "dst", "1.1.1.1"), -1);
	assert_non_null(strstr(errors(), "unknown argument \"dst\""));

	/* set: output none clears; none and ids do not mix. */
	assert_int_equal(STREAM_SET(&r, "id", "1", "output", "none"), 0);
	assert_true(r.has_outputs);
	assert_int_equal(r.noutputs, 0);
	assert_int_equal(STREAM_SET(&r, "id", "1", "output", "none", "output", "2"), -1);
	assert_non_null(strstr(errors(), "cannot be combined"));
	assert_int_equal(STREAM_SET(&r, "id", "1", "output", "2", "output", "none"), -1);
	assert_non_null(strstr(errors(), "cannot be combined"));
	assert_int_equal(STREAM_SET(&r, "id", "1", "pt", "0", "priority", "priority", "label", "x"), 0);
	assert_int_equal(r.priority, 128);
	assert_int_equal(STREAM_SET(&r, "id", "1", "window", "128"), -1);
	assert_non_null(strstr(errors(), "unknown argument \"window\""));
	assert_int_equal(STREAM_SET(&r, "id", "1"), -1);
	assert_non_null(strstr(errors(), "nothing to set"));
}

static void key_grammar(void **state)
{
	struct key_req r;

	assert_int_equal(key_add_parse("key add", 4, ARGV("output", "3", "inline:" K30 "|5:1", "active"), &r), 0);
	assert_true(r.output && r.key.active);
	assert_int_equal(r.id, 3);
	assert_int_equal(r.key.mki, 5);
	assert_int_equal(key_add_parse("key add", 3, ARGV("stream", "4", "inline:" K28), &r), 0);
	assert_false(r.output);
	assert_int_equal(r.key.len, 28);

	assert_int_equal(key_add_parse("key add", 4, ARGV("stream", "4", "inline:" K28, "active"), &r), -1);
	assert_non_null(strstr(errors(), "\"active\" is for outputs"));
	assert_int_equal(r.key.len, 0);
	assert_int_equal(key_add_parse("key add", 2, ARGV("stream", "4"), &r), -1);
	assert_non_null(strstr(errors(), "missing KEYSPEC"));
	assert_int_equal(key_add_parse("key add", 3, ARGV("sink", "4", "inline:" K28), &r), -1);
	assert_non_null(strstr(errors(), "expected \"stream N\" or \"output N\", not \"sink\""));
	assert_int_equal(key_add_parse("key add", 4, ARGV("output", "4", "inline:" K28, "now"), &r), -1);
	assert_non_null(strstr(errors(), "unexpected argument \"now\""));

	assert_int_equal(key_del_parse("key del", 4, ARGV("output", "3", "mki", "5"), &r), 0);
	assert_int_equal(r.key.mki, 5);
	assert_int_equal(key_del_parse("key del", 3, ARGV("output", "3", "mki"), &r), -1);
	assert_string_equal(errors(), "heraldctl: key del: \"mki\" needs a value\n");
	assert_int_equal(key_del_parse("key del", 4, ARGV("output", "3", "id", "5"), &r), -1);
	assert_non_null(strstr(errors(), "expected \"mki M\""));
	assert_int_equal(key_del_parse("key del", 1, ARGV("output"), &r), -1);
	assert_string_equal(errors(), "heraldctl: key del: \"output\" needs a value\n");
}

/* A request as obj_run() sends it, its HERALD_A_* attributes parsed. */
static struct nl_msg *request(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, 0x20, 0, NLM_F_ACK, 1, HERALD_GENL_VERSION));
	return msg;
}

static void parse_request(struct nl_msg *msg, int attr, struct nlattr **tb, int max)
{
	struct nlattr *top[HERALD_A_MAX + 1];

	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, top, HERALD_A_MAX, NULL), 0);
	assert_non_null(top[attr]);
	/* Only the one object nest. */
	assert_int_equal(genlmsg_attrlen(genlmsg_hdr(nlmsg_hdr(msg)), 0), nla_total_size(nla_len(top[attr])));
	assert_int_equal(nla_parse_nested(tb, max, top[attr], NULL), 0);
}

static void build_output(void **state)
{
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1], *ktb[HERALD_KEY_A_MAX + 1];
	struct output_req r;
	struct nl_msg *msg;
	struct nlattr *k;
	int rem, n = 0;

	assert_int_equal(OUTPUT_ADD(&r, "dst", "239.1.2.3", "port", "5004", "ttl", "3", "label", "x",
				    "suite", "AES_CM_128_HMAC_SHA1_32",
				    "key", "inline:" K30 "|7:2", "key", "inline:" K30 "|8:2"), 0);
	msg = request();
	assert_int_equal(output_build(msg, &r), 0);
	parse_request(msg, HERALD_A_OUTPUT, tb, HERALD_OUTPUT_A_MAX);
	assert_int_equal(nla_len(tb[HERALD_OUTPUT_A_DST_ADDR]), 4);
	assert_memory_equal(nla_data(tb[HERALD_OUTPUT_A_DST_ADDR]), "\xef\x01\x02\x03", 4);
	assert_int_equal(nla_get_u16(tb[HERALD_OUTPUT_A_DST_PORT]), 5004);
	assert_int_equal(nla_get_u8(tb[HERALD_OUTPUT_A_TTL]), 3);
	assert_string_equal(nla_get_string(tb[HERALD_OUTPUT_A_LABEL]), "x");
	assert_int_equal(nla_get_u32(tb[HERALD_OUTPUT_A_SUITE]), HERALD_SUITE_AES_CM_128_HMAC_SHA1_32);
	/* What was not given is not sent: the module picks its defaults. */
	assert_null(tb[HERALD_OUTPUT_A_ID]);
	assert_null(tb[HERALD_OUTPUT_A_DSCP]);
	assert_null(tb[HERALD_OUTPUT_A_IFINDEX]);
	assert_null(tb[HERALD_OUTPUT_A_PLAINTEXT]);
	nla_for_each_nested(k, tb[HERALD_OUTPUT_A_KEYS], rem) {
		assert_int_equal(nla_type(k), HERALD_A_KEY);
		assert_int_equal(nla_parse_nested(ktb, HERALD_KEY_A_MAX, k, NULL), 0);
		assert_int_equal(nla_len(ktb[HERALD_KEY_A_MATERIAL]), 30);
		assert_memory_equal(nla_data(ktb[HERALD_KEY_A_MATERIAL]), r.keys[0].material, 30);
		assert_int_equal(nla_get_u32(ktb[HERALD_KEY_A_MKI_ID]), 7 + n);
		assert_int_equal(nla_get_u8(ktb[HERALD_KEY_A_MKI_LEN]), 2);
		assert_null(ktb[HERALD_KEY_A_ACTIVE]);
		n++;
	}
	assert_int_equal(n, 2);
	hnl_msg_free(msg);
	output_req_wipe(&r);
	assert_int_equal(r.keys[0].material[5], 0);

	/* show id N: the id alone. */
	assert_int_equal(output_id_parse("output show", 2, ARGV("id", "12"), true, &r), 0);
	msg = request();
	assert_int_equal(output_build(msg, &r), 0);
	parse_request(msg, HERALD_A_OUTPUT, tb, HERALD_OUTPUT_A_MAX);
	assert_int_equal(nla_get_u32(tb[HERALD_OUTPUT_A_ID]), 12);
	assert_null(tb[HERALD_OUTPUT_A_KEYS]);
	assert_null(tb[HERALD_OUTPUT_A_DST_ADDR]);
	hnl_msg_free(msg);
}

static void build_stream(void **state)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct stream_req r;
	struct nl_msg *msg;
	struct nlattr *a;
	int rem, n;

	assert_int_equal(STREAM_ADD(&r, "local", "ff02::1", "port", "5004", "plaintext",
				    "ssrc", "0xcafe", "priority", "9", "output", "4", "6",
				    "pt", "8,0,9-10", "window", "64"), 0);
	msg = request();
	assert_int_equal(stream_build(msg, &r), 0);
	parse_request(msg, HERALD_A_STREAM, tb, HERALD_STREAM_A_MAX);
	assert_int_equal(nla_len(tb[HERALD_STREAM_A_LOCAL_ADDR]), 16);
	assert_int_equal(nla_get_u16(tb[HERALD_STREAM_A_LOCAL_PORT]), 5004);
	assert_non_null(tb[HERALD_STREAM_A_PLAINTEXT]);
	assert_null(tb[HERALD_STREAM_A_SUITE]);
	assert_null(tb[HERALD_STREAM_A_KEYS]);
	assert_null(tb[HERALD_STREAM_A_FD]);
	assert_int_equal(nla_get_u32(tb[HERALD_STREAM_A_SSRC]), 0xcafe);
	assert_int_equal(nla_get_u8(tb[HERALD_STREAM_A_PRIORITY]), 9);
	assert_int_equal(nla_get_u16(tb[HERALD_STREAM_A_REPLAY_WINDOW]), 64);
	n = 0;
	nla_for_each_nested(a, tb[HERALD_STREAM_A_OUTPUTS], rem) {
		assert_int_equal(nla_type(a), HERALD_A_OUTPUT_ID);
		assert_int_equal(nla_get_u32(a), n ? 6 : 4);
		n++;
	}
	assert_int_equal(n, 2);
	n = 0;
	nla_for_each_nested(a, tb[HERALD_STREAM_A_PAYLOAD_TYPES], rem) {
		static const uint8_t want[] = { 0, 8, 9, 10 };

		assert_int_equal(nla_type(a), HERALD_A_PT);
		assert_int_equal(nla_get_u8(a), want[n]);
		n++;
	}
	assert_int_equal(n, 4);
	hnl_msg_free(msg);

	/* "output none" sends an empty list, which clears the outputs. */
	assert_int_equal(STREAM_SET(&r, "id", "2", "output", "none"), 0);
	msg = request();
	assert_int_equal(stream_build(msg, &r), 0);
	parse_request(msg, HERALD_A_STREAM, tb, HERALD_STREAM_A_MAX);
	assert_non_null(tb[HERALD_STREAM_A_OUTPUTS]);
	assert_int_equal(nla_len(tb[HERALD_STREAM_A_OUTPUTS]), 0);
	assert_null(tb[HERALD_STREAM_A_PAYLOAD_TYPES]);
	hnl_msg_free(msg);
}

static void build_key(void **state)
{
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1], *ktb[HERALD_KEY_A_MAX + 1];
	struct key_req r;
	struct nl_msg *msg;
	struct nlattr *k;
	int rem, n = 0;

	assert_int_equal(key_add_parse("key add", 4, ARGV("output", "3", "inline:" K30 "|5:1", "active"), &r), 0);
	msg = request();
	assert_int_equal(key_build(msg, &r), 0);
	parse_request(msg, HERALD_A_OUTPUT, tb, HERALD_OUTPUT_A_MAX);
	assert_int_equal(nla_get_u32(tb[HERALD_OUTPUT_A_ID]), 3);
	nla_for_each_nested(k, tb[HERALD_OUTPUT_A_KEYS], rem) {
		assert_int_equal(nla_parse_nested(ktb, HERALD_KEY_A_MAX, k, NULL), 0);
		assert_int_equal(nla_len(ktb[HERALD_KEY_A_MATERIAL]), 30);
		assert_int_equal(nla_get_u32(ktb[HERALD_KEY_A_MKI_ID]), 5);
		assert_non_null(ktb[HERALD_KEY_A_ACTIVE]);
		n++;
	}
	assert_int_equal(n, 1);
	hnl_msg_free(msg);

	/* del: the stream's nest, one key holding nothing but its MKI. */
	assert_int_equal(key_del_parse("key del", 4, ARGV("stream", "8", "mki", "5"), &r), 0);
	msg = request();
	assert_int_equal(key_build(msg, &r), 0);
	parse_request(msg, HERALD_A_STREAM, tb, HERALD_STREAM_A_MAX);
	assert_int_equal(nla_get_u32(tb[HERALD_STREAM_A_ID]), 8);
	n = 0;
	nla_for_each_nested(k, tb[HERALD_STREAM_A_KEYS], rem) {
		assert_int_equal(nla_parse_nested(ktb, HERALD_KEY_A_MAX, k, NULL), 0);
		assert_null(ktb[HERALD_KEY_A_MATERIAL]);
		assert_null(ktb[HERALD_KEY_A_MKI_LEN]);
		assert_int_equal(nla_get_u32(ktb[HERALD_KEY_A_MKI_ID]), 5);
		n++;
	}
	assert_int_equal(n, 1);
	hnl_msg_free(msg);
}

/* Replies laid out as herald_output_fill() and herald_stream_fill() do. */
static struct nlattr *reply_output(struct nl_msg *msg, bool plaintext)
{
	struct nlattr *nest, *list, *k;

	nest = nla_nest_start(msg, HERALD_A_OUTPUT);
	nla_put_u32(msg, HERALD_OUTPUT_A_ID, 4);
	nla_put_string(msg, HERALD_OUTPUT_A_LABEL, "lobby \"A\"");
	nla_put(msg, HERALD_OUTPUT_A_DST_ADDR, 4, "\xef\x01\x02\x03");
	nla_put_u16(msg, HERALD_OUTPUT_A_DST_PORT, 5004);
	nla_put_u32(msg, HERALD_OUTPUT_A_IFINDEX, 0);
	nla_put_u8(msg, HERALD_OUTPUT_A_TTL, 1);
	nla_put_u8(msg, HERALD_OUTPUT_A_DSCP, 46);
	nla_put_u32(msg, HERALD_OUTPUT_A_SSRC, 0x1a2b3c4d);
	nla_put_u32(msg, HERALD_OUTPUT_A_HOLDER, plaintext ? 0 : 3);
	if (plaintext) {
		nla_put_flag(msg, HERALD_OUTPUT_A_PLAINTEXT);
	} else {
		nla_put_u32(msg, HERALD_OUTPUT_A_SUITE, HERALD_SUITE_AEAD_AES_128_GCM);
		list = nla_nest_start(msg, HERALD_OUTPUT_A_KEYS);
		k = nla_nest_start(msg, HERALD_A_KEY);
		nla_put_u32(msg, HERALD_KEY_A_SUITE, HERALD_SUITE_AEAD_AES_128_GCM);
		nla_put_u32(msg, HERALD_KEY_A_MKI_ID, 1);
		nla_put_u8(msg, HERALD_KEY_A_MKI_LEN, 1);
		nla_put_flag(msg, HERALD_KEY_A_ACTIVE);
		nla_nest_end(msg, k);
		k = nla_nest_start(msg, HERALD_A_KEY);
		nla_put_u32(msg, HERALD_KEY_A_SUITE, HERALD_SUITE_AEAD_AES_128_GCM);
		nla_put_u32(msg, HERALD_KEY_A_MKI_ID, 2);
		nla_put_u8(msg, HERALD_KEY_A_MKI_LEN, 1);
		nla_nest_end(msg, k);
		nla_nest_end(msg, list);
	}
	list = nla_nest_start(msg, HERALD_OUTPUT_A_STATS);
	nla_put_u64(msg, HERALD_STAT_PACKETS, 10);
	nla_put_u64(msg, HERALD_STAT_BYTES, 1600);
	nla_put_u64(msg, HERALD_STAT_TX_ERRORS, 1);
	nla_put_u64(msg, HERALD_STAT_DROP_BUSY, 2);
	nla_nest_end(msg, list);
	nla_nest_end(msg, nest);
	return nest;
}

static char *out_buf;
static size_t out_len;

static FILE *capture_output(bool json)
{
	FILE *fp = open_memstream(&out_buf, &out_len);

	assert_non_null(fp);
	output_init(fp, json, false);
	return fp;
}

static void show_output(void **state)
{
	struct nl_msg *msg = request();
	struct nlattr *nest = reply_output(msg, false);
	FILE *fp;

	assert_int_equal(output_valid(nest), 0);
	fp = capture_output(true);
	output_list_begin();
	output_show(nest);
	assert_int_equal(output_list_end(), 0);
	fclose(fp);
	assert_string_equal(out_buf,
		"[{\"id\":4,\"label\":\"lobby \\\"A\\\"\",\"dst\":\"239.1.2.3\",\"port\":5004,"
		"\"ifindex\":0,\"dev\":null,\"ttl\":1,\"dscp\":46,\"ssrc\":439041101,\"holder\":3,"
		"\"plaintext\":false,\"suite\":\"AEAD_AES_128_GCM\",\"keys\":["
		"{\"mki\":1,\"mki_len\":1,\"active\":true},{\"mki\":2,\"mki_len\":1,\"active\":false}],"
		"\"stats\":{\"packets\":10,\"bytes\":1600,\"tx_errors\":1,\"drop_busy\":2}}]\n");
	free(out_buf);

	fp = capture_output(false);
	output_show(nest);
	fclose(fp);
	assert_string_equal(out_buf,
		"output 4 label \"lobby \"A\"\"\n"
		"\tdst 239.1.2.3 port 5004 ttl 1 dscp 46\n"
		"\tssrc 0x1a2b3c4d held by stream 3\n"
		"\tsuite AEAD_AES_128_GCM\n"
		"\tkey mki 1/len 1 active\n"
		"\tkey mki 2/len 1\n"
		"\tpackets 10 bytes 1600 tx_errors 1\n"
		"\tdrop: busy 2\n");
	free(out_buf);
	nlmsg_free(msg);

	msg = request();
	nest = reply_output(msg, true);
	fp = capture_output(false);
	output_show(nest);
	fclose(fp);
	assert_non_null(strstr(out_buf, "held by none\n\tplaintext\n\tpackets"));
	free(out_buf);
	nlmsg_free(msg);

	/* No destination: refused before anything is printed. */
	msg = request();
	nest = nla_nest_start(msg, HERALD_A_OUTPUT);
	nla_put_u32(msg, HERALD_OUTPUT_A_ID, 4);
	nla_put_u16(msg, HERALD_OUTPUT_A_DST_PORT, 5004);
	nla_nest_end(msg, nest);
	assert_int_equal(output_valid(nest), -1);
	nlmsg_free(msg);
	/* An address of 5 bytes. */
	msg = request();
	nest = nla_nest_start(msg, HERALD_A_OUTPUT);
	nla_put_u32(msg, HERALD_OUTPUT_A_ID, 4);
	nla_put(msg, HERALD_OUTPUT_A_DST_ADDR, 5, "\xef\x01\x02\x03\x04");
	nla_put_u16(msg, HERALD_OUTPUT_A_DST_PORT, 5004);
	nla_nest_end(msg, nest);
	assert_int_equal(output_valid(nest), -1);
	nlmsg_free(msg);
}

static struct nlattr *reply_stream(struct nl_msg *msg)
{
	struct nlattr *nest, *list, *s;

	nest = nla_nest_start(msg, HERALD_A_STREAM);
	nla_put_u32(msg, HERALD_STREAM_A_ID, 2);
	nla_put_string(msg, HERALD_STREAM_A_LABEL, "");
	nla_put(msg, HERALD_STREAM_A_LOCAL_ADDR, 16, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01");
	nla_put_u16(msg, HERALD_STREAM_A_LOCAL_PORT_BOUND, 5004);
	nla_put_flag(msg, HERALD_STREAM_A_PLAINTEXT);
	nla_put_u16(msg, HERALD_STREAM_A_REPLAY_WINDOW, 128);
	nla_put_u8(msg, HERALD_STREAM_A_PRIORITY, 255);
	list = nla_nest_start(msg, HERALD_STREAM_A_OUTPUTS);
	nla_put_u32(msg, HERALD_A_OUTPUT_ID, 4);
	nla_put_u32(msg, HERALD_A_OUTPUT_ID, 9);
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, HERALD_STREAM_A_PAYLOAD_TYPES);
	nla_put_u8(msg, HERALD_A_PT, 0);
	nla_put_u8(msg, HERALD_A_PT, 8);
	nla_put_u8(msg, HERALD_A_PT, 96);
	nla_put_u8(msg, HERALD_A_PT, 97);
	nla_put_u8(msg, HERALD_A_PT, 98);
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, HERALD_STREAM_A_STATS);
	nla_put_u64(msg, HERALD_STAT_PACKETS, 5);
	nla_put_u64(msg, HERALD_STAT_BYTES, 800);
	nla_put_u64(msg, HERALD_STAT_DROP_MALFORMED, 0);
	nla_put_u64(msg, HERALD_STAT_DROP_AUTH, 3);
	nla_put_u64(msg, HERALD_STAT_PASSED, 1);
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, HERALD_STREAM_A_SSRCS);
	s = nla_nest_start(msg, HERALD_A_SSRC);
	nla_put_u32(msg, HERALD_SSRC_A_SSRC, 0xdeadbeef);
	nla_put_u64(msg, HERALD_SSRC_A_PACKETS, 5);
	nla_put_u32(msg, HERALD_SSRC_A_EXT_HIGHEST_SEQ, 0x10005);
	nla_put_u32(msg, HERALD_SSRC_A_LOST, (uint32_t)-2);
	nla_put_u32(msg, HERALD_SSRC_A_JITTER, 12);
	nla_put_u32(msg, HERALD_SSRC_A_ACTIVE_KEY_MKI, 0);
	nla_nest_end(msg, s);
	nla_nest_end(msg, list);
	nla_nest_end(msg, nest);
	return nest;
}

static void show_stream(void **state)
{
	struct nl_msg *msg = request();
	struct nlattr *nest = reply_stream(msg);
	FILE *fp;

	assert_int_equal(stream_valid(nest), 0);
	fp = capture_output(true);
	output_list_begin();
	stream_show(nest);
	assert_int_equal(output_list_end(), 0);
	fclose(fp);
	assert_string_equal(out_buf,
		"[{\"id\":2,\"label\":\"\",\"local\":\"ff02::1\",\"owned\":true,\"port\":5004,"
		"\"ifindex\":0,\"dev\":null,\"plaintext\":true,\"suite\":null,\"keys\":[],"
		"\"window\":128,\"ssrc_filter\":null,\"priority\":255,\"priority_name\":\"emergency\","
		"\"sink\":null,\"outputs\":[4,9],\"payload_types\":[0,8,96,97,98],"
		"\"stats\":{\"packets\":5,\"bytes\":800,\"passed\":1,\"drop_malformed\":0,\"drop_auth\":3},"
		"\"ssrcs\":[{\"ssrc\":3735928559,\"packets\":5,\"ext_highest_seq\":65541,\"lost\":-2,"
		"\"jitter\":12,\"mki\":0}]}]\n");
	free(out_buf);

	fp = capture_output(false);
	stream_show(nest);
	fclose(fp);
	assert_string_equal(out_buf,
		"stream 2\n"
		"\tlocal ff02::1 port 5004\n"
		"\tplaintext\n"
		"\twindow 128 ssrc any priority emergency\n"
		"\toutputs 4 9\n"
		"\tpt 0,8,96-98\n"
		"\tpackets 5 bytes 800 passed 1\n"
		"\tdrop: malformed 0 auth 3\n"
		"\tssrc 0xdeadbeef: packets 5 ext_highest_seq 65541 lost -2 jitter 12 mki 0\n");
	free(out_buf);
	nlmsg_free(msg);

	/* A payload type past 127 or a short counter: malformed. */
	msg = request();
	nest = nla_nest_start(msg, HERALD_A_STREAM);
	nla_put_u32(msg, HERALD_STREAM_A_ID, 2);
	{
		struct nlattr *list = nla_nest_start(msg, HERALD_STREAM_A_PAYLOAD_TYPES);

		nla_put_u8(msg, HERALD_A_PT, 200);
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, nest);
	assert_int_equal(stream_valid(nest), -1);
	nlmsg_free(msg);
	msg = request();
	nest = nla_nest_start(msg, HERALD_A_STREAM);
	nla_put_u32(msg, HERALD_STREAM_A_ID, 2);
	{
		struct nlattr *list = nla_nest_start(msg, HERALD_STREAM_A_STATS);

		nla_put_u32(msg, HERALD_STAT_PACKETS, 1);
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, nest);
	assert_int_equal(stream_valid(nest), -1);
	nlmsg_free(msg);
}

#define SINK_ADD(req, ...) sink_add_parse("sink add", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), req)
#define SINK_SET(req, ...) sink_set_parse("sink set", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), req)

static void sink_grammar(void **state)
{
	struct nlattr *tb[HERALD_SINK_A_MAX + 1], *stb[HERALD_STREAM_A_MAX + 1];
	struct stream_req sr;
	struct sink_req r;
	struct nl_msg *msg;

	assert_int_equal(SINK_ADD(&r, "card", "1", "device", "2", "rate", "16000", "period", "160",
				  "buffer", "640", "volume", "-6", "emergency-volume", "3",
				  "delay", "80", "label", "hall"), 0);
	assert_string_equal(errors(), "");
	msg = request();
	assert_int_equal(sink_build(msg, &r), 0);
	parse_request(msg, HERALD_A_SINK, tb, HERALD_SINK_A_MAX);
	assert_int_equal(nla_get_u32(tb[HERALD_SINK_A_CARD]), 1);
	assert_int_equal(nla_get_u32(tb[HERALD_SINK_A_DEVICE]), 2);
	assert_int_equal(nla_get_u32(tb[HERALD_SINK_A_RATE]), 16000);
	assert_int_equal(nla_get_u32(tb[HERALD_SINK_A_PERIOD_FRAMES]), 160);
	assert_int_equal(nla_get_u32(tb[HERALD_SINK_A_BUFFER_FRAMES]), 640);
	assert_int_equal((int32_t)nla_get_u32(tb[HERALD_SINK_A_VOLUME_DB]), -6);
	assert_int_equal((int32_t)nla_get_u32(tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB]), 3);
	assert_int_equal(nla_get_u32(tb[HERALD_SINK_A_TARGET_DELAY_MS]), 80);
	assert_string_equal(nla_get_string(tb[HERALD_SINK_A_LABEL]), "hall");
	assert_null(tb[HERALD_SINK_A_ID]);
	nlmsg_free(msg);

	/* The card alone: the module picks the defaults. */
	assert_int_equal(SINK_ADD(&r, "card", "0"), 0);
	msg = request();
	assert_int_equal(sink_build(msg, &r), 0);
	parse_request(msg, HERALD_A_SINK, tb, HERALD_SINK_A_MAX);
	assert_non_null(tb[HERALD_SINK_A_CARD]);
	assert_null(tb[HERALD_SINK_A_RATE]);
	assert_null(tb[HERALD_SINK_A_TARGET_DELAY_MS]);
	nlmsg_free(msg);

	/* By id: the string goes as CARD_ID, no index. */
	assert_int_equal(SINK_ADD(&r, "card", "Loopback"), 0);
	msg = request();
	assert_int_equal(sink_build(msg, &r), 0);
	parse_request(msg, HERALD_A_SINK, tb, HERALD_SINK_A_MAX);
	assert_null(tb[HERALD_SINK_A_CARD]);
	assert_string_equal(nla_get_string(tb[HERALD_SINK_A_CARD_ID]), "Loopback");
	nlmsg_free(msg);
	assert_int_equal(SINK_ADD(&r, "card", "PCH_2-x"), 0);
	assert_int_equal(SINK_ADD(&r, "card", "32"), -1);
	assert_string_equal(errors(),
			    "heraldctl: sink add: card: expected an index 0..31 or an id, not \"32\"\n");
	assert_int_equal(SINK_ADD(&r, "card", "Loop back"), -1);
	assert_string_not_equal(errors(), "");
	assert_int_equal(SINK_ADD(&r, "card", "ABCDEFGHIJKLMNOP"), -1);	/* 16 */
	assert_string_equal(errors(),
			    "heraldctl: sink add: card: expected an index 0..31 or an id of 1..15 letters, digits, '_' or '-', not \"ABCDEFGHIJKLMNOP\"\n");
	assert_int_equal(SINK_ADD(&r, "card", ""), -1);
	assert_string_not_equal(errors(), "");
	assert_int_equal(SINK_ADD(&r, "card", "Loopback", "card", "0"), -1);
	assert_string_not_equal(errors(), "");

	assert_int_equal(SINK_ADD(&r, "device", "0"), -1);
	assert_string_equal(errors(), "heraldctl: sink add: missing \"card N|ID\"\n");
	assert_int_equal(SINK_ADD(&r, "card", "0", "rate", "44100"), -1);
	assert_string_equal(errors(),
			    "heraldctl: sink add: rate: expected 8000, 16000 or 48000, not \"44100\"\n");
	assert_int_equal(SINK_ADD(&r, "card", "0", "delay", "10"), -1);
	assert_string_equal(errors(), "heraldctl: sink add: delay: expected 20..500, not \"10\"\n");
	assert_int_equal(SINK_ADD(&r, "card", "0", "volume", "25"), -1);
	assert_string_equal(errors(),
			    "heraldctl: sink add: volume: expected -96..24 (dB), not \"25\"\n");
	assert_int_equal(SINK_ADD(&r, "card", "0", "card", "1"), -1);
	assert_string_not_equal(errors(), "");
	assert_int_equal(SINK_SET(&r, "id", "3", "rate", "8000"), -1);
	assert_string_equal(errors(),
			    "heraldctl: sink set: unknown argument \"rate\"; try \"heraldctl sink help\"\n");
	assert_int_equal(SINK_SET(&r, "id", "3"), -1);
	assert_string_not_equal(errors(), "");
	assert_int_equal(SINK_SET(&r, "id", "3", "volume", "-10"), 0);
	assert_true(r.has_volume && r.volume_db == -10);

	/* A stream names its sink; "none" detaches it. */
	assert_int_equal(STREAM_SET(&sr, "id", "2", "sink", "5"), 0);
	assert_true(sr.has_sink && sr.sink == 5);
	msg = request();
	assert_int_equal(stream_build(msg, &sr), 0);
	parse_request(msg, HERALD_A_STREAM, stb, HERALD_STREAM_A_MAX);
	assert_int_equal(nla_get_u32(stb[HERALD_STREAM_A_SINK]), 5);
	nlmsg_free(msg);
	assert_int_equal(STREAM_SET(&sr, "id", "2", "sink", "none"), 0);
	assert_true(sr.has_sink && sr.sink == 0);
	assert_int_equal(STREAM_SET(&sr, "id", "2", "sink", "0"), -1);
	assert_string_not_equal(errors(), "");
}

static void show_sink(void **state)
{
	struct nl_msg *msg = request();
	struct nlattr *nest, *stats;
	FILE *fp;

	nest = nla_nest_start(msg, HERALD_A_SINK);
	nla_put_u32(msg, HERALD_SINK_A_ID, 3);
	nla_put_string(msg, HERALD_SINK_A_LABEL, "hall");
	nla_put_u32(msg, HERALD_SINK_A_CARD, 0);
	nla_put_u32(msg, HERALD_SINK_A_DEVICE, 0);
	nla_put_u32(msg, HERALD_SINK_A_RATE, 48000);
	nla_put_u32(msg, HERALD_SINK_A_PERIOD_FRAMES, 480);
	nla_put_u32(msg, HERALD_SINK_A_BUFFER_FRAMES, 1920);
	nla_put_s32(msg, HERALD_SINK_A_VOLUME_DB, -6);
	nla_put_s32(msg, HERALD_SINK_A_EMERGENCY_VOLUME_DB, 0);
	nla_put_u32(msg, HERALD_SINK_A_TARGET_DELAY_MS, 60);
	nla_put_u32(msg, HERALD_SINK_A_LEVEL_US, 45000);
	nla_put_u32(msg, HERALD_SINK_A_HOLDER, 2);
	nla_put_u8(msg, HERALD_SINK_A_PCM_OPEN, 1);
	nla_put_s32(msg, HERALD_SINK_A_ERROR, 0);
	nla_put_u32(msg, HERALD_SINK_A_CHANNELS, 1);
	stats = nla_nest_start(msg, HERALD_SINK_A_STATS);
	nla_put_u64(msg, HERALD_STAT_PACKETS, 50);
	nla_put_u64(msg, HERALD_STAT_FRAMES_PLAYED, 48000);
	nla_put_u64(msg, HERALD_STAT_CONCEALED, 160);
	nla_put_u64(msg, HERALD_STAT_DROP_CODEC, 1);
	nla_nest_end(msg, stats);
	nla_nest_end(msg, nest);

	assert_int_equal(sink_valid(nest), 0);
	fp = capture_output(true);
	output_list_begin();
	sink_show(nest);
	assert_int_equal(output_list_end(), 0);
	fclose(fp);
	assert_string_equal(out_buf,
		"[{\"id\":3,\"label\":\"hall\",\"card\":0,\"device\":0,\"rate\":48000,"
		"\"period\":480,\"buffer\":1920,\"volume\":-6,\"emergency_volume\":0,\"delay\":60,"
		"\"holder\":2,\"pcm_open\":true,\"channels\":1,\"level_us\":45000,\"error\":0,"
		"\"stats\":{\"packets\":50,\"frames_played\":48000,\"concealed\":160,"
		"\"drop_codec\":1}}]\n");
	free(out_buf);
	fp = capture_output(false);
	sink_show(nest);
	fclose(fp);
	assert_string_equal(out_buf,
		"sink 3 label \"hall\"\n"
		"\tcard 0 device 0 rate 48000 period 480 buffer 1920\n"
		"\tvolume -6 dB emergency-volume 0 dB delay 60 ms\n"
		"\tplaying stream 2 pcm on channels 1 level 45000 us\n"
		"\tpackets 50 frames_played 48000 concealed 160\n"
		"\tdrop: codec 1\n");
	free(out_buf);
	nlmsg_free(msg);

	/* A card named by id is shown by id. */
	msg = request();
	nest = nla_nest_start(msg, HERALD_A_SINK);
	nla_put_u32(msg, HERALD_SINK_A_ID, 4);
	nla_put_string(msg, HERALD_SINK_A_CARD_ID, "Loopback");
	nla_put_u32(msg, HERALD_SINK_A_DEVICE, 0);
	nla_put_u32(msg, HERALD_SINK_A_RATE, 48000);
	nla_nest_end(msg, nest);
	assert_int_equal(sink_valid(nest), 0);
	fp = capture_output(true);
	output_list_begin();
	sink_show(nest);
	assert_int_equal(output_list_end(), 0);
	fclose(fp);
	assert_non_null(strstr(out_buf, "\"card_id\":\"Loopback\",\"device\":0"));
	assert_null(strstr(out_buf, "\"card\":"));
	free(out_buf);
	fp = capture_output(false);
	sink_show(nest);
	fclose(fp);
	assert_non_null(strstr(out_buf, "\tcard Loopback device 0 rate 48000"));
	free(out_buf);
	nlmsg_free(msg);

	/* No card: refused before anything is printed. */
	msg = request();
	nest = nla_nest_start(msg, HERALD_A_SINK);
	nla_put_u32(msg, HERALD_SINK_A_ID, 3);
	nla_nest_end(msg, nest);
	assert_int_equal(sink_valid(nest), -1);
	nlmsg_free(msg);
}

/* A 16 kHz mono 16-bit WAV of @n bytes of audio, with @rate and @channels. */
static size_t wav(uint8_t *buf, uint32_t rate, uint16_t channels, uint32_t n)
{
	static const uint8_t audio[8] = { 1, 0, 2, 0, 0xff, 0xff, 0, 0x80 };
	uint8_t *p = buf;

#define PUT32(v) do { uint32_t v_ = (v); for (int i_ = 0; i_ < 4; i_++) *p++ = (uint8_t)(v_ >> (8 * i_)); } while (0)
#define PUT16(v) do { *p++ = (uint8_t)(v); *p++ = (uint8_t)((v) >> 8); } while (0)
	memcpy(p, "RIFF", 4), p += 4;
	PUT32(36 + n);
	memcpy(p, "WAVEfmt ", 8), p += 8;
	PUT32(16);
	PUT16(1);
	PUT16(channels);
	PUT32(rate);
	PUT32(rate * 2 * channels);
	PUT16(2 * channels);
	PUT16(16);
	memcpy(p, "data", 4), p += 4;
	PUT32(n);
	memcpy(p, audio, sizeof(audio));
	return 44 + sizeof(audio);
#undef PUT32
#undef PUT16
}

static void tone_files(void **state)
{
	static uint8_t big[HERALD_SINK_TONE_MAX_BYTES + 2];
	uint8_t buf[64], *pcm = NULL;
	uint32_t len = 0;
	size_t n;

	n = wav(buf, 16000, 1, 8);
	assert_int_equal(tone_file_parse("sink add", "t.wav", buf, n, &pcm, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(pcm, buf + 44, 8);
	free(pcm);
	/* Another rate, stereo: refused, saying what the file holds. */
	n = wav(buf, 48000, 1, 8);
	assert_int_equal(tone_file_parse("sink add", "t.wav", buf, n, &pcm, &len), -1);
	assert_non_null(strstr(errors(), "t.wav: a tone is 16 kHz mono 16-bit PCM; this WAV is PCM, 48000 Hz, 1 channel, 16 bits"));
	n = wav(buf, 16000, 2, 8);
	assert_int_equal(tone_file_parse("sink add", "t.wav", buf, n, &pcm, &len), -1);
	assert_non_null(strstr(errors(), "16000 Hz, 2 channels"));
	/* A data chunk longer than the file. */
	n = wav(buf, 16000, 1, 800);
	assert_int_equal(tone_file_parse("sink add", "t.wav", buf, n, &pcm, &len), -1);
	assert_non_null(strstr(errors(), "chunk \"data\" runs past the end of the file"));
	/* Raw: pairs of bytes, 2 s at most, not empty. */
	assert_int_equal(tone_file_parse("sink add", "t.raw", big, 7, &pcm, &len), -1);
	assert_non_null(strstr(errors(), "t.raw: 7 bytes: 16-bit samples come in pairs of bytes"));
	assert_int_equal(tone_file_parse("sink add", "t.raw", big, sizeof(big), &pcm, &len), -1);
	assert_non_null(strstr(errors(), "a tone is at most 2.00 s (64000 bytes at 16 kHz)"));
	assert_int_equal(tone_file_parse("sink add", "t.raw", big, 0, &pcm, &len), -1);
	assert_int_equal(tone_file_parse("sink add", "t.raw", big, sizeof(big) - 2, &pcm, &len), 0);
	assert_int_equal(len, HERALD_SINK_TONE_MAX_BYTES);
	free(pcm);
}

/* Stream volume offset and tone; the sink's tone ("builtin": empty). */
static void tone_grammar(void **state)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1], *ktb[HERALD_SINK_A_MAX + 1];
	struct stream_req sr;
	struct sink_req r;
	struct nl_msg *msg;

	assert_int_equal(STREAM_SET(&sr, "id", "2", "volume-offset", "-6", "tone", "on"), 0);
	msg = request();
	assert_int_equal(stream_build(msg, &sr), 0);
	parse_request(msg, HERALD_A_STREAM, tb, HERALD_STREAM_A_MAX);
	assert_int_equal((int32_t)nla_get_u32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]), -6);
	assert_int_equal(nla_get_u8(tb[HERALD_STREAM_A_TONE]), 1);
	nlmsg_free(msg);
	assert_int_equal(STREAM_SET(&sr, "id", "2", "tone", "off"), 0);
	assert_true(sr.has_tone && !sr.tone && !sr.has_offset);
	assert_int_equal(STREAM_SET(&sr, "id", "2", "volume-offset", "-49"), -1);
	assert_non_null(strstr(errors(), "volume-offset: expected -48..24 (dB), not \"-49\""));
	assert_int_equal(STREAM_SET(&sr, "id", "2", "tone", "yes"), -1);
	assert_non_null(strstr(errors(), "tone: expected on or off, not \"yes\""));

	assert_int_equal(SINK_SET(&r, "id", "1", "tone", "builtin"), 0);
	assert_true(r.has_tone && !r.tone && !r.tone_len);
	msg = request();
	assert_int_equal(sink_build(msg, &r), 0);
	parse_request(msg, HERALD_A_SINK, ktb, HERALD_SINK_A_MAX);
	assert_non_null(ktb[HERALD_SINK_A_TONE_PCM]);
	assert_int_equal(nla_len(ktb[HERALD_SINK_A_TONE_PCM]), 0);
	nlmsg_free(msg);
	sink_req_free(&r);
	assert_int_equal(SINK_SET(&r, "id", "1", "tone", "/nonexistent/t.wav"), -1);
	assert_non_null(strstr(errors(), "/nonexistent/t.wav: No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyspec_good),
		cmocka_unit_test(keyspec_bad),
		cmocka_unit_test(keyspec_sources),
		cmocka_unit_test(suites),
		cmocka_unit_test(addresses),
		cmocka_unit_test(priorities),
		cmocka_unit_test(payload_types),
		cmocka_unit_test(numbers),
		cmocka_unit_test(output_grammar),
		cmocka_unit_test(stream_grammar),
		cmocka_unit_test(key_grammar),
		cmocka_unit_test(build_output),
		cmocka_unit_test(build_stream),
		cmocka_unit_test(build_key),
		cmocka_unit_test(show_output),
		cmocka_unit_test(show_stream),
		cmocka_unit_test(sink_grammar),
		cmocka_unit_test(show_sink),
		cmocka_unit_test(tone_files),
		cmocka_unit_test(tone_grammar),
	};

	return cmocka_run_group_tests(tests, capture_errors, release_errors);
}
