// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for streams (new, set, del, get/dump) and for keys on
 * streams and outputs.
 */
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "event.h"
#include "herald.h"
#include "netlink.h"
#include "output.h"
#include "srtp.h"
#include "sink.h"
#include "stream.h"

const struct nla_policy herald_stream_policy[HERALD_STREAM_A_MAX + 1] = {
	[HERALD_STREAM_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HERALD_STREAM_A_LABEL] = { .type = NLA_NUL_STRING, .len = HERALD_LABEL_MAX - 1 },
	[HERALD_STREAM_A_FD] = { .type = NLA_U32 },
	[HERALD_STREAM_A_LOCAL_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[HERALD_STREAM_A_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[HERALD_STREAM_A_IFINDEX] = { .type = NLA_U32 },
	[HERALD_STREAM_A_SUITE] = NLA_POLICY_RANGE(NLA_U32, 1, HERALD_SUITE_MAX),
	[HERALD_STREAM_A_KEYS] = NLA_POLICY_NESTED_ARRAY(herald_key_policy),
	[HERALD_STREAM_A_PLAINTEXT] = { .type = NLA_FLAG },
	[HERALD_STREAM_A_REPLAY_WINDOW] = NLA_POLICY_RANGE(NLA_U16, HERALD_REPLAY_WINDOW_MIN,
							   HERALD_REPLAY_WINDOW_MAX),
	[HERALD_STREAM_A_SSRC] = { .type = NLA_U32 },
	[HERALD_STREAM_A_PRIORITY] = { .type = NLA_U8 },
	[HERALD_STREAM_A_OUTPUTS] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_PAYLOAD_TYPES] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_STATS] = { .type = NLA_REJECT },
	[HERALD_STREAM_A_SSRCS] = { .type = NLA_REJECT },
	[HERALD_STREAM_A_LOCAL_PORT_BOUND] = { .type = NLA_REJECT },
	[HERALD_STREAM_A_SINK] = { .type = NLA_U32 },
	[HERALD_STREAM_A_VOLUME_OFFSET_DB] = NLA_POLICY_RANGE(NLA_S32,
							      HERALD_STREAM_VOLUME_OFFSET_DB_MIN,
							      HERALD_STREAM_VOLUME_OFFSET_DB_MAX),
	[HERALD_STREAM_A_TONE] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const u8 herald_stream_counters[] = {
	HERALD_STAT_PACKETS, HERALD_STAT_BYTES, HERALD_STAT_DROP_MALFORMED,
	HERALD_STAT_DROP_AUTH, HERALD_STAT_DROP_REPLAY, HERALD_STAT_DROP_TOO_OLD,
	HERALD_STAT_DROP_UNKNOWN_MKI, HERALD_STAT_DROP_NO_KEY, HERALD_STAT_DROP_SSRC,
	HERALD_STAT_DROP_INDEX_LIMIT, HERALD_STAT_DROP_PAYLOAD_TYPE, HERALD_STAT_DROP_NOMEM,
	HERALD_STAT_PASSED,
};

static int herald_stream_put_ssrcs(struct sk_buff *skb, struct herald_stream *st)
{
	struct herald_ssrc_state copy[HERALD_MAX_SSRCS];
	struct nlattr *list, *nest;
	unsigned int i;

	spin_lock_bh(&st->ssrc_lock);
	memcpy(copy, st->slots, st->nslots * sizeof(copy[0]));
	spin_unlock_bh(&st->ssrc_lock);

	list = nla_nest_start(skb, HERALD_STREAM_A_SSRCS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < st->nslots; i++) {
		struct herald_rtp_report r;

		if (!copy[i].used)
			continue;
		herald_rtp_stats_report(&copy[i].rtp, &r);
		nest = nla_nest_start(skb, HERALD_A_SSRC);
		if (!nest ||
		    nla_put_u32(skb, HERALD_SSRC_A_SSRC, copy[i].ssrc) ||
		    nla_put_u64_64bit(skb, HERALD_SSRC_A_PACKETS, copy[i].packets, HERALD_SSRC_A_PAD) ||
		    nla_put_u32(skb, HERALD_SSRC_A_EXT_HIGHEST_SEQ,
				copy[i].idx.roc << 16 | copy[i].idx.s_l) ||
		    nla_put_s32(skb, HERALD_SSRC_A_LOST, r.cumulative_lost) ||
		    nla_put_u32(skb, HERALD_SSRC_A_JITTER, r.jitter) ||
		    nla_put_u32(skb, HERALD_SSRC_A_ACTIVE_KEY_MKI, copy[i].last_mki))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int herald_stream_put_outputs(struct sk_buff *skb, struct herald_stream *st)
{
	struct herald_stream_outputs *outs;
	struct nlattr *list;
	unsigned int i;

	outs = rcu_dereference_protected(st->outputs, lockdep_is_held(&st->hn->lock));
	list = nla_nest_start(skb, HERALD_STREAM_A_OUTPUTS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; outs && i < outs->count; i++)
		if (nla_put_u32(skb, HERALD_A_OUTPUT_ID, outs->out[i]->id))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

static int herald_stream_put_pts(struct sk_buff *skb, struct herald_stream *st)
{
	struct nlattr *list;
	unsigned int pt;

	if (bitmap_full(st->pt_mask, 128))
		return 0;	/* all accepted: nothing to list */
	list = nla_nest_start(skb, HERALD_STREAM_A_PAYLOAD_TYPES);
	if (!list)
		return -EMSGSIZE;
	for_each_set_bit(pt, st->pt_mask, 128)
		if (nla_put_u8(skb, HERALD_A_PT, pt))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

static int herald_stream_fill(struct sk_buff *skb, struct list_head *node, u32 portid,
			      u32 seq, int flags)
{
	struct herald_stream *st = list_entry(node, struct herald_stream, list);
	struct herald_keyring *kr;
	struct herald_sink *sink;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &herald_genl_family, flags, HERALD_CMD_GET_STREAM);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HERALD_A_STREAM);
	if (!nest)
		goto err;
	kr = rcu_dereference_protected(st->keys, lockdep_is_held(&st->hn->lock));
	sink = rcu_dereference_protected(st->sink, lockdep_is_held(&st->hn->lock));
	if (nla_put_u32(skb, HERALD_STREAM_A_ID, st->id) ||
	    nla_put_string(skb, HERALD_STREAM_A_LABEL, st->label) ||
	    (st->owned &&
	     herald_nl_put_addr(skb, HERALD_STREAM_A_LOCAL_ADDR, st->ipv6, &st->local6, st->local4)) ||
	    nla_put_u16(skb, HERALD_STREAM_A_LOCAL_PORT_BOUND, st->local_port) ||
	    (st->ifindex && nla_put_u32(skb, HERALD_STREAM_A_IFINDEX, st->ifindex)) ||
	    (!st->desc && nla_put_flag(skb, HERALD_STREAM_A_PLAINTEXT)) ||
	    (st->desc && nla_put_u32(skb, HERALD_STREAM_A_SUITE, st->desc->id)) ||
	    (kr && herald_keyring_put(skb, HERALD_STREAM_A_KEYS, kr)) ||
	    nla_put_u16(skb, HERALD_STREAM_A_REPLAY_WINDOW, st->replay_window) ||
	    (st->ssrc_filter && nla_put_u32(skb, HERALD_STREAM_A_SSRC, st->ssrc)) ||
	    nla_put_u8(skb, HERALD_STREAM_A_PRIORITY, st->priority) ||
	    (sink && nla_put_u32(skb, HERALD_STREAM_A_SINK, sink->id)) ||
	    nla_put_s32(skb, HERALD_STREAM_A_VOLUME_OFFSET_DB, READ_ONCE(st->volume_offset_db)) ||
	    nla_put_u8(skb, HERALD_STREAM_A_TONE, READ_ONCE(st->tone)) ||
	    herald_stream_put_outputs(skb, st) ||
	    herald_stream_put_pts(skb, st) ||
	    herald_stats_put(skb, HERALD_STREAM_A_STATS, st->stats, herald_stream_counters,
			     ARRAY_SIZE(herald_stream_counters)) ||
	    herald_stream_put_ssrcs(skb, st))
		goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
err:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The sink a request names (HERALD_STREAM_A_SINK): NULL for 0 or when the
 * attribute is absent. hn->lock held.
 */
static struct herald_sink *herald_sink_from_nl(struct herald_net *hn, struct nlattr *attr,
					       struct netlink_ext_ack *extack)
{
	struct herald_sink *sink;

	if (!attr || !nla_get_u32(attr))
		return NULL;
	sink = herald_sink_find(hn, nla_get_u32(attr));
	if (!sink) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no sink with this id");
		return ERR_PTR(-ENOENT);
	}
	return sink;
}

static int herald_stream_parse(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, HERALD_A_STREAM))
		return -EINVAL;
	return nla_parse_nested(tb, HERALD_STREAM_A_MAX, info->attrs[HERALD_A_STREAM],
				herald_stream_policy, info->extack);
}

static struct herald_stream *herald_stream_lookup(struct herald_net *hn, struct nlattr **tb,
						  struct genl_info *info)
{
	struct herald_stream *st;

	if (!tb[HERALD_STREAM_A_ID]) {
		NL_SET_ERR_MSG(info->extack, "stream id missing");
		return ERR_PTR(-EINVAL);
	}
	st = herald_stream_find(hn, nla_get_u32(tb[HERALD_STREAM_A_ID]));
	if (!st) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HERALD_STREAM_A_ID], "no stream with this id");
		return ERR_PTR(-ENOENT);
	}
	return st;
}

