// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl output: egress objects (output.c is the printing layer, hence
 * the name of this file).
 *
 *   heraldctl output add dst ADDR port PORT [dev IFNAME] [ttl N] [dscp N]
 *                        [id N] [label TEXT]
 *                        { suite SUITE key KEYSPEC [key KEYSPEC...] | plaintext }
 *   heraldctl output set id N [label TEXT] [ttl N] [dscp N]
 *   heraldctl output del id N
 *   heraldctl output show [id N]
 */
#include <string.h>

#include "objects.h"
#include "output.h"

enum {
	W_DST, W_PORT, W_DEV, W_TTL, W_DSCP, W_ID, W_LABEL, W_SUITE, W_KEY, W_PLAINTEXT,
};

static const char *const output_words[] = {
	"dst", "port", "dev", "ttl", "dscp", "id", "label", "suite", "key", "plaintext", NULL,
};

void output_req_wipe(struct output_req *req)
{
	explicit_bzero(req->keys, sizeof(req->keys));
}

/*
 * The words of add and set: @allowed is a bit mask of the W_* keywords
 * the command takes, anything else is refused by name.
 */
static int output_parse(const char *path, int argc, char **argv, unsigned int allowed,
			struct output_req *req)
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
		w = match_keyword(argv[i], output_words);
		if (w < 0 || !(allowed & (1u << w))) {
			ctl_error(path, "unknown argument \"%s\"; try \"heraldctl output help\"",
				  argv[i]);
			goto err;
		}
		if (w == W_PLAINTEXT) {
			if (arg_crypto(path, argv[i], NULL, &crypto))
				goto err;
			continue;
		}
		val = arg_value(path, argc, argv, &i);
		if (!val)
			goto err;
		switch (w) {
		case W_DST:
			if (arg_once(path, "dst", &req->has_dst))
				goto err;
			if (parse_addr(val, &req->dst)) {
				ctl_error(path, "dst: expected an IPv4 or IPv6 address, not \"%s\"", val);
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
		case W_TTL:
			if (arg_once(path, "ttl", &req->has_ttl))
				goto err;
			if (parse_u32(val, 1, 255, &n)) {
				ctl_error(path, "ttl: expected 1..255, not \"%s\"", val);
				goto err;
			}
			req->ttl = (uint8_t)n;
			break;
		case W_DSCP:
			if (arg_once(path, "dscp", &req->has_dscp))
				goto err;
			if (parse_u32(val, 0, 63, &n)) {
				ctl_error(path, "dscp: expected 0..63, not \"%s\"", val);
				goto err;
			}
			req->dscp = (uint8_t)n;
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
		default:	/* suite, key */
			if (arg_crypto(path, argv[i - 1], val, &crypto))
				goto err;
			break;
		}
	}
	return 0;
err:
	output_req_wipe(req);
	return -1;
}

int output_add_parse(const char *path, int argc, char **argv, struct output_req *req)
{
	const struct crypto_args crypto = {
		.plaintext = &req->plaintext, .suite = &req->suite,
		.keys = req->keys, .nkeys = &req->nkeys,
	};

	if (output_parse(path, argc, argv, ~0u, req))
		return -1;
	if (!req->has_dst) {
		ctl_error(path, "missing \"dst ADDR\"");
		goto err;
	}
	if (!req->has_port) {
		ctl_error(path, "missing \"port PORT\"");
		goto err;
	}
	if (crypto_check(path, &crypto))
		goto err;
	return 0;
err:
	output_req_wipe(req);
	return -1;
}

int output_set_parse(const char *path, int argc, char **argv, struct output_req *req)
{
	unsigned int allowed = 1u << W_ID | 1u << W_LABEL | 1u << W_TTL | 1u << W_DSCP;

	if (output_parse(path, argc, argv, allowed, req))
		return -1;
	if (!req->has_id) {
		ctl_error(path, "missing \"id N\"");
		return -1;
	}
	if (!req->has_label && !req->has_ttl && !req->has_dscp) {
		ctl_error(path, "nothing to set: give label, ttl or dscp");
		return -1;
	}
	return 0;
}

int output_id_parse(const char *path, int argc, char **argv, bool id_optional,
		    struct output_req *req)
{
	if (output_parse(path, argc, argv, 1u << W_ID, req))
		return -1;
	if (!req->has_id && !id_optional) {
		ctl_error(path, "missing \"id N\"");
		return -1;
	}
	return 0;
}

