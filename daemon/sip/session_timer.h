/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 4028 session timers, the UAS side as heraldd plays it: what an INVITE
 * (initial or refreshing re-INVITE) asks for, and what we answer.
 *
 * heraldd never sends refreshes itself: a pager only listens, and a
 * refreshing re-INVITE of ours would need an SDP offer of ours. So the timer
 * is used only when the caller can be the refresher:
 *  - Session-Expires and Supported (or Require): timer, refresher absent or
 *    uac: answered with Session-Expires: N;refresher=uac and Require: timer
 *    [RFC 4028 9]; N is the request's interval, raised to its Min-SE if that
 *    is larger (we never lower it: we have no maximum).
 *  - The same with an interval below SESSION_MIN_SE: 422 with Min-SE [9].
 *  - refresher=uas asked, or no timer support on the caller (a proxy put
 *    the header in): answered without Session-Expires, which RFC 4028 7.2
 *    reads as "no session timer" (a proxy on the path may then still insert
 *    one with refresher=uac, section 8.2).
 *  - No Session-Expires: no timer.
 * With the timer running, no refresh by the deadline (session_timer_bye_ms())
 * ends the call with a BYE [10]. UPDATE is not supported (not in Allow): a
 * refresh must be a re-INVITE.
 */
#ifndef HERALDD_SIP_SESSION_TIMER_H
#define HERALDD_SIP_SESSION_TIMER_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

/* Our Min-SE: the smallest RFC 4028 section 4 allows. */
#define SESSION_MIN_SE		90

enum session_verdict {
	SESSION_NONE,		/* answer without Session-Expires: no timer */
	SESSION_TIMER,		/* answer with it, refresher=uac, Require: timer */
	SESSION_TOO_SMALL,	/* 422 Session Interval Too Small, Min-SE */
	SESSION_BAD,		/* 400: a Min-SE that does not parse */
};

struct session_offer {
	enum session_verdict verdict;
	unsigned int interval;		/* SESSION_TIMER: seconds */
	const char *why;		/* for the log (and the 400's Warning) */
};

/* What @req (an INVITE, initial or re-INVITE) asks for and how we answer. */
void session_timer_offer(const struct sip_msg *req, struct session_offer *out);

/*
 * Milliseconds after the 2xx of the last refresh at which we, not the
 * refresher, give up and send BYE: the interval less the smaller of 32 s
 * and a third of it [RFC 4028 10].
 */
uint64_t session_timer_bye_ms(unsigned int interval);

#endif
