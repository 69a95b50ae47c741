/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP (RFC 4566) for offer/answer (RFC 3264) with SDES (RFC 4568): parse an
 * offer into fixed-size structures, build the answer.
 *
 * Parsing: lines end in CRLF, or LF alone (RFC 4566 section 5 asks parsers
 * to accept it); "<letter>=<value>", v=0 first, then o= and s=, a t= before
 * the first m=. Unknown line letters and unknown attributes are ignored.
 * Bounds: SDP_MAX_LEN bytes, SDP_MAX_MEDIA m-lines, per media
 * SDP_MAX_FMT formats, SDP_MAX_RTPMAP rtpmaps and fmtps and SDP_MAX_CRYPTO
 * crypto lines: more is an error, not a truncation. A malformed a=crypto
 * line does not reject the description: it is counted (ncrypto_bad) and
 * skipped, as RFC 4568 6.4 lets an answerer ignore lines it cannot use.
 *
 * The answer (sdp_build_answer): one m-line per offered m-line, in order
 * [RFC 3264 6]. At most one audio stream is accepted: the best by
 *   1. RTP/SAVP or RTP/SAVPF with a usable crypto line,
 *   2. RTP/AVP(F) with a usable crypto line (best-effort SRTP, RFC 8643) if
 *      allowed (answered as RTP/AVP, with a crypto line),
 *   3. plain RTP/AVP(F) if encryption is not required,
 * ties going to the first offered (BroadWorks offers the same stream as
 * RTP/AVP and RTP/SAVP: the SAVP one wins). It must also offer a codec of
 * ours and a usable connection address. Everything else goes back with port
 * 0 and the offered formats. The accepted line carries our first preferred
 * codec the offer has, telephone-event if offered (same clock rate), the
 * offer's ptime, a=rtcp-mux if offered and allowed, the direction answer
 * [RFC 3264 6.1] and exactly one a=crypto with the chosen line's tag.
 */
#ifndef HERALDD_SDP_H
#define HERALDD_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sdes.h"

#define SDP_MAX_LEN		(32 * 1024)
#define SDP_MAX_MEDIA		8
#define SDP_MAX_FMT		32
#define SDP_MAX_RTPMAP		32
#define SDP_MAX_FMTP		16
#define SDP_MAX_CRYPTO		16
#define SDP_MAX_TOKEN		64	/* media type, proto, names */
#define SDP_MAX_FMTP_LEN	256
#define SDP_ADDR_LEN		64

enum sdp_proto {
	SDP_PROTO_OTHER,
	SDP_PROTO_RTP_AVP,
	SDP_PROTO_RTP_AVPF,
	SDP_PROTO_RTP_SAVP,
	SDP_PROTO_RTP_SAVPF,
	SDP_PROTO_UDP_TLS_RTP_SAVP,	/* DTLS-SRTP: recognised, not supported */
	SDP_PROTO_UDP_TLS_RTP_SAVPF,
	SDP_PROTO_UDP,
};

enum sdp_dir {
	SDP_DIR_NONE,			/* not given at this level */
	SDP_DIR_SENDRECV,
	SDP_DIR_SENDONLY,
	SDP_DIR_RECVONLY,
	SDP_DIR_INACTIVE,
};

struct sdp_conn {
	bool present;
	int family;			/* 4 or 6; 0 for a host name */
	char addr[SDP_ADDR_LEN];	/* without /ttl or /count */
	int ttl;			/* IPv4 multicast: -1 if none */
};

struct sdp_rtpmap {
	uint8_t pt;
	char name[SDP_MAX_TOKEN];	/* encoding name as written */
	uint32_t rate;
	uint8_t channels;		/* 0: not given (1) */
};

struct sdp_fmtp {
	uint8_t pt;
	char params[SDP_MAX_FMTP_LEN];	/* raw */
};

