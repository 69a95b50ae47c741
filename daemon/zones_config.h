/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast paging zones: the mcast.* keys and sip.uN.zones, and the checks
 * between them (docs/zones.md, docs/configuration.md).
 *
 * config.c embeds struct zones_config in struct heraldd_config and
 * ZONES_CONFIG_KEYS() in its table, as it does for call_config.h, and runs
 * zones_config_check() from heraldd_config_check(). The check resolves the
 * text into a struct zones_plan (addresses, decoded keys, times) that
 * zones.c applies; a plan holds key material and is wiped after use.
 */
#ifndef HERALDD_ZONES_CONFIG_H
#define HERALDD_ZONES_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_parse.h"
#include "kernel.h"
#include "sip/sip_config.h"

#define ZONES_MAX		16	/* mcast.zone1 .. mcast.zone16 */
#define ZONES_KEY_TEXT_MAX	160	/* "SUITE inline:<64 base64>|2^31|MKI:LEN" and room */
#define ZONES_DEFAULT_GRACE_S	60
/* IFNAMSIZ, without <net/if.h>, which clashes with the <linux/if.h> the uapi pulls in. */
#define ZONES_IFNAME_MAX	16

enum zones_mode {
	ZONES_OFF,
	ZONES_TRANSMITTER,	/* an output per zone, fed by the calls of its accounts */
	ZONES_RECEIVER,		/* a module-bound stream per zone, playing on the sink */
	ZONES_BOTH,
};

/* Indexed by the priority key's value; the herald.ko level of each. */
enum zone_priority {
	ZONE_PRIO_NORMAL,
	ZONE_PRIO_PRIORITY,
	ZONE_PRIO_EMERGENCY,
};

extern const char *const zones_mode_names[];
extern const char *const zone_priority_names[];

/* One zone as written: a zone exists when its address is set. */
struct zone_cfg {
	char address[64];		/* IPv4 or IPv6 multicast group */
	int port;			/* 0: not set (required with an address); 0 in the range so
					 * the default writes back as a valid line */
	char interface[ZONES_IFNAME_MAX];	/* "": the route's choice (transmitter), any (receiver) */
	int ttl;			/* TTL / hop limit of what we send */
	char key[ZONES_KEY_TEXT_MAX];	/* "SUITE inline:KEY[|LIFETIME][|MKI:LEN]" */
	bool plain;			/* plain RTP: must be said, never implied */
	int priority;			/* enum zone_priority */
	char next_key[ZONES_KEY_TEXT_MAX];	/* the key that takes over at next_key_at */
	char next_key_at[32];		/* UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	int key_grace_s;		/* receivers keep the old key this long after */
	bool tone;			/* receivers: the sink's pre-announce tone before each page */
	int volume_db;			/* receivers: added to the sink's volume for its pages */
};

struct zones_config {
	int mode;			/* enum zones_mode */
	struct zone_cfg zone[ZONES_MAX];
	char account_zones[SIP_MAX_ACCOUNTS][64];	/* sip.uN.zones: "1,3" */
};

