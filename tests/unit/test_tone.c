// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/tone.c: the integer sine, the built-in chime (length,
 * level, no clipping, silent ends, its two notes' frequencies by Goertzel
 * and by zero crossings) and the conversion of an uploaded 16 kHz tone to
 * each sink rate (against the ideal signal at that rate; at 8 kHz, what is
 * above the new Nyquist frequency is filtered out, not folded back).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tone.h"

static void test_sine(void **state)
{
	double worst = 0;
	u32 i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		u32 phase = i * 42949u + (i >> 3);
		double want = sin(2 * M_PI * (double)phase / 4294967296.0) * (1 << 30);
		double err = fabs(herald_sin_q30(phase) - want);

		if (err > worst)
			worst = err;
	}
	print_message("worst error %.1f / 2^30\n", worst);
	/* Within 2^-23 of full scale: far below a 16-bit sample's step. */
	assert_true(worst < 128.0);
	assert_int_equal(herald_sin_q30(0), 0);
	assert_in_range(herald_sin_q30(1u << 30), (1 << 30) - 128, 1 << 30);
	assert_in_range(herald_sin_q30(3u << 30), -(1 << 30), -(1 << 30) + 128);
}

/* Power of @f Hz in @n samples at @rate (Goertzel). */
static double goertzel(const s16 *x, u32 n, u32 rate, double f)
{
	double c = 2 * cos(2 * M_PI * f / rate), s1 = 0, s2 = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		double s0 = x[i] + c * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	return s1 * s1 + s2 * s2 - c * s1 * s2;
}

static u32 zero_crossings(const s16 *x, u32 n)
{
	u32 i, z = 0;

	for (i = 1; i < n; i++)
		if ((x[i - 1] < 0) != (x[i] < 0))
			z++;
	return z;
}

static void check_chime(u32 rate)
{
	u32 frames = herald_chime_frames(rate), note = frames / 2, i;
	u32 mid = note / 8, len = note / 2;	/* 50..250 ms into each note */
	s16 *x = calloc(frames, sizeof(*x));
	int peak = 0;

	assert_non_null(x);
	herald_chime(x, rate);
	/* Two notes of 400 ms: 0.8 s in all. */
	assert_int_equal(frames, rate * 2 * HERALD_CHIME_NOTE_MS / 1000);
	for (i = 0; i < frames; i++)
		if (abs(x[i]) > peak)
			peak = abs(x[i]);
	/* -6 dBFS at the peak: the page's volume has room, nothing clips. */
	assert_in_range(peak, HERALD_CHIME_PEAK * 9 / 10, HERALD_CHIME_PEAK);
	/* It starts and ends silent, and the notes join at silence. */
	assert_true(abs(x[0]) < 64 && abs(x[frames - 1]) < 64);
	assert_true(abs(x[note - 1]) < 64 && abs(x[note]) < 64);
	/* Each note is its own frequency: ten times the power of the other. */
	assert_true(goertzel(x + mid, len, rate, HERALD_CHIME_NOTE1_HZ) >
		    10 * goertzel(x + mid, len, rate, HERALD_CHIME_NOTE2_HZ));
	assert_true(goertzel(x + note + mid, len, rate, HERALD_CHIME_NOTE2_HZ) >
		    10 * goertzel(x + note + mid, len, rate, HERALD_CHIME_NOTE1_HZ));
	/* Two zero crossings a cycle, within one cycle over 200 ms. */
	assert_in_range(zero_crossings(x + mid, len), 2 * HERALD_CHIME_NOTE1_HZ * len / rate - 2,
			2 * HERALD_CHIME_NOTE1_HZ * len / rate + 2);
	assert_in_range(zero_crossings(x + note + mid, len),
			2 * HERALD_CHIME_NOTE2_HZ * len / rate - 2,
			2 * HERALD_CHIME_NOTE2_HZ * len / rate + 2);
	free(x);
}

static void test_chime(void **state)
{
	(void)state;
	check_chime(8000);
	check_chime(16000);
	check_chime(48000);
}

/* @n samples of @f Hz at 16 kHz, amplitude @a, as s16le. */
static u8 *sine16k(u32 n, double f, double a)
{
	u8 *le = malloc(2 * n);
	u32 i;

	for (i = 0; i < n; i++) {
		int v = (int)lrint(a * sin(2 * M_PI * f * i / HERALD_TONE_RATE));

		le[2 * i] = (u8)(v & 0xff);
		le[2 * i + 1] = (u8)((v >> 8) & 0xff);
	}
	return le;
}

/* Largest error against the ideal @f Hz sine at @rate, away from the ends. */
static double worst_error(const s16 *x, u32 frames, u32 rate, double f, double a)
{
	double worst = 0;
	u32 i, edge = rate / 100;

	for (i = edge; i + edge < frames; i++) {
		double want = a * sin(2 * M_PI * f * i / rate);

		if (fabs(x[i] - want) > worst)
			worst = fabs(x[i] - want);
	}
	return worst;
}

static void test_convert(void **state)
{
	const u32 n = 8000;	/* 0.5 s */
	u8 *le = sine16k(n, 1000, 10000);
	s16 *x;

	(void)state;
	assert_int_equal(herald_tone_frames(n, 8000), n / 2);
	assert_int_equal(herald_tone_frames(n, 16000), n);
	assert_int_equal(herald_tone_frames(n, 48000), 3 * n);
	assert_int_equal(herald_tone_space(n, 8000), n / 2 + n);
	assert_int_equal(herald_tone_space(n, 48000), 3 * n);
	x = calloc(herald_tone_space(n, 8000) + 3 * n, sizeof(*x));
	assert_non_null(x);

	/* As is at 16 kHz. */
	assert_int_equal(herald_tone_convert(x, 16000, le, n), 0);
	assert_true(worst_error(x, n, 16000, 1000, 10000) <= 0.5);
	/* 48 kHz: the interpolated sine, on time (the filter's delay out). */
	assert_int_equal(herald_tone_convert(x, 48000, le, n), 0);
	assert_true(worst_error(x, 3 * n, 48000, 1000, 10000) < 50);
	/* 8 kHz: the sine, on time, at its level. */
	assert_int_equal(herald_tone_convert(x, 8000, le, n), 0);
	assert_true(worst_error(x, n / 2, 8000, 1000, 10000) < 50);
	free(le);

	/* 6 kHz cannot be at 8 kHz: filtered out, not folded to 2 kHz. */
	le = sine16k(n, 6000, 10000);
	assert_int_equal(herald_tone_convert(x, 8000, le, n), 0);
	assert_true(worst_error(x, n / 2, 8000, 0, 0) < 100);	/* -40 dB */
	assert_int_equal(herald_tone_convert(x, 44100, le, n), -EINVAL);
	free(le);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sine),
		cmocka_unit_test(test_chime),
		cmocka_unit_test(test_convert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
