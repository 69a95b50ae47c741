/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user agent: the registrar's transport (register.h, transport.h) joined
 * to the call layer (call.h). It gives the call layer its struct call_io on
 * the transport's one flow, and feeds it what the transport receives:
 * requests (with the account the Request-URI names), malformed requests,
 * and responses no client transaction of the registrar took (those to the
 * call layer's BYEs).
 *
 * Accounts: an out-of-dialog INVITE must name an enabled account
 * (sip.uN.user) in its Request-URI, as the registrar routes to the Contact
 * we registered; else 404 [RFC 3261 8.2.2.1]. Role "page" gives normal
 * priority, "emergency" emergency priority. An out-of-dialog NOTIFY must
 * name one too (else 404): it is the registrar's check-sync, answered by
 * checksync.h's rules, and a 200 runs the callback set with
 * sip_ua_set_checksync(). Other requests go to the call layer whatever
 * their Request-URI (in-dialog ones are matched by dialog).
 */
#ifndef HERALDD_SIP_UA_H
#define HERALDD_SIP_UA_H

#include <stdint.h>

#include "../call_config.h"

struct kernel;
struct audio;
struct loop;
struct sip_registrar;
struct sip_ua;

/*
 * The call layer on @r's transport, with herald.ko through @k (kernel.h; a
 * module loaded later is found then; @k must outlive the user agent). Its
 * calls go to the status file and the encryption registry
 * (call_status.h) and play on @audio's sink (NULL: no local playback),
 * which must outlive the UA too. @cfg and @pol are copied. NULL on
 * failure (logged).
 */
struct sip_ua *sip_ua_new(struct loop *loop, struct sip_registrar *r, struct kernel *k,
			  const struct call_config *cfg, const struct call_policy *pol,
			  const struct audio *audio);
/*
 * Where the outputs of account @acct's zones come from (zones.c's
 * zones_account_outputs()): asked at each new call, which then feeds them
 * besides media.outputs. @fn NULL: none.
 */
typedef unsigned int (*sip_ua_outputs_fn)(void *arg, int acct, uint32_t *out, unsigned int max);
void sip_ua_set_account_outputs(struct sip_ua *ua, sip_ua_outputs_fn fn, void *arg);

/*
 * End every call (a BYE to each established one, queued on the flow before
 * this returns, so before any unregistration) and detach from the
 * transport. The registrar must outlive this call.
 */
void sip_ua_free(struct sip_ua *ua);

/*
 * What an authenticated NOTIFY check-sync asks for (heraldd: a
 * provisioning round, rate-limited there). Without one, the NOTIFY still
 * gets its 200 and the log says nothing was triggered.
 */
typedef void (*sip_ua_checksync_fn)(void *arg);
void sip_ua_set_checksync(struct sip_ua *ua, sip_ua_checksync_fn fn, void *arg);

#endif
