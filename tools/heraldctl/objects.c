// SPDX-License-Identifier: GPL-2.0
/*
 * What the stream, output and key commands share: one request and its
 * answer printed as a list, counters, interfaces, addresses.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <string.h>

#include "nl.h"
#include "objects.h"
#include "output.h"

struct obj_ctx {
	const struct obj_show *show;
	int count;
};

static int obj_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HERALD_A_MAX + 1];
	struct obj_ctx *ctx = arg;

	if (!ctx->show || hnl_parse(nlh, tb) < 0 || !tb[ctx->show->reply_attr])
		return -1;
	/* The whole object is checked before any of it is printed. */
	if (ctx->show->valid(tb[ctx->show->reply_attr]))
		return -1;
	/* The list opens with its first member, so that an error before any
	 * answer leaves stdout empty rather than holding a lone "[".
	 */
	if (!ctx->count)
		output_list_begin();
	else
		print_text("\n");
	ctx->count++;
	ctx->show->show(tb[ctx->show->reply_attr]);
	return 0;
}

int obj_run(const char *path, uint8_t cmd, bool dump, bool mutating,
	    int (*build)(struct nl_msg *msg, const void *req), const void *req,
	    const struct obj_show *show)
{
	struct obj_ctx ctx = { .show = show };
	struct nl_msg *msg;
	struct hnl h;
	int ret;

	if (hnl_open(&h, path, false))
		return 1;
	msg = dump ? hnl_dump_msg(&h, cmd) : hnl_msg(&h, cmd);
	if (!msg) {
		hnl_close(&h);
		return 1;
	}
	if (build && build(msg, req)) {
		hnl_msg_free(msg);
		hnl_close(&h);
		ctl_error(path, "the request does not fit in a netlink message");
		return 1;
	}
	ret = hnl_transact(&h, msg, mutating, obj_reply, &ctx);
	hnl_close(&h);
	if (show && !ctx.count && !ret)
		output_list_begin();	/* an empty dump: "[]" for scripts */
	if (show && (ctx.count || !ret) && output_list_end())
		ret = -1;
	return ret ? 1 : 0;
}

/* In the order people read them; the JSON names are the stable API. */
static const struct {
	int type;
	const char *name;
	bool drop;		/* human: on the "drop" line, without "drop_" */
} stat_names[] = {
	{ HERALD_STAT_PACKETS, "packets", false },
	{ HERALD_STAT_BYTES, "bytes", false },
	{ HERALD_STAT_PASSED, "passed", false },
	{ HERALD_STAT_TX_ERRORS, "tx_errors", false },
	{ HERALD_STAT_DROP_MALFORMED, "drop_malformed", true },
	{ HERALD_STAT_DROP_AUTH, "drop_auth", true },
	{ HERALD_STAT_DROP_REPLAY, "drop_replay", true },
	{ HERALD_STAT_DROP_TOO_OLD, "drop_too_old", true },
	{ HERALD_STAT_DROP_UNKNOWN_MKI, "drop_unknown_mki", true },
	{ HERALD_STAT_DROP_NO_KEY, "drop_no_key", true },
	{ HERALD_STAT_DROP_SSRC, "drop_ssrc", true },
	{ HERALD_STAT_DROP_INDEX_LIMIT, "drop_index_limit", true },
	{ HERALD_STAT_DROP_PAYLOAD_TYPE, "drop_payload_type", true },
	{ HERALD_STAT_DROP_NOMEM, "drop_nomem", true },
	{ HERALD_STAT_DROP_BUSY, "drop_busy", true },
	{ HERALD_STAT_FRAMES_PLAYED, "frames_played", false },
	{ HERALD_STAT_PAGES, "pages", false },
	{ HERALD_STAT_PREEMPTIONS, "preemptions", false },
	{ HERALD_STAT_UNDERRUNS, "underruns", false },
	{ HERALD_STAT_CONCEALED, "concealed", false },
	{ HERALD_STAT_GAP, "gap", false },
	{ HERALD_STAT_LATE, "late", false },
	{ HERALD_STAT_EARLY, "early", false },
	{ HERALD_STAT_DRIFT_CORRECTIONS, "drift_corrections", false },
	{ HERALD_STAT_DROP_CODEC, "drop_codec", true },
};

#define N_STATS (sizeof(stat_names) / sizeof(stat_names[0]))

int stats_valid(struct nlattr *nest)
{
	struct nlattr *pos;
	int rem;

	nla_for_each_nested(pos, nest, rem)
		if (nla_type(pos) != HERALD_STAT_PAD && nla_len(pos) != sizeof(uint64_t))
			return -1;
	return 0;
}

static void stats_line(struct nlattr *nest, bool drop)
{
	struct nlattr *tb[HERALD_STAT_MAX + 1] = { NULL };
	struct nlattr *pos;
	bool any = false;
	size_t i;
	int rem;

	/* Newer counters past HERALD_STAT_MAX are skipped, not refused. */
	nla_for_each_nested(pos, nest, rem)
		if (nla_type(pos) <= HERALD_STAT_MAX)
			tb[nla_type(pos)] = pos;
	for (i = 0; i < N_STATS; i++) {
		if (stat_names[i].drop != drop || !tb[stat_names[i].type])
			continue;
		if (!any)
			print_text(drop ? "\tdrop:" : "\t");
		print_text("%s%s", any || drop ? " " : "",
			   stat_names[i].name + (drop ? strlen("drop_") : 0));
		print_u64(PRINT_ANY, stat_names[i].name, " %" PRIu64,
			  nla_get_u64(tb[stat_names[i].type]));
		any = true;
	}
	if (any)
		print_text("\n");
}

