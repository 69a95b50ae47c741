/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's calls (RFC 3261 UAS): page INVITEs answered automatically, with
 * the SDP answer (daemon/sdp.c) and media handed to herald.ko
 * (daemon/media.c).
 *
 * The call layer owns no socket. The transport parses what it receives
 * (daemon/sip/msg.h) and hands requests to call_rx_request(); the call
 * layer answers through struct call_io, naming the flow the request came
 * in on (struct call_peer), which the transport keeps meaning the same
 * thing for as long as it can (a UDP address, or a TCP/TLS connection:
 * RFC 3261 18.2.2 sends responses back over the request's connection).
 *
 * What it does, RFC 3261 section in brackets:
 *  - INVITE: 100 Trying at once, then 200 OK with the SDP answer, after
 *    call.answer_delay_ms [13.3.1]; 486 beyond call.max_calls; 488 with a
 *    Warning when no offered stream is acceptable (media.srtp); 503 when
 *    herald.ko is not loaded or no RTP port is free; 400 for an INVITE
 *    without Contact or with an SDP that does not parse; 420 for a Require
 *    we do not support (any but timer) [8.2.2.3].
 *  - Final responses are retransmitted until the ACK: 2xx on every
 *    transport [13.3.1.4], others on UDP only [17.2.1]; T1 doubling up to
 *    T2, given up after 64*T1 (a 2xx then ends the call with a BYE).
 *  - A retransmitted INVITE gets the last response again [17.2.1].
 *  - CANCEL [9.2]: 200, and 487 to the INVITE if it is still unanswered;
 *    481 if it matches nothing.
 *  - BYE [15.1.2]: 200, media torn down; 481 outside a dialog.
 *  - OPTIONS [11.2]: 200 with Allow, Accept, Supported (in or out of a dialog).
 *  - re-INVITE [14.2]: a new answer; changed keys are installed without a
 *    gap (media_rekey(), or a new RTP port with a new stream, the old one
 *    kept until the ACK); 500 with Retry-After while an INVITE is still
 *    unacknowledged; a rejected re-INVITE leaves the call as it was.
 *  - Dialogs [12.1.1]: our To tag, the caller's Contact as remote target,
 *    its Record-Route as route set; in-dialog requests match Call-ID and
 *    both tags, with a CSeq above the last [12.2.2] (else 500).
 *  - Media inactivity: no RTP accepted by the stream for media.timeout
 *    seconds ends the call with a BYE (not while the caller holds it).
 *  - Session timers (RFC 4028, session_timer.h): the caller refreshes; a
 *    Session-Expires below 90 s gets 422 with Min-SE; each 2xx restarts the
 *    interval; no refresh in time ends the call with a BYE.
 *  - Other methods: 405 with Allow.
 */
#ifndef HERALDD_SIP_CALL_H
#define HERALDD_SIP_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "../call_config.h"
#include "../kernel.h"
#include "msg.h"

struct audio;
struct loop;

#define CALL_T1_MS	500
#define CALL_T2_MS	4000

enum call_transport {
	CALL_TP_UDP,
	CALL_TP_TCP,
	CALL_TP_TLS,
};

/* Where a request came from, and how to answer. Copied by the call layer. */
struct call_peer {
	enum call_transport transport;
	struct sockaddr_storage remote;		/* the packet's source */
	struct sockaddr_storage local;		/* our address it arrived on */
	uint64_t conn;				/* TCP/TLS: the transport's connection id */
};

/* What the transport gives the call layer. */
struct call_io {
	/*
	 * Send @len bytes of a SIP message over @peer's flow: a response back
	 * where the request came from, or a request of ours (BYE) within the
	 * dialog. Over UDP a response goes to peer->remote, the source the
	 * top Via's received/rport now name [RFC 3581 4]. 0, or -1 if it could
	 * not be sent (the call layer logs it; the transport's own reason is
	 * its to log).
	 */
	int (*send)(void *ctx, const struct call_peer *peer, const char *buf, size_t len);
	/*
	 * Our Contact URI for a dialog on @peer, without angle brackets
	 * ("sip:page@192.0.2.10:5061;transport=tls"); reachable over that
	 * flow. 0, or -1 (the request then gets 500).
	 */
	int (*contact)(void *ctx, const struct call_peer *peer, char *buf, size_t size);
	void *ctx;
};

/* Per INVITE, what the transport knows about the account it reached. */
struct call_account {
	const char *name;		/* for labels and logs; NULL: "call" */
	uint8_t priority;		/* enum herald_priority: page or emergency */
	/*
	 * herald.ko outputs its calls feed besides media.outputs: those of
	 * the zones the account pages (copied when the call starts; a call
	 * keeps the outputs it started with).
	 */
	const uint32_t *outputs;
	unsigned int noutputs;
};

struct call_layer;

/*
 * @cfg and @pol (from call_config_check()) are copied; @io and @kops
 * with their contexts must outlive the layer.
 */
struct call_layer *call_layer_new(struct loop *loop, const struct call_config *cfg,
				  const struct call_policy *pol, const struct call_io *io,
				  const struct kernel_ops *kops, void *kctx);
/*
 * Calls answered from now on also play on @a's sink (audio.h; NULL: no
 * local playback). @a must outlive the layer.
 */
void call_layer_set_audio(struct call_layer *cl, const struct audio *a);
/* Ends every call (BYE to those established), frees everything. */
void call_layer_free(struct call_layer *cl);

/*
 * A request parsed by the transport. @acct may be NULL (normal priority).
 * @req is not kept. Responses go out through io->send before it returns.
 */
void call_rx_request(struct call_layer *cl, const struct sip_msg *req,
		     const struct call_peer *peer, const struct call_account *acct);

/*
 * A request sip_msg_parse() refused: the status it asks for (400, 416,
 * 505, 513), with the reason as a Warning, when err->can_reply; else
 * nothing (RFC 3261 leaves unanswerable messages to be dropped).
 */
void call_rx_malformed(struct call_layer *cl, const struct sip_msg *partial,
		       const struct sip_error *err, const struct call_peer *peer);

/*
 * A response the transport received: the call layer takes those to its own
 * BYEs (it stops retransmitting and forgets the call); others are ignored.
 */
void call_rx_response(struct call_layer *cl, const struct sip_msg *resp);

/* For status and tests. */
struct call_stats {
	unsigned int calls;		/* with media: what max_calls counts */
	unsigned int pending;		/* rejected, waiting for their ACK */
	unsigned int plain;		/* calls without SRTP (optional mode): exceptions */
};
void call_get_stats(const struct call_layer *cl, struct call_stats *st);

/* One call with media, for the status file ("calls", and its encryption leg). */
struct call_info {
	const char *label;		/* also the herald.ko stream's label */
	const char *account;		/* "u1"; "" when the INVITE reached no account */
	const char *call_id;
	const char *remote;		/* the caller's From value */
	const char *caller;		/* its URI alone */
	/* "proceeding" (answer delayed), "answered" (no ACK yet) or "established" */
	const char *state;
	bool srtp;
	enum herald_suite suite;	/* HERALD_SUITE_NONE when plain */
	const char *codec;		/* "PCMU", "PCMA", "G722" */
	uint16_t port;			/* our RTP port */
	uint32_t stream_id;
	uint8_t priority;
	time_t started;			/* media set up */
	bool held;			/* on hold: its stream feeds no output */
};

/* Call @cb for each call with media; the strings live until the next event. */
void call_foreach(const struct call_layer *cl,
		  void (*cb)(const struct call_info *info, void *arg), void *arg);

/*
 * @changed is called whenever a call with media appears, changes (state,
 * keys, codec, hold) or goes, after the change; call_foreach() then shows
 * the new state. Also from call_layer_free(), as each call goes. NULL: none.
 */
void call_layer_set_observer(struct call_layer *cl, void (*changed)(void *arg), void *arg);

#endif
