// SPDX-License-Identifier: GPL-2.0
/*
 * NOTIFY check-sync: see checksync.h for the rules.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../log.h"
#include "checksync.h"

void checksync_init(struct checksync *cs)
{
	memset(cs, 0, sizeof(*cs));
}

void checksync_clear(struct checksync *cs)
{
	explicit_bzero(cs, sizeof(*cs));
}

static void reply(struct checksync_reply *out, int status, const char *reason)
{
	out->status = status;
	out->reason = reason;
}

/* 401 with one challenge per algorithm, each with its own fresh nonce. */
static void challenge(struct checksync *cs, const struct checksync_account *a, uint64_t now_ms,
		      bool stale, struct checksync_reply *out)
{
	static const enum digest_alg algs[CHECKSYNC_MAX_CHALLENGES] = { DIGEST_SHA256, DIGEST_MD5 };
	char nonce[DIGEST_NONCE_HEX + 1];
	unsigned int i;
	int n;

	for (i = 0; i < CHECKSYNC_MAX_CHALLENGES; i++) {
		if (digest_nonce_new(&cs->nonces, now_ms, nonce)) {
			log_warn("sip: check-sync: no random nonce (getrandom): 500");
			out->nchallenge = 0;
			reply(out, 500, NULL);
			return;
		}
		n = snprintf(out->www_authenticate[i], sizeof(out->www_authenticate[i]),
			     "Digest realm=\"%s\", nonce=\"%s\", qop=\"auth\", algorithm=%s%s",
			     a->realm, nonce, digest_alg_name(algs[i]), stale ? ", stale=true" : "");
		if (n < 0 || (size_t)n >= sizeof(out->www_authenticate[i])) {
			/* The realm is a checked sip.domain or proxy host: cannot happen. */
			out->nchallenge = 0;
			reply(out, 500, NULL);
			return;
		}
	}
	out->nchallenge = CHECKSYNC_MAX_CHALLENGES;
	reply(out, 401, NULL);
}

/*
 * The Event parameters we know of: reboot=true asks the device to restart
 * after the fetch. herald applies what it fetched live and never reboots.
 */
static bool asks_reboot(const struct sip_msg *req)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_EVENT);
	const char *p, *end;

	if (!h)
		return false;
	p = h->value.p;
	end = p + h->value.len;
	while ((p = memchr(p, ';', end - p))) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) >= 11 && !strncasecmp(p, "reboot=true", 11) &&
		    (end - p == 11 || p[11] == ';' || p[11] == ' ' || p[11] == '\t'))
			return true;
	}
	return false;
}

/* @uri is "sip:" or "sips:", then @user "@" @host, then nothing or ":" digits. */
static bool is_aor(struct sip_str uri, const char *user, const char *host)
{
	size_t ul = strlen(user), hl = strlen(host), off, i;

	if (uri.len > 4 && !strncasecmp(uri.p, "sip:", 4))
		off = 4;
	else if (uri.len > 5 && !strncasecmp(uri.p, "sips:", 5))
		off = 5;
	else
		return false;
	if (uri.len < off + ul + 1 + hl || memcmp(uri.p + off, user, ul) || uri.p[off + ul] != '@' ||
	    strncasecmp(uri.p + off + ul + 1, host, hl))
		return false;
	off += ul + 1 + hl;
	if (off == uri.len)
		return true;
	if (uri.p[off] != ':' || off + 1 == uri.len || uri.len - off > 6)
		return false;
	for (i = off + 1; i < uri.len; i++)
		if (uri.p[i] < '0' || uri.p[i] > '9')
			return false;
	return true;
}

static bool same_request(const struct checksync *cs, const struct sip_msg *req)
{
	return cs->last_call_id[0] && req->nvia && req->via[0].branch.len &&
	       sip_str_eq(req->call_id, cs->last_call_id) && req->cseq == cs->last_cseq &&
	       sip_str_eq(req->via[0].branch, cs->last_branch);
}

static void remember(struct checksync *cs, const struct sip_msg *req)
{
	cs->last_call_id[0] = '\0';
	if (req->call_id.len >= sizeof(cs->last_call_id) || !req->nvia ||
	    req->via[0].branch.len >= sizeof(cs->last_branch))
		return;
	memcpy(cs->last_call_id, req->call_id.p, req->call_id.len);
	cs->last_call_id[req->call_id.len] = '\0';
	memcpy(cs->last_branch, req->via[0].branch.p, req->via[0].branch.len);
	cs->last_branch[req->via[0].branch.len] = '\0';
	cs->last_cseq = req->cseq;
}

