// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl stream: ingress objects.
 *
 *   heraldctl stream add { fd N | local ADDR port PORT [dev IFNAME] } [id N]
 *                        [label TEXT]
 *                        { suite SUITE key KEYSPEC [key KEYSPEC...] | plaintext }
 *                        [window N] [ssrc N|0xHEX]
 *                        [priority normal|priority|emergency|N]
 *                        [output ID ...] [pt N[,N...]] [sink ID]
 *                        [volume-offset DB] [tone on|off]
 *   heraldctl stream set id N [label TEXT] [priority P]
 *                        [output ID ...|output none] [pt LIST] [sink ID|none]
 *                        [volume-offset DB] [tone on|off]
 *   heraldctl stream del id N
 *   heraldctl stream show [id N]
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "objects.h"
#include "output.h"

enum {
	W_FD, W_LOCAL, W_PORT, W_DEV, W_ID, W_LABEL, W_SUITE, W_KEY, W_PLAINTEXT,
	W_WINDOW, W_SSRC, W_PRIORITY, W_OUTPUT, W_PT, W_SINK, W_OFFSET, W_TONE,
};

static const char *const stream_words[] = {
	"fd", "local", "port", "dev", "id", "label", "suite", "key", "plaintext",
	"window", "ssrc", "priority", "output", "pt", "sink", "volume-offset", "tone", NULL,
};

void stream_req_wipe(struct stream_req *req)
{
	explicit_bzero(req->keys, sizeof(req->keys));
}

/*
 * "output ID [ID...]": the ids run on until a word that is not a number,
 * and "output" may be repeated; "output none" empties the list.
 */
static int parse_outputs(const char *path, int argc, char **argv, int *i,
			 struct stream_req *req)
{
	uint32_t id;

	if (*i + 1 >= argc) {
		ctl_error(path, "\"output\" needs an output id or \"none\"");
		return -1;
	}
	if (!strcmp(argv[*i + 1], "none")) {
		if (req->has_outputs) {
			ctl_error(path, "\"output none\" cannot be combined with output ids");
			return -1;
		}
		req->has_outputs = true;
		req->noutputs = -1;	/* "none" seen: no id may follow */
		++*i;
		return 0;
	}
	if (req->noutputs < 0) {
		ctl_error(path, "\"output none\" cannot be combined with output ids");
		return -1;
	}
	if (arg_id(path, "output", argv[*i + 1], &id))
		return -1;
	req->has_outputs = true;
	do {
		if (req->noutputs == HERALD_MAX_OUTPUTS) {
			ctl_error(path, "at most %d outputs per stream", HERALD_MAX_OUTPUTS);
			return -1;
		}
		req->outputs[req->noutputs++] = id;
		++*i;
	} while (*i + 1 < argc && !parse_u32(argv[*i + 1], 1, UINT32_MAX, &id));
	return 0;
}

static int stream_parse(const char *path, int argc, char **argv, unsigned int allowed,
			struct stream_req *req)
{
	struct crypto_args crypto = {
		.plaintext = &req->plaintext, .suite = &req->suite,
		.keys = req->keys, .nkeys = &req->nkeys,
	};
	const char *val;
	uint32_t n;
	int i, w;

