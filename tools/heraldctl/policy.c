// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl policy: the per-namespace policy of the module.
 *
 *   heraldctl policy [show]
 *   heraldctl policy set require-encryption on|off
 */
#include <linux/herald.h>
#include <netlink/attr.h>

#include "heraldctl.h"
#include "info.h"
#include "nl.h"
#include "output.h"

static int show_policy(struct nlattr **tb, void *arg)
{
	if (!tb[HERALD_A_REQUIRE_ENCRYPTION])
		return -1;
	output_begin();
	print_on_off(PRINT_ANY, "require_encryption", "require-encryption %s\n",
		     nla_get_u8(tb[HERALD_A_REQUIRE_ENCRYPTION]));
	return output_end();
}

static int policy_show(const char *path, int argc, char **argv)
{
	struct hnl h;
	int ret;

	if (argc > 0) {
		ctl_error(path, "unexpected argument \"%s\"", argv[0]);
		return 1;
	}
	if (hnl_open(&h, path, false))
		return 1;
	ret = herald_get_info(&h, show_policy, NULL);
	hnl_close(&h);
	return ret ? 1 : 0;
}

int policy_set_parse(const char *path, int argc, char **argv, struct policy_req *req)
{
	static const char *const settings[] = { "require-encryption", NULL };
	int i, v;

	req->require_encryption = -1;
	if (argc == 0) {
		ctl_error(path, "nothing to set; usage: heraldctl policy set require-encryption on|off");
		return -1;
	}
	for (i = 0; i < argc; i += 2) {
		switch (match_keyword(argv[i], settings)) {
		case 0:
			if (i + 1 >= argc) {
				ctl_error(path, "require-encryption needs a value: on or off");
				return -1;
			}
			if (req->require_encryption != -1) {
				ctl_error(path, "require-encryption given twice");
				return -1;
			}
			v = parse_on_off(argv[i + 1]);
			if (v < 0) {
				ctl_error(path, "require-encryption: expected \"on\" or \"off\", not \"%s\"",
					  argv[i + 1]);
				return -1;
			}
			req->require_encryption = v;
			break;
		default:
			ctl_error(path, "unknown setting \"%s\"; known: require-encryption", argv[i]);
			return -1;
		}
	}
	return 0;
}

static int no_reply(struct nlmsghdr *nlh, void *arg)
{
	/* SET_POLICY answers with an ack only. */
	return -1;
}

static int policy_set(const char *path, int argc, char **argv)
{
	struct policy_req req;
	struct nl_msg *msg;
	struct hnl h;
	int ret;

	/* All arguments are checked before the module is asked anything. */
	if (policy_set_parse(path, argc, argv, &req))
		return 1;
	if (hnl_open(&h, path, false))
		return 1;
	msg = hnl_msg(&h, HERALD_CMD_SET_POLICY);
	if (!msg) {
		hnl_close(&h);
		return 1;
	}
	if (nla_put_u8(msg, HERALD_A_REQUIRE_ENCRYPTION, (uint8_t)req.require_encryption) < 0) {
		nlmsg_free(msg);
		hnl_close(&h);
		ctl_error(path, "out of memory");
		return 1;
	}
	ret = hnl_transact(&h, msg, true, no_reply, NULL);
	hnl_close(&h);
	return ret ? 1 : 0;
}

static const struct cmd policy_cmds[] = {
	{ "show", policy_show, "show the policy of this network namespace" },
	{ "set", policy_set, "set require-encryption on|off (needs CAP_NET_ADMIN)" },
	{ NULL, NULL, NULL },
};

int cmd_policy(const char *path, int argc, char **argv)
{
	return cmd_dispatch(policy_cmds, "show", path, argc, argv);
}
