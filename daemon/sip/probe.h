/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Does a proxy answer? Used while registered through the survivability
 * proxy, to know when the primary is back: every @interval seconds a fresh
 * flow to it (same transport and TLS settings, no reconnect of its own)
 * carries one OPTIONS. Any response, whatever its status (a registrar may
 * well answer 404 or 405 to OPTIONS), means a SIP server is there and the
 * callback runs; a failed connection or TLS handshake, or timer F, does not.
 */
#ifndef HERALDD_SIP_PROBE_H
#define HERALDD_SIP_PROBE_H

struct loop;
struct sip_probe;
struct sip_transport_cfg;

/* @answered runs from the loop (never inside a probe call) with the status it got. */
typedef void (*sip_probe_cb)(int status, void *arg);

struct sip_probe *sip_probe_new(struct loop *loop, const struct sip_transport_cfg *cfg,
				const char *domain, unsigned int interval_s,
				sip_probe_cb answered, void *arg);
/* Probe every interval, the first one after one interval. */
void sip_probe_start(struct sip_probe *p);
/* No more probes; closes a probe flow in progress. */
void sip_probe_stop(struct sip_probe *p);
void sip_probe_free(struct sip_probe *p);

#endif
