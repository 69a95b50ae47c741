// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast paging zones: outputs and module-bound streams in herald.ko,
 * kept in step with the configuration and the key rotation schedule. See
 * zones.h.
 *
 * Level-triggered: for each zone the wanted state (its spec, its roles, the
 * sink) and the time decide which keys its objects should hold; realize()
 * makes the kernel match, from zones_apply(), the rotation timer and the
 * retry tick alike. Only a change that no key operation can express makes
 * a zone's objects anew.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "loop.h"
#include "policy.h"
#include "sdes.h"
#include "status.h"
#include "zones.h"

struct zone {
	/* Wanted. */
	struct zone_spec spec;		/* holds keys: wiped when dropped */
	bool tx, rx;

	/* In the kernel. */
	bool has_output, has_stream;
	uint32_t output_id, stream_id;
	uint32_t sink;			/* the stream was made with it */
	struct kernel_key okey;		/* the output's (active) key */
	struct kernel_key skeys[HERALD_MAX_KEYS];	/* the stream's keys */
	unsigned int nskeys;
	bool tone;			/* the stream's sound, as the module has it */
	int32_t volume_db;
	uint64_t sent, received;
	unsigned int made;
	char error[240];
};

struct zones {
	struct zones_env env;
	struct loop_timer *rotate;	/* the next rotation step of any zone */
	struct loop_timer *tick;	/* retries and counters */
	uint32_t sink;
	uint32_t account_zones[SIP_MAX_ACCOUNTS];
	struct zone zone[ZONES_MAX];
	/* What env->outputs_changed was last told about: each zone's output (0: none). */
	uint32_t told_outputs[ZONES_MAX];
	uint32_t told_accounts[SIP_MAX_ACCOUNTS];
};

static int64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_ms(const struct zones *z)
{
	return z->env.now_ms ? z->env.now_ms() : realtime_ms();
}

static bool key_equal(const struct kernel_key *a, const struct kernel_key *b)
{
	unsigned char diff = 0;
	size_t i;

	if (a->len != b->len || a->mki != b->mki || a->mki_len != b->mki_len)
		return false;
	/* Constant time over the material: it is a secret. */
	for (i = 0; i < a->len; i++)
		diff |= a->material[i] ^ b->material[i];
	return !diff;
}

/* The key a transmitter sends with at @t. */
static const struct kernel_key *tx_key(const struct zone_spec *s, int64_t t)
{
	return s->has_next && t >= s->next_at_ms ? &s->next : &s->key;
}

/* The keys a receiver accepts at @t: the next one from the start, the old one until the grace ends. */
static unsigned int rx_keys(const struct zone_spec *s, int64_t t, const struct kernel_key **out)
{
	unsigned int n = 0;

	if (!s->has_next || t < s->next_at_ms + s->grace_ms)
		out[n++] = &s->key;
	if (s->has_next)
		out[n++] = &s->next;
	return n;
}

/* When the keys wanted for zone @zn change next; INT64_MAX: never. */
static int64_t next_step(const struct zone *zn, int64_t t)
{
	const struct zone_spec *s = &zn->spec;
	int64_t step = INT64_MAX;

	if (!s->defined || s->plain || !s->has_next)
		return step;
	if (zn->tx && t < s->next_at_ms)
		step = s->next_at_ms;
	if (zn->rx && t < s->next_at_ms + s->grace_ms && s->next_at_ms + s->grace_ms < step)
		step = s->next_at_ms + s->grace_ms;
	return step;
}

static const char *role_name(const struct zone *zn)
{
	return zn->tx && zn->rx ? "both" : zn->tx ? "transmitter" : "receiver";
}

static void set_error(struct zone *zn, int n, const char *what, const char *why)
{
	char prev[sizeof(zn->error)];

	memcpy(prev, zn->error, sizeof(prev));
	snprintf(zn->error, sizeof(zn->error), "%s: %s", what, why);
	/* Retried every tick: say it once, not every ZONES_TICK_MS. */
	if (strcmp(prev, zn->error))
		log_warn("zone %d: %s", n, zn->error);
}

static void destroy_stream(struct zones *z, int n)
{
	struct zone *zn = &z->zone[n - 1];
	char why[200];

	if (zn->has_stream && z->env.streams->del_stream(z->env.kctx, zn->stream_id, why,
							  sizeof(why)))
		log_warn("zone %d: stream %u: delete: %s", n, zn->stream_id, why);
	zn->has_stream = false;
	explicit_bzero(zn->skeys, sizeof(zn->skeys));
	zn->nskeys = 0;
	zn->received = 0;
}

