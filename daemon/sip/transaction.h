/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client non-INVITE transactions (RFC 3261 17.1.2): what REGISTER (and the
 * call layer's BYE, OPTIONS, ...) sends and waits an answer for.
 *
 * Over UDP the request is retransmitted on timer E (T1, doubling up to T2;
 * T2 once a provisional response arrived); over every transport timer F
 * (64 * T1) ends the wait with 408. A transport failure ends it with 503
 * (RFC 3261 8.1.3.1). Responses are matched on the top Via branch and the
 * CSeq method (17.1.3). The callback runs once, for the final outcome;
 * provisional responses only slow retransmissions down.
 */
#ifndef HERALDD_SIP_TRANSACTION_H
#define HERALDD_SIP_TRANSACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"

#define SIP_T1_MS	500
#define SIP_T2_MS	4000
#define SIP_TIMER_F_MS	(64 * SIP_T1_MS)

struct loop;
struct sip_transport;
struct sip_tx;
struct sip_txl;

/*
 * @resp is the final response (valid during the call only), or NULL with
 * @status 408 (timer F) or 503 (transport failure, send failure).
 */
typedef void (*sip_tx_cb)(const struct sip_msg *resp, int status, void *arg);

/*
 * Send @msg (a request whose top Via carries @branch, CSeq method @method)
 * and start its timers. NULL if it could not be sent or set up: nothing is
 * pending then and @cb will not be called.
 */
struct sip_tx *sip_tx_start(struct sip_transport *t, const char *branch, enum sip_method method,
			    const char *msg, size_t len, sip_tx_cb cb, void *arg);
/* Forget a pending transaction: no callback, no more retransmissions. */
void sip_tx_cancel(struct sip_tx *tx);

/* --- for transport.c --- */
struct sip_txl *sip_txl_new(struct loop *loop, struct sip_transport *t);
void sip_txl_free(struct sip_txl *l);		/* cancels everything, no callbacks */
/*
 * A parsed response: to its transaction (true), or false when it matches
 * none (17.1.3: the transport hands it on or drops it).
 */
bool sip_txl_dispatch(struct sip_txl *l, const struct sip_msg *resp);
/* The transport went down: every pending transaction ends with 503. */
void sip_txl_fail_all(struct sip_txl *l);

#endif
