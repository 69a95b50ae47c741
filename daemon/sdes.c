// SPDX-License-Identifier: GPL-2.0
/*
 * SDES a=crypto lines (RFC 4568 sections 6, 9.1; RFC 6188; RFC 7714 12).
 * See sdes.h for the decisions taken where the RFCs and the field differ.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "sdes.h"

static const struct sdes_suite_info suites[] = {
	{ HERALD_SUITE_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 16, 14 },
	{ HERALD_SUITE_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", 16, 14 },
	{ HERALD_SUITE_AES_192_CM_HMAC_SHA1_80, "AES_192_CM_HMAC_SHA1_80", 24, 14 },
	{ HERALD_SUITE_AES_192_CM_HMAC_SHA1_32, "AES_192_CM_HMAC_SHA1_32", 24, 14 },
	{ HERALD_SUITE_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80", 32, 14 },
	{ HERALD_SUITE_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32", 32, 14 },
	{ HERALD_SUITE_AEAD_AES_128_GCM, "AEAD_AES_128_GCM", 16, 12 },
	{ HERALD_SUITE_AEAD_AES_256_GCM, "AEAD_AES_256_GCM", 32, 12 },
};

#define NSUITES (sizeof(suites) / sizeof(suites[0]))

/* Non-standard spellings of supported suites. */
static const struct {
	const char *name;
	enum herald_suite id;
} aliases[] = {
	{ "AES_CM_192_HMAC_SHA1_80", HERALD_SUITE_AES_192_CM_HMAC_SHA1_80 },
	{ "AES_CM_192_HMAC_SHA1_32", HERALD_SUITE_AES_192_CM_HMAC_SHA1_32 },
	{ "AES_CM_256_HMAC_SHA1_80", HERALD_SUITE_AES_256_CM_HMAC_SHA1_80 },
	{ "AES_CM_256_HMAC_SHA1_32", HERALD_SUITE_AES_256_CM_HMAC_SHA1_32 },
};

/* Known suites herald does not implement, and why. */
static const struct {
	const char *name;
	const char *why;
} unsupported[] = {
	{ "F8_128_HMAC_SHA1_80", "AES-f8 mode is not supported" },
	{ "F8_128_HMAC_SHA1_32", "AES-f8 mode is not supported" },
	{ "AEAD_AES_128_GCM_8", "8-byte GCM tags are not supported" },
	{ "AEAD_AES_256_GCM_8", "8-byte GCM tags are not supported" },
	{ "SEED_CTR_128_HMAC_SHA1_80", "SEED is not supported" },
	{ "SEED_128_CCM_80", "SEED is not supported" },
	{ "SEED_128_GCM_96", "SEED is not supported" },
	{ "NULL_HMAC_SHA1_80", "unencrypted suites are refused" },
	{ "NULL_HMAC_SHA1_32", "unencrypted suites are refused" },
	{ "AES_CM_128_NULL_AUTH", "unauthenticated suites are refused" },
	{ "AES_256_CM_NULL_AUTH", "unauthenticated suites are refused" },
};

