// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/zones.c against a fake herald.ko (outputs and streams with their
 * keys, as the module keeps them), a fake loop clock (fake_loop.c) and a
 * fake UTC clock that moves with it: zones made per mode, live changes
 * that leave unchanged zones alone, key-only changes done in place, and the
 * rotation schedule.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/policy.h"
#include "../../daemon/status.h"
#include "../../daemon/zones.h"
#include "fake_loop.h"

#define K128 "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
#define K128B "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"
#define K128C "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0"

/* 2026-11-29T12:00:00Z: the fake wall clock at fake_now_ms 0. */
#define EPOCH_MS 1795953600000LL

struct fobj {
	bool alive, output;
	uint32_t mki[HERALD_MAX_KEYS];
	uint8_t first[HERALD_MAX_KEYS];		/* first byte of the material */
	unsigned int nkeys;
	uint32_t active;			/* outputs: MKI sent with */
	uint32_t sink, ifindex;
	uint16_t port;
	bool plain;
	bool tone;				/* streams: the sound, as requested */
	int32_t volume;
};

#define MAX_OBJ 128
static struct fobj obj[MAX_OBJ];		/* id = index; outputs and streams share ids */
static unsigned int next_id = 1, nops, fail_new, fail_sound;
/* What the last SET_STREAM of the sound named: the fields marked set. */
static struct kernel_stream_sound last_sound;
static unsigned int nsound;
/* How often zones said the outputs accounts page changed. */
static unsigned int told;
static bool module_absent;

static int64_t fake_utc(void)
{
	return EPOCH_MS + (int64_t)fake_now_ms;
}

static unsigned int fake_ifindex(const char *name)
{
	return !strcmp(name, "eth0") ? 2 : !strcmp(name, "eth1") ? 3 : 0;
}

static int absent(char *why, size_t whylen)
{
	snprintf(why, whylen, "herald module not loaded");
	return -ENOENT;
}

static void put_key(struct fobj *o, const struct kernel_key *k)
{
	o->mki[o->nkeys] = k->mki;
	o->first[o->nkeys] = k->material[0];
	o->nkeys++;
}

static int f_new_stream(void *ctx, const struct kernel_stream_req *req, uint32_t *id, char *why,
			size_t whylen)
{
	struct fobj *o;
	unsigned int i;

	nops++;
	if (module_absent)
		return absent(why, whylen);
	if (fail_new) {
		fail_new--;
		snprintf(why, whylen, "refused");
		return -EINVAL;
	}
	assert_int_equal(req->fd, -1);
	assert_int_equal(req->pt, -1);
	o = &obj[next_id];
	memset(o, 0, sizeof(*o));
	o->alive = true;
	o->sink = req->sink;
	o->ifindex = req->ifindex;
	o->port = req->local_port;
	o->plain = req->suite == HERALD_SUITE_NONE;
	o->tone = req->tone;
	o->volume = req->volume_offset_db;
	for (i = 0; i < req->nkeys; i++)
		put_key(o, &req->keys[i]);
	*id = next_id++;
	return 0;
}

static struct fobj *find(uint32_t id, bool output)
{
	assert_true(id > 0 && id < next_id);
	assert_true(obj[id].alive);
	assert_int_equal(obj[id].output, output);
	return &obj[id];
}

static int del_obj(uint32_t id, bool output)
{
	nops++;
	find(id, output)->alive = false;
	return 0;
}

static int f_del_stream(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return del_obj(id, false);
}

static int add_key(struct fobj *o, const struct kernel_key *k, char *why, size_t whylen)
{
	unsigned int i;

	/* What the module refuses (kmod/keyring.c). */
	if (o->nkeys == HERALD_MAX_KEYS || !k->mki_len)
		return -EINVAL;
	for (i = 0; i < o->nkeys; i++)
		if (o->mki[i] == k->mki)
			return -EEXIST;
	put_key(o, k);
	return 0;
}