/* The output list of a request, every id resolved. hn->lock held. */
static struct herald_stream_outputs *herald_outputs_from_nl(struct herald_net *hn,
							    struct nlattr *list,
							    struct netlink_ext_ack *extack)
{
	struct herald_stream_outputs *outs;
	struct nlattr *attr;
	int rem, n = 0;

	outs = kzalloc(struct_size(outs, out, HERALD_MAX_OUTPUTS), GFP_KERNEL);
	if (!outs)
		return ERR_PTR(-ENOMEM);
	nla_for_each_nested(attr, list, rem) {
		struct herald_output *out;
		int i;

		if (nla_type(attr) != HERALD_A_OUTPUT_ID || nla_len(attr) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "expected an output id (u32)");
			goto err;
		}
		if (n == HERALD_MAX_OUTPUTS) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "too many outputs for one stream");
			goto err;
		}
		out = herald_output_find(hn, nla_get_u32(attr));
		if (!out) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "no output with this id");
			kfree(outs);
			return ERR_PTR(-ENOENT);
		}
		for (i = 0; i < n; i++)
			if (outs->out[i] == out)
				break;
		if (i == n)
			outs->out[n++] = out;
	}
	outs->count = n;
	return outs;
err:
	kfree(outs);
	return ERR_PTR(-EINVAL);
}

