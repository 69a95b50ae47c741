// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tests/tools/pcm-corr.c, the judge of tests/vm/x-sink-g711.sh:
 * it must find the alignment of a perfect capture of the test's multi-tone
 * (350, 1170 and 2630 Hz at 48 kHz) and score it near 1, also when the
 * player dropped single samples against drift, and it must not forgive a
 * capture that is really filtered.
 *
 * The first version searched the lag on a grid of 8 samples over the whole
 * reference: on a capture of the sink that was sample for sample exact but
 * for 25 single samples dropped, it settled 672 samples off on a side lobe
 * and reported 0.92 (issue #4).
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

#define PCM_CORR_NO_MAIN
#include "../tools/pcm-corr.c"

#define RATE 48000
#define NREF (3 * RATE)
#define LEAD 236161		/* as in the 6.1 run: silence before the page */
#define DROP_FROM 38400		/* where the sink's corrections began */
#define DROP_EVERY 1920		/* at most one per two 960-frame periods */
#define NDROP 25

static int16_t ref[NREF];
static int16_t cap[LEAD + NREF + RATE];

/* The test's signal: three tones at 0.3 of full scale each, from phase 0. */
static void make_ref(void)
{
	static const double f[3] = { 350, 1170, 2630 };
	long i;
	int k;

	for (i = 0; i < NREF; i++) {
		double v = 0;

		for (k = 0; k < 3; k++)
			v += 0.3 * sin(2 * M_PI * f[k] * (double)i / RATE);
		ref[i] = (int16_t)lrint(32767 * v);
	}
}

/* The reference after LEAD samples of silence, less NDROP single samples. */
static long make_cap_dropped(void)
{
	long i, n = 0;

	memset(cap, 0, sizeof(cap));
	for (i = 0; i < LEAD; i++)
		cap[n++] = 0;
	for (i = 0; i < NREF; i++) {
		if (i >= DROP_FROM && i < DROP_FROM + NDROP * DROP_EVERY &&
		    (i - DROP_FROM) % DROP_EVERY == 0)
			continue;
		cap[n++] = ref[i];
	}
	return (long)(sizeof(cap) / sizeof(cap[0]));
}

static long guess(long ncap)
{
	return onset(cap, ncap) - onset(ref, NREF);
}

static void test_exact_copy_aligned(void **state)
{
	long ncap, lag;
	double c;

	(void)state;
	make_ref();
	memset(cap, 0, sizeof(cap));
	memcpy(cap + LEAD, ref, sizeof(ref));
	ncap = (long)(sizeof(cap) / sizeof(cap[0]));
	lag = pcm_corr_align(ref, NREF, cap, ncap, guess(ncap), 960, &c);
	assert_int_equal(lag, LEAD);
	assert_true(c > 0.99999);
}

/* The case of issue #4: exact audio, 25 single samples dropped mid-page. */
static void test_dropped_samples_tracked(void **state)
{
	struct pcm_corr_track t;
	long ncap, lag;
	double c;

	(void)state;
	make_ref();
	ncap = make_cap_dropped();
	lag = pcm_corr_align(ref, 960, cap, ncap, guess(ncap), 960, &c);
	assert_int_equal(lag, LEAD);
	pcm_corr_track(ref, NREF, cap, ncap, lag, 960, &t);
	assert_int_equal(t.lag_moved, -NDROP);
	assert_true(t.corr > 0.9999);
	assert_true(t.worst > 0.999);
}

/* Tracking forgives moved samples, not a filter: (x[n] + x[n - 6]) / 2. */
static void test_filtered_not_forgiven(void **state)
{
	struct pcm_corr_track t;
	long i, ncap, lag;
	double c;

	(void)state;
	make_ref();
	memset(cap, 0, sizeof(cap));
	for (i = 0; i < NREF; i++)
		cap[LEAD + i] = (int16_t)((ref[i] + (i >= 6 ? ref[i - 6] : 0)) / 2);
	ncap = (long)(sizeof(cap) / sizeof(cap[0]));
	lag = pcm_corr_align(ref, 960, cap, ncap, guess(ncap), 960, &c);
	pcm_corr_track(ref, NREF, cap, ncap, lag, 960, &t);
	assert_true(t.corr < 0.98);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_copy_aligned),
		cmocka_unit_test(test_dropped_samples_tracked),
		cmocka_unit_test(test_filtered_not_forgiven),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
