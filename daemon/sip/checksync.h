/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NOTIFY with "Event: check-sync" from the registrar: "fetch your
 * configuration now" (the Broadsoft/Polycom convention that PBXs and Algo
 * endpoints use; no subscription precedes it). Anyone who can reach our
 * contact could send one, so it is digest-authenticated the other way
 * round: we challenge with the account's own credentials (RFC 3261 22.4,
 * RFC 7616, RFC 8760), the registrar answers as the account.
 *
 * checksync_handle() decides the answer to an out-of-dialog NOTIFY for one
 * of our enabled accounts; ua.c sends it and, on 200, asks for a
 * provisioning round (provision_trigger()). In order:
 *  - a retransmission of the last NOTIFY answered 200 (same Call-ID,
 *    CSeq, top Via branch): 200 again, no new trigger;
 *  - no Event header: 400; another event package: 489 Bad Event with
 *    Allow-Events: check-sync [RFC 6665 8.3.1]; parameters of check-sync
 *    (reboot=true) are accepted and ignored: herald never reboots;
 *  - no Authorization for our realm: 401 with two challenges, SHA-256 and
 *    MD5 (realm = the account's domain, a fresh nonce, qop="auth");
 *  - an Authorization that does not parse, asks qop other than auth, or
 *    names another uri: 400;
 *  - a user name other than the account's auth user, or a wrong
 *    response: 403;
 *  - a right response with a nonce we no longer hold or older than
 *    DIGEST_NONCE_LIFETIME_MS: 401 with stale=true and fresh nonces;
 *  - a right response with an nc not above the last one for that nonce
 *    (a replay): 403;
 *  - else 200, and out->trigger is set.
 * The uri of the credentials must be the Request-URI we received, or the
 * account's address of record sip:user@domain (with any port): a proxy
 * that routes the NOTIFY to our registered contact rewrites the
 * Request-URI after the sender computed its response over the AOR.
 * Nothing logged holds the password, the response or HA1.
 */
#ifndef HERALDD_SIP_CHECKSYNC_H
#define HERALDD_SIP_CHECKSYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "digest_verify.h"
#include "msg.h"

/* The account a NOTIFY is for. */
struct checksync_account {
	const char *user;		/* sip.uN.user */
	const char *auth_user;		/* sip.uN.auth_user, or the user when that is empty */
	const char *password;
	const char *realm;		/* the account's domain, as in its AOR */
};

#define CHECKSYNC_MAX_CHALLENGES 2

struct checksync_reply {
	int status;
	const char *reason;		/* NULL: the standard phrase */
	/* WWW-Authenticate values, SHA-256 first (RFC 7616 3.7: in order of preference). */
	char www_authenticate[CHECKSYNC_MAX_CHALLENGES][256];
	unsigned int nchallenge;
	bool allow_events;		/* add "Allow-Events: check-sync" (489) */
	bool trigger;			/* 200: ask for a provisioning round */
};

struct checksync {
	struct digest_nonces nonces;
	/* The last NOTIFY answered 200, to know its retransmissions. */
	char last_call_id[256];
	char last_branch[128];
	uint32_t last_cseq;
};

void checksync_init(struct checksync *cs);
/* Wipe the nonces and the remembered request. */
void checksync_clear(struct checksync *cs);

/*
 * The answer to @req, an out-of-dialog NOTIFY whose Request-URI user is
 * @acct, received at @now_ms (monotonic). Logs what it decided.
 */
void checksync_handle(struct checksync *cs, const struct sip_msg *req,
		      const struct checksync_account *acct, uint64_t now_ms,
		      struct checksync_reply *out);

#endif
