// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/rtp.c: the module's self-test tables (same source as
 * the module runs at load), then what tables do badly: field extraction,
 * random input, long simulated streams, and RFC 3550 statistics worked out by
 * hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define HERALD_SELFTEST
#include "rtp.h"
#include "selftest/rtp.c"

static u64 rng_state = 0x853c49e6748fea9bULL;

static u64 rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void test_selftest_tables(void **state)
{
	assert_true(herald_rtp_selftest());
}

static void test_parse_fields(void **state)
{
	/* V=2 X=1 CC=2, M=0 PT=0, seq 0x0102, ts 0x03040506, ssrc 0x0708090a. */
	static const u8 pkt[] = {
		0x92, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
		0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22,		/* CSRCs */
		0x10, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,		/* ext, 2 words */
		0xd5, 0xd5, 0xd5,					/* payload */
		1, 2, 3, 4,						/* "tag" */
	};
	struct herald_rtp_hdr hdr;

	assert_int_equal(herald_rtp_parse(pkt, sizeof(pkt), 4, &hdr), HERALD_RTP_OK);
	assert_int_equal(hdr.seq, 0x0102);
	assert_int_equal(hdr.timestamp, 0x03040506);
	assert_int_equal(hdr.ssrc, 0x0708090a);
	assert_int_equal(hdr.pt, 0);
	assert_false(hdr.marker);
	assert_false(hdr.padding);
	assert_true(hdr.extension);
	assert_int_equal(hdr.cc, 2);
	assert_int_equal(hdr.hdr_len, 32);
	assert_int_equal(hdr.payload_len, 3);
	assert_int_equal(herald_rtp_unpad(pkt, &hdr), HERALD_RTP_OK);
	assert_int_equal(hdr.payload_len, 3);

	/* Everything up to the trailer, and not one byte more, is needed. */
	assert_int_equal(herald_rtp_parse(pkt, sizeof(pkt), 8, &hdr), HERALD_RTP_BAD_EXT);
	assert_int_equal(herald_rtp_parse(pkt, sizeof(pkt), 7, &hdr), HERALD_RTP_OK);
	assert_int_equal(hdr.payload_len, 0);
}

static void test_unpad_once(void **state)
{
	static const u8 pkt[] = {
		0xa0, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,
		0x55, 0x55, 0, 2,
	};
	struct herald_rtp_hdr hdr;

	assert_int_equal(herald_rtp_parse(pkt, sizeof(pkt), 0, &hdr), HERALD_RTP_OK);
	assert_true(hdr.padding);
	assert_int_equal(hdr.payload_len, 4);
	assert_int_equal(herald_rtp_unpad(pkt, &hdr), HERALD_RTP_OK);
	assert_int_equal(hdr.payload_len, 2);
	/* A second call must not strip the audio as if it were padding. */
	assert_int_equal(herald_rtp_unpad(pkt, &hdr), HERALD_RTP_OK);
	assert_int_equal(hdr.payload_len, 2);
}

/*
 * SRTP encrypts the padding count, but a P bit on a packet with no payload
 * byte to hold it is visibly malformed: parse refuses it before any crypto.
 */
static void test_padding_refused_before_crypto(void **state)
{
	static const u8 pkt[] = {
		0xa0, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10,		/* tag */
	};
	struct herald_rtp_hdr hdr;

	assert_int_equal(herald_rtp_parse(pkt, 12, 0, &hdr), HERALD_RTP_BAD_PADDING);
	assert_int_equal(herald_rtp_parse(pkt, sizeof(pkt), 10, &hdr), HERALD_RTP_BAD_PADDING);
	assert_int_equal(herald_rtp_parse(pkt, sizeof(pkt), 9, &hdr), HERALD_RTP_OK);
	assert_true(hdr.padding);
	assert_int_equal(hdr.payload_len, 1);
}

/*
 * Random bytes, each buffer allocated at its exact length so that a read past
 * the end shows under valgrind or ASan; whatever the verdict, a parse that
 * succeeds must describe bytes inside the buffer.
 */