const struct sdes_suite_info *sdes_suite_info(enum herald_suite id)
{
	size_t i;

	for (i = 0; i < NSUITES; i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

static bool name_is(const char *name, size_t len, const char *lit)
{
	/* ABNF literals are case-insensitive (RFC 5234 2.3). */
	return strlen(lit) == len && !strncasecmp(name, lit, len);
}

static bool name_matches(const char *name, size_t len, const char *lit, bool exact)
{
	if (!exact)
		return name_is(name, len, lit);
	return strlen(lit) == len && !strncmp(name, lit, len);
}

static enum sdes_suite_status suite_find(const char *name, size_t len, bool exact,
					 enum herald_suite *id, const char **why)
{
	size_t i;

	*id = HERALD_SUITE_NONE;
	*why = NULL;
	for (i = 0; i < NSUITES; i++) {
		if (name_matches(name, len, suites[i].name, exact)) {
			*id = suites[i].id;
			return SDES_SUITE_OK;
		}
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (name_matches(name, len, aliases[i].name, exact)) {
			*id = aliases[i].id;
			return SDES_SUITE_ALIAS;
		}
	}
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		if (name_matches(name, len, unsupported[i].name, exact)) {
			*why = unsupported[i].why;
			return SDES_SUITE_UNSUPPORTED;
		}
	}
	*why = "unknown crypto suite";
	return SDES_SUITE_UNKNOWN;
}

enum sdes_suite_status sdes_suite_lookup(const char *name, size_t len, enum herald_suite *id,
					 const char **why)
{
	return suite_find(name, len, false, id, why);
}

const struct sdes_suite_info *sdes_suite_by_name(const char *name)
{
	enum herald_suite id;
	const char *why;

	if (!name)
		return NULL;
	switch (suite_find(name, strlen(name), true, &id, &why)) {
	case SDES_SUITE_OK:
	case SDES_SUITE_ALIAS:
		return sdes_suite_info(id);
	default:
		return NULL;
	}
}

/* ---- base64 -------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sdes_base64_encode(const uint8_t *in, size_t len, char *out, size_t size)
{
	size_t i, o = 0;

	if (size < (len + 2) / 3 * 4 + 1)
		return -1;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return (int)o;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int sdes_base64_decode(const char *in, size_t len, uint8_t *out, size_t size)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;

	while (pad < 2 && len > 0 && in[len - 1] == '=') {
		len--;
		pad++;
	}
	if (pad && (len + pad) % 4)
		return -1;
	if (len % 4 == 1)
		return -1;
	for (i = 0; i < len; i++) {
		int v = b64val(in[i]);

		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == size)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero (canonical encoding). */
	if (acc & ((1u << bits) - 1))
		return -1;
	return (int)o;
}

/* ---- parse --------------------------------------------------------------- */