	memset(req, 0, sizeof(*req));
	for (i = 0; i < argc; i++) {
		w = match_keyword(argv[i], stream_words);
		if (w < 0 || !(allowed & (1u << w))) {
			ctl_error(path, "unknown argument \"%s\"; try \"heraldctl stream help\"",
				  argv[i]);
			goto err;
		}
		if (w == W_PLAINTEXT) {
			if (arg_crypto(path, argv[i], NULL, &crypto))
				goto err;
			continue;
		}
		if (w == W_OUTPUT) {
			if (parse_outputs(path, argc, argv, &i, req))
				goto err;
			continue;
		}
		val = arg_value(path, argc, argv, &i);
		if (!val)
			goto err;
		switch (w) {
		case W_FD:
			if (arg_once(path, "fd", &req->has_fd))
				goto err;
			if (parse_u32(val, 0, INT_MAX, &req->fd)) {
				ctl_error(path, "fd: expected a file descriptor number, not \"%s\"", val);
				goto err;
			}
			/* The module would say EBADF; naming the word is clearer. */
			if (fcntl((int)req->fd, F_GETFD) < 0) {
				ctl_error(path, "fd: %u is not open", req->fd);
				goto err;
			}
			break;
		case W_LOCAL:
			if (arg_once(path, "local", &req->has_local))
				goto err;
			if (parse_addr(val, &req->local)) {
				ctl_error(path, "local: expected an IPv4 or IPv6 address, not \"%s\"", val);
				goto err;
			}
			break;
		case W_PORT:
			if (arg_once(path, "port", &req->has_port))
				goto err;
			if (parse_u32(val, 1, 65535, &n)) {
				ctl_error(path, "port: expected 1..65535, not \"%s\"", val);
				goto err;
			}
			req->port = (uint16_t)n;
			break;
		case W_DEV:
			if (arg_once(path, "dev", &req->has_dev))
				goto err;
			if (parse_dev(val, &req->ifindex)) {
				ctl_error(path, "dev: no interface \"%s\"", val);
				goto err;
			}
			break;
		case W_ID:
			if (arg_once(path, "id", &req->has_id) || arg_id(path, "id", val, &req->id))
				goto err;
			break;
		case W_LABEL:
			if (arg_once(path, "label", &req->has_label) ||
			    arg_label(path, val, req->label))
				goto err;
			break;
		case W_WINDOW:
			if (arg_once(path, "window", &req->has_window))
				goto err;
			if (parse_u32(val, HERALD_REPLAY_WINDOW_MIN, HERALD_REPLAY_WINDOW_MAX, &n)) {
				ctl_error(path, "window: expected %d..%d packets, not \"%s\"",
					  HERALD_REPLAY_WINDOW_MIN, HERALD_REPLAY_WINDOW_MAX, val);
				goto err;
			}
			req->window = (uint16_t)n;
			break;
		case W_SSRC:
			if (arg_once(path, "ssrc", &req->has_ssrc))
				goto err;
			if (parse_u32_hex(val, &req->ssrc)) {
				ctl_error(path, "ssrc: expected a 32-bit number, decimal or 0xHEX, not \"%s\"",
					  val);
				goto err;
			}
			break;
		case W_PRIORITY:
			if (arg_once(path, "priority", &req->has_priority))
				goto err;
			if (parse_priority(val, &req->priority)) {
				ctl_error(path, "priority: expected normal, priority, emergency or 0..255, not \"%s\"",
					  val);
				goto err;
			}
			break;
		case W_SINK:
			if (arg_once(path, "sink", &req->has_sink))
				goto err;
			/* "none" (0) detaches the stream from its sink. */
			if (!strcmp(val, "none"))
				req->sink = 0;
			else if (arg_id(path, "sink", val, &req->sink))
				goto err;
			break;
		case W_OFFSET: {
			char *end;
			long v;

			if (arg_once(path, "volume-offset", &req->has_offset))
				goto err;
			errno = 0;
			v = strtol(val, &end, 10);
			if (errno || end == val || *end || v < HERALD_STREAM_VOLUME_OFFSET_DB_MIN ||
			    v > HERALD_STREAM_VOLUME_OFFSET_DB_MAX) {
				ctl_error(path, "volume-offset: expected %d..%d (dB), not \"%s\"",
					  HERALD_STREAM_VOLUME_OFFSET_DB_MIN,
					  HERALD_STREAM_VOLUME_OFFSET_DB_MAX, val);
				goto err;
			}
			req->offset_db = (int32_t)v;
			break;
		}
		case W_TONE:
			if (arg_once(path, "tone", &req->has_tone))
				goto err;
			if (strcmp(val, "on") && strcmp(val, "off")) {
				ctl_error(path, "tone: expected on or off, not \"%s\"", val);
				goto err;
			}
			req->tone = !strcmp(val, "on");
			break;
		case W_PT:
			if (arg_once(path, "pt", &req->has_pts))
				goto err;
			if (parse_pt_list(val, req->pts)) {
				ctl_error(path, "pt: expected payload types 0..127 such as 0,8,96-127, not \"%s\"",
					  val);
				goto err;
			}
			break;
		default:	/* suite, key */
			if (arg_crypto(path, argv[i - 1], val, &crypto))
				goto err;
			break;
		}
	}
	if (req->noutputs < 0)
		req->noutputs = 0;
	return 0;
err:
	stream_req_wipe(req);
	return -1;
}

