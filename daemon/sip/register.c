// SPDX-License-Identifier: GPL-2.0
/*
 * Registration per account: see register.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "../heraldd.h"
#include "../log.h"
#include "../loop.h"
#include "digest.h"
#include "probe.h"
#include "register.h"
#include "sip_config.h"
#include "../policy.h"
#include "../status.h"
#include "reg_status.h"
#include "transaction.h"
#include "transport.h"

#define RETRY_REJECTED_S	60	/* after a final error response */
#define RETRY_NO_REPLY_S	30	/* after timer F */
#define MAX_CHALLENGES		3	/* 401/407 in a row for one attempt */

struct reg {
	struct sip_registrar *r;
	const struct sip_account_cfg *a;
	char name[8];				/* "u1" */

	enum reg_status status;
	int code;
	char reason[160];
	time_t since;
	int granted;				/* seconds, while Successful */
	bool on_surv;				/* status is about the survivability proxy */

	char call_id[48];			/* one per account for the daemon's life (10.2.4) */
	char from_tag[24];
	uint32_t cseq;
	struct sip_tx *tx;
	int expires;				/* what we ask for */
	bool min_expires_retried;
	bool bound;				/* the registrar holds our binding */
	bool unregistering;

	struct digest_challenge chal;		/* last challenge, reused for refreshes */
	bool have_chal;
	bool chal_fresh;			/* chal came with the previous response */
	uint32_t nc;
	unsigned int challenges;

	struct loop_timer *timer;		/* refresh or retry */
};

struct sip_registrar {
	struct loop *loop;
	struct sip_config cfg;
	char proxy_host[128];
	unsigned int proxy_port;
	char domain[136];			/* for URIs: IPv6 in brackets */
	struct sip_transport *t;
	/* Survivability (none when surv_host is ""): see count_failure(). */
	char surv_host[128];
	unsigned int surv_port;
	bool on_surv;				/* the transport points at it */
	unsigned int fails;			/* consecutive primary failures */
	struct sip_probe *probe;		/* of the primary, while on_surv */
	struct loop_timer *switch_timer;	/* deferred failover/failback */
	struct reg regs[SIP_MAX_ACCOUNTS];
	unsigned int nregs;

	bool shutting_down;
	unsigned int unreg_pending;
	void (*done)(void *arg);
	void *done_arg;
};

/*
 * The signalling flow as an encryption leg (policy.h): named after the
 * proxy it goes to, present while an account is enabled (the transport
 * never falls back to another protocol, so the configured one is what
 * carries it).
 */
static void report_leg(struct sip_registrar *r)
{
	const char *id = r->on_surv ? "survivability" : "primary";
	const char *peer = r->on_surv ? r->cfg.survivability_proxy : r->cfg.proxy;
	unsigned int i;

	enc_hold();
	enc_leg_del(ENC_LEG_REGISTRATION, r->on_surv ? "primary" : "survivability");
	for (i = 0; i < r->nregs && !r->regs[i].a->enabled; i++)
		;
	if (i == r->nregs)
		enc_leg_del(ENC_LEG_REGISTRATION, id);
	else if (r->cfg.transport == SIP_CFG_TLS && r->cfg.tls_verify)
		enc_leg_set(ENC_LEG_REGISTRATION, id, peer, true,
			    "SIP over TLS, server certificate verified");
	else if (r->cfg.transport == SIP_CFG_TLS)
		enc_leg_set(ENC_LEG_REGISTRATION, id, peer, false,
			    "SIP over TLS without certificate verification (sip.tls.verify = off)");
	else
		enc_leg_set(ENC_LEG_REGISTRATION, id, peer, false,
			    r->cfg.transport == SIP_CFG_TCP ?
			    "SIP in the clear over TCP (sip.transport = tcp)" :
			    "SIP in the clear over UDP (sip.transport = udp)");
	enc_release();
}

static void write_status(struct sip_registrar *r)
{
	struct reg_status_entry e[SIP_MAX_ACCOUNTS];
	char *json;
	unsigned int i;

	for (i = 0; i < r->nregs; i++) {
		struct reg *g = &r->regs[i];

		e[i] = (struct reg_status_entry){
			.account = g->name,
			.user = g->a->user,
			.role = sip_role_names[g->a->role],
			.status = g->status,
			.code = g->code,
			.reason = g->reason,
			.since = g->since,
			.expires = g->status == REG_STATUS_OK ? g->granted : 0,
			.proxy_in_use = g->on_surv ? "survivability" : "primary",
		};
	}
	json = reg_status_json(sip_transport_names[r->cfg.transport], r->cfg.proxy,
			       r->cfg.survivability_proxy, e, r->nregs);
	if (!json) {
		log_warn("sip: registration status not updated: out of memory");
		return;
	}
	/* status.c logs a failed write itself. */
	status_set_area("registration", json);
	free(json);
	report_leg(r);
}

