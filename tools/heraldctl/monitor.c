// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl monitor: print the module's notifications as they happen, one
 * line (or, with -j, one JSON object per line) per event, until interrupted:
 * policy changes, stream events, and sink page events ("sink 1 page-start
 * stream 3").
 */
#include <errno.h>
#include <linux/herald.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "heraldctl.h"
#include "nl.h"
#include "objects.h"
#include "output.h"

struct monitor_ctx {
	struct hnl *h;
};

static void show_policy_event(struct nlattr **tb)
{
	print_string(PRINT_ANY, "event", "%s", "policy");
	print_on_off(PRINT_ANY, "require_encryption", " require-encryption %s\n",
		     nla_get_u8(tb[HERALD_A_REQUIRE_ENCRYPTION]));
}

static const char *const event_names[] = {
	[HERALD_EVENT_ACTIVE] = "active",
	[HERALD_EVENT_IDLE] = "idle",
	[HERALD_EVENT_NEW_SSRC] = "new-ssrc",
	[HERALD_EVENT_KEY_SWITCHED] = "key-switched",
	[HERALD_EVENT_REJECTIONS] = "rejections",
	[HERALD_EVENT_PAGE_START] = "page-start",
	[HERALD_EVENT_PAGE_END] = "page-end",
	[HERALD_EVENT_PAGE_PREEMPTED] = "page-preempted",
};

static bool u32_attr_ok(const struct nlattr *a)
{
	return !a || nla_len(a) == sizeof(uint32_t);
}

static int sink_event_valid(struct nlattr *nest, struct nlattr **ev)
{
	uint32_t type;

	if (nla_parse_nested(ev, HERALD_EVENT_A_MAX, nest, NULL) < 0 ||
	    !ev[HERALD_EVENT_A_TYPE] || !ev[HERALD_EVENT_A_SINK_ID] ||
	    !ev[HERALD_EVENT_A_STREAM_ID] || !u32_attr_ok(ev[HERALD_EVENT_A_TYPE]) ||
	    !u32_attr_ok(ev[HERALD_EVENT_A_SINK_ID]) || !u32_attr_ok(ev[HERALD_EVENT_A_STREAM_ID]) ||
	    !u32_attr_ok(ev[HERALD_EVENT_A_BY_STREAM_ID]))
		return -1;
	type = nla_get_u32(ev[HERALD_EVENT_A_TYPE]);
	if (type != HERALD_EVENT_PAGE_START && type != HERALD_EVENT_PAGE_END &&
	    type != HERALD_EVENT_PAGE_PREEMPTED)
		return -1;
	if (type == HERALD_EVENT_PAGE_PREEMPTED && !ev[HERALD_EVENT_A_BY_STREAM_ID])
		return -1;
	return 0;
}

/* "sink 1 page-preempted stream 3 \"hall\" by 4", one line. */
static void show_sink_event(struct nlattr **ev)
{
	print_string(PRINT_ANY, "event", "%s", "sink");
	print_uint(PRINT_ANY, "sink", " %u", nla_get_u32(ev[HERALD_EVENT_A_SINK_ID]));
	print_string(PRINT_ANY, "type", " %s", event_names[nla_get_u32(ev[HERALD_EVENT_A_TYPE])]);
	print_uint(PRINT_ANY, "stream", " stream %u", nla_get_u32(ev[HERALD_EVENT_A_STREAM_ID]));
	if (ev[HERALD_EVENT_A_LABEL] && nla_len(ev[HERALD_EVENT_A_LABEL]) > 1)
		print_string(PRINT_ANY, "label", " \"%s\"", nla_get_string(ev[HERALD_EVENT_A_LABEL]));
	if (ev[HERALD_EVENT_A_BY_STREAM_ID])
		print_uint(PRINT_ANY, "by", " by %u", nla_get_u32(ev[HERALD_EVENT_A_BY_STREAM_ID]));
	print_text("\n");
}

static int stream_event_valid(struct nlattr *nest, struct nlattr **ev)
{
	uint32_t type;

	if (nla_parse_nested(ev, HERALD_EVENT_A_MAX, nest, NULL) < 0 ||
	    !ev[HERALD_EVENT_A_TYPE] || !ev[HERALD_EVENT_A_STREAM_ID] ||
	    nla_len(ev[HERALD_EVENT_A_TYPE]) != sizeof(uint32_t) ||
	    nla_len(ev[HERALD_EVENT_A_STREAM_ID]) != sizeof(uint32_t))
		return -1;
	type = nla_get_u32(ev[HERALD_EVENT_A_TYPE]);
	if (type > HERALD_EVENT_REJECTIONS || !event_names[type])
		return -1;
	if ((ev[HERALD_EVENT_A_SSRC] && nla_len(ev[HERALD_EVENT_A_SSRC]) != sizeof(uint32_t)) ||
	    (ev[HERALD_EVENT_A_MKI] && nla_len(ev[HERALD_EVENT_A_MKI]) != sizeof(uint32_t)) ||
	    (ev[HERALD_EVENT_A_DROPS] && stats_valid(ev[HERALD_EVENT_A_DROPS])))
		return -1;
	return 0;
}

/* "stream 3 new-ssrc ssrc 0x1234abcd", one line; rejections add a drop line. */
static void show_stream_event(struct nlattr **ev)
{
	print_string(PRINT_ANY, "event", "%s", "stream");
	print_uint(PRINT_ANY, "stream", " %u", nla_get_u32(ev[HERALD_EVENT_A_STREAM_ID]));
	if (ev[HERALD_EVENT_A_LABEL] && nla_len(ev[HERALD_EVENT_A_LABEL]) > 1)
		print_string(PRINT_ANY, "label", " \"%s\"", nla_get_string(ev[HERALD_EVENT_A_LABEL]));
	print_string(PRINT_ANY, "type", " %s", event_names[nla_get_u32(ev[HERALD_EVENT_A_TYPE])]);
	if (ev[HERALD_EVENT_A_SSRC])
		print_uint(PRINT_ANY, "ssrc", " ssrc 0x%08x", nla_get_u32(ev[HERALD_EVENT_A_SSRC]));
	if (ev[HERALD_EVENT_A_MKI])
		print_uint(PRINT_ANY, "mki", " mki %u", nla_get_u32(ev[HERALD_EVENT_A_MKI]));
	print_text("\n");
	if (ev[HERALD_EVENT_A_DROPS])
		stats_show(ev[HERALD_EVENT_A_DROPS]);
}

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *ev[HERALD_EVENT_A_MAX + 1];
	struct nlattr *tb[HERALD_A_MAX + 1];
	struct monitor_ctx *ctx = arg;
	struct genlmsghdr *gnlh;

	if (nlh->nlmsg_type != ctx->h->family)
		return NL_SKIP;
	if (hnl_parse(nlh, tb) < 0) {
		ctl_error(ctx->h->path, "malformed event skipped");
		return NL_SKIP;
	}
	gnlh = nlmsg_data(nlh);

	/* Events are validated before anything of them is printed. */
	switch (gnlh->cmd) {
	case HERALD_CMD_SET_POLICY:
		if (!tb[HERALD_A_REQUIRE_ENCRYPTION]) {
			ctl_error(ctx->h->path, "malformed policy event skipped");
			return NL_SKIP;
		}
		output_begin();
		show_policy_event(tb);
		break;
	case HERALD_CMD_STREAM_EVENT:
		if (!tb[HERALD_A_EVENT] || stream_event_valid(tb[HERALD_A_EVENT], ev)) {
			ctl_error(ctx->h->path, "malformed stream event skipped");
			return NL_SKIP;
		}
		output_begin();
		show_stream_event(ev);
		break;
	case HERALD_CMD_SINK_EVENT:
		if (!tb[HERALD_A_EVENT] || sink_event_valid(tb[HERALD_A_EVENT], ev)) {
			ctl_error(ctx->h->path, "malformed sink event skipped");
			return NL_SKIP;
		}
		output_begin();
		show_sink_event(ev);
		break;
	default:
		/* A newer module: say so rather than drop it silently. */
		output_begin();
		print_string(PRINT_ANY, "event", "%s", "unknown");
		print_uint(PRINT_ANY, "cmd", " cmd %u\n", gnlh->cmd);
		break;
	}
	output_end();
	return NL_OK;
}