int stream_add_parse(const char *path, int argc, char **argv, struct stream_req *req)
{
	const struct crypto_args crypto = {
		.plaintext = &req->plaintext, .suite = &req->suite,
		.keys = req->keys, .nkeys = &req->nkeys,
	};

	if (stream_parse(path, argc, argv, ~0u, req))
		return -1;
	if (req->has_fd && (req->has_local || req->has_port)) {
		ctl_error(path, "give either \"fd N\" or \"local ADDR port PORT\", not both");
		goto err;
	}
	if (!req->has_fd && !req->has_local && !req->has_port) {
		ctl_error(path, "missing \"fd N\" or \"local ADDR port PORT\"");
		goto err;
	}
	if (!req->has_fd && !req->has_local) {
		ctl_error(path, "missing \"local ADDR\"");
		goto err;
	}
	if (!req->has_fd && !req->has_port) {
		ctl_error(path, "missing \"port PORT\"");
		goto err;
	}
	if (crypto_check(path, &crypto))
		goto err;
	return 0;
err:
	stream_req_wipe(req);
	return -1;
}

int stream_set_parse(const char *path, int argc, char **argv, struct stream_req *req)
{
	unsigned int allowed = 1u << W_ID | 1u << W_LABEL | 1u << W_PRIORITY |
			       1u << W_OUTPUT | 1u << W_PT | 1u << W_SINK | 1u << W_OFFSET |
			       1u << W_TONE;

	if (stream_parse(path, argc, argv, allowed, req))
		return -1;
	if (!req->has_id) {
		ctl_error(path, "missing \"id N\"");
		return -1;
	}
	if (!req->has_label && !req->has_priority && !req->has_outputs && !req->has_pts &&
	    !req->has_sink && !req->has_offset && !req->has_tone) {
		ctl_error(path, "nothing to set: give label, priority, output, pt, sink, volume-offset or tone");
		return -1;
	}
	return 0;
}

int stream_id_parse(const char *path, int argc, char **argv, bool id_optional,
		    struct stream_req *req)
{
	if (stream_parse(path, argc, argv, 1u << W_ID, req))
		return -1;
	if (!req->has_id && !id_optional) {
		ctl_error(path, "missing \"id N\"");
		return -1;
	}
	return 0;
}

static int put_outputs(struct nl_msg *msg, const struct stream_req *req)
{
	struct nlattr *list;
	int i;

	list = nla_nest_start(msg, HERALD_STREAM_A_OUTPUTS);
	if (!list)
		return -1;
	for (i = 0; i < req->noutputs; i++)
		if (nla_put_u32(msg, HERALD_A_OUTPUT_ID, req->outputs[i]) < 0)
			return -1;
	/* libnl drops an empty nest; here it is "output none", keep it. */
	if (nla_nest_end_keep_empty(msg, list) < 0)
		return -1;
	return 0;
}

static int put_pts(struct nl_msg *msg, const struct stream_req *req)
{
	struct nlattr *list;
	unsigned int pt;

	list = nla_nest_start(msg, HERALD_STREAM_A_PAYLOAD_TYPES);
	if (!list)
		return -1;
	for (pt = 0; pt < 128; pt++)
		if ((req->pts[pt / 8] & (1u << (pt % 8))) &&
		    nla_put_u8(msg, HERALD_A_PT, (uint8_t)pt) < 0)
			return -1;
	nla_nest_end(msg, list);
	return 0;
}

