/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sink's pre-announce tone: the built-in two-note chime, made at the
 * sink's rate, and an uploaded tone (s16le mono at HERALD_TONE_RATE)
 * converted once to the sink's rate. Pure logic with integer maths only (no
 * floating point in the kernel), no allocation: the caller sizes the output
 * with herald_chime_frames() / herald_tone_frames(). Built for the unit
 * tests as it is.
 */
#ifndef _HERALD_TONE_H
#define _HERALD_TONE_H

#include <linux/types.h>

#define HERALD_TONE_RATE 16000		/* uploaded tones: s16le mono */

/*
 * The chime: two notes, a falling sixth's worth of doorbell, each
 * HERALD_CHIME_NOTE_MS long: a 5 ms rise, then a quadratic decay to
 * silence, so the notes join without a click and the tone ends silent.
 * Peak HERALD_CHIME_PEAK (-6 dBFS): the page's volume may add up to
 * +24 dB, saturated like the page's own audio.
 */
#define HERALD_CHIME_NOTE1_HZ 880
#define HERALD_CHIME_NOTE2_HZ 660
#define HERALD_CHIME_NOTE_MS 400
#define HERALD_CHIME_RISE_MS 5
#define HERALD_CHIME_PEAK 16384

/* sin(2 pi phase / 2^32) in Q30 (1 << 30 is 1.0), within 2^-23. */
s32 herald_sin_q30(u32 phase);

/* Frames of the chime at @rate Hz. */
u32 herald_chime_frames(u32 rate);
/* Write the chime at @rate (8000, 16000 or 48000) into @out. */
void herald_chime(s16 *out, u32 rate);

/* Frames at @rate of a tone of @samples samples at HERALD_TONE_RATE. */
u32 herald_tone_frames(u32 samples, u32 rate);
/*
 * Samples of room herald_tone_convert() needs at @out: the frames, and at
 * 8000 Hz room after them for the input as s16 (the decimator's input
 * must not overlap its output).
 */
u32 herald_tone_space(u32 samples, u32 rate);
/*
 * Convert the tone at @le (@samples s16 little-endian samples at
 * HERALD_TONE_RATE) to @rate (8000: half-band filtered and decimated;
 * 16000: as is; 48000: the resampler's interpolation by 3, its delay taken
 * out) into the first herald_tone_frames() of the herald_tone_space()
 * samples at @out. -EINVAL for another rate.
 */
int herald_tone_convert(s16 *out, u32 rate, const u8 *le, u32 samples);

#endif /* _HERALD_TONE_H */
