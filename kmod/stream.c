// SPDX-License-Identifier: GPL-2.0
/*
 * Streams: the receive half of the fast path.
 *
 *   parse -> SSRC/PT filter -> key by MKI -> index estimate -> replay check
 *   -> authenticate + decrypt -> replay commit -> outputs
 *
 * The per-SSRC state (ROC, replay window, RFC 3550 statistics) is the only
 * thing written per packet besides per-CPU counters; its spinlock is taken
 * twice, around the checks and around the commit, never across the crypto.
 * A new SSRC gets a slot only once one of its packets has authenticated, so
 * forged packets cannot use up the slots.
 */
#include <linux/ktime.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/udp.h>

#include "event.h"
#include "output.h"
#include "sink.h"
#include "srtp.h"
#include "stream.h"

#define RTP_CLOCK_HZ 8000

struct herald_stream *herald_stream_find(struct herald_net *hn, u32 id)
{
	struct herald_stream *st;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(st, &hn->streams, list)
		if (st->id == id)
			return st;
	return NULL;
}

struct herald_stream *herald_stream_alloc(struct herald_net *hn, u32 id,
					  const struct herald_suite_desc *desc,
					  u16 replay_window, bool ssrc_filter, u32 ssrc)
{
	size_t window_bytes = herald_replay_bytes(replay_window);
	struct herald_stream *st;
	unsigned int i;

	if (!window_bytes)
		return ERR_PTR(-EINVAL);
	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return ERR_PTR(-ENOMEM);
	st->hn = hn;
	st->id = id;
	st->desc = desc;
	st->replay_window = replay_window;
	st->ssrc_filter = ssrc_filter;
	st->ssrc = ssrc;
	bitmap_fill(st->pt_mask, 128);
	spin_lock_init(&st->ssrc_lock);
	st->nslots = ssrc_filter ? 1 : HERALD_MAX_SSRCS;
	st->slots = kcalloc(st->nslots, sizeof(*st->slots), GFP_KERNEL_ACCOUNT);
	st->replay_bits = kcalloc(st->nslots, window_bytes, GFP_KERNEL_ACCOUNT);
	st->stats = herald_stats_alloc();
	if (!st->slots || !st->replay_bits || !st->stats) {
		herald_stream_free(st);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < st->nslots; i++)
		herald_replay_init(&st->slots[i].replay,
				   (unsigned long *)((u8 *)st->replay_bits + i * window_bytes),
				   replay_window);
	return st;
}

void herald_stream_free(struct herald_stream *st)
{
	herald_keyring_retire(rcu_dereference_protected(st->keys, true), NULL);
	kfree(rcu_dereference_protected(st->outputs, true));
	free_percpu(st->stats);
	kfree(st->replay_bits);
	kfree(st->slots);
	kfree(st);
}

static void herald_stream_free_rcu(struct rcu_head *rcu)
{
	struct herald_stream *st = container_of(rcu, struct herald_stream, rcu);

	/* Keys and outputs were retired synchronously in destroy. */
	free_percpu(st->stats);
	kfree(st->replay_bits);
	kfree(st->slots);
	kfree(st);
}

void herald_stream_destroy(struct herald_stream *st)
{
	lockdep_assert_held(&st->hn->lock);
	list_del(&st->list);
	herald_stream_detach_socket(st);
	/* Packets may still be reading the keys and the outputs list. */
	herald_keyring_retire(rcu_dereference_protected(st->keys, true), NULL);
	herald_stream_set_outputs(st, NULL);
	call_rcu(&st->rcu, herald_stream_free_rcu);
}

void herald_stream_set_outputs(struct herald_stream *st, struct herald_stream_outputs *outs)
{
	struct herald_stream_outputs *old;

	old = rcu_replace_pointer(st->outputs, outs, lockdep_is_held(&st->hn->lock));
	if (old)
		kfree_rcu(old, rcu);
}

void herald_streams_forget_output(struct herald_net *hn, struct herald_output *out)
{
	struct herald_stream *st;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(st, &hn->streams, list) {
		struct herald_stream_outputs *old, *outs;
		unsigned int i, n = 0;

		old = rcu_dereference_protected(st->outputs, lockdep_is_held(&hn->lock));
		if (!old)
			continue;
		for (i = 0; i < old->count; i++)
			if (old->out[i] == out)
				break;
		if (i == old->count)
			continue;
		outs = kmalloc(struct_size(outs, out, old->count), GFP_KERNEL | __GFP_NOFAIL);
		for (i = 0; i < old->count; i++)
			if (old->out[i] != out)
				outs->out[n++] = old->out[i];
		outs->count = n;
		herald_stream_set_outputs(st, outs);
	}
}