static int del_key(struct fobj *o, uint32_t mki)
{
	unsigned int i;

	for (i = 0; i < o->nkeys; i++) {
		if (o->mki[i] != mki)
			continue;
		if (o->output && o->active == mki)
			return -EBUSY;
		memmove(&o->mki[i], &o->mki[i + 1], sizeof(o->mki[0]) * (o->nkeys - i - 1));
		memmove(&o->first[i], &o->first[i + 1], o->nkeys - i - 1);
		o->nkeys--;
		return 0;
	}
	return -ENOENT;
}

static int f_add_key(void *ctx, uint32_t id, const struct kernel_key *key, char *why,
		     size_t whylen)
{
	nops++;
	return add_key(find(id, false), key, why, whylen);
}

static int f_del_key(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen)
{
	nops++;
	return del_key(find(id, false), mki);
}

static int f_set_outputs(void *ctx, uint32_t id, const uint32_t *outputs, unsigned int n,
			 char *why, size_t whylen)
{
	fail();
	return 0;
}

static int f_set_sound(void *ctx, uint32_t id, const struct kernel_stream_sound *snd, char *why,
		       size_t whylen)
{
	struct fobj *o = find(id, false);

	nops++;
	nsound++;
	last_sound = *snd;
	if (fail_sound) {
		fail_sound--;
		snprintf(why, whylen, "Unknown attribute type");
		return -EINVAL;
	}
	if (snd->set_volume)
		o->volume = snd->volume_offset_db;
	if (snd->set_tone)
		o->tone = snd->tone;
	return 0;
}

static int f_packets(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen)
{
	find(id, false);
	*packets = 1000 + id;
	return 0;
}

static int f_new_output(void *ctx, const struct kernel_output_req *req, uint32_t *id, char *why,
			size_t whylen)
{
	struct fobj *o;

	nops++;
	if (module_absent)
		return absent(why, whylen);
	o = &obj[next_id];
	memset(o, 0, sizeof(*o));
	o->alive = true;
	o->output = true;
	o->ifindex = req->ifindex;
	o->port = req->dst_port;
	o->plain = req->suite == HERALD_SUITE_NONE;
	if (!o->plain) {
		put_key(o, &req->key);
		o->active = req->key.mki;
	}
	*id = next_id++;
	return 0;
}

static int f_del_output(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return del_obj(id, true);
}

static int f_out_add_key(void *ctx, uint32_t id, const struct kernel_key *key, bool active,
			 char *why, size_t whylen)
{
	struct fobj *o = find(id, true);
	int ret;

	nops++;
	ret = add_key(o, key, why, whylen);
	if (!ret && active)
		o->active = key->mki;
	return ret;
}

static int f_out_del_key(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen)
{
	nops++;
	return del_key(find(id, true), mki);
}

static int f_out_packets(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen)
{
	find(id, true);
	*packets = 2000 + id;
	return 0;
}

static const struct kernel_ops sops = {
	.new_stream = f_new_stream,
	.del_stream = f_del_stream,
	.add_key = f_add_key,
	.del_key = f_del_key,
	.set_outputs = f_set_outputs,
	.set_sound = f_set_sound,
	.packets = f_packets,
};

static const struct kernel_output_ops oops = {
	.new_output = f_new_output,
	.del_output = f_del_output,
	.add_key = f_out_add_key,
	.del_key = f_out_del_key,
	.packets = f_out_packets,
};

static int setup(void **state)
{
	memset(obj, 0, sizeof(obj));
	next_id = 1;
	nops = 0;
	fail_new = 0;
	fail_sound = 0;
	nsound = 0;
	told = 0;
	memset(&last_sound, 0, sizeof(last_sound));
	module_absent = false;
	fake_now_ms = 0;
	return 0;
}

static void outputs_changed(void *arg)
{
	told++;
}

static struct zones *new_zones(void)
{
	struct zones_env env = {
		.streams = &sops,
		.outputs = &oops,
		.now_ms = fake_utc,
		.ifindex = fake_ifindex,
		.outputs_changed = outputs_changed,
	};
	struct zones *z = zones_new(&env);