static void destroy(struct zones *z, int n)
{
	struct zone *zn = &z->zone[n - 1];
	char why[200];

	if (zn->has_output && z->env.outputs->del_output(z->env.kctx, zn->output_id, why,
							  sizeof(why)))
		log_warn("zone %d: output %u: delete: %s", n, zn->output_id, why);
	zn->has_output = false;
	kernel_key_wipe(&zn->okey);
	zn->sent = 0;
	destroy_stream(z, n);
}

/* 0, or the zone is left without objects and the reason in its error. */
static int resolve_ifindex(struct zones *z, int n, uint32_t *ifindex)
{
	struct zone *zn = &z->zone[n - 1];

	*ifindex = 0;
	if (!zn->spec.interface[0])
		return 0;
	*ifindex = z->env.ifindex ? z->env.ifindex(zn->spec.interface)
				  : if_nametoindex(zn->spec.interface);
	if (!*ifindex) {
		set_error(zn, n, "interface", "no such interface");
		return -1;
	}
	return 0;
}

static int make_output(struct zones *z, int n, uint32_t ifindex, int64_t t)
{
	struct zone *zn = &z->zone[n - 1];
	struct kernel_output_req req = {
		.family = zn->spec.family,
		.dst_port = zn->spec.port,
		.ifindex = ifindex,
		.ttl = zn->spec.ttl,
		.suite = zn->spec.suite,
	};
	char why[200];
	int ret;

	snprintf(req.label, sizeof(req.label), "zone%d", n);
	memcpy(req.dst_addr, zn->spec.addr, sizeof(req.dst_addr));
	if (!zn->spec.plain)
		req.key = *tx_key(&zn->spec, t);
	ret = z->env.outputs->new_output(z->env.kctx, &req, &zn->output_id, why, sizeof(why));
	if (ret) {
		kernel_key_wipe(&req.key);
		set_error(zn, n, "output", why);
		return ret;
	}
	zn->has_output = true;
	zn->okey = req.key;
	kernel_key_wipe(&req.key);
	return 0;
}

static int make_stream(struct zones *z, int n, uint32_t ifindex, int64_t t)
{
	struct zone *zn = &z->zone[n - 1];
	const struct kernel_key *keys[2];
	struct kernel_stream_req req = {
		.fd = -1,
		.family = zn->spec.family,
		.local_port = zn->spec.port,
		.ifindex = ifindex,
		.suite = zn->spec.suite,
		.priority = zn->spec.priority,
		.pt = -1,
		.sink = z->sink,
		.tone = zn->spec.tone,
		.volume_offset_db = zn->spec.volume_db,
	};
	unsigned int i;
	char why[200];
	int ret;

	snprintf(req.label, sizeof(req.label), "zone%d", n);
	memcpy(req.local_addr, zn->spec.addr, sizeof(req.local_addr));
	if (!zn->spec.plain) {
		req.nkeys = rx_keys(&zn->spec, t, keys);
		for (i = 0; i < req.nkeys; i++)
			req.keys[i] = *keys[i];
	}
	ret = z->env.streams->new_stream(z->env.kctx, &req, &zn->stream_id, why, sizeof(why));
	if (ret) {
		kernel_stream_req_wipe(&req);
		set_error(zn, n, "stream", why);
		return ret;
	}
	zn->has_stream = true;
	zn->sink = z->sink;
	zn->tone = req.tone;
	zn->volume_db = req.volume_offset_db;
	memcpy(zn->skeys, req.keys, sizeof(req.keys[0]) * req.nkeys);
	zn->nskeys = req.nkeys;
	kernel_stream_req_wipe(&req);
	return 0;
}

