// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/g711.c.
 *
 * Reference: SoX. tests/unit/data/g711_{ulaw,alaw}.s16 hold SoX's decoding
 * of all 256 codes (made by tests/unit/data/gen_codec.sh; 512 bytes each),
 * so the decoders are always checked against an outside implementation. When
 * sox is installed, the test also runs it now: all 256 codes again, and all
 * 65536 16-bit samples through SoX's encoder (sox -D: no dither), so the
 * committed files cannot hide a change of SoX or of ours. Without sox, that
 * case is skipped with a message.
 *
 * Then properties that hold whatever any reference says: symmetry,
 * monotonicity, round trips, nearest-level encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "g711.h"

#ifndef HERALD_TEST_DATA
#define HERALD_TEST_DATA "tests/unit/data"
#endif

static const char *data_dir(void)
{
	const char *d = getenv("HERALD_TEST_DATA");

	return d && *d ? d : HERALD_TEST_DATA;
}

/* Reads exactly @len bytes of @path into @buf; fails the test otherwise. */
static void read_exact(const char *path, void *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		fail_msg("cannot open %s", path);
	got = fread(buf, 1, len, f);
	assert_int_equal(fgetc(f), EOF);
	fclose(f);
	if (got != len)
		fail_msg("%s: %zu bytes, expected %zu", path, got, len);
}

static void read_s16le(const char *path, s16 *v, size_t n)
{
	uint8_t raw[2 * 65536];
	size_t i;

	assert_true(n <= 65536);
	read_exact(path, raw, 2 * n);
	for (i = 0; i < n; i++)
		v[i] = (s16)(raw[2 * i] | raw[2 * i + 1] << 8);
}

static bool have_tool(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

static void check_decode_all(const char *what, s16 (*dec)(u8), const s16 *ref)
{
	unsigned int c, bad = 0;

	for (c = 0; c < 256; c++) {
		if (dec((u8)c) != ref[c]) {
			if (bad++ < 8)
				print_error("%s: code %#04x decodes to %d, reference %d\n",
					    what, c, dec((u8)c), ref[c]);
		}
	}
	assert_int_equal(bad, 0);
}

static void test_decode_vs_committed_sox(void **state)
{
	char path[4096];
	s16 ref[256];

	snprintf(path, sizeof(path), "%s/g711_ulaw.s16", data_dir());
	read_s16le(path, ref, 256);
	check_decode_all("mu-law", herald_ulaw_decode, ref);
	snprintf(path, sizeof(path), "%s/g711_alaw.s16", data_dir());
	read_s16le(path, ref, 256);
	check_decode_all("A-law", herald_alaw_decode, ref);
}

static void run_sox(const char *args)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "sox -D %s 2>/dev/null", args);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

static void test_vs_sox_now(void **state)
{
	static const struct {
		const char *enc;
		s16 (*dec)(u8);
		u8 (*encode)(s16);
	} law[] = {
		{ "mu-law", herald_ulaw_decode, herald_ulaw_encode },
		{ "a-law", herald_alaw_decode, herald_alaw_encode },
	};
	char dir[] = "/tmp/herald-g711-XXXXXX", args[4096];
	static uint8_t codes[65536], pcm[2 * 65536];
	s16 ref[256];
	unsigned int i, l, bad;
	FILE *f;

	if (!have_tool("sox")) {
		/*
		 * Not cmocka's skip(): its TAP output, "not ok N # SKIP",
		 * counts as a failure in tests/unit/run.sh.
		 */
		print_message("SKIPPED: sox not installed, no run-time comparison "
			      "(the committed SoX references were still checked)\n");
		return;
	}
	assert_non_null(mkdtemp(dir));

	for (i = 0; i < 256; i++)
		codes[i] = (uint8_t)i;
	for (i = 0; i < 65536; i++) {
		pcm[2 * i] = (uint8_t)i;		/* -32768 .. 32767 */
		pcm[2 * i + 1] = (uint8_t)((i >> 8) ^ 0x80);
	}
	snprintf(args, sizeof(args), "%s/codes.raw", dir);
	f = fopen(args, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(codes, 1, 256, f), 256);
	fclose(f);
	snprintf(args, sizeof(args), "%s/pcm.raw", dir);
	f = fopen(args, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pcm, 1, sizeof(pcm), f), sizeof(pcm));
	fclose(f);

	for (l = 0; l < 2; l++) {
		snprintf(args, sizeof(args),
			 "-t raw -r 8000 -e %s -b 8 -c 1 %s/codes.raw -t raw -e signed -b 16 -L %s/dec.raw",
			 law[l].enc, dir, dir);
		run_sox(args);
		snprintf(args, sizeof(args), "%s/dec.raw", dir);
		read_s16le(args, ref, 256);
		check_decode_all(law[l].enc, law[l].dec, ref);

		snprintf(args, sizeof(args),
			 "-t raw -r 8000 -e signed -b 16 -L -c 1 %s/pcm.raw -t raw -e %s -b 8 %s/enc.raw",
			 dir, law[l].enc, dir);
		run_sox(args);
		snprintf(args, sizeof(args), "%s/enc.raw", dir);
		read_exact(args, codes, 65536);
		bad = 0;
		for (i = 0; i < 65536; i++) {
			s16 x = (s16)(i - 32768);

			if (law[l].encode(x) != codes[i] && bad++ < 8)
				print_error("%s: %d encodes to %#04x, sox %#04x\n",
					    law[l].enc, x, law[l].encode(x), codes[i]);
		}
		assert_int_equal(bad, 0);
	}
	snprintf(args, sizeof(args), "rm -rf %s", dir);
	assert_int_equal(system(args), 0);
}

