// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/g722.c, the G.722 (64 kbit/s) decoder.
 *
 * Reference: FFmpeg's G.722 decoder, which implements the spec's integer
 * algorithm; ours is meant to give the very same samples, so every
 * comparison here is bit-exact.
 *
 * - tests/unit/data/g722_ref.g722 (FFmpeg-encoded chirp, tone and full-scale
 *   square, 0.25 s) and g722_ref.s16 (FFmpeg's decoding of it), made by
 *   tests/unit/data/gen_codec.sh, always run;
 * - when ffmpeg is installed, fresh streams are made and compared now: loud
 *   white noise, a sweep over the whole band, a clipping square wave,
 *   silence, and random octets (which no encoder would produce but a network
 *   can: they drive every saturation in the decoder). Without ffmpeg that
 *   case says SKIPPED and passes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "g722.h"

#ifndef HERALD_TEST_DATA
#define HERALD_TEST_DATA "tests/unit/data"
#endif

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static const char *data_dir(void)
{
	const char *d = getenv("HERALD_TEST_DATA");

	return d && *d ? d : HERALD_TEST_DATA;
}

/* The whole of @path in a malloc'd buffer; its size in *@len. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		fail_msg("cannot open %s", path);
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf;
}

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static s16 *decode_all(const uint8_t *oct, size_t n)
{
	struct herald_g722_dec dec;
	s16 *pcm = malloc(2 * n * sizeof(*pcm) + 1);

	assert_non_null(pcm);
	herald_g722_init(&dec);
	herald_g722_decode(&dec, pcm, oct, n);
	return pcm;
}

/* Our decoding of @n octets against @ref, s16le from FFmpeg, @ref_len bytes. */
static void check_bit_exact(const char *what, const uint8_t *oct, size_t n,
			    const uint8_t *ref, size_t ref_len)
{
	s16 *pcm = decode_all(oct, n);
	size_t i, bad = 0, first = 0;
	int maxdiff = 0;

	assert_int_equal(ref_len, 4 * n);
	for (i = 0; i < 2 * n; i++) {
		s16 r = (s16)(ref[2 * i] | ref[2 * i + 1] << 8);
		int d = abs(pcm[i] - r);

		if (d && !bad++)
			first = i;
		maxdiff = d > maxdiff ? d : maxdiff;
	}
	print_message("%s: %zu octets, %zu samples, %zu differ from FFmpeg (max %d)\n",
		      what, n, 2 * n, bad, maxdiff);
	if (bad)
		fail_msg("%s: first difference at sample %zu", what, first);
	free(pcm);
}

static void test_committed_vector(void **state)
{
	char path[4096];
	uint8_t *oct, *ref;
	size_t n, ref_len;

	snprintf(path, sizeof(path), "%s/g722_ref.g722", data_dir());
	oct = slurp(path, &n);
	snprintf(path, sizeof(path), "%s/g722_ref.s16", data_dir());
	ref = slurp(path, &ref_len);
	assert_int_equal(n, 2000);
	check_bit_exact("g722_ref", oct, n, ref, ref_len);
	free(oct);
	free(ref);
}

/* Any cut into packets gives the same samples as one call. */
static void test_chunks(void **state)
{
	enum { N = 20000 };
	static uint8_t oct[N];
	static s16 part[2 * N];
	struct herald_g722_dec dec;
	s16 *whole;
	size_t i, done;

	for (i = 0; i < N; i++)
		oct[i] = (uint8_t)rng();
	whole = decode_all(oct, N);
	herald_g722_init(&dec);
	for (done = 0; done < N; ) {
		size_t n = rng() % 200;

		n = n < N - done ? n : N - done;
		herald_g722_decode(&dec, part + 2 * done, oct + done, n);
		done += n;
	}
	assert_memory_equal(part, whole, sizeof(part));
	/* init resets everything: a second decoder from scratch agrees. */
	herald_g722_init(&dec);
	herald_g722_decode(&dec, part, oct, N);
	assert_memory_equal(part, whole, sizeof(part));
	free(whole);
}

/* Silence in, silence out: the all-zero state is a fixed point. */
static void test_reset_state(void **state)
{
	struct herald_g722_dec dec;

	memset(&dec, 0x5a, sizeof(dec));
	herald_g722_init(&dec);
	assert_int_equal(dec.low.det, 32);
	assert_int_equal(dec.high.det, 8);
	assert_int_equal(dec.low.nb, 0);
	assert_int_equal(dec.low.s, 0);
	assert_int_equal(dec.xd[11], 0);
	assert_int_equal(dec.xs[0], 0);
}

static bool have_tool(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

static void run(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

/*
 * Correlation of our decoding with what went into FFmpeg's encoder, at the
 * best alignment (the codec delays by its QMF pair, 23 samples).
 */
static double round_trip_correlation(const s16 *in, const s16 *out, size_t n)
{
	double best = -1.0;
	size_t lag, i;

	for (lag = 0; lag < 64; lag++) {
		double sxy = 0, sxx = 0, syy = 0, c;

		for (i = 0; i + lag < n; i++) {
			sxy += (double)in[i] * out[i + lag];
			sxx += (double)in[i] * in[i];
			syy += (double)out[i + lag] * out[i + lag];
		}
		c = sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
		best = c > best ? c : best;
	}
	return best;
}

static void test_vs_ffmpeg_now(void **state)
{
	static const struct {
		const char *name, *lavfi;
		double min_corr;	/* of the round trip; 0: not checked */
	} sig[] = {
		{ "noise", "anoisesrc=d=3:c=white:r=16000:a=1:seed=42", 0 },
		{ "sweep", "aevalsrc=0.5*sin(2*PI*(50+650*t)*t):s=16000:d=6", 0.99 },
		{ "speechband", "aevalsrc=0.3*sin(2*PI*440*t)*(1+sin(2*PI*3*t))"
				"+0.1*sin(2*PI*2500*t):s=16000:d=2", 0.999 },
		{ "square", "aevalsrc=0.999*sgn(sin(2*PI*300*t)):s=16000:d=2", 0 },
		{ "silence", "anullsrc=r=16000:cl=mono:d=1", 0 },
	};
	char dir[] = "/tmp/herald-g722-XXXXXX", cmd[8192], path[4096];
	uint8_t *oct, *ref, *in;
	size_t n, ref_len, in_len, i;
	unsigned int k;

	if (!have_tool("ffmpeg")) {
		/* Not cmocka's skip(): run.sh counts "not ok N # SKIP" as failed. */
		print_message("SKIPPED: ffmpeg not installed, no run-time comparison "
			      "(the committed vector was still checked)\n");
		return;
	}
	assert_non_null(mkdtemp(dir));

	for (k = 0; k < sizeof(sig) / sizeof(sig[0]); k++) {
		snprintf(cmd, sizeof(cmd),
			 "cd %s && ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i '%s' "
			 "-f s16le -ac 1 -ar 16000 in.s16 && "
			 "ffmpeg -nostdin -hide_banner -loglevel error -y -f s16le -ar 16000 -ac 1 "
			 "-i in.s16 -c:a g722 -f g722 x.g722 && "
			 "ffmpeg -nostdin -hide_banner -loglevel error -y -f g722 -i x.g722 -f s16le x.s16",
			 dir, sig[k].lavfi);
		run(cmd);
		snprintf(path, sizeof(path), "%s/x.g722", dir);
		oct = slurp(path, &n);
		snprintf(path, sizeof(path), "%s/x.s16", dir);
		ref = slurp(path, &ref_len);
		check_bit_exact(sig[k].name, oct, n, ref, ref_len);
		if (sig[k].min_corr > 0) {
			s16 *pcm = decode_all(oct, n);
			double c;

			snprintf(path, sizeof(path), "%s/in.s16", dir);
			in = slurp(path, &in_len);
			assert_int_equal(in_len, 4 * n);
			c = round_trip_correlation((const s16 *)in, pcm, 2 * n);
			print_message("%s: round trip correlation %.6f\n", sig[k].name, c);
			assert_true(c >= sig[k].min_corr);
			free(pcm);
			free(in);
		}
		free(oct);
		free(ref);
	}

	/* Random octets: no encoder makes them, the decoder must still agree. */
	{
		static uint8_t junk[300000];

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)(rng() >> 56);
		snprintf(path, sizeof(path), "%s/junk.g722", dir);
		spit(path, junk, sizeof(junk));
		snprintf(cmd, sizeof(cmd),
			 "cd %s && ffmpeg -nostdin -hide_banner -loglevel error -y -f g722 -i junk.g722 "
			 "-f s16le junk.s16", dir);
		run(cmd);
		snprintf(path, sizeof(path), "%s/junk.s16", dir);
		ref = slurp(path, &ref_len);
		check_bit_exact("random octets", junk, sizeof(junk), ref, ref_len);
		free(ref);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	run(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_committed_vector),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_vs_ffmpeg_now),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
