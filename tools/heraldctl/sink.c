// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl sink: playback of pages on a local ALSA PCM by the module.
 *
 *   heraldctl sink add card N|ID [device N] [rate 8000|16000|48000]
 *                      [period FRAMES] [buffer FRAMES] [volume DB]
 *                      [emergency-volume DB] [delay MS] [id N] [label TEXT]
 *                      [tone FILE|builtin]
 *   heraldctl sink set id N [label TEXT] [volume DB] [emergency-volume DB]
 *                      [delay MS] [tone FILE|builtin]
 *
 * A tone FILE is a 16 kHz mono 16-bit WAV, or raw s16le at 16 kHz
 * (tone_file.c); "builtin" is the module's own chime.
 *   heraldctl sink del id N
 *   heraldctl sink show [id N]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "objects.h"
#include "output.h"
#include "tone_file.h"

enum {
	W_CARD, W_DEVICE, W_RATE, W_PERIOD, W_BUFFER, W_VOLUME, W_EMERGENCY, W_DELAY,
	W_ID, W_LABEL, W_TONE,
};

static const char *const sink_words[] = {
	"card", "device", "rate", "period", "buffer", "volume", "emergency-volume", "delay",
	"id", "label", "tone", NULL,
};

void sink_req_free(struct sink_req *req)
{
	free(req->tone);
	req->tone = NULL;
}

/* A whole number of dB within what the module takes. */
static int parse_db(const char *arg, int32_t *db)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < HERALD_SINK_VOLUME_DB_MIN ||
	    v > HERALD_SINK_VOLUME_DB_MAX)
		return -1;
	*db = (int32_t)v;
	return 0;
}

static int sink_u32(const char *path, const char *kw, const char *val, uint32_t min,
		    uint32_t max, bool *given, uint32_t *v)
{
	if (arg_once(path, kw, given))
		return -1;
	if (parse_u32(val, min, max, v)) {
		ctl_error(path, "%s: expected %u..%u, not \"%s\"", kw, min, max, val);
		return -1;
	}
	return 0;
}

/*
 * "card 1" is the card of index 1, "card Loopback" the card whose id (as
 * /proc/asound/cards shows it) is Loopback, wherever ALSA numbered it.
 */
static int sink_card(const char *path, const char *val, struct sink_req *req)
{
	size_t i, len = strlen(val);

	if (arg_once(path, "card", &req->has_card))
		return -1;
	if (len && strspn(val, "0123456789") == len) {
		if (parse_u32(val, 0, 31, &req->card)) {
			ctl_error(path, "card: expected an index 0..31 or an id, not \"%s\"", val);
			return -1;
		}
		return 0;
	}
	/* ALSA ids are letters, digits and '_' ('-' in a few drivers). */
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    val[i]))
			break;
	if (!len || i < len || len >= sizeof(req->card_id)) {
		ctl_error(path, "card: expected an index 0..31 or an id of 1..%zu letters, digits, '_' or '-', not \"%s\"",
			  sizeof(req->card_id) - 1, val);
		return -1;
	}
	memcpy(req->card_id, val, len + 1);
	return 0;
}

static int sink_parse(const char *path, int argc, char **argv, unsigned int allowed,
		      struct sink_req *req)
{
	const char *val;
	int i, w;

