/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Outputs: egress to one destination, re-encrypted under the output's own
 * keys (or plain, when explicitly allowed), as one continuous RTP stream.
 */
#ifndef _HERALD_OUTPUT_H
#define _HERALD_OUTPUT_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>

#include "herald.h"
#include "keyring.h"
#include "rtp.h"
#include "stats.h"

struct herald_stream;

/* Sender state of the one RTP stream the output emits. */
struct herald_output_tx {
	u32 holder_id;		/* stream holding the output, 0 = none */
	u8 holder_prio;
	u32 holder_ssrc;	/* the holder's SSRC the offsets were made for */
	unsigned long last_sent;	/* jiffies */
	u16 seq_off;		/* out seq = in seq + seq_off */
	u32 ts_off;		/* out ts = in ts + ts_off */
	u16 last_seq;
	u32 last_ts;
	struct herald_srtp_index idx;	/* ROC and highest SEQ sent */
	bool started;
};

struct herald_output {
	struct list_head list;		/* herald_net.outputs, under hn->lock */
	struct rcu_work destroy_work;	/* herald_output_destroy() */
	struct herald_net *hn;
	u32 id;
	char label[HERALD_LABEL_MAX];

	/* Destination; fixed for the output's life. */
	bool ipv6;
	struct in6_addr dst6;
	__be32 dst4;
	__be16 dst_port;
	int ifindex;
	u8 ttl;
	u8 dscp;
	bool plaintext;

	struct socket *sock;		/* source port, and the socket we send on */
	struct dst_cache dst_cache;
	struct herald_keyring __rcu *keys;	/* NULL when plaintext */
	u32 ssrc;			/* random, chosen at creation */

	spinlock_t tx_lock;		/* protects @tx */
	struct herald_output_tx tx;
	struct herald_stats __percpu *stats;
};

/* Parameters of one packet as the stream hands it over, already decrypted. */
struct herald_rtp_out {
	const u8 *payload;
	unsigned int payload_len;	/* including RTP padding, if any */
	bool padding;
	bool marker;
	u8 pt;
	u16 seq;
	u32 ts;
	u32 ssrc;			/* the talker's SSRC */
};

struct herald_output *herald_output_create(struct herald_net *hn, u32 id, const char *label,
					   const struct in6_addr *dst6, __be32 dst4,
					   bool ipv6, __be16 port, int ifindex, u8 ttl,
					   u8 dscp, struct herald_keyring *keys,
					   struct netlink_ext_ack *extack);
/* Unlinked by the caller from every stream first; frees after a grace period. */
void herald_output_destroy(struct herald_output *out);
struct herald_output *herald_output_find(struct herald_net *hn, u32 id);

/* Packet path, under RCU, softirq. */
void herald_output_xmit(struct herald_output *out, const struct herald_stream *st,
			const struct herald_rtp_out *pkt);

#endif /* _HERALD_OUTPUT_H */
