// SPDX-License-Identifier: GPL-2.0
/*
 * Pre-announce tones (see tone.h): the chime is synthesised with a phase
 * accumulator and a polynomial sine, uploaded tones go through the sink's
 * own resampler once, when they are set, never per page.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/types.h>

#include "resample.h"
#include "tone.h"

#define Q30 (1ULL << 30)
#define HALF_PI_Q30 1686629713ULL	/* pi / 2 in Q30 */

s32 herald_sin_q30(u32 phase)
{
	u32 quadrant = phase >> 30, f = phase & (u32)(Q30 - 1);
	u64 x, x2, t;

	/* Fold onto the first quadrant: x in [0, pi/2], Q30 radians. */
	if (quadrant & 1)
		f = (u32)Q30 - f;
	x = (u64)f * HALF_PI_Q30 >> 30;
	x2 = x * x >> 30;
	/*
	 * Taylor series to x^11 by Horner, every factor in (0, 1]: at pi/2
	 * the first term left out is 5.7e-8 of full scale, far below what a
	 * 16-bit sample shows. Unsigned throughout: x2 * t < 2^62.
	 */
	t = Q30 - div_u64(x2, 110);
	t = Q30 - div_u64(x2 * t >> 30, 72);
	t = Q30 - div_u64(x2 * t >> 30, 42);
	t = Q30 - div_u64(x2 * t >> 30, 20);
	t = Q30 - div_u64(x2 * t >> 30, 6);
	t = x * t >> 30;
	return quadrant & 2 ? -(s32)t : (s32)t;
}

u32 herald_chime_frames(u32 rate)
{
	return 2 * (rate * HERALD_CHIME_NOTE_MS / 1000);
}

/* One note of @frames frames: rise, then (1 - n / frames)^2 decay. */
static void herald_chime_note(s16 *out, u32 frames, u32 rate, u32 hz)
{
	u32 rise = rate * HERALD_CHIME_RISE_MS / 1000, phase = 0, n;
	u32 step = (u32)div_u64((u64)hz << 32, rate);

	for (n = 0; n < frames; n++, phase += step) {
		u64 env, amp;	/* Q30; amplitude in sample units */

		if (n < rise) {
			env = div_u64((u64)n * Q30, rise);
		} else {
			u64 left = frames - n, span = frames - rise;

			env = div_u64(left * left * Q30, (u32)(span * span));
		}
		amp = HERALD_CHIME_PEAK * env >> 30;
		out[n] = (s16)(((s64)herald_sin_q30(phase) * (s64)amp + (1LL << 29)) >> 30);
	}
}

void herald_chime(s16 *out, u32 rate)
{
	u32 note = herald_chime_frames(rate) / 2;

	herald_chime_note(out, note, rate, HERALD_CHIME_NOTE1_HZ);
	herald_chime_note(out + note, note, rate, HERALD_CHIME_NOTE2_HZ);
}

u32 herald_tone_frames(u32 samples, u32 rate)
{
	if (rate == HERALD_TONE_RATE / 2)
		return (samples + 1) / 2;
	return samples * (rate / HERALD_TONE_RATE);
}

u32 herald_tone_space(u32 samples, u32 rate)
{
	u32 frames = herald_tone_frames(samples, rate);

	return rate == HERALD_TONE_RATE / 2 ? frames + samples : frames;
}

static s16 herald_le16(const u8 *p)
{
	return (s16)(p[0] | p[1] << 8);
}

#define TONE_CHUNK 64

int herald_tone_convert(s16 *out, u32 rate, const u8 *le, u32 samples)
{
	struct herald_resampler rs;
	s16 in[TONE_CHUNK], up[3 * TONE_CHUNK];
	u32 i, n, k, skip, done = 0, total;

	if (rate == HERALD_TONE_RATE) {
		for (i = 0; i < samples; i++)
			out[i] = herald_le16(le + 2 * i);
		return 0;
	}
	if (rate == HERALD_TONE_RATE / 2) {
		/* The filter reads around each output sample: the input as
		 * s16 goes past the output (see herald_tone_space).
		 */
		s16 *tmp = out + herald_tone_frames(samples, rate);

		for (i = 0; i < samples; i++)
			tmp[i] = herald_le16(le + 2 * i);
		herald_decimate2(out, tmp, samples);
		return 0;
	}
	if (herald_resampler_init(&rs, HERALD_TONE_RATE, rate) || rs.ratio != 3)
		return -EINVAL;
	/* The filter's delay is taken off the front and made up at the end
	 * with silence fed through it, so the tone starts and ends on time.
	 */
	skip = herald_resampler_delay(&rs);
	total = herald_tone_frames(samples, rate);
	for (i = 0; done < total; i += n) {
		n = i < samples ? min_t(u32, TONE_CHUNK, samples - i) : TONE_CHUNK;
		for (k = 0; k < n; k++)
			in[k] = i + k < samples ? herald_le16(le + 2 * (i + k)) : 0;
		herald_resample(&rs, up, in, n);
		for (k = 0; k < 3 * n && done < total; k++) {
			if (skip) {
				skip--;
				continue;
			}
			out[done++] = up[k];
		}
	}
	return 0;
}