	memset(req, 0, sizeof(*req));
	for (i = 0; i < argc; i++) {
		w = match_keyword(argv[i], sink_words);
		if (w < 0 || !(allowed & (1u << w))) {
			ctl_error(path, "unknown argument \"%s\"; try \"heraldctl sink help\"",
				  argv[i]);
			goto err;
		}
		val = arg_value(path, argc, argv, &i);
		if (!val)
			goto err;
		switch (w) {
		case W_CARD:
			if (sink_card(path, val, req))
				goto err;
			break;
		case W_DEVICE:
			if (sink_u32(path, "device", val, 0, 31, &req->has_device, &req->device))
				goto err;
			break;
		case W_RATE:
			if (sink_u32(path, "rate", val, 8000, 48000, &req->has_rate, &req->rate))
				goto err;
			if (req->rate != 8000 && req->rate != 16000 && req->rate != 48000) {
				ctl_error(path, "rate: expected 8000, 16000 or 48000, not \"%s\"", val);
				goto err;
			}
			break;
		case W_PERIOD:
			if (sink_u32(path, "period", val, 1, 1u << 20, &req->has_period,
				     &req->period))
				goto err;
			break;
		case W_BUFFER:
			if (sink_u32(path, "buffer", val, 1, 1u << 20, &req->has_buffer,
				     &req->buffer))
				goto err;
			break;
		case W_DELAY:
			if (sink_u32(path, "delay", val, HERALD_SINK_TARGET_MS_MIN,
				     HERALD_SINK_TARGET_MS_MAX, &req->has_delay, &req->delay_ms))
				goto err;
			break;
		case W_VOLUME:
		case W_EMERGENCY:
			if (arg_once(path, sink_words[w], w == W_VOLUME ? &req->has_volume :
				     &req->has_emergency))
				goto err;
			if (parse_db(val, w == W_VOLUME ? &req->volume_db : &req->emergency_db)) {
				ctl_error(path, "%s: expected %d..%d (dB), not \"%s\"", sink_words[w],
					  HERALD_SINK_VOLUME_DB_MIN, HERALD_SINK_VOLUME_DB_MAX, val);
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
		case W_TONE:
			if (arg_once(path, "tone", &req->has_tone))
				goto err;
			/* "builtin": an empty tone, the module's chime. */
			if (strcmp(val, "builtin") &&
			    tone_file_read(path, val, &req->tone, &req->tone_len))
				goto err;
			break;
		}
	}
	return 0;
err:
	sink_req_free(req);
	return -1;
}

int sink_add_parse(const char *path, int argc, char **argv, struct sink_req *req)
{
	if (sink_parse(path, argc, argv, ~0u, req))
		return -1;
	if (!req->has_card) {
		ctl_error(path, "missing \"card N|ID\"");
		sink_req_free(req);
		return -1;
	}
	return 0;
}

int sink_set_parse(const char *path, int argc, char **argv, struct sink_req *req)
{
	unsigned int allowed = 1u << W_ID | 1u << W_LABEL | 1u << W_VOLUME |
			       1u << W_EMERGENCY | 1u << W_DELAY | 1u << W_TONE;

	if (sink_parse(path, argc, argv, allowed, req))
		return -1;
	if (!req->has_id) {
		ctl_error(path, "missing \"id N\"");
		sink_req_free(req);
		return -1;
	}
	if (!req->has_label && !req->has_volume && !req->has_emergency && !req->has_delay &&
	    !req->has_tone) {
		ctl_error(path, "nothing to set: give label, volume, emergency-volume, delay or tone");
		return -1;
	}
	return 0;
}

int sink_id_parse(const char *path, int argc, char **argv, bool id_optional,
		  struct sink_req *req)
{
	if (sink_parse(path, argc, argv, 1u << W_ID, req))
		return -1;
	if (!req->has_id && !id_optional) {
		ctl_error(path, "missing \"id N\"");
		return -1;
	}
	return 0;
}

int sink_build(struct nl_msg *msg, const struct sink_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, HERALD_A_SINK);
	if (!nest)
		return -1;
	if ((req->has_id && nla_put_u32(msg, HERALD_SINK_A_ID, req->id) < 0) ||
	    (req->has_label && nla_put_string(msg, HERALD_SINK_A_LABEL, req->label) < 0) ||
	    (req->has_card && !req->card_id[0] &&
	     nla_put_u32(msg, HERALD_SINK_A_CARD, req->card) < 0) ||
	    (req->has_card && req->card_id[0] &&
	     nla_put_string(msg, HERALD_SINK_A_CARD_ID, req->card_id) < 0) ||
	    (req->has_device && nla_put_u32(msg, HERALD_SINK_A_DEVICE, req->device) < 0) ||
	    (req->has_rate && nla_put_u32(msg, HERALD_SINK_A_RATE, req->rate) < 0) ||
	    (req->has_period && nla_put_u32(msg, HERALD_SINK_A_PERIOD_FRAMES, req->period) < 0) ||
	    (req->has_buffer && nla_put_u32(msg, HERALD_SINK_A_BUFFER_FRAMES, req->buffer) < 0) ||
	    (req->has_volume && nla_put_s32(msg, HERALD_SINK_A_VOLUME_DB, req->volume_db) < 0) ||
	    (req->has_emergency &&
	     nla_put_s32(msg, HERALD_SINK_A_EMERGENCY_VOLUME_DB, req->emergency_db) < 0) ||
	    (req->has_delay && nla_put_u32(msg, HERALD_SINK_A_TARGET_DELAY_MS, req->delay_ms) < 0) ||
	    (req->has_tone &&
	     nla_put(msg, HERALD_SINK_A_TONE_PCM, (int)req->tone_len, req->tone) < 0))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static struct nla_policy sink_policy[HERALD_SINK_A_MAX + 1] = {
	[HERALD_SINK_A_ID] = { .type = NLA_U32 },
	[HERALD_SINK_A_LABEL] = { .type = NLA_NUL_STRING },
	[HERALD_SINK_A_CARD] = { .type = NLA_U32 },
	[HERALD_SINK_A_DEVICE] = { .type = NLA_U32 },
	[HERALD_SINK_A_RATE] = { .type = NLA_U32 },
	[HERALD_SINK_A_PERIOD_FRAMES] = { .type = NLA_U32 },
	[HERALD_SINK_A_BUFFER_FRAMES] = { .type = NLA_U32 },
	[HERALD_SINK_A_VOLUME_DB] = { .type = NLA_U32 },	/* s32 */
	[HERALD_SINK_A_EMERGENCY_VOLUME_DB] = { .type = NLA_U32 },
	[HERALD_SINK_A_TARGET_DELAY_MS] = { .type = NLA_U32 },
	[HERALD_SINK_A_STATS] = { .type = NLA_NESTED },
	[HERALD_SINK_A_LEVEL_US] = { .type = NLA_U32 },
	[HERALD_SINK_A_HOLDER] = { .type = NLA_U32 },
	[HERALD_SINK_A_PCM_OPEN] = { .type = NLA_U8 },
	[HERALD_SINK_A_ERROR] = { .type = NLA_U32 },	/* s32 */
	[HERALD_SINK_A_CHANNELS] = { .type = NLA_U32 },
	[HERALD_SINK_A_CARD_ID] = { .type = NLA_NUL_STRING },
	[HERALD_SINK_A_TONE_MS] = { .type = NLA_U32 },
};

static int sink_parse_reply(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_parse_nested(tb, HERALD_SINK_A_MAX, nest, sink_policy) < 0)
		return -1;
	/* What the module always sends; the rest is printed when present. */
	if (!tb[HERALD_SINK_A_ID] || (!tb[HERALD_SINK_A_CARD] && !tb[HERALD_SINK_A_CARD_ID]) ||
	    !tb[HERALD_SINK_A_DEVICE] ||
	    !tb[HERALD_SINK_A_RATE])
		return -1;
	return 0;
}