static void test_symmetry_and_order(void **state)
{
	unsigned int c;

	for (c = 0; c < 256; c++) {
		/* The sign bit mirrors the level: both laws are odd-symmetric. */
		assert_int_equal(herald_ulaw_decode((u8)(c ^ 0x80)), -herald_ulaw_decode((u8)c));
		assert_int_equal(herald_alaw_decode((u8)(c ^ 0x80)), -herald_alaw_decode((u8)c));
	}
	/* µ-law: codes 0x80..0xff go down from +full scale to +0. */
	for (c = 0x80; c < 0xff; c++)
		assert_true(herald_ulaw_decode((u8)c) > herald_ulaw_decode((u8)(c + 1)));
	/* A-law: the positive levels in order are codes 0x80..0xff xor 0x55. */
	for (c = 0; c < 127; c++)
		assert_true(herald_alaw_decode((u8)((0x80 | c) ^ 0x55)) <
			    herald_alaw_decode((u8)((0x80 | (c + 1)) ^ 0x55)));
	assert_int_equal(herald_ulaw_decode(0xff), 0);
	assert_int_equal(herald_ulaw_decode(0x7f), 0);
	assert_int_equal(herald_ulaw_decode(0x80), 32124);
	assert_int_equal(herald_alaw_decode(0xd5), 8);
	assert_int_equal(herald_alaw_decode(0xaa), 32256);
}

static void test_round_trip(void **state)
{
	unsigned int c;

	for (c = 0; c < 256; c++) {
		assert_int_equal(herald_alaw_encode(herald_alaw_decode((u8)c)), c);
		/* µ-law's -0 (0x7f) comes back as +0 (0xff). */
		assert_int_equal(herald_ulaw_encode(herald_ulaw_decode((u8)c)),
				 c == 0x7f ? 0xff : c);
	}
}

/*
 * Encoding is a monotonic quantiser whose error stays within half the step of
 * the segment it picks (plus the 14- or 13-bit rounding, 2 or 4), except
 * beyond the largest level where it clips. Not "the nearest level": G.711's
 * decision levels sit on the segment edges, not halfway between the levels
 * either side of an edge.
 */
static int ulaw_step(u8 c)
{
	return 8 << ((~c >> 4) & 7);		/* 2 << seg on 14 bits, times 4 */
}

static int alaw_step(u8 c)
{
	unsigned int seg = ((c ^ 0x55) >> 4) & 7;

	return seg < 2 ? 16 : 8 << seg;		/* 13-bit steps 2, 2, 4 .. 128 */
}

static void check_quantiser(s16 (*dec)(u8), u8 (*enc)(s16), int (*step)(u8), int round,
			    int full)
{
	int x, prev = -32768;

	for (x = -32768; x < 32768; x++) {
		u8 c = enc((s16)x);
		int level = dec(c), err = abs(level - x);

		assert_true(level >= prev);
		prev = level;
		if (abs(x) > full && abs(level) == full)
			continue;			/* clipped */
		if (err > step(c) / 2 + round)
			fail_msg("%d encodes to level %d (%#04x): error %d, step %d",
				 x, level, c, err, step(c));
	}
}

static void test_encode_quantiser(void **state)
{
	check_quantiser(herald_ulaw_decode, herald_ulaw_encode, ulaw_step, 2, 32124);
	check_quantiser(herald_alaw_decode, herald_alaw_encode, alaw_step, 4, 32256);
}

static void test_block_functions(void **state)
{
	u8 codes[256], back[256];
	s16 pcm[256];
	unsigned int i;

	for (i = 0; i < 256; i++)
		codes[i] = (u8)(i * 37 + 11);
	herald_g711_decode(HERALD_G711_ULAW, pcm, codes, 256);
	for (i = 0; i < 256; i++)
		assert_int_equal(pcm[i], herald_ulaw_decode(codes[i]));
	herald_g711_encode(HERALD_G711_ULAW, back, pcm, 256);
	for (i = 0; i < 256; i++)
		assert_int_equal(back[i], herald_ulaw_encode(pcm[i]));
	herald_g711_decode(HERALD_G711_ALAW, pcm, codes, 256);
	for (i = 0; i < 256; i++)
		assert_int_equal(pcm[i], herald_alaw_decode(codes[i]));
	herald_g711_encode(HERALD_G711_ALAW, back, pcm, 256);
	assert_memory_equal(back, codes, 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_vs_committed_sox),
		cmocka_unit_test(test_vs_sox_now),
		cmocka_unit_test(test_symmetry_and_order),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode_quantiser),
		cmocka_unit_test(test_block_functions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
