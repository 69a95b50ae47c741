// SPDX-License-Identifier: GPL-2.0
/*
 * Replay window self-test. The one table below runs in two places: in the
 * module at load time (this file is #included at the end of replay.c under
 * HERALD_SELFTEST) and on the build host (tests/unit/test_replay.c includes
 * it), so the kernel build is checked against exactly what CI checks.
 *
 * Every step names an index relative to the window size W, so the same
 * sequence probes the boundaries of each window size, and relative to an
 * origin, so it runs from 0, across a 32-bit boundary and just below 2^48.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>

enum replay_test_op {
	RT_PKT,		/* check; when OK, commit, which must be OK too */
	RT_CHECK,	/* check only: the packet failed authentication */
	RT_COMMIT,	/* commit only: the check happened earlier */
	RT_RUN,		/* RT_PKT on each of count indices, ascending */
	RT_RANGE,	/* RT_CHECK on each of count indices, ascending */
};

enum replay_test_base {
	RT_ORIGIN,	/* index = origin + w * W + off */
	RT_LIMIT,	/* index = 2^48 + w * W + off */
};

struct replay_test_step {
	u8 op;
	u8 base;
	s16 w;
	s32 off;
	s16 count_w;	/* RT_RUN, RT_RANGE: count = count_w * W + count */
	s32 count;
	u8 expect;
};

