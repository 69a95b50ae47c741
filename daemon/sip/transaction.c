// SPDX-License-Identifier: GPL-2.0
/*
 * Client non-INVITE transactions: see transaction.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "../loop.h"
#include "transaction.h"
#include "transport.h"

struct sip_tx {
	struct sip_txl *l;
	struct sip_tx *next;
	char branch[64];
	enum sip_method method;
	char *msg;			/* kept for retransmission (UDP) */
	size_t len;
	unsigned int interval_ms;	/* timer E's current value */
	bool proceeding;		/* a 1xx arrived */
	struct loop_timer *timer_e, *timer_f;
	sip_tx_cb cb;
	void *arg;
};

struct sip_txl {
	struct loop *loop;
	struct sip_transport *t;
	struct sip_tx *head;
};

struct sip_txl *sip_txl_new(struct loop *loop, struct sip_transport *t)
{
	struct sip_txl *l = calloc(1, sizeof(*l));

	if (l) {
		l->loop = loop;
		l->t = t;
	}
	return l;
}

static void unlink_tx(struct sip_tx *tx)
{
	struct sip_tx **pp;

	for (pp = &tx->l->head; *pp; pp = &(*pp)->next) {
		if (*pp == tx) {
			*pp = tx->next;
			break;
		}
	}
}

static void free_tx(struct sip_tx *tx)
{
	if (tx->timer_e)
		loop_timer_free(tx->timer_e);
	if (tx->timer_f)
		loop_timer_free(tx->timer_f);
	/* Requests carry Authorization values: not secret, but not litter. */
	if (tx->msg)
		explicit_bzero(tx->msg, tx->len);
	free(tx->msg);
	free(tx);
}

void sip_tx_cancel(struct sip_tx *tx)
{
	if (!tx)
		return;
	unlink_tx(tx);
	free_tx(tx);
}

/* Ends @tx: unlinked and freed before the callback, which may start another. */
static void finish(struct sip_tx *tx, const struct sip_msg *resp, int status)
{
	sip_tx_cb cb = tx->cb;
	void *arg = tx->arg;

	unlink_tx(tx);
	free_tx(tx);
	cb(resp, status, arg);
}

static void timer_e_fired(struct loop_timer *timer, void *arg)
{
	struct sip_tx *tx = arg;
	unsigned int next;

	/* 17.1.2.2: double up to T2; in Proceeding, always T2. */
	next = tx->proceeding ? SIP_T2_MS : tx->interval_ms * 2;
	if (next > SIP_T2_MS)
		next = SIP_T2_MS;
	tx->interval_ms = next;
	loop_timer_set(tx->timer_e, next, 0);
	if (sip_transport_send(tx->l->t, tx->msg, tx->len))
		log_debug("sip: retransmission of %s failed", sip_method_name(tx->method));
}

static void timer_f_fired(struct loop_timer *timer, void *arg)
{
	finish(arg, NULL, 408);
}

struct sip_tx *sip_tx_start(struct sip_transport *t, const char *branch, enum sip_method method,
			    const char *msg, size_t len, sip_tx_cb cb, void *arg)
{
	struct sip_txl *l = sip_transport_txl(t);
	struct loop *loop = l->loop;
	struct sip_tx *tx;

	if (strlen(branch) >= sizeof(tx->branch))
		return NULL;
	tx = calloc(1, sizeof(*tx));
	if (!tx)
		return NULL;
	tx->l = l;
	strcpy(tx->branch, branch);
	tx->method = method;
	tx->cb = cb;
	tx->arg = arg;
	tx->len = len;
	tx->interval_ms = SIP_T1_MS;
	tx->timer_f = loop_timer_new(loop, timer_f_fired, tx);
	if (!tx->timer_f || loop_timer_set(tx->timer_f, SIP_TIMER_F_MS, 0))
		goto fail;
	/* Reliable transports retransmit themselves (17.1.2.2: no timer E). */
	if (sip_transport_proto(t) == SIP_PROTO_UDP) {
		tx->msg = malloc(len);
		if (!tx->msg)
			goto fail;
		memcpy(tx->msg, msg, len);
		tx->timer_e = loop_timer_new(loop, timer_e_fired, tx);
		if (!tx->timer_e || loop_timer_set(tx->timer_e, SIP_T1_MS, 0))
			goto fail;
	}
	if (sip_transport_send(t, msg, len))
		goto fail;
	tx->next = l->head;
	l->head = tx;
	return tx;
fail:
	free_tx(tx);
	return NULL;
}

bool sip_txl_dispatch(struct sip_txl *l, const struct sip_msg *resp)
{
	struct sip_tx *tx;

	if (resp->nvia != 1 || !resp->via[0].branch.p)
		return false;
	for (tx = l->head; tx; tx = tx->next) {
		if (sip_str_eq(resp->via[0].branch, tx->branch) && resp->cseq_method == tx->method)
			break;
	}
	if (!tx) {
		log_debug("sip: response %d for no pending transaction of the registrar", resp->status);
		return false;
	}
	if (resp->status < 200) {
		tx->proceeding = true;
		return true;
	}
	finish(tx, resp, resp->status);
	return true;
}

void sip_txl_fail_all(struct sip_txl *l)
{
	/* One at a time: a callback may start a new transaction (it fails at once, as we are down). */
	while (l->head)
		finish(l->head, NULL, 503);
}

void sip_txl_free(struct sip_txl *l)
{
	if (!l)
		return;
	while (l->head)
		sip_tx_cancel(l->head);
	free(l);
}