/* The output sends with the key wanted at @t: add it as the active one, then drop the old. */
static int sync_output(struct zones *z, int n, int64_t t)
{
	struct zone *zn = &z->zone[n - 1];
	const struct kernel_key *want = tx_key(&zn->spec, t);
	struct kernel_key old = zn->okey;
	char why[200];
	int ret = 0;

	if (zn->spec.plain || key_equal(want, &zn->okey))
		goto out;
	/* The same MKI with other material cannot sit beside the old key. */
	if (want->mki == old.mki) {
		ret = 1;
		goto out;
	}
	ret = z->env.outputs->add_key(z->env.kctx, zn->output_id, want, true, why, sizeof(why));
	if (ret) {
		set_error(zn, n, "output key", why);
		goto out;
	}
	zn->okey = *want;
	log_info("zone %d: output %u sends with the key of MKI %u", n, zn->output_id, want->mki);
	if (z->env.outputs->del_key(z->env.kctx, zn->output_id, old.mki, why, sizeof(why)))
		log_warn("zone %d: output %u: cannot drop the key of MKI %u: %s", n,
			 zn->output_id, old.mki, why);
out:
	kernel_key_wipe(&old);
	return ret;
}

static bool holds(const struct kernel_key *const *keys, unsigned int n, const struct kernel_key *k)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (key_equal(keys[i], k))
			return true;
	return false;
}

/*
 * The stream holds the keys wanted at @t: new ones are added before old
 * ones go, so there is no moment without the key in use. 1 when that
 * cannot be done in place (an MKI reused with other material, no MKI).
 */
static int sync_stream(struct zones *z, int n, int64_t t)
{
	struct zone *zn = &z->zone[n - 1];
	const struct kernel_key *want[2], *held[HERALD_MAX_KEYS];
	unsigned int nwant, i, j;
	char why[200];

	if (zn->spec.plain)
		return 0;
	nwant = rx_keys(&zn->spec, t, want);
	for (i = 0; i < zn->nskeys; i++)
		held[i] = &zn->skeys[i];
	for (i = 0; i < nwant; i++) {
		if (holds(held, zn->nskeys, want[i]))
			continue;
		for (j = 0; j < zn->nskeys; j++)
			if (zn->skeys[j].mki == want[i]->mki)
				return 1;
		if (zn->nskeys == HERALD_MAX_KEYS || !want[i]->mki_len)
			return 1;
		if (z->env.streams->add_key(z->env.kctx, zn->stream_id, want[i], why, sizeof(why))) {
			set_error(zn, n, "stream key", why);
			return -1;
		}
		zn->skeys[zn->nskeys++] = *want[i];
		log_info("zone %d: stream %u accepts the key of MKI %u", n, zn->stream_id,
			 want[i]->mki);
	}
	for (i = 0; i < zn->nskeys;) {
		struct kernel_key *k = &zn->skeys[i];

		if (holds(want, nwant, k)) {
			i++;
			continue;
		}
		if (z->env.streams->del_key(z->env.kctx, zn->stream_id, k->mki, why, sizeof(why))) {
			set_error(zn, n, "stream key", why);
			return -1;
		}
		log_info("zone %d: stream %u dropped the key of MKI %u", n, zn->stream_id, k->mki);
		memmove(k, k + 1, sizeof(*k) * (zn->nskeys - i - 1));
		zn->nskeys--;
		kernel_key_wipe(&zn->skeys[zn->nskeys]);
	}
	return 0;
}

/*
 * The stream's tone and volume offset as the spec says, changed in place:
 * only what differs is sent. 0, or -1 with the reason in the zone's error
 * (the stream plays on as it was; the next tick tries again).
 */
static int sync_sound(struct zones *z, int n)
{
	struct zone *zn = &z->zone[n - 1];
	struct kernel_stream_sound snd = {
		.set_volume = zn->volume_db != zn->spec.volume_db,
		.set_tone = zn->tone != zn->spec.tone,
		.volume_offset_db = zn->spec.volume_db,
		.tone = zn->spec.tone,
	};
	char why[200];

	if (!snd.set_volume && !snd.set_tone)
		return 0;
	if (z->env.streams->set_sound(z->env.kctx, zn->stream_id, &snd, why, sizeof(why))) {
		set_error(zn, n, "stream tone/volume", why);
		return -1;
	}
	zn->tone = snd.tone;
	zn->volume_db = snd.volume_offset_db;
	log_info("zone %d: stream %u: tone %s, volume offset %d dB", n, zn->stream_id,
		 zn->tone ? "on" : "off", zn->volume_db);
	return 0;
}