static int herald_pts_from_nl(struct herald_stream *st, struct nlattr *list,
			      struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(mask, 128);
	struct nlattr *attr;
	int rem;

	bitmap_zero(mask, 128);
	nla_for_each_nested(attr, list, rem) {
		if (nla_type(attr) != HERALD_A_PT || nla_len(attr) < 1 || nla_get_u8(attr) > 127) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "expected a payload type 0..127 (u8)");
			return -EINVAL;
		}
		__set_bit(nla_get_u8(attr), mask);
	}
	if (bitmap_empty(mask, 128)) {
		NL_SET_ERR_MSG_ATTR(extack, list, "no payload type given");
		return -EINVAL;
	}
	/* Word by word: the packet path reads the mask without a lock. */
	for (rem = 0; rem < BITS_TO_LONGS(128); rem++)
		WRITE_ONCE(st->pt_mask[rem], mask[rem]);
	return 0;
}

int herald_nl_new_stream(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	const struct herald_suite_desc *desc = NULL;
	struct herald_stream_outputs *outs = NULL;
	struct herald_keyring *keys;
	struct herald_stream *st;
	struct herald_sink *sink;
	bool plaintext, by_fd;
	u16 window;
	u32 id;
	int ret;

	ret = herald_stream_parse(info, tb);
	if (ret)
		return ret;
	by_fd = tb[HERALD_STREAM_A_FD];
	if (by_fd == (tb[HERALD_STREAM_A_LOCAL_ADDR] || tb[HERALD_STREAM_A_LOCAL_PORT])) {
		NL_SET_ERR_MSG(extack, "a stream needs either a socket fd or a local address and port");
		return -EINVAL;
	}
	if (!by_fd && (!tb[HERALD_STREAM_A_LOCAL_ADDR] || !tb[HERALD_STREAM_A_LOCAL_PORT])) {
		NL_SET_ERR_MSG(extack, "a module-bound stream needs both local address and port");
		return -EINVAL;
	}
	plaintext = nla_get_flag(tb[HERALD_STREAM_A_PLAINTEXT]);
	if (plaintext && (tb[HERALD_STREAM_A_SUITE] || tb[HERALD_STREAM_A_KEYS])) {
		NL_SET_ERR_MSG(extack, "a plaintext stream takes no suite and no keys");
		return -EINVAL;
	}
	if (!plaintext) {
		if (!tb[HERALD_STREAM_A_SUITE] || !tb[HERALD_STREAM_A_KEYS]) {
			NL_SET_ERR_MSG(extack, "a stream needs a suite and keys, or the plaintext flag");
			return -EINVAL;
		}
		desc = herald_suite_get(nla_get_u32(tb[HERALD_STREAM_A_SUITE]));
	}
	window = tb[HERALD_STREAM_A_REPLAY_WINDOW] ?
		 nla_get_u16(tb[HERALD_STREAM_A_REPLAY_WINDOW]) : HERALD_REPLAY_WINDOW_DEFAULT;

	mutex_lock(&hn->lock);
	if (plaintext && hn->require_encryption) {
		NL_SET_ERR_MSG(extack, "encryption is required in this namespace: no plaintext stream");
		ret = -EPERM;
		goto out_unlock;
	}
	if (tb[HERALD_STREAM_A_ID]) {
		id = nla_get_u32(tb[HERALD_STREAM_A_ID]);
		if (herald_stream_find(hn, id)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_STREAM_A_ID], "a stream with this id exists");
			ret = -EEXIST;
			goto out_unlock;
		}
	} else {
		do
			id = hn->next_stream_id++;
		while (!id || herald_stream_find(hn, id));
	}
	st = herald_stream_alloc(hn, id, desc, window, !!tb[HERALD_STREAM_A_SSRC],
				 tb[HERALD_STREAM_A_SSRC] ? nla_get_u32(tb[HERALD_STREAM_A_SSRC]) : 0);
	if (IS_ERR(st)) {
		ret = PTR_ERR(st);
		goto out_unlock;
	}
	if (tb[HERALD_STREAM_A_LABEL])
		strscpy(st->label, nla_data(tb[HERALD_STREAM_A_LABEL]), sizeof(st->label));
	if (tb[HERALD_STREAM_A_PRIORITY])
		st->priority = nla_get_u8(tb[HERALD_STREAM_A_PRIORITY]);
	if (tb[HERALD_STREAM_A_IFINDEX])
		st->ifindex = nla_get_u32(tb[HERALD_STREAM_A_IFINDEX]);
	if (tb[HERALD_STREAM_A_VOLUME_OFFSET_DB])
		st->volume_offset_db = nla_get_s32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]);
	if (tb[HERALD_STREAM_A_TONE])
		st->tone = nla_get_u8(tb[HERALD_STREAM_A_TONE]);
	if (tb[HERALD_STREAM_A_PAYLOAD_TYPES]) {
		ret = herald_pts_from_nl(st, tb[HERALD_STREAM_A_PAYLOAD_TYPES], extack);
		if (ret)
			goto err_free;
	}
	if (desc) {
		keys = herald_keyring_from_nl(desc, tb[HERALD_STREAM_A_KEYS], extack);
		if (IS_ERR(keys)) {
			ret = PTR_ERR(keys);
			goto err_free;
		}
		rcu_assign_pointer(st->keys, keys);
	}
	if (tb[HERALD_STREAM_A_OUTPUTS]) {
		outs = herald_outputs_from_nl(hn, tb[HERALD_STREAM_A_OUTPUTS], extack);
		if (IS_ERR(outs)) {
			ret = PTR_ERR(outs);
			goto err_free;
		}
		rcu_assign_pointer(st->outputs, outs);
	}
	sink = herald_sink_from_nl(hn, tb[HERALD_STREAM_A_SINK], extack);
	if (IS_ERR(sink)) {
		ret = PTR_ERR(sink);
		goto err_free;
	}
	rcu_assign_pointer(st->sink, sink);
	/* The socket last: from here on packets flow. */
	if (by_fd) {
		ret = herald_stream_attach_fd(st, nla_get_u32(tb[HERALD_STREAM_A_FD]), extack);
	} else {
		ret = herald_nl_get_addr(tb[HERALD_STREAM_A_LOCAL_ADDR], &st->ipv6, &st->local6,
					 &st->local4, extack);
		st->local_port = nla_get_u16(tb[HERALD_STREAM_A_LOCAL_PORT]);
		if (!ret)
			ret = herald_stream_open_socket(st, extack);
	}
	if (ret)
		goto err_free;
	list_add_tail(&st->list, &hn->streams);
	herald_events_kick(hn);
	ret = herald_nl_reply(info, herald_stream_fill, &st->list);
	if (ret == -ENOMEM || ret == -EMSGSIZE)
		ret = 0;
	goto out_unlock;

