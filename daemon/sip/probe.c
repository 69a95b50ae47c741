// SPDX-License-Identifier: GPL-2.0
/*
 * Proxy liveness probe: see probe.h.
 *
 * The probe's transport is made and freed from the probe's own timers,
 * never from inside one of the transport's callbacks, which may still be
 * using it when they return.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../heraldd.h"
#include "../log.h"
#include "../loop.h"
#include "probe.h"
#include "transaction.h"
#include "transport.h"

struct sip_probe {
	struct loop *loop;
	struct sip_transport_cfg cfg;
	char domain[136];
	unsigned int interval_s;
	sip_probe_cb answered;
	void *arg;

	struct sip_transport *t;		/* the flow of the probe in progress */
	struct sip_tx *tx;
	char call_id[48];
	char from_tag[24];
	uint32_t cseq;
	int status;				/* of the answer, for the deferred callback */
	struct loop_timer *every;		/* next probe */
	struct loop_timer *report;		/* deferred callback */
};

static void close_probe(struct sip_probe *p)
{
	if (p->tx) {
		sip_tx_cancel(p->tx);
		p->tx = NULL;
	}
	sip_transport_free(p->t);
	p->t = NULL;
}

static void options_done(const struct sip_msg *resp, int status, void *arg)
{
	struct sip_probe *p = arg;

	p->tx = NULL;
	if (!resp) {
		log_debug("sip: probe of %s: no answer (%d)", sip_transport_remote_hostport(p->t),
			  status);
		return;
	}
	log_info("sip: probe of %s: answered %d %.*s", sip_transport_remote_hostport(p->t),
		 resp->status, (int)resp->reason.len, resp->reason.p);
	p->status = resp->status;
	loop_timer_set(p->every, 0, 0);
	loop_timer_set(p->report, 1, 0);
}

static void probe_up(struct sip_transport *t, void *ctx)
{
	struct sip_probe *p = ctx;
	static char buf[2048];
	char branch[48], uri[160];
	struct sip_builder b;
	enum sip_proto proto = sip_transport_proto(t);
	int len;

	if (sip_new_branch(branch))
		return;
	snprintf(uri, sizeof(uri), "sip:%s", p->domain);
	sip_build_init(&b, buf, sizeof(buf));
	sip_build_request_line(&b, "OPTIONS", uri);
	sip_build_header(&b, "Via", "SIP/2.0/%s %s:%u;branch=%s;rport", sip_proto_via(proto),
			 sip_transport_local_host(t), sip_transport_local_port(t), branch);
	sip_build_header(&b, "Max-Forwards", "70");
	sip_build_header(&b, "From", "<sip:herald@%s>;tag=%s", p->domain, p->from_tag);
	sip_build_header(&b, "To", "<%s>", uri);
	sip_build_header(&b, "Call-ID", "%s", p->call_id);
	sip_build_header(&b, "CSeq", "%u OPTIONS", ++p->cseq);
	sip_build_header(&b, "Accept", "application/sdp");
	sip_build_header(&b, "User-Agent", "herald/%s", HERALDD_VERSION);
	len = sip_build_finish(&b, NULL, NULL, 0);
	if (len < 0)
		return;
	p->tx = sip_tx_start(t, branch, SIP_METHOD_OPTIONS, buf, len, options_done, p);
}

static void probe_down(struct sip_transport *t, const char *why, void *ctx)
{
	/* Nothing to do: the flow stays down (no_reconnect) until the next probe frees it. */
}

static void every_fired(struct loop_timer *timer, void *arg)
{
	static const struct sip_transport_ops ops = { .up = probe_up, .down = probe_down };
	struct sip_probe *p = arg;

	close_probe(p);
	p->t = sip_transport_new(p->loop, &p->cfg, &ops, p);
	if (!p->t)
		return;		/* logged; the next interval tries again */
	/* A fresh Call-ID per probe flow; the CSeq goes on counting. */
	if (sip_random_hex(p->call_id, sizeof(p->call_id), 16))
		return;
	sip_transport_start(p->t);
}

static void report_fired(struct loop_timer *timer, void *arg)
{
	struct sip_probe *p = arg;

	close_probe(p);
	p->answered(p->status, p->arg);
}

struct sip_probe *sip_probe_new(struct loop *loop, const struct sip_transport_cfg *cfg,
				const char *domain, unsigned int interval_s,
				sip_probe_cb answered, void *arg)
{
	struct sip_probe *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->loop = loop;
	p->cfg = *cfg;
	p->cfg.no_reconnect = true;
	p->cfg.keepalive_s = 0;
	snprintf(p->domain, sizeof(p->domain), "%s", domain);
	p->interval_s = interval_s ? interval_s : 1;
	p->answered = answered;
	p->arg = arg;
	p->every = loop_timer_new(loop, every_fired, p);
	p->report = loop_timer_new(loop, report_fired, p);
	if (!p->every || !p->report || sip_random_hex(p->from_tag, sizeof(p->from_tag), 8)) {
		sip_probe_free(p);
		return NULL;
	}
	return p;
}

void sip_probe_start(struct sip_probe *p)
{
	loop_timer_set(p->every, (uint64_t)p->interval_s * 1000, (uint64_t)p->interval_s * 1000);
}

void sip_probe_stop(struct sip_probe *p)
{
	loop_timer_set(p->every, 0, 0);
	loop_timer_set(p->report, 0, 0);
	close_probe(p);
}

void sip_probe_free(struct sip_probe *p)
{
	if (!p)
		return;
	close_probe(p);
	if (p->every)
		loop_timer_free(p->every);
	if (p->report)
		loop_timer_free(p->report);
	free(p);
}
