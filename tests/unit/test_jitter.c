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

#include <linux/herald.h>

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
		assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL, NULL), 0);
	for (p = 0; p < 2; p++) {
		assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL, NULL), 80);
		for (i = 0; i < 80; i++) {
			assert_int_equal(code[i], (u8)((1000 + p * 80 + i) * 7 + 1));
			assert_int_equal(tag[i], HERALD_JB_PRESENT | 0);
		}
	}
	assert_int_equal(herald_jb_level(&jb), 0);
	/* Slots are cleared as they are read. */
	assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL, NULL), 0);
	/* Holes: missing units before the newest one received, not after. */
	herald_jb_init(&jb, 80, 0);
	herald_jb_put(&jb, 42, 1000, 0, pkt, 160);
	herald_jb_put(&jb, 42, 1320, 0, pkt, 160);
	{
		u32 holes;

		assert_int_equal(herald_jb_pull(&jb, code, tag, 80, &holes, NULL), 0);
		assert_int_equal(holes, 0);	/* the lead before the page */
		assert_int_equal(herald_jb_pull(&jb, code, tag, 320, &holes, NULL), 160);
		assert_int_equal(holes, 160);	/* 1160..1319 never came */
		herald_jb_pull(&jb, code, tag, 320, &holes, NULL);
		assert_int_equal(holes, 0);	/* 1480..: the talker stopped */
	}
	/* Skipping the lead: never into the first packet. */
	herald_jb_init(&jb, 480, 0);
	herald_jb_put(&jb, 42, 1000, 0, pkt, 160);
	assert_int_equal(herald_jb_skip_lead(&jb, 100), 100);
	assert_int_equal(herald_jb_level(&jb), 380 + 160);
	assert_int_equal(herald_jb_skip_lead(&jb, 1000), 380);
	assert_int_equal(herald_jb_skip_lead(&jb, 1000), 0);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 80, NULL, NULL), 80);
	/* A first packet 60 units late: the next one shows it, the lead is
	 * trimmed so that the level is target + one packet again.
	 */
	herald_jb_init(&jb, 480, 0);
	herald_jb_put(&jb, 42, 1000, 0, pkt, 160);
	herald_jb_pull(&jb, code, tag, 100, NULL, NULL);	/* 100 units of time pass */
	herald_jb_put(&jb, 42, 1160, 0, pkt, 160);	/* on the sender's time */
	assert_int_equal(herald_jb_trim_lead(&jb), 60);
	assert_int_equal(herald_jb_level(&jb), 480 + 160);
	assert_int_equal(herald_jb_trim_lead(&jb), 0);
	/* A preroll is added to the first packet's delay, not the level. */
	herald_jb_init(&jb, 480, 320);
	assert_int_equal(herald_jb_put(&jb, 42, 1000, 0, pkt, 160), HERALD_JB_STARTED);
	assert_int_equal(herald_jb_level(&jb), 480 + 320 + 160);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 320, NULL, NULL), 0);
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
	herald_jb_pull(&jb, code, tag, 160, NULL, NULL);
	herald_jb_pull(&jb, code, tag, 160, NULL, NULL);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 160, NULL, NULL), 160);
	assert_int_equal(tag[0], HERALD_JB_PRESENT | 8);
	/* Read position is 160 now: a packet at 0 is late. */
	assert_int_equal(herald_jb_put(&jb, 1, 0, 8, pkt, 160), HERALD_JB_LATE);
	/* One straddling the read position keeps its future part. */
	assert_int_equal(herald_jb_put(&jb, 1, 80, 8, pkt, 160), HERALD_JB_OK);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 160, NULL, NULL), 160);
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

/* A small deterministic generator: the same "random" stalls every run. */
static u32 lcg_state;

static u32 lcg(u32 n)
{
	lcg_state = lcg_state * 1664525u + 1013904223u;
	return (lcg_state >> 8) % n;
}

struct drift_run {
	u32 corrections;
	u32 late;
	u32 underruns;
	s32 lo, hi;		/* delay of the newest unit after 10 s, less the reference */
};

/*
 * 60 s of 20 ms packets from a sender whose clock runs @ppm fast (> 0) or
 * slow, played by an 8 kHz card (one unit is one sample) with a buffer of
 * four 10 ms periods, simulated unit by unit. The writer takes a period
 * whenever the card has room for one, and the card comes back a sample
 * sooner or later after a corrected period. With @bursty, as under TCG on
 * a loaded host: about once a second the sender stalls for up to
 * @stall_max units and then sends what it owes at once, and the writer
 * stalls for up to 30 ms (less than the card's buffer) and then catches up.
 */
