// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: allocation, summing, netlink.
 */
#include <linux/string.h>
#include <net/netlink.h>

#include "stats.h"

struct herald_stats __percpu *herald_stats_alloc(void)
{
	struct herald_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct herald_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

void herald_stats_read(struct herald_stats __percpu *stats, u64 sum[__HERALD_STAT_MAX])
{
	int cpu, i;

	memset(sum, 0, sizeof(u64) * __HERALD_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct herald_stats *s = per_cpu_ptr(stats, cpu);
		u64 c[__HERALD_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			memcpy(c, s->c, sizeof(c));
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __HERALD_STAT_MAX; i++)
			sum[i] += c[i];
	}
}

int herald_stats_put(struct sk_buff *skb, int attr, struct herald_stats __percpu *stats,
		     const u8 *which, unsigned int n)
{
	u64 sum[__HERALD_STAT_MAX];
	struct nlattr *nest;
	unsigned int i;

	herald_stats_read(stats, sum);
	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(skb, which[i], sum[which[i]], HERALD_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