static void set_status(struct reg *g, enum reg_status s, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_status(struct reg *g, enum reg_status s, int code, const char *fmt, ...)
{
	char reason[sizeof(g->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (g->status == s && g->code == code && !strcmp(g->reason, reason) &&
	    g->on_surv == g->r->on_surv)
		return;
	g->on_surv = g->r->on_surv;
	g->status = s;
	g->code = code;
	memcpy(g->reason, reason, sizeof(reason));
	g->since = time(NULL);
	if (code)
		log_info("sip: %s (%s): registration %s (%d %s) via %s proxy", g->name, g->a->user,
			 reg_status_text(s), code, reason, g->on_surv ? "survivability" : "primary");
	else
		log_info("sip: %s (%s): registration %s (%s) via %s proxy", g->name, g->a->user,
			 reg_status_text(s), reason, g->on_surv ? "survivability" : "primary");
	write_status(g->r);
}

static void unreg_finished(struct reg *g)
{
	struct sip_registrar *r = g->r;

	if (!g->unregistering)
		return;
	g->unregistering = false;
	if (r->unreg_pending && --r->unreg_pending == 0 && r->done)
		r->done(r->done_arg);
}

static void response(const struct sip_msg *resp, int status, void *arg);

/*
 * Survivability. A failure of the primary is a flow that failed or closed
 * (every address it resolved to tried) or a REGISTER that timer F ended;
 * any response from it, whatever its status, resets the count: a primary
 * that answers, even to refuse us, is up, and its refusal is for the
 * operator to see, not a reason to go elsewhere. After failover_after
 * failures in a row the transport is pointed at the survivability proxy
 * and a probe asks the primary every failback_interval seconds; its first
 * answer points the transport back. The switch runs from a timer because
 * failures are counted inside the transport's and transactions' callbacks.
 */
static void count_failure(struct sip_registrar *r)
{
	if (!r->surv_host[0] || r->on_surv || r->shutting_down)
		return;
	r->fails++;
	log_info("sip: primary proxy %s: failure %u of %d before the survivability proxy",
		 r->cfg.proxy, r->fails, r->cfg.failover_after);
	if (r->fails == (unsigned int)r->cfg.failover_after)
		loop_timer_set(r->switch_timer, 1, 0);
}

static void switch_proxy(struct sip_registrar *r, bool to_surv)
{
	unsigned int i;

	r->on_surv = to_surv;
	r->fails = 0;
	report_leg(r);
	for (i = 0; i < r->nregs; i++) {
		struct reg *g = &r->regs[i];

		if (!g->a->enabled)
			continue;
		loop_timer_set(g->timer, 0, 0);
		if (g->tx) {
			sip_tx_cancel(g->tx);
			g->tx = NULL;
		}
		/* The other proxy knows neither our binding nor our nonce. */
		g->bound = false;
		g->have_chal = false;
		g->challenges = 0;
		set_status(g, REG_STATUS_REGISTERING, 0, "%s %s",
			   to_surv ? "failing over to survivability proxy" : "failing back to primary proxy",
			   to_surv ? r->cfg.survivability_proxy : r->cfg.proxy);
	}
	if (to_surv) {
		log_warn("sip: primary proxy %s failed %d times in a row: registering via "
			 "survivability proxy %s", r->cfg.proxy, r->cfg.failover_after,
			 r->cfg.survivability_proxy);
		sip_transport_retarget(r->t, r->surv_host, r->surv_port, "");
		sip_probe_start(r->probe);
	} else {
		log_warn("sip: primary proxy %s answers again: failing back to it", r->cfg.proxy);
		sip_probe_stop(r->probe);
		sip_transport_retarget(r->t, r->proxy_host, r->proxy_port, r->cfg.tls_server_name);
	}
}

static void switch_fired(struct loop_timer *timer, void *arg)
{
	struct sip_registrar *r = arg;

	if (!r->shutting_down && !r->on_surv && r->fails >= (unsigned int)r->cfg.failover_after)
		switch_proxy(r, true);
}

static void primary_answered(int status, void *arg)
{
	struct sip_registrar *r = arg;

	if (!r->shutting_down && r->on_surv)
		switch_proxy(r, false);
}

/* Build and send REGISTER (Expires: 0 when unregistering). */
static void send_register(struct reg *g)
{
	struct sip_registrar *r = g->r;
	struct sip_transport *t = r->t;
	static char buf[8192];
	char branch[48], uri[160], auth[1024], cnonce[33];
	struct sip_builder b;
	const char *auth_user = g->a->auth_user[0] ? g->a->auth_user : g->a->user;
	enum sip_proto proto = sip_transport_proto(t);
	int len;

	if (!sip_transport_is_up(t))
		return;		/* went_up() sends it */
	if (sip_new_branch(branch)) {
		set_status(g, REG_STATUS_NO_REPLY, 0, "no random bytes for a branch");
		return;
	}
	snprintf(uri, sizeof(uri), "sip:%s", r->domain);
	g->cseq++;

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_request_line(&b, "REGISTER", uri);
	sip_build_header(&b, "Via", "SIP/2.0/%s %s:%u;branch=%s;rport", sip_proto_via(proto),
			 sip_transport_local_host(t), sip_transport_local_port(t), branch);
	sip_build_header(&b, "Max-Forwards", "70");
	sip_build_header(&b, "From", "<sip:%s@%s>;tag=%s", g->a->user, r->domain, g->from_tag);
	sip_build_header(&b, "To", "<sip:%s@%s>", g->a->user, r->domain);
	sip_build_header(&b, "Call-ID", "%s", g->call_id);
	sip_build_header(&b, "CSeq", "%u REGISTER", g->cseq);
	sip_build_header(&b, "Contact", "<sip:%s@%s:%u;transport=%s>", g->a->user,
			 sip_transport_local_host(t), sip_transport_local_port(t),
			 sip_proto_param(proto));
	sip_build_header(&b, "Expires", "%d", g->unregistering ? 0 : g->expires);
	if (g->have_chal) {
		/* nc counts our uses of one nonce (RFC 7616 3.4); a fresh cnonce each time. */
		if (digest_new_cnonce(cnonce) ||
		    digest_authorization(&g->chal, auth_user, g->a->password, "REGISTER", uri,
					 cnonce, ++g->nc, auth, sizeof(auth)) < 0) {
			OPENSSL_cleanse(auth, sizeof(auth));
			set_status(g, REG_STATUS_REJECTED, 0, "cannot compute digest credentials");
			return;
		}
		sip_build_header(&b, g->chal.proxy ? "Proxy-Authorization" : "Authorization",
				 "%s", auth);
		OPENSSL_cleanse(auth, sizeof(auth));
	}
	sip_build_header(&b, "Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
	sip_build_header(&b, "User-Agent", "herald/%s", HERALDD_VERSION);
	len = sip_build_finish(&b, NULL, NULL, 0);
	if (len < 0) {
		set_status(g, REG_STATUS_REJECTED, 0, "REGISTER does not fit the buffer");
		return;
	}
	g->tx = sip_tx_start(t, branch, SIP_METHOD_REGISTER, buf, len, response, g);
	OPENSSL_cleanse(buf, len);
	if (!g->tx) {
		/* A send that broke the flow was reported by transport_down(), with the cause. */
		if (sip_transport_is_up(t))
			set_status(g, REG_STATUS_NO_REPLY, 0, "cannot send REGISTER");
		return;
	}
	/*
	 * "Registering" only until the first outcome: a retry or a refresh
	 * keeps showing the last one (an operator looking at "Rejected by
	 * Server" should not see it flicker every retry) until its own arrives.
	 */
	if (!g->unregistering && g->status == REG_STATUS_REGISTERING)
		set_status(g, REG_STATUS_REGISTERING, 0, "REGISTER sent to %s",
			   sip_transport_remote_hostport(t));
}

static void arm(struct reg *g, unsigned int seconds)
{
	loop_timer_set(g->timer, (uint64_t)seconds * 1000, 0);
}

static void timer_fired(struct loop_timer *timer, void *arg)
{
	struct reg *g = arg;

	if (!g->tx && !g->r->shutting_down) {
		g->challenges = 0;
		g->min_expires_retried = false;
		send_register(g);
	}
}

/* Is this Contact ours? Same user, host and port as we sent. */
static bool our_contact(const struct reg *g, const struct sip_nameaddr *c)
{
	const char *host = sip_transport_local_host(g->r->t);
	char bare[64];
	size_t hl = strlen(host);

	if (hl >= 2 && host[0] == '[') {
		snprintf(bare, sizeof(bare), "%.*s", (int)(hl - 2), host + 1);
		host = bare;
	}
	return !c->star && sip_str_eq(c->uri.user, g->a->user) && sip_str_caseeq(c->uri.host, host) &&
	       c->uri.port == sip_transport_local_port(g->r->t);
}

static void registered(struct reg *g, const struct sip_msg *resp)
{
	int granted = -1;
	unsigned int i, refresh;

	/* 10.2.4: the registrar's answer lists our Contact with what it granted. */
	for (i = 0; i < resp->ncontact; i++)
		if (our_contact(g, &resp->contact[i]) && resp->contact[i].expires >= 0)
			granted = resp->contact[i].expires > 86400 ? 86400
								   : (int)resp->contact[i].expires;
	if (granted < 0 && resp->expires >= 0)
		granted = resp->expires > 86400 ? 86400 : (int)resp->expires;
	if (granted <= 0)
		granted = g->expires;
	g->granted = granted;
	g->bound = true;
	/* Refresh with a margin for a slow network and a challenge round trip. */
	refresh = granted < 120 ? (unsigned int)granted / 2 : (unsigned int)granted - 60;
	if (!refresh)
		refresh = 1;
	arm(g, refresh);
	set_status(g, REG_STATUS_OK, resp->status, "%.*s", (int)resp->reason.len, resp->reason.p);
	log_debug("sip: %s: binding for %d s, refresh in %u s", g->name, granted, refresh);
}

static void challenged(struct reg *g, const struct sip_msg *resp)
{
	struct digest_challenge c;
	char why[200];

	if (digest_pick(resp, &c, why, sizeof(why))) {
		g->have_chal = false;
		set_status(g, REG_STATUS_REJECTED, resp->status, "%.*s: %s", (int)resp->reason.len,
			   resp->reason.p, why);
		arm(g, RETRY_REJECTED_S);
		unreg_finished(g);
		return;
	}
	/*
	 * Credentials computed on the nonce of the previous response and
	 * refused without stale=true (RFC 7616 3.3): the password or user is
	 * wrong. A cached nonce may just have expired: one more try with the
	 * new one. MAX_CHALLENGES stops a server that challenges forever.
	 */
	if ((g->have_chal && g->chal_fresh && !c.stale) || ++g->challenges > MAX_CHALLENGES) {
		g->have_chal = false;
		set_status(g, REG_STATUS_REJECTED, resp->status, "%.*s: credentials refused",
			   (int)resp->reason.len, resp->reason.p);
		arm(g, RETRY_REJECTED_S);
		unreg_finished(g);
		return;
	}
	log_debug("sip: %s: %d challenge, %s, realm \"%s\"%s%s", g->name, resp->status,
		  digest_alg_name(c.alg), c.realm, c.qop_auth ? ", qop=auth" : "",
		  c.stale ? ", stale" : "");
	g->chal = c;
	g->have_chal = true;
	g->chal_fresh = true;
	g->nc = 0;
	send_register(g);
}

static void response(const struct sip_msg *resp, int status, void *arg)
{
	struct reg *g = arg;

	g->tx = NULL;
	if (!resp) {
		if (status == 408 && !g->unregistering)
			count_failure(g->r);
		if (status == 408) {
			set_status(g, REG_STATUS_NO_REPLY, 0, "no response within %d s",
				   SIP_TIMER_F_MS / 1000);
			if (!g->r->shutting_down)
				arm(g, RETRY_NO_REPLY_S);
		} else {
			/* The transport's down handler says why and re-registers when it is back. */
			set_status(g, REG_STATUS_NO_REPLY, 0, "connection lost");
		}
		unreg_finished(g);
		return;
	}
	if (!g->r->on_surv)
		g->r->fails = 0;
	if (resp->status == 401 || resp->status == 407) {
		challenged(g, resp);
		return;
	}
	/* Anything but a challenge: the next attempt starts a new count. */
	g->challenges = 0;
	if (resp->status >= 200 && resp->status < 300) {
		g->chal_fresh = false;
		if (g->unregistering) {
			g->bound = false;
			log_info("sip: %s (%s): unregistered", g->name, g->a->user);
			unreg_finished(g);
			return;
		}
		g->min_expires_retried = false;
		registered(g, resp);
		return;
	}
	if (resp->status == 423 && !g->unregistering && !g->min_expires_retried &&
	    resp->min_expires > g->expires && resp->min_expires <= 86400) {
		/* 10.2.8: ask again with at least what the registrar wants. */
		log_info("sip: %s: 423 %.*s, asking again with Expires %lld", g->name,
			 (int)resp->reason.len, resp->reason.p, (long long)resp->min_expires);
		g->expires = (int)resp->min_expires;
		g->min_expires_retried = true;
		send_register(g);
		return;
	}
	g->bound = false;
	set_status(g, REG_STATUS_REJECTED, resp->status, "%.*s", (int)resp->reason.len,
		   resp->reason.p);
	if (!g->r->shutting_down)
		arm(g, RETRY_REJECTED_S);
	unreg_finished(g);
}

static void transport_up(struct sip_transport *t, void *ctx)
{
	struct sip_registrar *r = ctx;
	unsigned int i;

	if (r->shutting_down)
		return;
	for (i = 0; i < r->nregs; i++) {
		struct reg *g = &r->regs[i];

		if (!g->a->enabled || g->tx)
			continue;
		g->challenges = 0;
		g->min_expires_retried = false;
		send_register(g);
	}
}

static void transport_down(struct sip_transport *t, const char *why, void *ctx)
{
	struct sip_registrar *r = ctx;
	unsigned int i;

	for (i = 0; i < r->nregs; i++) {
		struct reg *g = &r->regs[i];

		if (!g->a->enabled)
			continue;
		loop_timer_set(g->timer, 0, 0);
		/* A new flow is a new binding (a TCP/TLS contact dies with its connection). */
		g->bound = false;
		set_status(g, REG_STATUS_NO_REPLY, 0, "%s", why);
		unreg_finished(g);
	}
	count_failure(r);
}

static int build_transport(struct sip_registrar *r)
{
	static const struct sip_transport_ops ops = { .up = transport_up, .down = transport_down };
	struct sip_transport_cfg tc = { 0 };
	unsigned int port;

	if (sip_config_proxy(&r->cfg, r->proxy_host, sizeof(r->proxy_host), &port))
		return -1;
	r->proxy_port = port;
	/* The AOR domain stays the primary's on the survivability proxy too. */
	if (r->cfg.domain[0])
		strcpy(r->domain, r->cfg.domain);	/* domain[] is the larger */
	else if (strchr(r->proxy_host, ':'))
		snprintf(r->domain, sizeof(r->domain), "[%s]", r->proxy_host);
	else
		snprintf(r->domain, sizeof(r->domain), "%s", r->proxy_host);
	tc.proto = r->cfg.transport == SIP_CFG_TLS ? SIP_PROTO_TLS :
		   r->cfg.transport == SIP_CFG_TCP ? SIP_PROTO_TCP : SIP_PROTO_UDP;
	snprintf(tc.host, sizeof(tc.host), "%s", r->proxy_host);
	tc.port = port;
	tc.keepalive_s = r->cfg.keepalive;
	snprintf(tc.server_name, sizeof(tc.server_name), "%s", r->cfg.tls_server_name);
	snprintf(tc.ca_file, sizeof(tc.ca_file), "%s", r->cfg.tls_ca);
	tc.verify = r->cfg.tls_verify;
	snprintf(tc.cert_file, sizeof(tc.cert_file), "%s", r->cfg.tls_cert);
	snprintf(tc.key_file, sizeof(tc.key_file), "%s", r->cfg.tls_key);
	r->t = sip_transport_new(r->loop, &tc, &ops, r);
	if (!r->t)
		return -1;
	if (!r->cfg.survivability_proxy[0])
		return 0;
	if (sip_config_hostport(r->cfg.survivability_proxy, r->surv_host, sizeof(r->surv_host),
				&r->surv_port))
		return -1;
	/* The probe goes to the primary with the primary's settings. */
	r->probe = sip_probe_new(r->loop, &tc, r->domain, r->cfg.failback_interval,
				 primary_answered, r);
	r->switch_timer = loop_timer_new(r->loop, switch_fired, r);
	return r->probe && r->switch_timer ? 0 : -1;
}

struct sip_registrar *sip_registrar_new(struct loop *loop, const struct sip_config *cfg)
{
	struct sip_registrar *r;
	unsigned int i;

	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->loop = loop;
	r->cfg = *cfg;
	if (build_transport(r))
		goto fail;

	for (i = 0; i < SIP_MAX_ACCOUNTS; i++) {
		struct reg *g;

		if (!r->cfg.acct[i].user[0])
			continue;
		g = &r->regs[r->nregs++];
		g->r = r;
		g->a = &r->cfg.acct[i];
		snprintf(g->name, sizeof(g->name), "u%u", i + 1);
		g->expires = r->cfg.register_expires;
		g->since = time(NULL);
		if (sip_random_hex(g->call_id, sizeof(g->call_id), 16) ||
		    sip_random_hex(g->from_tag, sizeof(g->from_tag), 8))
			goto fail;
		g->timer = loop_timer_new(loop, timer_fired, g);
		if (!g->timer)
			goto fail;
		if (g->a->enabled) {
			g->status = REG_STATUS_REGISTERING;
			snprintf(g->reason, sizeof(g->reason), "connecting to %s", r->cfg.proxy);
		} else {
			g->status = REG_STATUS_DISABLED;
			snprintf(g->reason, sizeof(g->reason), "sip.u%u.enabled = off", i + 1);
		}
	}
	write_status(r);
	return r;
fail:
	log_error("sip: cannot set up registration");
	sip_registrar_free(r);
	return NULL;
}

void sip_registrar_start(struct sip_registrar *r)
{
	unsigned int i;

	for (i = 0; i < r->nregs; i++)
		if (r->regs[i].a->enabled)
			break;
	if (i == r->nregs) {
		log_info("sip: no enabled account, not connecting to %s", r->cfg.proxy);
		return;
	}
	sip_transport_start(r->t);
}

struct sip_transport *sip_registrar_transport(struct sip_registrar *r)
{
	return r->t;
}

int sip_registrar_lookup(const struct sip_registrar *r, struct sip_str user, int *role)
{
	unsigned int i;

	for (i = 0; i < r->nregs; i++) {
		const struct reg *g = &r->regs[i];

		if (g->a->enabled && sip_str_eq(user, g->a->user)) {
			if (role)
				*role = g->a->role;
			return (int)(g->a - r->cfg.acct) + 1;
		}
	}
	return -1;
}

const struct sip_account_cfg *sip_registrar_account(const struct sip_registrar *r, int n)
{
	return n >= 1 && n <= SIP_MAX_ACCOUNTS ? &r->cfg.acct[n - 1] : NULL;
}

const char *sip_registrar_domain(const struct sip_registrar *r)
{
	return r->domain;
}

void sip_registrar_shutdown(struct sip_registrar *r, void (*done)(void *arg), void *arg)
{
	unsigned int i;

	r->shutting_down = true;
	if (r->probe)
		sip_probe_stop(r->probe);
	r->done = done;
	r->done_arg = arg;
	r->unreg_pending = 0;
	for (i = 0; i < r->nregs; i++) {
		struct reg *g = &r->regs[i];

		loop_timer_set(g->timer, 0, 0);
		if (g->tx) {
			sip_tx_cancel(g->tx);
			g->tx = NULL;
		}
		if (!g->bound || !sip_transport_is_up(r->t))
			continue;
		g->unregistering = true;
		g->challenges = 0;
		r->unreg_pending++;
		log_info("sip: %s (%s): unregistering", g->name, g->a->user);
		send_register(g);
		if (!g->tx) {
			g->unregistering = false;
			r->unreg_pending--;
		}
	}
	if (!r->unreg_pending)
		done(arg);
}

void sip_registrar_free(struct sip_registrar *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; i < r->nregs; i++) {
		if (r->regs[i].tx)
			sip_tx_cancel(r->regs[i].tx);
		if (r->regs[i].timer)
			loop_timer_free(r->regs[i].timer);
	}
	sip_probe_free(r->probe);
	if (r->switch_timer)
		loop_timer_free(r->switch_timer);
	sip_transport_free(r->t);
	enc_leg_del(ENC_LEG_REGISTRATION, "primary");
	enc_leg_del(ENC_LEG_REGISTRATION, "survivability");
	/* The copy of the configuration holds the passwords. */
	OPENSSL_cleanse(&r->cfg, sizeof(r->cfg));
	free(r);
}
