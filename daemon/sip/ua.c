// SPDX-License-Identifier: GPL-2.0
/*
 * The user agent: the registrar's transport and the call layer joined. See
 * ua.h for what goes where.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../call_status.h"
#include "../heraldd.h"
#include "../kernel.h"
#include "../log.h"
#include "call.h"
#include "checksync.h"
#include "register.h"
#include "sip_config.h"
#include "transport.h"
#include "ua.h"

struct sip_ua {
	struct sip_registrar *r;
	struct sip_transport *t;
	struct kernel *kernel;
	struct call_io io;
	struct call_layer *cl;
	struct call_status *status;	/* "calls" and their encryption legs */
	/*
	 * The account user of the request being handed to the call layer:
	 * contact() is called from inside call_rx_request(), and our Contact
	 * names the same user as the one we registered, so the registrar's
	 * routing and ours agree. Empty outside that call.
	 */
	char cur_user[sizeof(((struct sip_account_cfg *)0)->user)];
	/* NOTIFY check-sync: its nonces, and what a 200 asks for. */
	struct checksync cs;
	sip_ua_checksync_fn checksync_fn;
	void *checksync_arg;
	sip_ua_outputs_fn outputs_fn;	/* the zones of an account */
	void *outputs_arg;
};

static enum call_transport call_tp(enum sip_proto p)
{
	return p == SIP_PROTO_TLS ? CALL_TP_TLS : p == SIP_PROTO_TCP ? CALL_TP_TCP : CALL_TP_UDP;
}

/*
 * The transport has one flow, to the proxy: everything arrives on it, and
 * its id says which connection (a reconnect is a new one).
 */
static int flow_peer(struct sip_ua *ua, struct call_peer *peer)
{
	memset(peer, 0, sizeof(*peer));
	peer->transport = call_tp(sip_transport_proto(ua->t));
	peer->conn = sip_transport_flow_id(ua->t);
	if (!peer->conn)
		return -1;
	return sip_transport_addrs(ua->t, &peer->local, &peer->remote);
}

/*
 * A call's messages go over the flow it came in on, and only that one: its
 * Via and Contact name that flow's local address and port, and over TCP/TLS
 * the proxy reaches us through that connection alone [RFC 3261 18.2.2].
 * Once it is gone (reconnect, failover) the send fails; the call layer
 * logs it, and its retransmission and media timers end the call.
 */
static int ua_send(void *ctx, const struct call_peer *peer, const char *buf, size_t len)
{
	struct sip_ua *ua = ctx;

	if (peer->conn != sip_transport_flow_id(ua->t)) {
		log_info("sip: the flow of a call is gone; message not sent");
		return -1;
	}
	return sip_transport_send(ua->t, buf, len);
}