/*
 * The Authorization for our realm, parsed. 1 found, 0 none for this realm
 * (a 401 asks for it), -1 one with our realm that does not parse (400).
 */
static int find_credentials(const struct sip_msg *req, const char *realm,
			    struct digest_credentials *cr, char *why, size_t whylen)
{
	unsigned int i;

	for (i = 0; i < req->nhdrs; i++) {
		if (req->hdrs[i].id != SIP_HDR_AUTHORIZATION)
			continue;
		/* One we cannot parse is refused whatever realm it meant: no guessing. */
		if (digest_credentials_parse(req->hdrs[i].value, cr, why, whylen))
			return -1;
		if (sip_str_eq(cr->realm, realm))
			return 1;
	}
	return 0;
}

void checksync_handle(struct checksync *cs, const struct sip_msg *req,
		      const struct checksync_account *a, uint64_t now_ms,
		      struct checksync_reply *out)
{
	const char *auth_user = a->auth_user[0] ? a->auth_user : a->user;
	struct digest_credentials cr;
	char why[160];
	int found;

	memset(out, 0, sizeof(*out));
	if (same_request(cs, req)) {
		log_debug("sip: check-sync: a retransmission of the NOTIFY already answered: 200 again");
		reply(out, 200, NULL);
		return;
	}
	if (!req->event.p) {
		log_info("sip: NOTIFY for %s without an Event header: 400", a->user);
		reply(out, 400, "Missing Event header");
		return;
	}
	if (!sip_str_caseeq(req->event, "check-sync")) {
		log_info("sip: NOTIFY for %s with Event \"%.*s\", which we do not take: 489",
			 a->user, (int)(req->event.len > 64 ? 64 : req->event.len), req->event.p);
		out->allow_events = true;
		reply(out, 489, NULL);
		return;
	}
	found = find_credentials(req, a->realm, &cr, why, sizeof(why));
	if (found < 0) {
		log_info("sip: check-sync for %s: %s: 400", a->user, why);
		reply(out, 400, "Bad Authorization header");
		return;
	}
	if (!found) {
		log_info("sip: check-sync for %s: challenged (401)", a->user);
		challenge(cs, a, now_ms, false, out);
		return;
	}
	if (!cr.qop_auth) {
		log_info("sip: check-sync for %s: credentials without qop=auth: 400", a->user);
		reply(out, 400, "qop=auth required");
		return;
	}
	if (!is_aor(cr.uri, a->user, a->realm) &&
	    !(cr.uri.len == req->ruri.raw.len && !memcmp(cr.uri.p, req->ruri.raw.p, cr.uri.len))) {
		/* RFC 7616 3.4: a uri that is not the request's is a bad request. */
		log_info("sip: check-sync for %s: credentials for another uri: 400", a->user);
		reply(out, 400, "Authorization uri mismatch");
		return;
	}
	if (!sip_str_eq(cr.username, auth_user)) {
		log_info("sip: check-sync for %s: credentials of user \"%.*s\", not the account's: 403",
			 a->user, (int)(cr.username.len > 64 ? 64 : cr.username.len), cr.username.p);
		reply(out, 403, NULL);
		return;
	}
	if (!digest_verify(&cr, "NOTIFY", a->password)) {
		log_info("sip: check-sync for %s: wrong credentials: 403", a->user);
		reply(out, 403, NULL);
		return;
	}
	switch (digest_nonce_use(&cs->nonces, cr.nonce, cr.nc, now_ms)) {
	case DIGEST_NONCE_STALE:
		log_info("sip: check-sync for %s: right credentials, stale nonce: 401 stale=true", a->user);
		challenge(cs, a, now_ms, true, out);
		return;
	case DIGEST_NONCE_REPLAY:
		log_warn("sip: check-sync for %s: nonce count %08x not above the last one "
			 "(a replayed request): 403", a->user, cr.nc);
		reply(out, 403, "Replayed credentials");
		return;
	case DIGEST_NONCE_OK:
		break;
	}
	if (asks_reboot(req))
		log_info("sip: check-sync for %s asks for a reboot: ignored, herald never reboots "
			 "(fetched settings apply live)", a->user);
	log_info("sip: check-sync for %s authenticated (%s): 200", a->user, digest_alg_name(cr.alg));
	remember(cs, req);
	out->trigger = true;
	reply(out, 200, NULL);
}
