// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd's calls: the UAS INVITE transaction, the dialog around it and
 * the media it sets up. See call.h for what is answered how.
 *
 * One struct call per INVITE that got a final response: answered calls,
 * and rejected ones while their final response waits for its ACK (they
 * hold no media and do not count against max_calls). A call we end
 * ourselves (no ACK, media timeout, shutdown) lingers as BYE_SENT until
 * its BYE is answered or times out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "../log.h"
#include "../loop.h"
#include "../media.h"
#include "../sdp.h"
#include "call.h"
#include "dialog.h"
#include "session_timer.h"

#define CALL_MAX_OBJECTS	256	/* calls and rejected INVITEs waiting for ACK */
#define CALL_MAX_RESP		8192
#define TIMER_H_MS		(64 * CALL_T1_MS)

enum call_state {
	CS_PROCEEDING,		/* 100 sent, 200 waits for answer_delay */
	CS_ANSWERED,		/* a 2xx sent, waiting for the ACK */
	CS_CONFIRMED,		/* ACKed */
	CS_REJECTED,		/* a failure response sent to the first INVITE */
	CS_BYE_SENT,		/* we ended it; waiting for the BYE's response */
};

struct call {
	struct call *next;
	struct call_layer *cl;
	enum call_state state;
	struct dialog dlg;
	char label[HERALD_LABEL_MAX];
	char account[12];		/* "u1"; "" when the INVITE named none */
	char *caller;			/* the From URI, for the status */
	uint8_t priority;

	/* The INVITE transaction in progress (initial or re-INVITE). */
	bool inv_pending;		/* its final response waits for an ACK */
	uint32_t inv_cseq;
	char *inv_branch;		/* its top Via branch, which a CANCEL names */
	char *resp;			/* last response to it, for retransmissions */
	size_t resp_len;
	int resp_status;
	char *resp_487;			/* CS_PROCEEDING: what a CANCEL sends instead */
	size_t resp_487_len;
	char *resp_200;			/* CS_PROCEEDING: the answer, held */
	size_t resp_200_len;
	unsigned int retx_ms;
	struct loop_timer *t_retx, *t_giveup, *t_answer, *t_media;
	/* RFC 4028: the interval the last 2xx gave (0: no timer), and its BYE. */
	unsigned int se_interval;
	struct loop_timer *t_session;

	/* Our BYE (CS_BYE_SENT). */
	char bye_branch[DIALOG_BRANCH_LEN + 1];

	/* Media. */
	bool has_media, plain;
	struct media_sess media;
	struct media_sess old_media;	/* replaced by a re-INVITE, closed at its ACK */
	bool rekey_pending;		/* old keys in media, dropped at the ACK */
	enum sdp_dir dir;
	uint8_t pt;			/* the payload type the stream accepts */
	const char *codec;		/* its name, from the configured codecs */
	time_t started;			/* when the media was first set up */
	enum sdp_dir first_dir;		/* what the first offer said the caller does */
	bool held;			/* on hold: the stream feeds no output */
	/* media.outputs, then the outputs of the account's zones. */
	uint32_t outputs[HERALD_MAX_OUTPUTS];
	unsigned int noutputs;
	uint64_t sess_id, sess_version;
	uint64_t last_packets;
	unsigned int idle_ticks, tick_s;
};

struct call_layer {
	struct loop *loop;
	struct call_config cfg;
	struct call_policy pol;
	const struct call_io *io;
	struct media media;
	struct call *calls;
	unsigned int nobjs, ncalls, nplain;
	unsigned int seq;		/* for labels */
	void (*changed)(void *arg);	/* the status observer: see call_layer_set_observer() */
	void *changed_arg;
};

/* Calls with media came, went or changed state: tell the observer. */
static void notify(struct call_layer *cl)
{
	if (cl->changed)
		cl->changed(cl->changed_arg);
}

static void call_free(struct call *c);
static void call_end(struct call *c, const char *why);

/* ---- sending ------------------------------------------------------------- */

static void send_buf(struct call_layer *cl, const struct call_peer *peer, const char *buf,
		     size_t len, const char *what)
{
	if (cl->io->send(cl->io->ctx, peer, buf, len))
		log_warn("sip: could not send %s", what);
}

/* A response that needs no state: built, sent, wiped. */
static void respond(struct call_layer *cl, const struct sip_msg *req,
		    const struct call_peer *peer, int status, const char *to_tag,
		    const struct resp_extra *x)
{
	char buf[CALL_MAX_RESP];
	int len = dialog_build_response(req, peer, status, to_tag, x, buf, sizeof(buf));

	if (len < 0) {
		log_warn("sip: cannot build a %d response to %.*s", status,
			 (int)req->method_str.len, req->method_str.p);
		return;
	}
	send_buf(cl, peer, buf, (size_t)len, "a response");
}

/* The INVITE's response, kept for retransmissions (it may hold our key). */
static void wipe_str(char **p, size_t *len)
{
	if (*p) {
		explicit_bzero(*p, *len);
		free(*p);
	}
	*p = NULL;
	*len = 0;
}

static int keep(char **dst, size_t *dlen, const char *buf, size_t len)
{
	char *p = malloc(len);

	if (!p)
		return -1;
	memcpy(p, buf, len);
	wipe_str(dst, dlen);
	*dst = p;
	*dlen = len;
	return 0;
}