void herald_streams_forget_sink(struct herald_net *hn, struct herald_sink *sink)
{
	struct herald_stream *st;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(st, &hn->streams, list)
		if (rcu_access_pointer(st->sink) == sink)
			RCU_INIT_POINTER(st->sink, NULL);
	/* The packet path may still be feeding it, also from a stream already
	 * unlinked and waiting for its own grace period: the caller frees it next.
	 */
	synchronize_rcu();
}

/* The slot of @ssrc, or NULL. ssrc_lock held. */
static struct herald_ssrc_state *herald_stream_slot(struct herald_stream *st, u32 ssrc)
{
	unsigned int i;

	for (i = 0; i < st->nslots; i++)
		if (st->slots[i].used && st->slots[i].ssrc == ssrc)
			return &st->slots[i];
	return NULL;
}

/*
 * A free slot for a new SSRC, or NULL when all are taken. Slots are never
 * reused under the same keys: a slot's replay window is what stops an old
 * packet of that SSRC from being played again. ssrc_lock held.
 */
static struct herald_ssrc_state *herald_stream_new_slot(struct herald_stream *st, u32 ssrc,
							u16 seq)
{
	struct herald_ssrc_state *slot;
	unsigned int i;

	for (i = 0; i < st->nslots; i++) {
		slot = &st->slots[i];
		if (slot->used)
			continue;
		slot->used = true;
		slot->ssrc = ssrc;
		herald_srtp_index_init(&slot->idx, 0);
		herald_replay_init(&slot->replay, slot->replay.bits, st->replay_window);
		/* SRTP authenticates its source: no probation needed. */
		herald_rtp_stats_init(&slot->rtp, seq, 0);
		return slot;
	}
	return NULL;
}

static int herald_stream_drop(struct herald_stream *st, struct sk_buff *skb, int why)
{
	herald_stats_add(st->stats, why, 1);
	kfree_skb(skb);
	return 0;
}