int sink_valid(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_SINK_A_MAX + 1];

	if (sink_parse_reply(nest, tb))
		return -1;
	if (tb[HERALD_SINK_A_STATS] && stats_valid(tb[HERALD_SINK_A_STATS]))
		return -1;
	return 0;
}

void sink_show(struct nlattr *nest)
{
	struct nlattr *tb[HERALD_SINK_A_MAX + 1];
	uint32_t holder;
	int32_t err;

	sink_parse_reply(nest, tb);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "id", "sink %u", nla_get_u32(tb[HERALD_SINK_A_ID]));
	if (tb[HERALD_SINK_A_LABEL]) {
		const char *label = nla_get_string(tb[HERALD_SINK_A_LABEL]);

		if (*label)
			print_string(PRINT_FP, NULL, " label \"%s\"", label);
		print_string(PRINT_JSON, "label", "%s", label);
	}
	print_text("\n");

	/* JSON: "card" is always the index, "card_id" always the id. */
	if (tb[HERALD_SINK_A_CARD])
		print_uint(PRINT_ANY, "card", "\tcard %u", nla_get_u32(tb[HERALD_SINK_A_CARD]));
	else
		print_string(PRINT_ANY, "card_id", "\tcard %s",
			     nla_get_string(tb[HERALD_SINK_A_CARD_ID]));
	print_uint(PRINT_ANY, "device", " device %u", nla_get_u32(tb[HERALD_SINK_A_DEVICE]));
	print_uint(PRINT_ANY, "rate", " rate %u", nla_get_u32(tb[HERALD_SINK_A_RATE]));
	if (tb[HERALD_SINK_A_PERIOD_FRAMES])
		print_uint(PRINT_ANY, "period", " period %u", nla_get_u32(tb[HERALD_SINK_A_PERIOD_FRAMES]));
	if (tb[HERALD_SINK_A_BUFFER_FRAMES])
		print_uint(PRINT_ANY, "buffer", " buffer %u", nla_get_u32(tb[HERALD_SINK_A_BUFFER_FRAMES]));
	print_text("\n");
	if (tb[HERALD_SINK_A_VOLUME_DB])
		print_int(PRINT_ANY, "volume", "\tvolume %d dB", (int32_t)nla_get_u32(tb[HERALD_SINK_A_VOLUME_DB]));
	if (tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB])
		print_int(PRINT_ANY, "emergency_volume", " emergency-volume %d dB", (int32_t)nla_get_u32(tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB]));
	if (tb[HERALD_SINK_A_TARGET_DELAY_MS])
		print_uint(PRINT_ANY, "delay", " delay %u ms", nla_get_u32(tb[HERALD_SINK_A_TARGET_DELAY_MS]));
	if (tb[HERALD_SINK_A_TONE_MS])
		print_uint(PRINT_ANY, "tone_ms", " tone %u ms", nla_get_u32(tb[HERALD_SINK_A_TONE_MS]));
	print_text("\n");

	if (tb[HERALD_SINK_A_HOLDER]) {
		holder = nla_get_u32(tb[HERALD_SINK_A_HOLDER]);
		if (holder) {
			print_uint(PRINT_ANY, "holder", "\tplaying stream %u", holder);
		} else {
			print_json_null("holder");
			print_text("\tidle");
		}
	}
	if (tb[HERALD_SINK_A_PCM_OPEN])
		print_on_off(PRINT_ANY, "pcm_open", " pcm %s",
			     nla_get_u8(tb[HERALD_SINK_A_PCM_OPEN]));
	if (tb[HERALD_SINK_A_CHANNELS])
		print_uint(PRINT_ANY, "channels", " channels %u", nla_get_u32(tb[HERALD_SINK_A_CHANNELS]));
	if (tb[HERALD_SINK_A_LEVEL_US])
		print_uint(PRINT_ANY, "level_us", " level %u us", nla_get_u32(tb[HERALD_SINK_A_LEVEL_US]));
	if (tb[HERALD_SINK_A_ERROR]) {
		err = (int32_t)nla_get_u32(tb[HERALD_SINK_A_ERROR]);
		print_int(PRINT_JSON, "error", "%d", err);
		if (err)
			print_string(PRINT_FP, NULL, " error %s", strerror(-err));
	}
	print_text("\n");
	if (tb[HERALD_SINK_A_STATS])
		stats_show(tb[HERALD_SINK_A_STATS]);
	close_json_object();
}