int output_build(struct nl_msg *msg, const struct output_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, HERALD_A_OUTPUT);
	if (!nest)
		return -1;
	if ((req->has_id && nla_put_u32(msg, HERALD_OUTPUT_A_ID, req->id) < 0) ||
	    (req->has_label && nla_put_string(msg, HERALD_OUTPUT_A_LABEL, req->label) < 0) ||
	    (req->has_dst && nla_put(msg, HERALD_OUTPUT_A_DST_ADDR, (int)req->dst.len,
				     req->dst.bytes) < 0) ||
	    (req->has_port && nla_put_u16(msg, HERALD_OUTPUT_A_DST_PORT, req->port) < 0) ||
	    (req->has_dev && nla_put_u32(msg, HERALD_OUTPUT_A_IFINDEX, req->ifindex) < 0) ||
	    (req->has_ttl && nla_put_u8(msg, HERALD_OUTPUT_A_TTL, req->ttl) < 0) ||
	    (req->has_dscp && nla_put_u8(msg, HERALD_OUTPUT_A_DSCP, req->dscp) < 0) ||
	    (req->plaintext && nla_put_flag(msg, HERALD_OUTPUT_A_PLAINTEXT) < 0) ||
	    (req->suite && nla_put_u32(msg, HERALD_OUTPUT_A_SUITE, req->suite->id) < 0) ||
	    (req->nkeys && keyspec_put(msg, HERALD_OUTPUT_A_KEYS, req->keys, req->nkeys)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static struct nla_policy output_policy[HERALD_OUTPUT_A_MAX + 1] = {
	[HERALD_OUTPUT_A_ID] = { .type = NLA_U32 },
	[HERALD_OUTPUT_A_LABEL] = { .type = NLA_NUL_STRING },
	[HERALD_OUTPUT_A_DST_PORT] = { .type = NLA_U16 },
	[HERALD_OUTPUT_A_IFINDEX] = { .type = NLA_U32 },
	[HERALD_OUTPUT_A_TTL] = { .type = NLA_U8 },
	[HERALD_OUTPUT_A_DSCP] = { .type = NLA_U8 },
	[HERALD_OUTPUT_A_SUITE] = { .type = NLA_U32 },
	[HERALD_OUTPUT_A_KEYS] = { .type = NLA_NESTED },
	[HERALD_OUTPUT_A_PLAINTEXT] = { .type = NLA_FLAG },
	[HERALD_OUTPUT_A_SSRC] = { .type = NLA_U32 },
	[HERALD_OUTPUT_A_STATS] = { .type = NLA_NESTED },
	[HERALD_OUTPUT_A_HOLDER] = { .type = NLA_U32 },
};

static int output_parse_reply(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_parse_nested(tb, HERALD_OUTPUT_A_MAX, nest, output_policy) < 0)
		return -1;
	/* What the module always sends; the rest is printed when present. */
	if (!tb[HERALD_OUTPUT_A_ID] || !tb[HERALD_OUTPUT_A_DST_ADDR] ||
	    !tb[HERALD_OUTPUT_A_DST_PORT] || addr_valid(tb[HERALD_OUTPUT_A_DST_ADDR]))
		return -1;
	return 0;
}

int output_valid(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];

	if (output_parse_reply(nest, tb))
		return -1;
	if (tb[HERALD_OUTPUT_A_KEYS] && keys_valid(tb[HERALD_OUTPUT_A_KEYS]))
		return -1;
	if (tb[HERALD_OUTPUT_A_STATS] && stats_valid(tb[HERALD_OUTPUT_A_STATS]))
		return -1;
	return 0;
}