	assert_non_null(z);
	return z;
}

static void plan_of(const char *text, struct zones_plan *plan)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct zones_config c;
	char err[256];

	assert_non_null(fp);
	zones_config_defaults(&c);
	if (config_parse(zones_config_keys, &c, fp, "test.conf", err, sizeof(err)) ||
	    zones_config_check(&c, false, plan, err, sizeof(err))) {
		print_error("%s\n", err);
		fail();
	}
	fclose(fp);
}

static int apply(struct zones *z, const char *text)
{
	struct zones_plan plan;
	int ret;

	plan_of(text, &plan);
	ret = zones_apply(z, &plan);
	zones_plan_wipe(&plan);
	return ret;
}

static unsigned int alive(void)
{
	unsigned int i, n = 0;

	for (i = 1; i < next_id; i++)
		n += obj[i].alive;
	return n;
}

#define ZONE1 "mcast.zone1.address = 239.1.1.1\nmcast.zone1.port = 50001\n" \
	      "mcast.zone1.interface = eth0\n"
#define ZONE1_KEY "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128 "|1:1\n"
#define ZONE2 "mcast.zone2.address = ff05::2\nmcast.zone2.port = 50002\n" \
	      "mcast.zone2.plain = on\n"

static void transmitter(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;
	uint32_t out[4];

	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1 ZONE1_KEY ZONE2
			      "sip.u1.zones = 2,1\nsip.u2.zones = 2\n"), 0);
	zones_state(z, 1, &st);
	assert_true(st.up);
	assert_true(st.has_output);
	assert_false(st.has_stream);
	assert_int_equal(st.active_mki, 1);
	assert_true(obj[st.output_id].output);
	assert_int_equal(obj[st.output_id].ifindex, 2);
	assert_int_equal(obj[st.output_id].port, 50001);
	assert_int_equal(obj[st.output_id].first[0], 'Y');
	zones_state(z, 2, &st);
	assert_true(st.up);
	assert_true(obj[st.output_id].plain);
	assert_int_equal(obj[st.output_id].ifindex, 0);
	/* In zone order, whatever the list's order. */
	assert_int_equal(zones_account_outputs(z, 1, out, 4), 2);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(zones_account_outputs(z, 2, out, 4), 1);
	assert_int_equal(out[0], 2);
	assert_int_equal(zones_account_outputs(z, 3, out, 4), 0);
	assert_int_equal(zones_account_outputs(z, 1, out, 1), 1);
	/* The status names each zone, its role and what it runs on. */
	assert_non_null(strstr(status_text(), "\"zones\": {\"1\":{\"role\":\"transmitter\","
				"\"address\":\"239.1.1.1\",\"port\":50001,\"interface\":\"eth0\","
				"\"encrypted\":true,\"suite\":\"AES_CM_128_HMAC_SHA1_80\","
				"\"active_mki\":1,\"output_id\":1,\"sent\":2001,\"error\":\"\"}"));
	assert_non_null(strstr(status_text(), "\"2\":{\"role\":\"transmitter\","
				"\"address\":\"ff05::2\",\"port\":50002,\"interface\":\"\","
				"\"encrypted\":false,\"suite\":null,\"output_id\":2"));
	/* No key ever reaches the status. */
	assert_null(strstr(status_text(), K128));
	/* Each zone is a leg of the encryption status; the plain one an exception. */
	assert_string_equal(enc_status(), ENC_PARTIAL);
	assert_non_null(strstr(status_text(), "\"exceptions\": [\n    {\"leg\": \"zone:2\", "
				"\"peer\": \"[ff05::2]:50002\", "
				"\"reason\": \"plain RTP (mcast.zone2.plain = on)\"}]"));
	assert_non_null(strstr(status_text(), "\"leg\": \"zone:1\", \"peer\": \"239.1.1.1:50001\", "
				"\"encrypted\": true, \"detail\": \"SRTP AES_CM_128_HMAC_SHA1_80\""));
	zones_free(z);
	assert_int_equal(alive(), 0);
	/* Gone with the zones. */
	assert_string_equal(enc_status(), ENC_ENCRYPTED);
	assert_null(strstr(status_text(), "zone:"));
}

