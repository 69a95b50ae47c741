// SPDX-License-Identifier: GPL-2.0
/*
 * call.* and media.* configuration keys: defaults, table, list checks.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_config.h"

const char *const media_srtp_names[] = { "required", "optional", "off", NULL };

const struct cfg_key call_config_keys[] = {
	CALL_CONFIG_KEYS(struct call_config, ),
	{ .name = NULL },
};

/* The codecs herald.ko decodes; RFC 3551 static types and clocks (G.722's
 * RTP clock is 8000 although it samples at 16 kHz, RFC 3551 4.5.2).
 */
static const struct sdp_codec known_codecs[] = {
	{ "PCMU", 8000, 0 },
	{ "PCMA", 8000, 8 },
	{ "G722", 8000, 9 },
};

void call_config_defaults(struct call_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_calls = 4;
	c->answer_delay_ms = 0;
	c->port_min = 16384;
	c->port_max = 16999;
	c->srtp = MEDIA_SRTP_REQUIRED;
	c->timeout_s = 60;
	snprintf(c->codecs, sizeof(c->codecs), "PCMU,PCMA,G722");
	/* Strongest first: 256-bit keys, then AEAD over HMAC, then 80-bit tags. */
	snprintf(c->suites, sizeof(c->suites), "%s",
		 "AEAD_AES_256_GCM,AES_256_CM_HMAC_SHA1_80,AEAD_AES_128_GCM,"
		 "AES_192_CM_HMAC_SHA1_80,AES_CM_128_HMAC_SHA1_80,AES_256_CM_HMAC_SHA1_32,"
		 "AES_192_CM_HMAC_SHA1_32,AES_CM_128_HMAC_SHA1_32");
}

/* Split @list on commas (no blanks, no empty items) and call @item on each. */
static int each_item(const char *list, const char *key, char *err, size_t errlen,
		     int (*item)(const char *name, void *arg, char *err, size_t errlen),
		     void *arg)
{
	char name[64];
	const char *p = list, *end;
	size_t len;

	if (!*list) {
		snprintf(err, errlen, "%s: empty list", key);
		return -1;
	}
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!len || len >= sizeof(name) || memchr(p, ' ', len)) {
			snprintf(err, errlen, "%s: bad item \"%.*s\" (comma-separated, no blanks)",
				 key, (int)(len < 64 ? len : 64), p);
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (item(name, arg, err, errlen))
			return -1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int add_codec(const char *name, void *arg, char *err, size_t errlen)
{
	struct call_policy *pol = arg;
	unsigned int i;

	for (i = 0; i < pol->ncodecs; i++)
		if (!strcasecmp(pol->codecs[i].name, name))
			goto dup;
	for (i = 0; i < sizeof(known_codecs) / sizeof(known_codecs[0]); i++) {
		if (!strcasecmp(known_codecs[i].name, name)) {
			pol->codecs[pol->ncodecs++] = known_codecs[i];
			return 0;
		}
	}
	snprintf(err, errlen, "media.codecs: unknown codec \"%s\" (PCMU, PCMA, G722)", name);
	return -1;
dup:
	snprintf(err, errlen, "media.codecs: \"%s\" listed twice", name);
	return -1;
}

static int add_suite(const char *name, void *arg, char *err, size_t errlen)
{
	const struct sdes_suite_info *s = sdes_suite_by_name(name);
	struct call_policy *pol = arg;
	unsigned int i;

	if (!s) {
		snprintf(err, errlen, "media.suites: unknown suite \"%s\"", name);
		return -1;
	}
	for (i = 0; i < pol->nsuites; i++) {
		if (pol->suites[i] == s->id) {
			snprintf(err, errlen, "media.suites: \"%s\" listed twice", name);
			return -1;
		}
	}
	/* Eight distinct supported suites fit: the duplicate check bounds it. */
	pol->suites[pol->nsuites++] = s->id;
	return 0;
}

static int add_output(const char *name, void *arg, char *err, size_t errlen)
{
	struct call_policy *pol = arg;
	unsigned long v;
	char *end;

	if (pol->noutputs == HERALD_MAX_OUTPUTS) {
		snprintf(err, errlen, "media.outputs: more than %d outputs", HERALD_MAX_OUTPUTS);
		return -1;
	}
	if (name[0] < '1' || name[0] > '9' || strlen(name) > 10)
		goto bad;
	v = strtoul(name, &end, 10);
	if (*end || v > UINT32_MAX)
		goto bad;
	pol->outputs[pol->noutputs++] = (uint32_t)v;
	return 0;
bad:
	snprintf(err, errlen, "media.outputs: \"%s\" is not an output id", name);
	return -1;
}

int call_config_check(const struct call_config *c, struct call_policy *pol, char *err,
		      size_t errlen)
{
	unsigned char a[16];

	memset(pol, 0, sizeof(*pol));
	if (c->port_min > c->port_max) {
		snprintf(err, errlen, "media.port_min %d is above media.port_max %d",
			 c->port_min, c->port_max);
		return -1;
	}
	if (c->address[0] && inet_pton(AF_INET, c->address, a) != 1 &&
	    inet_pton(AF_INET6, c->address, a) != 1) {
		snprintf(err, errlen, "media.address: \"%s\" is not an IPv4 or IPv6 address",
			 c->address);
		return -1;
	}
	if (each_item(c->codecs, "media.codecs", err, errlen, add_codec, pol))
		return -1;
	/* With SRTP off the suites are unused, but a typo is still a typo. */
	if (each_item(c->suites, "media.suites", err, errlen, add_suite, pol))
		return -1;
	if (c->outputs[0] && each_item(c->outputs, "media.outputs", err, errlen, add_output, pol))
		return -1;
	return 0;
}
