/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ITU-T G.722 decoder, 64 kbit/s (mode 1): one octet carries a 6-bit
 * lower sub-band ADPCM code (bits 5..0) and a 2-bit higher sub-band code
 * (bits 7..6) and decodes to two 16 kHz samples.
 *
 * Integer arithmetic only, state per stream, no allocation: the same file
 * builds for userspace (unit tests) with HERALD_USERSPACE defined. Output is
 * 16-bit PCM at the level the common 16-bit encoders (FFmpeg, most SIP
 * phones' stacks) put in, so an encode-decode round trip has unity gain.
 */
#ifndef _HERALD_G722_H
#define _HERALD_G722_H

#include <linux/types.h>

/* One ADPCM sub-band decoder (G.722 §3.6, §4.2): names after the spec's. */
struct herald_g722_band {
	s32 s;		/* SL/SH: predictor output */
	s32 sz;		/* SZL/SZH: zero-section output */
	s32 r[2];	/* RLT1, RLT2: reconstructed signal, delayed */
	s32 p[2];	/* PLT1, PLT2: partially reconstructed signal, delayed */
	s32 a[2];	/* AL1, AL2: pole section coefficients */
	s32 b[6];	/* BL1..BL6: zero section coefficients */
	s32 d[6];	/* DLT1..DLT6: quantised difference signal, delayed */
	s32 nb;		/* NBL/NBH: log scale factor */
	s32 det;	/* DETL/DETH: scale factor */
};

struct herald_g722_dec {
	struct herald_g722_band low, high;
	s32 xd[12];	/* receive QMF delay lines, newest first */
	s32 xs[12];
};

/* The reset state of G.722 §3.6.7 (also what a decoder restarts with). */
void herald_g722_init(struct herald_g722_dec *dec);

/* Decode @n octets at @in to 2 * @n samples at @out. */
void herald_g722_decode(struct herald_g722_dec *dec, s16 *out, const u8 *in, size_t n);

#endif /* _HERALD_G722_H */
