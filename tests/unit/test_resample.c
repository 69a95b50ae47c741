// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/resample.c: the interpolation filters against their
 * design (tests/unit/gen_resample_taps.c), their measured response, tones
 * through every ratio (frequency kept, images rejected), chunking, DC gain,
 * an exact arithmetic model, and the drift absorber. Also runs the module's
 * codec self-test (kmod/selftest/codec.c), which covers G.711 and G.722 too.
 *
 * kmod/resample.c is included rather than linked, for its static tables.
 * Floating point is used here only, to measure: never in kmod/.
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

#define HERALD_SELFTEST
#include "resample.c"

#undef RS_TAPS
#define RS_NO_MAIN
#include "gen_resample_taps.c"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static const struct {
	u32 in, out;
} rates[] = {
	{ 8000, 16000 }, { 16000, 48000 }, { 8000, 48000 },
};

static const s32 *table_for(u32 l)
{
	return l == 2 ? rs_taps_2 : l == 3 ? rs_taps_3 : rs_taps_6;
}

static void test_selftest(void **state)
{
	assert_true(herald_codec_selftest());
}

static void test_tables_match_design(void **state)
{
	static const u32 ls[] = { 2, 3, 6 };
	int32_t rows[6 * RS_TAPS];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		rs_design(ls[i], rows);
		assert_memory_equal(rows, table_for(ls[i]), ls[i] * RS_TAPS * sizeof(s32));
	}
}

/* |H(f)| of the quantised prototype of ratio @l, @f in units of the input rate. */
static double response(u32 l, double f)
{
	const s32 *taps = table_for(l);
	double re = 0, im = 0, w = 2 * M_PI * f / l;
	unsigned int p, t;

	for (p = 0; p < l; p++) {
		for (t = 0; t < RS_TAPS; t++) {
			unsigned int j = (RS_TAPS - 1 - t) * l + p;	/* tap index */
			double h = taps[p * RS_TAPS + t] / (double)RS_ONE / l;

			re += h * cos(w * j);
			im -= h * sin(w * j);
		}
	}
	return sqrt(re * re + im * im);
}

/*
 * The design as built: flat to 0.43 of the input rate (3.44 kHz from 8 kHz,
 * 6.9 kHz from 16 kHz), at least 70 dB down from 0.57 of it on.
 */
static void test_filter_response(void **state)
{
	static const u32 ls[] = { 2, 3, 6 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		u32 l = ls[i];
		double ripple = 0, stop = 0, f, db;

		for (f = 0; f <= 0.43; f += 0.0005) {
			db = fabs(20 * log10(response(l, f)));
			ripple = db > ripple ? db : ripple;
		}
		for (f = 0.57; f <= l / 2.0; f += 0.0005) {
			db = 20 * log10(response(l, f) + 1e-12);
			stop = db > stop || stop == 0 ? db : stop;
		}
		print_message("ratio %u: passband (0..0.43 fin) within +-%.4f dB, "
			      "stopband (0.57 fin..) <= %.1f dB, at 0.5 fin %.2f dB\n",
			      l, ripple, stop, 20 * log10(response(l, 0.5)));
		assert_true(ripple < 0.01);
		assert_true(stop < -70);
	}
}

/* Power of @x (@n samples at @rate) at @freq, by correlation with a sinusoid. */
static double tone_power(const s16 *x, size_t n, double rate, double freq)
{
	double re = 0, im = 0, w = 2 * M_PI * freq / rate;
	size_t i;

	for (i = 0; i < n; i++) {
		/* Hann window, so that the leakage of the tone does not mask images. */
		double hann = 0.5 - 0.5 * cos(2 * M_PI * i / n);

		re += hann * x[i] * cos(w * i);
		im += hann * x[i] * sin(w * i);
	}
	return (re * re + im * im) / ((double)n * n);
}

