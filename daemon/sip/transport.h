/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's SIP transport: one flow to the configured proxy (outbound proxy
 * model, RFC 3261 8.1.2) over UDP, TCP or TLS, driven by the event loop.
 *
 * - Connecting, the TLS handshake, reading and writing never block: the
 *   socket is non-blocking and every step waits for epoll. The proxy is a
 *   numeric IPv4/IPv6 address or a name, looked up (A/AAAA, getaddrinfo in
 *   a helper thread: resolve.h) before every connection attempt, with
 *   RFC 3263 SRV first when no port is configured; its addresses (SRV
 *   targets in order) are tried in turn. NAPTR is not implemented.
 *   TLS verifies, and sends as SNI, the configured name (server_name if
 *   set, else host), never an address the name resolved to.
 * - Over UDP the socket is connected to the proxy: only its datagrams are
 *   received, and requests from the network must come through it.
 * - Streams are framed by Content-Length (msg.h sip_msg_frame()); a framing
 *   error closes the connection, since it cannot be resynchronised. A CRLF
 *   ping ("\r\n\r\n", RFC 5626 4.4.1) goes out every keep-alive interval;
 *   the server's pongs and pings are consumed.
 * - When a connection fails or closes, the transport reports it down and
 *   reconnects after 1 s, 2 s, 4 s ... up to 32 s, reset by a connection
 *   that stays up.
 * - Received requests and responses are parsed with msg.c. A malformed
 *   request gets the 400/416/505/513 msg.c says (or is dropped), or goes
 *   to the malformed-request handler if one is set; a malformed response
 *   is dropped. Responses go to the client transaction layer
 *   (transaction.h), those it has no transaction for to the response
 *   handler (the call layer's BYEs, sent without transaction.c), requests
 *   to the request handler.
 */
#ifndef HERALDD_SIP_TRANSPORT_H
#define HERALDD_SIP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "msg.h"

struct loop;
struct sip_transport;
struct sip_tls;

enum sip_proto {
	SIP_PROTO_TLS,
	SIP_PROTO_TCP,
	SIP_PROTO_UDP,
};

/* "TLS", "TCP", "UDP" as in a Via; "tls", "tcp", "udp" for ;transport=. */
const char *sip_proto_via(enum sip_proto p);
const char *sip_proto_param(enum sip_proto p);

struct sip_transport_cfg {
	enum sip_proto proto;
	char host[128];			/* IPv4, IPv6 (no brackets) or DNS name */
	uint16_t port;			/* 0: a name's SRV records decide, else
					 * (and for addresses) 5061 for TLS, 5060 */
	unsigned int keepalive_s;	/* CRLF ping period on streams; 0: none */
	bool no_reconnect;		/* a failure leaves it down: the owner decides (probes) */
	/* TLS */
	char server_name[256];		/* name to verify and send as SNI; "": host */
	char ca_file[256];		/* CA bundle the server certificate must chain to */
	bool verify;			/* false: no certificate check at all (logged) */
	char cert_file[256];		/* client certificate (PEM), optional */
	char key_file[256];		/* and its key */
};

/*
 * Handlers. @up: the flow is usable (after the TLS handshake); @down: it
 * failed or closed, @why says how ("connection refused", "TLS: certificate
 * verify failed: hostname mismatch", ...). Every pending client transaction
 * has already been failed with 503 when @down is called.
 */
struct sip_transport_ops {
	void (*up)(struct sip_transport *t, void *ctx);
	void (*down)(struct sip_transport *t, const char *why, void *ctx);
};

/*
 * A received, parsed request that is not REGISTER (a UA does not take
 * registrations: those get 405 here). The message is only valid during
 * the call; the handler answers with sip_transport_respond() or builds its
 * own response with sip_transport_response_begin() + sip_transport_send().
 * Without a handler, requests are answered 501 (ACK: dropped).
 */
typedef void (*sip_request_fn)(struct sip_transport *t, const struct sip_msg *req, void *ctx);

struct sip_transport *sip_transport_new(struct loop *loop, const struct sip_transport_cfg *cfg,
					const struct sip_transport_ops *ops, void *ctx);
/* Closes the connection at once (no goodbye) and frees everything. */
void sip_transport_free(struct sip_transport *t);

/* Start connecting (UDP: bind and connect the socket). Idempotent. */
void sip_transport_start(struct sip_transport *t);

/*
 * Point the flow at another proxy (survivability failover and failback):
 * the current flow is closed without a down report, pending transactions
 * end with 503, the back-off is reset and the new one is connected from
 * the loop (never inside this call). TLS verifies @server_name ("": @host).
 */
void sip_transport_retarget(struct sip_transport *t, const char *host, uint16_t port,
			    const char *server_name);

void sip_transport_set_request_handler(struct sip_transport *t, sip_request_fn fn, void *ctx);

/*
 * A parsed response that matched no client transaction here. Without a
 * handler it is dropped (RFC 3261 17.1.3). Valid during the call only.
 */
typedef void (*sip_response_fn)(struct sip_transport *t, const struct sip_msg *resp, void *ctx);
void sip_transport_set_response_handler(struct sip_transport *t, sip_response_fn fn, void *ctx);

/*
 * A request sip_msg_parse() refused (@partial is what it got, @err why).
 * With a handler set, answering (or dropping) is the handler's job; without
 * one the transport answers with err->status when err->can_reply.
 */
typedef void (*sip_malformed_fn)(struct sip_transport *t, const struct sip_msg *partial,
				 const struct sip_error *err, void *ctx);
void sip_transport_set_malformed_handler(struct sip_transport *t, sip_malformed_fn fn, void *ctx);

/*
 * Which flow this is: a number that changes every time a connection comes
 * up (never 0), so a dialog can tell its TCP/TLS connection is gone even
 * when a new one took its place. 0 while down.
 */
uint64_t sip_transport_flow_id(const struct sip_transport *t);
/* Our address and the proxy's on the current flow. 0, or -1 while down. */
int sip_transport_addrs(const struct sip_transport *t, struct sockaddr_storage *local,
			struct sockaddr_storage *remote);

bool sip_transport_is_up(const struct sip_transport *t);
enum sip_proto sip_transport_proto(const struct sip_transport *t);
/*
 * Our address and port on the flow, for Via and Contact: "192.0.2.5" or
 * "[2001:db8::5]" (brackets included for IPv6). Empty while down.
 */
const char *sip_transport_local_host(const struct sip_transport *t);
uint16_t sip_transport_local_port(const struct sip_transport *t);
/* The proxy as a SIP host[:port] ("192.0.2.1:5061"), for URIs. */
const char *sip_transport_remote_hostport(const struct sip_transport *t);

/*
 * Queue a whole message for sending. 0, or -1 when the flow is down or the
 * send queue is full (a slow or stuck peer). Over UDP the message goes out
 * at once as one datagram.
 */
int sip_transport_send(struct sip_transport *t, const char *msg, size_t len);

/*
 * Start a response to @req in @b (sip_build_response(), with our received/
 * rport rules); the caller adds headers and calls sip_build_finish(), then
 * sip_transport_send(). 0 or -1.
 */
int sip_transport_response_begin(struct sip_transport *t, struct sip_builder *b,
				 const struct sip_msg *req, int status, const char *reason,
				 const char *to_tag);
/*
 * Answer @req in one call: status line, the copied headers, a To tag
 * (@to_tag, may be NULL), Server, an optional body, sent. 0 or -1.
 */
int sip_transport_respond(struct sip_transport *t, const struct sip_msg *req, int status,
			  const char *reason, const char *to_tag, const char *content_type,
			  const void *body, size_t body_len);

/*
 * A fresh branch (RFC 3261 magic cookie + 128 random bits, hex) or tag /
 * Call-ID material (hex): @n random bytes, written as 2n hex digits + NUL.
 */
int sip_random_hex(char *out, size_t outlen, unsigned int n);
int sip_new_branch(char out[48]);

/* --- for transaction.c --- */
struct sip_txl;
struct sip_txl *sip_transport_txl(struct sip_transport *t);

#endif
