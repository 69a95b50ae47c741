// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_ops over generic netlink (libnl-genl-3): see kernel.h. Streams
 * and sinks.
 *
 * Requests are synchronous: the module answers from process context at
 * once, so a request costs a system call round trip, not a wait. Every
 * request that carried keys is wiped before it is freed.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <arpa/inet.h>

#include "herald_nl.h"
#include "kernel.h"
#include "log.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct kernel {
	struct nl_sock *sk;
	int family;		/* 0 until resolved */
	int policy;		/* require-encryption to hand the module; -1: none yet */
};

static int push_policy(struct kernel *k, char *why, size_t whylen);

struct kernel *kernel_open(void)
{
	struct kernel *k = calloc(1, sizeof(*k));
	int one = 1;

	if (!k)
		return NULL;
	k->policy = -1;
	k->sk = nl_socket_alloc();
	if (!k->sk || genl_connect(k->sk) < 0) {
		kernel_close(k);
		return NULL;
	}
	/* The module's reason with every error; errors without the echoed request. */
	setsockopt(nl_socket_get_fd(k->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(k->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return k;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	if (k->sk)
		nl_socket_free(k->sk);
	free(k);
}

/*
 * The family id, looked up until found: 0 when known already, 1 when found
 * just now, or a negative errno with @why.
 */
static int find_family(struct kernel *k, char *why, size_t whylen)
{
	int family;

	if (k->family > 0)
		return 0;
	family = genl_ctrl_resolve(k->sk, HERALD_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		snprintf(why, whylen, "herald module not loaded (no \"%s\" netlink family)",
			 HERALD_GENL_NAME);
		return -ENOENT;
	}
	if (family < 0) {
		snprintf(why, whylen, "cannot resolve the %s netlink family: %s",
			 HERALD_GENL_NAME, nl_geterror(family));
		return -EIO;
	}
	k->family = family;
	return 1;
}

static int resolve(struct kernel *k, char *why, size_t whylen)
{
	char pwhy[256];
	int ret = find_family(k, why, whylen);

	if (ret <= 0)
		return ret;
	/*
	 * A module found now (loaded after heraldd started, or reloaded) has
	 * its default policy: give it ours before any stream is made.
	 */
	if (k->policy >= 0 && push_policy(k, pwhy, sizeof(pwhy)))
		log_warn("herald.ko: require-encryption %s not set: %s", k->policy ? "on" : "off",
			 pwhy);
	return 0;
}

static struct nl_msg *request(struct kernel *k, uint8_t cmd, char *why, size_t whylen)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, k->family, 0, NLM_F_ACK, cmd,
				 HERALD_GENL_VERSION)) {
		nlmsg_free(msg);
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	return msg;
}

struct reply {
	int family;
	int attr;		/* the object's nest: HERALD_A_STREAM, _OUTPUT or _SINK */
	int (*parse)(struct nlattr *obj, void *arg);
	void *arg;
};

static struct nla_policy reply_policy[HERALD_A_MAX + 1] = {
	[HERALD_A_STREAM] = { .type = NLA_NESTED },
	[HERALD_A_OUTPUT] = { .type = NLA_NESTED },
	[HERALD_A_SINK] = { .type = NLA_NESTED },
};

static int reply_obj(struct nlmsghdr *nlh, void *arg)
{
	struct reply *r = arg;
	struct nlattr *tb[HERALD_A_MAX + 1];

	if (!r->parse)
		return 0;
	if (genlmsg_parse(nlh, 0, tb, HERALD_A_MAX, reply_policy) < 0 || !tb[r->attr])
		return -1;
	return r->parse(tb[r->attr], r->arg);
}

/*
 * Send @msg (consumed and wiped), read until the ack; @parse gets the
 * reply's @attr nest.
 */
static int transact_obj(struct kernel *k, struct nl_msg *msg, int attr,
			int (*parse)(struct nlattr *obj, void *arg), void *arg, char *why,
			size_t whylen)
{
	struct reply r = { .family = k->family, .attr = attr, .parse = parse, .arg = arg };
	struct herald_nl_status st;

	if (!herald_nl_transact(k->sk, k->family, msg, reply_obj, &r, &st))
		return 0;
	switch (st.fail) {
	case HERALD_NL_SEND:
	case HERALD_NL_RECV:
		snprintf(why, whylen, "netlink: %s", st.msg);
		break;
	case HERALD_NL_BADMSG:
		snprintf(why, whylen, "malformed reply from the herald module");
		break;
	default:
		snprintf(why, whylen, "%s%s%s", strerror(-st.error), st.msg[0] ? ": " : "",
			 st.msg);
		break;
	}
	/* The module was unloaded and maybe reloaded: resolve again next time. */
	if (st.error == -ENOENT || st.error == -EOPNOTSUPP)
		k->family = 0;
	return st.error;
}

static int transact(struct kernel *k, struct nl_msg *msg,
		    int (*parse)(struct nlattr *stream, void *arg), void *arg, char *why,
		    size_t whylen)
{
	return transact_obj(k, msg, HERALD_A_STREAM, parse, arg, why, whylen);
}

static int put_keys(struct nl_msg *msg, const struct kernel_key *keys, unsigned int n)
{
	struct nlattr *list = nla_nest_start(msg, HERALD_STREAM_A_KEYS);
	unsigned int i;

	if (!list)
		return -1;
	for (i = 0; i < n; i++)
		if (herald_nl_put_key(msg, keys[i].material, keys[i].len, keys[i].mki,
				      keys[i].mki_len, false))
			return -1;
	nla_nest_end(msg, list);
	return 0;
}

static int put_outputs(struct nl_msg *msg, const uint32_t *outputs, unsigned int n)
{
	struct nlattr *list = nla_nest_start(msg, HERALD_STREAM_A_OUTPUTS);
	unsigned int i;

	if (!list)
		return -1;
	for (i = 0; i < n; i++)
		if (nla_put_u32(msg, HERALD_A_OUTPUT_ID, outputs[i]) < 0)
			return -1;
	/* libnl drops an empty nest; here it means "no output" (a mute). */
	return nla_nest_end_keep_empty(msg, list) < 0 ? -1 : 0;
}

/* VOLUME_OFFSET_DB and TONE, each only when marked set. */
static int put_sound(struct nl_msg *msg, const struct kernel_stream_sound *snd)
{
	if (snd->set_volume &&
	    nla_put_s32(msg, HERALD_STREAM_A_VOLUME_OFFSET_DB, snd->volume_offset_db) < 0)
		return -1;
	if (snd->set_tone && nla_put_u8(msg, HERALD_STREAM_A_TONE, snd->tone) < 0)
		return -1;
	return 0;
}

static int build_stream(struct nl_msg *msg, const void *req)
{
	const struct kernel_stream_req *r = req;
	struct nlattr *nest = nla_nest_start(msg, HERALD_A_STREAM), *list;

	if (!nest)
		return -1;
	if (r->fd >= 0) {
		if (nla_put_u32(msg, HERALD_STREAM_A_FD, (uint32_t)r->fd) < 0)
			return -1;
	} else if (nla_put(msg, HERALD_STREAM_A_LOCAL_ADDR, r->family == 6 ? 16 : 4,
			   r->local_addr) < 0 ||
		   nla_put_u16(msg, HERALD_STREAM_A_LOCAL_PORT, r->local_port) < 0 ||
		   (r->ifindex && nla_put_u32(msg, HERALD_STREAM_A_IFINDEX, r->ifindex) < 0)) {
		return -1;
	}
	if ((r->label[0] && nla_put_string(msg, HERALD_STREAM_A_LABEL, r->label) < 0) ||
	    nla_put_u8(msg, HERALD_STREAM_A_PRIORITY, r->priority) < 0)
		return -1;
	if (r->suite == HERALD_SUITE_NONE) {
		if (nla_put_flag(msg, HERALD_STREAM_A_PLAINTEXT) < 0)
			return -1;
	} else if (nla_put_u32(msg, HERALD_STREAM_A_SUITE, r->suite) < 0 ||
		   put_keys(msg, r->keys, r->nkeys)) {
		return -1;
	}
	if (r->noutputs && put_outputs(msg, r->outputs, r->noutputs))
		return -1;
	if (r->sink && nla_put_u32(msg, HERALD_STREAM_A_SINK, r->sink) < 0)
		return -1;
	/* Defaults are left out: a module that predates them refuses unknown attributes. */
	if (put_sound(msg, &(struct kernel_stream_sound){
			.set_volume = r->volume_offset_db != 0,
			.set_tone = r->tone,
			.volume_offset_db = r->volume_offset_db,
			.tone = r->tone,
		}))
		return -1;
	if (r->pt >= 0) {
		list = nla_nest_start(msg, HERALD_STREAM_A_PAYLOAD_TYPES);
		if (!list || nla_put_u8(msg, HERALD_A_PT, (uint8_t)r->pt) < 0)
			return -1;
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* The new object's id in a NEW_* answer: attribute @attr of its nest. */
struct new_id {
	int attr;
	uint32_t id;
};

static int reply_new_id(struct nlattr *obj, void *arg)
{
	struct new_id *r = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, obj, rem)
		if (nla_type(a) == r->attr && nla_len(a) == (int)sizeof(uint32_t)) {
			r->id = nla_get_u32(a);
			return 0;
		}
	return -1;
}

/*
 * NEW_STREAM, NEW_OUTPUT or NEW_SINK (@cmd): @build puts the @obj nest of
 * @req, the module answers with the object, whose @id_attr is its id.
 */
static int new_object(struct kernel *k, uint8_t cmd, int obj, int id_attr, const char *kind,
		      int (*build)(struct nl_msg *msg, const void *req), const void *req,
		      uint32_t *id, char *why, size_t whylen)
{
	struct new_id r = { .attr = id_attr };
	struct nl_msg *msg;
	int ret = resolve(k, why, whylen);

	if (ret)
		return ret;
	msg = request(k, cmd, why, whylen);
	if (!msg)
		return -ENOMEM;
	if (build(msg, req)) {
		herald_nl_msg_free(msg);
		snprintf(why, whylen, "%s request too large", kind);
		return -EMSGSIZE;
	}
	ret = transact_obj(k, msg, obj, reply_new_id, &r, why, whylen);
	if (!ret && !r.id) {
		snprintf(why, whylen, "the module answered no %s id", kind);
		return -EBADMSG;
	}
	*id = r.id;
	return ret;
}

static int k_new_stream(void *ctx, const struct kernel_stream_req *req, uint32_t *id, char *why,
			size_t whylen)
{
	return new_object(ctx, HERALD_CMD_NEW_STREAM, HERALD_A_STREAM, HERALD_STREAM_A_ID,
			  "stream", build_stream, req, id, why, whylen);
}

/* What goes with the ID in id_request(). */
struct id_extra {
	const struct kernel_key *key;		/* KEYS { it } */
	const uint32_t *outputs;		/* OUTPUTS, when set_outputs */
	unsigned int noutputs;
	bool set_outputs;
	const struct kernel_stream_sound *sound;	/* VOLUME_OFFSET_DB, TONE as marked */
};

/* A request with HERALD_A_STREAM { ID, extras }; @parse gets the answer. */
static int id_request(struct kernel *k, uint8_t cmd, uint32_t id, const struct id_extra *x,
		      int (*parse)(struct nlattr *stream, void *arg), void *arg, char *why,
		      size_t whylen)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret = resolve(k, why, whylen);

	if (ret)
		return ret;
	msg = request(k, cmd, why, whylen);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HERALD_A_STREAM);
	if (!nest || nla_put_u32(msg, HERALD_STREAM_A_ID, id) < 0 ||
	    (x && x->key && put_keys(msg, x->key, 1)) ||
	    (x && x->set_outputs && put_outputs(msg, x->outputs, x->noutputs)) ||
	    (x && x->sound && put_sound(msg, x->sound))) {
		herald_nl_msg_free(msg);
		snprintf(why, whylen, "request too large");
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return transact(k, msg, parse, arg, why, whylen);
}

static int k_del_stream(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return id_request(ctx, HERALD_CMD_DEL_STREAM, id, NULL, NULL, NULL, why, whylen);
}

static int k_add_key(void *ctx, uint32_t id, const struct kernel_key *key, char *why,
		     size_t whylen)
{
	struct id_extra x = { .key = key };

	return id_request(ctx, HERALD_CMD_ADD_KEY, id, &x, NULL, NULL, why, whylen);
}

static int k_del_key(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen)
{
	/* DEL_KEY names the key by its MKI alone: no material. */
	struct kernel_key name = { .mki = mki };
	struct id_extra x = { .key = &name };

	return id_request(ctx, HERALD_CMD_DEL_KEY, id, &x, NULL, NULL, why, whylen);
}

static int k_set_outputs(void *ctx, uint32_t id, const uint32_t *outputs, unsigned int n,
			 char *why, size_t whylen)
{
	struct id_extra x = { .outputs = outputs, .noutputs = n, .set_outputs = true };

	return id_request(ctx, HERALD_CMD_SET_STREAM, id, &x, NULL, NULL, why, whylen);
}

static int k_set_sound(void *ctx, uint32_t id, const struct kernel_stream_sound *sound,
		       char *why, size_t whylen)
{
	struct id_extra x = { .sound = sound };

	return id_request(ctx, HERALD_CMD_SET_STREAM, id, &x, NULL, NULL, why, whylen);
}

/* HERALD_STAT_PACKETS of the stats nest (@attr of @obj): streams and outputs alike. */
struct packets_reply {
	int stats_attr;
	uint64_t *packets;
};

static int reply_packets(struct nlattr *obj, void *arg)
{
	struct packets_reply *r = arg;
	struct nlattr *a, *st;
	int rem, srem;

	nla_for_each_nested(a, obj, rem) {
		if (nla_type(a) != r->stats_attr)
			continue;
		nla_for_each_nested(st, a, srem)
			if (nla_type(st) == HERALD_STAT_PACKETS &&
			    nla_len(st) == (int)sizeof(uint64_t)) {
				*r->packets = nla_get_u64(st);
				return 0;
			}
	}
	return -1;
}

static int k_packets(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen)
{
	struct packets_reply r = { .stats_attr = HERALD_STREAM_A_STATS, .packets = packets };

	return id_request(ctx, HERALD_CMD_GET_STREAM, id, NULL, reply_packets, &r, why, whylen);
}

/* Outputs: the same requests with a HERALD_A_OUTPUT nest. */

static int build_output(struct nl_msg *msg, const void *req)
{
	const struct kernel_output_req *r = req;
	struct nlattr *nest = nla_nest_start(msg, HERALD_A_OUTPUT), *list;

	if (!nest ||
	    nla_put(msg, HERALD_OUTPUT_A_DST_ADDR, r->family == 6 ? 16 : 4, r->dst_addr) < 0 ||
	    nla_put_u16(msg, HERALD_OUTPUT_A_DST_PORT, r->dst_port) < 0 ||
	    nla_put_u8(msg, HERALD_OUTPUT_A_TTL, r->ttl) < 0 ||
	    (r->label[0] && nla_put_string(msg, HERALD_OUTPUT_A_LABEL, r->label) < 0) ||
	    (r->ifindex && nla_put_u32(msg, HERALD_OUTPUT_A_IFINDEX, r->ifindex) < 0))
		return -1;
	if (r->suite == HERALD_SUITE_NONE) {
		if (nla_put_flag(msg, HERALD_OUTPUT_A_PLAINTEXT) < 0)
			return -1;
	} else {
		if (nla_put_u32(msg, HERALD_OUTPUT_A_SUITE, r->suite) < 0)
			return -1;
		list = nla_nest_start(msg, HERALD_OUTPUT_A_KEYS);
		if (!list || herald_nl_put_key(msg, r->key.material, r->key.len, r->key.mki,
					       r->key.mki_len, true))
			return -1;
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int k_new_output(void *ctx, const struct kernel_output_req *req, uint32_t *id,
			char *why, size_t whylen)
{
	return new_object(ctx, HERALD_CMD_NEW_OUTPUT, HERALD_A_OUTPUT, HERALD_OUTPUT_A_ID,
			  "output", build_output, req, id, why, whylen);
}

/* HERALD_A_OUTPUT { ID [, KEYS { @key }] } for @cmd; @parse gets the answer. */
static int output_id_request(struct kernel *k, uint8_t cmd, uint32_t id,
			     const struct kernel_key *key, bool active, bool material,
			     int (*parse)(struct nlattr *output, void *arg), void *arg,
			     char *why, size_t whylen)
{
	struct nlattr *nest, *list;
	struct nl_msg *msg;
	int ret = resolve(k, why, whylen);

	if (ret)
		return ret;
	msg = request(k, cmd, why, whylen);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HERALD_A_OUTPUT);
	if (!nest || nla_put_u32(msg, HERALD_OUTPUT_A_ID, id) < 0)
		goto too_large;
	if (key) {
		list = nla_nest_start(msg, HERALD_OUTPUT_A_KEYS);
		if (!list || herald_nl_put_key(msg, key->material, material ? key->len : 0,
					       key->mki, key->mki_len, active))
			goto too_large;
		nla_nest_end(msg, list);
	}
	nla_nest_end(msg, nest);
	return transact_obj(k, msg, HERALD_A_OUTPUT, parse, arg, why, whylen);
too_large:
	herald_nl_msg_free(msg);
	snprintf(why, whylen, "request too large");
	return -EMSGSIZE;
}

static int k_del_output(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return output_id_request(ctx, HERALD_CMD_DEL_OUTPUT, id, NULL, false, false, NULL, NULL,
				 why, whylen);
}

static int k_output_add_key(void *ctx, uint32_t id, const struct kernel_key *key, bool active,
			    char *why, size_t whylen)
{
	return output_id_request(ctx, HERALD_CMD_ADD_KEY, id, key, active, true, NULL, NULL, why,
				 whylen);
}

static int k_output_del_key(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen)
{
	struct kernel_key name = { .mki = mki };

	return output_id_request(ctx, HERALD_CMD_DEL_KEY, id, &name, false, false, NULL, NULL,
				 why, whylen);
}

static int k_output_packets(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen)
{
	struct packets_reply r = { .stats_attr = HERALD_OUTPUT_A_STATS, .packets = packets };

	return output_id_request(ctx, HERALD_CMD_GET_OUTPUT, id, NULL, false, false,
				 reply_packets, &r, why, whylen);
}

const struct kernel_output_ops kernel_netlink_output_ops = {
	.new_output = k_new_output,
	.del_output = k_del_output,
	.add_key = k_output_add_key,
	.del_key = k_output_del_key,
	.packets = k_output_packets,
};

/* ---- sinks ---------------------------------------------------------------- */

static int build_sink(struct nl_msg *msg, const void *req)
{
	const struct kernel_sink_req *r = req;
	struct nlattr *nest = nla_nest_start(msg, HERALD_A_SINK);

	if (!nest || (r->label[0] && nla_put_string(msg, HERALD_SINK_A_LABEL, r->label) < 0) ||
	    (r->card_id[0] ? nla_put_string(msg, HERALD_SINK_A_CARD_ID, r->card_id) :
			     nla_put_u32(msg, HERALD_SINK_A_CARD, r->card)) < 0 ||
	    nla_put_u32(msg, HERALD_SINK_A_DEVICE, r->device) < 0 ||
	    nla_put_u32(msg, HERALD_SINK_A_RATE, r->rate) < 0 ||
	    nla_put_u32(msg, HERALD_SINK_A_PERIOD_FRAMES, r->period_frames) < 0 ||
	    nla_put_u32(msg, HERALD_SINK_A_BUFFER_FRAMES, r->buffer_frames) < 0 ||
	    nla_put_s32(msg, HERALD_SINK_A_VOLUME_DB, r->volume_db) < 0 ||
	    nla_put_s32(msg, HERALD_SINK_A_EMERGENCY_VOLUME_DB, r->emergency_volume_db) < 0 ||
	    nla_put_u32(msg, HERALD_SINK_A_TARGET_DELAY_MS, r->delay_ms) < 0)
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static int k_new_sink(void *ctx, const struct kernel_sink_req *req, uint32_t *id, char *why,
		      size_t whylen)
{
	return new_object(ctx, HERALD_CMD_NEW_SINK, HERALD_A_SINK, HERALD_SINK_A_ID, "sink",
			  build_sink, req, id, why, whylen);
}

/* DEL_SINK or GET_SINK of one sink: HERALD_A_SINK { ID }. */
static int sink_id_request(struct kernel *k, uint8_t cmd, uint32_t id, char *why, size_t whylen)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret = resolve(k, why, whylen);

	if (ret)
		return ret;
	msg = request(k, cmd, why, whylen);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HERALD_A_SINK);
	if (!nest || nla_put_u32(msg, HERALD_SINK_A_ID, id) < 0) {
		herald_nl_msg_free(msg);
		snprintf(why, whylen, "request too large");
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return transact_obj(k, msg, HERALD_A_SINK, NULL, NULL, why, whylen);
}

static int k_del_sink(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return sink_id_request(ctx, HERALD_CMD_DEL_SINK, id, why, whylen);
}

static int k_get_sink(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return sink_id_request(ctx, HERALD_CMD_GET_SINK, id, why, whylen);
}

const struct kernel_ops kernel_netlink_ops = {
	.new_stream = k_new_stream,
	.del_stream = k_del_stream,
	.add_key = k_add_key,
	.del_key = k_del_key,
	.set_outputs = k_set_outputs,
	.set_sound = k_set_sound,
	.packets = k_packets,
	.new_sink = k_new_sink,
	.del_sink = k_del_sink,
	.get_sink = k_get_sink,
};

static int push_policy(struct kernel *k, char *why, size_t whylen)
{
	struct nl_msg *msg = request(k, HERALD_CMD_SET_POLICY, why, whylen);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, HERALD_A_REQUIRE_ENCRYPTION, (uint8_t)k->policy) < 0) {
		herald_nl_msg_free(msg);
		snprintf(why, whylen, "request too large");
		return -EMSGSIZE;
	}
	return transact_obj(k, msg, HERALD_A_STREAM, NULL, NULL, why, whylen);
}

