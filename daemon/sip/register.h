/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registration of every configured account (RFC 3261 10.2) through one
 * transport: REGISTER, digest challenges (401/407), refresh before the
 * granted expiry, 423 Min-Expires, retry after failures, re-registration
 * when the transport comes back, and unregistration (Expires: 0) on exit.
 * With a survivability proxy configured, the transport is moved to it after
 * sip.failover_after consecutive primary failures and back when a probe of
 * the primary (probe.h) gets an answer; see count_failure() in register.c.
 * The status of each account is kept in the seed's words (status.h).
 */
#ifndef HERALDD_SIP_REGISTER_H
#define HERALDD_SIP_REGISTER_H

#include <stdbool.h>

#include "msg.h"

struct loop;
struct sip_account_cfg;
struct sip_config;
struct sip_registrar;
struct sip_transport;

/*
 * Set up the transport and one registration per configured account
 * (@cfg is copied; passwords are wiped on free). Status goes to the
 * "registration" area of daemon/status.c. NULL on failure (logged).
 */
struct sip_registrar *sip_registrar_new(struct loop *loop, const struct sip_config *cfg);
/* Connect and register every enabled account. */
void sip_registrar_start(struct sip_registrar *r);
/* The transport, for the call layer: its request handler, responses, requests. */
struct sip_transport *sip_registrar_transport(struct sip_registrar *r);

/*
 * Which enabled account is @user (a Request-URI or To user)? Its number
 * N of sip.uN (1..4), with its enum sip_role in *@role; -1 if none.
 */
int sip_registrar_lookup(const struct sip_registrar *r, struct sip_str user, int *role);
/*
 * Account @n (1..4) as the registrar runs it (its password included: the
 * caller must not keep or log it), and the AOR domain of every account
 * (sip.domain, else the proxy's host; IPv6 in brackets). For checking
 * requests the registrar sends as an account (sip/checksync.h).
 */
const struct sip_account_cfg *sip_registrar_account(const struct sip_registrar *r, int n);
const char *sip_registrar_domain(const struct sip_registrar *r);

/*
 * Unregister every account that holds a binding; @done runs once all
 * answered, failed or nothing was to do (possibly before this returns).
 * The caller bounds the wait with its own timer.
 */
void sip_registrar_shutdown(struct sip_registrar *r, void (*done)(void *arg), void *arg);
void sip_registrar_free(struct sip_registrar *r);

#endif