static void retx_cb(struct loop_timer *t, void *arg)
{
	struct call *c = arg;

	/* The kept final response, or our BYE (Timer E) in CS_BYE_SENT. */
	if (c->resp)
		send_buf(c->cl, &c->dlg.peer, c->resp, c->resp_len, "a retransmission");
	/* T1, 2T1, 4T1, ... capped at T2 [17.2.1, 13.3.1.4]. */
	c->retx_ms = c->retx_ms * 2 > CALL_T2_MS ? CALL_T2_MS : c->retx_ms * 2;
	loop_timer_set(c->t_retx, c->retx_ms, 0);
}

/*
 * Send @buf as the final response of the INVITE transaction and keep it
 * until the ACK: retransmitted on UDP, or always for a 2xx.
 */
static void send_final(struct call *c, int status, char *buf, size_t len)
{
	bool retx = status < 300 || c->dlg.peer.transport == CALL_TP_UDP;

	if (keep(&c->resp, &c->resp_len, buf, len)) {
		log_warn("call %s: out of memory keeping the response", c->label);
		retx = false;
	}
	c->resp_status = status;
	c->inv_pending = true;
	send_buf(c->cl, &c->dlg.peer, buf, len, "a final response");
	if (retx && c->resp) {
		c->retx_ms = CALL_T1_MS;
		loop_timer_set(c->t_retx, c->retx_ms, 0);
	}
	loop_timer_set(c->t_giveup, TIMER_H_MS, 0);
}

/* ---- calls --------------------------------------------------------------- */

static struct call *find(struct call_layer *cl, const struct sip_msg *req, bool need_to_tag)
{
	struct call *c;

	for (c = cl->calls; c; c = c->next)
		if (need_to_tag ? dialog_match(&c->dlg, req) : dialog_same_caller(&c->dlg, req))
			return c;
	return NULL;
}

static bool same_branch(const struct call *c, const struct sip_msg *req)
{
	const struct sip_str b = req->nvia ? req->via[0].branch : (struct sip_str){ 0 };

	return b.len && c->inv_branch && sip_str_eq(b, c->inv_branch);
}

/* Remember the top Via branch of the INVITE now in progress. */
static int set_branch(struct call *c, const struct sip_msg *req)
{
	char *b = dialog_dup(req->via[0].branch);

	if (!b)
		return -1;
	free(c->inv_branch);
	c->inv_branch = b;
	return 0;
}

static void giveup_cb(struct loop_timer *t, void *arg);
static void answer_cb(struct loop_timer *t, void *arg);
static void media_cb(struct loop_timer *t, void *arg);
static void session_cb(struct loop_timer *t, void *arg);

/* What the call feeds: media.outputs and the account's zones, each once. */
static void call_outputs(struct call *c, const struct call_policy *pol,
			 const struct call_account *acct)
{
	unsigned int i, j;

	memcpy(c->outputs, pol->outputs, sizeof(pol->outputs[0]) * pol->noutputs);
	c->noutputs = pol->noutputs;
	for (i = 0; acct && i < acct->noutputs && c->noutputs < HERALD_MAX_OUTPUTS; i++) {
		for (j = 0; j < c->noutputs; j++)
			if (c->outputs[j] == acct->outputs[i])
				break;
		if (j == c->noutputs)
			c->outputs[c->noutputs++] = acct->outputs[i];
	}
}

static struct call *call_new(struct call_layer *cl, const struct sip_msg *inv,
			     const struct call_peer *peer, const struct call_account *acct)
{
	char contact[DIALOG_CONTACT_MAX];
	struct call *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	media_sess_init(&c->media);
	media_sess_init(&c->old_media);
	c->cl = cl;
	c->priority = acct ? acct->priority : HERALD_PRIORITY_NORMAL;
	call_outputs(c, &cl->pol, acct);
	snprintf(c->label, sizeof(c->label), "%.20s-%u", acct && acct->name ? acct->name : "call",
		 ++cl->seq);
	snprintf(c->account, sizeof(c->account), "%s", acct && acct->name ? acct->name : "");
	c->caller = dialog_dup(inv->from.uri.raw);
	if (!c->caller)
		goto err;
	if (cl->io->contact(cl->io->ctx, peer, contact, sizeof(contact)) ||
	    dialog_init_uas(&c->dlg, inv, peer, contact))
		goto err;
	c->t_retx = loop_timer_new(cl->loop, retx_cb, c);
	c->t_giveup = loop_timer_new(cl->loop, giveup_cb, c);
	c->t_answer = loop_timer_new(cl->loop, answer_cb, c);
	c->t_media = loop_timer_new(cl->loop, media_cb, c);
	c->t_session = loop_timer_new(cl->loop, session_cb, c);
	if (!c->t_retx || !c->t_giveup || !c->t_answer || !c->t_media || !c->t_session)
		goto err;
	if (getrandom(&c->sess_id, sizeof(c->sess_id), 0) != sizeof(c->sess_id))
		goto err;
	c->sess_id >>= 2;	/* fits a signed 64-bit reader too */
	c->inv_cseq = inv->cseq;
	if (set_branch(c, inv))
		goto err;
	c->next = cl->calls;
	cl->calls = c;
	cl->nobjs++;
	return c;
err:
	c->cl = NULL;	/* not linked */
	call_free(c);
	return NULL;
}

static void drop_media(struct call *c)
{
	struct call_layer *cl = c->cl;

	bool had = c->has_media;

	media_close(&cl->media, &c->old_media);
	media_close(&cl->media, &c->media);
	if (c->has_media) {
		cl->ncalls--;
		if (c->plain)
			cl->nplain--;
	}
	c->has_media = false;
	c->plain = false;
	loop_timer_set(c->t_media, 0, 0);
	if (had)
		notify(cl);
}

