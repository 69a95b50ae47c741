// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by heraldd and heraldctl: see herald_nl.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/herald.h>
#include <netlink/genl/genl.h>
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

void herald_nl_msg_free(struct nl_msg *msg)
{
	struct nlmsghdr *nlh;

	if (!msg)
		return;
	nlh = nlmsg_hdr(msg);
	explicit_bzero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}

struct txn {
	int family;
	int (*reply)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	bool done;
	struct herald_nl_status *st;
};

static int txn_valid(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_type != t->family || !t->reply)
		return NL_SKIP;
	if (t->reply(nlh, t->arg)) {
		t->st->fail = HERALD_NL_BADMSG;
		t->st->error = -EBADMSG;
		t->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int txn_ack(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	const char *warning = herald_nl_extack_msg(nlmsg_hdr(msg));

	/* A successful ack may still carry a message: a warning. */
	if (warning)
		snprintf(t->st->warning, sizeof(t->st->warning), "%s", warning);
	t->done = true;
	return NL_STOP;
}

static int txn_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct txn *t = arg;
	int error;

	/* The end of a dump; a dump that failed part way says so here. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(error)) {
		memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
		if (error < 0) {
			t->st->fail = HERALD_NL_KERNEL;
			t->st->error = error;
		}
	}
	t->done = true;
	return NL_STOP;
}

static int txn_err(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	/* libnl hands over the payload; the header sits right before it. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct txn *t = arg;
	const char *m = herald_nl_extack_msg(nlh);

	t->st->fail = HERALD_NL_KERNEL;
	t->st->error = err->error;
	if (m)
		snprintf(t->st->msg, sizeof(t->st->msg), "%s", m);
	t->done = true;
	return NL_STOP;
}

int herald_nl_transact(struct nl_sock *sk, int family, struct nl_msg *msg,
		       int (*reply)(struct nlmsghdr *nlh, void *arg), void *arg,
		       struct herald_nl_status *st)
{
	struct txn t = { .family = family, .reply = reply, .arg = arg, .st = st };
	struct nl_cb *cb;
	int ret;

	memset(st, 0, sizeof(*st));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		herald_nl_msg_free(msg);
		st->fail = HERALD_NL_NOMEM;
		st->error = -ENOMEM;
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, txn_valid, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, txn_ack, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, txn_finish, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, txn_err, &t);

	ret = nl_send_auto(sk, msg);
	herald_nl_msg_free(msg);
	if (ret < 0) {
		st->fail = HERALD_NL_SEND;
		st->error = -EIO;
		snprintf(st->msg, sizeof(st->msg), "%s", nl_geterror(ret));
		goto out;
	}
	while (!t.done) {
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0 && !t.done) {
			st->fail = HERALD_NL_RECV;
			st->error = -EIO;
			snprintf(st->msg, sizeof(st->msg), "%s", nl_geterror(ret));
			goto out;
		}
	}
out:
	nl_cb_put(cb);
	return st->fail == HERALD_NL_OK ? 0 : -1;
}
