// SPDX-License-Identifier: GPL-2.0
/*
 * mcast.* and sip.uN.zones keys: defaults, table, and the checks that
 * resolve them into a struct zones_plan. See zones_config.h.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sdes.h"
#include "zones_config.h"

const char *const zones_mode_names[] = { "off", "transmitter", "receiver", "both", NULL };
const char *const zone_priority_names[] = { "normal", "priority", "emergency", NULL };

const struct cfg_key zones_config_keys[] = {
	ZONES_CONFIG_KEYS(struct zones_config, ),
	{ .name = NULL },
};

void zones_config_defaults(struct zones_config *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->mode = ZONES_OFF;
	for (i = 0; i < ZONES_MAX; i++) {
		/* A page stays on the local network unless the TTL is raised. */
		c->zone[i].ttl = 1;
		c->zone[i].priority = ZONE_PRIO_NORMAL;
		c->zone[i].key_grace_s = ZONES_DEFAULT_GRACE_S;
	}
}

void zones_plan_wipe(struct zones_plan *plan)
{
	explicit_bzero(plan, sizeof(*plan));
}

int zones_parse_utc(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	const char *end;
	time_t t;

	/* One form only: an offset or a local time would be read differently by each device. */
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end || strlen(s) != 20)
		return -1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000;
	return 0;
}

static const uint8_t herald_levels[] = {
	[ZONE_PRIO_NORMAL] = HERALD_PRIORITY_NORMAL,
	[ZONE_PRIO_PRIORITY] = HERALD_PRIORITY_PRIORITY,
	[ZONE_PRIO_EMERGENCY] = HERALD_PRIORITY_EMERGENCY,
};

/*
 * "SUITE inline:KEY[|LIFETIME][|MKI:LEN]", the SDES crypto attribute
 * without its tag (RFC 4568 9.1). The reason never quotes the key.
 */
static int parse_key(const char *text, const char *name, enum herald_suite *suite,
		     struct kernel_key *k, char *err, size_t errlen)
{
	const struct sdes_suite_info *info;
	const char *sp = strchr(text, ' ');
	char sname[SDES_MAX_SUITE_NAME + 1], why[160];
	struct sdes_key sk;
	size_t n;