static void call_free(struct call *c)
{
	struct call **pp;

	if (c->cl) {
		drop_media(c);
		for (pp = &c->cl->calls; *pp; pp = &(*pp)->next) {
			if (*pp == c) {
				*pp = c->next;
				c->cl->nobjs--;
				break;
			}
		}
	}
	loop_timer_free(c->t_retx);
	loop_timer_free(c->t_giveup);
	loop_timer_free(c->t_answer);
	loop_timer_free(c->t_media);
	loop_timer_free(c->t_session);
	wipe_str(&c->resp, &c->resp_len);
	wipe_str(&c->resp_487, &c->resp_487_len);
	wipe_str(&c->resp_200, &c->resp_200_len);
	dialog_free(&c->dlg);
	free(c->inv_branch);
	free(c->caller);
	explicit_bzero(c, sizeof(*c));
	free(c);
}

/* We end an established call: BYE, kept until answered (Timer F). */
static void call_end(struct call *c, const char *why)
{
	char buf[CALL_MAX_RESP];
	int len;

	log_info("call %s: ending it: %s", c->label, why);
	drop_media(c);
	loop_timer_set(c->t_answer, 0, 0);
	loop_timer_set(c->t_session, 0, 0);
	len = dialog_build_bye(&c->dlg, c->bye_branch, buf, sizeof(buf));
	if (len < 0 || keep(&c->resp, &c->resp_len, buf, (size_t)len)) {
		log_warn("call %s: cannot build a BYE", c->label);
		call_free(c);
		return;
	}
	c->state = CS_BYE_SENT;
	c->inv_pending = false;
	send_buf(c->cl, &c->dlg.peer, buf, (size_t)len, "a BYE");
	/* Timer E on UDP; Timer F everywhere [17.1.2.2]. */
	loop_timer_set(c->t_retx, 0, 0);
	if (c->dlg.peer.transport == CALL_TP_UDP) {
		c->retx_ms = CALL_T1_MS;
		loop_timer_set(c->t_retx, c->retx_ms, 0);
	}
	loop_timer_set(c->t_giveup, TIMER_H_MS, 0);
}

static void giveup_cb(struct loop_timer *t, void *arg)
{
	struct call *c = arg;

	loop_timer_set(c->t_retx, 0, 0);
	switch (c->state) {
	case CS_BYE_SENT:
		log_info("call %s: no answer to our BYE", c->label);
		call_free(c);
		return;
	case CS_REJECTED:
		call_free(c);
		return;
	default:
		break;
	}
	/* A final response never acknowledged [13.3.1.4, 17.2.1]. */
	if (c->resp_status < 300) {
		call_end(c, "no ACK for our 2xx");
		return;
	}
	/* A rejected re-INVITE: the call goes on as it was. */
	c->inv_pending = false;
	wipe_str(&c->resp, &c->resp_len);
}

/* ---- SDP and media ------------------------------------------------------- */

struct answer {
	int status;			/* 0: answered, else the failure status */
	char why[300];
	bool module_absent;
	char sdp[2048];
	int sdp_len;
};

static int local_addr(struct call *c, char *addr, size_t size, int *family)
{
	struct call_layer *cl = c->cl;
	unsigned char a[16];
	uint16_t port;

	if (cl->cfg.address[0]) {
		snprintf(addr, size, "%s", cl->cfg.address);
		*family = inet_pton(AF_INET, addr, a) == 1 ? 4 : 6;
		return 0;
	}
	if (dialog_addr_str(&c->dlg.peer.local, addr, size, &port))
		return -1;
	*family = c->dlg.peer.local.ss_family == AF_INET6 ? 6 : 4;
	/* A wildcard is no address to send media to. */
	return strcmp(addr, "0.0.0.0") && strcmp(addr, "::") ? 0 : -1;
}

static void answer_params(struct call *c, struct sdp_answer_params *p, const char *addr,
			  int family, uint16_t port)
{
	struct call_layer *cl = c->cl;
	int mode = cl->cfg.srtp;

	memset(p, 0, sizeof(*p));
	p->user = "herald";
	p->sess_id = c->sess_id;
	p->sess_version = c->sess_version;
	p->family = family;
	p->addr = addr;
	p->port = port;
	p->codecs = cl->pol.codecs;
	p->ncodecs = cl->pol.ncodecs;
	/* off: no suite is usable, so RTP/SAVP is refused and plain answered. */
	p->suites = mode == MEDIA_SRTP_OFF ? NULL : cl->pol.suites;
	p->nsuites = mode == MEDIA_SRTP_OFF ? 0 : cl->pol.nsuites;
	p->require_srtp = mode == MEDIA_SRTP_REQUIRED;
	/* Crypto on RTP/AVP is still SRTP (RFC 8643, baresip's "srtp"). */
	p->allow_best_effort = mode != MEDIA_SRTP_OFF;
	p->rtcp_mux = true;
	p->send = false;	/* a pager listens */
	p->recv = true;
}

static void fail(struct answer *a, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct answer *a, int status, const char *fmt, ...)
{
	va_list ap;

	a->status = status;
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
}

/* The configured codec the answer chose by payload type @pt. */
static const char *codec_name(const struct call_layer *cl, const struct sdp_media *m, uint8_t pt)
{
	const struct sdp_rtpmap *map = sdp_media_rtpmap(m, pt);
	unsigned int i;

	for (i = 0; i < cl->pol.ncodecs; i++) {
		const struct sdp_codec *k = &cl->pol.codecs[i];

		if (map ? !strcasecmp(map->name, k->name) : k->static_pt == pt)
			return k->name;
	}
	return "?";	/* the answer only takes configured codecs */
}

/*
 * Answer @offer for @c: bind (or keep) the RTP socket, build the SDP
 * answer into @a, start or re-key the stream. On failure the call's media
 * is as it was.
 */