static void receiver(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;
	uint32_t out[4];

	zones_set_sink(z, 7);
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY
			      "mcast.zone1.priority = emergency\n" ZONE2 "sip.u1.zones = 1\n"), 0);
	zones_state(z, 1, &st);
	assert_true(st.up);
	assert_false(st.has_output);
	assert_true(st.has_stream);
	assert_int_equal(obj[st.stream_id].sink, 7);
	assert_int_equal(obj[st.stream_id].ifindex, 2);
	assert_int_equal(obj[st.stream_id].nkeys, 1);
	assert_int_equal(obj[st.stream_id].mki[0], 1);
	/* Receivers feed no call. */
	assert_int_equal(zones_account_outputs(z, 1, out, 4), 0);
	assert_non_null(strstr(status_text(), "\"role\":\"receiver\""));
	assert_non_null(strstr(status_text(), "\"stream_mkis\":[1],\"stream_id\":1,"
				"\"packets\":1001"));
	/* A new sink: the streams are made again with it. */
	zones_set_sink(z, 9);
	zones_state(z, 1, &st);
	assert_int_equal(obj[st.stream_id].sink, 9);
	assert_int_equal(alive(), 2);
	zones_free(z);
	assert_int_equal(alive(), 0);
}

static void both_and_off(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;

	assert_int_equal(apply(z, "mcast.mode = both\n" ZONE1 ZONE1_KEY), 0);
	zones_state(z, 1, &st);
	assert_true(st.has_output && st.has_stream);
	/* A new sink makes the stream again; the output stays. */
	{
		struct zone_state st2;

		zones_set_sink(z, 4);
		zones_state(z, 1, &st2);
		assert_int_equal(st2.output_id, st.output_id);
		assert_int_not_equal(st2.stream_id, st.stream_id);
		assert_int_equal(obj[st2.stream_id].sink, 4);
		assert_true(obj[st.output_id].alive);
		assert_false(obj[st.stream_id].alive);
	}
	assert_non_null(strstr(status_text(), "\"role\":\"both\""));
	assert_int_equal(apply(z, "mcast.mode = off\n" ZONE1 ZONE1_KEY), 0);
	assert_int_equal(alive(), 0);
	assert_non_null(strstr(status_text(), "\"zones\": {}\n"));
	zones_free(z);
}

/* Only what changed is made again; a key change alone is done in place. */
static void live_changes(void **state)
{
	struct zones *z = new_zones();
	struct zone_state a, b;
	unsigned int ops;

	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY ZONE2), 0);
	zones_state(z, 1, &a);
	zones_state(z, 2, &b);
	/* The same configuration again (SIGHUP with no change): nothing happens. */
	ops = nops;
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY ZONE2), 0);
	assert_int_equal(nops, ops);
	/* Zone 2 moves to another port: it alone is made again. */
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY
			      "mcast.zone2.address = ff05::2\nmcast.zone2.port = 50012\n"
			      "mcast.zone2.plain = on\n"), 0);
	{
		struct zone_state a2, b2;

		zones_state(z, 1, &a2);
		zones_state(z, 2, &b2);
		assert_int_equal(a2.stream_id, a.stream_id);
		assert_int_equal(a2.made, 1);
		assert_int_not_equal(b2.stream_id, b.stream_id);
		assert_false(obj[b.stream_id].alive);
		assert_int_equal(obj[b2.stream_id].port, 50012);
		assert_int_equal(b2.made, 2);
	}
	/* Zone 1 gets another key with another MKI: added, then the old one dropped, same stream. */
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"), 0);
	zones_state(z, 1, &b);
	assert_int_equal(b.stream_id, a.stream_id);
	assert_int_equal(obj[a.stream_id].nkeys, 1);
	assert_int_equal(obj[a.stream_id].mki[0], 2);
	assert_int_equal(obj[a.stream_id].first[0], 'A');
	/* Zone 2 went away with its stream. */
	assert_int_equal(alive(), 1);
	/* The same MKI with another key cannot be swapped in place: made again. */
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128C "|2:1\n"), 0);
	zones_state(z, 1, &b);
	assert_int_not_equal(b.stream_id, a.stream_id);
	assert_int_equal(obj[b.stream_id].first[0], '0');
	assert_int_equal(alive(), 1);
	/* A transmitter's key change in place: the new key active, the old gone. */
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1 ZONE1_KEY), 0);
	zones_state(z, 1, &a);
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"), 0);
	zones_state(z, 1, &b);
	assert_int_equal(b.output_id, a.output_id);
	assert_int_equal(obj[a.output_id].active, 2);
	assert_int_equal(obj[a.output_id].nkeys, 1);
	zones_free(z);
}

