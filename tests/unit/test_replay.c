// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kmod/replay.c: the module's own self-test table (the same
 * source the module runs at load), and a differential test against a naive
 * model that remembers every index ever accepted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define HERALD_SELFTEST
#include "replay.h"
#include "selftest/replay.c"

static void test_selftest_table(void **state)
{
	assert_true(herald_replay_selftest());
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/*
 * The model: a flat bitmap of every index accepted, and the rule of RFC 3711
 * §3.3.2 in its most literal form.
 */
#define MODEL_SPAN (1u << 22)
static u8 model_seen[MODEL_SPAN / 8];

struct model {
	u64 top;
	u32 window;
	bool started;
};

static enum herald_replay_result model_check(const struct model *m, u64 index)
{
	if (!m->started || index > m->top)
		return HERALD_REPLAY_OK;
	if (m->top - index >= m->window)
		return HERALD_REPLAY_TOO_OLD;
	if (model_seen[index / 8] & (1u << (index % 8)))
		return HERALD_REPLAY_SEEN;
	return HERALD_REPLAY_OK;
}

static enum herald_replay_result model_commit(struct model *m, u64 index)
{
	enum herald_replay_result res = model_check(m, index);

	if (res != HERALD_REPLAY_OK)
		return res;
	model_seen[index / 8] |= 1u << (index % 8);
	if (!m->started || index > m->top)
		m->top = index;
	m->started = true;
	return HERALD_REPLAY_OK;
}

static void run_differential(u32 window, unsigned int ops)
{
	size_t bytes = herald_replay_bytes(window);
	/* Exactly the size asked for: an overrun shows under valgrind/ASan. */
	unsigned long *bits = malloc(bytes);
	struct herald_replay r;
	struct model m = { .window = window };
	u64 next = rng() % 1000;
	unsigned int i, counts[3] = { 0 };

	assert_non_null(bits);
	memset(model_seen, 0, sizeof(model_seen));
	assert_int_equal(herald_replay_init(&r, bits, window), 0);

	for (i = 0; i < ops && next < MODEL_SPAN - 4 * HERALD_REPLAY_WINDOW_MAX; i++) {
		u64 roll = rng() % 100, index;
		enum herald_replay_result want, got;

		/* Mostly near the top, sometimes far behind, rarely far ahead. */
		if (roll < 60)
			index = next++;
		else if (roll < 90)
			index = next - 1 - rng() % (window + window / 4 + 2);
		else if (roll < 98)
			index = next - 1 - rng() % (8 * (u64)window);
		else
			index = next += rng() % (6 * (u64)window);
		if (index >= MODEL_SPAN)	/* went below 0 */
			continue;

		if (rng() % 4 == 0) {
			/* A packet that fails authentication: check only. */
			assert_int_equal(herald_replay_check(&r, index), model_check(&m, index));
			continue;
		}
		want = model_check(&m, index);
		got = herald_replay_check(&r, index);
		if (got != want)
			fail_msg("window %u op %u index %llu: check %d, model %d", window, i,
				 (unsigned long long)index, got, want);
		want = model_commit(&m, index);
		got = herald_replay_commit(&r, index);
		if (got != want)
			fail_msg("window %u op %u index %llu: commit %d, model %d", window, i,
				 (unsigned long long)index, got, want);
		counts[got]++;
	}
	/* The walk must have exercised every outcome, or it proves little. */
	assert_true(counts[HERALD_REPLAY_OK] > 1000);
	assert_true(counts[HERALD_REPLAY_SEEN] > 100);
	assert_true(counts[HERALD_REPLAY_TOO_OLD] > 100);
	free(bits);
}

static void test_differential(void **state)
{
	static const u32 windows[] = { 64, 65, 96, 128, 200, 512, 1000, 2048, 4096 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(windows); i++)
		run_differential(windows[i], 300000);
}

static void test_init_bounds(void **state)
{
	unsigned long bits[256];
	struct herald_replay r;

	assert_int_equal(herald_replay_init(&r, bits, 63), -EINVAL);
	assert_int_equal(herald_replay_init(&r, bits, 4097), -EINVAL);
	assert_int_equal(herald_replay_init(&r, bits, 64), 0);
	assert_int_equal(r.window, 64);
	assert_int_equal(herald_replay_init(&r, bits, 4096), 0);
	assert_int_equal(herald_replay_bytes(0), 0);
	assert_true(herald_replay_bytes(4096) <= sizeof(bits));
	/* Non-powers of two are allowed; the ring is rounded, not the window. */
	assert_int_equal(herald_replay_init(&r, bits, 1000), 0);
	assert_int_equal(r.window, 1000);
}

static void test_reinit_forgets(void **state)
{
	unsigned long bits[256];
	struct herald_replay r;

	assert_int_equal(herald_replay_init(&r, bits, 128), 0);
	assert_int_equal(herald_replay_commit(&r, 5000), HERALD_REPLAY_OK);
	assert_int_equal(herald_replay_check(&r, 5000), HERALD_REPLAY_SEEN);
	assert_int_equal(herald_replay_check(&r, 10), HERALD_REPLAY_TOO_OLD);
	/* A new key (new SSRC state) starts clean: nothing seen, nothing old. */
	assert_int_equal(herald_replay_init(&r, bits, 128), 0);
	assert_int_equal(herald_replay_check(&r, 5000), HERALD_REPLAY_OK);
	assert_int_equal(herald_replay_check(&r, 10), HERALD_REPLAY_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest_table),
		cmocka_unit_test(test_init_bounds),
		cmocka_unit_test(test_reinit_forgets),
		cmocka_unit_test(test_differential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