static void make_answer(struct call *c, const struct sdp_session *offer, struct answer *a)
{
	struct call_layer *cl = c->cl;
	struct sdp_answer_params par;
	struct sdp_answer_result *res;
	struct media_crypto mc;
	struct media_sess fresh;
	bool reinvite = c->has_media, hold;
	enum sdp_dir offered;
	char addr[SDP_ADDR_LEN], kwhy[256];
	int family, ret;

	memset(a, 0, sizeof(*a));
	media_sess_init(&fresh);
	res = calloc(1, sizeof(*res));
	if (!res) {
		fail(a, 500, "out of memory");
		return;
	}
	if (local_addr(c, addr, sizeof(addr), &family)) {
		fail(a, 500, "no local address for media: set media.address");
		goto out;
	}
	if (reinvite)
		c->sess_version++;
	/* A first pass with the port we have (or a placeholder) decides what is
	 * accepted; the answer is rebuilt once the port is known.
	 */
	answer_params(c, &par, addr, family, reinvite ? c->media.port : 9);
	a->sdp_len = sdp_build_answer(offer, &par, res, a->sdp, sizeof(a->sdp));
	if (a->sdp_len < 0) {
		fail(a, 500, "cannot build the SDP answer");
		goto out;
	}
	if (res->media < 0) {
		fail(a, 488, "%s", res->why);
		goto out;
	}
	media_crypto_from_sdes(&mc, res->srtp ? &offer->media[res->media].crypto[res->crypto]
					      : NULL);
	offered = sdp_media_dir(offer, (unsigned int)res->media);
	if (!reinvite)
		c->first_dir = offered;
	/* Hold [RFC 3264 8.4]: the caller stops sending, or sends (music on hold)
	 * where it used to talk. Nothing of it goes to the zones.
	 */
	hold = offered == SDP_DIR_INACTIVE || offered == SDP_DIR_RECVONLY ||
	       (offered == SDP_DIR_SENDONLY && c->first_dir == SDP_DIR_SENDRECV);
	/* The stream filters on the payload type: another codec needs another stream. */
	if (reinvite && res->pt == c->pt && media_crypto_equal(&mc, &c->media.crypto))
		goto answered;		/* same keys, same stream, same port */
	if (reinvite && res->pt == c->pt) {
		ret = media_rekey(&cl->media, &c->media, &mc, kwhy, sizeof(kwhy));
		if (ret < 0) {
			fail(a, ret == -ENOENT ? 503 : 500, "herald.ko: %s", kwhy);
			a->module_absent = ret == -ENOENT;
			goto out_mc;
		}
		if (!ret) {
			c->rekey_pending = true;
			goto answered;
		}
	}
	/* A new socket and stream; a re-INVITE's old one lives until the ACK. */
	ret = media_bind(&cl->media, &fresh, family, kwhy, sizeof(kwhy));
	if (ret) {
		fail(a, 503, "%s", kwhy);
		goto out_mc;
	}
	ret = media_start(&cl->media, &fresh, &mc, c->label, c->priority, c->outputs,
			  hold ? 0 : c->noutputs, res->pt, kwhy, sizeof(kwhy));
	if (ret) {
		a->module_absent = ret == -ENOENT;
		fail(a, a->module_absent ? 503 : 500, "herald.ko: %s", kwhy);
		media_close(&cl->media, &fresh);
		goto out_mc;
	}
	explicit_bzero(a->sdp, sizeof(a->sdp));
	sdes_local_clear(&res->local);
	answer_params(c, &par, addr, family, fresh.port);
	a->sdp_len = sdp_build_answer(offer, &par, res, a->sdp, sizeof(a->sdp));
	if (a->sdp_len < 0 || res->media < 0) {
		fail(a, 500, "cannot build the SDP answer");
		media_close(&cl->media, &fresh);
		goto out_mc;
	}
	if (reinvite) {
		media_close(&cl->media, &c->old_media);
		c->old_media = c->media;
	}
	c->media = fresh;
	c->held = hold;
answered:
	if (hold != c->held) {
		/* The same stream: its outputs follow. A failure leaves the
		 * audio as it was, which is no reason to refuse the re-INVITE.
		 */
		if (!media_set_outputs(&cl->media, &c->media, c->outputs,
				       hold ? 0 : c->noutputs))
			c->held = hold;
	}
	if (reinvite)
		log_info("call %s: %s", c->label, c->held ? "on hold: muted" : "not on hold");
	if (!c->has_media) {
		c->has_media = true;
		c->started = time(NULL);
		cl->ncalls++;
	}
	if (c->plain != !res->srtp) {
		cl->nplain += res->srtp ? -1u : 1u;
		c->plain = !res->srtp;
	}
	c->dir = res->dir;
	c->pt = res->pt;
	c->codec = codec_name(cl, &offer->media[res->media], res->pt);
	if (res->srtp)
		log_info("call %s: media on port %u, %s, payload type %u", c->label, c->media.port,
			 offer->media[res->media].crypto[res->crypto].suite_name, res->pt);
	else
		log_warn("call %s: media on port %u NOT ENCRYPTED (media.srtp = optional): "
			 "reported as an exception", c->label, c->media.port);
out_mc:
	media_crypto_wipe(&mc);
out:
	sdes_local_clear(&res->local);
	free(res);
	if (a->status)
		explicit_bzero(a->sdp, sizeof(a->sdp));
}