static const struct obj_show sink_printer = {
	.reply_attr = HERALD_A_SINK, .valid = sink_valid, .show = sink_show,
};

static int build(struct nl_msg *msg, const void *req)
{
	return sink_build(msg, req);
}

/* A request with a tone outgrows libnl's default page-sized message. */
static void sink_msg_size(const struct sink_req *req)
{
	if (req->tone_len)
		nlmsg_set_default_size(req->tone_len + 4096);
}

static int sink_add(const char *path, int argc, char **argv)
{
	struct sink_req req;
	int ret;

	if (sink_add_parse(path, argc, argv, &req))
		return 1;
	sink_msg_size(&req);
	ret = obj_run(path, HERALD_CMD_NEW_SINK, false, true, build, &req, &sink_printer);
	sink_req_free(&req);
	return ret;
}

static int sink_set(const char *path, int argc, char **argv)
{
	struct sink_req req;
	int ret;

	if (sink_set_parse(path, argc, argv, &req))
		return 1;
	sink_msg_size(&req);
	ret = obj_run(path, HERALD_CMD_SET_SINK, false, true, build, &req, NULL);
	sink_req_free(&req);
	return ret;
}

static int sink_del(const char *path, int argc, char **argv)
{
	struct sink_req req;

	if (sink_id_parse(path, argc, argv, false, &req))
		return 1;
	return obj_run(path, HERALD_CMD_DEL_SINK, false, true, build, &req, NULL);
}

static int sink_show_cmd(const char *path, int argc, char **argv)
{
	struct sink_req req;

	if (sink_id_parse(path, argc, argv, true, &req))
		return 1;
	/* Without an id, every sink: a dump, which takes no attributes. */
	return obj_run(path, HERALD_CMD_GET_SINK, !req.has_id, false,
		       req.has_id ? build : NULL, &req, &sink_printer);
}

static const struct cmd sink_cmds[] = {
	{ "add", sink_add, "create a sink on an ALSA playback PCM (needs CAP_NET_ADMIN)" },
	{ "set", sink_set, "change label, volumes, target delay or tone of a sink" },
	{ "del", sink_del, "delete a sink" },
	{ "show", sink_show_cmd, "show one sink or all, with counters" },
	{ NULL, NULL, NULL },
};

int cmd_sink(const char *path, int argc, char **argv)
{
	return cmd_dispatch(sink_cmds, "show", path, argc, argv);
}