static int fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* All of [p, p+len) decimal, at most @maxdigits digits. */
static bool parse_dec(const char *p, size_t len, unsigned int maxdigits, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len || len > maxdigits)
		return false;
	for (i = 0; i < len; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

static bool all_digits(const char *p, size_t len)
{
	size_t i;

	if (!len || len > 310)	/* 128 bytes: at most 309 decimal digits */
		return false;
	for (i = 0; i < len; i++)
		if (!is_digit(p[i]))
			return false;
	return true;
}

/* MKI ":" length, both decimal: value of any size, length 1..@max_len. */
static int parse_mki(const char *p, size_t len, unsigned int max_len, struct sdes_key *k,
		     char *why, size_t whylen)
{
	const char *colon = memchr(p, ':', len), *d = p;
	uint64_t v, n;

	if (!parse_dec(colon + 1, p + len - colon - 1, 3, &n) || n > SDES_MKI_LEN_LIMIT ||
	    !all_digits(p, colon - p))
		return fail(why, whylen, "bad MKI \"%.*s\": expected MKI:LENGTH, e.g. 1:1",
			    (int)len, p);
	if (!n || n > max_len)
		return fail(why, whylen, "MKI length %u not supported: 1 to %u bytes",
			    (unsigned int)n, max_len);
	k->has_mki = true;
	k->mki_len = (uint8_t)n;
	if (n > SDES_MAX_MKI_LEN)
		return 0;	/* valid, but too long for ->mki: the caller decides */
	while (d < colon - 1 && *d == '0')
		d++;
	if (!parse_dec(d, colon - d, 10, &v) || v > UINT32_MAX || (n < 4 && v >> (8 * n)))
		return fail(why, whylen, "MKI %.*s does not fit in %u byte%s", (int)(colon - p), p,
			    (unsigned int)n, n == 1 ? "" : "s");
	k->mki = (uint32_t)v;
	return 0;
}

/* Decimal or 2^n, 1 .. 2^48 packets (RFC 3711 9.2 caps SRTP there). */
static bool parse_lifetime(const char *p, size_t len, uint64_t *lifetime)
{
	uint64_t v;

	if (len > 2 && p[0] == '2' && p[1] == '^') {
		if (!parse_dec(p + 2, len - 2, 2, &v) || v > 48)
			return false;
		*lifetime = 1ull << v;
		return true;
	}
	if (!parse_dec(p, len, 15, &v) || !v || v > 1ull << 48)
		return false;
	*lifetime = v;
	return true;
}

static bool len_of_some_suite(size_t len)
{
	size_t i;

	for (i = 0; i < NSUITES; i++)
		if (len == (size_t)suites[i].key_len + suites[i].salt_len)
			return true;
	return false;
}

int sdes_check_key_len(size_t len, const struct sdes_suite_info *suite, char *why,
		       size_t whylen)
{
	if (len == (size_t)suite->key_len + suite->salt_len)
		return 0;
	return fail(why, whylen, "%zu bytes of key material, %s takes %u (key %u + salt %u)",
		    len, suite->name, suite->key_len + suite->salt_len, suite->key_len,
		    suite->salt_len);
}

/* Up to two fields after the key, in this order: lifetime, then MKI:LEN. */
static int parse_key_fields(const char *bar, const char *end, unsigned int max_mki_len,
			    struct sdes_key *k, char *why, size_t whylen)
{
	unsigned int nfields = 0;
	const char *field;
	size_t flen;

	while (bar) {
		field = bar + 1;
		bar = memchr(field, '|', end - field);
		flen = (size_t)((bar ? bar : end) - field);
		if (++nfields > 2 || k->has_mki)
			return fail(why, whylen, "too many |-separated fields after the key");
		if (memchr(field, ':', flen)) {
			if (parse_mki(field, flen, max_mki_len, k, why, whylen))
				return -1;
		} else if (nfields > 1) {
			return fail(why, whylen,
				    "expected MKI:LENGTH after the lifetime, not \"%.*s\"",
				    (int)flen, field);
		} else if (!parse_lifetime(field, flen, &k->lifetime)) {
			return fail(why, whylen,
				    "bad lifetime \"%.*s\": expected a number or 2^N, N up to 48",
				    (int)flen, field);
		} else {
			k->has_lifetime = true;
		}
	}
	return 0;
}

int sdes_key_param_parse(const char *p, size_t len, const struct sdes_suite_info *suite,
			 unsigned int max_mki_len, struct sdes_key *k, char *why, size_t whylen)
{
	const char *end = p + len, *bar;
	int got;

	memset(k, 0, sizeof(*k));
	if (why && whylen)
		why[0] = '\0';
	if (len < 7 || strncasecmp(p, "inline:", 7))
		return fail(why, whylen, "key method is not inline:");
	p += 7;
	bar = memchr(p, '|', end - p);
	got = sdes_base64_decode(p, (bar ? bar : end) - p, k->key, sizeof(k->key));
	if (got <= 0) {
		fail(why, whylen, "the inline key is not valid base64 of at most %d bytes",
		     SDES_MAX_KEY_LEN);
		goto err;
	}
	k->len = (uint8_t)got;
	if (parse_key_fields(bar, end, max_mki_len, k, why, whylen))
		goto err;
	if (suite) {
		if (sdes_check_key_len(k->len, suite, why, whylen))
			goto err;
	} else if (!len_of_some_suite(k->len)) {
		fail(why, whylen, "%u bytes of key material fit no suite", k->len);
		goto err;
	}
	return 0;
err:
	explicit_bzero(k, sizeof(*k));
	return -1;
}

static int parse_session_param(struct sdes_crypto *c, const char *p, size_t len,
			       char *why, size_t whylen)
{
	uint64_t v;

	if (name_is(p, len, "UNENCRYPTED_SRTP")) {
		c->unencrypted_srtp = true;
	} else if (name_is(p, len, "UNENCRYPTED_SRTCP")) {
		c->unencrypted_srtcp = true;
	} else if (name_is(p, len, "UNAUTHENTICATED_SRTP")) {
		c->unauthenticated_srtp = true;
	} else if (len > 4 && !strncasecmp(p, "KDR=", 4)) {
		if (c->kdr >= 0 || !parse_dec(p + 4, len - 4, 2, &v) || v > 24)
			return fail(why, whylen, "bad KDR");
		c->kdr = (int)v;
	} else if (len > 4 && !strncasecmp(p, "WSH=", 4)) {
		if (c->wsh >= 0 || !parse_dec(p + 4, len - 4, 10, &v) || v < 64)
			return fail(why, whylen, "bad WSH");
		c->wsh = (int64_t)v;
	} else if (name_is(p, len, "FEC_ORDER=FEC_SRTP")) {
		c->fec_order = SDES_FEC_FEC_SRTP;
	} else if (name_is(p, len, "FEC_ORDER=SRTP_FEC")) {
		c->fec_order = SDES_FEC_SRTP_FEC;
	} else if (len > 8 && !strncasecmp(p, "FEC_KEY=", 8)) {
		/* Keys for the FEC stream: unused, as herald does no FEC. */
		c->fec_key = true;
	} else if (p[0] != '-') {
		c->unknown_param = true;
	}
	return 0;
}

int sdes_parse(const char *value, size_t len, struct sdes_crypto *c, char *why, size_t whylen)
{
	const char *p = value, *end = value + len, *sp, *kp_end;
	const struct sdes_suite_info *info;
	uint64_t v;
	unsigned int i, j;

	memset(c, 0, sizeof(*c));
	c->kdr = -1;
	c->wsh = -1;
	if (why && whylen)
		why[0] = '\0';
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;

	/* tag */
	sp = memchr(p, ' ', end - p);
	if (!sp || !parse_dec(p, sp - p, 9, &v))
		return fail(why, whylen, "bad tag");
	c->tag = (uint32_t)v;
	p = sp + 1;

	/* suite */
	sp = memchr(p, ' ', end - p);
	if (!sp || sp == p)
		return fail(why, whylen, "no crypto suite");
	for (i = 0; p + i < sp; i++) {
		char ch = p[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || is_digit(ch) ||
		      ch == '_'))
			return fail(why, whylen, "bad crypto suite name");
	}
	if ((size_t)(sp - p) > SDES_MAX_SUITE_NAME)
		return fail(why, whylen, "crypto suite name too long");
	memcpy(c->suite_name, p, sp - p);
	c->suite_name[sp - p] = '\0';
	c->status = sdes_suite_lookup(p, sp - p, &c->suite, &c->suite_why);
	p = sp + 1;
	if (p >= end || *p == ' ')
		return fail(why, whylen, "no key parameters");
	if (c->status == SDES_SUITE_UNSUPPORTED || c->status == SDES_SUITE_UNKNOWN)
		return 0;	/* their key syntax is theirs: not our business */
	info = sdes_suite_info(c->suite);

	/* key-params */
	kp_end = memchr(p, ' ', end - p);
	if (!kp_end)
		kp_end = end;
	while (p < kp_end) {
		const char *semi = memchr(p, ';', kp_end - p);
		const char *ke = semi ? semi : kp_end;

		if (c->nkeys == SDES_MAX_KEYS) {
			sdes_crypto_clear(c);
			return fail(why, whylen, "more than %d keys", SDES_MAX_KEYS);
		}
		if (sdes_key_param_parse(p, ke - p, info, SDES_MKI_LEN_LIMIT, &c->keys[c->nkeys],
					 why, whylen)) {
			sdes_crypto_clear(c);
			return -1;
		}
		if (c->keys[c->nkeys].mki_len > SDES_MAX_MKI_LEN)
			c->mki_unsupported = true;
		c->nkeys++;
		p = semi ? semi + 1 : kp_end;
		if (semi && p == kp_end) {
			sdes_crypto_clear(c);
			return fail(why, whylen, "empty key parameter");
		}
	}
	if (c->nkeys > 1) {
		for (i = 0; i < c->nkeys; i++) {
			if (!c->keys[i].has_mki || c->keys[i].mki_len != c->keys[0].mki_len) {
				sdes_crypto_clear(c);
				return fail(why, whylen, "several keys need MKIs of one length");
			}
			for (j = 0; j < i; j++) {
				if (c->keys[j].mki == c->keys[i].mki && !c->mki_unsupported) {
					sdes_crypto_clear(c);
					return fail(why, whylen, "two keys with one MKI");
				}
			}
		}
	}

	/* session-params */
	p = kp_end;
	while (p < end) {
		p++;	/* the SP */
		sp = memchr(p, ' ', end - p);
		if (!sp)
			sp = end;
		if (sp == p || parse_session_param(c, p, sp - p, why, whylen)) {
			sdes_crypto_clear(c);
			return fail(why, whylen, "bad session parameter");
		}
		p = sp;
	}
	return 0;
}

