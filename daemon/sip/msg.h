/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP messages (RFC 3261): a strict, bounded parser and a builder.
 *
 * Parsing copies the message once into an arena owned by the result (header
 * lines unfolded, the body after them, decoded strings at the end), so a
 * parsed message does not depend on the caller's buffer and costs one
 * allocation. Every string in the result is a struct sip_str (pointer and
 * length, not NUL-terminated) into that arena; the body is NUL-terminated.
 *
 * What the parser enforces (RFC 3261 section in brackets):
 *  - at most SIP_MAX_MSG bytes, SIP_MAX_HEADERS header values, and per
 *    kind the array sizes below; anything beyond is an error, never a
 *    silent truncation;
 *  - CRLF line ends only; leading CRLFs before the start line skipped [7.5];
 *    folded lines (CRLF followed by SP/HT) unfolded into one SP [7.3.1];
 *  - start line: Method SP Request-URI SP SIP/2.0, or SIP/2.0 SP 3DIGIT SP
 *    Reason-Phrase [7.1, 7.2]; a Request-URI other than sip:/sips: is
 *    refused with 416 [8.2.2.1], another version with 505 [8.2.2.1];
 *  - header names case-insensitive, compact forms [7.3.3]; list headers
 *    (Via, Route, Contact, Supported, ...) split on commas outside quotes and
 *    angle brackets [7.3.1]; a single-valued header given twice is an error
 *    (two Content-Lengths are a framing attack, two From a lie);
 *  - Via, From, To, Call-ID and CSeq are mandatory [8.1.1]; the CSeq method
 *    must equal the request method [8.1.1.5]; a response must carry exactly
 *    one Via [8.1.3.3]. Max-Forwards is listed in 8.1.1 too, but a missing
 *    one is tolerated (max_forwards = -1): a UA does not forward, and
 *    refusing costs interop for nothing;
 *  - Content-Length required over stream transports and equal to the body
 *    size; over datagrams the body is cut to it, and a body shorter than it
 *    is an error [18.3, 20.14].
 *
 * URI passwords (sip:user:password@host) are accepted by the grammar and
 * thrown away (sip_uri.has_password is set); the builder never writes one.
 *
 * On error, struct sip_error says what to do [8.2, 16.3, 18.1.2]: responses
 * are dropped silently (status 0); requests get the status in it (400, 416,
 * 505, 513) if can_reply is set, meaning the top Via, From, To, Call-ID and
 * CSeq values that sip_build_response() copies were found and parsed (a 400
 * carrying a broken CSeq could not be matched by the client anyway);
 * otherwise they are dropped too.
 */
#ifndef HERALDD_SIP_MSG_H
#define HERALDD_SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIP_MAX_MSG		(64 * 1024)	/* whole message, bytes */
#define SIP_MAX_HEADERS		128		/* header values, after list splitting */
#define SIP_MAX_VIA		16
#define SIP_MAX_ROUTE		16		/* Route, and Record-Route */
#define SIP_MAX_CONTACT		8
#define SIP_MAX_CHALLENGES	4		/* WWW- plus Proxy-Authenticate */
#define SIP_MAX_TOKENS		16		/* Supported, Require */
#define SIP_MAX_WARNINGS	4
#define SIP_MAX_PARAMS		12		/* per header value or URI */

/* A string inside a parsed message (or anywhere): not owned. */
struct sip_str {
	const char *p;
	size_t len;
};

bool sip_str_eq(struct sip_str s, const char *lit);	/* case-sensitive */
bool sip_str_caseeq(struct sip_str s, const char *lit);	/* ASCII case-insensitive */