	if (!sp || (size_t)(sp - text) > SDES_MAX_SUITE_NAME) {
		snprintf(err, errlen, "%s: expected \"SUITE inline:KEY[|LIFETIME][|MKI:LEN]\"",
			 name);
		return -1;
	}
	n = (size_t)(sp - text);
	memcpy(sname, text, n);
	sname[n] = '\0';
	info = sdes_suite_by_name(sname);
	if (!info) {
		snprintf(err, errlen, "%s: unknown crypto suite \"%s\"", name, sname);
		return -1;
	}
	while (*sp == ' ')
		sp++;
	if (sdes_key_param_parse(sp, strlen(sp), info, SDES_MAX_MKI_LEN, &sk, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", name, why);
		return -1;
	}
	*suite = info->id;
	memset(k, 0, sizeof(*k));
	memcpy(k->material, sk.key, sk.len);
	k->len = sk.len;
	k->mki = sk.has_mki ? sk.mki : 0;
	k->mki_len = sk.has_mki ? sk.mki_len : 0;
	explicit_bzero(&sk, sizeof(sk));
	return 0;
}

/* Something besides the address set: a zone without an address is a mistake. */
static const char *stray_key(const struct zone_cfg *z)
{
	if (z->port)
		return "port";
	if (z->interface[0])
		return "interface";
	if (z->ttl != 1)
		return "ttl";
	if (z->key[0])
		return "key";
	if (z->plain)
		return "plain";
	if (z->priority != ZONE_PRIO_NORMAL)
		return "priority";
	if (z->next_key[0])
		return "next_key";
	if (z->next_key_at[0])
		return "next_key_at";
	if (z->key_grace_s != ZONES_DEFAULT_GRACE_S)
		return "key_grace";
	if (z->tone)
		return "tone";
	if (z->volume_db)
		return "volume_db";
	return NULL;
}

static int check_address(const struct zone_cfg *z, int n, struct zone_spec *s, char *err,
			 size_t errlen)
{
	if (inet_pton(AF_INET, z->address, s->addr) == 1) {
		s->family = 4;
		/* 224.0.0.0/4 (RFC 5771); 224.0.0.0/24 is link-local control, never media. */
		if ((s->addr[0] & 0xf0) != 0xe0)
			goto not_mcast;
		if (s->addr[0] == 224 && s->addr[1] == 0 && s->addr[2] == 0) {
			snprintf(err, errlen, "mcast.zone%d.address: %s is in 224.0.0.0/24, "
				 "reserved for local network control", n, z->address);
			return -1;
		}
		return 0;
	}
	if (inet_pton(AF_INET6, z->address, s->addr) == 1) {
		s->family = 6;
		/* ff00::/8 (RFC 4291 2.7); scopes 0 (reserved) and 1 (this node) carry no page. */
		if (s->addr[0] != 0xff)
			goto not_mcast;
		if ((s->addr[1] & 0x0f) <= 1) {
			snprintf(err, errlen, "mcast.zone%d.address: %s has a reserved or "
				 "interface-local scope", n, z->address);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "mcast.zone%d.address: \"%s\" is not an IPv4 or IPv6 address", n,
		 z->address);
	return -1;
not_mcast:
	snprintf(err, errlen, "mcast.zone%d.address: %s is not a multicast group", n, z->address);
	return -1;
}

static int check_keys(const struct zone_cfg *z, int n, bool require_encryption,
		      struct zone_spec *s, char *err, size_t errlen)
{
	enum herald_suite next_suite;
	char name[48];

	if (z->plain) {
		if (require_encryption) {
			snprintf(err, errlen, "mcast.zone%d.plain: encryption is required "
				 "(policy.require_encryption)", n);
			return -1;
		}
		if (z->key[0] || z->next_key[0] || z->next_key_at[0]) {
			snprintf(err, errlen, "mcast.zone%d: plain = on and a key: choose one", n);
			return -1;
		}
		s->plain = true;
		s->suite = HERALD_SUITE_NONE;
		return 0;
	}
	if (!z->key[0]) {
		snprintf(err, errlen, "mcast.zone%d: no key; set mcast.zone%d.key, or "
			 "mcast.zone%d.plain = on for plain RTP", n, n, n);
		return -1;
	}
	snprintf(name, sizeof(name), "mcast.zone%d.key", n);
	if (parse_key(z->key, name, &s->suite, &s->key, err, errlen))
		return -1;
	if (!z->next_key[0] && !z->next_key_at[0])
		return 0;
	if (!z->next_key[0] || !z->next_key_at[0]) {
		snprintf(err, errlen, "mcast.zone%d: next_key and next_key_at go together", n);
		return -1;
	}
	if (zones_parse_utc(z->next_key_at, &s->next_at_ms)) {
		snprintf(err, errlen, "mcast.zone%d.next_key_at: \"%s\" is not a UTC time "
			 "\"YYYY-MM-DDTHH:MM:SSZ\"", n, z->next_key_at);
		return -1;
	}
	snprintf(name, sizeof(name), "mcast.zone%d.next_key", n);
	if (parse_key(z->next_key, name, &next_suite, &s->next, err, errlen))
		return -1;
	s->has_next = true;
	s->grace_ms = (int64_t)z->key_grace_s * 1000;
	/* Receivers hold both keys at once: packets must say which one they use. */
	if (next_suite != s->suite) {
		snprintf(err, errlen, "mcast.zone%d: next_key must use the suite of key", n);
		return -1;
	}
	if (!s->key.mki_len || s->key.mki_len != s->next.mki_len) {
		snprintf(err, errlen, "mcast.zone%d: key and next_key need an MKI of one length "
			 "to rotate (\"|MKI:LEN\")", n);
		return -1;
	}
	if (s->key.mki == s->next.mki) {
		snprintf(err, errlen, "mcast.zone%d: key and next_key have the same MKI %u", n,
			 s->key.mki);
		return -1;
	}
	return 0;
}

static int check_zone(const struct zone_cfg *z, int n, bool require_encryption,
		      struct zone_spec *s, char *err, size_t errlen)
{
	const char *stray;
	size_t i;

	if (!z->address[0]) {
		stray = stray_key(z);
		if (stray) {
			snprintf(err, errlen, "mcast.zone%d.%s without mcast.zone%d.address", n,
				 stray, n);
			return -1;
		}
		return 0;
	}
	if (check_address(z, n, s, err, errlen))
		return -1;
	if (!z->port) {
		snprintf(err, errlen, "mcast.zone%d: no port", n);
		return -1;
	}
	for (i = 0; z->interface[i]; i++) {
		char c = z->interface[i];

		/* What the kernel accepts as a name (dev_valid_name): no '/', ':' or blank. */
		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f) {
			snprintf(err, errlen, "mcast.zone%d.interface: \"%s\" is not an "
				 "interface name", n, z->interface);
			return -1;
		}
	}
	if (!strcmp(z->interface, ".") || !strcmp(z->interface, "..")) {
		snprintf(err, errlen, "mcast.zone%d.interface: \"%s\" is not an interface name", n,
			 z->interface);
		return -1;
	}
	if (check_keys(z, n, require_encryption, s, err, errlen))
		return -1;
	s->defined = true;
	s->port = (uint16_t)z->port;
	s->ttl = (uint8_t)z->ttl;
	s->priority = herald_levels[z->priority];
	s->tone = z->tone;
	s->volume_db = z->volume_db;
	memcpy(s->interface, z->interface, sizeof(s->interface));
	return 0;
}

/* Two zones on one group and port would be one stream for the receiver. */
static int check_distinct(const struct zones_plan *p, char *err, size_t errlen)
{
	int i, j;

	for (i = 0; i < ZONES_MAX; i++) {
		const struct zone_spec *a = &p->zone[i];

		for (j = i + 1; a->defined && j < ZONES_MAX; j++) {
			const struct zone_spec *b = &p->zone[j];

			if (b->defined && a->family == b->family && a->port == b->port &&
			    !memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16)) {
				snprintf(err, errlen, "mcast.zone%d and mcast.zone%d: the same "
					 "group and port", i + 1, j + 1);
				return -1;
			}
		}
	}
	return 0;
}