static void test_random_input(void **state)
{
	unsigned int i, ok = 0;

	for (i = 0; i < 200000; i++) {
		size_t len = rng() % 96, trailer = rng() % 20, j;
		u8 *pkt = malloc(len ? len : 1);
		struct herald_rtp_hdr hdr;

		assert_non_null(pkt);
		for (j = 0; j < len; j++)
			pkt[j] = rng();
		/* Bias towards version 2, or nearly nothing would parse. */
		if (len && rng() % 2)
			pkt[0] = (pkt[0] & 0x3f) | 0x80;
		if (len > 13 && rng() % 2)
			pkt[12] = pkt[13] = 0;	/* short extensions */

		herald_rtp_demux(pkt, len);
		if (herald_rtp_parse(pkt, len, trailer, &hdr) == HERALD_RTP_OK) {
			assert_true(hdr.hdr_len >= HERALD_RTP_FIXED_LEN);
			assert_true((size_t)hdr.hdr_len + hdr.payload_len + trailer == len);
			if (herald_rtp_unpad(pkt, &hdr) == HERALD_RTP_OK) {
				assert_true((size_t)hdr.hdr_len + hdr.payload_len + trailer <= len);
				assert_false(hdr.padding);
				ok++;
			}
		}
		free(pkt);
	}
	assert_true(ok > 10000);
}

static void test_demux_exhaustive(void **state)
{
	unsigned int b0, b1;

	for (b0 = 0; b0 < 256; b0++) {
		for (b1 = 0; b1 < 256; b1++) {
			const u8 pkt[2] = { b0, b1 };
			enum herald_demux d = herald_rtp_demux(pkt, 2);
			enum herald_demux want;

			if (b0 < 4)
				want = HERALD_DEMUX_STUN;
			else if (b0 >= 16 && b0 < 20)
				want = HERALD_DEMUX_ZRTP;
			else if (b0 >= 20 && b0 < 64)
				want = HERALD_DEMUX_DTLS;
			else if (b0 < 128 || b0 >= 192)
				want = HERALD_DEMUX_OTHER;
			else if ((b1 >= 192 && b1 <= 223) || (b1 >= 64 && b1 <= 95))
				want = HERALD_DEMUX_RTCP;
			else
				want = HERALD_DEMUX_RTP;
			if (d != want)
				fail_msg("%02x %02x: %d, expected %d", b0, b1, d, want);
		}
	}
}

/*
 * A stream of 300000 packets (over four SEQ wraps) from a random start,
 * reordered within 200 positions, with 5% loss and one burst of 30000 lost:
 * every estimate must be the sender's true index (RFC 3711 §3.3.1 holds while
 * reordering stays under 2^15).
 */
static void test_index_long_stream(void **state)
{
	enum { N = 300000, SPREAD = 200 };
	u64 *order = malloc(N * sizeof(*order));
	u64 start = rng() % 65536, i;
	struct herald_srtp_index st;
	unsigned int delivered = 0;

	assert_non_null(order);
	for (i = 0; i < N; i++)
		order[i] = start + i + (i >= N / 2 ? 30000 : 0);
	for (i = 0; i + SPREAD < N; i++) {
		u64 j = i + rng() % SPREAD, t = order[i];

		order[i] = order[j];
		order[j] = t;
	}

	herald_srtp_index_init(&st, 0);
	for (i = 0; i < N; i++) {
		u64 index = 0;

		if (rng() % 20 == 0)
			continue;
		assert_int_equal(herald_srtp_index_guess(&st, (u16)order[i], &index),
				 HERALD_INDEX_OK);
		if (index != order[i])
			fail_msg("packet %llu: estimated %#llx, sent %#llx", (unsigned long long)i,
				 (unsigned long long)index, (unsigned long long)order[i]);
		herald_srtp_index_update(&st, index);
		delivered++;
	}
	assert_true(st.roc >= 4);
	assert_true(delivered > N * 9 / 10);
	free(order);
}

static void test_stats_in_order_across_wrap(void **state)
{
	struct herald_rtp_stats s;
	struct herald_rtp_report r;
	u16 seq = 65530;
	int i;

	herald_rtp_stats_init(&s, seq, 0);
	for (i = 0; i < 16; i++)
		assert_true(herald_rtp_stats_update_seq(&s, seq++));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 65536 + 9);
	assert_int_equal(r.cumulative_lost, 0);
	assert_int_equal(r.fraction_lost, 0);
}