/*
 * A tone through each ratio: the output crosses zero twice a cycle at the
 * tone's frequency, its level is kept, and every image (k * fin +- f below
 * the output Nyquist) is at least 40 dB down (in fact near 90).
 */
static void check_tone(u32 in_rate, u32 out_rate, double freq)
{
	enum { SECONDS = 1 };
	struct herald_resampler rs;
	size_t n = in_rate * SECONDS, m, i, skip, len, crossings = 0;
	s16 *in = malloc(n * sizeof(*in)), *out = malloc(6 * n * sizeof(*out));
	double sig, worst = -400, f_est;
	u32 l, k;

	assert_non_null(in);
	assert_non_null(out);
	for (i = 0; i < n; i++)
		in[i] = (s16)lround(16384 * sin(2 * M_PI * freq * i / in_rate));
	assert_int_equal(herald_resampler_init(&rs, in_rate, out_rate), 0);
	l = herald_resampler_ratio(&rs);
	m = herald_resample(&rs, out, in, n);
	assert_int_equal(m, n * l);

	/* Half a second of output past the filter's delay, whole cycles. */
	skip = herald_resampler_delay(&rs) + 64;
	len = out_rate / 2;
	for (i = skip + 1; i < skip + len; i++)
		crossings += (out[i - 1] < 0) != (out[i] < 0);
	f_est = crossings / 2.0 / ((double)len / out_rate);

	sig = tone_power(out + skip, len, out_rate, freq);
	for (k = 1; k * in_rate - freq < out_rate / 2.0; k++) {
		double f[2] = { k * in_rate - freq, k * in_rate + freq };
		unsigned int j;

		for (j = 0; j < 2; j++) {
			double db;

			if (f[j] >= out_rate / 2.0)
				continue;
			db = 10 * log10(tone_power(out + skip, len, out_rate, f[j]) / sig + 1e-30);
			worst = db > worst ? db : worst;
		}
	}
	print_message("%u -> %u Hz, %.0f Hz tone: %.1f Hz by zero crossings, level %.4f, "
		      "worst image %.1f dB\n", in_rate, out_rate, freq, f_est,
		      sqrt(sig) * 4 / 16384, worst);
	assert_true(fabs(f_est - freq) <= 2.0);
	/* Hann-windowed amplitude is a quarter of the tone's (coherent gain 1/2, |.|^2). */
	assert_true(fabs(sqrt(sig) * 4 / 16384 - 1) < 0.001);
	assert_true(worst < -40);
	free(in);
	free(out);
}

static void test_tones(void **state)
{
	check_tone(8000, 48000, 1000);	/* the image at 7 kHz the issue asks about */
	check_tone(8000, 16000, 1000);
	check_tone(16000, 48000, 1000);
	check_tone(8000, 48000, 3000);	/* near the top of the telephone band */
	check_tone(16000, 48000, 6500);	/* near the top of G.722's band */
}

/* Any cut of the input into chunks, empty ones included, gives the same output. */
static void test_chunks_bit_exact(void **state)
{
	enum { N = 20000 };
	static s16 in[N], whole[6 * N], part[6 * N];
	struct herald_resampler rs;
	unsigned int r;
	size_t i;

	for (i = 0; i < N; i++)
		in[i] = (s16)(rng() >> 48);
	for (r = 0; r < 3; r++) {
		size_t done = 0, outn = 0;
		u32 l;

		assert_int_equal(herald_resampler_init(&rs, rates[r].in, rates[r].out), 0);
		l = herald_resampler_ratio(&rs);
		assert_int_equal(herald_resample(&rs, whole, in, N), (size_t)N * l);
		herald_resampler_reset(&rs);
		while (done < N) {
			size_t n = rng() % 97;

			n = n < N - done ? n : N - done;
			outn += herald_resample(&rs, part + outn, in + done, n);
			done += n;
		}
		assert_int_equal(outn, (size_t)N * l);
		assert_memory_equal(part, whole, (size_t)N * l * sizeof(s16));
	}
}