enum sip_err {
	SIP_OK,
	SIP_E_TOO_LARGE,		/* message over SIP_MAX_MSG */
	SIP_E_TOO_MANY,			/* too many headers, or values of one kind */
	SIP_E_INCOMPLETE,		/* no empty line ending the headers */
	SIP_E_LINE,			/* bare CR or LF, NUL, folding at the top */
	SIP_E_START_LINE,		/* request or status line syntax */
	SIP_E_VERSION,			/* not SIP/2.0 */
	SIP_E_URI_SCHEME,		/* Request-URI neither sip: nor sips: */
	SIP_E_HEADER,			/* a header line or value does not parse */
	SIP_E_DUPLICATE,		/* a single-valued header twice */
	SIP_E_MISSING,			/* a mandatory header is absent */
	SIP_E_CSEQ_METHOD,		/* CSeq method differs from the request's */
	SIP_E_VIA_COUNT,		/* response with more than one Via */
	SIP_E_CONTENT_LENGTH,		/* missing on a stream, or not the body size */
	SIP_E_NOMEM,
};

struct sip_error {
	enum sip_err code;
	/* What to answer a request with: 400, 416, 505, 513; 0: drop it. */
	int status;
	/* The values sip_build_response() copies parsed (requests only). */
	bool can_reply;
	/* For a log line and a Warning / reason phrase: ASCII, no CR/LF. */
	char text[160];
};

const char *sip_err_name(enum sip_err code);

enum sip_method {
	SIP_METHOD_UNKNOWN,		/* an extension method: see method_str */
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_REGISTER,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_REFER,
	SIP_METHOD_INFO,
	SIP_METHOD_UPDATE,
	SIP_METHOD_PRACK,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_PUBLISH,
};

enum sip_method sip_method_from_str(struct sip_str s);	/* case-sensitive [7.1] */
const char *sip_method_name(enum sip_method m);		/* NULL for UNKNOWN */

/* ;name or ;name=value (value without its quotes; .p NULL when no '='). */
struct sip_param {
	struct sip_str name;
	struct sip_str value;
};

enum sip_uri_scheme {
	SIP_URI_SIP,
	SIP_URI_SIPS,
	SIP_URI_TEL,
	SIP_URI_OTHER,			/* absoluteURI: only raw is set */
};

struct sip_uri {
	enum sip_uri_scheme scheme;
	struct sip_str raw;		/* the whole URI as written */
	struct sip_str user;		/* %-escapes decoded; len 0 if none */
	bool has_password;		/* given, and ignored */
	struct sip_str host;		/* IPv6 without its brackets */
	bool host_ipv6;
	uint16_t port;			/* 0: none given */
	struct sip_str transport;	/* ;transport= */
	struct sip_str maddr;		/* ;maddr= */
	struct sip_str user_param;	/* ;user= (phone, ip) */
	bool lr;			/* ;lr */
	struct sip_param params[SIP_MAX_PARAMS];
	unsigned int nparams;
	struct sip_str headers;		/* after '?', raw */
};

/* From, To, Contact, Route, Record-Route values. */
struct sip_nameaddr {
	struct sip_str raw;		/* the whole value */
	struct sip_str display;		/* unquoted, escapes decoded */
	struct sip_uri uri;
	bool star;			/* Contact: * */
	struct sip_str tag;		/* ;tag= */
	int64_t expires;		/* Contact ;expires=, -1 if none */
	struct sip_param params[SIP_MAX_PARAMS];
	unsigned int nparams;
};

struct sip_via {
	struct sip_str raw;
	struct sip_str transport;	/* UDP, TCP, TLS, SCTP, WS, WSS, ... */
	struct sip_str host;		/* IPv6 without its brackets */
	bool host_ipv6;
	uint16_t port;			/* 0: none given */
	struct sip_str branch;
	struct sip_str received;
	bool rport;			/* ;rport present */
	uint16_t rport_value;		/* 0: present without a value */
	struct sip_str maddr;
	int ttl;			/* -1 if none */
	struct sip_param params[SIP_MAX_PARAMS];
	unsigned int nparams;
};

/* WWW-Authenticate / Proxy-Authenticate. */
struct sip_challenge {
	bool proxy;			/* Proxy-Authenticate */
	struct sip_str scheme;		/* Digest */
	struct sip_str realm, nonce, opaque, algorithm, domain;
	struct sip_str qop;		/* raw list, unquoted */
	bool qop_auth, qop_auth_int;
	bool stale;
};

struct sip_warning {
	int code;			/* 3DIGIT */
	struct sip_str agent;
	struct sip_str text;		/* unquoted, escapes decoded */
};

