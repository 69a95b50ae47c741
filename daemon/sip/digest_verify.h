/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP digest authentication, server side: what heraldd needs to check a
 * request from its registrar (today only NOTIFY check-sync, checksync.h).
 * The client side is digest.h; the hash is the same (digest_response()).
 *
 * Three pieces, each testable alone:
 *  - a strict parser of the Authorization header value (RFC 3261 25.1
 *    "credentials", RFC 7616 3.4): Digest, every known parameter at most
 *    once, username/realm/nonce/uri/response present, qop only "auth" and
 *    then nc (8 hex digits) and cnonce required, algorithm MD5 or SHA-256,
 *    response the hash's length in lowercase hex; quoted values must not
 *    hold '\' (nobody needs an escape in these values, and refusing them
 *    keeps the parsed strings pointing into the header untouched);
 *  - the check of a response against the account's password, compared in
 *    constant time;
 *  - the nonces we hand out: 128 bits from getrandom(), each remembered
 *    with the time it was issued and the highest nc used with it, so an
 *    old nonce is stale and a repeated nc a replay.
 */
#ifndef HERALDD_SIP_DIGEST_VERIFY_H
#define HERALDD_SIP_DIGEST_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "msg.h"

/* A parsed Authorization value; the strings point into the header value. */
struct digest_credentials {
	enum digest_alg alg;
	struct sip_str username, realm, nonce, uri, response, cnonce, opaque;
	bool qop_auth;			/* qop=auth given: nc and cnonce are set */
	uint32_t nc;
};

/*
 * Parse one Authorization (or Proxy-Authorization) value. 0, or -1 with
 * the reason in @why (never a value from the header: no secret leaks
 * into a log through it).
 */
int digest_credentials_parse(struct sip_str value, struct digest_credentials *out,
			     char *why, size_t whylen);

/*
 * Is @cr's response the one @password gives for @method (with the uri,
 * nonce, cnonce, nc and realm @cr names)? Whether those are the right
 * ones is the caller's to check. Without qop the RFC 2617 form is
 * computed; the caller decides whether it accepts that (checksync.c does
 * not). The expected value is wiped after the constant-time compare.
 */
bool digest_verify(const struct digest_credentials *cr, const char *method, const char *password);

/* Nonces. */
#define DIGEST_NONCE_HEX	32		/* 128 random bits */
#define DIGEST_NONCE_SLOTS	16		/* outstanding at once; the oldest is reused */
#define DIGEST_NONCE_LIFETIME_MS 60000		/* then stale */

struct digest_nonce_slot {
	char nonce[DIGEST_NONCE_HEX + 1];	/* "" when free */
	uint64_t issued_ms;
	uint32_t last_nc;			/* highest nc accepted */
	bool used;				/* a request was accepted with it */
};

struct digest_nonces {
	struct digest_nonce_slot slot[DIGEST_NONCE_SLOTS];
};

/* A fresh nonce, remembered as issued at @now_ms (monotonic). 0, or -1 if getrandom() fails. */
int digest_nonce_new(struct digest_nonces *ns, uint64_t now_ms, char out[DIGEST_NONCE_HEX + 1]);

enum digest_nonce_state {
	DIGEST_NONCE_OK,		/* ours, fresh, @nc above every earlier one: now recorded */
	DIGEST_NONCE_STALE,		/* not one we hold (never issued, slot reused) or expired */
	DIGEST_NONCE_REPLAY,		/* ours and fresh, but @nc not above the last one */
};

/*
 * Take @nonce with count @nc (0 without qop: then the nonce is good once).
 * Call it only for a verified response, so a forged request can neither
 * use up a nonce nor raise its count.
 */
enum digest_nonce_state digest_nonce_use(struct digest_nonces *ns, struct sip_str nonce,
					 uint32_t nc, uint64_t now_ms);

#endif
