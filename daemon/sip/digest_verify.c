// SPDX-License-Identifier: GPL-2.0
/*
 * Digest authentication, server side: see digest_verify.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <openssl/crypto.h>

#include "digest_verify.h"

static bool is_token_char(char c)
{
	/* RFC 3261 25.1 token */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-.!%*_+`'~", c));
}

static const char *skip_lws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int fail(char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "Authorization: %s", what);
	return -1;
}

/* 8LHEX [RFC 7616 3.4]: exactly eight hex digits. */
static bool parse_nc(struct sip_str v, uint32_t *nc)
{
	uint32_t n = 0;
	size_t i;

	if (v.len != 8)
		return false;
	for (i = 0; i < 8; i++) {
		char c = v.p[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		n = n << 4 | d;
	}
	*nc = n;
	return true;
}

static bool lower_hex(struct sip_str v, size_t len)
{
	size_t i;

	if (v.len != len)
		return false;
	for (i = 0; i < len; i++)
		if (!((v.p[i] >= '0' && v.p[i] <= '9') || (v.p[i] >= 'a' && v.p[i] <= 'f')))
			return false;
	return true;
}

enum { P_USERNAME, P_REALM, P_NONCE, P_URI, P_RESPONSE, P_ALGORITHM, P_CNONCE, P_OPAQUE,
       P_QOP, P_NC, P_USERHASH, P_COUNT };

static const char *const pname[P_COUNT] = {
	"username", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "opaque",
	"qop", "nc", "userhash",
};

int digest_credentials_parse(struct sip_str value, struct digest_credentials *out,
			     char *why, size_t whylen)
{
	const char *p = value.p, *end = value.p + value.len;
	struct sip_str v[P_COUNT] = { 0 };
	bool seen[P_COUNT] = { 0 };
	unsigned int k;

	memset(out, 0, sizeof(*out));
	p = skip_lws(p, end);
	if ((size_t)(end - p) < 7 || strncasecmp(p, "Digest", 6) || (p[6] != ' ' && p[6] != '\t'))
		return fail(why, whylen, "not a Digest credential");
	p = skip_lws(p + 6, end);
	for (;;) {
		struct sip_str name, val;
		bool quoted = false;

		name.p = p;
		while (p < end && is_token_char(*p))
			p++;
		name.len = p - name.p;
		if (!name.len)
			return fail(why, whylen, "parameter name expected");
		p = skip_lws(p, end);
		if (p == end || *p != '=')
			return fail(why, whylen, "'=' expected after a parameter name");
		p = skip_lws(p + 1, end);
		if (p < end && *p == '"') {
			quoted = true;
			val.p = ++p;
			while (p < end && *p != '"') {
				unsigned char c = *p;

				if (c == '\\')
					return fail(why, whylen, "escaped character in a quoted value");
				if (c < 0x20 || c == 0x7f)
					return fail(why, whylen, "control character in a quoted value");
				p++;
			}
			if (p == end)
				return fail(why, whylen, "unterminated quoted value");
			val.len = p - val.p;
			p++;
		} else {
			val.p = p;
			while (p < end && is_token_char(*p))
				p++;
			val.len = p - val.p;
			if (!val.len)
				return fail(why, whylen, "parameter value expected");
		}
		for (k = 0; k < P_COUNT; k++)
			if (sip_str_caseeq(name, pname[k]))
				break;
		if (k < P_COUNT) {
			if (seen[k])
				return fail(why, whylen, "a parameter given twice");
			/* RFC 7616 3.4: these five are quoted-strings, nc and qop are not. */
			if (!quoted && k <= P_URI)
				return fail(why, whylen, "username, realm, nonce and uri must be quoted");
			seen[k] = true;
			v[k] = val;
		}
		/* Other auth-params are extensions [RFC 7616 3.4]: ignored. */
		p = skip_lws(p, end);
		if (p == end)
			break;
		if (*p != ',')
			return fail(why, whylen, "',' expected between parameters");
		p = skip_lws(p + 1, end);
	}
	for (k = P_USERNAME; k <= P_RESPONSE; k++) {
		if (!seen[k]) {
			snprintf(why, whylen, "Authorization: no %s", pname[k]);
			return -1;
		}
	}
	if (!v[P_USERNAME].len || !v[P_NONCE].len || !v[P_URI].len)
		return fail(why, whylen, "empty username, nonce or uri");
	if (seen[P_USERHASH] && !sip_str_caseeq(v[P_USERHASH], "false"))
		return fail(why, whylen, "userhash is not supported");
	if (!seen[P_ALGORITHM] || sip_str_caseeq(v[P_ALGORITHM], "MD5"))
		out->alg = DIGEST_MD5;
	else if (sip_str_caseeq(v[P_ALGORITHM], "SHA-256"))
		out->alg = DIGEST_SHA256;
	else
		return fail(why, whylen, "algorithm is neither MD5 nor SHA-256");
	if (seen[P_QOP]) {
		if (!sip_str_caseeq(v[P_QOP], "auth"))
			return fail(why, whylen, "qop is not auth");
		if (!seen[P_NC] || !seen[P_CNONCE] || !v[P_CNONCE].len)
			return fail(why, whylen, "qop=auth without nc or cnonce");
		if (!parse_nc(v[P_NC], &out->nc))
			return fail(why, whylen, "nc is not 8 hex digits");
		out->qop_auth = true;
	} else if (seen[P_NC] || seen[P_CNONCE]) {
		return fail(why, whylen, "nc or cnonce without qop");
	}
	/* The hashes' lowercase hex [RFC 7616 3.4.1]. */
	if (!lower_hex(v[P_RESPONSE], out->alg == DIGEST_SHA256 ? 64 : 32))
		return fail(why, whylen, "response is not the algorithm's hash in lowercase hex");
	out->username = v[P_USERNAME];
	out->realm = v[P_REALM];
	out->nonce = v[P_NONCE];
	out->uri = v[P_URI];
	out->response = v[P_RESPONSE];
	out->cnonce = v[P_CNONCE];
	out->opaque = v[P_OPAQUE];
	return 0;
}

/* @s as a C string in @dst; false if it does not fit. */
static bool cstr(char *dst, size_t size, struct sip_str s)
{
	if (s.len >= size)
		return false;
	if (s.len)		/* an absent value is { NULL, 0 } */
		memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return true;
}

bool digest_verify(const struct digest_credentials *cr, const char *method, const char *password)
{
	struct digest_challenge c = { .alg = cr->alg, .qop_auth = cr->qop_auth };
	char user[256], uri[1024], cnonce[256], want[2 * 64 + 1];
	bool ok;

	if (!cstr(c.realm, sizeof(c.realm), cr->realm) || !cstr(c.nonce, sizeof(c.nonce), cr->nonce) ||
	    !cstr(user, sizeof(user), cr->username) || !cstr(uri, sizeof(uri), cr->uri) ||
	    !cstr(cnonce, sizeof(cnonce), cr->cnonce))
		return false;
	if (digest_response(&c, user, password, method, uri, cnonce, cr->nc, want, sizeof(want)))
		return false;
	/* The lengths are the algorithm's, no secret; the bytes are compared in constant time. */
	ok = strlen(want) == cr->response.len && !CRYPTO_memcmp(want, cr->response.p, cr->response.len);
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

int digest_nonce_new(struct digest_nonces *ns, uint64_t now_ms, char out[DIGEST_NONCE_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	struct digest_nonce_slot *s = &ns->slot[0];
	unsigned char r[DIGEST_NONCE_HEX / 2];
	unsigned int i;

	/* GRND_NONBLOCK: the loop must not wait for the pool at early boot. */
	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		return -1;
	/* A free slot, else the oldest: a flood of challenges only ends older ones early. */
	for (i = 0; i < DIGEST_NONCE_SLOTS; i++) {
		if (!ns->slot[i].nonce[0]) {
			s = &ns->slot[i];
			break;
		}
		if (ns->slot[i].issued_ms < s->issued_ms)
			s = &ns->slot[i];
	}
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = digits[r[i] >> 4];
		out[2 * i + 1] = digits[r[i] & 15];
	}
	out[DIGEST_NONCE_HEX] = '\0';
	memcpy(s->nonce, out, DIGEST_NONCE_HEX + 1);
	s->issued_ms = now_ms;
	s->last_nc = 0;
	s->used = false;
	return 0;
}

enum digest_nonce_state digest_nonce_use(struct digest_nonces *ns, struct sip_str nonce,
					 uint32_t nc, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < DIGEST_NONCE_SLOTS; i++) {
		struct digest_nonce_slot *s = &ns->slot[i];

		if (!s->nonce[0] || !sip_str_eq(nonce, s->nonce))
			continue;
		if (now_ms - s->issued_ms > DIGEST_NONCE_LIFETIME_MS) {
			s->nonce[0] = '\0';
			return DIGEST_NONCE_STALE;
		}
		if (s->used && nc <= s->last_nc)
			return DIGEST_NONCE_REPLAY;
		s->used = true;
		s->last_nc = nc;
		return DIGEST_NONCE_OK;
	}
	return DIGEST_NONCE_STALE;
}
