// SPDX-License-Identifier: GPL-2.0
/*
 * Digest authentication, client side: see digest.h.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "digest.h"

const char *digest_alg_name(enum digest_alg alg)
{
	return alg == DIGEST_SHA256 ? "SHA-256" : "MD5";
}

/*
 * Values we copy must be quotable again as they are: the Authorization
 * header repeats realm, nonce and opaque in quotes, and a '"' or '\' put
 * back unescaped would let a server inject parameters into our header.
 * msg.c already decoded quoted-pairs, so such a character here was escaped
 * on the wire; no real registrar sends one, and we refuse it.
 */
static bool quotable(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static int copy_value(struct sip_str s, char *dst, size_t size, const char *what,
		      char *why, size_t whylen)
{
	if (s.len >= size) {
		snprintf(why, whylen, "digest challenge: %s longer than %zu bytes", what, size - 1);
		return -1;
	}
	if (!quotable(s.p, s.len)) {
		snprintf(why, whylen, "digest challenge: %s holds a control, '\"' or '\\'", what);
		return -1;
	}
	memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return 0;
}

int digest_challenge_from_sip(const struct sip_challenge *ch, struct digest_challenge *out,
			      char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	out->proxy = ch->proxy;
	out->stale = ch->stale;
	if (!sip_str_caseeq(ch->scheme, "Digest")) {
		snprintf(why, whylen, "authentication scheme \"%.*s\" is not Digest",
			 (int)(ch->scheme.len > 32 ? 32 : ch->scheme.len), ch->scheme.p);
		return -1;
	}
	/* Absent means MD5 (RFC 7616 3.3); the token is case-insensitive. */
	if (!ch->algorithm.p || sip_str_caseeq(ch->algorithm, "MD5")) {
		out->alg = DIGEST_MD5;
	} else if (sip_str_caseeq(ch->algorithm, "SHA-256")) {
		out->alg = DIGEST_SHA256;
	} else {
		snprintf(why, whylen, "digest algorithm \"%.*s\" is not supported (MD5, SHA-256)",
			 (int)(ch->algorithm.len > 32 ? 32 : ch->algorithm.len), ch->algorithm.p);
		return -1;
	}
	if (!ch->realm.p || !ch->nonce.p || !ch->nonce.len) {
		snprintf(why, whylen, "digest challenge without %s", ch->realm.p ? "nonce" : "realm");
		return -1;
	}
	/*
	 * qop given but without "auth": only auth-int, which would hash the
	 * body; we do not implement it, and RFC 2069 mode is not a fallback
	 * the server offered.
	 */
	if (ch->qop.p && !ch->qop_auth) {
		snprintf(why, whylen, "digest qop \"%.*s\" offers no \"auth\"",
			 (int)(ch->qop.len > 32 ? 32 : ch->qop.len), ch->qop.p);
		return -1;
	}
	out->qop_auth = ch->qop_auth;
	if (copy_value(ch->realm, out->realm, sizeof(out->realm), "realm", why, whylen) ||
	    copy_value(ch->nonce, out->nonce, sizeof(out->nonce), "nonce", why, whylen))
		return -1;
	if (ch->opaque.p) {
		if (copy_value(ch->opaque, out->opaque, sizeof(out->opaque), "opaque", why, whylen))
			return -1;
		out->has_opaque = true;
	}
	return 0;
}

int digest_pick(const struct sip_msg *resp, struct digest_challenge *out, char *why, size_t whylen)
{
	struct digest_challenge c;
	bool have = false;
	unsigned int i;

	snprintf(why, whylen, "no WWW-Authenticate or Proxy-Authenticate challenge");
	for (i = 0; i < resp->nchallenge; i++) {
		if (digest_challenge_from_sip(&resp->challenge[i], &c, why, whylen))
			continue;
		if (!have || (c.alg == DIGEST_SHA256 && out->alg != DIGEST_SHA256)) {
			*out = c;
			have = true;
		}
	}
	if (have)
		why[0] = '\0';
	return have ? 0 : -1;
}

static const EVP_MD *md_of(enum digest_alg alg)
{
	return alg == DIGEST_SHA256 ? EVP_sha256() : EVP_md5();
}

/*
 * H(parts joined by ':') as lowercase hex into @hex (2 * digest size + 1).
 * A NULL ends the list.
 */
static int hash_hex(enum digest_alg alg, char *hex, size_t hexlen, const char *const *parts)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx;
	int ok;

	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -1;
	ok = EVP_DigestInit_ex(ctx, md_of(alg), NULL);
	for (i = 0; ok && parts[i]; i++) {
		if (i)
			ok = EVP_DigestUpdate(ctx, ":", 1);
		if (ok)
			ok = EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
	}
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok || hexlen < 2 * (size_t)mdlen + 1) {
		OPENSSL_cleanse(md, sizeof(md));
		return -1;
	}
	for (i = 0; i < mdlen; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * mdlen] = '\0';
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