int kernel_set_policy(struct kernel *k, bool require, char *why, size_t whylen)
{
	int ret;

	k->policy = require;
	ret = find_family(k, why, whylen);
	return ret < 0 ? ret : push_policy(k, why, whylen);
}

struct output_reply {
	struct kernel_output_info *info;
	bool seen;
};

static int reply_output(struct nlattr *output, void *arg)
{
	static struct nla_policy pol[HERALD_OUTPUT_A_MAX + 1] = {
		[HERALD_OUTPUT_A_DST_ADDR] = { .type = NLA_UNSPEC },
		[HERALD_OUTPUT_A_DST_PORT] = { .type = NLA_U16 },
		[HERALD_OUTPUT_A_SUITE] = { .type = NLA_U32 },
		[HERALD_OUTPUT_A_PLAINTEXT] = { .type = NLA_FLAG },
	};
	struct nlattr *tb[HERALD_OUTPUT_A_MAX + 1];
	struct output_reply *r = arg;
	struct kernel_output_info *o = r->info;
	char addr[INET6_ADDRSTRLEN];
	int len;

	if (nla_parse_nested(tb, HERALD_OUTPUT_A_MAX, output, pol) < 0 ||
	    !tb[HERALD_OUTPUT_A_DST_ADDR] || !tb[HERALD_OUTPUT_A_DST_PORT])
		return -1;
	len = nla_len(tb[HERALD_OUTPUT_A_DST_ADDR]);
	if ((len != 4 && len != 16) ||
	    !inet_ntop(len == 4 ? AF_INET : AF_INET6, nla_data(tb[HERALD_OUTPUT_A_DST_ADDR]),
		       addr, sizeof(addr)))
		return -1;
	snprintf(o->peer, sizeof(o->peer), len == 4 ? "%s:%u" : "[%s]:%u", addr,
		 nla_get_u16(tb[HERALD_OUTPUT_A_DST_PORT]));
	o->plain = tb[HERALD_OUTPUT_A_PLAINTEXT] != NULL;
	o->suite = tb[HERALD_OUTPUT_A_SUITE] ? nla_get_u32(tb[HERALD_OUTPUT_A_SUITE])
					     : HERALD_SUITE_NONE;
	/* Neither a plaintext flag nor a suite: not a reply we can judge. */
	if (!o->plain && o->suite == HERALD_SUITE_NONE)
		return -1;
	r->seen = true;
	return 0;
}

int kernel_output_info(struct kernel *k, uint32_t id, struct kernel_output_info *info,
		       char *why, size_t whylen)
{
	struct output_reply r = { .info = info };
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret = resolve(k, why, whylen);

	if (ret)
		return ret;
	memset(info, 0, sizeof(*info));
	msg = request(k, HERALD_CMD_GET_OUTPUT, why, whylen);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, HERALD_A_OUTPUT);
	if (!nest || nla_put_u32(msg, HERALD_OUTPUT_A_ID, id) < 0) {
		herald_nl_msg_free(msg);
		snprintf(why, whylen, "request too large");
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	ret = transact_obj(k, msg, HERALD_A_OUTPUT, reply_output, &r, why, whylen);
	if (!ret && !r.seen) {
		snprintf(why, whylen, "the module answered no output");
		return -EBADMSG;
	}
	return ret;
}
