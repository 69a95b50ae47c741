// SPDX-License-Identifier: GPL-2.0
/*
 * ITU-T G.711 companding.
 *
 * Both laws are piecewise linear with eight segments per sign, each segment
 * twice as wide as the one below and split into 16 equal steps:
 *
 * µ-law works on 14-bit magnitudes offset by a bias of 33: a magnitude m
 * (0..8158) becomes m + 33 = (2 * mantissa + 33) << segment, rounded down,
 * and is decoded to the middle of its step. The code is sent inverted, so
 * silence (+0) is 0xff and -0 is 0x7f.
 *
 * A-law works on 13-bit magnitudes with no bias: segment 0 and 1 share the
 * finest step (2), segment s > 1 covers [32, 64) << (s - 1). Negative values
 * take the one's complement as magnitude (the law has no zero code: its
 * smallest levels are +-1 on the 13-bit scale), the sign bit is 1 for
 * positive values, and the even bits are inverted (xor 0x55) on the line.
 *
 * The 16-bit interface maps the law's 14 or 13 bits to the top of the word:
 * decoding shifts the reconstruction level up (µ-law full scale is 32124,
 * A-law 32256); encoding first rounds the sample to the nearest 14-bit (µ)
 * or 13-bit (A) value, halves upwards, then quantises that value exactly as
 * G.711 specifies. Rounding rather than truncating halves the error of the
 * 16-to-14/13-bit step and is what SoX does, so the unit test can hold all
 * 65536 inputs against it.
 */
#include <linux/kernel.h>
#include <linux/types.h>

#include "g711.h"

enum {
	ULAW_BIAS = 33,		/* 14-bit scale */
	ULAW_MAX = 8158,	/* largest magnitude that stays in segment 7 */
};

s16 herald_ulaw_decode(u8 code)
{
	unsigned int u = (u8)~code;
	unsigned int seg = (u >> 4) & 7;
	int mag = (int)((((u & 0x0f) << 1) + ULAW_BIAS) << seg) - ULAW_BIAS;

	/* Middle of the step on the 14-bit scale, times 4. */
	return (s16)((u & 0x80) ? -(mag << 2) : mag << 2);
}

s16 herald_alaw_decode(u8 code)
{
	unsigned int a = code ^ 0x55;
	unsigned int seg = (a >> 4) & 7;
	int mag = (int)((a & 0x0f) << 1) + 1;	/* middle of a step of 2 */

	if (seg)
		mag = (mag + 32) << (seg - 1);
	/* 13-bit scale, times 8; the sign bit set means positive. */
	return (s16)((a & 0x80) ? mag << 3 : -(mag << 3));
}

/* Index of the highest set bit of @v (v > 0). */
static inline unsigned int g711_msb(unsigned int v)
{
	return 31 - __builtin_clz(v);
}

u8 herald_ulaw_encode(s16 sample)
{
	int v = (sample + 2) >> 2;	/* nearest 14-bit value */
	unsigned int sign = 0;
	unsigned int mag, seg;

	if (v < 0) {
		v = -v;
		sign = 0x80;
	}
	mag = (unsigned int)min(v, (int)ULAW_MAX) + ULAW_BIAS;	/* 33..8191 */
	seg = g711_msb(mag) - 5;				/* 0..7 */
	return (u8)~(sign | seg << 4 | ((mag >> (seg + 1)) & 0x0f));
}

u8 herald_alaw_encode(s16 sample)
{
	int v = min((sample + 4) >> 3, 4095);	/* nearest 13-bit value */
	unsigned int sign = 0x80;
	unsigned int mag, seg;

	if (v < 0) {
		v = ~v;			/* one's complement: -1 -> 0 */
		sign = 0;
	}
	mag = (unsigned int)v;		/* 12-bit magnitude, 0..4095 */
	if (mag < 32) {
		seg = 0;
		mag >>= 1;
	} else {
		seg = g711_msb(mag) - 4;	/* 1..7 */
		mag = (mag >> seg) & 0x0f;
	}
	return (u8)((sign | seg << 4 | mag) ^ 0x55);
}

void herald_g711_decode(enum herald_g711_law law, s16 *out, const u8 *in, size_t n)
{
	size_t i;

	if (law == HERALD_G711_ALAW) {
		for (i = 0; i < n; i++)
			out[i] = herald_alaw_decode(in[i]);
	} else {
		for (i = 0; i < n; i++)
			out[i] = herald_ulaw_decode(in[i]);
	}
}

void herald_g711_encode(enum herald_g711_law law, u8 *out, const s16 *in, size_t n)
{
	size_t i;

	if (law == HERALD_G711_ALAW) {
		for (i = 0; i < n; i++)
			out[i] = herald_alaw_encode(in[i]);
	} else {
		for (i = 0; i < n; i++)
			out[i] = herald_ulaw_encode(in[i]);
	}
}
