/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sample-rate conversion for the playback sink, integer only:
 *
 * - herald_resample(): polyphase FIR interpolation by an integer ratio L of
 *   2, 3 or 6 (8 -> 16 kHz, 16 -> 48 kHz, 8 -> 48 kHz; any input rate with
 *   those ratios) or 1 (a copy), state per stream so that a stream cut into
 *   any chunks gives exactly the samples it gives in one piece;
 *
 * - herald_stretch(): the clock drift absorber, on audio already at the card
 *   rate: turns in_len samples into out_len (typically one more or one fewer,
 *   to insert or drop a sample) by 6-point (fifth-degree) Lagrange
 *   interpolation across the whole chunk, so the change is spread out
 *   instead of clicking. Equal lengths copy exactly.
 *
 * No allocation: the caller provides the state structs and the buffers.
 */
#ifndef _HERALD_RESAMPLE_H
#define _HERALD_RESAMPLE_H

#include <linux/types.h>

/* Taps per polyphase branch: the history one stream keeps, in input samples. */
#define HERALD_RS_TAPS 32

struct herald_resampler {
	const s32 *taps;	/* ratio rows of HERALD_RS_TAPS Q30 taps; NULL: copy */
	u32 ratio;
	u32 pos;		/* next write slot in hist[0..HERALD_RS_TAPS) */
	s16 hist[2 * HERALD_RS_TAPS];	/* input history, stored twice */
};

/*
 * Set @rs up for @in_rate -> @out_rate Hz and clear its history. Returns 0,
 * or -EINVAL unless out_rate is 1, 2, 3 or 6 times in_rate.
 */
int herald_resampler_init(struct herald_resampler *rs, u32 in_rate, u32 out_rate);
/* Forget the history (silence before the next sample), keeping the ratio. */
void herald_resampler_reset(struct herald_resampler *rs);

static inline u32 herald_resampler_ratio(const struct herald_resampler *rs)
{
	return rs->ratio;
}

/*
 * Group delay in output samples: an input sample's own value leaves the
 * filter this many output samples after its first output slot.
 */
u32 herald_resampler_delay(const struct herald_resampler *rs);

/*
 * Interpolate @n samples at @in into @n * ratio samples at @out (which must
 * not overlap @in). Returns the number of samples written.
 */
size_t herald_resample(struct herald_resampler *rs, s16 *out, const s16 *in, size_t n);

/*
 * Halve the rate of the whole signal @in (@n samples; silence before and
 * after it) into @out: the same half-band low-pass as the interpolation by
 * 2 (cut off at a quarter of the input rate), every second sample kept.
 * Returns the samples written, (n + 1) / 2. For one-off conversions (a
 * 16 kHz tone for an 8 kHz sink), not a stream.
 */
size_t herald_decimate2(s16 *out, const s16 *in, size_t n);

/* The drift absorber's state: the last samples of the previous chunk. */
struct herald_stretch {
	s16 hist[5];
};

/* Delay of herald_stretch() in samples: it works three samples behind. */
#define HERALD_STRETCH_DELAY 3

void herald_stretch_init(struct herald_stretch *st);

/*
 * Turn the @in_len samples at @in into @out_len samples at @out (not
 * overlapping @in), spacing the output evenly over the input: output k
 * stands at input position k * in_len / out_len, so successive chunks join
 * without a jump in time or phase. Meant for small corrections (out_len
 * within a few percent of in_len); both lengths must be 1..65535, else
 * nothing is written and false is returned.
 */
bool herald_stretch(struct herald_stretch *st, s16 *out, size_t out_len,
		    const s16 *in, size_t in_len);

#ifdef HERALD_SELFTEST
/* G.711, G.722, resampler and drift absorber (selftest/codec.c, built into resample.c). */
bool herald_codec_selftest(void);
#endif

#endif /* _HERALD_RESAMPLE_H */