/*
 * A receiver zone's tone and volume offset: made with the stream, and a
 * change of only these is done in place with SET_STREAM naming just what
 * changed; a module that refuses it leaves the stream playing as it was,
 * the error reported and the change tried again on the tick.
 */
static void tone_and_volume(void **state)
{
	struct zones *z = new_zones();
	struct zone_state a, b;
	unsigned int ops;

	zones_set_sink(z, 5);
	/* Defaults: the request asks for neither (kernel.c then sends neither). */
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY ZONE2
			      "mcast.zone2.volume_db = -6\nmcast.zone2.tone = on\n"), 0);
	zones_state(z, 1, &a);
	assert_false(obj[a.stream_id].tone);
	assert_int_equal(obj[a.stream_id].volume, 0);
	zones_state(z, 2, &b);
	assert_true(obj[b.stream_id].tone);
	assert_int_equal(obj[b.stream_id].volume, -6);
	assert_true(b.tone);
	assert_int_equal(b.volume_db, -6);
	assert_int_equal(nsound, 0);
	assert_non_null(strstr(status_text(), "\"tone\":true,\"volume_db\":-6"));
	assert_non_null(strstr(status_text(), "\"tone\":false,\"volume_db\":0"));

	/* Zone 1 gets a volume offset: in place, the volume alone. */
	ops = nops;
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY
			      "mcast.zone1.volume_db = 12\n" ZONE2
			      "mcast.zone2.volume_db = -6\nmcast.zone2.tone = on\n"), 0);
	assert_int_equal(nops, ops + 1);
	assert_int_equal(nsound, 1);
	assert_true(last_sound.set_volume);
	assert_false(last_sound.set_tone);
	assert_int_equal(last_sound.volume_offset_db, 12);
	zones_state(z, 1, &b);
	assert_int_equal(b.stream_id, a.stream_id);
	assert_int_equal(b.made, 1);
	assert_int_equal(obj[a.stream_id].volume, 12);

	/* Zone 2 back to the defaults: both sent, as 0, on the same stream. */
	zones_state(z, 2, &a);
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY
			      "mcast.zone1.volume_db = 12\n" ZONE2), 0);
	assert_int_equal(nsound, 2);
	assert_true(last_sound.set_volume && last_sound.set_tone);
	assert_int_equal(last_sound.volume_offset_db, 0);
	assert_false(last_sound.tone);
	zones_state(z, 2, &b);
	assert_int_equal(b.stream_id, a.stream_id);
	assert_false(obj[b.stream_id].tone);
	assert_int_equal(obj[b.stream_id].volume, 0);

	/* Refused (a module without the attribute): the stream stays, the error says why. */
	fail_sound = 1;
	zones_state(z, 1, &a);
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY
			      "mcast.zone1.tone = on\nmcast.zone1.volume_db = 12\n" ZONE2), 1);
	zones_state(z, 1, &b);
	assert_int_equal(b.stream_id, a.stream_id);
	assert_true(obj[b.stream_id].alive);
	assert_false(b.tone);
	assert_string_equal(b.error, "stream tone/volume: Unknown attribute type");
	fake_advance(ZONES_TICK_MS);
	zones_state(z, 1, &b);
	assert_int_equal(b.stream_id, a.stream_id);
	assert_true(b.tone);
	assert_true(obj[b.stream_id].tone);
	assert_string_equal(b.error, "");

	/* A transmitter has no stream: the keys ask nothing of its output. */
	ops = nsound;
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1 ZONE1_KEY
			      "mcast.zone1.tone = on\n"), 0);
	assert_int_equal(nsound, ops);
	zones_free(z);
}

