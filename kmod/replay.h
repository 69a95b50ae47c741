/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRTP replay window over 48-bit packet indices (RFC 3711 §3.3.2), kept as a
 * ring of bitmap words that slides without shifting (RFC 6479).
 *
 * Pure logic: the caller provides the storage (allocated once per SSRC, next
 * to the rest of its state) and serialises calls on one window.
 */
#ifndef _HERALD_REPLAY_H
#define _HERALD_REPLAY_H

#include <linux/types.h>
#include <linux/herald.h>	/* HERALD_REPLAY_WINDOW_MIN, _MAX */

enum herald_replay_result {
	HERALD_REPLAY_OK = 0,
	HERALD_REPLAY_SEEN,	/* index already accepted: a replay */
	HERALD_REPLAY_TOO_OLD,	/* index behind the window: cannot tell */
};

struct herald_replay {
	u64 top;		/* highest committed index */
	unsigned long *bits;	/* ring of nwords words, caller's storage */
	u32 window;		/* accepted: top - window < index <= top, and > top */
	u32 nwords;		/* power of two */
	bool started;		/* top is valid */
};

/*
 * Bytes of ring storage a window of @window packets needs; 0 when @window is
 * outside HERALD_REPLAY_WINDOW_MIN..MAX. Any value in range works (it need not
 * be a power of two): the ring is rounded up, the window is enforced exactly.
 */
size_t herald_replay_bytes(u32 window);

/*
 * Set up (or reset) @r on @bits, which holds herald_replay_bytes(@window)
 * bytes and must stay valid as long as @r is used. Returns 0 or -EINVAL.
 */
int herald_replay_init(struct herald_replay *r, unsigned long *bits, u32 window);

/*
 * Before authentication: may @index be accepted? Changes nothing, so a forged
 * packet cannot move the window.
 */
enum herald_replay_result herald_replay_check(const struct herald_replay *r, u64 index);

/*
 * After authentication: mark @index seen and slide the window to it if it is
 * the newest. Decides again, because the window may have moved since the
 * check (the caller need not hold its lock across the crypto): a result other
 * than HERALD_REPLAY_OK means the packet must be dropped after all.
 */
enum herald_replay_result herald_replay_commit(struct herald_replay *r, u64 index);

#ifdef HERALD_SELFTEST
bool herald_replay_selftest(void);
#endif

#endif /* _HERALD_REPLAY_H */
