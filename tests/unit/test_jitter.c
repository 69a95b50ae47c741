// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/jitter.c: playout at the target delay, late and
 * reordered packets, timeline jumps, the drift controller against a sender
 * whose clock runs 0.1% fast or slow, concealment and gain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jitter.h"

static struct herald_jb jb;

static void fill_payload(u8 *p, u32 ts, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)((ts + i) * 7 + 1);
}

static void test_playout_at_target(void **state)
{
	u8 pkt[160], code[320], tag[320];
	u32 i, p;

	herald_jb_init(&jb, 480, 0);	/* 60 ms */
	fill_payload(pkt, 1000, 160);
	assert_int_equal(herald_jb_put(&jb, 42, 1000, 0, pkt, 160), HERALD_JB_STARTED);
	assert_int_equal(herald_jb_level(&jb), 480 + 160);
	/* Six periods of 10 ms of nothing: the target delay. */
	for (p = 0; p < 6; p++)
		assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL), 0);
	for (p = 0; p < 2; p++) {
		assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL), 80);
		for (i = 0; i < 80; i++) {
			assert_int_equal(code[i], (u8)((1000 + p * 80 + i) * 7 + 1));
			assert_int_equal(tag[i], HERALD_JB_PRESENT | 0);
		}
	}
	assert_int_equal(herald_jb_level(&jb), 0);
	/* Slots are cleared as they are read. */
	assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL), 0);
	/* Holes: missing units before the newest one received, not after. */
	herald_jb_init(&jb, 80, 0);
	herald_jb_put(&jb, 42, 1000, 0, pkt, 160);
	herald_jb_put(&jb, 42, 1320, 0, pkt, 160);
	{
		u32 holes;

		assert_int_equal(herald_jb_pull(&jb, code, tag, 80, &holes), 0);
		assert_int_equal(holes, 0);	/* the lead before the page */
		assert_int_equal(herald_jb_pull(&jb, code, tag, 320, &holes), 160);
		assert_int_equal(holes, 160);	/* 1160..1319 never came */
		herald_jb_pull(&jb, code, tag, 320, &holes);
		assert_int_equal(holes, 0);	/* 1480..: the talker stopped */
	}
	/* Skipping the lead: never into the first packet. */
	herald_jb_init(&jb, 480, 0);
	herald_jb_put(&jb, 42, 1000, 0, pkt, 160);
	assert_int_equal(herald_jb_skip_lead(&jb, 100), 100);
	assert_int_equal(herald_jb_level(&jb), 380 + 160);
	assert_int_equal(herald_jb_skip_lead(&jb, 1000), 380);
	assert_int_equal(herald_jb_skip_lead(&jb, 1000), 0);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL), 80);
	/* A first packet 60 units late: the next one shows it, the lead is
	 * trimmed so that the level is target + one packet again.
	 */
	herald_jb_init(&jb, 480, 0);
	herald_jb_put(&jb, 42, 1000, 0, pkt, 160);
	herald_jb_pull(&jb, code, tag, 100, NULL);	/* 100 units of time pass */
	herald_jb_put(&jb, 42, 1160, 0, pkt, 160);	/* on the sender's time */
	assert_int_equal(herald_jb_trim_lead(&jb), 60);
	assert_int_equal(herald_jb_level(&jb), 480 + 160);
	assert_int_equal(herald_jb_trim_lead(&jb), 0);
	/* A preroll is added to the first packet's delay, not the level. */
	herald_jb_init(&jb, 480, 320);
	assert_int_equal(herald_jb_put(&jb, 42, 1000, 0, pkt, 160), HERALD_JB_STARTED);
	assert_int_equal(herald_jb_level(&jb), 480 + 320 + 160);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 320, NULL), 0);
	assert_int_equal(herald_jb_level(&jb), 480 + 160);
}

