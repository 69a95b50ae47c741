// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "herald": policies, operations, events.
 * Every request is validated strictly against a policy before a handler
 * runs; handlers add an extack message to every rejection of their own.
 */
#include <linux/crypto.h>
#include <net/genetlink.h>
#include <linux/herald.h>

#include <net/ipv6.h>

#include "herald.h"
#include "netlink.h"
#include "output.h"
#include "srtp.h"
#include "stream.h"
#include "suite.h"

static const struct nla_policy herald_policy[HERALD_A_MAX + 1] = {
	[HERALD_A_VERSION] = { .type = NLA_REJECT },
	[HERALD_A_SUITES] = { .type = NLA_REJECT },
	[HERALD_A_FEATURES] = { .type = NLA_REJECT },
	[HERALD_A_REQUIRE_ENCRYPTION] = NLA_POLICY_MAX(NLA_U8, 1),
	[HERALD_A_STREAM] = NLA_POLICY_NESTED(herald_stream_policy),
	[HERALD_A_OUTPUT] = NLA_POLICY_NESTED(herald_output_policy),
	[HERALD_A_EVENT] = { .type = NLA_REJECT },
	[HERALD_A_SINK] = NLA_POLICY_NESTED(herald_sink_policy),
};

enum herald_mcgrp { HERALD_MCGRP_EVENTS_ID };

static const struct genl_multicast_group herald_mcgrps[] = {
	[HERALD_MCGRP_EVENTS_ID] = { .name = HERALD_MCGRP_EVENTS },
};

/* Features this build implements, as reported by GET_INFO. Only append what
 * is implemented and tested: userspace decides what to use from this list.
 */
static const char *const herald_features[] = {
	"policy",
	"stream",
	"output",
	"ipv6",
	"multicast",
	"mki",
	"sink",
	"sink-tone",		/* stream VOLUME_OFFSET_DB and TONE, sink TONE_PCM */
	"sink-events",		/* HERALD_CMD_SINK_EVENT */
};