/* Make zone @n as wanted at @t. 0, or -1 with the reason in its error. */
static int realize_zone(struct zones *z, int n, int64_t t)
{
	struct zone *zn = &z->zone[n - 1];
	bool fresh = false;
	uint32_t ifindex;
	int ret;

	if (!zn->tx && !zn->rx) {
		destroy(z, n);
		zn->error[0] = '\0';
		return 0;
	}
	/* A receiver stream follows the sink only by being made again; an
	 * output of the same zone (mode both) stays.
	 */
	if (zn->has_stream && zn->sink != z->sink)
		destroy_stream(z, n);
	if ((zn->tx && !zn->has_output) || (zn->rx && !zn->has_stream)) {
		if (resolve_ifindex(z, n, &ifindex)) {
			destroy(z, n);
			return -1;
		}
		/* Only what is missing: the other object of the zone goes on. */
		if ((zn->tx && !zn->has_output && make_output(z, n, ifindex, t)) ||
		    (zn->rx && !zn->has_stream && make_stream(z, n, ifindex, t))) {
			destroy(z, n);
			return -1;
		}
		zn->made++;
		fresh = true;
		log_info("zone %d: %s on %s port %u%s", n, role_name(zn), zn->spec.interface[0] ?
			 zn->spec.interface : "any interface", zn->spec.port,
			 zn->spec.plain ? " (plain RTP)" : "");
	}
	ret = zn->tx ? sync_output(z, n, t) : 0;
	if (!ret && zn->rx)
		ret = sync_stream(z, n, t);
	if (ret > 0 && !fresh) {
		/* Keys that cannot change in place: the zone is made anew. */
		log_info("zone %d: new keys that cannot be swapped in place: making it anew", n);
		destroy(z, n);
		return realize_zone(z, n, t);
	}
	if (ret) {
		destroy(z, n);
		return -1;
	}
	if (zn->rx && sync_sound(z, n))
		return -1;
	zn->error[0] = '\0';
	return 0;
}