void sdes_crypto_clear(struct sdes_crypto *c)
{
	explicit_bzero(c->keys, sizeof(c->keys));
	c->nkeys = 0;
}

/* ---- choose -------------------------------------------------------------- */

static int pref_rank(enum herald_suite s, const enum herald_suite *allowed, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (allowed[i] == s)
			return (int)i;
	return -1;
}

const char *sdes_unusable(const struct sdes_crypto *c, const enum herald_suite *allowed,
			  unsigned int nallowed)
{
	if (c->status == SDES_SUITE_UNSUPPORTED)
		return c->suite_why ? c->suite_why : "unsupported crypto suite";
	if (c->status == SDES_SUITE_UNKNOWN)
		return "unknown crypto suite";
	if (pref_rank(c->suite, allowed, nallowed) < 0)
		return "crypto suite not allowed by configuration";
	if (!c->nkeys)
		return "no key";
	if (c->unencrypted_srtp || c->unencrypted_srtcp)
		return "UNENCRYPTED_SRTP/SRTCP is not supported";
	if (c->unauthenticated_srtp)
		return "UNAUTHENTICATED_SRTP is not supported";
	if (c->kdr > 0)
		return "key derivation rate other than 0 is not supported";
	if (c->mki_unsupported)
		return "MKI longer than 4 bytes is not supported";
	if (c->unknown_param)
		return "unknown mandatory session parameter";
	return NULL;
}