err_free:
	herald_stream_free(st);
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_set_stream(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct herald_stream_outputs *outs = NULL;
	struct herald_sink *sink = NULL;
	struct herald_stream *st;
	int ret, i;

	ret = herald_stream_parse(info, tb);
	if (ret)
		return ret;
	for (i = 0; i <= HERALD_STREAM_A_MAX; i++) {
		if (!tb[i] || i == HERALD_STREAM_A_ID || i == HERALD_STREAM_A_LABEL ||
		    i == HERALD_STREAM_A_PRIORITY || i == HERALD_STREAM_A_OUTPUTS ||
		    i == HERALD_STREAM_A_PAYLOAD_TYPES || i == HERALD_STREAM_A_SINK ||
		    i == HERALD_STREAM_A_VOLUME_OFFSET_DB || i == HERALD_STREAM_A_TONE)
			continue;
		NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
				    "cannot be changed on a live stream (keys: use key add/del)");
		return -EOPNOTSUPP;
	}
	mutex_lock(&hn->lock);
	st = herald_stream_lookup(hn, tb, info);
	if (IS_ERR(st)) {
		ret = PTR_ERR(st);
		goto out_unlock;
	}
	/* Validate everything before changing anything. */
	if (tb[HERALD_STREAM_A_OUTPUTS]) {
		outs = herald_outputs_from_nl(hn, tb[HERALD_STREAM_A_OUTPUTS], info->extack);
		if (IS_ERR(outs)) {
			ret = PTR_ERR(outs);
			goto out_unlock;
		}
	}
	sink = herald_sink_from_nl(hn, tb[HERALD_STREAM_A_SINK], info->extack);
	if (IS_ERR(sink)) {
		kfree(outs);
		ret = PTR_ERR(sink);
		goto out_unlock;
	}
	if (tb[HERALD_STREAM_A_PAYLOAD_TYPES]) {
		ret = herald_pts_from_nl(st, tb[HERALD_STREAM_A_PAYLOAD_TYPES], info->extack);
		if (ret) {
			kfree(outs);
			goto out_unlock;
		}
	}
	if (outs)
		herald_stream_set_outputs(st, outs);
	/* A sink is freed only after a grace period once no stream points at
	 * it (herald_streams_forget_sink), so swapping the pointer is enough.
	 */
	if (tb[HERALD_STREAM_A_SINK])
		rcu_assign_pointer(st->sink, sink);
	if (tb[HERALD_STREAM_A_LABEL])
		strscpy(st->label, nla_data(tb[HERALD_STREAM_A_LABEL]), sizeof(st->label));
	if (tb[HERALD_STREAM_A_PRIORITY])
		WRITE_ONCE(st->priority, nla_get_u8(tb[HERALD_STREAM_A_PRIORITY]));
	/* Read by the sink with each packet: heard at once, even mid-page. */
	if (tb[HERALD_STREAM_A_VOLUME_OFFSET_DB])
		WRITE_ONCE(st->volume_offset_db,
			   nla_get_s32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]));
	/* Taken when a page starts: from the next page on. */
	if (tb[HERALD_STREAM_A_TONE])
		WRITE_ONCE(st->tone, nla_get_u8(tb[HERALD_STREAM_A_TONE]));
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_del_stream(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct herald_stream *st;
	int ret;

	ret = herald_stream_parse(info, tb);
	if (ret)
		return ret;
	mutex_lock(&hn->lock);
	st = herald_stream_lookup(hn, tb, info);
	if (IS_ERR(st))
		ret = PTR_ERR(st);
	else
		herald_stream_destroy(st);
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_get_stream(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct herald_stream *st;
	int ret;

	ret = herald_stream_parse(info, tb);
	if (ret)
		return ret;
	mutex_lock(&hn->lock);
	st = herald_stream_lookup(hn, tb, info);
	ret = IS_ERR(st) ? PTR_ERR(st) : herald_nl_reply(info, herald_stream_fill, &st->list);
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_dump_streams(struct sk_buff *skb, struct netlink_callback *cb)
{
	return herald_nl_dump_list(skb, cb, &herald_pernet(sock_net(skb->sk))->streams,
				   herald_stream_fill);
}

/*
 * Keys: HERALD_A_STREAM or HERALD_A_OUTPUT with ID and one key in KEYS.
 * Finds the keyring pointer of the object the request names.
 */
static struct herald_keyring __rcu **herald_key_target(struct herald_net *hn,
						       struct genl_info *info,
						       struct nlattr **key, bool *is_output)
{
	struct nlattr *tb[(HERALD_STREAM_A_MAX > HERALD_OUTPUT_A_MAX ?
			   HERALD_STREAM_A_MAX : HERALD_OUTPUT_A_MAX) + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct herald_keyring __rcu **slot;
	struct nlattr *keys, *k;
	int ret, rem, n = 0;

	*is_output = info->attrs[HERALD_A_OUTPUT];
	if (*is_output == !!info->attrs[HERALD_A_STREAM]) {
		NL_SET_ERR_MSG(extack, "name either a stream or an output");
		return ERR_PTR(-EINVAL);
	}
	if (*is_output) {
		struct herald_output *out;

		ret = nla_parse_nested(tb, HERALD_OUTPUT_A_MAX, info->attrs[HERALD_A_OUTPUT],
				       herald_output_policy, extack);
		if (ret)
			return ERR_PTR(ret);
		out = herald_output_lookup(hn, tb, info);
		if (IS_ERR(out))
			return ERR_CAST(out);
		keys = tb[HERALD_OUTPUT_A_KEYS];
		slot = &out->keys;
	} else {
		struct herald_stream *st;

		ret = nla_parse_nested(tb, HERALD_STREAM_A_MAX, info->attrs[HERALD_A_STREAM],
				       herald_stream_policy, extack);
		if (ret)
			return ERR_PTR(ret);
		st = herald_stream_lookup(hn, tb, info);
		if (IS_ERR(st))
			return ERR_CAST(st);
		keys = tb[HERALD_STREAM_A_KEYS];
		slot = &st->keys;
	}
	if (!rcu_access_pointer(*slot)) {
		NL_SET_ERR_MSG(extack, "a plaintext object has no keys");
		return ERR_PTR(-EINVAL);
	}
	if (keys) {
		nla_for_each_nested(k, keys, rem) {
			*key = k;
			n++;
		}
	}
	if (n != 1) {
		NL_SET_ERR_MSG(extack, "give exactly one key");
		return ERR_PTR(-EINVAL);
	}
	return slot;
}

int herald_nl_add_key(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct herald_keyring __rcu **slot;
	struct herald_keyring *old, *kr;
	struct herald_srtp_key *key;
	struct nlattr *nest;
	bool is_output, active;
	u8 mki_len;
	u32 mki;
	int ret = 0;

	mutex_lock(&hn->lock);
	slot = herald_key_target(hn, info, &nest, &is_output);
	if (IS_ERR(slot)) {
		ret = PTR_ERR(slot);
		goto out_unlock;
	}
	old = rcu_dereference_protected(*slot, lockdep_is_held(&hn->lock));
	key = herald_key_from_nl(old->desc, nest, &mki, &mki_len, &active, info->extack);
	if (IS_ERR(key)) {
		ret = PTR_ERR(key);
		goto out_unlock;
	}
	kr = herald_keyring_add(old, key, mki, mki_len, active && is_output, info->extack);
	if (IS_ERR(kr)) {
		herald_srtp_key_free(key);
		ret = PTR_ERR(kr);
		goto out_unlock;
	}
	rcu_assign_pointer(*slot, kr);
	herald_keyring_retire(old, kr);
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_del_key(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_KEY_A_MAX + 1];
	struct herald_keyring __rcu **slot;
	struct herald_keyring *old, *kr;
	struct nlattr *nest;
	bool is_output;
	int ret;

	mutex_lock(&hn->lock);
	slot = herald_key_target(hn, info, &nest, &is_output);
	if (IS_ERR(slot)) {
		ret = PTR_ERR(slot);
		goto out_unlock;
	}
	ret = nla_parse_nested(tb, HERALD_KEY_A_MAX, nest, herald_key_policy, info->extack);
	if (ret)
		goto out_unlock;
	if (!tb[HERALD_KEY_A_MKI_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "name the key by its MKI");
		ret = -EINVAL;
		goto out_unlock;
	}
	old = rcu_dereference_protected(*slot, lockdep_is_held(&hn->lock));
	kr = herald_keyring_del(old, nla_get_u32(tb[HERALD_KEY_A_MKI_ID]), is_output,
				info->extack);
	if (IS_ERR(kr)) {
		ret = PTR_ERR(kr);
		goto out_unlock;
	}
	rcu_assign_pointer(*slot, kr);
	herald_keyring_retire(old, kr);
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}