/* "1,3,5": zone numbers, each a defined zone, none twice. */
static int check_account(const char *list, int acct, const struct zones_plan *p, uint32_t *mask,
			 char *err, size_t errlen)
{
	const char *q = list;

	*mask = 0;
	if (!*list)
		return 0;
	for (;;) {
		char *end;
		long v;

		if (*q < '1' || *q > '9')
			goto bad;
		v = strtol(q, &end, 10);
		if (end == q || (*end && *end != ',') || v < 1 || v > ZONES_MAX)
			goto bad;
		if (!p->zone[v - 1].defined) {
			snprintf(err, errlen, "sip.u%d.zones: zone %ld is not defined "
				 "(no mcast.zone%ld.address)", acct, v, v);
			return -1;
		}
		if (*mask & (1u << (v - 1))) {
			snprintf(err, errlen, "sip.u%d.zones: zone %ld listed twice", acct, v);
			return -1;
		}
		*mask |= 1u << (v - 1);
		if (!*end)
			return 0;
		q = end + 1;
	}
bad:
	snprintf(err, errlen, "sip.u%d.zones: \"%s\" is not a list of zone numbers 1..%d "
		 "(\"1,3\", no blanks)", acct, list, ZONES_MAX);
	return -1;
}

int zones_config_check(const struct zones_config *c, bool require_encryption,
		       struct zones_plan *plan, char *err, size_t errlen)
{
	struct zones_plan *p = calloc(1, sizeof(*p));
	int i, ret = -1;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->mode = c->mode;
	for (i = 0; i < ZONES_MAX; i++)
		if (check_zone(&c->zone[i], i + 1, require_encryption, &p->zone[i], err, errlen))
			goto out;
	if (check_distinct(p, err, errlen))
		goto out;
	for (i = 0; i < SIP_MAX_ACCOUNTS; i++)
		if (check_account(c->account_zones[i], i + 1, p, &p->account_zones[i], err,
				  errlen))
			goto out;
	ret = 0;
	if (plan)
		*plan = *p;
out:
	zones_plan_wipe(p);
	free(p);
	return ret;
}