int digest_response(const struct digest_challenge *c, const char *user, const char *password,
		    const char *method, const char *uri, const char *cnonce, uint32_t nc,
		    char *hex, size_t hexlen)
{
	char ha1[2 * EVP_MAX_MD_SIZE + 1], ha2[2 * EVP_MAX_MD_SIZE + 1], ncs[9];
	int ret = -1;

	/* RFC 7616 3.4.2 / 3.4.3 (RFC 2617 3.2.2.2 without qop). */
	if (hash_hex(c->alg, ha1, sizeof(ha1), (const char *const[]){ user, c->realm, password, NULL }))
		goto out;
	if (hash_hex(c->alg, ha2, sizeof(ha2), (const char *const[]){ method, uri, NULL }))
		goto out;
	if (c->qop_auth) {
		snprintf(ncs, sizeof(ncs), "%08x", nc);
		ret = hash_hex(c->alg, hex, hexlen, (const char *const[]){
			ha1, c->nonce, ncs, cnonce, "auth", ha2, NULL });
	} else {
		ret = hash_hex(c->alg, hex, hexlen, (const char *const[]){ ha1, c->nonce, ha2, NULL });
	}
out:
	/* HA1 stands for the password at this realm: as secret as it. */
	OPENSSL_cleanse(ha1, sizeof(ha1));
	return ret;
}

int digest_authorization(const struct digest_challenge *c, const char *user,
			 const char *password, const char *method, const char *uri,
			 const char *cnonce, uint32_t nc, char *out, size_t outlen)
{
	char resp[2 * EVP_MAX_MD_SIZE + 1];
	size_t len;
	int n;

	if (!quotable(user, strlen(user)) || !quotable(uri, strlen(uri)) ||
	    (c->qop_auth && !quotable(cnonce, strlen(cnonce))))
		return -1;
	if (digest_response(c, user, password, method, uri, cnonce, nc, resp, sizeof(resp)))
		return -1;
	n = snprintf(out, outlen,
		     "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
		     "response=\"%s\", algorithm=%s",
		     user, c->realm, c->nonce, uri, resp, digest_alg_name(c->alg));
	if (n < 0 || (size_t)n >= outlen)
		return -1;
	len = n;
	if (c->qop_auth) {
		n = snprintf(out + len, outlen - len, ", qop=auth, nc=%08x, cnonce=\"%s\"", nc, cnonce);
		if (n < 0 || (size_t)n >= outlen - len)
			return -1;
		len += n;
	}
	if (c->has_opaque) {
		n = snprintf(out + len, outlen - len, ", opaque=\"%s\"", c->opaque);
		if (n < 0 || (size_t)n >= outlen - len)
			return -1;
		len += n;
	}
	return (int)len;
}

int digest_new_cnonce(char out[33])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char r[16];
	int i;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	for (i = 0; i < 16; i++) {
		out[2 * i] = digits[r[i] >> 4];
		out[2 * i + 1] = digits[r[i] & 15];
	}
	out[32] = '\0';
	return 0;
}