static int accept_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int cmd_monitor(const char *path, int argc, char **argv)
{
	struct monitor_ctx ctx;
	struct nl_cb *cb;
	struct hnl h;
	int grp, ret;

	if (argc > 0) {
		ctl_error(path, "unexpected argument \"%s\"", argv[0]);
		return 1;
	}
	if (hnl_open(&h, path, false))
		return 1;
	ctx.h = &h;
	grp = genl_ctrl_resolve_grp(h.sk, HERALD_GENL_NAME, HERALD_MCGRP_EVENTS);
	if (grp < 0) {
		ctl_error(path, "cannot resolve the \"%s\" group: %s",
			  HERALD_MCGRP_EVENTS, nl_geterror(grp));
		goto err;
	}
	ret = nl_socket_add_membership(h.sk, grp);
	if (ret < 0) {
		ctl_error(path, "cannot join the \"%s\" group: %s",
			  HERALD_MCGRP_EVENTS, nl_geterror(ret));
		goto err;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		ctl_error(path, "out of memory");
		goto err;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, monitor_cb, &ctx);
	/*
	 * Notifications carry no sequence numbers of ours. The check must be
	 * switched off on this callback set: nl_socket_disable_seq_check()
	 * only changes the socket's own set, which nl_recvmsgs(cb) bypasses.
	 */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	for (;;) {
		ret = nl_recvmsgs(h.sk, cb);
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed; go on, but never hide it. */
			ctl_error(path, "receive buffer overrun: events were lost");
			continue;
		}
		if (ret < 0 && ret != -NLE_INTR && ret != -NLE_AGAIN) {
			ctl_error(path, "receive failed: %s", nl_geterror(ret));
			break;
		}
	}
	nl_cb_put(cb);
err:
	hnl_close(&h);
	return 1;
}