int herald_stream_rcv(struct herald_stream *st, struct sk_buff *skb)
{
	const unsigned int off = sizeof(struct udphdr);
	struct herald_ssrc_state *slot, fresh;
	struct herald_stream_outputs *outs;
	struct herald_srtp_key *key = NULL;
	struct herald_sink *sink;
	struct herald_keyring *kr = NULL;
	struct herald_rtp_out out_pkt;
	struct herald_rtp_hdr hdr;
	unsigned int len, trailer = 0, i;
	enum herald_replay_result rr;
	u64 index = 0;
	u32 mki = 0;
	u8 *pkt;

	if (!pskb_may_pull(skb, off + 2) ||
	    herald_rtp_demux(skb->data + off, skb->len - off) != HERALD_DEMUX_RTP) {
		/* RTCP, STUN, DTLS, ...: the socket owner's business. */
		herald_stats_add(st->stats, HERALD_STAT_PASSED, 1);
		return 1;
	}
	/* Decryption works in place on linear data; a clone (several sockets
	 * on one multicast group, a packet tap) gets its own copy here.
	 */
	if (skb_ensure_writable(skb, skb->len))
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_NOMEM);
	pkt = skb->data + off;
	len = skb->len - off;

	if (st->desc) {
		kr = rcu_dereference(st->keys);
		if (!kr)
			return herald_stream_drop(st, skb, HERALD_STAT_DROP_NO_KEY);
		trailer = kr->mki_len + st->desc->tag_len;
	}
	if (herald_rtp_parse(pkt, len, trailer, &hdr) != HERALD_RTP_OK)
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_MALFORMED);
	if (st->ssrc_filter && hdr.ssrc != READ_ONCE(st->ssrc))
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_SSRC);
	if (!test_bit(hdr.pt, st->pt_mask))
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_PAYLOAD_TYPE);
	if (kr) {
		if (herald_srtp_mki_read(st->desc, kr->mki_len, pkt, hdr.hdr_len, len, &mki))
			return herald_stream_drop(st, skb, HERALD_STAT_DROP_MALFORMED);
		key = herald_keyring_find(kr, mki);
		if (!key)
			return herald_stream_drop(st, skb, HERALD_STAT_DROP_UNKNOWN_MKI);
	}

	/* Checks before the crypto: they change nothing. */
	spin_lock(&st->ssrc_lock);
	slot = herald_stream_slot(st, hdr.ssrc);
	if (!slot) {
		/* Judge a new SSRC's first packet against fresh state; it gets
		 * a slot of its own only once it has authenticated.
		 */
		slot = &fresh;
		herald_srtp_index_init(&fresh.idx, 0);
	}
	switch (herald_srtp_index_guess(&slot->idx, hdr.seq, &index)) {
	case HERALD_INDEX_OK:
		break;
	case HERALD_INDEX_BEFORE_START:
		spin_unlock(&st->ssrc_lock);
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_TOO_OLD);
	case HERALD_INDEX_EXHAUSTED:
		spin_unlock(&st->ssrc_lock);
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_INDEX_LIMIT);
	}
	rr = slot == &fresh ? HERALD_REPLAY_OK : herald_replay_check(&slot->replay, index);
	spin_unlock(&st->ssrc_lock);
	if (rr == HERALD_REPLAY_SEEN)
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_REPLAY);
	if (rr == HERALD_REPLAY_TOO_OLD)
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_TOO_OLD);

	if (key) {
		unsigned int plain_len;

		if (herald_srtp_unprotect(key, pkt, hdr.hdr_len, len, hdr.ssrc, index, &plain_len))
			return herald_stream_drop(st, skb, HERALD_STAT_DROP_AUTH);
		len = plain_len;
	}

	/* Authenticated: commit. */
	spin_lock(&st->ssrc_lock);
	slot = herald_stream_slot(st, hdr.ssrc);
	if (!slot) {
		slot = herald_stream_new_slot(st, hdr.ssrc, hdr.seq);
		if (!slot) {
			spin_unlock(&st->ssrc_lock);
			return herald_stream_drop(st, skb, HERALD_STAT_DROP_SSRC);
		}
		st->ev_new_ssrc = hdr.ssrc;
		set_bit(HERALD_EV_NEW_SSRC, &st->ev_pending);
	} else if (slot->packets && slot->last_mki != mki) {
		st->ev_key_ssrc = hdr.ssrc;
		st->ev_key_mki = mki;
		set_bit(HERALD_EV_KEY_SWITCHED, &st->ev_pending);
	}
	rr = herald_replay_commit(&slot->replay, index);
	if (rr != HERALD_REPLAY_OK) {
		/* Another CPU accepted the same index meanwhile. */
		spin_unlock(&st->ssrc_lock);
		return herald_stream_drop(st, skb, rr == HERALD_REPLAY_SEEN ?
					  HERALD_STAT_DROP_REPLAY : HERALD_STAT_DROP_TOO_OLD);
	}
	herald_srtp_index_update(&slot->idx, index);
	if (herald_rtp_stats_update_seq(&slot->rtp, hdr.seq))
		herald_rtp_stats_update_jitter(&slot->rtp, hdr.timestamp,
					       herald_rtp_clock_units(ktime_get_ns(), RTP_CLOCK_HZ));
	slot->packets++;
	slot->last_mki = mki;
	spin_unlock(&st->ssrc_lock);
	/* Written only when it changes: one cache line write per jiffy. */
	if (READ_ONCE(st->last_rx) != jiffies)
		WRITE_ONCE(st->last_rx, jiffies);

	/* The payload is clear now: padding can be checked and stripped. */
	hdr.payload_len = len - hdr.hdr_len;
	if (herald_rtp_unpad(pkt, &hdr) != HERALD_RTP_OK || !hdr.payload_len)
		return herald_stream_drop(st, skb, HERALD_STAT_DROP_MALFORMED);
	herald_stats_packet(st->stats, hdr.payload_len);

	outs = rcu_dereference(st->outputs);
	if (outs) {
		out_pkt = (struct herald_rtp_out) {
			.payload = pkt + hdr.hdr_len,
			.payload_len = hdr.payload_len,
			.marker = hdr.marker,
			.pt = hdr.pt,
			.seq = hdr.seq,
			.ts = hdr.timestamp,
			.ssrc = hdr.ssrc,
		};
		for (i = 0; i < outs->count; i++)
			herald_output_xmit(outs->out[i], st, &out_pkt);
	}
	/* The sink only copies the payload into its jitter buffer here. */
	sink = rcu_dereference(st->sink);
	if (sink)
		herald_sink_feed(sink, st, hdr.ssrc, hdr.pt, hdr.timestamp,
				 pkt + hdr.hdr_len, hdr.payload_len);
	consume_skb(skb);
	return 0;
}