static void test_stats_loss(void **state)
{
	struct herald_rtp_stats s;
	struct herald_rtp_report r;
	u16 seq;

	herald_rtp_stats_init(&s, 100, 0);
	/* 100 .. 199 with every tenth (109, 119, ...) lost: 10 of 100. */
	for (seq = 100; seq < 200; seq++)
		if (seq % 10 != 9)
			assert_true(herald_rtp_stats_update_seq(&s, seq));
	/* The last one, 199, was lost: max is 198, 99 expected, 9 lost. */
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 198);
	assert_int_equal(r.cumulative_lost, 9);
	assert_int_equal(r.fraction_lost, 9 * 256 / 99);	/* 23 */

	/* 199 comes after all, then 200 .. 299: nothing lost this interval. */
	assert_true(herald_rtp_stats_update_seq(&s, 199));
	for (seq = 200; seq < 300; seq++)
		assert_true(herald_rtp_stats_update_seq(&s, seq));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 299);
	assert_int_equal(r.cumulative_lost, 9);
	assert_int_equal(r.fraction_lost, 0);

	/* One of two lost: 1/2 of 256. Then a duplicate: lost goes down. */
	assert_true(herald_rtp_stats_update_seq(&s, 301));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.fraction_lost, 128);
	assert_int_equal(r.cumulative_lost, 10);
	assert_true(herald_rtp_stats_update_seq(&s, 301));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.cumulative_lost, 9);
	assert_int_equal(r.fraction_lost, 0);	/* negative loss reports 0 */
}

static void test_stats_duplicates_negative(void **state)
{
	struct herald_rtp_stats s;
	struct herald_rtp_report r;

	herald_rtp_stats_init(&s, 7, 0);
	assert_true(herald_rtp_stats_update_seq(&s, 7));
	assert_true(herald_rtp_stats_update_seq(&s, 8));
	assert_true(herald_rtp_stats_update_seq(&s, 8));
	assert_true(herald_rtp_stats_update_seq(&s, 7));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.cumulative_lost, -2);
}

/* The report field is 24-bit signed: losses beyond it saturate. */
static void test_stats_lost_saturates(void **state)
{
	struct herald_rtp_stats s;
	struct herald_rtp_report r;
	u16 seq = 0;
	int i;

	herald_rtp_stats_init(&s, seq, 0);
	assert_true(herald_rtp_stats_update_seq(&s, seq));
	/* 2998 lost before each packet: 3000 * 2998 > 2^23 - 1. */
	for (i = 0; i < 3000; i++)
		assert_true(herald_rtp_stats_update_seq(&s, seq += 2999));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 3000 * 2999);
	assert_int_equal(r.cumulative_lost, 0x7fffff);

	herald_rtp_stats_init(&s, seq, 0);
	for (i = 0; i < 0x800002; i++)
		assert_true(herald_rtp_stats_update_seq(&s, seq));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.cumulative_lost, -0x800000);
}

static void test_stats_probation(void **state)
{
	struct herald_rtp_stats s;
	struct herald_rtp_report r;

	/* RFC 3550 A.1 with MIN_SEQUENTIAL 2: the second in a row validates. */
	herald_rtp_stats_init(&s, 1000, 2);
	assert_false(herald_rtp_stats_update_seq(&s, 1000));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.cumulative_lost, 0);
	assert_true(herald_rtp_stats_update_seq(&s, 1001));
	assert_true(herald_rtp_stats_update_seq(&s, 1003));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 1003);
	assert_int_equal(r.cumulative_lost, 1);	/* counted from 1001 */

	/* A broken run starts over from the packet that broke it. */
	herald_rtp_stats_init(&s, 0, 2);
	assert_false(herald_rtp_stats_update_seq(&s, 0));
	assert_false(herald_rtp_stats_update_seq(&s, 5));
	assert_true(herald_rtp_stats_update_seq(&s, 6));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 6);
	assert_int_equal(r.cumulative_lost, 0);

	/* Starting at 0 must not count a wrap. */
	herald_rtp_stats_init(&s, 0, 0);
	assert_true(herald_rtp_stats_update_seq(&s, 0));
	assert_true(herald_rtp_stats_update_seq(&s, 1));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 1);
	assert_int_equal(r.cumulative_lost, 0);
}

static void test_stats_jump(void **state)
{
	struct herald_rtp_stats s;
	struct herald_rtp_report r;

	herald_rtp_stats_init(&s, 5000, 0);
	assert_true(herald_rtp_stats_update_seq(&s, 5000));
	/* A stray far jump is ignored ... */
	assert_false(herald_rtp_stats_update_seq(&s, 40000));
	assert_true(herald_rtp_stats_update_seq(&s, 5001));
	/* ... but a jump confirmed by its successor is a restarted sender. */
	assert_false(herald_rtp_stats_update_seq(&s, 25000));
	assert_true(herald_rtp_stats_update_seq(&s, 25001));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 25001);
	assert_int_equal(r.cumulative_lost, 0);
	/* Just inside MAX_DROPOUT (3000) is a gap, not a jump. */
	assert_true(herald_rtp_stats_update_seq(&s, 25001 + 2999));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.cumulative_lost, 2998);
	/* Late by less than MAX_MISORDER (100): counted, max unchanged. */
	assert_true(herald_rtp_stats_update_seq(&s, 28000 - 99));
	assert_false(herald_rtp_stats_update_seq(&s, 28000 - 100));
	herald_rtp_stats_report(&s, &r);
	assert_int_equal(r.ext_max_seq, 28000);
}

