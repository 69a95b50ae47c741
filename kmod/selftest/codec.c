// SPDX-License-Identifier: GPL-2.0
/*
 * Codec self-test: G.711 and G.722 decoding, interpolation and the drift
 * absorber, against values checked with SoX and FFmpeg on the build host.
 * #included at the end of resample.c under HERALD_SELFTEST (run at module
 * load) and, through resample.c, by tests/unit/test_resample.c.
 *
 * Stack use is kept small (a few hundred bytes of buffers): this runs from
 * module init.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "g711.h"
#include "g722.h"

struct codec_test_g711 {
	u8 code;
	s16 ulaw, alaw;		/* SoX's decoding of the code under each law */
};

static const struct codec_test_g711 codec_test_g711[] __initconst = {
	{ 0x00, -32124, -5504 },
	{ 0x01, -31100, -5248 },
	{ 0x2a, -5372, -32256 },
	{ 0x55, -716, -8 },
	{ 0x7e, -8, -880 },
	{ 0x7f, 0, -848 },
	{ 0x80, 32124, 5504 },
	{ 0xaa, 5372, 32256 },
	{ 0xd5, 716, 8 },
	{ 0xfe, 8, 880 },
	{ 0xff, 0, 848 },
};

static bool __init codec_test_g711_all(void)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(codec_test_g711); i++) {
		const struct codec_test_g711 *t = &codec_test_g711[i];
		s16 u = herald_ulaw_decode(t->code), a = herald_alaw_decode(t->code);

		if (u != t->ulaw || a != t->alaw) {
			pr_err("codec self-test: G.711 code %#x gives %d/%d, expected %d/%d\n",
			       t->code, u, a, t->ulaw, t->alaw);
			ok = false;
		}
	}
	/* Every code survives decode then encode (µ-law's -0 becomes +0). */
	for (i = 0; i < 256; i++) {
		u8 c = (u8)i;

		if (herald_alaw_encode(herald_alaw_decode(c)) != c ||
		    herald_ulaw_encode(herald_ulaw_decode(c)) != (c == 0x7f ? 0xff : c)) {
			pr_err("codec self-test: G.711 code %#x does not round-trip\n", c);
			ok = false;
		}
	}
	return ok;
}

/*
 * 240 pseudo-random octets (LCG x = x * 1664525 + 1013904223 from 0x1234567,
 * top byte), which drive the decoder's saturations; the FNV-1a hash of the
 * 480 samples (little-endian) FFmpeg 5.1 decodes them to.
 */
#define CODEC_TEST_G722_LEN 240
#define CODEC_TEST_G722_FNV 0x0a0bfa73U

static bool __init codec_test_g722(void)
{
	struct herald_g722_dec dec;
	s16 pcm[2 * 16];
	u8 oct[16];
	u32 x = 0x1234567, h = 0x811c9dc5;
	unsigned int i, j;

	herald_g722_init(&dec);
	for (i = 0; i < CODEC_TEST_G722_LEN; i += ARRAY_SIZE(oct)) {
		for (j = 0; j < ARRAY_SIZE(oct); j++) {
			x = x * 1664525 + 1013904223;
			oct[j] = x >> 24;
		}
		herald_g722_decode(&dec, pcm, oct, ARRAY_SIZE(oct));
		for (j = 0; j < ARRAY_SIZE(pcm); j++) {
			h = (h ^ ((u16)pcm[j] & 0xff)) * 16777619;
			h = (h ^ ((u16)pcm[j] >> 8)) * 16777619;
		}
	}
	if (h != CODEC_TEST_G722_FNV) {
		pr_err("codec self-test: G.722 vector hashes to %#x, expected %#x\n",
		       h, CODEC_TEST_G722_FNV);
		return false;
	}
	return true;
}

/*
 * Each ratio: a constant comes out exactly once the history is full (every
 * phase has a DC gain of 1), and one phase passes the input through: input
 * i reappears as output i * ratio + delay.
 */