enum sip_hdr_id {
	SIP_HDR_OTHER,
	SIP_HDR_VIA, SIP_HDR_FROM, SIP_HDR_TO, SIP_HDR_CALL_ID, SIP_HDR_CSEQ,
	SIP_HDR_MAX_FORWARDS, SIP_HDR_CONTACT, SIP_HDR_ROUTE, SIP_HDR_RECORD_ROUTE,
	SIP_HDR_CONTENT_LENGTH, SIP_HDR_CONTENT_TYPE, SIP_HDR_CONTENT_ENCODING,
	SIP_HDR_WWW_AUTHENTICATE, SIP_HDR_PROXY_AUTHENTICATE,
	SIP_HDR_AUTHORIZATION, SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_EVENT, SIP_HDR_SUBSCRIPTION_STATE, SIP_HDR_EXPIRES,
	SIP_HDR_MIN_EXPIRES, SIP_HDR_SESSION_EXPIRES, SIP_HDR_SUPPORTED,
	SIP_HDR_REQUIRE, SIP_HDR_PROXY_REQUIRE, SIP_HDR_UNSUPPORTED,
	SIP_HDR_WARNING, SIP_HDR_ALLOW, SIP_HDR_ALLOW_EVENTS, SIP_HDR_ACCEPT,
	SIP_HDR_SUBJECT, SIP_HDR_USER_AGENT, SIP_HDR_SERVER, SIP_HDR_REFER_TO,
	SIP_HDR_REFERRED_BY, SIP_HDR_PATH, SIP_HDR_SERVICE_ROUTE,
	SIP_HDR_CALL_INFO, SIP_HDR_ALERT_INFO,
	SIP_HDR__COUNT
};

/* Canonical name of a header ("Call-ID"); NULL for SIP_HDR_OTHER. */
const char *sip_hdr_name(enum sip_hdr_id id);

struct sip_hdr {
	enum sip_hdr_id id;
	struct sip_str name;		/* as written (compact forms too) */
	struct sip_str value;		/* one value of a list header, trimmed */
};

struct sip_msg {
	bool is_request;

	/* request line */
	enum sip_method method;
	struct sip_str method_str;
	struct sip_uri ruri;

	/* status line */
	int status;
	struct sip_str reason;

	/* every header value, in message order */
	struct sip_hdr hdrs[SIP_MAX_HEADERS];
	unsigned int nhdrs;

	struct sip_via via[SIP_MAX_VIA];
	unsigned int nvia;
	struct sip_nameaddr from, to;
	struct sip_str call_id;
	uint32_t cseq;
	enum sip_method cseq_method;
	struct sip_str cseq_method_str;
	int max_forwards;		/* -1 if absent */

	struct sip_nameaddr contact[SIP_MAX_CONTACT];
	unsigned int ncontact;		/* Contact: * counts as one, with .star */
	struct sip_nameaddr route[SIP_MAX_ROUTE];
	unsigned int nroute;
	struct sip_nameaddr record_route[SIP_MAX_ROUTE];
	unsigned int nrecord_route;

	struct sip_challenge challenge[SIP_MAX_CHALLENGES];
	unsigned int nchallenge;

	struct sip_str event;		/* event type */
	struct sip_str event_id;	/* ;id= */
	struct sip_str sub_state;	/* active, pending, terminated */
	struct sip_str sub_reason;
	int64_t sub_expires;		/* -1 if absent */
	int64_t sub_retry_after;	/* -1 if absent */

	int64_t expires;		/* Expires, -1 if absent (saturates at 2^32-1) */
	int64_t min_expires;		/* Min-Expires, -1 if absent */
	int64_t session_expires;	/* Session-Expires delta, -1 if absent */
	struct sip_str se_refresher;	/* uac, uas, or empty */

	struct sip_str supported[SIP_MAX_TOKENS];
	unsigned int nsupported;
	struct sip_str require[SIP_MAX_TOKENS];
	unsigned int nrequire;

	struct sip_warning warning[SIP_MAX_WARNINGS];
	unsigned int nwarning;