static void test_late_and_reordered(void **state)
{
	u8 pkt[160], code[160], tag[160];

	herald_jb_init(&jb, 320, 0);
	fill_payload(pkt, 0, 160);
	assert_int_equal(herald_jb_put(&jb, 1, 0, 8, pkt, 160), HERALD_JB_STARTED);
	/* Packets 2 then 1: both in time. */
	assert_int_equal(herald_jb_put(&jb, 1, 320, 8, pkt, 160), HERALD_JB_OK);
	assert_int_equal(herald_jb_put(&jb, 1, 160, 8, pkt, 160), HERALD_JB_OK);
	assert_int_equal(herald_jb_level(&jb), 320 + 480);
	herald_jb_pull(&jb, code, tag, 160, NULL);
	herald_jb_pull(&jb, code, tag, 160, NULL);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 160, NULL), 160);
	assert_int_equal(tag[0], HERALD_JB_PRESENT | 8);
	/* Read position is 160 now: a packet at 0 is late. */
	assert_int_equal(herald_jb_put(&jb, 1, 0, 8, pkt, 160), HERALD_JB_LATE);
	/* One straddling the read position keeps its future part. */
	assert_int_equal(herald_jb_put(&jb, 1, 80, 8, pkt, 160), HERALD_JB_OK);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 160, NULL), 160);
}

static void test_jumps_and_ssrc(void **state)
{
	u8 pkt[160];

	herald_jb_init(&jb, 480, 0);
	fill_payload(pkt, 0, 160);
	assert_int_equal(herald_jb_put(&jb, 1, 5000, 0, pkt, 160), HERALD_JB_STARTED);
	/* An hour forward, an hour back: re-anchored each time. */
	assert_int_equal(herald_jb_put(&jb, 1, 5000 + 28800000u, 0, pkt, 160),
			 HERALD_JB_JUMP_FORWARD);
	assert_int_equal(herald_jb_level(&jb), 480 + 160);
	assert_int_equal(herald_jb_put(&jb, 1, 5000, 0, pkt, 160), HERALD_JB_JUMP_BACK);
	assert_int_equal(herald_jb_level(&jb), 480 + 160);
	/* Wrapping the 32-bit timestamp is not a jump. */
	herald_jb_init(&jb, 480, 0);
	assert_int_equal(herald_jb_put(&jb, 1, 0xffffffa0u, 0, pkt, 160), HERALD_JB_STARTED);
	assert_int_equal(herald_jb_put(&jb, 1, 0x40, 0, pkt, 160), HERALD_JB_OK);
	assert_int_equal(herald_jb_level(&jb), 480 + 320);
	/* Another SSRC starts a new page. */
	assert_int_equal(herald_jb_put(&jb, 2, 77, 0, pkt, 160), HERALD_JB_STARTED);
	assert_int_equal(herald_jb_put(&jb, 2, 77, 0, pkt, 0), HERALD_JB_BAD_SIZE);
	assert_int_equal(herald_jb_put(&jb, 2, 77, 0, pkt, HERALD_JB_MAX_PACKET + 1),
			 HERALD_JB_BAD_SIZE);
}

/*
 * 60 s of 20 ms packets from a sender whose clock runs @ppm fast (> 0) or
 * slow, read in 10 ms periods by the card. Returns the corrections made and
 * checks the level after the first 5 s stays within 20 ms of target.
 */
static u32 run_drift(s32 ppm, u32 target)
{
	u8 pkt[160], code[81], tag[81];
	u32 corrections = 0, sent = 0, p;
	double t_send = 0.003, now = 0, ptime = 0.020 * 1e6 / (1e6 + ppm);
	s32 lo = 1 << 30, hi = -(1 << 30);

	herald_jb_init(&jb, target, 0);
	fill_payload(pkt, 0, 160);
	/* At an 8 kHz card one unit is one sample: a corrected period lasts
	 * 79 or 81 samples, and the card comes back for the next one sooner
	 * or later; the reader always takes 80 units.
	 */
	for (p = 0; p < 6000; p++) {
		int d;

		while (t_send <= now) {
			herald_jb_put(&jb, 9, sent * 160, 0, pkt, 160);
			sent++;
			t_send += ptime;
		}
		d = herald_jb_drift(&jb, 80, 1);
		if (d)
			corrections++;
		herald_jb_pull(&jb, code, tag, 80, NULL);
		now += (80 - d) / 8000.0;
		if (p >= 500) {
			s32 err = (s32)herald_jb_level(&jb) - (s32)target;

			lo = err < lo ? err : lo;
			hi = err > hi ? err : hi;
		}
	}
	/* The level is sampled after a read: it moves between target - 80
	 * and target + 160 as packets land; drift must not add 20 ms more.
	 */
	assert_true(lo >= -80 - 160);
	assert_true(hi <= 160 + 160);
	return corrections;
}

