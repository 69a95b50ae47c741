// SPDX-License-Identifier: GPL-2.0
/*
 * SRTP replay protection (RFC 3711 §3.3.2) with a sliding window of any size
 * from HERALD_REPLAY_WINDOW_MIN to HERALD_REPLAY_WINDOW_MAX packets.
 *
 * The bitmap is a ring of unsigned long words indexed by index / BITS_PER_LONG
 * (RFC 6479): moving the window forward clears the words it enters instead of
 * shifting the whole map, so a packet costs O(1) however large the window.
 * The ring holds one word more than the window can touch, rounded up to a
 * power of two so that the slot is a mask, not a division. The window itself
 * is enforced exactly as configured, the same way libsrtp does: with window W
 * and highest accepted index T, an index is too old when T - index >= W.
 *
 * Results keep "seen" and "too old" apart because they mean different things
 * to an operator: a replay is an attack or a looping network, "too old" is
 * usually late delivery beyond what the window was sized for.
 */
#define pr_fmt(fmt) "herald: " fmt

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "replay.h"

static u32 replay_nwords(u32 window)
{
	/*
	 * The indices top - window + 1 .. top touch at most
	 * ceil(window / BITS_PER_LONG) + 1 words; each needs its own slot.
	 */
	u32 need = (window + BITS_PER_LONG - 1) / BITS_PER_LONG + 1;
	u32 n = 1;

	while (n < need)
		n <<= 1;
	return n;
}

size_t herald_replay_bytes(u32 window)
{
	if (window < HERALD_REPLAY_WINDOW_MIN || window > HERALD_REPLAY_WINDOW_MAX)
		return 0;
	return replay_nwords(window) * sizeof(unsigned long);
}

int herald_replay_init(struct herald_replay *r, unsigned long *bits, u32 window)
{
	size_t bytes = herald_replay_bytes(window);

	if (!bytes)
		return -EINVAL;
	memset(bits, 0, bytes);
	r->bits = bits;
	r->window = window;
	r->nwords = replay_nwords(window);
	r->top = 0;
	r->started = false;
	return 0;
}

static inline unsigned long *replay_word(const struct herald_replay *r, u64 index)
{
	return &r->bits[(index / BITS_PER_LONG) & (r->nwords - 1)];
}

static inline unsigned long replay_mask(u64 index)
{
	return 1UL << (index % BITS_PER_LONG);
}

enum herald_replay_result herald_replay_check(const struct herald_replay *r, u64 index)
{
	if (unlikely(!r->started) || index > r->top)
		return HERALD_REPLAY_OK;
	if (r->top - index >= r->window)
		return HERALD_REPLAY_TOO_OLD;
	if (*replay_word(r, index) & replay_mask(index))
		return HERALD_REPLAY_SEEN;
	return HERALD_REPLAY_OK;
}

enum herald_replay_result herald_replay_commit(struct herald_replay *r, u64 index)
{
	unsigned long *word, mask;

	if (unlikely(!r->started)) {
		r->top = index;
		r->started = true;
	} else if (index > r->top) {
		u64 cur = r->top / BITS_PER_LONG;
		u64 steps = index / BITS_PER_LONG - cur;
		u64 i;

		/*
		 * The words the window moves into still hold bits from one
		 * lap of the ring ago. Past a whole lap, every word is stale.
		 */
		steps = min_t(u64, steps, r->nwords);
		for (i = 1; i <= steps; i++)
			r->bits[(cur + i) & (r->nwords - 1)] = 0;
		r->top = index;
	} else if (r->top - index >= r->window) {
		return HERALD_REPLAY_TOO_OLD;
	}

	word = replay_word(r, index);
	mask = replay_mask(index);
	if (*word & mask)
		return HERALD_REPLAY_SEEN;
	*word |= mask;
	return HERALD_REPLAY_OK;
}

#ifdef HERALD_SELFTEST
#include "selftest/replay.c"
#endif
