/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast paging zones in herald.ko (docs/zones.md).
 *
 * A transmitter zone is an output: the calls of the accounts that page it
 * feed it, and it sends re-encrypted with the zone key (or plain, when the
 * zone says so) to the group. A receiver zone is a stream the module binds
 * to the group, joined on the zone's interface, decrypting with the zone
 * key and playing on the sink heraldd was given.
 *
 * zones_apply() takes each new configuration: only zones whose group,
 * port, interface, TTL, suite, plain flag, priority or role changed are
 * made anew; a zone whose keys alone changed gets them added and removed
 * in place, a receiver whose tone or volume offset alone changed gets them
 * with SET_STREAM, and the others are left alone, so their pages go on.
 *
 * Key rotation (mcast.zoneN.next_key at next_key_at): a receiver holds the
 * next key from the moment it knows it, next to the current one (packets
 * say by their MKI which one they use), and drops the old key key_grace
 * seconds after next_key_at; a transmitter switches to the next key at
 * next_key_at. A timer in the loop does both; it is armed for the next
 * such moment of any zone.
 *
 * What could not be made (module not loaded, no such interface, a refused
 * request) is retried every ZONES_TICK_MS and reported in the status area
 * "zones", which is rewritten on every change and on each tick with the
 * packet counters.
 */
#ifndef HERALDD_ZONES_H
#define HERALDD_ZONES_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "zones_config.h"

struct loop;

#define ZONES_TICK_MS 5000

struct zones_env {
	struct loop *loop;
	const struct kernel_ops *streams;
	const struct kernel_output_ops *outputs;
	void *kctx;
	/* UTC, ms since the epoch; NULL: CLOCK_REALTIME. Tests give a fake one. */
	int64_t (*now_ms)(void);
	/* Interface name to index, 0 if none; NULL: if_nametoindex(). */
	unsigned int (*ifindex)(const char *name);
	/*
	 * What zones_account_outputs() answers changed (an output made, made
	 * anew or gone, an account's zones changed): running calls follow
	 * (call_feeds.h). NULL: nobody to tell.
	 */
	void (*outputs_changed)(void *arg);
	void *arg;
};

struct zones;

/* @env is copied. NULL when out of memory (logged). */
struct zones *zones_new(const struct zones_env *env);
/* Deletes every zone's kernel objects and wipes the keys. */
void zones_free(struct zones *z);

/*
 * Take @plan (copied; the caller wipes its own) as the zones wanted now.
 * Returns the number of zones that could not be made as asked (each
 * logged and in the status, retried later).
 */
int zones_apply(struct zones *z, const struct zones_plan *plan);

/*
 * The herald.ko sink receiver zones play on (0: none; their streams still
 * count packets). Streams made before are made anew on a change.
 */
void zones_set_sink(struct zones *z, uint32_t sink);

/*
 * Output ids of the zones account @acct (1..SIP_MAX_ACCOUNTS) pages, as
 * they are now: up to @max of them into @out; returns how many. When that
 * changes, env->outputs_changed says so.
 */
unsigned int zones_account_outputs(const struct zones *z, int acct, uint32_t *out,
				   unsigned int max);

/* For tests and the status: zone @n (1..ZONES_MAX) as it is in the kernel. */
struct zone_state {
	bool up;			/* every object the zone's role needs exists */
	bool has_output, has_stream;
	uint32_t output_id, stream_id;
	uint32_t active_mki;		/* the output's key; receivers: the schedule's */
	unsigned int nkeys;		/* keys the stream (else the output) holds */
	uint32_t mkis[HERALD_MAX_KEYS];
	bool tone;			/* the stream's sound, as made or set */
	int32_t volume_db;
	uint64_t sent, received;	/* output and stream packet counters, last read */
	unsigned int made;		/* how many times it was (re)made */
	const char *error;		/* "" when none */
};
void zones_state(const struct zones *z, int n, struct zone_state *st);

#endif