int stream_build(struct nl_msg *msg, const struct stream_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, HERALD_A_STREAM);
	if (!nest)
		return -1;
	if ((req->has_id && nla_put_u32(msg, HERALD_STREAM_A_ID, req->id) < 0) ||
	    (req->has_label && nla_put_string(msg, HERALD_STREAM_A_LABEL, req->label) < 0) ||
	    (req->has_fd && nla_put_u32(msg, HERALD_STREAM_A_FD, req->fd) < 0) ||
	    (req->has_local && nla_put(msg, HERALD_STREAM_A_LOCAL_ADDR, (int)req->local.len,
				       req->local.bytes) < 0) ||
	    (req->has_port && nla_put_u16(msg, HERALD_STREAM_A_LOCAL_PORT, req->port) < 0) ||
	    (req->has_dev && nla_put_u32(msg, HERALD_STREAM_A_IFINDEX, req->ifindex) < 0) ||
	    (req->plaintext && nla_put_flag(msg, HERALD_STREAM_A_PLAINTEXT) < 0) ||
	    (req->suite && nla_put_u32(msg, HERALD_STREAM_A_SUITE, req->suite->id) < 0) ||
	    (req->nkeys && keyspec_put(msg, HERALD_STREAM_A_KEYS, req->keys, req->nkeys)) ||
	    (req->has_window && nla_put_u16(msg, HERALD_STREAM_A_REPLAY_WINDOW, req->window) < 0) ||
	    (req->has_ssrc && nla_put_u32(msg, HERALD_STREAM_A_SSRC, req->ssrc) < 0) ||
	    (req->has_priority && nla_put_u8(msg, HERALD_STREAM_A_PRIORITY, req->priority) < 0) ||
	    (req->has_outputs && put_outputs(msg, req)) ||
	    (req->has_pts && put_pts(msg, req)) ||
	    (req->has_sink && nla_put_u32(msg, HERALD_STREAM_A_SINK, req->sink) < 0) ||
	    (req->has_offset &&
	     nla_put_s32(msg, HERALD_STREAM_A_VOLUME_OFFSET_DB, req->offset_db) < 0) ||
	    (req->has_tone && nla_put_u8(msg, HERALD_STREAM_A_TONE, req->tone) < 0))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static struct nla_policy stream_policy[HERALD_STREAM_A_MAX + 1] = {
	[HERALD_STREAM_A_ID] = { .type = NLA_U32 },
	[HERALD_STREAM_A_LABEL] = { .type = NLA_NUL_STRING },
	[HERALD_STREAM_A_IFINDEX] = { .type = NLA_U32 },
	[HERALD_STREAM_A_SUITE] = { .type = NLA_U32 },
	[HERALD_STREAM_A_KEYS] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_PLAINTEXT] = { .type = NLA_FLAG },
	[HERALD_STREAM_A_REPLAY_WINDOW] = { .type = NLA_U16 },
	[HERALD_STREAM_A_SSRC] = { .type = NLA_U32 },
	[HERALD_STREAM_A_PRIORITY] = { .type = NLA_U8 },
	[HERALD_STREAM_A_OUTPUTS] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_PAYLOAD_TYPES] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_STATS] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_SSRCS] = { .type = NLA_NESTED },
	[HERALD_STREAM_A_LOCAL_PORT_BOUND] = { .type = NLA_U16 },
	[HERALD_STREAM_A_SINK] = { .type = NLA_U32 },
	[HERALD_STREAM_A_VOLUME_OFFSET_DB] = { .type = NLA_U32 },	/* s32 */
	[HERALD_STREAM_A_TONE] = { .type = NLA_U8 },
};

static struct nla_policy ssrc_policy[HERALD_SSRC_A_MAX + 1] = {
	[HERALD_SSRC_A_SSRC] = { .type = NLA_U32 },
	[HERALD_SSRC_A_PACKETS] = { .type = NLA_U64 },
	[HERALD_SSRC_A_EXT_HIGHEST_SEQ] = { .type = NLA_U32 },
	[HERALD_SSRC_A_LOST] = { .type = NLA_U32 },
	[HERALD_SSRC_A_JITTER] = { .type = NLA_U32 },
	[HERALD_SSRC_A_ACTIVE_KEY_MKI] = { .type = NLA_U32 },
};