static int ua_contact(void *ctx, const struct call_peer *peer, char *buf, size_t size)
{
	struct sip_ua *ua = ctx;
	const char *host = sip_transport_local_host(ua->t);
	int n;

	if (peer->conn != sip_transport_flow_id(ua->t) || !*host)
		return -1;
	n = snprintf(buf, size, "sip:%s%s%s:%u;transport=%s", ua->cur_user, ua->cur_user[0] ? "@" : "",
		     host, sip_transport_local_port(ua->t), sip_proto_param(sip_transport_proto(ua->t)));
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* An out-of-dialog INVITE or NOTIFY for nobody we registered: 404 [8.2.2.1], with a To tag [8.2.6.2]. */
static void not_found(struct sip_transport *t, const struct sip_msg *req)
{
	char tag[17];

	log_info("sip: %s for \"%.*s\", which is no enabled account: 404",
		 sip_method_name(req->method), (int)req->ruri.user.len, req->ruri.user.p);
	if (sip_random_hex(tag, sizeof(tag), 8) ||
	    sip_transport_respond(t, req, 404, NULL, tag, NULL, NULL, 0))
		log_warn("sip: could not send 404");
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * An out-of-dialog NOTIFY for account @n: checksync.c decides, we send
 * (with the challenges or Allow-Events it asks for) and on 200 hand the
 * trigger on. The account's password is only read here, never copied.
 */
static void on_notify(struct sip_ua *ua, const struct sip_msg *req, int n)
{
	static char buf[SIP_MAX_MSG];
	const struct sip_account_cfg *cfg = sip_registrar_account(ua->r, n);
	struct checksync_account a;
	struct checksync_reply rep;
	struct sip_builder b;
	char tag[17];
	unsigned int i;
	int len;

	if (!cfg)
		return;
	a = (struct checksync_account){ .user = cfg->user, .auth_user = cfg->auth_user,
					.password = cfg->password,
					.realm = sip_registrar_domain(ua->r) };
	checksync_handle(&ua->cs, req, &a, now_ms(), &rep);
	sip_build_init(&b, buf, sizeof(buf));
	if (sip_random_hex(tag, sizeof(tag), 8) ||
	    sip_transport_response_begin(ua->t, &b, req, rep.status, rep.reason, tag)) {
		log_warn("sip: could not answer a NOTIFY");
		return;
	}
	for (i = 0; i < rep.nchallenge; i++)
		sip_build_header(&b, "WWW-Authenticate", "%s", rep.www_authenticate[i]);
	if (rep.allow_events)
		sip_build_header(&b, "Allow-Events", "check-sync");
	sip_build_header(&b, "Server", "herald/%s", HERALDD_VERSION);
	len = sip_build_finish(&b, NULL, NULL, 0);
	if (len < 0 || sip_transport_send(ua->t, buf, len))
		log_warn("sip: could not send the %d answering a NOTIFY", rep.status);
	if (rep.trigger) {
		if (ua->checksync_fn)
			ua->checksync_fn(ua->checksync_arg);
		else
			log_info("sip: check-sync: nothing to trigger (provisioning is not set up)");
	}
}

static void calls_changed(void *arg)
{
	struct sip_ua *ua = arg;

	call_status_update(ua->status, ua->cl);
}

static void on_request(struct sip_transport *t, const struct sip_msg *req, void *ctx)
{
	struct sip_ua *ua = ctx;
	struct call_account acct = { 0 };
	uint32_t outputs[HERALD_MAX_OUTPUTS];
	struct call_peer peer;
	char name[12];
	int n, role = SIP_ROLE_PAGE;

	if (flow_peer(ua, &peer))
		return;		/* only ever called on a flow that is up */
	n = sip_registrar_lookup(ua->r, req->ruri.user, &role);
	if (n < 0 && (req->method == SIP_METHOD_INVITE || req->method == SIP_METHOD_NOTIFY) &&
	    !req->to.tag.len) {
		not_found(t, req);
		return;
	}
	/* Outside any subscription: the registrar's check-sync (checksync.h). */
	if (req->method == SIP_METHOD_NOTIFY && !req->to.tag.len) {
		on_notify(ua, req, n);
		return;
	}
	if (n > 0) {
		snprintf(name, sizeof(name), "u%d", n);
		acct.name = name;
		acct.priority = role == SIP_ROLE_EMERGENCY ? HERALD_PRIORITY_EMERGENCY
							   : HERALD_PRIORITY_NORMAL;
		if (ua->outputs_fn) {
			acct.noutputs = ua->outputs_fn(ua->outputs_arg, n, outputs,
						       HERALD_MAX_OUTPUTS);
			acct.outputs = outputs;
		}
		/* The lookup matched it to a configured user: it fits. */
		snprintf(ua->cur_user, sizeof(ua->cur_user), "%.*s", (int)req->ruri.user.len,
			 req->ruri.user.p);
	}
	call_rx_request(ua->cl, req, &peer, n > 0 ? &acct : NULL);
	ua->cur_user[0] = '\0';
}

static void on_malformed(struct sip_transport *t, const struct sip_msg *partial,
			 const struct sip_error *err, void *ctx)
{
	struct sip_ua *ua = ctx;
	struct call_peer peer;

	if (!flow_peer(ua, &peer))
		call_rx_malformed(ua->cl, partial, err, &peer);
}

static void on_response(struct sip_transport *t, const struct sip_msg *resp, void *ctx)
{
	struct sip_ua *ua = ctx;

	call_rx_response(ua->cl, resp);
}

struct sip_ua *sip_ua_new(struct loop *loop, struct sip_registrar *r, struct kernel *k,
			  const struct call_config *cfg, const struct call_policy *pol,
			  const struct audio *audio)
{
	struct sip_ua *ua = calloc(1, sizeof(*ua));

	if (!ua) {
		log_error("sip: out of memory");
		return NULL;
	}
	ua->r = r;
	ua->t = sip_registrar_transport(r);
	checksync_init(&ua->cs);
	/* Without the module calls get 503; the socket finds it once loaded. */
	ua->kernel = k;
	ua->io = (struct call_io){ .send = ua_send, .contact = ua_contact, .ctx = ua };
	ua->status = call_status_new(k, cfg, pol);
	ua->cl = ua->status ? call_layer_new(loop, cfg, pol, &ua->io, &kernel_netlink_ops, k) : NULL;
	if (!ua->cl) {
		log_error("sip: cannot set up the call layer");
		call_status_free(ua->status);
		free(ua);
		return NULL;
	}
	call_layer_set_observer(ua->cl, calls_changed, ua);
	call_layer_set_audio(ua->cl, audio);
	sip_transport_set_request_handler(ua->t, on_request, ua);
	sip_transport_set_malformed_handler(ua->t, on_malformed, ua);
	sip_transport_set_response_handler(ua->t, on_response, ua);
	return ua;
}

void sip_ua_set_account_outputs(struct sip_ua *ua, sip_ua_outputs_fn fn, void *arg)
{
	ua->outputs_fn = fn;
	ua->outputs_arg = arg;
}

void sip_ua_free(struct sip_ua *ua)
{
	struct call_stats st;

	if (!ua)
		return;
	call_get_stats(ua->cl, &st);
	if (st.calls)
		log_info("sip: shutting down: a BYE to each of %u call(s)", st.calls);
	/* BYEs go out while the handlers still point here, before detaching. */
	call_layer_set_observer(ua->cl, NULL, NULL);
	call_layer_free(ua->cl);
	call_status_free(ua->status);
	sip_transport_set_request_handler(ua->t, NULL, NULL);
	sip_transport_set_malformed_handler(ua->t, NULL, NULL);
	sip_transport_set_response_handler(ua->t, NULL, NULL);
	checksync_clear(&ua->cs);
	free(ua);
}

void sip_ua_set_checksync(struct sip_ua *ua, sip_ua_checksync_fn fn, void *arg)
{
	ua->checksync_fn = fn;
	ua->checksync_arg = arg;
}
