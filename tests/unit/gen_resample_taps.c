// SPDX-License-Identifier: GPL-2.0
/*
 * Designs the interpolation filters of kmod/resample.c and prints them as the
 * C tables that file holds between its "generated" markers:
 *
 *   build/tests/unit/gen_resample_taps > /tmp/taps.c
 *
 * and paste that between the markers (make builds the program).
 *
 * test_resample.c includes this file (without main) and checks that the
 * committed tables are exactly what the design gives, so the two cannot
 * drift apart. Floating point is fine here: this runs on the build host.
 *
 * Design, per interpolation ratio L (2, 3, 6): a Kaiser-windowed sinc
 * low-pass at the output rate, N = L * RS_TAPS - 1 taps (odd, so the centre
 * c = (N - 1) / 2 is a tap), cutoff at half the input rate (fc = 1 / (2 L)
 * of the output rate), Kaiser beta 7.0 (about 70 dB stopband; transition
 * about 0.43..0.57 of the input rate with 32 taps per phase). Because the
 * cutoff is exactly Nyquist of the input, the sinc vanishes at every L-th
 * tap from the centre: the phase holding the centre passes input samples
 * through unchanged. Coefficients are Q30 (gain L overall, 1 per phase):
 * each phase is scaled to a DC gain of 1 before rounding, and its largest
 * tap takes the rounding residue, so that every phase sums to exactly 2^30
 * and DC passes with a gain of exactly 1 whatever the phase.
 *
 * Row p of a table is phase p with its taps ordered oldest input sample
 * first: row[p][t] = h[(RS_TAPS - 1 - t) * L + p], h[N] = 0.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define RS_TAPS 32
#define RS_BETA 7.0
#define RS_ONE (1 << 30)

/* Modified Bessel function of the first kind, order 0 (power series). */
static double rs_bessel_i0(double x)
{
	double sum = 1.0, term = 1.0;
	int k;

	for (k = 1; k < 64; k++) {
		term *= (x / (2.0 * k)) * (x / (2.0 * k));
		sum += term;
		if (term < 1e-17 * sum)
			break;
	}
	return sum;
}

/* The quantised design for ratio @l: @rows[p * RS_TAPS + t]. */
static void rs_design(unsigned int l, int32_t *rows)
{
	unsigned int n = l * RS_TAPS - 1, p, t;
	double c = (n - 1) / 2.0, h[RS_TAPS];

	for (p = 0; p < l; p++) {
		double dsum = 0.0;
		int64_t sum = 0;
		unsigned int big = 0;

		for (t = 0; t < RS_TAPS; t++) {
			unsigned int j = (RS_TAPS - 1 - t) * l + p;
			double x, r;

			h[t] = 0.0;
			if (j < n) {
				x = (j - c) / l;
				r = (j - c) / (c + 1.0);
				h[t] = x == 0.0 ? 1.0 : sin(M_PI * x) / (M_PI * x);
				h[t] *= rs_bessel_i0(RS_BETA * sqrt(1.0 - r * r)) /
					rs_bessel_i0(RS_BETA);
			}
			dsum += h[t];
		}
		/* Scale the phase to a DC gain of 1, then fix rounding on its largest tap. */
		for (t = 0; t < RS_TAPS; t++) {
			rows[p * RS_TAPS + t] = (int32_t)lround(h[t] / dsum * RS_ONE);
			sum += rows[p * RS_TAPS + t];
			if (fabs(h[t]) > fabs(h[big]))
				big = t;
		}
		rows[p * RS_TAPS + big] += (int32_t)(RS_ONE - sum);
	}
}

#ifndef RS_NO_MAIN
int main(void)
{
	static const unsigned int ratios[] = { 2, 3, 6 };
	int32_t rows[6 * RS_TAPS];
	unsigned int i, p, t;

	for (i = 0; i < 3; i++) {
		unsigned int l = ratios[i];

		rs_design(l, rows);
		printf("static const s32 rs_taps_%u[%u * RS_TAPS] = {\n", l, l);
		for (p = 0; p < l; p++) {
			printf("\t/* phase %u */\n", p);
			for (t = 0; t < RS_TAPS; t++)
				printf("%s%d,%s", t % 6 ? " " : "\t", rows[p * RS_TAPS + t],
				       t % 6 == 5 || t == RS_TAPS - 1 ? "\n" : "");
		}
		printf("};\n%s", i < 2 ? "\n" : "");
	}
	return 0;
}
#endif
