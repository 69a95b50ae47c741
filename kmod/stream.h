/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streams: SRTP (or plain RTP) arriving on one UDP socket, verified,
 * decrypted and handed to the stream's outputs.
 */
#ifndef _HERALD_STREAM_H
#define _HERALD_STREAM_H

#include <linux/bitmap.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#include "herald.h"
#include "keyring.h"
#include "replay.h"
#include "rtp.h"
#include "stats.h"

struct herald_output;
struct herald_sink;
struct sk_buff;
struct sock;
struct socket;

/* What the stream knows of one SSRC it has accepted packets from. */
struct herald_ssrc_state {
	u32 ssrc;
	bool used;
	struct herald_srtp_index idx;
	struct herald_replay replay;
	struct herald_rtp_stats rtp;
	u64 packets;
	u32 last_mki;
};

struct herald_stream_outputs {
	struct rcu_head rcu;
	unsigned int count;
	struct herald_output *out[];
};

struct herald_stream {
	struct list_head list;		/* herald_net.streams, under hn->lock */
	struct rcu_head rcu;
	struct herald_net *hn;
	u32 id;
	char label[HERALD_LABEL_MAX];

	struct sock *sk;		/* the UDP socket; we hold a reference */
	struct socket *owned;		/* set when the module opened the socket */
	bool ipv6;
	struct in6_addr local6;		/* module-bound streams only */
	__be32 local4;
	u16 local_port;
	int ifindex;

	const struct herald_suite_desc *desc;	/* NULL: plaintext */
	struct herald_keyring __rcu *keys;
	u16 replay_window;
	bool ssrc_filter;
	u32 ssrc;
	u8 priority;
	s32 volume_offset_db;		/* added to the sink's volume for its pages */
	bool tone;			/* its pages start with the sink's tone */
	DECLARE_BITMAP(pt_mask, 128);
	struct herald_stream_outputs __rcu *outputs;
	struct herald_sink __rcu *sink;	/* the sink it feeds, or NULL */

	spinlock_t ssrc_lock;		/* protects slots[] */
	unsigned int nslots;
	struct herald_ssrc_state *slots;
	unsigned long *replay_bits;	/* nslots windows, one allocation */

	struct herald_stats __percpu *stats;

	/* Left by the packet path for event.c (see event.h). */
	unsigned long last_rx;		/* jiffies of the last accepted packet */
	unsigned long ev_pending;	/* enum herald_event_pending bits */
	u32 ev_new_ssrc;		/* under ssrc_lock */
	u32 ev_key_ssrc;
	u32 ev_key_mki;
	/* Owned by the event worker (under hn->lock). */
	bool ev_active;
	unsigned long ev_last_rejections;
	u64 ev_drops[__HERALD_STAT_MAX];
};

struct herald_stream *herald_stream_alloc(struct herald_net *hn, u32 id,
					  const struct herald_suite_desc *desc,
					  u16 replay_window, bool ssrc_filter, u32 ssrc);
/* Frees a stream that was never attached (error paths). */
void herald_stream_free(struct herald_stream *st);
/* Detach from its socket, unlink, free after a grace period. hn->lock held. */
void herald_stream_destroy(struct herald_stream *st);
struct herald_stream *herald_stream_find(struct herald_net *hn, u32 id);

/* Replace the output list (may be NULL: none). hn->lock held. */
void herald_stream_set_outputs(struct herald_stream *st, struct herald_stream_outputs *outs);
/* Drop @out from every stream of @hn; waits for readers. hn->lock held. */
void herald_streams_forget_output(struct herald_net *hn, struct herald_output *out);

/* Stop every stream of @hn feeding @sink; waits for readers. hn->lock held. */
void herald_streams_forget_sink(struct herald_net *hn, struct herald_sink *sink);

/* Packet path (socket.c's encap_rcv), softirq, under RCU.
 * Returns 1 to pass the packet to the socket, 0 when consumed.
 */
int herald_stream_rcv(struct herald_stream *st, struct sk_buff *skb);

/* Socket handling, socket.c. hn->lock held. */
int herald_stream_attach_fd(struct herald_stream *st, int fd, struct netlink_ext_ack *extack);
int herald_stream_open_socket(struct herald_stream *st, struct netlink_ext_ack *extack);
void herald_stream_detach_socket(struct herald_stream *st);

#endif /* _HERALD_STREAM_H */