/* Parse the request's SDP offer: 0, or a status (400, 415, 488) and @why. */
static int get_offer(const struct sip_msg *req, struct sdp_session **out, char *why,
		     size_t whylen)
{
	struct sdp_session *s;

	*out = NULL;
	if (!req->body_len) {
		snprintf(why, whylen, "an INVITE without an SDP offer is not supported");
		return 488;
	}
	if (!sip_str_caseeq(req->content_type, "application/sdp")) {
		snprintf(why, whylen, "body is %.*s, not application/sdp",
			 (int)(req->content_type.len > 60 ? 60 : req->content_type.len),
			 req->content_type.p);
		return 415;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, whylen, "out of memory");
		return 500;
	}
	if (sdp_parse(s, req->body, req->body_len, why, whylen)) {
		sdp_session_clear(s);
		free(s);
		return 400;
	}
	*out = s;
	return 0;
}

static void free_offer(struct sdp_session *s)
{
	if (s) {
		sdp_session_clear(s);
		free(s);
	}
}

/* ---- media inactivity ---------------------------------------------------- */

static void media_timer_start(struct call *c)
{
	unsigned int t = (unsigned int)c->cl->cfg.timeout_s;

	if (!t)
		return;
	/* Look five times per timeout: a call ends between 1 and 1.2 timeouts idle. */
	c->tick_s = t >= 5 ? t / 5 : 1;
	c->idle_ticks = 0;
	c->last_packets = 0;
	loop_timer_set(c->t_media, (uint64_t)c->tick_s * 1000, (uint64_t)c->tick_s * 1000);
}

static void media_cb(struct loop_timer *t, void *arg)
{
	struct call *c = arg;
	uint64_t packets;
	int ret;

	if (!c->has_media)
		return;
	ret = media_packets(&c->cl->media, &c->media, &packets);
	if (ret == -ENOENT) {
		call_end(c, "its stream is gone from herald.ko");
		return;
	}
	/* On hold the caller sends nothing: that is no reason to hang up. */
	if (ret || packets != c->last_packets || c->dir == SDP_DIR_INACTIVE ||
	    c->dir == SDP_DIR_SENDONLY) {
		if (!ret)
			c->last_packets = packets;
		c->idle_ticks = 0;
		return;
	}
	c->idle_ticks++;
	if ((uint64_t)c->idle_ticks * c->tick_s >= (uint64_t)c->cl->cfg.timeout_s)
		call_end(c, "no media for media.timeout seconds");
}

/* ---- session timer (RFC 4028) -------------------------------------------- */

static void reject_x(struct call *c, const struct sip_msg *req, int status,
		     const struct resp_extra *x);
static void reject(struct call *c, const struct sip_msg *req, int status, const char *why,
		   bool module_absent);

/* A 2xx with @c->se_interval just went out: the caller must refresh in time. */
static void session_arm(struct call *c)
{
	loop_timer_set(c->t_session,
		       c->se_interval ? session_timer_bye_ms(c->se_interval) : 0, 0);
}

static void session_cb(struct loop_timer *t, void *arg)
{
	struct call *c = arg;

	if (c->state == CS_BYE_SENT || c->state == CS_REJECTED)
		return;
	call_end(c, "no session refresh within Session-Expires (RFC 4028)");
}

/*
 * What @req asks of the session timer: 0 with @se the interval to answer
 * (0: no timer), or -1 once a 400 or 422 has been sent for @c's INVITE.
 */
static int session_negotiate(struct call *c, const struct sip_msg *req, unsigned int *se)
{
	struct session_offer o;

	session_timer_offer(req, &o);
	*se = 0;
	switch (o.verdict) {
	case SESSION_TIMER:
		log_info("call %s: session timer %u s, refreshed by the caller", c->label,
			 o.interval);
		*se = o.interval;
		return 0;
	case SESSION_NONE:
		if (req->session_expires >= 0)
			log_info("call %s: no session timer: %s", c->label, o.why);
		return 0;
	case SESSION_TOO_SMALL: {
		struct resp_extra x = { .min_se = SESSION_MIN_SE, .supported = true };

		log_info("call %s: refused with 422: Session-Expires %lld below %u", c->label,
			 (long long)req->session_expires, SESSION_MIN_SE);
		reject_x(c, req, 422, &x);
		return -1;
	}
	case SESSION_BAD:
	default:
		reject(c, req, 400, o.why, false);
		return -1;
	}
}

/* ---- INVITE -------------------------------------------------------------- */