/*
 * Running calls follow the zones' outputs (call_feeds.h): zones say when
 * what zones_account_outputs() answers changed, and only then.
 */
static void tells_output_changes(void **state)
{
	struct zones *z = new_zones();
	uint32_t out[4];

	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1 ZONE1_KEY "sip.u1.zones = 1\n"),
			 0);
	assert_int_equal(told, 1);
	/* The same again, and a key changed in place: the output stays, nothing told. */
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1 ZONE1_KEY "sip.u1.zones = 1\n"),
			 0);
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"
			      "sip.u1.zones = 1\n"), 0);
	assert_int_equal(told, 1);
	/* A zone added to u1. */
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"
			      ZONE2 "sip.u1.zones = 1,2\n"), 0);
	assert_int_equal(told, 2);
	assert_int_equal(zones_account_outputs(z, 1, out, 4), 2);
	/* Zone 1 made anew (another port): another output id. */
	assert_int_equal(apply(z, "mcast.mode = transmitter\n"
			      "mcast.zone1.address = 239.1.1.1\nmcast.zone1.port = 50011\n"
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"
			      ZONE2 "sip.u1.zones = 1,2\n"), 0);
	assert_int_equal(told, 3);
	/* Zone 2 taken off u1 (it stays, for nobody). */
	assert_int_equal(apply(z, "mcast.mode = transmitter\n"
			      "mcast.zone1.address = 239.1.1.1\nmcast.zone1.port = 50011\n"
			      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n"
			      ZONE2 "sip.u1.zones = 1\n"), 0);
	assert_int_equal(told, 4);
	/* A zone made late, on the retry tick. */
	module_absent = true;
	assert_int_equal(apply(z, "mcast.mode = off\n"), 0);
	assert_int_equal(told, 5);
	assert_int_equal(apply(z, "mcast.mode = transmitter\n" ZONE1 ZONE1_KEY "sip.u1.zones = 1\n"),
			 1);
	/* u1's zones changed, though zone 1 has no output yet. */
	assert_int_equal(told, 6);
	assert_int_equal(zones_account_outputs(z, 1, out, 4), 0);
	module_absent = false;
	fake_advance(ZONES_TICK_MS);
	assert_int_equal(told, 7);
	assert_int_equal(zones_account_outputs(z, 1, out, 4), 1);
	zones_free(z);
}

#define ROTATING ZONE1 ZONE1_KEY \
	"mcast.zone1.next_key = AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2:1\n" \
	"mcast.zone1.next_key_at = 2026-11-29T12:10:00Z\nmcast.zone1.key_grace = 30\n"

