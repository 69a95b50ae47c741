// SPDX-License-Identifier: GPL-2.0
/*
 * SDES inline key parsing for the test tools. Strict on purpose: a typo in a
 * test key must fail loudly instead of turning into a different key.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sdes_key.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int b64_value(char c)
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

int sdes_base64_decode(const char *in, size_t inlen, uint8_t *out,
		       size_t outmax)
{
	uint32_t acc = 0;
	size_t i, n = 0, pad = 0;
	int bits = 0;

	/* Padding may only trail, at most two characters. */
	while (inlen && in[inlen - 1] == '=') {
		inlen--;
		if (++pad > 2)
			return -1;
	}
	if (inlen % 4 == 1)
		return -1;
	for (i = 0; i < inlen; i++) {
		int v = b64_value(in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outmax)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero, or two texts would map to one key. */
	if (bits && (acc & ((1u << bits) - 1)))
		return -1;
	return (int)n;
}

static int parse_u64(const char *s, size_t len, uint64_t *v)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return (errno || *end) ? -1 : 0;
}

static int parse_lifetime(const char *s, size_t len, uint64_t *v)
{
	uint64_t exp;

	if (len > 2 && s[0] == '2' && s[1] == '^') {
		if (parse_u64(s + 2, len - 2, &exp) || exp > 63)
			return -1;
		*v = 1ull << exp;
		return 0;
	}
	return parse_u64(s, len, v) || *v == 0 ? -1 : 0;
}

static int set_mki(const char *s, size_t len, struct sdes_key *k, char *err,
		   size_t errlen)
{
	const char *colon = memchr(s, ':', len);
	uint64_t id, mlen;
	unsigned int i;

	if (!colon || parse_u64(s, colon - s, &id) ||
	    parse_u64(colon + 1, len - (colon + 1 - s), &mlen))
		return fail(err, errlen, "MKI must be ID:LENGTH, got '%.*s'",
			    (int)len, s);
	if (mlen < 1 || mlen > SDES_MAX_MKI)
		return fail(err, errlen, "MKI length %" PRIu64 " not in 1..%d",
			    mlen, SDES_MAX_MKI);
	if (mlen < 8 && id >> (8 * mlen))
		return fail(err, errlen, "MKI %" PRIu64 " does not fit in %" PRIu64
			    " bytes", id, mlen);
	memset(k->mki, 0, sizeof(k->mki));
	for (i = 0; i < mlen && i < 8; i++)
		k->mki[mlen - 1 - i] = (uint8_t)(id >> (8 * i));
	k->mki_len = (unsigned int)mlen;
	k->mki_value = id;
	return 0;
}

int sdes_mki_parse(const char *text, struct sdes_key *k, char *err,
		   size_t errlen)
{
	return set_mki(text, strlen(text), k, err, errlen);
}

int sdes_key_parse(const char *text, struct sdes_key *k, char *err,
		   size_t errlen)
{
	const char *p = text, *bar, *field;
	size_t flen;
	int n;

	memset(k, 0, sizeof(*k));
	while (isspace((unsigned char)*p))
		p++;
	if (!strncmp(p, "inline:", 7))
		p += 7;
	flen = strcspn(p, "|");
	while (flen && isspace((unsigned char)p[flen - 1]))
		flen--;
	n = sdes_base64_decode(p, flen, k->key, sizeof(k->key));
	if (n <= 0)
		return fail(err, errlen, "key is not valid base64 of at most %d bytes",
			    SDES_MAX_KEY_SALT);
	k->len = (unsigned int)n;

	/* Optional parameters: a lifetime has no ':', an MKI has one. */
	for (bar = strchr(p, '|'); bar; bar = strchr(field, '|')) {
		field = bar + 1;
		flen = strcspn(field, "|");
		while (flen && isspace((unsigned char)field[flen - 1]))
			flen--;
		if (memchr(field, ':', flen)) {
			if (k->mki_len)
				return fail(err, errlen, "two MKIs in one key");
			if (set_mki(field, flen, k, err, errlen))
				return -1;
		} else {
			if (k->lifetime || k->mki_len)
				return fail(err, errlen,
					    "lifetime must precede the MKI, once");
			if (parse_lifetime(field, flen, &k->lifetime))
				return fail(err, errlen, "bad lifetime '%.*s'",
					    (int)flen, field);
		}
	}
	return 0;
}

int sdes_key_file(const char *path, struct sdes_key *keys, int max, char *err,
		  size_t errlen)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *s = line;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (n == max) {
			fclose(f);
			return fail(err, errlen, "%s: more than %d keys", path, max);
		}
		if (sdes_key_parse(s, &keys[n], err, errlen)) {
			fclose(f);
			return -1;
		}
		n++;
	}
	fclose(f);
	explicit_bzero(line, sizeof(line));
	if (!n)
		return fail(err, errlen, "%s: no key", path);
	return n;
}

void sdes_key_wipe(struct sdes_key *k)
{
	/* The MKI and lifetime are public and still needed to protect. */
	explicit_bzero(k->key, sizeof(k->key));
}