static int ssrc_parse(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_type(nest) != HERALD_A_SSRC ||
	    nla_parse_nested(tb, HERALD_SSRC_A_MAX, nest, ssrc_policy) < 0 ||
	    !tb[HERALD_SSRC_A_SSRC])
		return -1;
	return 0;
}

static int stream_parse_reply(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_parse_nested(tb, HERALD_STREAM_A_MAX, nest, stream_policy) < 0 ||
	    !tb[HERALD_STREAM_A_ID])
		return -1;
	if (tb[HERALD_STREAM_A_LOCAL_ADDR] && addr_valid(tb[HERALD_STREAM_A_LOCAL_ADDR]))
		return -1;
	return 0;
}

int stream_valid(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct nlattr *stb[HERALD_SSRC_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	if (stream_parse_reply(nest, tb))
		return -1;
	if (tb[HERALD_STREAM_A_KEYS] && keys_valid(tb[HERALD_STREAM_A_KEYS]))
		return -1;
	if (tb[HERALD_STREAM_A_STATS] && stats_valid(tb[HERALD_STREAM_A_STATS]))
		return -1;
	if (tb[HERALD_STREAM_A_OUTPUTS])
		nla_for_each_nested(pos, tb[HERALD_STREAM_A_OUTPUTS], rem)
			if (nla_type(pos) != HERALD_A_OUTPUT_ID || nla_len(pos) != 4)
				return -1;
	if (tb[HERALD_STREAM_A_PAYLOAD_TYPES])
		nla_for_each_nested(pos, tb[HERALD_STREAM_A_PAYLOAD_TYPES], rem)
			if (nla_type(pos) != HERALD_A_PT || nla_len(pos) < 1 ||
			    nla_get_u8(pos) > 127)
				return -1;
	if (tb[HERALD_STREAM_A_SSRCS])
		nla_for_each_nested(pos, tb[HERALD_STREAM_A_SSRCS], rem)
			if (ssrc_parse(pos, stb))
				return -1;
	return 0;
}

/* "0,8,96-127" from the module's list, whatever its order. */
static void pts_show(struct nlattr *list)
{
	uint8_t mask[PT_MASK_BYTES] = { 0 };
	struct nlattr *pos;
	unsigned int pt, end;
	bool first = true;
	int rem;

	nla_for_each_nested(pos, list, rem) {
		pt = nla_get_u8(pos);
		mask[pt / 8] |= 1u << (pt % 8);
	}
	open_json_array("payload_types");
	for (pt = 0; pt < 128; pt++)
		if (mask[pt / 8] & (1u << (pt % 8)))
			print_uint(PRINT_JSON, NULL, "%u", pt);
	close_json_array();

	print_text("\tpt ");
	for (pt = 0; pt < 128; pt++) {
		if (!(mask[pt / 8] & (1u << (pt % 8))))
			continue;
		end = pt;
		while (end + 1 < 128 && (mask[(end + 1) / 8] & (1u << ((end + 1) % 8))))
			end++;
		if (!first)
			print_text(",");
		if (end > pt)
			print_text("%u-%u", pt, end);
		else
			print_text("%u", pt);
		first = false;
		pt = end;
	}
	print_text("\n");
}

static void ssrcs_show(struct nlattr *list)
{
	struct nlattr *tb[HERALD_SSRC_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	open_json_array("ssrcs");
	nla_for_each_nested(pos, list, rem) {
		ssrc_parse(pos, tb);
		open_json_object(NULL);
		print_uint(PRINT_ANY, "ssrc", "\tssrc 0x%08x:", nla_get_u32(tb[HERALD_SSRC_A_SSRC]));
		if (tb[HERALD_SSRC_A_PACKETS])
			print_u64(PRINT_ANY, "packets", " packets %" PRIu64,
				  nla_get_u64(tb[HERALD_SSRC_A_PACKETS]));
		if (tb[HERALD_SSRC_A_EXT_HIGHEST_SEQ])
			print_uint(PRINT_ANY, "ext_highest_seq", " ext_highest_seq %u",
				   nla_get_u32(tb[HERALD_SSRC_A_EXT_HIGHEST_SEQ]));
		if (tb[HERALD_SSRC_A_LOST])
			print_int(PRINT_ANY, "lost", " lost %d",
				  (int32_t)nla_get_u32(tb[HERALD_SSRC_A_LOST]));
		if (tb[HERALD_SSRC_A_JITTER])
			print_uint(PRINT_ANY, "jitter", " jitter %u",
				   nla_get_u32(tb[HERALD_SSRC_A_JITTER]));
		if (tb[HERALD_SSRC_A_ACTIVE_KEY_MKI])
			print_uint(PRINT_ANY, "mki", " mki %u",
				   nla_get_u32(tb[HERALD_SSRC_A_ACTIVE_KEY_MKI]));
		print_text("\n");
		close_json_object();
	}
	close_json_array();
}

void stream_show(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	const struct sdes_suite_info *suite = NULL;
	struct nlattr *pos;
	const char *name;
	uint8_t prio;
	int rem, n;

	stream_parse_reply(nest, tb);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "id", "stream %u", nla_get_u32(tb[HERALD_STREAM_A_ID]));
	if (tb[HERALD_STREAM_A_LABEL]) {
		const char *label = nla_get_string(tb[HERALD_STREAM_A_LABEL]);

		if (*label)
			print_string(PRINT_FP, NULL, " label \"%s\"", label);
		print_string(PRINT_JSON, "label", "%s", label);
	}
	print_text("\n");

	/* Without a local address the socket is the caller's (fd). */
	if (tb[HERALD_STREAM_A_LOCAL_ADDR]) {
		addr_show("local", "\tlocal", tb[HERALD_STREAM_A_LOCAL_ADDR]);
	} else {
		print_json_null("local");
		print_text("\tsocket of the caller");
	}
	print_on_off(PRINT_JSON, "owned", "%s", !!tb[HERALD_STREAM_A_LOCAL_ADDR]);
	if (tb[HERALD_STREAM_A_LOCAL_PORT_BOUND])
		print_uint(PRINT_ANY, "port", " port %u",
			   nla_get_u16(tb[HERALD_STREAM_A_LOCAL_PORT_BOUND]));
	dev_show(tb[HERALD_STREAM_A_IFINDEX] ? nla_get_u32(tb[HERALD_STREAM_A_IFINDEX]) : 0);
	print_text("\n");

	print_on_off(PRINT_JSON, "plaintext", "%s", nla_get_flag(tb[HERALD_STREAM_A_PLAINTEXT]));
	if (tb[HERALD_STREAM_A_SUITE])
		suite = suite_by_id(nla_get_u32(tb[HERALD_STREAM_A_SUITE]));
	if (suite)
		print_string(PRINT_ANY, "suite", "\tsuite %s\n", suite->name);
	else if (tb[HERALD_STREAM_A_SUITE])
		print_uint(PRINT_ANY, "suite_id", "\tsuite #%u\n",
			   nla_get_u32(tb[HERALD_STREAM_A_SUITE]));
	else
		print_json_null("suite");
	if (nla_get_flag(tb[HERALD_STREAM_A_PLAINTEXT]))
		print_text("\tplaintext\n");
	if (tb[HERALD_STREAM_A_KEYS]) {
		keys_show(tb[HERALD_STREAM_A_KEYS]);
	} else {
		open_json_array("keys");
		close_json_array();
	}

	print_text("\t");
	if (tb[HERALD_STREAM_A_REPLAY_WINDOW])
		print_uint(PRINT_ANY, "window", "window %u ",
			   nla_get_u16(tb[HERALD_STREAM_A_REPLAY_WINDOW]));
	if (tb[HERALD_STREAM_A_SSRC]) {
		print_uint(PRINT_ANY, "ssrc_filter", "ssrc 0x%08x",
			   nla_get_u32(tb[HERALD_STREAM_A_SSRC]));
	} else {
		print_json_null("ssrc_filter");
		print_text("ssrc any");
	}
	if (tb[HERALD_STREAM_A_PRIORITY]) {
		prio = nla_get_u8(tb[HERALD_STREAM_A_PRIORITY]);
		name = priority_name(prio);
		print_uint(PRINT_JSON, "priority", "%u", prio);
		if (name)
			print_string(PRINT_ANY, "priority_name", " priority %s", name);
		else {
			print_json_null("priority_name");
			print_uint(PRINT_FP, NULL, " priority %u", prio);
		}
	}
	if (tb[HERALD_STREAM_A_SINK])
		print_uint(PRINT_ANY, "sink", " sink %u", nla_get_u32(tb[HERALD_STREAM_A_SINK]));
	else
		print_json_null("sink");
	if (tb[HERALD_STREAM_A_VOLUME_OFFSET_DB])
		print_int(PRINT_ANY, "volume_offset", " volume-offset %d dB",
			  (int32_t)nla_get_u32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]));
	if (tb[HERALD_STREAM_A_TONE])
		print_on_off(PRINT_ANY, "tone", " tone %s", nla_get_u8(tb[HERALD_STREAM_A_TONE]));
	print_text("\n");

	print_text("\toutputs");
	open_json_array("outputs");
	n = 0;
	if (tb[HERALD_STREAM_A_OUTPUTS]) {
		nla_for_each_nested(pos, tb[HERALD_STREAM_A_OUTPUTS], rem) {
			print_uint(PRINT_ANY, NULL, " %u", nla_get_u32(pos));
			n++;
		}
	}
	close_json_array();
	if (!n)
		print_text(" none");
	print_text("\n");

	/* The module lists payload types only when not all are accepted. */
	if (tb[HERALD_STREAM_A_PAYLOAD_TYPES]) {
		pts_show(tb[HERALD_STREAM_A_PAYLOAD_TYPES]);
	} else {
		print_json_null("payload_types");
		print_text("\tpt all\n");
	}

	if (tb[HERALD_STREAM_A_STATS])
		stats_show(tb[HERALD_STREAM_A_STATS]);
	if (tb[HERALD_STREAM_A_SSRCS]) {
		ssrcs_show(tb[HERALD_STREAM_A_SSRCS]);
	} else {
		open_json_array("ssrcs");
		close_json_array();
	}
	close_json_object();
}