static void rotation_schedule(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;
	uint32_t out, in;

	assert_int_equal(apply(z, "mcast.mode = both\n" ROTATING), 0);
	zones_state(z, 1, &st);
	out = st.output_id;
	in = st.stream_id;
	/* Receivers hold the next key at once; the transmitter still sends with the first. */
	assert_int_equal(obj[in].nkeys, 2);
	assert_int_equal(obj[out].active, 1);
	assert_int_equal(obj[out].nkeys, 1);
	/* One ms before 12:10 nothing has moved. */
	fake_advance(10 * 60 * 1000 - 1);
	assert_int_equal(obj[out].active, 1);
	fake_advance(1);
	/* At 12:10 the transmitter sends with MKI 2 and dropped MKI 1; receivers keep both. */
	assert_int_equal(obj[out].active, 2);
	assert_int_equal(obj[out].nkeys, 1);
	assert_int_equal(obj[out].mki[0], 2);
	assert_int_equal(obj[in].nkeys, 2);
	fake_advance(30 * 1000 - 1);
	assert_int_equal(obj[in].nkeys, 2);
	fake_advance(1);
	/* The grace is over: receivers drop MKI 1. */
	assert_int_equal(obj[in].nkeys, 1);
	assert_int_equal(obj[in].mki[0], 2);
	zones_state(z, 1, &st);
	assert_int_equal(st.output_id, out);
	assert_int_equal(st.stream_id, in);
	assert_int_equal(st.made, 1);
	/* The operator then makes the next key the key: nothing to do in the kernel. */
	{
		unsigned int ops = nops;

		assert_int_equal(apply(z, "mcast.mode = both\n" ZONE1
				      "mcast.zone1.key = AES_CM_128_HMAC_SHA1_80 inline:" K128B
				      "|2:1\n"), 0);
		assert_int_equal(nops, ops);
	}
	zones_free(z);
}

/* A configuration that arrives after next_key_at: the next key from the start. */
static void rotation_late(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;

	fake_now_ms = 10 * 60 * 1000 + 5000;	/* 12:10:05, within the grace */
	assert_int_equal(apply(z, "mcast.mode = both\n" ROTATING), 0);
	zones_state(z, 1, &st);
	assert_int_equal(obj[st.output_id].active, 2);
	assert_int_equal(obj[st.output_id].nkeys, 1);
	assert_int_equal(obj[st.stream_id].nkeys, 2);
	fake_advance(25 * 1000);
	assert_int_equal(obj[st.stream_id].nkeys, 1);
	assert_int_equal(obj[st.stream_id].mki[0], 2);
	zones_free(z);
}

/* What cannot be made is reported and retried on the tick. */
static void retry(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;

	module_absent = true;
	assert_int_equal(apply(z, "mcast.mode = receiver\n" ZONE1 ZONE1_KEY ZONE2), 2);
	zones_state(z, 1, &st);
	assert_false(st.up);
	assert_string_equal(st.error, "stream: herald module not loaded");
	assert_non_null(strstr(status_text(), "\"error\":\"stream: herald module not loaded\""));
	module_absent = false;
	fake_advance(ZONES_TICK_MS);
	zones_state(z, 1, &st);
	assert_true(st.up);
	assert_string_equal(st.error, "");
	assert_int_equal(alive(), 2);
	zones_free(z);
}

static void no_interface(void **state)
{
	struct zones *z = new_zones();
	struct zone_state st;

	assert_int_equal(apply(z, "mcast.mode = transmitter\n"
			      "mcast.zone3.address = 239.0.0.3\nmcast.zone3.port = 5000\n"
			      "mcast.zone3.interface = wlan9\nmcast.zone3.plain = on\n"), 1);
	zones_state(z, 3, &st);
	assert_false(st.up);
	assert_string_equal(st.error, "interface: no such interface");
	assert_int_equal(alive(), 0);
	zones_free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(transmitter, setup),
		cmocka_unit_test_setup(receiver, setup),
		cmocka_unit_test_setup(both_and_off, setup),
		cmocka_unit_test_setup(live_changes, setup),
		cmocka_unit_test_setup(tone_and_volume, setup),
		cmocka_unit_test_setup(tells_output_changes, setup),
		cmocka_unit_test_setup(rotation_schedule, setup),
		cmocka_unit_test_setup(rotation_late, setup),
		cmocka_unit_test_setup(retry, setup),
		cmocka_unit_test_setup(no_interface, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
