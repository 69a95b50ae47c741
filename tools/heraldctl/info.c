// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl info: what the loaded module is and can do.
 */
#include <linux/herald.h>
#include <netlink/attr.h>

#include "heraldctl.h"
#include "info.h"
#include "nl.h"
#include "output.h"

struct info_ctx {
	int (*show)(struct nlattr **tb, void *arg);
	void *arg;
	bool seen;
};

static int info_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HERALD_A_MAX + 1];
	struct info_ctx *ctx = arg;

	/* One answer is expected; a second one would print twice. */
	if (ctx->seen || hnl_parse(nlh, tb) < 0)
		return -1;
	ctx->seen = true;
	return ctx->show(tb, ctx->arg);
}

int herald_get_info(struct hnl *h, int (*show)(struct nlattr **tb, void *arg), void *arg)
{
	struct info_ctx ctx = { .show = show, .arg = arg };
	struct nl_msg *msg;

	msg = hnl_msg(h, HERALD_CMD_GET_INFO);
	if (!msg)
		return -1;
	if (hnl_transact(h, msg, false, info_reply, &ctx))
		return -1;
	if (!ctx.seen) {
		ctl_error(h->path, "the herald module sent no answer");
		return -1;
	}
	return 0;
}

static struct nla_policy suite_policy[HERALD_SUITE_A_MAX + 1] = {
	[HERALD_SUITE_A_ID] = { .type = NLA_U32 },
	[HERALD_SUITE_A_NAME] = { .type = NLA_NUL_STRING },
	[HERALD_SUITE_A_KEY_LEN] = { .type = NLA_U32 },
	[HERALD_SUITE_A_SALT_LEN] = { .type = NLA_U32 },
	[HERALD_SUITE_A_TAG_LEN] = { .type = NLA_U32 },
	[HERALD_SUITE_A_DRIVER] = { .type = NLA_NUL_STRING },
};

static int suite_parse(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_type(nest) != HERALD_A_SUITE ||
	    nla_parse_nested(tb, HERALD_SUITE_A_MAX, nest, suite_policy) < 0 ||
	    !tb[HERALD_SUITE_A_ID] || !tb[HERALD_SUITE_A_NAME] ||
	    !tb[HERALD_SUITE_A_KEY_LEN] || !tb[HERALD_SUITE_A_SALT_LEN] ||
	    !tb[HERALD_SUITE_A_TAG_LEN])
		return -1;
	return 0;
}

static bool feature_valid(struct nlattr *attr)
{
	return nla_type(attr) == HERALD_A_FEATURE && nla_len(attr) >= 1 &&
	       !((char *)nla_data(attr))[nla_len(attr) - 1];
}

/* Check the whole answer before printing any of it: a malformed one must
 * not leave half a document on stdout.
 */
static int info_valid(struct nlattr **tb)
{
	struct nlattr *stb[HERALD_SUITE_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	if (!tb[HERALD_A_VERSION] || !tb[HERALD_A_REQUIRE_ENCRYPTION] ||
	    !tb[HERALD_A_SUITES] || !tb[HERALD_A_FEATURES])
		return -1;
	nla_for_each_nested(pos, tb[HERALD_A_FEATURES], rem)
		if (!feature_valid(pos))
			return -1;
	nla_for_each_nested(pos, tb[HERALD_A_SUITES], rem)
		if (suite_parse(pos, stb))
			return -1;
	return 0;
}

static void show_suite(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_SUITE_A_MAX + 1];

	suite_parse(nest, tb);
	open_json_object(NULL);
	print_uint(PRINT_JSON, "id", "%u", nla_get_u32(tb[HERALD_SUITE_A_ID]));
	print_string(PRINT_ANY, "name", "  %-26s", nla_get_string(tb[HERALD_SUITE_A_NAME]));
	print_uint(PRINT_ANY, "key_len", " key %2u", nla_get_u32(tb[HERALD_SUITE_A_KEY_LEN]));
	print_uint(PRINT_ANY, "salt_len", "  salt %2u", nla_get_u32(tb[HERALD_SUITE_A_SALT_LEN]));
	print_uint(PRINT_ANY, "tag_len", "  tag %2u", nla_get_u32(tb[HERALD_SUITE_A_TAG_LEN]));
	if (tb[HERALD_SUITE_A_DRIVER])
		print_string(PRINT_ANY, "driver", "  driver %s",
			     nla_get_string(tb[HERALD_SUITE_A_DRIVER]));
	print_text("\n");
	close_json_object();
}

static int show_info(struct nlattr **tb, void *arg)
{
	struct nlattr *pos;
	int rem;

	if (info_valid(tb))
		return -1;

	output_begin();
	print_string(PRINT_ANY, "version", "herald module %s\n", nla_get_string(tb[HERALD_A_VERSION]));

	open_json_object("policy");
	print_on_off(PRINT_ANY, "require_encryption", "policy: require-encryption %s\n",
		     nla_get_u8(tb[HERALD_A_REQUIRE_ENCRYPTION]));
	close_json_object();

	print_text("features:");
	open_json_array("features");
	nla_for_each_nested(pos, tb[HERALD_A_FEATURES], rem)
		print_string(PRINT_ANY, NULL, " %s", nla_get_string(pos));
	close_json_array();
	print_text("\n");

	print_text("suites:\n");
	open_json_array("suites");
	nla_for_each_nested(pos, tb[HERALD_A_SUITES], rem)
		show_suite(pos);
	close_json_array();
	return output_end();
}

int cmd_info(const char *path, int argc, char **argv)
{
	struct hnl h;
	int ret;

	if (argc > 0) {
		ctl_error(path, "unexpected argument \"%s\"", argv[0]);
		return 1;
	}
	if (hnl_open(&h, path, false))
		return 1;
	ret = herald_get_info(&h, show_info, NULL);
	hnl_close(&h);
	return ret ? 1 : 0;
}