void stats_show(struct nlattr *nest)
{
	open_json_object("stats");
	stats_line(nest, false);
	stats_line(nest, true);
	close_json_object();
}

void dev_show(uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	print_uint(PRINT_JSON, "ifindex", "%u", ifindex);
	if (!ifindex) {
		print_json_null("dev");
		return;
	}
	if (if_indextoname(ifindex, name)) {
		print_string(PRINT_ANY, "dev", " dev %s", name);
	} else {
		/* Gone since, or in another namespace: the number still helps. */
		print_json_null("dev");
		print_uint(PRINT_FP, NULL, " dev #%u", ifindex);
	}
}

int addr_valid(struct nlattr *attr)
{
	return nla_len(attr) == 4 || nla_len(attr) == 16 ? 0 : -1;
}

void addr_show(const char *key, const char *label, struct nlattr *attr)
{
	char buf[INET6_ADDRSTRLEN];

	if (format_addr(nla_data(attr), (size_t)nla_len(attr), buf, sizeof(buf)))
		buf[0] = '\0';
	print_text("%s", label);
	print_string(PRINT_ANY, key, " %s", buf);
}

int arg_id(const char *path, const char *what, const char *arg, uint32_t *id)
{
	/* Id 0 is "none" to the module: never a valid name for an object. */
	if (parse_u32(arg, 1, UINT32_MAX, id)) {
		ctl_error(path, "%s: expected an id 1..%u, not \"%s\"", what, UINT32_MAX, arg);
		return -1;
	}
	return 0;
}

int arg_label(const char *path, const char *arg, char *label)
{
	if (strlen(arg) >= HERALD_LABEL_MAX) {
		ctl_error(path, "label: at most %d bytes", HERALD_LABEL_MAX - 1);
		return -1;
	}
	strcpy(label, arg);
	return 0;
}

int arg_once(const char *path, const char *keyword, bool *given)
{
	if (*given) {
		ctl_error(path, "\"%s\" given twice", keyword);
		return -1;
	}
	*given = true;
	return 0;
}

int arg_crypto(const char *path, const char *keyword, const char *arg, struct crypto_args *c)
{
	if (!strcmp(keyword, "plaintext")) {
		if (*c->plaintext) {
			ctl_error(path, "\"plaintext\" given twice");
			return -1;
		}
		*c->plaintext = true;
		return 0;
	}
	if (!strcmp(keyword, "suite")) {
		if (*c->suite) {
			ctl_error(path, "\"suite\" given twice");
			return -1;
		}
		*c->suite = suite_by_name(arg);
		if (!*c->suite) {
			ctl_error(path, "suite: unknown suite \"%s\"; known: AES_CM_128_HMAC_SHA1_80, "
				  "AES_CM_128_HMAC_SHA1_32, AES_192_CM_HMAC_SHA1_80, "
				  "AES_192_CM_HMAC_SHA1_32, AES_256_CM_HMAC_SHA1_80, "
				  "AES_256_CM_HMAC_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM", arg);
			return -1;
		}
		return 0;
	}
	/* "key": the suite may come after, so lengths are checked at the end. */
	if (*c->nkeys == HERALD_MAX_KEYS) {
		ctl_error(path, "at most %d keys", HERALD_MAX_KEYS);
		return -1;
	}
	if (keyspec_load(path, arg, NULL, &c->keys[*c->nkeys]))
		return -1;
	(*c->nkeys)++;
	return 0;
}

int crypto_check(const char *path, const struct crypto_args *c)
{
	int i, j;

	if (*c->plaintext && (*c->suite || *c->nkeys)) {
		ctl_error(path, "\"plaintext\" takes no suite and no key");
		return -1;
	}
	if (*c->plaintext)
		return 0;
	if (!*c->suite && !*c->nkeys) {
		ctl_error(path, "missing keys: give suite SUITE key KEYSPEC, or plaintext");
		return -1;
	}
	if (!*c->suite) {
		ctl_error(path, "missing suite: a key needs \"suite SUITE\"");
		return -1;
	}
	if (!*c->nkeys) {
		ctl_error(path, "missing key: \"suite\" needs at least one \"key KEYSPEC\"");
		return -1;
	}
	for (i = 0; i < *c->nkeys; i++)
		if (keyspec_check_suite(path, &c->keys[i], *c->suite))
			return -1;
	/* The module refuses these too; saying so here names the argument. */
	for (i = 1; i < *c->nkeys; i++) {
		if (!c->keys[0].mki_len) {
			ctl_error(path, "several keys need an MKI each (inline:...|MKI:LEN)");
			return -1;
		}
		if (c->keys[i].mki_len != c->keys[0].mki_len) {
			ctl_error(path, "all keys need the same MKI length");
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (c->keys[j].mki == c->keys[i].mki) {
				ctl_error(path, "two keys with MKI %u", c->keys[i].mki);
				return -1;
			}
		}
	}
	return 0;
}