static const struct obj_show stream_printer = {
	.reply_attr = HERALD_A_STREAM, .valid = stream_valid, .show = stream_show,
};

static int build(struct nl_msg *msg, const void *req)
{
	return stream_build(msg, req);
}

static int stream_add(const char *path, int argc, char **argv)
{
	struct stream_req req;
	int ret;

	if (stream_add_parse(path, argc, argv, &req))
		return 1;
	ret = obj_run(path, HERALD_CMD_NEW_STREAM, false, true, build, &req, &stream_printer);
	stream_req_wipe(&req);
	return ret;
}

static int stream_set(const char *path, int argc, char **argv)
{
	struct stream_req req;

	if (stream_set_parse(path, argc, argv, &req))
		return 1;
	return obj_run(path, HERALD_CMD_SET_STREAM, false, true, build, &req, NULL);
}

static int stream_del(const char *path, int argc, char **argv)
{
	struct stream_req req;

	if (stream_id_parse(path, argc, argv, false, &req))
		return 1;
	return obj_run(path, HERALD_CMD_DEL_STREAM, false, true, build, &req, NULL);
}

static int stream_show_cmd(const char *path, int argc, char **argv)
{
	struct stream_req req;

	if (stream_id_parse(path, argc, argv, true, &req))
		return 1;
	return obj_run(path, HERALD_CMD_GET_STREAM, !req.has_id, false,
		       req.has_id ? build : NULL, &req, &stream_printer);
}

static const struct cmd stream_cmds[] = {
	{ "add", stream_add, "create a stream (needs CAP_NET_ADMIN)" },
	{ "set", stream_set, "change label, priority, outputs, payload types, sink, volume offset or tone" },
	{ "del", stream_del, "delete a stream" },
	{ "show", stream_show_cmd, "show one stream or all, with counters" },
	{ NULL, NULL, NULL },
};

int cmd_stream(const char *path, int argc, char **argv)
{
	return cmd_dispatch(stream_cmds, "show", path, argc, argv);
}