struct sdp_media {
	char type[SDP_MAX_TOKEN];	/* audio, video, ... */
	uint16_t port;
	uint16_t nports;		/* m=<media> <port>/<n>: 1 if not given */
	enum sdp_proto proto;
	char proto_str[SDP_MAX_TOKEN];
	/* fmt list as written; for RTP profiles also as payload types */
	char fmt_str[SDP_MAX_FMT][SDP_MAX_TOKEN];
	uint8_t pt[SDP_MAX_FMT];
	unsigned int nfmt;
	struct sdp_conn conn;		/* media-level c= */
	struct sdp_rtpmap rtpmap[SDP_MAX_RTPMAP];
	unsigned int nrtpmap;
	struct sdp_fmtp fmtp[SDP_MAX_FMTP];
	unsigned int nfmtp;
	unsigned int ptime;		/* ms, 0: not given */
	unsigned int maxptime;
	enum sdp_dir dir;		/* media-level, SDP_DIR_NONE if absent */
	bool rtcp_mux;
	uint16_t rtcp_port;		/* a=rtcp:, 0: not given */
	struct sdes_crypto crypto[SDP_MAX_CRYPTO];
	unsigned int ncrypto;
	unsigned int ncrypto_bad;	/* malformed a=crypto lines skipped */
};

struct sdp_session {
	char o_user[SDP_MAX_TOKEN];
	uint64_t o_sess_id, o_sess_version;
	struct sdp_conn o_addr;
	char name[SDP_MAX_TOKEN];	/* s=, truncated */
	struct sdp_conn conn;		/* session-level c= */
	uint64_t t_start, t_stop;
	enum sdp_dir dir;		/* session-level */
	struct sdp_media media[SDP_MAX_MEDIA];
	unsigned int nmedia;
};

/*
 * Parse @len bytes of SDP into @s (a large struct: allocate it). 0, or -1 with a reason in @why (may be
 * NULL). Call sdp_session_clear() afterwards either way: it wipes the keys.
 */
int sdp_parse(struct sdp_session *s, const char *text, size_t len, char *why, size_t whylen);
void sdp_session_clear(struct sdp_session *s);

/* Effective values: the media's own, else the session's. */
const struct sdp_conn *sdp_media_conn(const struct sdp_session *s, unsigned int i);
enum sdp_dir sdp_media_dir(const struct sdp_session *s, unsigned int i);
/* The rtpmap of @pt, or NULL (static types have none unless given). */
const struct sdp_rtpmap *sdp_media_rtpmap(const struct sdp_media *m, uint8_t pt);
const char *sdp_proto_name(enum sdp_proto p);
const char *sdp_dir_name(enum sdp_dir d);

struct sdp_codec {
	const char *name;		/* "PCMU", "PCMA", "G722" (case-insensitive) */
	uint32_t rate;			/* RTP clock: 8000 for all three */
	int static_pt;			/* used when the offer has no rtpmap; -1: none */
};

struct sdp_answer_params {
	const char *user;		/* o= username; NULL: "-" */
	uint64_t sess_id, sess_version;
	int family;			/* 4 or 6 */
	const char *addr;		/* our media address */
	uint16_t port;			/* our RTP port */
	const struct sdp_codec *codecs;	/* our preference order */
	unsigned int ncodecs;
	const enum herald_suite *suites;	/* allowed suites, preference order */
	unsigned int nsuites;
	bool require_srtp;		/* refuse plain RTP */
	bool allow_best_effort;		/* crypto on RTP/AVP counts as SRTP */
	bool rtcp_mux;			/* accept a=rtcp-mux */
	bool send, recv;		/* what we want to do (a speaker: recv only) */
};

struct sdp_answer_result {
	int media;			/* index of the accepted m-line, -1: none */
	uint8_t pt;			/* chosen codec's payload type */
	int te_pt;			/* telephone-event, -1: none */
	unsigned int ptime;
	bool srtp;
	bool rtcp_mux;
	enum sdp_dir dir;		/* our answer's direction */
	int crypto;			/* index in media[media].crypto, -1: plain */
	struct sdes_local local;	/* our key (when srtp) */
	char remote_addr[SDP_ADDR_LEN];
	int remote_family;
	uint16_t remote_port;
	char why[256];			/* when no stream was accepted */
};

/*
 * Build the answer to @offer into @buf (NUL-terminated). Returns its length;
 * @res->media is -1 when every stream was rejected (the answer is still
 * valid SDP, but the caller should rather send 488 with @res->why). -1 if
 * @buf is too small, a parameter is bad or randomness failed. The buffer
 * holds a key: wipe it, and call sdes_local_clear(&res->local), once sent
 * and handed on.
 */
int sdp_build_answer(const struct sdp_session *offer, const struct sdp_answer_params *par,
		     struct sdp_answer_result *res, char *buf, size_t size);

#endif