int herald_nl_get_addr(const struct nlattr *attr, bool *ipv6, struct in6_addr *a6,
		       __be32 *a4, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == sizeof(__be32)) {
		*ipv6 = false;
		*a4 = nla_get_in_addr(attr);
		return 0;
	}
	if (nla_len(attr) == sizeof(struct in6_addr)) {
		*ipv6 = true;
		*a6 = nla_get_in6_addr(attr);
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, attr, "an address is 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

int herald_nl_put_addr(struct sk_buff *skb, int attr, bool ipv6, const struct in6_addr *a6,
		       __be32 a4)
{
	return ipv6 ? nla_put_in6_addr(skb, attr, a6) : nla_put_in_addr(skb, attr, a4);
}

bool herald_has_plaintext(struct herald_net *hn)
{
	struct herald_output *out;
	struct herald_stream *st;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(out, &hn->outputs, list)
		if (out->plaintext)
			return true;
	list_for_each_entry(st, &hn->streams, list)
		if (!st->desc)
			return true;
	return false;
}

static int herald_put_suites(struct sk_buff *skb)
{
	const struct herald_suite_desc *desc;
	char driver[2 * CRYPTO_MAX_ALG_NAME + 2];
	struct nlattr *list, *nest;
	unsigned int i;

	list = nla_nest_start(skb, HERALD_A_SUITES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; (desc = herald_suite_at(i)); i++) {
		/* A suite the kernel's crypto cannot do is not announced. */
		if (herald_srtp_probe(desc, driver, sizeof(driver)))
			continue;
		nest = nla_nest_start(skb, HERALD_A_SUITE);
		if (!nest ||
		    nla_put_u32(skb, HERALD_SUITE_A_ID, desc->id) ||
		    nla_put_string(skb, HERALD_SUITE_A_NAME, desc->name) ||
		    nla_put_u32(skb, HERALD_SUITE_A_KEY_LEN, desc->key_len) ||
		    nla_put_u32(skb, HERALD_SUITE_A_SALT_LEN, desc->salt_len) ||
		    nla_put_u32(skb, HERALD_SUITE_A_TAG_LEN, desc->tag_len) ||
		    nla_put_string(skb, HERALD_SUITE_A_DRIVER, driver))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int herald_put_features(struct sk_buff *skb)
{
	struct nlattr *list;
	unsigned int i;

	list = nla_nest_start(skb, HERALD_A_FEATURES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(herald_features); i++)
		if (nla_put_string(skb, HERALD_A_FEATURE, herald_features[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

static int herald_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &herald_genl_family, 0, HERALD_CMD_GET_INFO);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err;
	}
	ret = -EMSGSIZE;
	if (nla_put_string(msg, HERALD_A_VERSION, HERALD_VERSION) ||
	    nla_put_u8(msg, HERALD_A_REQUIRE_ENCRYPTION, READ_ONCE(hn->require_encryption)))
		goto err;
	ret = herald_put_suites(msg);
	if (ret)
		goto err;
	ret = herald_put_features(msg);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

int herald_nl_reply(struct genl_info *info, herald_nl_fill_t fill, struct list_head *node)
{
	struct sk_buff *msg;
	int ret;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = fill(msg, node, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

int herald_nl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			struct list_head *head, herald_nl_fill_t fill)
{
	struct herald_net *hn = herald_pernet(sock_net(skb->sk));
	long i = 0, skip = cb->args[0];
	struct list_head *node;

	mutex_lock(&hn->lock);
	list_for_each(node, head) {
		if (i++ < skip)
			continue;
		if (fill(skb, node, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			i--;
			break;
		}
	}
	mutex_unlock(&hn->lock);
	/* Resume after the last object sent; a change in between may skip or
	 * repeat one, as with every netlink dump.
	 */
	cb->args[0] = i;
	return skb->len;
}

void herald_nl_notify(struct herald_net *hn, struct sk_buff *msg)
{
	genlmsg_multicast_netns(&herald_genl_family, hn->net, msg, 0,
				HERALD_MCGRP_EVENTS_ID, GFP_KERNEL);
}

/* Tell listeners on the events group about the namespace's policy. */
static void herald_notify_policy(struct herald_net *hn)
{
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &herald_genl_family, 0, HERALD_CMD_SET_POLICY);
	if (!hdr || nla_put_u8(msg, HERALD_A_REQUIRE_ENCRYPTION, hn->require_encryption)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	herald_nl_notify(hn, msg);
}

static int herald_nl_set_policy(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));

	if (!info->attrs[HERALD_A_REQUIRE_ENCRYPTION]) {
		NL_SET_ERR_MSG(info->extack, "no policy attribute given");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	if (nla_get_u8(info->attrs[HERALD_A_REQUIRE_ENCRYPTION]) && herald_has_plaintext(hn)) {
		/* The policy would claim more than is true. */
		mutex_unlock(&hn->lock);
		NL_SET_ERR_MSG(info->extack,
			       "plaintext streams or outputs exist: delete them before requiring encryption");
		return -EPERM;
	}
	WRITE_ONCE(hn->require_encryption,
		   nla_get_u8(info->attrs[HERALD_A_REQUIRE_ENCRYPTION]));
	herald_notify_policy(hn);
	mutex_unlock(&hn->lock);
	return 0;
}

static const struct genl_small_ops herald_genl_ops[] = {
	{
		.cmd = HERALD_CMD_GET_INFO,
		.doit = herald_nl_get_info,
	},
	{
		.cmd = HERALD_CMD_SET_POLICY,
		.doit = herald_nl_set_policy,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{ .cmd = HERALD_CMD_NEW_OUTPUT, .doit = herald_nl_new_output, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_SET_OUTPUT, .doit = herald_nl_set_output, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_DEL_OUTPUT, .doit = herald_nl_del_output, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_GET_OUTPUT, .doit = herald_nl_get_output, .dumpit = herald_nl_dump_outputs },
	{ .cmd = HERALD_CMD_NEW_STREAM, .doit = herald_nl_new_stream, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_SET_STREAM, .doit = herald_nl_set_stream, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_DEL_STREAM, .doit = herald_nl_del_stream, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_GET_STREAM, .doit = herald_nl_get_stream, .dumpit = herald_nl_dump_streams },
	{ .cmd = HERALD_CMD_ADD_KEY, .doit = herald_nl_add_key, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_DEL_KEY, .doit = herald_nl_del_key, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_NEW_SINK, .doit = herald_nl_new_sink, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_SET_SINK, .doit = herald_nl_set_sink, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_DEL_SINK, .doit = herald_nl_del_sink, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = HERALD_CMD_GET_SINK, .doit = herald_nl_get_sink, .dumpit = herald_nl_dump_sinks },
};

struct genl_family herald_genl_family __ro_after_init = {
	.name = HERALD_GENL_NAME,
	.version = HERALD_GENL_VERSION,
	.maxattr = HERALD_A_MAX,
	.policy = herald_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = herald_genl_ops,
	.n_small_ops = ARRAY_SIZE(herald_genl_ops),
	/* .resv_start_op left at 0: a new family, strict validation everywhere. */
	.mcgrps = herald_mcgrps,
	.n_mcgrps = ARRAY_SIZE(herald_mcgrps),
};

int __init herald_genl_init(void)
{
	return genl_register_family(&herald_genl_family);
}

void herald_genl_exit(void)
{
	genl_unregister_family(&herald_genl_family);
}