#define ZONE_CFG_KEYS(S, m, n) \
	CFG_KEY_STRING("mcast.zone" #n ".address", S, m zone[n - 1].address), \
	CFG_KEY_INT("mcast.zone" #n ".port", S, m zone[n - 1].port, 0, 65535), \
	CFG_KEY_STRING("mcast.zone" #n ".interface", S, m zone[n - 1].interface), \
	CFG_KEY_INT("mcast.zone" #n ".ttl", S, m zone[n - 1].ttl, 1, 255), \
	CFG_KEY_SECRET("mcast.zone" #n ".key", S, m zone[n - 1].key), \
	CFG_KEY_BOOL("mcast.zone" #n ".plain", S, m zone[n - 1].plain), \
	CFG_KEY_ENUM("mcast.zone" #n ".priority", S, m zone[n - 1].priority, \
		     zone_priority_names), \
	CFG_KEY_SECRET("mcast.zone" #n ".next_key", S, m zone[n - 1].next_key), \
	CFG_KEY_STRING("mcast.zone" #n ".next_key_at", S, m zone[n - 1].next_key_at), \
	CFG_KEY_INT("mcast.zone" #n ".key_grace", S, m zone[n - 1].key_grace_s, 0, 86400), \
	CFG_KEY_BOOL("mcast.zone" #n ".tone", S, m zone[n - 1].tone), \
	CFG_KEY_INT("mcast.zone" #n ".volume_db", S, m zone[n - 1].volume_db, \
		    HERALD_STREAM_VOLUME_OFFSET_DB_MIN, HERALD_STREAM_VOLUME_OFFSET_DB_MAX)

/* The rows for a table whose struct @S holds a struct zones_config at @m (with its dot). */
#define ZONES_CONFIG_KEYS(S, m) \
	CFG_KEY_ENUM("mcast.mode", S, m mode, zones_mode_names), \
	ZONE_CFG_KEYS(S, m, 1), ZONE_CFG_KEYS(S, m, 2), ZONE_CFG_KEYS(S, m, 3), \
	ZONE_CFG_KEYS(S, m, 4), ZONE_CFG_KEYS(S, m, 5), ZONE_CFG_KEYS(S, m, 6), \
	ZONE_CFG_KEYS(S, m, 7), ZONE_CFG_KEYS(S, m, 8), ZONE_CFG_KEYS(S, m, 9), \
	ZONE_CFG_KEYS(S, m, 10), ZONE_CFG_KEYS(S, m, 11), ZONE_CFG_KEYS(S, m, 12), \
	ZONE_CFG_KEYS(S, m, 13), ZONE_CFG_KEYS(S, m, 14), ZONE_CFG_KEYS(S, m, 15), \
	ZONE_CFG_KEYS(S, m, 16), \
	CFG_KEY_STRING("sip.u1.zones", S, m account_zones[0]), \
	CFG_KEY_STRING("sip.u2.zones", S, m account_zones[1]), \
	CFG_KEY_STRING("sip.u3.zones", S, m account_zones[2]), \
	CFG_KEY_STRING("sip.u4.zones", S, m account_zones[3])

/* The table alone (NULL-terminated), for tests that parse just these keys. */
extern const struct cfg_key zones_config_keys[];

void zones_config_defaults(struct zones_config *c);

/* A zone resolved: what zones.c hands to herald.ko. */
struct zone_spec {
	bool defined;
	int family;			/* 4 or 6 */
	uint8_t addr[16];		/* network order; 4 bytes used for IPv4 */
	uint16_t port;
	char interface[ZONES_IFNAME_MAX];
	uint8_t ttl;
	bool plain;
	enum herald_suite suite;	/* HERALD_SUITE_NONE when plain */
	uint8_t priority;		/* enum herald_priority */
	struct kernel_key key;
	bool has_next;
	struct kernel_key next;
	int64_t next_at_ms;		/* UTC, ms since the epoch */
	int64_t grace_ms;
	/* How its pages sound on the sink: changed in place (SET_STREAM). */
	bool tone;
	int32_t volume_db;
};

struct zones_plan {
	int mode;			/* enum zones_mode */
	struct zone_spec zone[ZONES_MAX];
	uint32_t account_zones[SIP_MAX_ACCOUNTS];	/* bit n - 1: zone n */
};

/*
 * Check what single keys cannot and resolve @c into @plan (may be NULL: check
 * only). A zone is an address that is a multicast group, a port, a key or
 * plain = on (not both, nor neither); next_key and next_key_at go together,
 * with an MKI on both keys, of one length, told apart, in one suite; keys of
 * a zone without an address are refused, as are sip.uN.zones naming a zone
 * that is not there. With @require_encryption a plain zone is refused.
 * 0, or -1 with the reason in @err (never quoting a key).
 */
int zones_config_check(const struct zones_config *c, bool require_encryption,
		       struct zones_plan *plan, char *err, size_t errlen);

void zones_plan_wipe(struct zones_plan *plan);

/* "2026-11-29T13:00:00Z" into ms since the epoch; -1 if it is not that form. */
int zones_parse_utc(const char *s, int64_t *ms);

#endif
