// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl key: add and remove keys of a live stream or output, for
 * rekeying without interrupting traffic.
 *
 *   heraldctl key add { stream N | output N } KEYSPEC [active]
 *   heraldctl key del { stream N | output N } mki M
 *
 * The CLI does not know the object's suite, so an added key's length is
 * only checked against the lengths of all suites; the module checks it
 * against the object's own and names the mismatch.
 */
#include <string.h>

#include "objects.h"

/* "stream N" or "output N": the object the key belongs to. */
static int key_target_parse(const char *path, int argc, char **argv, struct key_req *req)
{
	static const char *const kinds[] = { "stream", "output", NULL };
	int kind;

	memset(req, 0, sizeof(*req));
	kind = match_keyword(argc > 0 ? argv[0] : NULL, kinds);
	if (kind < 0) {
		if (argc > 0)
			ctl_error(path, "expected \"stream N\" or \"output N\", not \"%s\"", argv[0]);
		else
			ctl_error(path, "missing \"stream N\" or \"output N\"");
		return -1;
	}
	if (argc < 2) {
		ctl_error(path, "\"%s\" needs a value", argv[0]);
		return -1;
	}
	req->output = kind == 1;
	return arg_id(path, argv[0], argv[1], &req->id);
}

int key_add_parse(const char *path, int argc, char **argv, struct key_req *req)
{
	if (key_target_parse(path, argc, argv, req))
		return -1;
	if (argc < 3) {
		ctl_error(path, "missing KEYSPEC (inline:..., file:PATH or -)");
		return -1;
	}
	if (keyspec_load(path, argv[2], NULL, &req->key))
		return -1;
	if (argc > 3 && !strcmp(argv[3], "active")) {
		/* A stream tries every key it holds, by the packet's MKI. */
		if (!req->output) {
			ctl_error(path, "\"active\" is for outputs: a stream accepts all its keys");
			goto err;
		}
		req->key.active = true;
		if (argc > 4) {
			ctl_error(path, "unexpected argument \"%s\"", argv[4]);
			goto err;
		}
	} else if (argc > 3) {
		ctl_error(path, "unexpected argument \"%s\"", argv[3]);
		goto err;
	}
	return 0;
err:
	keyspec_wipe(&req->key);
	return -1;
}

int key_del_parse(const char *path, int argc, char **argv, struct key_req *req)
{
	if (key_target_parse(path, argc, argv, req))
		return -1;
	if (argc < 3 || strcmp(argv[2], "mki")) {
		if (argc < 3)
			ctl_error(path, "missing \"mki M\"");
		else
			ctl_error(path, "expected \"mki M\", not \"%s\"", argv[2]);
		return -1;
	}
	if (argc < 4 || parse_u32(argv[3], 0, UINT32_MAX, &req->key.mki)) {
		if (argc < 4)
			ctl_error(path, "\"mki\" needs a value");
		else
			ctl_error(path, "mki: expected a number, not \"%s\"", argv[3]);
		return -1;
	}
	if (argc > 4) {
		ctl_error(path, "unexpected argument \"%s\"", argv[4]);
		return -1;
	}
	return 0;
}

/* Both commands: the object's nest with its id and one key, which for
 * "del" holds only the MKI naming it.
 */
int key_build(struct nl_msg *msg, const struct key_req *req)
{
	struct nlattr *nest, *list, *key;

	nest = nla_nest_start(msg, req->output ? HERALD_A_OUTPUT : HERALD_A_STREAM);
	if (!nest ||
	    nla_put_u32(msg, req->output ? HERALD_OUTPUT_A_ID : HERALD_STREAM_A_ID, req->id) < 0)
		return -1;
	if (req->key.len) {
		if (keyspec_put(msg, req->output ? HERALD_OUTPUT_A_KEYS : HERALD_STREAM_A_KEYS,
				&req->key, 1))
			return -1;
	} else {
		list = nla_nest_start(msg, req->output ? HERALD_OUTPUT_A_KEYS : HERALD_STREAM_A_KEYS);
		if (!list)
			return -1;
		key = nla_nest_start(msg, HERALD_A_KEY);
		if (!key || nla_put_u32(msg, HERALD_KEY_A_MKI_ID, req->key.mki) < 0)
			return -1;
		nla_nest_end(msg, key);
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int build(struct nl_msg *msg, const void *req)
{
	return key_build(msg, req);
}

static int key_add(const char *path, int argc, char **argv)
{
	struct key_req req;
	int ret;

	if (key_add_parse(path, argc, argv, &req))
		return 1;
	ret = obj_run(path, HERALD_CMD_ADD_KEY, false, true, build, &req, NULL);
	keyspec_wipe(&req.key);
	return ret;
}

static int key_del(const char *path, int argc, char **argv)
{
	struct key_req req;

	if (key_del_parse(path, argc, argv, &req))
		return 1;
	return obj_run(path, HERALD_CMD_DEL_KEY, false, true, build, &req, NULL);
}

static const struct cmd key_cmds[] = {
	{ "add", key_add, "add a key to a stream or output (needs CAP_NET_ADMIN)" },
	{ "del", key_del, "remove a key, named by its MKI" },
	{ NULL, NULL, NULL },
};

int cmd_key(const char *path, int argc, char **argv)
{
	return cmd_dispatch(key_cmds, NULL, path, argc, argv);
}