static void run_drift(struct drift_run *r, s32 ppm, u32 target, bool bursty, u32 stall_max)
{
	const u32 period = 80, card = 320, end = 60 * 8000;
	u8 pkt[160], code[80], tag[80];
	double ptime = 160.0 * 1e6 / (1e6 + ppm), t_due = 3;
	u32 t, sent = 0, send_stall_end = 0, read_stall_end = 0;
	u64 written = 0, played = 0;
	bool ref_seen = false;
	s32 ref = 0;

	memset(r, 0, sizeof(*r));
	r->lo = 1 << 30;
	r->hi = -(1 << 30);
	lcg_state = 12345;
	herald_jb_init(&jb, target, card);
	fill_payload(pkt, 0, 160);
	for (t = 0; t < end; t++) {
		u32 q;

		if (bursty && t % 8000 == 4000 && lcg(2))
			send_stall_end = t + 1 + lcg(stall_max);
		if (bursty && t % 8000 == 1234 && lcg(2))
			read_stall_end = t + 1 + lcg(240);
		while (t >= send_stall_end && t_due <= t) {
			if (herald_jb_put(&jb, 9, sent * 160, 0, pkt, 160) == HERALD_JB_LATE)
				r->late++;
			sent++;
			t_due += ptime;
		}
		/* The card: one sample a unit of time once started. */
		if (written) {
			if (played < written)
				played++;
			else
				r->underruns++;
		}
		q = written - played;
		while (t >= read_stall_end && q + period <= card + 1 && jb.started) {
			int d = herald_jb_drift(&jb, period, 1, q);

			if (d)
				r->corrections++;
			herald_jb_pull(&jb, code, tag, period, NULL, NULL);
			written += period - d;
			q = written - played;
			if (jb.windows >= HERALD_JB_DRIFT_SETTLE && !ref_seen) {
				ref = jb.ref;
				ref_seen = true;
			}
		}
		if (t >= 10 * 8000 && t % 80 == 0) {
			/* Delay of the newest unit: what the controller holds. */
			s32 e = (s32)(herald_jb_level(&jb) + q) - ref;

			r->lo = e < r->lo ? e : r->lo;
			r->hi = e > r->hi ? e : r->hi;
		}
	}
	assert_true(ref_seen);
}

static void test_drift_fast(void **state)
{
	struct drift_run r;

	run_drift(&r, 1000, 480, false, 0);
	printf("# 0.1%% fast: %u corrections, delay %d..%d around the reference\n",
	       r.corrections, r.lo, r.hi);
	/* 0.1% of 60 s at 8 kHz is 480 units to drop, less what the dead
	 * band (a period and 1 ms: 88 units) and the filter let the delay
	 * drift first; the delay never strays much beyond the band (plus the
	 * 160-unit sawtooth of packets landing, and up to a period more: the
	 * reference is taken just before reads, the samples here at any time).
	 */
	assert_in_range(r.corrections, 480 - 88 - 100, 480 + 32);
	assert_true(r.lo >= -160 - 80 - 88 - 40 && r.hi <= 80 + 88 + 40);
	assert_int_equal(r.underruns, 0);
}

static void test_drift_slow(void **state)
{
	struct drift_run r;

	run_drift(&r, -1000, 480, false, 0);
	printf("# 0.1%% slow: %u corrections, delay %d..%d around the reference\n",
	       r.corrections, r.lo, r.hi);
	assert_in_range(r.corrections, 480 - 88 - 100, 480 + 32);
	assert_true(r.lo >= -160 - 80 - 88 - 40 && r.hi <= 80 + 88 + 40);
	assert_int_equal(r.underruns, 0);
}

static void test_no_drift(void **state)
{
	struct drift_run r;

	run_drift(&r, 0, 480, false, 0);
	printf("# no drift: %u corrections\n", r.corrections);
	assert_int_equal(r.corrections, 0);
}

/*
 * The bug this controller replaced: a bursty sender and a writer that
 * runs late and catches up made the old one (instantaneous peaks against
 * a model of the level) correct 25 to 61 times in a 3 s page. Neither is
 * drift: no correction at all, with stalls within the target delay and
 * with stalls beyond it (packets late: counted, still no correction).
 */
static void test_no_drift_bursty(void **state)
{
	struct drift_run r;

	run_drift(&r, 0, 480, true, 400);
	printf("# no drift, bursty: %u corrections, %u late\n", r.corrections, r.late);
	assert_int_equal(r.corrections, 0);
	assert_int_equal(r.late, 0);
	assert_int_equal(r.underruns, 0);
	run_drift(&r, 0, 480, true, 1200);
	printf("# no drift, stalls up to 150 ms: %u corrections, %u late\n", r.corrections, r.late);
	assert_true(r.late > 0);
	assert_int_equal(r.corrections, 0);
}

/* Real drift still shows through the bursts. */
static void test_drift_bursty(void **state)
{
	struct drift_run r;

	run_drift(&r, 1000, 480, true, 400);
	printf("# 0.1%% fast, bursty: %u corrections\n", r.corrections);
	assert_in_range(r.corrections, 480 - 88 - 160, 480 + 32);
	run_drift(&r, -1000, 480, true, 400);
	printf("# 0.1%% slow, bursty: %u corrections\n", r.corrections);
	assert_in_range(r.corrections, 480 - 88 - 160, 480 + 32);
}