static void test_drift_fast(void **state)
{
	u32 n = run_drift(1000, 480);

	printf("# 0.1%% fast: %u corrections\n", n);
	/* 0.1% of 60 s at 8 kHz is 480 units to drop, less what the dead
	 * band (a period and 1 ms: 88 units) lets the level drift first,
	 * and corrections come at most every HERALD_JB_DRIFT_SPACING periods.
	 */
	assert_in_range(n, 480 - 88 - 100, 480 + 32);
}

static void test_drift_slow(void **state)
{
	u32 n = run_drift(-1000, 480);

	printf("# 0.1%% slow: %u corrections\n", n);
	assert_in_range(n, 480 - 88 - 100, 480 + 32);
}

static void test_no_drift(void **state)
{
	u32 n = run_drift(0, 480);

	printf("# no drift: %u corrections\n", n);
	assert_true(n <= 8);
}

static void test_conceal(void **state)
{
	struct herald_conceal c;
	s16 pcm[400];
	u8 tag[400];
	u32 i;

	herald_conceal_init(&c, 160);
	for (i = 0; i < 400; i++) {
		pcm[i] = i < 160 ? (s16)(1000 + i) : 12345;	/* 12345: garbage */
		tag[i] = i < 160 ? HERALD_JB_PRESENT : 0;
	}
	assert_int_equal(herald_conceal(&c, pcm, tag, 400, 1), 240);
	/* Good samples untouched. */
	assert_int_equal(pcm[159], 1159);
	/* First concealed sample: the oldest of the history at full gain. */
	assert_int_equal(pcm[160], 1000);
	/* Fading: half way through the fade, half the level. */
	assert_int_equal(pcm[240], (1080 * 80) / 160);
	/* After the fade: silence. */
	for (i = 320; i < 400; i++)
		assert_int_equal(pcm[i], 0);
	/* Audio back: passes untouched, the fade restarts on the next loss. */
	pcm[0] = 7;
	tag[0] = HERALD_JB_PRESENT;
	assert_int_equal(herald_conceal(&c, pcm, tag, 1, 1), 0);
	assert_int_equal(pcm[0], 7);
	/* Two samples per unit (G.722). */
	herald_conceal_init(&c, 4);
	pcm[0] = 0;
	assert_int_equal(herald_conceal(&c, pcm, tag + 300, 2, 2), 2);
	for (i = 0; i < 4; i++)
		assert_int_equal(pcm[i], 0);
}

static void test_gain(void **state)
{
	s16 pcm[3] = { 1000, -32768, 30000 };

	assert_int_equal(herald_gain_q16(0), 65536);
	assert_in_range(herald_gain_q16(-6), 32800, 32900);	/* 0.5012 */
	assert_in_range(herald_gain_q16(6), 130700, 130850);	/* 1.9953 */
	assert_in_range(herald_gain_q16(-20), 6550, 6560);	/* 0.1 */
	assert_int_equal(herald_gain_q16(-200), herald_gain_q16(-96));
	herald_gain_apply(pcm, 3, herald_gain_q16(6));
	assert_in_range(pcm[0], 1994, 1996);
	assert_int_equal(pcm[1], -32768);
	assert_int_equal(pcm[2], 32767);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_playout_at_target),
		cmocka_unit_test(test_late_and_reordered),
		cmocka_unit_test(test_jumps_and_ssrc),
		cmocka_unit_test(test_drift_fast),
		cmocka_unit_test(test_drift_slow),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_conceal),
		cmocka_unit_test(test_gain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