#define RT(o, b, w_, off_, cw, c, e) \
	{ .op = (o), .base = (b), .w = (w_), .off = (off_), \
	  .count_w = (cw), .count = (c), .expect = HERALD_REPLAY_##e }
#define PKT(w, off, e)		RT(RT_PKT, RT_ORIGIN, w, off, 0, 1, e)
#define CHECK(w, off, e)	RT(RT_CHECK, RT_ORIGIN, w, off, 0, 1, e)
#define COMMIT(w, off, e)	RT(RT_COMMIT, RT_ORIGIN, w, off, 0, 1, e)
#define RUN(w, off, cw, c)	RT(RT_RUN, RT_ORIGIN, w, off, cw, c, OK)
#define RANGE(w, off, cw, c, e)	RT(RT_RANGE, RT_ORIGIN, w, off, cw, c, e)
#define LPKT(w, off, e)		RT(RT_PKT, RT_LIMIT, w, off, 0, 1, e)

static const struct replay_test_step replay_test_walk[] __initconst = {
	PKT(0, 0, OK),			/* the first packet, whatever its index */
	PKT(0, 0, SEEN),
	PKT(0, 1, OK),
	PKT(0, 1, SEEN),
	PKT(0, 0, SEEN),
	PKT(0, 3, OK),			/* 2 is missing ... */
	PKT(0, 2, OK),			/* ... and arrives late, inside */
	PKT(0, 2, SEEN),
	CHECK(0, 5, OK),		/* failed authentication ... */
	CHECK(0, 5, OK),		/* ... marked nothing */
	PKT(0, 5, OK),
	PKT(1, 4, OK),			/* top W+4: window is 5 .. W+4 */
	PKT(0, 5, SEEN),		/* oldest index inside */
	PKT(0, 4, TOO_OLD),		/* newest outside, never seen */
	PKT(0, 6, OK),
	PKT(1, 3, OK),
	PKT(1, 5, OK),			/* top W+5: 5 drops out */
	PKT(0, 5, TOO_OLD),		/* seen once, now unknowable */
	PKT(0, 6, SEEN),
	PKT(1, 4, SEEN),
	PKT(3, 0, OK),			/* a jump of two windows */
	PKT(2, 0, TOO_OLD),
	PKT(2, 1, OK),
	PKT(1, 5, TOO_OLD),
	PKT(2, 1, SEEN),
	PKT(3, 0, SEEN),		/* top itself */

	/* Fill every bit of the ring (at most 4 W for any W), then move on. */
	RUN(4, 0, 4, 0),		/* 4W .. 8W-1, in order */
	RANGE(7, 0, 1, 0, SEEN),	/* the last W of them */
	RANGE(6, 0, 1, 0, TOO_OLD),	/* the W before */
	PKT(9, 7, OK),			/* window 8W+8 .. 9W+7 */
	RANGE(8, 8, 1, -1, OK),		/* no bit of the run may linger */
	RANGE(7, 0, 1, 8, TOO_OLD),	/* 7W .. 8W+7 */
	PKT(9, 7, SEEN),

	PKT(1000, 0, OK),		/* many laps of the ring ahead */
	RANGE(999, 1, 1, -1, OK),	/* the whole window below top */
	PKT(999, 0, TOO_OLD),
	PKT(999, 1, OK),		/* the oldest index inside */
	PKT(999, 1, SEEN),

	/* Two copies both pass the check; only one may commit. */
	CHECK(1000, 1, OK),
	CHECK(1000, 1, OK),
	COMMIT(1000, 1, OK),
	COMMIT(1000, 1, SEEN),

	/* The window moves past a packet while it is being decrypted. */
	CHECK(1000, 2, OK),
	PKT(1001, 2, OK),
	COMMIT(1000, 2, TOO_OLD),
	PKT(1000, 3, OK),

	/* Newest first, then backwards through the window. */
	PKT(1003, 0, OK),
	PKT(1002, 1, OK),
	PKT(1002, 2, OK),
	PKT(1002, 0, TOO_OLD),
	PKT(1002, 1, SEEN),
	PKT(1003, -1, OK),
	PKT(1003, 0, SEEN),
	PKT(1003, 1, OK),
	PKT(1002, 1, TOO_OLD),
};

/* Run with origin 0: the extremes of the 48-bit index space. */
static const struct replay_test_step replay_test_edges[] __initconst = {
	PKT(0, 0, OK),			/* index 0 is an index like any other */
	PKT(0, 0, SEEN),
	PKT(0, 1, OK),
	LPKT(0, -1, OK),		/* the last index SRTP allows */
	LPKT(0, -1, SEEN),
	LPKT(0, -2, OK),
	LPKT(-1, 0, OK),		/* 2^48 - W: W-1 behind top */
	LPKT(-1, -1, TOO_OLD),
	LPKT(-1, 0, SEEN),
	PKT(0, 0, TOO_OLD),
	PKT(0, 1, TOO_OLD),
};

#undef RT
#undef PKT
#undef CHECK
#undef COMMIT
#undef RUN
#undef RANGE
#undef LPKT

/* Room for the largest ring, that of the largest window, and a canary. */
#define REPLAY_TEST_WORDS (2 * HERALD_REPLAY_WINDOW_MAX / BITS_PER_LONG)
#define REPLAY_TEST_CANARY 0x5a5a5a5aUL
static unsigned long replay_test_bits[REPLAY_TEST_WORDS + 1] __initdata;

static const u32 replay_test_windows[] __initconst = {
	64, 65, 100, 127, 128, 1000, 1024, 4095, 4096,
};

static bool __init replay_test_one(struct herald_replay *r, const char *table, u64 origin,
				   unsigned int step, u8 op, u64 index, u8 expect)
{
	enum herald_replay_result got;

	if (op == RT_COMMIT) {
		got = herald_replay_commit(r, index);
	} else {
		got = herald_replay_check(r, index);
		if (op == RT_PKT && got == HERALD_REPLAY_OK) {
			got = herald_replay_commit(r, index);
			if (got != HERALD_REPLAY_OK) {
				pr_err("replay self-test %s: window %u origin %llu step %u: index %llu passed the check, commit says %d\n",
				       table, r->window, (unsigned long long)origin, step,
				       (unsigned long long)index, got);
				return false;
			}
		}
	}
	if (got != expect) {
		pr_err("replay self-test %s: window %u origin %llu step %u: index %llu is %d, expected %d\n",
		       table, r->window, (unsigned long long)origin, step,
		       (unsigned long long)index, got, expect);
		return false;
	}
	return true;
}

static bool __init replay_test_table(const char *name, const struct replay_test_step *steps,
				     unsigned int nsteps, u32 window, u64 origin)
{
	struct herald_replay r;
	unsigned int i;
	bool ok = true;

	replay_test_bits[REPLAY_TEST_WORDS] = REPLAY_TEST_CANARY;
	if (herald_replay_bytes(window) > sizeof(replay_test_bits) - sizeof(long) ||
	    herald_replay_init(&r, replay_test_bits, window)) {
		pr_err("replay self-test: window %u refused\n", window);
		return false;
	}

	for (i = 0; i < nsteps; i++) {
		const struct replay_test_step *s = &steps[i];
		u64 base = s->base == RT_LIMIT ? 1ULL << 48 : origin;
		u64 index = base + (s64)s->w * window + s->off;
		s64 count = (s64)s->count_w * window + s->count;
		u8 op = s->op;
		s64 k;

		if (op == RT_RUN || op == RT_RANGE)
			op = op == RT_RUN ? RT_PKT : RT_CHECK;
		/* Stop a table at its first failure: later steps depend on it. */
		for (k = 0; k < count; k++)
			if (!replay_test_one(&r, name, origin, i, op, index + k, s->expect))
				return false;
	}

	if (replay_test_bits[REPLAY_TEST_WORDS] != REPLAY_TEST_CANARY) {
		pr_err("replay self-test: window %u wrote past its ring\n", window);
		ok = false;
	}
	return ok;
}

static bool __init replay_test_sizes(void)
{
	static const struct { u32 window; size_t bytes; } sizes[] __initconst = {
		{ 0, 0 },
		{ HERALD_REPLAY_WINDOW_MIN - 1, 0 },
		{ HERALD_REPLAY_WINDOW_MAX + 1, 0 },
		{ U32_MAX, 0 },
		/* BITS_PER_LONG * 2 .. * 4: one word over the window, rounded */
		{ 64, (64 / BITS_PER_LONG + 1 <= 2 ? 2 : 4) * sizeof(long) },
		{ 4096, (4096 / BITS_PER_LONG) * 2 * sizeof(long) },
	};
	struct herald_replay r;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t bytes = herald_replay_bytes(sizes[i].window);
		int err = herald_replay_init(&r, replay_test_bits, sizes[i].window);

		if (bytes != sizes[i].bytes || err != (bytes ? 0 : -EINVAL)) {
			pr_err("replay self-test: window %u: %zu bytes (expected %zu), init %d\n",
			       sizes[i].window, bytes, sizes[i].bytes, err);
			ok = false;
		}
	}
	return ok;
}

bool __init herald_replay_selftest(void)
{
	unsigned int i;
	bool ok = replay_test_sizes();

	for (i = 0; i < ARRAY_SIZE(replay_test_windows); i++) {
		u32 w = replay_test_windows[i];
		const u64 origins[] = {
			0, (1ULL << 32) - 77, (1ULL << 48) - 1100ULL * w,
		};
		unsigned int j;

		for (j = 0; j < ARRAY_SIZE(origins); j++)
			ok &= replay_test_table("walk", replay_test_walk,
						ARRAY_SIZE(replay_test_walk), w, origins[j]);
		ok &= replay_test_table("edges", replay_test_edges,
					ARRAY_SIZE(replay_test_edges), w, 0);
	}

	if (ok)
		pr_info("replay self-tests: pass\n");
	return ok;
}
