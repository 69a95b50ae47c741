/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UAS side of a dialog (RFC 3261 12) and the messages built from one:
 * responses to requests (through msg.c's builder) and our own in-dialog
 * BYE. Internal to the call layer (call.c).
 */
#ifndef HERALDD_SIP_DIALOG_H
#define HERALDD_SIP_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "call.h"
#include "msg.h"

#define DIALOG_TAG_LEN		16	/* hex digits: 64 random bits [19.3] */
#define DIALOG_BRANCH_LEN	(7 + 16)	/* "z9hG4bK" + 64 random bits */
#define DIALOG_CONTACT_MAX	256

struct dialog {
	char *call_id;
	char *remote_tag;		/* the caller's From tag */
	char local_tag[DIALOG_TAG_LEN + 1];
	char *local_hdr;		/* the INVITE's To value: our From, + our tag */
	char *remote_hdr;		/* the INVITE's From value: our To */
	char *remote_target;		/* the caller's Contact URI [12.1.1] */
	char *route[SIP_MAX_ROUTE];	/* Record-Route values, as received */
	unsigned int nroute;
	char *route_first_uri;		/* of route[0], for a strict router */
	bool strict;			/* route[0] lacks ;lr [12.2.1.1] */
	char contact[DIALOG_CONTACT_MAX];	/* ours */
	uint32_t remote_cseq, local_cseq;
	struct call_peer peer;
};

/*
 * Why an INVITE cannot create a dialog we could send a BYE in (no Contact,
 * a Contact or Record-Route URI that is not SIP/SIPS), or NULL.
 */
const char *dialog_check_targets(const struct sip_msg *inv);
/* A NUL-terminated copy of @s (malloc), or NULL. */
char *dialog_dup(struct sip_str s);

/* Fill @d from an INVITE that creates a dialog. 0, or -1 (out of memory, bad targets). */
int dialog_init_uas(struct dialog *d, const struct sip_msg *invite, const struct call_peer *peer,
		    const char *contact);
void dialog_free(struct dialog *d);

/* Call-ID and From tag are the dialog's (the To tag is not looked at). */
bool dialog_same_caller(const struct dialog *d, const struct sip_msg *req);
/* Call-ID and both tags: a request within the dialog [12.2.2]. */
bool dialog_match(const struct dialog *d, const struct sip_msg *req);
/* A target refresh (re-INVITE) may move the remote target [12.2.2]. */
int dialog_refresh_target(struct dialog *d, const struct sip_msg *req);

/* @len hex digits of randomness from getrandom() into @buf (NUL-terminated). */
int dialog_random_hex(char *buf, size_t len);

/* Extra headers of a response; NULL / 0 fields are left out. */
struct resp_extra {
	const char *contact;		/* our Contact URI, written in <> */
	const char *warning;		/* text of a 399 Warning */
	const char *unsupported;	/* Unsupported: value (420) */
	int retry_after;		/* seconds */
	bool allow, accept;		/* Allow: our methods; Accept: application/sdp */
	bool supported;			/* Supported: DIALOG_SUPPORTED */
	/* RFC 4028: Session-Expires: N;refresher=uac and Require: timer (a 2xx) */
	unsigned int session_expires;
	unsigned int min_se;		/* Min-SE: N (a 422) */
	const char *body;		/* application/sdp */
	size_t body_len;
};

/*
 * A response to @req from @peer into @buf: Via (with received/rport for
 * @peer), From, To (+ @to_tag), Call-ID, CSeq, Record-Route for 1xx/2xx,
 * then @x. Returns its length, or -1.
 */
int dialog_build_response(const struct sip_msg *req, const struct call_peer *peer, int status,
			  const char *to_tag, const struct resp_extra *x, char *buf, size_t size);

/*
 * Our BYE within @d, with the next local CSeq and a fresh branch (copied to
 * @branch, DIALOG_BRANCH_LEN + 1 bytes). Returns its length, or -1.
 */
int dialog_build_bye(struct dialog *d, char *branch, char *buf, size_t size);

/* The methods we answer, for Allow. */
#define DIALOG_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS"
/* The extensions we support (RFC 4028 session timers), for Supported. */
#define DIALOG_SUPPORTED "timer"

/* Numeric host of @ss ("192.0.2.1", "2001:db8::1") and its port. -1 if not IP. */
int dialog_addr_str(const struct sockaddr_storage *ss, char *host, size_t size, uint16_t *port);

#endif
