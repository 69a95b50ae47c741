// SPDX-License-Identifier: GPL-2.0
/*
 * Outputs: one destination, one continuous RTP stream. Every stream that
 * feeds an output hands it decrypted packets; the output decides who holds
 * it (priority), rewrites the header onto its own SSRC, sequence and
 * timestamp line, encrypts under its own key and sends.
 */
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "output.h"
#include "rtp.h"
#include "srtp.h"
#include "stream.h"

#define RTP_CLOCK_HZ 8000	/* every paging codec herald carries: PCMU, PCMA, G.722 */

struct herald_output *herald_output_find(struct herald_net *hn, u32 id)
{
	struct herald_output *out;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(out, &hn->outputs, list)
		if (out->id == id)
			return out;
	return NULL;
}

/* Outputs only send. Whatever arrives on their port is dropped here rather
 * than queued on a socket nobody reads.
 */
static int herald_output_rcv(struct sock *sk, struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

static int herald_output_open_socket(struct herald_output *out)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.encap_type = 1,
		.encap_rcv = herald_output_rcv,
	};
	struct udp_port_cfg cfg = {
		.family = out->ipv6 ? AF_INET6 : AF_INET,
	};
	int ret;

	if (out->ipv6)
		cfg.ipv6_v6only = 1;
	ret = udp_sock_create(out->hn->net, &cfg, &out->sock);
	if (ret)
		return ret;
	setup_udp_tunnel_sock(out->hn->net, out->sock, &tcfg);
	return 0;
}

struct herald_output *herald_output_create(struct herald_net *hn, u32 id, const char *label,
					   const struct in6_addr *dst6, __be32 dst4,
					   bool ipv6, __be16 port, int ifindex, u8 ttl,
					   u8 dscp, struct herald_keyring *keys,
					   struct netlink_ext_ack *extack)
{
	struct herald_output *out;
	int ret;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return ERR_PTR(-ENOMEM);
	out->hn = hn;
	out->id = id;
	strscpy(out->label, label, sizeof(out->label));
	out->ipv6 = ipv6;
	if (ipv6)
		out->dst6 = *dst6;
	out->dst4 = dst4;
	out->dst_port = port;
	out->ifindex = ifindex;
	out->ttl = ttl;
	out->dscp = dscp;
	out->plaintext = !keys;
	spin_lock_init(&out->tx_lock);
	/* RFC 3550 §5.1: random SSRC, initial sequence number and timestamp. */
	out->ssrc = get_random_u32();
	out->tx.last_seq = get_random_u16();
	out->tx.last_ts = get_random_u32();
	herald_srtp_index_init(&out->tx.idx, 0);

	ret = -ENOMEM;
	out->stats = herald_stats_alloc();
	if (!out->stats)
		goto err_free;
	ret = dst_cache_init(&out->dst_cache, GFP_KERNEL);
	if (ret)
		goto err_stats;
	ret = herald_output_open_socket(out);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot open the output's UDP socket");
		goto err_cache;
	}
	RCU_INIT_POINTER(out->keys, keys);
	return out;

err_cache:
	dst_cache_destroy(&out->dst_cache);
err_stats:
	free_percpu(out->stats);
err_free:
	kfree(out);
	return ERR_PTR(ret);
}

static void herald_output_free_work(struct work_struct *work)
{
	struct herald_output *out = container_of(to_rcu_work(work), struct herald_output,
						 destroy_work);

	udp_tunnel_sock_release(out->sock);
	dst_cache_destroy(&out->dst_cache);
	free_percpu(out->stats);
	kfree(out);
}

void herald_output_destroy(struct herald_output *out)
{
	/*
	 * No stream lists @out any more, but packets may still be sending on
	 * it: the socket and the rest go after a grace period. The keys have
	 * their own deferred free, queued first.
	 */
	herald_keyring_retire(rcu_dereference_protected(out->keys, true), NULL);
	INIT_RCU_WORK(&out->destroy_work, herald_output_free_work);
	queue_rcu_work(herald_wq, &out->destroy_work);
}

/*
 * Who may send on the output: the stream holding it, a stream of higher
 * priority (it takes over), or anyone once the holder has been quiet for
 * HERALD_HOLD_TIMEOUT_MS. An equal priority never takes over: the first
 * talker keeps the zone.
 */
static bool herald_output_claim(struct herald_output_tx *tx, const struct herald_stream *st,
				unsigned long now)
{
	if (tx->holder_id == st->id) {
		tx->holder_prio = READ_ONCE(st->priority);
		return true;
	}
	if (tx->holder_id && READ_ONCE(st->priority) <= tx->holder_prio &&
	    time_before(now, tx->last_sent + msecs_to_jiffies(HERALD_HOLD_TIMEOUT_MS)))
		return false;
	tx->holder_id = st->id;
	tx->holder_prio = READ_ONCE(st->priority);
	tx->holder_ssrc = 0;
	tx->started = false;
	return true;
}

