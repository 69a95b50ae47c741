/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU packet counters, indexed by enum herald_stat_attr, so the packet
 * path never bounces a shared cache line and netlink reports them as is.
 */
#ifndef _HERALD_STATS_H
#define _HERALD_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/herald.h>

struct herald_stats {
	u64 c[__HERALD_STAT_MAX];
	struct u64_stats_sync syncp;
};

struct herald_stats __percpu *herald_stats_alloc(void);

/* Packet path: softirq, BH disabled. */
static inline void herald_stats_add(struct herald_stats __percpu *stats, int what, u64 n)
{
	struct herald_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	s->c[what] += n;
	u64_stats_update_end(&s->syncp);
}

static inline void herald_stats_packet(struct herald_stats __percpu *stats, u64 bytes)
{
	struct herald_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	s->c[HERALD_STAT_PACKETS]++;
	s->c[HERALD_STAT_BYTES] += bytes;
	u64_stats_update_end(&s->syncp);
}

void herald_stats_read(struct herald_stats __percpu *stats, u64 sum[__HERALD_STAT_MAX]);

struct sk_buff;
/* Put the counters named in @which (HERALD_STAT_* indices, @n of them). */
int herald_stats_put(struct sk_buff *skb, int attr, struct herald_stats __percpu *stats,
		     const u8 *which, unsigned int n);

#endif /* _HERALD_STATS_H */