	struct sip_str content_type;
	int64_t content_length;		/* -1 if absent */
	const char *body;		/* in the arena, NUL-terminated */
	size_t body_len;

	/* private */
	char *arena;
	size_t arena_size, arena_used;
};

#define SIP_PARSE_STREAM	0x1	/* TCP/TLS: Content-Length mandatory */

/*
 * Parse one message of @len bytes. @m is overwritten (no need to zero it);
 * call sip_msg_free() after success and failure alike. 0 or -1, with @err
 * (which may be NULL) filled in either case.
 */
int sip_msg_parse(struct sip_msg *m, const char *data, size_t len, unsigned int flags,
		  struct sip_error *err);
void sip_msg_free(struct sip_msg *m);

/* First value of header @id, or NULL. */
const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr_id id);
/* First header with the name @name (full name, case-insensitive), or NULL. */
const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *m, const char *name);
bool sip_msg_supports(const struct sip_msg *m, const char *option);
bool sip_msg_requires(const struct sip_msg *m, const char *option);

/*
 * Stream framing (TCP/TLS): how long is the message at the start of @buf?
 * SIP_FRAME_MESSAGE with *@msg_len the header + Content-Length bytes;
 * SIP_FRAME_KEEPALIVE with *@msg_len the CRLFs to consume (RFC 5626 ping
 * "\r\n\r\n" or a lone "\r\n"); SIP_FRAME_NEED_MORE; or SIP_FRAME_ERROR
 * (headers over SIP_MAX_MSG, Content-Length missing, twice or bad): the
 * connection cannot be resynchronised and must be closed.
 */
enum sip_frame {
	SIP_FRAME_ERROR = -1,
	SIP_FRAME_NEED_MORE = 0,
	SIP_FRAME_MESSAGE = 1,
	SIP_FRAME_KEEPALIVE = 2,
};
enum sip_frame sip_msg_frame(const char *buf, size_t len, size_t *msg_len);

/*
 * The builder writes into a caller's buffer. An overflow, a CR, LF or NUL in
 * a name or value, or a bad name sets ->error, and every later call is a
 * no-op; sip_build_finish() reports it. Headers come out in call order.
 */
struct sip_builder {
	char *buf;
	size_t size;
	size_t len;
	bool error;
};

void sip_build_init(struct sip_builder *b, char *buf, size_t size);
void sip_build_request_line(struct sip_builder *b, const char *method, const char *ruri);
void sip_build_status_line(struct sip_builder *b, int status, const char *reason);
void sip_build_header(struct sip_builder *b, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sip_build_header_str(struct sip_builder *b, const char *name, struct sip_str value);
/*
 * Content-Type (if @content_type and a body), Content-Length (always, so the
 * message also frames on a stream), the empty line and the body. Returns the
 * message length, or -1 if anything failed; the buffer is then NUL-terminated
 * where room allows but must not be sent.
 */
int sip_build_finish(struct sip_builder *b, const char *content_type,
		     const void *body, size_t body_len);

/* Standard reason phrase for @status ("Bad Request"), or a class default. */
const char *sip_reason_phrase(int status);

/*
 * Start a response to @req [8.2.6]: status line (@reason NULL: standard
 * phrase), every Via in order, From, To (with ;tag=@to_tag added when the
 * request's To parsed and has none, @to_tag is non-NULL and @status is not
 * 100), Call-ID, CSeq, and for 101..299 the Record-Route values [12.1.1].
 * The caller adds its own headers and calls sip_build_finish().
 *
 * @received (NULL: none) is the request's source address, appended to the
 * top Via as ;received= unless it has one [18.2.1]; @rport (0: none) its
 * source port, written into a value-less ;rport of the top Via [RFC 3581].
 *
 * Returns 0, or -1 (and ->error set) if @req lacks one of those headers, an
 * argument is not a valid token/address, or the buffer is too small.
 */
int sip_build_response(struct sip_builder *b, const struct sip_msg *req, int status,
		       const char *reason, const char *to_tag, const char *received,
		       unsigned int rport);

#endif
