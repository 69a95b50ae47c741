/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family: registration (netlink.c) and the handlers of
 * each object kind (netlink_output.c, netlink_stream.c).
 */
#ifndef _HERALD_NETLINK_H
#define _HERALD_NETLINK_H

#include <net/genetlink.h>

int herald_genl_init(void);
void herald_genl_exit(void);

extern const struct nla_policy herald_output_policy[HERALD_OUTPUT_A_MAX + 1];
extern const struct nla_policy herald_stream_policy[HERALD_STREAM_A_MAX + 1];
extern const struct nla_policy herald_sink_policy[HERALD_SINK_A_MAX + 1];
extern struct genl_family herald_genl_family;

int herald_nl_new_output(struct sk_buff *skb, struct genl_info *info);
int herald_nl_set_output(struct sk_buff *skb, struct genl_info *info);
int herald_nl_del_output(struct sk_buff *skb, struct genl_info *info);
int herald_nl_get_output(struct sk_buff *skb, struct genl_info *info);
int herald_nl_dump_outputs(struct sk_buff *skb, struct netlink_callback *cb);

int herald_nl_new_stream(struct sk_buff *skb, struct genl_info *info);
int herald_nl_set_stream(struct sk_buff *skb, struct genl_info *info);
int herald_nl_del_stream(struct sk_buff *skb, struct genl_info *info);
int herald_nl_get_stream(struct sk_buff *skb, struct genl_info *info);
int herald_nl_dump_streams(struct sk_buff *skb, struct netlink_callback *cb);

int herald_nl_new_sink(struct sk_buff *skb, struct genl_info *info);
int herald_nl_set_sink(struct sk_buff *skb, struct genl_info *info);
int herald_nl_del_sink(struct sk_buff *skb, struct genl_info *info);
int herald_nl_get_sink(struct sk_buff *skb, struct genl_info *info);
int herald_nl_dump_sinks(struct sk_buff *skb, struct netlink_callback *cb);

int herald_nl_add_key(struct sk_buff *skb, struct genl_info *info);
int herald_nl_del_key(struct sk_buff *skb, struct genl_info *info);

/* Helpers shared by the handlers. */
struct herald_net;
struct herald_output *herald_output_lookup(struct herald_net *hn, struct nlattr **tb,
					   struct genl_info *info);
int herald_nl_get_addr(const struct nlattr *attr, bool *ipv6, struct in6_addr *a6,
		       __be32 *a4, struct netlink_ext_ack *extack);
int herald_nl_put_addr(struct sk_buff *skb, int attr, bool ipv6, const struct in6_addr *a6,
		       __be32 a4);
/*
 * Put one object (found by its list node in herald_net) into @skb as a GET
 * reply or dump entry. Objects of both kinds hang off herald_net lists.
 */
typedef int (*herald_nl_fill_t)(struct sk_buff *skb, struct list_head *node, u32 portid,
				u32 seq, int flags);
/* Answer @info with the one object @node. */
int herald_nl_reply(struct genl_info *info, herald_nl_fill_t fill, struct list_head *node);
/* Dump every object of @head (a herald_net list), resuming where the last
 * part stopped. Takes hn->lock.
 */
int herald_nl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			struct list_head *head, herald_nl_fill_t fill);
/* Multicast @msg to the events group of @hn's namespace. */
void herald_nl_notify(struct herald_net *hn, struct sk_buff *msg);
/* Any plaintext object in @hn (require-encryption cannot be turned on). */
bool herald_has_plaintext(struct herald_net *hn);

#endif /* _HERALD_NETLINK_H */
