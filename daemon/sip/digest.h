/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP digest authentication, client side (RFC 3261 22.4, RFC 7616 for the
 * algorithms and qop, RFC 8760 for SHA-256 in SIP).
 *
 * The WWW-/Proxy-Authenticate header itself is parsed by msg.c into struct
 * sip_challenge; this file checks what it can use (strictly: an unknown
 * algorithm or a challenge without realm or nonce is refused, never
 * guessed), picks the strongest of several, and computes the Authorization
 * value. Hashes come from OpenSSL's EVP.
 */
#ifndef HERALDD_SIP_DIGEST_H
#define HERALDD_SIP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

enum digest_alg {
	DIGEST_MD5,
	DIGEST_SHA256,
};

/* Longest values kept from a challenge; longer ones are refused. */
#define DIGEST_MAX_REALM	128
#define DIGEST_MAX_NONCE	256
#define DIGEST_MAX_OPAQUE	256

/* A usable challenge, copied out of the message (NUL-terminated strings). */
struct digest_challenge {
	bool proxy;			/* Proxy-Authenticate: answer with Proxy-Authorization */
	enum digest_alg alg;
	bool qop_auth;			/* qop=auth offered: we use it (cnonce, nc) */
	bool stale;
	char realm[DIGEST_MAX_REALM];
	char nonce[DIGEST_MAX_NONCE];
	char opaque[DIGEST_MAX_OPAQUE];
	bool has_opaque;
};

const char *digest_alg_name(enum digest_alg alg);	/* "MD5", "SHA-256" */

/*
 * Check one parsed challenge and copy it to @out. 0, or -1 with a reason in
 * @why (for the log and the registration status): not Digest, realm or
 * nonce missing, an algorithm other than MD5/SHA-256 (the -sess variants
 * and SHA-512-256 included), qop offered without "auth" (auth-int only),
 * or a value too long or with a character we could not quote back.
 */
int digest_challenge_from_sip(const struct sip_challenge *ch, struct digest_challenge *out,
			      char *why, size_t whylen);

/*
 * The best challenge of a 401/407: SHA-256 before MD5 (RFC 8760 3: the
 * client uses the strongest it supports), the first of equals. -1 with the
 * reason of the last refused one in @why when none is usable.
 */
int digest_pick(const struct sip_msg *resp, struct digest_challenge *out, char *why, size_t whylen);

/*
 * The "response" value, lowercase hex (33 bytes for MD5, 65 for SHA-256,
 * NUL included). @cnonce and @nc are used only with qop_auth. -1 if @hex is
 * too small or a hash fails. Intermediate secrets (HA1) are wiped.
 */
int digest_response(const struct digest_challenge *c, const char *user, const char *password,
		    const char *method, const char *uri, const char *cnonce, uint32_t nc,
		    char *hex, size_t hexlen);

/*
 * The whole header value: Digest username="...", realm=..., nonce, uri,
 * response, algorithm, and with qop: qop=auth, nc, cnonce; opaque if
 * given. Returns the length, or -1 if @out is too small, @user or @uri
 * holds a character that cannot be quoted (CR, LF, NUL, '"', '\'), or a
 * hash fails.
 */
int digest_authorization(const struct digest_challenge *c, const char *user,
			 const char *password, const char *method, const char *uri,
			 const char *cnonce, uint32_t nc, char *out, size_t outlen);

/* A fresh cnonce from the CSPRNG: 32 hex characters. 0 or -1. */
int digest_new_cnonce(char out[33]);

#endif
