// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for outputs: new, set, del, get/dump.
 */
#include <linux/in6.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "herald.h"
#include "netlink.h"
#include "output.h"
#include "stream.h"

const struct nla_policy herald_output_policy[HERALD_OUTPUT_A_MAX + 1] = {
	[HERALD_OUTPUT_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HERALD_OUTPUT_A_LABEL] = { .type = NLA_NUL_STRING, .len = HERALD_LABEL_MAX - 1 },
	[HERALD_OUTPUT_A_DST_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[HERALD_OUTPUT_A_DST_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[HERALD_OUTPUT_A_IFINDEX] = { .type = NLA_U32 },
	[HERALD_OUTPUT_A_TTL] = NLA_POLICY_MIN(NLA_U8, 1),
	[HERALD_OUTPUT_A_DSCP] = NLA_POLICY_MAX(NLA_U8, 63),
	[HERALD_OUTPUT_A_SUITE] = NLA_POLICY_RANGE(NLA_U32, 1, HERALD_SUITE_MAX),
	[HERALD_OUTPUT_A_KEYS] = NLA_POLICY_NESTED_ARRAY(herald_key_policy),
	[HERALD_OUTPUT_A_PLAINTEXT] = { .type = NLA_FLAG },
	[HERALD_OUTPUT_A_SSRC] = { .type = NLA_REJECT },
	[HERALD_OUTPUT_A_STATS] = { .type = NLA_REJECT },
	[HERALD_OUTPUT_A_HOLDER] = { .type = NLA_REJECT },
};

static const u8 herald_output_counters[] = {
	HERALD_STAT_PACKETS, HERALD_STAT_BYTES, HERALD_STAT_TX_ERRORS, HERALD_STAT_DROP_BUSY,
};

static int herald_output_fill(struct sk_buff *skb, struct list_head *node, u32 portid,
			      u32 seq, int flags)
{
	struct herald_output *out = list_entry(node, struct herald_output, list);
	struct herald_keyring *kr;
	struct nlattr *nest;
	u32 holder;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &herald_genl_family, flags, HERALD_CMD_GET_OUTPUT);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HERALD_A_OUTPUT);
	if (!nest)
		goto err;
	spin_lock_bh(&out->tx_lock);
	holder = out->tx.holder_id;
	spin_unlock_bh(&out->tx_lock);
	kr = rcu_dereference_protected(out->keys, lockdep_is_held(&out->hn->lock));
	if (nla_put_u32(skb, HERALD_OUTPUT_A_ID, out->id) ||
	    nla_put_string(skb, HERALD_OUTPUT_A_LABEL, out->label) ||
	    herald_nl_put_addr(skb, HERALD_OUTPUT_A_DST_ADDR, out->ipv6, &out->dst6, out->dst4) ||
	    nla_put_u16(skb, HERALD_OUTPUT_A_DST_PORT, ntohs(out->dst_port)) ||
	    nla_put_u32(skb, HERALD_OUTPUT_A_IFINDEX, out->ifindex) ||
	    nla_put_u8(skb, HERALD_OUTPUT_A_TTL, out->ttl) ||
	    nla_put_u8(skb, HERALD_OUTPUT_A_DSCP, out->dscp) ||
	    nla_put_u32(skb, HERALD_OUTPUT_A_SSRC, out->ssrc) ||
	    nla_put_u32(skb, HERALD_OUTPUT_A_HOLDER, holder) ||
	    (out->plaintext && nla_put_flag(skb, HERALD_OUTPUT_A_PLAINTEXT)) ||
	    (kr && (nla_put_u32(skb, HERALD_OUTPUT_A_SUITE, kr->desc->id) ||
		    herald_keyring_put(skb, HERALD_OUTPUT_A_KEYS, kr))) ||
	    herald_stats_put(skb, HERALD_OUTPUT_A_STATS, out->stats, herald_output_counters,
			     ARRAY_SIZE(herald_output_counters)))
		goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
err:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Parse the HERALD_A_OUTPUT nest of a request. */
static int herald_output_parse(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, HERALD_A_OUTPUT))
		return -EINVAL;
	return nla_parse_nested(tb, HERALD_OUTPUT_A_MAX, info->attrs[HERALD_A_OUTPUT],
				herald_output_policy, info->extack);
}

/* The output a request names by ID. hn->lock held. */
struct herald_output *herald_output_lookup(struct herald_net *hn, struct nlattr **tb,
						  struct genl_info *info)
{
	struct herald_output *out;

	if (!tb[HERALD_OUTPUT_A_ID]) {
		NL_SET_ERR_MSG(info->extack, "output id missing");
		return ERR_PTR(-EINVAL);
	}
	out = herald_output_find(hn, nla_get_u32(tb[HERALD_OUTPUT_A_ID]));
	if (!out) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HERALD_OUTPUT_A_ID], "no output with this id");
		return ERR_PTR(-ENOENT);
	}
	return out;
}

