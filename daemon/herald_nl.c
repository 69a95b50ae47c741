// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by heraldd and heraldctl: see herald_nl.h.
 */
#include <linux/herald.h>
#include <netlink/attr.h>

#include "herald_nl.h"

int herald_nl_put_key(struct nl_msg *msg, const uint8_t *material, size_t len, uint32_t mki,
		      uint8_t mki_len, bool active)
{
	struct nlattr *nest = nla_nest_start(msg, HERALD_A_KEY);

	if (!nest)
		return -1;
	if (len && nla_put(msg, HERALD_KEY_A_MATERIAL, (int)len, material) < 0)
		return -1;
	if (nla_put_u32(msg, HERALD_KEY_A_MKI_ID, mki) < 0 ||
	    nla_put_u8(msg, HERALD_KEY_A_MKI_LEN, mki_len) < 0)
		return -1;
	if (active && nla_put_flag(msg, HERALD_KEY_A_ACTIVE) < 0)
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

const char *herald_nl_extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off, len;

	if (nlh->nlmsg_type != NLMSG_ERROR || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	len = nlh->nlmsg_len;
	if (len < NLMSG_HDRLEN + sizeof(*err))
		return NULL;
	err = (const struct nlmsgerr *)NLMSG_DATA(nlh);
	/* The TLVs follow the echoed request, unless it was capped to its header. */
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return NULL;
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if (off >= len)
		return NULL;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      (int)(len - off), NULL) < 0)
		return NULL;
	if (!tb[NLMSGERR_ATTR_MSG] || nla_len(tb[NLMSGERR_ATTR_MSG]) < 1)
		return NULL;
	/* The kernel sends it NUL-terminated; do not trust that blindly. */
	if (((const char *)nla_data(tb[NLMSGERR_ATTR_MSG]))[nla_len(tb[NLMSGERR_ATTR_MSG]) - 1])
		return NULL;
	return nla_data(tb[NLMSGERR_ATTR_MSG]);
}