static bool unsupported_require(const struct sip_msg *req, char *list, size_t size)
{
	unsigned int i;
	bool any = false;
	size_t n = 0;

	/* timer is the one extension we support; others are not [8.2.2.3]. */
	list[0] = '\0';
	for (i = 0; i < req->nrequire; i++) {
		int w;

		if (sip_str_caseeq(req->require[i], DIALOG_SUPPORTED))
			continue;
		any = true;
		w = snprintf(list + n, size - n, "%s%.*s", n ? ", " : "",
			     (int)req->require[i].len, req->require[i].p);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
	return any;
}

/* A failure final response to the INVITE of @c. */
/* A failure final response to the INVITE of @c, with @x's headers. */
static void reject_x(struct call *c, const struct sip_msg *req, int status,
		     const struct resp_extra *x)
{
	char buf[CALL_MAX_RESP];
	int len = dialog_build_response(req, &c->dlg.peer, status, c->dlg.local_tag, x, buf,
					sizeof(buf));

	if (len >= 0) {
		send_final(c, status, buf, (size_t)len);
		return;
	}
	log_warn("call %s: cannot build the %d", c->label, status);
	/* A rejected first INVITE still goes away in time; a call stays as it was. */
	if (c->state == CS_REJECTED)
		loop_timer_set(c->t_giveup, TIMER_H_MS, 0);
}

static void reject(struct call *c, const struct sip_msg *req, int status, const char *why,
		   bool module_absent)
{
	struct resp_extra x = { .warning = why };

	if (status == 415)
		x.accept = true;
	if (status == 503)
		x.retry_after = 30;
	if (module_absent)
		log_error("call %s: refused with 503: %s", c->label, why);
	else
		log_info("call %s: refused with %d: %s", c->label, status, why);
	reject_x(c, req, status, &x);
}

/* The 2xx with our answer; @se: Session-Expires to give (0: none). */
static int build_200(struct call *c, const struct sip_msg *req, const struct answer *a,
		     unsigned int se, char *buf, size_t size)
{
	struct resp_extra x = {
		.contact = c->dlg.contact, .allow = true, .accept = true, .supported = true,
		.session_expires = se, .body = a->sdp, .body_len = (size_t)a->sdp_len,
	};

	return dialog_build_response(req, &c->dlg.peer, 200, c->dlg.local_tag, &x, buf, size);
}

static void answer_free(struct answer *a)
{
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/*
 * Parse @req's offer and answer it for @c. NULL once a refusal has been
 * sent (the call's media is then as it was); else the answer, for
 * answer_free().
 */
static struct answer *answer_request(struct call *c, const struct sip_msg *req)
{
	struct sdp_session *offer = NULL;
	struct answer *a;
	char why[300];
	int status = get_offer(req, &offer, why, sizeof(why));

	if (status) {
		reject(c, req, status, why, false);
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		free_offer(offer);
		reject(c, req, 500, "out of memory", false);
		return NULL;
	}
	make_answer(c, offer, a);
	free_offer(offer);
	if (a->status) {
		reject(c, req, a->status, a->why, a->module_absent);
		answer_free(a);
		return NULL;
	}
	return a;
}

static void answer_cb(struct loop_timer *t, void *arg)
{
	struct call *c = arg;
	char *buf = c->resp_200;
	size_t len = c->resp_200_len;

	if (c->state != CS_PROCEEDING || !buf)
		return;
	c->resp_200 = NULL;
	c->resp_200_len = 0;
	wipe_str(&c->resp_487, &c->resp_487_len);
	c->state = CS_ANSWERED;
	send_final(c, 200, buf, len);
	explicit_bzero(buf, len);
	free(buf);
	media_timer_start(c);
	session_arm(c);
	notify(c->cl);
}

static void initial_invite(struct call_layer *cl, const struct sip_msg *req,
			   const struct call_peer *peer, const struct call_account *acct)
{
	struct answer *a = NULL;
	char buf[CALL_MAX_RESP], why[300];
	struct call *c;
	unsigned int se;
	int len;

	c = find(cl, req, false);
	if (c) {
		/* The same INVITE again: its last response again [17.2.1]. */
		if (c->inv_cseq == req->cseq && same_branch(c, req)) {
			if (c->resp)
				send_buf(cl, peer, c->resp, c->resp_len, "a retransmission");
			else if (c->state == CS_PROCEEDING)
				respond(cl, req, peer, 100, NULL, NULL);
			return;
		}
		/* Same request by another path: a fork merged back [8.2.2.2]. */
		if (c->inv_cseq == req->cseq) {
			respond(cl, req, peer, 482, NULL, NULL);
			return;
		}
		/* A new try after our refusal (503 Retry-After, 488): the old
		 * transaction is over for the caller, whether its ACK came or not.
		 */
		if (c->state != CS_REJECTED || req->cseq < c->inv_cseq) {
			struct resp_extra x = { .warning = "INVITE for a live call without a To tag" };

			respond(cl, req, peer, 400, NULL, &x);
			return;
		}
		call_free(c);
	}
	if (cl->nobjs >= CALL_MAX_OBJECTS) {
		/* Stateless: nothing left to keep a transaction in. */
		struct resp_extra x = { .warning = "too many transactions", .retry_after = 5 };

		respond(cl, req, peer, 503, NULL, &x);
		return;
	}
	if (dialog_check_targets(req) || !req->nvia || !req->via[0].branch.len) {
		struct resp_extra x = { .warning = dialog_check_targets(req) ?
					dialog_check_targets(req) : "Via without a branch" };

		respond(cl, req, peer, 400, NULL, &x);
		return;
	}
	c = call_new(cl, req, peer, acct);
	if (!c) {
		respond(cl, req, peer, 500, NULL, NULL);
		return;
	}
	log_info("call %s: INVITE from %.*s", c->label, (int)req->from.uri.raw.len,
		 req->from.uri.raw.p);
	respond(cl, req, peer, 100, NULL, NULL);
	c->state = CS_REJECTED;		/* until answered */
	if (unsupported_require(req, why, sizeof(why))) {
		struct resp_extra x = { .unsupported = why };

		log_info("call %s: refused with 420: Require: %s", c->label, why);
		reject_x(c, req, 420, &x);
		return;
	}
	if (session_negotiate(c, req, &se))
		return;
	if (cl->ncalls >= (unsigned int)cl->cfg.max_calls) {
		snprintf(why, sizeof(why), "%u calls already (call.max_calls)", cl->ncalls);
		reject(c, req, 486, why, false);
		return;
	}
	a = answer_request(c, req);
	if (!a)
		return;
	c->se_interval = se;	/* armed when the 2xx goes out */
	len = build_200(c, req, a, se, buf, sizeof(buf));
	if (len < 0) {
		drop_media(c);
		reject(c, req, 500, "cannot build the 200 OK", false);
		goto out;
	}
	if (cl->cfg.answer_delay_ms) {
		char b487[CALL_MAX_RESP];
		int l487 = dialog_build_response(req, peer, 487, c->dlg.local_tag, NULL, b487,
						 sizeof(b487));

		if (l487 < 0 || keep(&c->resp_487, &c->resp_487_len, b487, (size_t)l487) ||
		    keep(&c->resp_200, &c->resp_200_len, buf, (size_t)len)) {
			drop_media(c);
			reject(c, req, 500, "out of memory", false);
			goto out;
		}
		c->state = CS_PROCEEDING;
		loop_timer_set(c->t_answer, (uint64_t)cl->cfg.answer_delay_ms, 0);
	} else {
		c->state = CS_ANSWERED;
		send_final(c, 200, buf, (size_t)len);
		media_timer_start(c);
		session_arm(c);
	}
	notify(cl);
out:
	explicit_bzero(buf, sizeof(buf));
	answer_free(a);
}

static void reinvite(struct call *c, const struct sip_msg *req, const struct call_peer *peer)
{
	struct call_layer *cl = c->cl;
	struct answer *a;
	char buf[CALL_MAX_RESP];
	unsigned int se;
	int len;

	if (c->inv_pending && req->cseq == c->inv_cseq && same_branch(c, req)) {
		if (c->resp)
			send_buf(cl, peer, c->resp, c->resp_len, "a retransmission");
		return;
	}
	if (c->state != CS_CONFIRMED || c->inv_pending) {
		/* An INVITE still unacknowledged [14.2]. */
		struct resp_extra x = { .retry_after = 1 + (int)(c->sess_id % 10) };

		respond(cl, req, peer, 500, NULL, &x);
		return;
	}
	if (req->cseq <= c->dlg.remote_cseq) {
		respond(cl, req, peer, 500, NULL, NULL);	/* out of order [12.2.2] */
		return;
	}
	c->dlg.remote_cseq = req->cseq;
	c->inv_cseq = req->cseq;
	if (set_branch(c, req)) {
		respond(cl, req, peer, 500, NULL, NULL);
		return;
	}
	c->dlg.peer = *peer;
	if (dialog_refresh_target(&c->dlg, req))
		log_warn("call %s: out of memory keeping the new remote target", c->label);
	/* Refused, the session goes on as it was [14.2], its timer too: only a
	 * 2xx refreshes it [RFC 4028 10].
	 */
	if (session_negotiate(c, req, &se))
		return;
	a = answer_request(c, req);
	if (!a)
		return;
	len = build_200(c, req, a, se, buf, sizeof(buf));
	if (len < 0) {
		reject(c, req, 500, "cannot build the 200 OK", false);
	} else {
		c->state = CS_ANSWERED;
		send_final(c, 200, buf, (size_t)len);
		/* A refresh: the interval starts again, or ends if not asked for. */
		c->se_interval = se;
		session_arm(c);
		log_info("call %s: re-INVITE answered", c->label);
	}
	/* Even refused, the answer may have changed keys or codec in place. */
	notify(cl);
	explicit_bzero(buf, sizeof(buf));
	answer_free(a);
}

/* ---- ACK, CANCEL, BYE, OPTIONS ------------------------------------------- */

static void ack(struct call_layer *cl, const struct sip_msg *req)
{
	struct call *c = find(cl, req, true);

	/* An ACK is never answered; one that matches nothing is dropped [17.2.3]. */
	if (!c || !c->inv_pending || req->cseq != c->inv_cseq)
		return;
	loop_timer_set(c->t_retx, 0, 0);
	loop_timer_set(c->t_giveup, 0, 0);
	c->inv_pending = false;
	wipe_str(&c->resp, &c->resp_len);	/* it held our key */
	if (c->state == CS_REJECTED) {
		call_free(c);
		return;
	}
	if (c->state == CS_ANSWERED) {
		c->state = CS_CONFIRMED;
		if (c->rekey_pending) {
			media_commit_rekey(&cl->media, &c->media);
			c->rekey_pending = false;
		}
		media_close(&cl->media, &c->old_media);
		log_info("call %s: established", c->label);
		notify(cl);
	}
	/* A rejected re-INVITE's ACK leaves the call CONFIRMED. */
}

static void cancel(struct call_layer *cl, const struct sip_msg *req, const struct call_peer *peer)
{
	struct call *c;

	for (c = cl->calls; c; c = c->next)
		if (dialog_same_caller(&c->dlg, req) && c->inv_cseq == req->cseq &&
		    same_branch(c, req) && c->state != CS_BYE_SENT)
			break;
	if (!c) {
		respond(cl, req, peer, 481, NULL, NULL);
		return;
	}
	/* The same To tag as the INVITE's response [9.2]. */
	respond(cl, req, peer, 200, c->dlg.local_tag, NULL);
	if (c->state != CS_PROCEEDING)
		return;		/* already answered: the CANCEL changes nothing */
	log_info("call %s: cancelled", c->label);
	drop_media(c);
	loop_timer_set(c->t_answer, 0, 0);
	wipe_str(&c->resp_200, &c->resp_200_len);
	c->state = CS_REJECTED;
	{
		char *b = c->resp_487;
		size_t l = c->resp_487_len;

		c->resp_487 = NULL;
		c->resp_487_len = 0;
		if (b) {
			send_final(c, 487, b, l);
			free(b);
		}
	}
}

static void bye(struct call_layer *cl, const struct sip_msg *req, const struct call_peer *peer)
{
	struct call *c = find(cl, req, true);

	if (!c || c->state == CS_REJECTED || c->state == CS_PROCEEDING) {
		respond(cl, req, peer, 481, NULL, NULL);
		return;
	}
	if (c->state != CS_BYE_SENT && req->cseq <= c->dlg.remote_cseq) {
		respond(cl, req, peer, 500, NULL, NULL);
		return;
	}
	respond(cl, req, peer, 200, NULL, NULL);
	log_info("call %s: ended by the caller", c->label);
	call_free(c);
}

static void options(struct call_layer *cl, const struct sip_msg *req,
		    const struct call_peer *peer)
{
	struct resp_extra x = { .allow = true, .accept = true, .supported = true };
	char tag[DIALOG_TAG_LEN + 1];

	if (dialog_random_hex(tag, DIALOG_TAG_LEN)) {
		respond(cl, req, peer, 500, NULL, NULL);
		return;
	}
	respond(cl, req, peer, 200, tag, &x);
}

/* ---- entry points -------------------------------------------------------- */

void call_rx_request(struct call_layer *cl, const struct sip_msg *req,
		     const struct call_peer *peer, const struct call_account *acct)
{
	struct call *c;

	if (!req->is_request)
		return;
	switch (req->method) {
	case SIP_METHOD_INVITE:
		if (!req->to.tag.len) {
			initial_invite(cl, req, peer, acct);
			return;
		}
		c = find(cl, req, true);
		if (!c || c->state == CS_REJECTED || c->state == CS_BYE_SENT)
			respond(cl, req, peer, 481, NULL, NULL);
		else
			reinvite(c, req, peer);
		return;
	case SIP_METHOD_ACK:
		ack(cl, req);
		return;
	case SIP_METHOD_CANCEL:
		cancel(cl, req, peer);
		return;
	case SIP_METHOD_BYE:
		bye(cl, req, peer);
		return;
	case SIP_METHOD_OPTIONS:
		options(cl, req, peer);
		return;
	default: {
		struct resp_extra x = { .allow = true };
		char tag[DIALOG_TAG_LEN + 1];

		respond(cl, req, peer, 405, dialog_random_hex(tag, DIALOG_TAG_LEN) ? NULL : tag,
			&x);
		return;
	}
	}
}

void call_rx_malformed(struct call_layer *cl, const struct sip_msg *partial,
		       const struct sip_error *err, const struct call_peer *peer)
{
	struct resp_extra x = { .warning = err->text };

	if (!err->can_reply || !err->status)
		return;
	if (partial->method == SIP_METHOD_ACK)
		return;		/* never answered */
	respond(cl, partial, peer, err->status, NULL, &x);
}

void call_rx_response(struct call_layer *cl, const struct sip_msg *resp)
{
	struct call *c;

	if (resp->is_request || resp->cseq_method != SIP_METHOD_BYE || !resp->nvia ||
	    resp->status < 200)
		return;
	for (c = cl->calls; c; c = c->next) {
		if (c->state == CS_BYE_SENT && sip_str_eq(resp->via[0].branch, c->bye_branch) &&
		    sip_str_eq(resp->call_id, c->dlg.call_id)) {
			log_info("call %s: BYE answered with %d", c->label, resp->status);
			call_free(c);
			return;
		}
	}
}

struct call_layer *call_layer_new(struct loop *loop, const struct call_config *cfg,
				  const struct call_policy *pol, const struct call_io *io,
				  const struct kernel_ops *kops, void *kctx)
{
	struct call_layer *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return NULL;
	cl->loop = loop;
	cl->cfg = *cfg;
	cl->pol = *pol;
	cl->io = io;
	media_init(&cl->media, kops, kctx, (uint16_t)cfg->port_min, (uint16_t)cfg->port_max);
	return cl;
}

void call_layer_set_audio(struct call_layer *cl, const struct audio *a)
{
	media_set_audio(&cl->media, a);
}

void call_layer_free(struct call_layer *cl)
{
	struct call *c, *next;

	if (!cl)
		return;
	for (c = cl->calls; c; c = next) {
		next = c->next;
		/* Tell callers of established calls; the BYE is not waited for. */
		if (c->state == CS_CONFIRMED || c->state == CS_ANSWERED) {
			char buf[CALL_MAX_RESP], branch[DIALOG_BRANCH_LEN + 1];
			int len = dialog_build_bye(&c->dlg, branch, buf, sizeof(buf));

			if (len > 0)
				send_buf(cl, &c->dlg.peer, buf, (size_t)len, "a BYE");
		}
		call_free(c);
	}
	free(cl);
}

void call_get_stats(const struct call_layer *cl, struct call_stats *st)
{
	const struct call *c;

	memset(st, 0, sizeof(*st));
	st->calls = cl->ncalls;
	st->plain = cl->nplain;
	for (c = cl->calls; c; c = c->next)
		if (c->state == CS_REJECTED)
			st->pending++;
}

void call_foreach(const struct call_layer *cl,
		  void (*cb)(const struct call_info *info, void *arg), void *arg)
{
	const struct call *c;

	for (c = cl->calls; c; c = c->next) {
		struct call_info info = {
			.label = c->label,
			.account = c->account,
			.call_id = c->dlg.call_id,
			.remote = c->dlg.remote_hdr,
			.caller = c->caller,
			.state = c->state == CS_CONFIRMED ? "established" :
				 c->state == CS_PROCEEDING ? "proceeding" : "answered",
			.srtp = !c->plain,
			.suite = c->media.crypto.suite,
			.codec = c->codec ? c->codec : "?",
			.port = c->media.port,
			.stream_id = c->media.stream_id,
			.priority = c->priority,
			.started = c->started,
			.held = c->held,
		};

		if (c->has_media)
			cb(&info, arg);
	}
}

void call_layer_set_observer(struct call_layer *cl, void (*changed)(void *arg), void *arg)
{
	cl->changed = changed;
	cl->changed_arg = arg;
}
