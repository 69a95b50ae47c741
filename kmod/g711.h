/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ITU-T G.711 µ-law and A-law companding, to and from 16-bit linear PCM.
 *
 * Table-free: each conversion is a handful of shifts and masks computed from
 * the segment/mantissa structure of the laws (G.711 §2, Tables 1 and 2), so
 * there is nothing to generate or to get wrong in a pasted table. Pure
 * logic, no state, no allocation; builds for userspace with HERALD_USERSPACE.
 */
#ifndef _HERALD_G711_H
#define _HERALD_G711_H

#include <linux/types.h>

enum herald_g711_law {
	HERALD_G711_ULAW,	/* PCMU, RTP payload type 0 */
	HERALD_G711_ALAW,	/* PCMA, RTP payload type 8 */
};

/* One code to a 16-bit sample: the law's 14-bit (µ) or 13-bit (A) value scaled up. */
s16 herald_ulaw_decode(u8 code);
s16 herald_alaw_decode(u8 code);

/* One 16-bit sample to a code: rounded to 14 (µ) or 13 (A) bits, then quantised. */
u8 herald_ulaw_encode(s16 sample);
u8 herald_alaw_encode(s16 sample);

/* @n codes at @in to @n samples at @out. */
void herald_g711_decode(enum herald_g711_law law, s16 *out, const u8 *in, size_t n);
/* @n samples at @in to @n codes at @out. */
void herald_g711_encode(enum herald_g711_law law, u8 *out, const s16 *in, size_t n);

#endif /* _HERALD_G711_H */