int sdes_choose(const struct sdes_crypto *lines, unsigned int n,
		const enum herald_suite *allowed, unsigned int nallowed,
		char *why, size_t whylen)
{
	int best = -1, best_rank = 0;
	size_t used = 0;
	unsigned int i;

	if (why && whylen)
		why[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *r = sdes_unusable(&lines[i], allowed, nallowed);
		int rank;

		if (r) {
			if (why && used < whylen) {
				int k = snprintf(why + used, whylen - used, "%stag %u %s: %s",
						 used ? "; " : "", lines[i].tag,
						 lines[i].suite_name, r);

				if (k > 0)
					used += (size_t)k;
			}
			continue;
		}
		rank = pref_rank(lines[i].suite, allowed, nallowed);
		if (best < 0 || rank < best_rank) {
			best = (int)i;
			best_rank = rank;
		}
	}
	if (best < 0 && why && whylen && !n)
		snprintf(why, whylen, "no crypto line");
	return best;
}

/* ---- answer -------------------------------------------------------------- */

int sdes_make_answer(const struct sdes_crypto *offer, struct sdes_local *ans)
{
	const struct sdes_suite_info *info = sdes_suite_info(offer->suite);
	size_t got = 0;

	memset(ans, 0, sizeof(*ans));
	if (!info || (offer->status != SDES_SUITE_OK && offer->status != SDES_SUITE_ALIAS)) {
		errno = EINVAL;
		return -1;
	}
	ans->tag = offer->tag;
	ans->suite = offer->suite;
	/* Repeat the offer's spelling: an alias user knows its own name. */
	memcpy(ans->suite_name, offer->suite_name, sizeof(ans->suite_name));
	ans->len = info->key_len + info->salt_len;
	while (got < ans->len) {
		ssize_t r = getrandom(ans->key + got, ans->len - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			sdes_local_clear(ans);
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int sdes_format(const struct sdes_local *l, char *buf, size_t size)
{
	char key[((SDES_MAX_KEY_LEN + 2) / 3) * 4 + 1];
	int n;

	if (!l->len || l->len > SDES_MAX_KEY_LEN ||
	    sdes_base64_encode(l->key, l->len, key, sizeof(key)) < 0)
		return -1;
	n = snprintf(buf, size, "%u %s inline:%s", l->tag, l->suite_name, key);
	explicit_bzero(key, sizeof(key));
	if (n < 0 || (size_t)n >= size) {
		if (size)
			explicit_bzero(buf, size);
		return -1;
	}
	return n;
}

void sdes_local_clear(struct sdes_local *l)
{
	explicit_bzero(l, sizeof(*l));
}