static void json_str(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = *len;

	if (n < size)
		buf[n++] = '"';
	for (; *s && n + 7 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			n += (size_t)snprintf(buf + n, size - n, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\u%04x", c);
		else
			buf[n++] = (char)c;
	}
	if (n < size)
		buf[n++] = '"';
	if (n < size)
		buf[n] = '\0';
	*len = n;
}

static void json_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void json_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/*
 * Every zone with an object in herald.ko is a leg of the encryption status
 * (policy.h): where it sends to or receives from, and how it is protected,
 * or that it is plain by the configuration's choice. Listed anew each time.
 */
static void publish_legs(struct zones *z)
{
	char id[16], peer[INET6_ADDRSTRLEN + 10], addr[INET6_ADDRSTRLEN], detail[96];
	int n;

	enc_hold();
	enc_leg_del_kind(ENC_LEG_ZONE);
	for (n = 1; n <= ZONES_MAX; n++) {
		const struct zone *zn = &z->zone[n - 1];
		const struct sdes_suite_info *info = sdes_suite_info(zn->spec.suite);

		if (!zn->has_output && !zn->has_stream)
			continue;
		inet_ntop(zn->spec.family == 6 ? AF_INET6 : AF_INET, zn->spec.addr, addr,
			  sizeof(addr));
		snprintf(peer, sizeof(peer), zn->spec.family == 6 ? "[%s]:%u" : "%s:%u", addr,
			 zn->spec.port);
		snprintf(id, sizeof(id), "%d", n);
		if (zn->spec.plain)
			snprintf(detail, sizeof(detail), "plain RTP (mcast.zone%d.plain = on)", n);
		else
			snprintf(detail, sizeof(detail), "SRTP %s", info ? info->name : "?");
		enc_leg_set(ENC_LEG_ZONE, id, peer, !zn->spec.plain, detail);
	}
	enc_release();
}

/* Read the counters, then "zones": {"N": {...}} into the status file. */
static void publish(struct zones *z, int64_t t)
{
	size_t size = 1024 + ZONES_MAX * 512, len = 0;
	char *buf = malloc(size), addr[INET6_ADDRSTRLEN], why[200];
	bool first = true;
	int n;

	if (!buf) {
		log_warn("zones: out of memory for the status");
		return;
	}
	publish_legs(z);
	json_add(buf, size, &len, "{");
	for (n = 1; n <= ZONES_MAX; n++) {
		struct zone *zn = &z->zone[n - 1];
		const struct sdes_suite_info *info = sdes_suite_info(zn->spec.suite);

		if (!zn->tx && !zn->rx)
			continue;
		if (zn->has_output)
			z->env.outputs->packets(z->env.kctx, zn->output_id, &zn->sent, why,
						sizeof(why));
		if (zn->has_stream)
			z->env.streams->packets(z->env.kctx, zn->stream_id, &zn->received, why,
						sizeof(why));
		inet_ntop(zn->spec.family == 6 ? AF_INET6 : AF_INET, zn->spec.addr, addr,
			  sizeof(addr));
		json_add(buf, size, &len, "%s\"%d\":{\"role\":\"%s\",\"address\":\"%s\","
			 "\"port\":%u,\"interface\":", first ? "" : ",", n, role_name(zn), addr,
			 zn->spec.port);
		json_str(buf, size, &len, zn->spec.interface);
		json_add(buf, size, &len, ",\"encrypted\":%s,\"suite\":",
			 zn->spec.plain ? "false" : "true");
		if (info)
			json_str(buf, size, &len, info->name);
		else
			json_add(buf, size, &len, "null");
		/* The key transmitters send with now, by the schedule. */
		if (!zn->spec.plain)
			json_add(buf, size, &len, ",\"active_mki\":%u", tx_key(&zn->spec, t)->mki);
		if (zn->has_stream && !zn->spec.plain) {
			unsigned int i;

			json_add(buf, size, &len, ",\"stream_mkis\":[");
			for (i = 0; i < zn->nskeys; i++)
				json_add(buf, size, &len, "%s%u", i ? "," : "", zn->skeys[i].mki);
			json_add(buf, size, &len, "]");
		}
		if (zn->has_output)
			json_add(buf, size, &len, ",\"output_id\":%u,\"sent\":%" PRIu64,
				 zn->output_id, zn->sent);
		if (zn->has_stream)
			json_add(buf, size, &len, ",\"stream_id\":%u,\"packets\":%" PRIu64
				 ",\"tone\":%s,\"volume_db\":%d", zn->stream_id, zn->received,
				 zn->tone ? "true" : "false", zn->volume_db);
		json_add(buf, size, &len, ",\"error\":");
		json_str(buf, size, &len, zn->error);
		json_add(buf, size, &len, "}");
		first = false;
	}
	json_add(buf, size, &len, "}");
	if (len < size)
		status_set_area("zones", buf);
	else
		log_warn("zones: status too large");
	free(buf);
}

static void arm_rotation(struct zones *z, int64_t t)
{
	int64_t step = INT64_MAX;
	int n;

	for (n = 1; n <= ZONES_MAX; n++) {
		int64_t s = next_step(&z->zone[n - 1], t);

		if (s < step)
			step = s;
	}
	/* The loop's timer runs on the monotonic clock: when it fires early
	 * against the wall clock, realize() finds nothing due and this arms
	 * it again for the rest.
	 */
	if (loop_timer_set(z->rotate, step == INT64_MAX ? 0 : (uint64_t)(step - t), 0))
		log_warn("zones: cannot arm the key rotation timer");
}

/* Tell env->outputs_changed when the outputs accounts page are not what it heard last. */
static void tell_outputs(struct zones *z)
{
	uint32_t now[ZONES_MAX];
	int n;

	for (n = 1; n <= ZONES_MAX; n++)
		now[n - 1] = z->zone[n - 1].has_output ? z->zone[n - 1].output_id : 0;
	if (!memcmp(now, z->told_outputs, sizeof(now)) &&
	    !memcmp(z->account_zones, z->told_accounts, sizeof(z->account_zones)))
		return;
	memcpy(z->told_outputs, now, sizeof(now));
	memcpy(z->told_accounts, z->account_zones, sizeof(z->account_zones));
	if (z->env.outputs_changed)
		z->env.outputs_changed(z->env.arg);
}

/* Every zone as wanted now; the number that failed. */
static int realize(struct zones *z)
{
	int64_t t = now_ms(z);
	int n, failed = 0;

	for (n = 1; n <= ZONES_MAX; n++)
		if (realize_zone(z, n, t))
			failed++;
	arm_rotation(z, t);
	publish(z, t);
	tell_outputs(z);
	return failed;
}

static void on_rotate(struct loop_timer *timer, void *arg)
{
	realize(arg);
}

static void on_tick(struct loop_timer *timer, void *arg)
{
	struct zones *z = arg;
	int n;

	/* With no zone there is nothing to retry and no counter to refresh. */
	for (n = 1; n <= ZONES_MAX; n++)
		if (z->zone[n - 1].tx || z->zone[n - 1].rx)
			break;
	if (n <= ZONES_MAX)
		realize(z);
}

struct zones *zones_new(const struct zones_env *env)
{
	struct zones *z = calloc(1, sizeof(*z));

	if (!z) {
		log_error("zones: out of memory");
		return NULL;
	}
	z->env = *env;
	z->rotate = loop_timer_new(env->loop, on_rotate, z);
	z->tick = loop_timer_new(env->loop, on_tick, z);
	if (!z->rotate || !z->tick || loop_timer_set(z->tick, ZONES_TICK_MS, ZONES_TICK_MS)) {
		log_error("zones: cannot make timers: %s", strerror(errno));
		zones_free(z);
		return NULL;
	}
	return z;
}

void zones_free(struct zones *z)
{
	int n;

	if (!z)
		return;
	for (n = 1; n <= ZONES_MAX; n++)
		destroy(z, n);
	enc_leg_del_kind(ENC_LEG_ZONE);
	loop_timer_free(z->rotate);
	loop_timer_free(z->tick);
	explicit_bzero(z, sizeof(*z));
	free(z);
}

/* What makes a zone's objects: if any of it changes they are made anew. */
static bool same_objects(const struct zone_spec *a, const struct zone_spec *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, sizeof(a->addr)) &&
	       a->port == b->port && !strcmp(a->interface, b->interface) && a->ttl == b->ttl &&
	       a->plain == b->plain && a->suite == b->suite && a->priority == b->priority;
}