static int herald_output_send4(struct herald_output *out, struct sk_buff *skb)
{
	struct sock *sk = out->sock->sk;
	__be16 sport = inet_sk(sk)->inet_sport;
	struct rtable *rt;
	__be32 saddr;

	rt = dst_cache_get_ip4(&out->dst_cache, &saddr);
	if (!rt) {
		struct flowi4 fl4 = {
			.daddr = out->dst4,
			.flowi4_oif = out->ifindex,
			.flowi4_proto = IPPROTO_UDP,
			.fl4_sport = sport,
			.fl4_dport = out->dst_port,
		};

		rt = ip_route_output_key(out->hn->net, &fl4);
		if (IS_ERR(rt))
			return PTR_ERR(rt);
		saddr = fl4.saddr;
		dst_cache_set_ip4(&out->dst_cache, &rt->dst, saddr);
	}
	udp_tunnel_xmit_skb(rt, sk, skb, saddr, out->dst4, out->dscp << 2, out->ttl,
			    0, sport, out->dst_port, false, false);
	return 0;
}

static int herald_output_send6(struct herald_output *out, struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct sock *sk = out->sock->sk;
	__be16 sport = inet_sk(sk)->inet_sport;
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = dst_cache_get_ip6(&out->dst_cache, &saddr);
	if (!dst) {
		struct flowi6 fl6 = {
			.daddr = out->dst6,
			.flowi6_oif = out->ifindex,
			.flowi6_proto = IPPROTO_UDP,
			.fl6_sport = sport,
			.fl6_dport = out->dst_port,
		};

		dst = ipv6_stub->ipv6_dst_lookup_flow(out->hn->net, sk, &fl6, NULL);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		saddr = fl6.saddr;
		dst_cache_set_ip6(&out->dst_cache, dst, &saddr);
	}
	udp_tunnel6_xmit_skb(dst, sk, skb, dst->dev, &saddr, &out->dst6, out->dscp << 2,
			     out->ttl, 0, sport, out->dst_port, false);
	return 0;
#else
	return -EAFNOSUPPORT;
#endif
}

void herald_output_xmit(struct herald_output *out, const struct herald_stream *st,
			const struct herald_rtp_out *pkt)
{
	const unsigned int headroom = LL_MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(struct udphdr);
	struct herald_keyring *kr = rcu_dereference(out->keys);
	struct herald_output_tx *tx = &out->tx;
	struct herald_srtp_key *key = NULL;
	unsigned int len, tail = 0, out_len;
	unsigned long now = jiffies;
	struct sk_buff *skb;
	bool marker;
	u64 index;
	u16 seq;
	u32 ts;
	u8 *p;

	spin_lock(&out->tx_lock);
	if (!herald_output_claim(tx, st, now)) {
		spin_unlock(&out->tx_lock);
		herald_stats_add(out->stats, HERALD_STAT_DROP_BUSY, 1);
		return;
	}
	marker = pkt->marker;
	if (!tx->started || tx->holder_ssrc != pkt->ssrc) {
		/* A new talker: continue our own sequence and timestamp line,
		 * advanced by the time the output was silent, and mark the
		 * start of a talkspurt (RFC 3551 §4.1).
		 */
		u32 gap = max_t(u32, 1, jiffies_to_msecs(now - tx->last_sent) * (RTP_CLOCK_HZ / 1000));

		tx->seq_off = tx->last_seq + 1 - pkt->seq;
		tx->ts_off = tx->last_ts + gap - pkt->ts;
		tx->holder_ssrc = pkt->ssrc;
		tx->started = true;
		marker = true;
	}
	seq = pkt->seq + tx->seq_off;
	ts = pkt->ts + tx->ts_off;
	/* Reordered input stays reordered on output: the sender side keeps
	 * its ROC the way a receiver estimates it (RFC 3711 Appendix A).
	 */
	if (herald_srtp_index_guess(&tx->idx, seq, &index) != HERALD_INDEX_OK) {
		spin_unlock(&out->tx_lock);
		goto err;
	}
	if (!tx->idx.started || index > ((u64)tx->idx.roc << 16 | tx->idx.s_l)) {
		tx->last_seq = seq;
		tx->last_ts = ts;
	}
	herald_srtp_index_update(&tx->idx, index);
	tx->last_sent = now;
	spin_unlock(&out->tx_lock);

	if (kr) {
		key = kr->slot[kr->active].key;
		tail = kr->mki_len + kr->desc->tag_len;
	}
	len = HERALD_RTP_FIXED_LEN + pkt->payload_len;
	skb = alloc_skb(headroom + len + tail, GFP_ATOMIC);
	if (!skb)
		goto err;
	skb_reserve(skb, headroom);
	p = skb_put(skb, len);
	p[0] = 0x80 | (pkt->padding ? 0x20 : 0);
	p[1] = (marker ? 0x80 : 0) | pkt->pt;
	put_unaligned_be16(seq, p + 2);
	put_unaligned_be32(ts, p + 4);
	put_unaligned_be32(out->ssrc, p + 8);
	memcpy(p + HERALD_RTP_FIXED_LEN, pkt->payload, pkt->payload_len);
	if (key) {
		if (herald_srtp_protect(key, p, HERALD_RTP_FIXED_LEN, len, out->ssrc, index, &out_len))
			goto err_free;
		skb_put(skb, out_len - len);
	}
	if ((out->ipv6 ? herald_output_send6(out, skb) : herald_output_send4(out, skb)))
		goto err_free;
	herald_stats_packet(out->stats, pkt->payload_len);
	return;

err_free:
	kfree_skb(skb);
err:
	herald_stats_add(out->stats, HERALD_STAT_TX_ERRORS, 1);
}
