// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink client for heraldctl, over libnl-genl-3.
 *
 * libnl 3.7 (Debian 12) neither asks for extended acks nor shows them, so
 * this file turns NETLINK_EXT_ACK on itself and reads NLMSGERR_ATTR_MSG out
 * of the error message in its own error callback.
 */
#include <errno.h>
#include <string.h>
#include <linux/herald.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include "../../daemon/herald_nl.h"
#include "heraldctl.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Types of the attributes the module sends; libnl checks lengths and string
 * termination against them before heraldctl reads a byte.
 */
static struct nla_policy herald_reply_policy[HERALD_A_MAX + 1] = {
	[HERALD_A_VERSION] = { .type = NLA_NUL_STRING },
	[HERALD_A_SUITES] = { .type = NLA_NESTED },
	[HERALD_A_FEATURES] = { .type = NLA_NESTED },
	[HERALD_A_REQUIRE_ENCRYPTION] = { .type = NLA_U8 },
	[HERALD_A_STREAM] = { .type = NLA_NESTED },
	[HERALD_A_OUTPUT] = { .type = NLA_NESTED },
};

int hnl_open(struct hnl *h, const char *path, bool quiet_absent)
{
	int one = 1;
	int ret;

	h->path = path;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		ctl_error(path, "cannot allocate a netlink socket");
		return -1;
	}
	ret = genl_connect(h->sk);
	if (ret < 0) {
		ctl_error(path, "cannot open a generic netlink socket: %s", nl_geterror(ret));
		goto err;
	}
	/* Ask for the kernel's reason with every error, and for errors that do
	 * not echo the whole request back. Kernels without them still work.
	 */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	h->family = genl_ctrl_resolve(h->sk, HERALD_GENL_NAME);
	if (h->family == -NLE_OBJ_NOTFOUND) {
		if (!quiet_absent)
			fprintf(ctl_errfp ? ctl_errfp : stderr,
				"herald module not loaded: modprobe herald\n");
		ret = -ENOENT;
		goto err_quiet;
	}
	if (h->family < 0) {
		ctl_error(path, "cannot resolve the %s netlink family: %s",
			  HERALD_GENL_NAME, nl_geterror(h->family));
		goto err;
	}
	return 0;
err:
	ret = -1;
err_quiet:
	nl_socket_free(h->sk);
	h->sk = NULL;
	return ret;
}

void hnl_close(struct hnl *h)
{
	if (h->sk)
		nl_socket_free(h->sk);
	h->sk = NULL;
}

struct nl_msg *hnl_msg(struct hnl *h, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
				 NLM_F_ACK, cmd, HERALD_GENL_VERSION)) {
		nlmsg_free(msg);
		ctl_error(h->path, "out of memory");
		return NULL;
	}
	return msg;
}

struct nl_msg *hnl_dump_msg(struct hnl *h, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	/* No NLM_F_ACK: a dump ends with NLMSG_DONE, never with an ack. */
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
				 NLM_F_DUMP, cmd, HERALD_GENL_VERSION)) {
		nlmsg_free(msg);
		ctl_error(h->path, "out of memory");
		return NULL;
	}
	return msg;
}

void hnl_msg_free(struct nl_msg *msg)
{
	/* Requests may carry keys: nothing of them stays in freed memory. */
	herald_nl_msg_free(msg);
}

const char *hnl_extack_msg(const struct nlmsghdr *nlh)
{
	return herald_nl_extack_msg(nlh);
}

int hnl_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	return genlmsg_parse(nlh, 0, tb, HERALD_A_MAX, herald_reply_policy);
}

static void hnl_report(struct hnl *h, const struct herald_nl_status *st, bool mutating)
{
	const char *path = h->path;

	switch (st->fail) {
	case HERALD_NL_OK:
		return;
	case HERALD_NL_NOMEM:
		ctl_error(path, "out of memory");
		return;
	case HERALD_NL_SEND:
		ctl_error(path, "cannot send the request: %s", st->msg);
		return;
	case HERALD_NL_RECV:
		ctl_error(path, "cannot receive the answer: %s", st->msg);
		return;
	case HERALD_NL_BADMSG:
		ctl_error(path, "malformed reply from the herald module");
		return;
	case HERALD_NL_KERNEL:
		break;
	}
	/* GENL_UNS_ADMIN_PERM refuses without an extack message; an EPERM that
	 * comes with one is a policy refusal, and the message says which.
	 */
	if (st->error == -EPERM && mutating && !st->msg[0]) {
		ctl_error(path, "permission denied: needs CAP_NET_ADMIN");
		return;
	}
	if (st->msg[0])
		ctl_error(path, "%s: %s", strerror(-st->error), st->msg);
	else
		ctl_error(path, "%s", strerror(-st->error));
}

int hnl_transact(struct hnl *h, struct nl_msg *msg, bool mutating,
		 int (*reply)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct herald_nl_status st;
	int ret = herald_nl_transact(h->sk, h->family, msg, reply, arg, &st);

	if (st.warning[0])
		ctl_error(h->path, "warning: %s", st.warning);
	if (ret)
		hnl_report(h, &st, mutating);
	return ret;
}