int zones_apply(struct zones *z, const struct zones_plan *plan)
{
	bool tx = plan->mode == ZONES_TRANSMITTER || plan->mode == ZONES_BOTH;
	bool rx = plan->mode == ZONES_RECEIVER || plan->mode == ZONES_BOTH;
	int n;

	for (n = 1; n <= ZONES_MAX; n++) {
		struct zone *zn = &z->zone[n - 1];
		const struct zone_spec *s = &plan->zone[n - 1];
		bool ntx = s->defined && tx, nrx = s->defined && rx;

		if (!zn->tx && !zn->rx && !ntx && !nrx)
			continue;
		if (zn->tx != ntx || zn->rx != nrx || !same_objects(&zn->spec, s)) {
			destroy(z, n);
		}
		explicit_bzero(&zn->spec, sizeof(zn->spec));
		zn->spec = *s;
		zn->tx = ntx;
		zn->rx = nrx;
	}
	memcpy(z->account_zones, plan->account_zones, sizeof(z->account_zones));
	return realize(z);
}

void zones_set_sink(struct zones *z, uint32_t sink)
{
	if (z->sink == sink)
		return;
	z->sink = sink;
	realize(z);
}

unsigned int zones_account_outputs(const struct zones *z, int acct, uint32_t *out,
				   unsigned int max)
{
	unsigned int count = 0;
	int n;

	if (acct < 1 || acct > SIP_MAX_ACCOUNTS)
		return 0;
	for (n = 1; n <= ZONES_MAX && count < max; n++)
		if ((z->account_zones[acct - 1] & (1u << (n - 1))) && z->zone[n - 1].has_output)
			out[count++] = z->zone[n - 1].output_id;
	return count;
}

void zones_state(const struct zones *z, int n, struct zone_state *st)
{
	const struct zone *zn = &z->zone[n - 1];
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->has_output = zn->has_output;
	st->has_stream = zn->has_stream;
	st->up = (zn->tx || zn->rx) && (!zn->tx || zn->has_output) && (!zn->rx || zn->has_stream);
	st->output_id = zn->output_id;
	st->stream_id = zn->stream_id;
	if (zn->has_output) {
		st->active_mki = zn->okey.mki;
		st->nkeys = zn->spec.plain ? 0 : 1;
		st->mkis[0] = zn->okey.mki;
	}
	if (zn->has_stream) {
		st->nkeys = zn->nskeys;
		for (i = 0; i < zn->nskeys; i++)
			st->mkis[i] = zn->skeys[i].mki;
		if (!zn->has_output && !zn->spec.plain)
			st->active_mki = tx_key(&zn->spec, now_ms(z))->mki;
	}
	st->tone = zn->tone;
	st->volume_db = zn->volume_db;
	st->sent = zn->sent;
	st->received = zn->received;
	st->made = zn->made;
	st->error = zn->error;
}
