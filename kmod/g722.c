// SPDX-License-Identifier: GPL-2.0
/*
 * ITU-T G.722 decoder, mode 1 (64 kbit/s), written from the block
 * descriptions of G.722 §3 and §4 (the encoder's and decoder's functional
 * blocks share the spec's names, used here in comments: INVQAL, LOGSCL,
 * SCALEL, UPPOL1/2, UPZERO, FILTEP, FILTEZ, ...).
 *
 * The spec defines every operation on 16-bit words; the products below are
 * its "x * y >> 15" (arithmetic shift, rounding down), the additions its
 * saturating ones where a result could leave 16 bits. All values fit in 32
 * bits, so plain int arithmetic with explicit clamps is exact.
 *
 * Output scaling: the spec's QMF produces 14-bit samples; we keep one more
 * bit of the QMF sum (>> 11 where the 14-bit output would take >> 12 and
 * lose a bit to the 14-bit word) and saturate to 16 bits, which is the
 * scaling the usual 16-bit implementations use and gives an encode-decode
 * round trip of unity gain with them.
 */
#include <linux/kernel.h>
#include <linux/types.h>

#include "g722.h"

/* Receive QMF coefficients h0..h11 (h23..h12 mirror them), G.722 Table 11. */
static const s16 g722_qmf[12] = {
	3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
};

/* Inverse quantiser outputs, lower sub-band, 6-bit codes (G.722 Table 6). */
static const s16 g722_qm6[64] = {
	-136, -136, -136, -136, -24808, -21904, -19008, -16704,
	-14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
	-7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
	-3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
	24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
	10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
	4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
	1688, 1360, 1040, 728, 432, 136, -432, -136,
};

/* Lower sub-band, 4-bit truncated codes: predictor and scale adaptation. */
static const s16 g722_qm4[16] = {
	0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
	20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
};

/* Higher sub-band, 2-bit codes (G.722 Table 7). */
static const s16 g722_qm2[4] = { -7408, -1616, 7408, 1616 };

/* Log scale factor multipliers (LOGSCL, LOGSCH) by quantiser magnitude. */
static const s16 g722_wl[8] = { -60, -30, 58, 172, 334, 538, 1198, 3042 };
static const u8 g722_rl42[16] = { 0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0 };
static const s16 g722_wh[3] = { 0, -214, 798 };
static const u8 g722_rh2[4] = { 2, 1, 2, 1 };

/*
 * ILB: 2048 * 2^(i/32) rounded, the mantissa table of the spec's inverse
 * log2 (SCALEL, SCALEH).
 */
static const s16 g722_ilb[32] = {
	2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383,
	2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
	2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371,
	3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
};

static inline s32 g722_sat16(s32 v)
{
	return clamp_t(s32, v, -32768, 32767);
}

/* LOGSCL/LOGSCH then SCALEL/SCALEH: @shift is 8 (lower) or 10 (higher). */
static void g722_scale(struct herald_g722_band *band, s32 w, s32 nb_max, int shift)
{
	s32 nb = (band->nb * 32512 >> 15) + w;
	s32 wd;
	int sh;

	nb = clamp_t(s32, nb, 0, nb_max);
	band->nb = nb;
	wd = g722_ilb[(nb >> 6) & 31];
	sh = shift - (nb >> 11);
	wd = sh >= 0 ? wd >> sh : wd << -sh;
	band->det = wd << 2;
}

/*
 * The adaptive predictor of one sub-band, fed with @dlt, the quantised
 * difference signal of this sample: PARREC, RECONS, UPPOL2, UPPOL1, UPZERO,
 * DELAYA, then FILTEP, FILTEZ and PREDIC for the next sample's estimate.
 */