#define CODEC_TEST_RS_LEN 24	/* covers the longest delay, 95 / 6 inputs, plus 8 */

static bool __init codec_test_resample(void)
{
	static const u32 rates[][2] __initconst = {
		{ 8000, 8000 }, { 8000, 16000 }, { 16000, 48000 }, { 8000, 48000 },
	};
	struct herald_resampler rs;
	s16 in[CODEC_TEST_RS_LEN], out[6 * CODEC_TEST_RS_LEN];
	unsigned int r, i;
	bool ok = true;

	for (r = 0; r < ARRAY_SIZE(rates); r++) {
		bool good = true;
		u32 l, d;

		if (herald_resampler_init(&rs, rates[r][0], rates[r][1])) {
			pr_err("codec self-test: resampler refuses %u -> %u\n",
			       rates[r][0], rates[r][1]);
			ok = false;
			continue;
		}
		l = herald_resampler_ratio(&rs);
		d = herald_resampler_delay(&rs);

		for (i = 0; i < CODEC_TEST_RS_LEN; i++)
			in[i] = -12345;
		for (i = 0; i <= HERALD_RS_TAPS / CODEC_TEST_RS_LEN + 1; i++)	/* fill */
			herald_resample(&rs, out, in, CODEC_TEST_RS_LEN);
		for (i = 0; i < l * CODEC_TEST_RS_LEN; i++)
			good &= out[i] == -12345;

		herald_resampler_reset(&rs);
		for (i = 0; i < CODEC_TEST_RS_LEN; i++)
			in[i] = (s16)(i * 4099 - 30000);
		for (i = 0; i < CODEC_TEST_RS_LEN; i++)	/* one at a time */
			herald_resample(&rs, &out[i * l], &in[i], 1);
		for (i = 0; i * l + d < l * CODEC_TEST_RS_LEN; i++)
			good &= out[i * l + d] == in[i];

		if (!good) {
			pr_err("codec self-test: resampling by %u fails\n", l);
			ok = false;
		}
	}
	if (herald_resampler_init(&rs, 8000, 44100) != -EINVAL ||
	    herald_resampler_init(&rs, 16000, 8000) != -EINVAL) {
		pr_err("codec self-test: resampler accepts a ratio it cannot do\n");
		ok = false;
	}
	return ok;
}

/*
 * Equal lengths copy, HERALD_STRETCH_DELAY samples late; one sample more
 * spreads a ramp evenly (Lagrange interpolation is exact on a straight line),
 * continuing the previous chunk.
 */
static bool __init codec_test_stretch(void)
{
	struct herald_stretch st;
	s16 in[16], out[17];
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		in[i] = (s16)(1000 * i);
	herald_stretch_init(&st);
	ok &= herald_stretch(&st, out, 16, in, 16);
	for (i = HERALD_STRETCH_DELAY; i < 16; i++)
		ok &= out[i] == in[i - HERALD_STRETCH_DELAY];

	for (i = 0; i < ARRAY_SIZE(in); i++)
		in[i] = (s16)(1000 * (i + 16));
	ok &= herald_stretch(&st, out, 17, in, 16);
	for (i = 0; i < 17; i++) {
		/* 17 * (expected 13000 + 16000 * i / 17), within a sample */
		s32 err = 17 * out[i] - (17 * 13000 + 16000 * (s32)i);

		ok &= err >= -17 && err <= 17;
	}
	ok &= !herald_stretch(&st, out, 0, in, 16);
	if (!ok)
		pr_err("codec self-test: drift absorber fails\n");
	return ok;
}

bool __init herald_codec_selftest(void)
{
	bool ok = true;

	ok &= codec_test_g711_all();
	ok &= codec_test_g722();
	ok &= codec_test_resample();
	ok &= codec_test_stretch();
	if (ok)
		pr_info("codec self-tests: pass\n");
	return ok;
}