/*
 * 5% of the packets lost and one in ten swapped with its successor, on time
 * otherwise (the swap stays well within the target delay): every lost unit,
 * and only those, is counted concealed; nothing is late, nothing is a gap,
 * every unit that arrived plays.
 */
static void test_loss_and_reordering(void **state)
{
	u8 pkt[160], code[80], tag[80];
	u32 holes, gap, k, lost = 0, late = 0, concealed = 0, gaps = 0, played = 0;
	u32 order[1000];
	bool drop[1000];

	lcg_state = 777;
	for (k = 0; k < 1000; k++) {
		order[k] = k;
		drop[k] = k > 0 && k < 999 && lcg(100) < 5;
		lost += drop[k] ? 160 : 0;
	}
	for (k = 1; k + 1 < 1000; k++)
		if (lcg(10) == 0) {
			u32 t = order[k];

			order[k] = order[k + 1];
			order[k + 1] = t;
			k++;
		}
	herald_jb_init(&jb, 480, 0);
	fill_payload(pkt, 0, 160);
	/* One packet every 20 ms (in the shuffled order), two 10 ms reads. */
	for (k = 0; k < 1000 + 10; k++) {
		u32 r;

		if (k < 1000 && !drop[order[k]] &&
		    herald_jb_put(&jb, 3, order[k] * 160, 0, pkt, 160) == HERALD_JB_LATE)
			late++;
		for (r = 0; r < 2; r++) {
			played += herald_jb_pull(&jb, code, tag, 80, &holes, &gap);
			concealed += holes;
			gaps += gap;
		}
	}
	assert_in_range(lost, 30 * 160, 70 * 160);	/* about 5% */
	assert_int_equal(late, 0);
	assert_int_equal(gaps, 0);
	assert_int_equal(concealed, lost);
	assert_int_equal(played, 1000 * 160 - lost);
}

/* Units read from an empty buffer count once the page shows it went on. */
static void test_gap_accounting(void **state)
{
	u8 pkt[160], code[160], tag[160];
	u32 holes, gap;

	herald_jb_init(&jb, 160, 0);
	fill_payload(pkt, 0, 160);
	herald_jb_put(&jb, 5, 0, 0, pkt, 160);
	herald_jb_pull(&jb, code, tag, 160, &holes, &gap);	/* the lead */
	assert_int_equal(holes + gap, 0);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 160, &holes, &gap), 160);
	/* The sender stalls: two periods read from an empty buffer. */
	herald_jb_pull(&jb, code, tag, 160, &holes, &gap);
	herald_jb_pull(&jb, code, tag, 160, &holes, &gap);
	assert_int_equal(holes + gap, 0);	/* not known yet */
	/* Its packets for them come late, the next one in time. */
	assert_int_equal(herald_jb_put(&jb, 5, 160, 0, pkt, 160), HERALD_JB_LATE);
	assert_int_equal(herald_jb_put(&jb, 5, 320, 0, pkt, 160), HERALD_JB_LATE);
	assert_int_equal(herald_jb_put(&jb, 5, 480, 0, pkt, 160), HERALD_JB_OK);
	assert_int_equal(herald_jb_pull(&jb, code, tag, 160, &holes, &gap), 160);
	assert_int_equal(gap, 320);
	assert_int_equal(holes, 0);
	/* Read dry at the end of a page: its end, never counted. */
	herald_jb_pull(&jb, code, tag, 160, &holes, &gap);
	herald_jb_pull(&jb, code, tag, 160, &holes, &gap);
	assert_int_equal(holes + gap, 0);
	herald_jb_reset(&jb);
	herald_jb_put(&jb, 6, 9000, 0, pkt, 160);
	herald_jb_pull(&jb, code, tag, 160, &holes, &gap);
	assert_int_equal(holes + gap, 0);
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

/* A stream's offset on the sink's volume, clamped to what a sink takes. */
static void test_volume(void **state)
{
	(void)state;
	assert_int_equal(herald_volume_db(0, -6), -6);
	assert_int_equal(herald_volume_db(-10, 0), -10);
	assert_int_equal(herald_volume_db(6, 12), 18);
	assert_int_equal(herald_volume_db(20, 24), HERALD_SINK_VOLUME_DB_MAX);
	assert_int_equal(herald_volume_db(-90, -48), HERALD_SINK_VOLUME_DB_MIN);
	assert_int_equal(herald_volume_db(HERALD_SINK_VOLUME_DB_MIN, HERALD_STREAM_VOLUME_OFFSET_DB_MAX),
			 HERALD_SINK_VOLUME_DB_MIN + HERALD_STREAM_VOLUME_OFFSET_DB_MAX);
	/* -6 dB is half the amplitude to within 0.3%. */
	assert_in_range(herald_gain_q16(herald_volume_db(0, -6)), 32800, 32900);
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
		cmocka_unit_test(test_no_drift_bursty),
		cmocka_unit_test(test_drift_bursty),
		cmocka_unit_test(test_gap_accounting),
		cmocka_unit_test(test_loss_and_reordering),
		cmocka_unit_test(test_conceal),
		cmocka_unit_test(test_volume),
		cmocka_unit_test(test_gain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