int herald_nl_new_output(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];
	const struct herald_suite_desc *desc = NULL;
	struct netlink_ext_ack *extack = info->extack;
	struct herald_keyring *keys = NULL;
	struct herald_output *out;
	struct in6_addr dst6 = {};
	bool ipv6, plaintext, mcast;
	__be32 dst4 = 0;
	u32 id;
	u8 ttl;
	int ret;

	ret = herald_output_parse(info, tb);
	if (ret)
		return ret;
	if (!tb[HERALD_OUTPUT_A_DST_ADDR] || !tb[HERALD_OUTPUT_A_DST_PORT]) {
		NL_SET_ERR_MSG(extack, "an output needs a destination address and port");
		return -EINVAL;
	}
	ret = herald_nl_get_addr(tb[HERALD_OUTPUT_A_DST_ADDR], &ipv6, &dst6, &dst4, extack);
	if (ret)
		return ret;
	plaintext = nla_get_flag(tb[HERALD_OUTPUT_A_PLAINTEXT]);
	if (plaintext && (tb[HERALD_OUTPUT_A_SUITE] || tb[HERALD_OUTPUT_A_KEYS])) {
		NL_SET_ERR_MSG(extack, "a plaintext output takes no suite and no keys");
		return -EINVAL;
	}
	if (!plaintext) {
		if (!tb[HERALD_OUTPUT_A_SUITE] || !tb[HERALD_OUTPUT_A_KEYS]) {
			NL_SET_ERR_MSG(extack, "an output needs a suite and keys, or the plaintext flag");
			return -EINVAL;
		}
		desc = herald_suite_get(nla_get_u32(tb[HERALD_OUTPUT_A_SUITE]));
	}
	mcast = ipv6 ? ipv6_addr_is_multicast(&dst6) : ipv4_is_multicast(dst4);
	ttl = tb[HERALD_OUTPUT_A_TTL] ? nla_get_u8(tb[HERALD_OUTPUT_A_TTL]) : mcast ? 1 : 64;

	mutex_lock(&hn->lock);
	if (plaintext && hn->require_encryption) {
		NL_SET_ERR_MSG(extack, "encryption is required in this namespace: no plaintext output");
		ret = -EPERM;
		goto out_unlock;
	}
	if (tb[HERALD_OUTPUT_A_ID]) {
		id = nla_get_u32(tb[HERALD_OUTPUT_A_ID]);
		if (herald_output_find(hn, id)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_OUTPUT_A_ID], "an output with this id exists");
			ret = -EEXIST;
			goto out_unlock;
		}
	} else {
		do
			id = hn->next_output_id++;
		while (!id || herald_output_find(hn, id));
	}
	if (desc) {
		keys = herald_keyring_from_nl(desc, tb[HERALD_OUTPUT_A_KEYS], extack);
		if (IS_ERR(keys)) {
			ret = PTR_ERR(keys);
			goto out_unlock;
		}
	}
	out = herald_output_create(hn, id,
				   tb[HERALD_OUTPUT_A_LABEL] ? nla_data(tb[HERALD_OUTPUT_A_LABEL]) : "",
				   &dst6, dst4, ipv6, htons(nla_get_u16(tb[HERALD_OUTPUT_A_DST_PORT])),
				   tb[HERALD_OUTPUT_A_IFINDEX] ? nla_get_u32(tb[HERALD_OUTPUT_A_IFINDEX]) : 0,
				   ttl, tb[HERALD_OUTPUT_A_DSCP] ? nla_get_u8(tb[HERALD_OUTPUT_A_DSCP]) : 46,
				   keys, extack);
	if (IS_ERR(out)) {
		herald_keyring_retire(keys, NULL);
		ret = PTR_ERR(out);
		goto out_unlock;
	}
	list_add_tail(&out->list, &hn->outputs);
	ret = herald_nl_reply(info, herald_output_fill, &out->list);
	/* The output exists whether or not the reply made it. */
	if (ret == -ENOMEM || ret == -EMSGSIZE)
		ret = 0;
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_set_output(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];
	struct herald_output *out;
	int ret;

	ret = herald_output_parse(info, tb);
	if (ret)
		return ret;
	if (tb[HERALD_OUTPUT_A_DST_ADDR] || tb[HERALD_OUTPUT_A_DST_PORT] ||
	    tb[HERALD_OUTPUT_A_IFINDEX] || tb[HERALD_OUTPUT_A_SUITE] ||
	    tb[HERALD_OUTPUT_A_KEYS] || tb[HERALD_OUTPUT_A_PLAINTEXT]) {
		NL_SET_ERR_MSG(info->extack,
			       "destination and suite are fixed: delete and create the output; keys change with key add/del");
		return -EOPNOTSUPP;
	}
	mutex_lock(&hn->lock);
	out = herald_output_lookup(hn, tb, info);
	if (IS_ERR(out)) {
		ret = PTR_ERR(out);
		goto out_unlock;
	}
	if (tb[HERALD_OUTPUT_A_LABEL])
		strscpy(out->label, nla_data(tb[HERALD_OUTPUT_A_LABEL]), sizeof(out->label));
	if (tb[HERALD_OUTPUT_A_TTL])
		WRITE_ONCE(out->ttl, nla_get_u8(tb[HERALD_OUTPUT_A_TTL]));
	if (tb[HERALD_OUTPUT_A_DSCP])
		WRITE_ONCE(out->dscp, nla_get_u8(tb[HERALD_OUTPUT_A_DSCP]));
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_del_output(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];
	struct herald_output *out;
	int ret;

	ret = herald_output_parse(info, tb);
	if (ret)
		return ret;
	mutex_lock(&hn->lock);
	out = herald_output_lookup(hn, tb, info);
	if (IS_ERR(out)) {
		ret = PTR_ERR(out);
	} else {
		list_del(&out->list);
		herald_streams_forget_output(hn, out);
		herald_output_destroy(out);
	}
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_get_output(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];
	struct herald_output *out;
	int ret;

	ret = herald_output_parse(info, tb);
	if (ret)
		return ret;
	mutex_lock(&hn->lock);
	out = herald_output_lookup(hn, tb, info);
	ret = IS_ERR(out) ? PTR_ERR(out) : herald_nl_reply(info, herald_output_fill, &out->list);
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_dump_outputs(struct sk_buff *skb, struct netlink_callback *cb)
{
	return herald_nl_dump_list(skb, cb, &herald_pernet(sock_net(skb->sk))->outputs,
				   herald_output_fill);
}