/* DC: every phase sums to exactly 1, so a constant comes out unchanged. */
static void test_dc_gain(void **state)
{
	static const s16 levels[] = { 0, 1, -1, 12345, -12345, 32767, -32768 };
	s16 in[256], out[6 * 256];
	struct herald_resampler rs;
	unsigned int r, v, i;

	for (r = 0; r < 3; r++) {
		for (v = 0; v < sizeof(levels) / sizeof(levels[0]); v++) {
			assert_int_equal(herald_resampler_init(&rs, rates[r].in, rates[r].out), 0);
			for (i = 0; i < 256; i++)
				in[i] = levels[v];
			herald_resample(&rs, out, in, 256);
			for (i = RS_TAPS * herald_resampler_ratio(&rs);
			     i < 256 * herald_resampler_ratio(&rs); i++)
				assert_int_equal(out[i], levels[v]);
		}
	}
}

/*
 * The arithmetic, modelled in double (exact here: the sums stay below 2^53):
 * round half up, then saturate. Full-scale input with the worst sign pattern
 * for each phase drives the output past 16 bits, where it must clip, not wrap.
 */
static void test_exact_model(void **state)
{
	enum { N = 4096 };
	static s16 in[N], out[6 * N];
	struct herald_resampler rs;
	unsigned int r;
	size_t i, bad = 0;

	for (r = 0; r < 3; r++) {
		const s32 *taps;
		u32 l;

		assert_int_equal(herald_resampler_init(&rs, rates[r].in, rates[r].out), 0);
		l = herald_resampler_ratio(&rs);
		taps = table_for(l);
		for (i = 0; i < N; i++) {
			if (i < N / 2)
				in[i] = (s16)(rng() >> 48);
			else	/* worst case for phase 0: signs of its taps */
				in[i] = taps[RS_TAPS - 1 - i % RS_TAPS] < 0 ? -32768 : 32767;
		}
		herald_resample(&rs, out, in, N);
		for (i = 0; i < N * l; i++) {
			size_t m = i / l, p = i % l, t;
			double acc = 0, y;

			for (t = 0; t < RS_TAPS; t++) {
				size_t age = RS_TAPS - 1 - t;	/* samples back from m */

				if (m >= age)
					acc += (double)taps[p * RS_TAPS + t] * in[m - age];
			}
			y = floor((acc + (1 << 29)) / (1 << 30));
			y = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
			bad += out[i] != (s16)y;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_init_rates(void **state)
{
	struct herald_resampler rs;
	s16 in[5] = { 1, -2, 3, -4, 5 }, out[5];

	assert_int_equal(herald_resampler_init(&rs, 8000, 8000), 0);
	assert_int_equal(herald_resampler_delay(&rs), 0);
	assert_int_equal(herald_resample(&rs, out, in, 5), 5);
	assert_memory_equal(out, in, sizeof(in));
	assert_int_equal(herald_resampler_init(&rs, 24000, 48000), 0);
	assert_int_equal(herald_resampler_init(&rs, 8000, 24000), 0);
	assert_int_equal(herald_resampler_init(&rs, 8000, 44100), -EINVAL);
	assert_int_equal(herald_resampler_init(&rs, 8000, 32000), -EINVAL);
	assert_int_equal(herald_resampler_init(&rs, 16000, 8000), -EINVAL);
	assert_int_equal(herald_resampler_init(&rs, 0, 48000), -EINVAL);
	assert_int_equal(herald_resampler_init(&rs, 8000, 48000), 0);
	assert_int_equal(herald_resampler_delay(&rs), 95);	/* 2 ms at 48 kHz */
}

/*
 * The drift absorber on a tone at 48 kHz, in 10 ms periods, inserting one
 * sample every 5th period and later dropping one: the output must be the
 * tone sampled at the positions the stretch promises (k * in / out within
 * each chunk, HERALD_STRETCH_DELAY samples late), within the interpolation's
 * error.
 */
static double stretch_run(double freq, unsigned int *steps_bad)
{
	enum { PERIOD = 480, CHUNKS = 200 };
	struct herald_stretch st;
	static s16 in[PERIOD], out[PERIOD + 1];
	double err2 = 0, sig2 = 0, pos0 = 0, maxstep = 0, prev = 0;
	unsigned int c, k;
	size_t done = 0;

	*steps_bad = 0;
	herald_stretch_init(&st);
	for (c = 0; c < CHUNKS; c++) {
		size_t ol = c % 5 ? PERIOD : c < CHUNKS / 2 ? PERIOD + 1 : PERIOD - 1;

		for (k = 0; k < PERIOD; k++)
			in[k] = (s16)lround(20000 * sin(2 * M_PI * freq * (done + k) / 48000));
		assert_true(herald_stretch(&st, out, ol, in, PERIOD));
		for (k = 0; k < ol; k++) {
			double pos = pos0 + (double)k * PERIOD / ol - HERALD_STRETCH_DELAY;
			double ideal = pos < 0 ? 0 : 20000 * sin(2 * M_PI * freq * pos / 48000);

			if (c > 0 && ol != PERIOD) {	/* the stretched chunks only */
				err2 += (out[k] - ideal) * (out[k] - ideal);
				sig2 += ideal * ideal;
			}
			/* no jump: a step no bigger than the tone's steepest */
			if (c > 0 && fabs(out[k] - prev) > maxstep)
				maxstep = fabs(out[k] - prev);
			prev = out[k];
		}
		pos0 += PERIOD;
		done += PERIOD;
	}
	if (maxstep > 20000 * 2 * sin(M_PI * freq * (PERIOD + 1.0) / PERIOD / 48000) + 2)
		(*steps_bad)++;
	return 10 * log10(sig2 / err2);
}

static void test_stretch_tone(void **state)
{
	static const double freqs[] = { 440, 1000, 3400, 7000 };
	unsigned int i, bad;

	for (i = 0; i < 4; i++) {
		double snr = stretch_run(freqs[i], &bad);

		print_message("drift absorber, %.0f Hz at 48 kHz, +-1 sample every 50 ms: "
			      "SNR %.1f dB against the ideal, over the stretched periods\n",
			      freqs[i], snr);
		assert_int_equal(bad, 0);
		assert_true(snr > (freqs[i] <= 3400 ? 80 : 50));
	}
}

static void test_stretch_identity(void **state)
{
	enum { N = 3000 };
	static s16 in[N], out[N];
	struct herald_stretch st;
	size_t done = 0, i;

	for (i = 0; i < N; i++)
		in[i] = (s16)(rng() >> 48);
	herald_stretch_init(&st);
	while (done < N) {
		size_t n = 1 + rng() % 50;

		n = n < N - done ? n : N - done;
		assert_true(herald_stretch(&st, out + done, n, in + done, n));
		done += n;
	}
	for (i = HERALD_STRETCH_DELAY; i < N; i++)
		assert_int_equal(out[i], in[i - HERALD_STRETCH_DELAY]);
	assert_int_equal(out[0], 0);
	assert_false(herald_stretch(&st, out, 0, in, 10));
	assert_false(herald_stretch(&st, out, 10, in, 0));
	assert_false(herald_stretch(&st, out, 65536, in, 65535));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest),
		cmocka_unit_test(test_tables_match_design),
		cmocka_unit_test(test_filter_response),
		cmocka_unit_test(test_tones),
		cmocka_unit_test(test_chunks_bit_exact),
		cmocka_unit_test(test_dc_gain),
		cmocka_unit_test(test_exact_model),
		cmocka_unit_test(test_init_rates),
		cmocka_unit_test(test_stretch_identity),
		cmocka_unit_test(test_stretch_tone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