/*
 * RFC 3550 A.8 by hand, 8 kHz, 20 ms packets (160 units), J kept times 16:
 *   ts   arrival  transit  |D|  J*16                        J
 *    0     1000     1000    -     0  (first: no D)           0
 *  160     1160     1000    0     0 + 0  - (0+8)>>4 = 0      0
 *  320     1400     1080   80     0 + 80 - 0        = 80     5
 *  480     1480     1000   80    80 + 80 - 88>>4    = 155    9
 *  640     1640     1000    0   155 + 0  - 163>>4   = 145    9
 *  800     1750      950   50   145 + 50 - 153>>4   = 186   11
 * (the real-valued recursion gives 0, 0, 5, 9.69, 9.08, 11.64).
 */
static void test_jitter_by_hand(void **state)
{
	static const struct { u32 ts, arrival, jitter16, jitter; } steps[] = {
		{ 0, 1000, 0, 0 },
		{ 160, 1160, 0, 0 },
		{ 320, 1400, 80, 5 },
		{ 480, 1480, 155, 9 },
		{ 640, 1640, 145, 9 },
		{ 800, 1750, 186, 11 },
	};
	struct herald_rtp_stats s;
	struct herald_rtp_report r;
	unsigned int i;

	herald_rtp_stats_init(&s, 1, 0);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		herald_rtp_stats_update_jitter(&s, steps[i].ts, steps[i].arrival);
		assert_int_equal(s.jitter, steps[i].jitter16);
		herald_rtp_stats_report(&s, &r);
		assert_int_equal(r.jitter, steps[i].jitter);
	}

	/* Same steps with both clocks about to wrap 2^32: same answers. */
	herald_rtp_stats_init(&s, 1, 0);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		herald_rtp_stats_update_jitter(&s, steps[i].ts - 500, steps[i].arrival - 1700);
		assert_int_equal(s.jitter, steps[i].jitter16);
	}
}

static void test_jitter_clock_jump(void **state)
{
	struct herald_rtp_stats s;
	int i;

	/* A sender whose timestamps jump wildly must not overflow J. */
	herald_rtp_stats_init(&s, 1, 0);
	for (i = 0; i < 1000; i++) {
		herald_rtp_stats_update_jitter(&s, i % 2 ? 0x80000000u : 0, 0);
		assert_true(s.jitter <= 16 * (1u << 27) + 16);
	}
	assert_true(s.jitter > 15 * (1u << 27));
}

static void test_clock_units(void **state)
{
	static const u64 ns[] = {
		0, 1, 999999999, 1000000000, 1500000000, 123456789012345ULL,
		1000000000000000000ULL, 18446744073709551615ULL,
	};
	static const u32 rates[] = { 8000, 16000, 48000, 90000, 1 };
	unsigned int i, j;

	assert_int_equal(herald_rtp_clock_units(1000000000, 8000), 8000);
	assert_int_equal(herald_rtp_clock_units(1500000000, 48000), 72000);
	assert_int_equal(herald_rtp_clock_units(125000, 8000), 1);
	assert_int_equal(herald_rtp_clock_units(124999, 8000), 0);
	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		for (j = 0; j < ARRAY_SIZE(rates); j++) {
			unsigned __int128 want = (unsigned __int128)ns[i] * rates[j] / 1000000000;

			assert_int_equal(herald_rtp_clock_units(ns[i], rates[j]), (u32)want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest_tables),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_unpad_once),
		cmocka_unit_test(test_padding_refused_before_crypto),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_demux_exhaustive),
		cmocka_unit_test(test_index_long_stream),
		cmocka_unit_test(test_stats_in_order_across_wrap),
		cmocka_unit_test(test_stats_loss),
		cmocka_unit_test(test_stats_duplicates_negative),
		cmocka_unit_test(test_stats_lost_saturates),
		cmocka_unit_test(test_stats_probation),
		cmocka_unit_test(test_stats_jump),
		cmocka_unit_test(test_jitter_by_hand),
		cmocka_unit_test(test_jitter_clock_jump),
		cmocka_unit_test(test_clock_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
