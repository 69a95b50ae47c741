// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 4028 session timers as heraldd's UAS uses them: see session_timer.h.
 * Session-Expires and Supported/Require come parsed by msg.c; Min-SE has
 * no place of its own there and is read here, as strictly.
 */
#include <string.h>

#include "session_timer.h"

/* Largest interval taken: past this a timer means nothing (about 136 years). */
#define SESSION_MAX	0xffffffffu

/*
 * Min-SE = delta-seconds *(SEMI generic-param) [RFC 4028 5]. Its value, 0
 * when absent, or -1 when it does not parse or comes twice.
 */
static int64_t min_se(const struct sip_msg *req)
{
	const struct sip_hdr *h = NULL;
	unsigned int i;
	int64_t v = 0;
	size_t k;

	for (i = 0; i < req->nhdrs; i++) {
		if (req->hdrs[i].id != SIP_HDR_OTHER || !sip_str_caseeq(req->hdrs[i].name, "Min-SE"))
			continue;
		if (h)
			return -1;
		h = &req->hdrs[i];
	}
	if (!h)
		return 0;
	for (k = 0; k < h->value.len && h->value.p[k] >= '0' && h->value.p[k] <= '9'; k++) {
		v = v * 10 + (h->value.p[k] - '0');
		if (v > SESSION_MAX)
			v = SESSION_MAX;	/* saturates, as RFC 3261 deltas do */
	}
	if (!k)
		return -1;
	/* Parameters are allowed and none is ours to read; anything else is not. */
	while (k < h->value.len && (h->value.p[k] == ' ' || h->value.p[k] == '\t'))
		k++;
	if (k < h->value.len && h->value.p[k] != ';')
		return -1;
	return v;
}

void session_timer_offer(const struct sip_msg *req, struct session_offer *out)
{
	bool timer = sip_msg_supports(req, "timer") || sip_msg_requires(req, "timer");
	int64_t se = req->session_expires, mse = min_se(req);

	memset(out, 0, sizeof(*out));
	if (mse < 0) {
		out->verdict = SESSION_BAD;
		out->why = "Min-SE does not parse";
		return;
	}
	if (se < 0) {
		out->verdict = SESSION_NONE;
		out->why = "no Session-Expires";
		return;
	}
	if (!timer) {
		/* We would be the refresher: we do not refresh [9]. A 422 would
		 * only fail the call, the caller not knowing the extension.
		 */
		out->verdict = SESSION_NONE;
		out->why = "the caller does not support timer and we do not refresh";
		return;
	}
	if (req->se_refresher.len && sip_str_eq(req->se_refresher, "uas")) {
		out->verdict = SESSION_NONE;
		out->why = "refresher=uas asked and we do not refresh";
		return;
	}
	if (se < SESSION_MIN_SE) {
		out->verdict = SESSION_TOO_SMALL;
		out->why = "Session-Expires below our Min-SE";
		return;
	}
	/* Never below the Min-SE the request carries [9]. */
	out->verdict = SESSION_TIMER;
	out->interval = (unsigned int)(se > mse ? se : mse);
	out->why = "refresher=uac";
}

uint64_t session_timer_bye_ms(unsigned int interval)
{
	unsigned int margin = interval / 3 < 32 ? interval / 3 : 32;

	return (uint64_t)(interval - margin) * 1000;
}