static void g722_predict(struct herald_g722_band *band, s32 dlt)
{
	s32 plt = g722_sat16(dlt + band->sz);		/* PARREC */
	s32 rlt = g722_sat16(band->s + dlt);		/* RECONS */
	bool sg0 = plt < 0, sg1 = band->p[0] < 0, sg2 = band->p[1] < 0;
	s32 wd1, wd2, apl1, apl2, sz;
	int i;

	/*
	 * UPPOL2. The spec's 4 * AL1 saturates to 16 bits and its negation
	 * saturates again; clamping AL1 to +-8191 first gives the same value
	 * after the shift in both directions.
	 */
	wd1 = clamp_t(s32, band->a[0], -8191, 8191) * 4;
	wd2 = (sg0 == sg1 ? -wd1 : wd1) >> 7;
	apl2 = wd2 + (sg0 == sg2 ? 128 : -128) + (band->a[1] * 32512 >> 15);
	apl2 = clamp_t(s32, apl2, -12288, 12288);

	/* UPPOL1 */
	apl1 = (sg0 == sg1 ? 192 : -192) + (band->a[0] * 32640 >> 15);
	wd1 = 15360 - apl2;
	apl1 = clamp_t(s32, apl1, -wd1, wd1);

	/* UPZERO, then DELAYA for the difference signal */
	wd1 = dlt ? 128 : 0;
	for (i = 5; i >= 0; i--) {
		wd2 = (dlt < 0) == (band->d[i] < 0) ? wd1 : -wd1;
		band->b[i] = wd2 + (band->b[i] * 32640 >> 15);
		band->d[i] = i ? band->d[i - 1] : dlt;
	}

	/* DELAYA */
	band->a[0] = apl1;
	band->a[1] = apl2;
	band->p[1] = band->p[0];
	band->p[0] = plt;
	band->r[1] = band->r[0];
	band->r[0] = rlt;

	/* FILTEZ */
	sz = 0;
	for (i = 0; i < 6; i++)
		sz += band->b[i] * g722_sat16(band->d[i] * 2) >> 15;
	sz = g722_sat16(sz);
	band->sz = sz;

	/* FILTEP and PREDIC */
	band->s = g722_sat16((band->a[0] * g722_sat16(band->r[0] * 2) >> 15) +
			     (band->a[1] * g722_sat16(band->r[1] * 2) >> 15) + sz);
}

static void g722_band_init(struct herald_g722_band *band, s32 det)
{
	*band = (struct herald_g722_band){ .det = det };
}

void herald_g722_init(struct herald_g722_dec *dec)
{
	unsigned int i;

	g722_band_init(&dec->low, 32);
	g722_band_init(&dec->high, 8);
	for (i = 0; i < ARRAY_SIZE(dec->xd); i++) {
		dec->xd[i] = 0;
		dec->xs[i] = 0;
	}
}

static inline s16 g722_out(s32 v)
{
	return (s16)g722_sat16(v >> 11);
}

void herald_g722_decode(struct herald_g722_dec *dec, s16 *out, const u8 *in, size_t n)
{
	struct herald_g722_band *lo = &dec->low, *hi = &dec->high;
	size_t k;

	for (k = 0; k < n; k++) {
		unsigned int ilr = in[k] & 0x3f, ih = in[k] >> 6;
		s32 dlt, dl, rl, dh, rh, xout1, xout2;
		int i;

		/* Lower sub-band: INVQAL/INVQBL with the current scale factor */
		dlt = lo->det * g722_qm4[ilr >> 2] >> 15;
		dl = lo->det * g722_qm6[ilr] >> 15;
		rl = clamp_t(s32, lo->s + dl, -16384, 16383);	/* RECONS, LIMIT */
		g722_scale(lo, g722_wl[g722_rl42[ilr >> 2]], 18432, 8);
		g722_predict(lo, dlt);

		/* Higher sub-band: INVQAH */
		dh = hi->det * g722_qm2[ih] >> 15;
		rh = clamp_t(s32, hi->s + dh, -16384, 16383);
		g722_scale(hi, g722_wh[g722_rh2[ih]], 22528, 10);
		g722_predict(hi, dh);

		/* Receive QMF: two output samples from the sub-band pair */
		for (i = 11; i > 0; i--) {
			dec->xd[i] = dec->xd[i - 1];
			dec->xs[i] = dec->xs[i - 1];
		}
		dec->xd[0] = rl - rh;
		dec->xs[0] = rl + rh;
		xout1 = 0;
		xout2 = 0;
		for (i = 0; i < 12; i++) {
			xout1 += dec->xd[i] * g722_qmf[2 * i < 12 ? 2 * i : 23 - 2 * i];
			xout2 += dec->xs[i] * g722_qmf[2 * i + 1 < 12 ? 2 * i + 1 : 22 - 2 * i];
		}
		*out++ = g722_out(xout1);
		*out++ = g722_out(xout2);
	}
}