void output_show(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];
	const struct sdes_suite_info *suite = NULL;
	uint32_t holder;

	output_parse_reply(nest, tb);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "id", "output %u", nla_get_u32(tb[HERALD_OUTPUT_A_ID]));
	if (tb[HERALD_OUTPUT_A_LABEL]) {
		const char *label = nla_get_string(tb[HERALD_OUTPUT_A_LABEL]);

		if (*label)
			print_string(PRINT_FP, NULL, " label \"%s\"", label);
		print_string(PRINT_JSON, "label", "%s", label);
	}
	print_text("\n");

	addr_show("dst", "\tdst", tb[HERALD_OUTPUT_A_DST_ADDR]);
	print_uint(PRINT_ANY, "port", " port %u", nla_get_u16(tb[HERALD_OUTPUT_A_DST_PORT]));
	dev_show(tb[HERALD_OUTPUT_A_IFINDEX] ? nla_get_u32(tb[HERALD_OUTPUT_A_IFINDEX]) : 0);
	if (tb[HERALD_OUTPUT_A_TTL])
		print_uint(PRINT_ANY, "ttl", " ttl %u", nla_get_u8(tb[HERALD_OUTPUT_A_TTL]));
	if (tb[HERALD_OUTPUT_A_DSCP])
		print_uint(PRINT_ANY, "dscp", " dscp %u", nla_get_u8(tb[HERALD_OUTPUT_A_DSCP]));
	print_text("\n");

	if (tb[HERALD_OUTPUT_A_SSRC])
		print_uint(PRINT_ANY, "ssrc", "\tssrc 0x%08x", nla_get_u32(tb[HERALD_OUTPUT_A_SSRC]));
	if (tb[HERALD_OUTPUT_A_HOLDER]) {
		holder = nla_get_u32(tb[HERALD_OUTPUT_A_HOLDER]);
		/* Stream ids start at 1: 0 means nobody holds the output. */
		if (holder) {
			print_uint(PRINT_ANY, "holder", " held by stream %u", holder);
		} else {
			print_json_null("holder");
			print_text(" held by none");
		}
	}
	print_text("\n");

	print_on_off(PRINT_JSON, "plaintext", "%s", nla_get_flag(tb[HERALD_OUTPUT_A_PLAINTEXT]));
	if (tb[HERALD_OUTPUT_A_SUITE])
		suite = suite_by_id(nla_get_u32(tb[HERALD_OUTPUT_A_SUITE]));
	if (suite)
		print_string(PRINT_ANY, "suite", "\tsuite %s\n", suite->name);
	else if (tb[HERALD_OUTPUT_A_SUITE])
		/* A suite newer than this heraldctl. */
		print_uint(PRINT_ANY, "suite_id", "\tsuite #%u\n",
			   nla_get_u32(tb[HERALD_OUTPUT_A_SUITE]));
	else
		print_json_null("suite");
	if (nla_get_flag(tb[HERALD_OUTPUT_A_PLAINTEXT]))
		print_text("\tplaintext\n");
	if (tb[HERALD_OUTPUT_A_KEYS]) {
		keys_show(tb[HERALD_OUTPUT_A_KEYS]);
	} else {
		open_json_array("keys");
		close_json_array();
	}
	if (tb[HERALD_OUTPUT_A_STATS])
		stats_show(tb[HERALD_OUTPUT_A_STATS]);
	close_json_object();
}

static const struct obj_show output_printer = {
	.reply_attr = HERALD_A_OUTPUT, .valid = output_valid, .show = output_show,
};

static int build(struct nl_msg *msg, const void *req)
{
	return output_build(msg, req);
}

static int output_add(const char *path, int argc, char **argv)
{
	struct output_req req;
	int ret;

	if (output_add_parse(path, argc, argv, &req))
		return 1;
	ret = obj_run(path, HERALD_CMD_NEW_OUTPUT, false, true, build, &req, &output_printer);
	output_req_wipe(&req);
	return ret;
}

static int output_set(const char *path, int argc, char **argv)
{
	struct output_req req;

	if (output_set_parse(path, argc, argv, &req))
		return 1;
	return obj_run(path, HERALD_CMD_SET_OUTPUT, false, true, build, &req, NULL);
}

static int output_del(const char *path, int argc, char **argv)
{
	struct output_req req;

	if (output_id_parse(path, argc, argv, false, &req))
		return 1;
	return obj_run(path, HERALD_CMD_DEL_OUTPUT, false, true, build, &req, NULL);
}

static int output_show_cmd(const char *path, int argc, char **argv)
{
	struct output_req req;

	if (output_id_parse(path, argc, argv, true, &req))
		return 1;
	/* Without an id, every output: a dump, which takes no attributes. */
	return obj_run(path, HERALD_CMD_GET_OUTPUT, !req.has_id, false,
		       req.has_id ? build : NULL, &req, &output_printer);
}

static const struct cmd output_cmds[] = {
	{ "add", output_add, "create an output (needs CAP_NET_ADMIN)" },
	{ "set", output_set, "change label, ttl or dscp of an output" },
	{ "del", output_del, "delete an output" },
	{ "show", output_show_cmd, "show one output or all, with counters" },
	{ NULL, NULL, NULL },
};

int cmd_output(const char *path, int argc, char **argv)
{
	return cmd_dispatch(output_cmds, "show", path, argc, argv);
}
