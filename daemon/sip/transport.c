// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP transport: one flow to the proxy over UDP, TCP or TLS. See
 * transport.h for the contract; this file is the connection state machine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "../heraldd.h"
#include "../log.h"
#include "../loop.h"
#include "resolve.h"
#include "tls.h"
#include "transaction.h"
#include "transport.h"

#define BACKOFF_MIN_S		1
#define BACKOFF_MAX_S		32
#define CONNECT_TIMEOUT_MS	10000	/* TCP connect + TLS handshake */
#define SEND_QUEUE_MAX		(256 * 1024)
/* One whole message fits, plus what may follow it in the same read. */
#define READ_BUF_SIZE		(SIP_MAX_MSG + 16 * 1024)

enum tp_state {
	TP_IDLE,		/* not started */
	TP_WAIT_RETRY,		/* down, reconnect timer armed */
	TP_RESOLVING,		/* waiting for the helper thread's addresses */
	TP_CONNECTING,		/* TCP connect in progress */
	TP_HANDSHAKE,		/* TLS handshake in progress */
	TP_UP,
};

struct sip_transport {
	struct loop *loop;
	struct sip_transport_cfg cfg;
	struct sip_transport_ops ops;
	void *ctx;
	sip_request_fn req_fn;
	void *req_ctx;
	sip_response_fn resp_fn;
	void *resp_ctx;
	sip_malformed_fn bad_fn;
	void *bad_ctx;
	uint64_t flows;				/* connections that came up so far */

	enum tp_state state;
	bool numeric;				/* cfg.host is an address: no lookup */
	uint16_t port;
	struct sip_resolve *resolve;
	struct sip_addr addrs[SIP_RESOLVE_MAX];	/* candidates, tried in order */
	unsigned int naddrs, cur;
	struct sockaddr_storage remote;
	socklen_t remote_len;
	char remote_addr[sizeof(((struct sip_transport_cfg *)0)->host)];	/* numeric, no brackets */
	char remote_hp[sizeof(((struct sip_transport_cfg *)0)->host) + 8];
	char local_host[INET6_ADDRSTRLEN + 2];
	uint16_t local_port;
	struct sockaddr_storage local;

	int fd;
	struct loop_source *src;
	struct sip_tls_ctx *tls_ctx;
	struct sip_tls_conn *tls;
	bool tls_write_wants_read;	/* SSL_write asked for a read first */

	char *rbuf;
	size_t rlen;
	char *wbuf;
	size_t wlen, wcap;

	unsigned int backoff_s;
	struct loop_timer *retry_timer, *connect_timer, *keepalive_timer;
	struct sip_txl *txl;
};

const char *sip_proto_via(enum sip_proto p)
{
	return p == SIP_PROTO_TLS ? "TLS" : p == SIP_PROTO_TCP ? "TCP" : "UDP";
}

const char *sip_proto_param(enum sip_proto p)
{
	return p == SIP_PROTO_TLS ? "tls" : p == SIP_PROTO_TCP ? "tcp" : "udp";
}

int sip_random_hex(char *out, size_t outlen, unsigned int n)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char r[64];
	unsigned int i;

	if (n > sizeof(r) || outlen < 2 * (size_t)n + 1 || RAND_bytes(r, n) != 1)
		return -1;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[r[i] >> 4];
		out[2 * i + 1] = digits[r[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

int sip_new_branch(char out[48])
{
	/* "z9hG4bK" marks an RFC 3261 branch (8.1.1.7), then 128 random bits. */
	memcpy(out, "z9hG4bK", 7);
	return sip_random_hex(out + 7, 48 - 7, 16);
}

struct sip_txl *sip_transport_txl(struct sip_transport *t)
{
	return t->txl;
}

bool sip_transport_is_up(const struct sip_transport *t)
{
	return t->state == TP_UP;
}

enum sip_proto sip_transport_proto(const struct sip_transport *t)
{
	return t->cfg.proto;
}

const char *sip_transport_local_host(const struct sip_transport *t)
{
	return t->state == TP_UP ? t->local_host : "";
}

uint16_t sip_transport_local_port(const struct sip_transport *t)
{
	return t->state == TP_UP ? t->local_port : 0;
}

const char *sip_transport_remote_hostport(const struct sip_transport *t)
{
	return t->remote_hp;
}

void sip_transport_set_request_handler(struct sip_transport *t, sip_request_fn fn, void *ctx)
{
	t->req_fn = fn;
	t->req_ctx = ctx;
}

void sip_transport_set_response_handler(struct sip_transport *t, sip_response_fn fn, void *ctx)
{
	t->resp_fn = fn;
	t->resp_ctx = ctx;
}

void sip_transport_set_malformed_handler(struct sip_transport *t, sip_malformed_fn fn, void *ctx)
{
	t->bad_fn = fn;
	t->bad_ctx = ctx;
}

uint64_t sip_transport_flow_id(const struct sip_transport *t)
{
	return t->state == TP_UP ? t->flows : 0;
}

int sip_transport_addrs(const struct sip_transport *t, struct sockaddr_storage *local,
			struct sockaddr_storage *remote)
{
	if (t->state != TP_UP)
		return -1;
	*local = t->local;
	memset(remote, 0, sizeof(*remote));
	memcpy(remote, &t->remote, t->remote_len);
	return 0;
}

static void close_flow(struct sip_transport *t)
{
	if (t->resolve) {
		sip_resolve_cancel(t->resolve);
		t->resolve = NULL;
	}
	if (t->src) {
		loop_remove(t->src);
		t->src = NULL;
	}
	sip_tls_conn_free(t->tls);
	t->tls = NULL;
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	t->rlen = 0;
	t->wlen = 0;
	t->tls_write_wants_read = false;
	if (t->connect_timer)
		loop_timer_set(t->connect_timer, 0, 0);
	if (t->keepalive_timer)
		loop_timer_set(t->keepalive_timer, 0, 0);
}

/* The flow failed (or never came up): report, and retry after the back-off. */
static void fail(struct sip_transport *t, const char *why)
{
	close_flow(t);
	if (t->cfg.no_reconnect) {
		t->state = TP_IDLE;
		log_info("sip: %s %s: %s", sip_proto_via(t->cfg.proto), t->remote_hp, why);
		sip_txl_fail_all(t->txl);
		if (t->ops.down)
			t->ops.down(t, why, t->ctx);
		return;
	}
	t->state = TP_WAIT_RETRY;
	log_warn("sip: %s %s: %s; retrying in %u s", sip_proto_via(t->cfg.proto), t->remote_hp,
		 why, t->backoff_s);
	loop_timer_set(t->retry_timer, (uint64_t)t->backoff_s * 1000, 0);
	t->backoff_s = t->backoff_s * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : t->backoff_s * 2;
	sip_txl_fail_all(t->txl);
	if (t->ops.down)
		t->ops.down(t, why, t->ctx);
}

static void connect_to_current(struct sip_transport *t);

/*
 * Connecting to one address failed: try the next one the name resolved to
 * at once, and only when none is left count a failure (and back off).
 */
static void connect_failed(struct sip_transport *t, const char *why)
{
	if (t->cur + 1 < t->naddrs) {
		log_info("sip: %s (%s): %s; trying the next address", t->remote_hp,
			 t->remote_addr, why);
		close_flow(t);
		t->cur++;
		connect_to_current(t);
		return;
	}
	fail(t, why);
}

static void update_events(struct sip_transport *t)
{
	uint32_t ev = EPOLLIN;

	if (t->state == TP_CONNECTING)
		return;		/* waits for EPOLLOUT alone, set in start_connect() */
	if (t->wlen && !t->tls_write_wants_read)
		ev |= EPOLLOUT;
	loop_source_set_events(t->src, ev);
}

static int fill_local(struct sip_transport *t)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char addr[INET6_ADDRSTRLEN];

	if (getsockname(t->fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	t->local = ss;
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, addr, sizeof(addr));
		snprintf(t->local_host, sizeof(t->local_host), "[%s]", addr);
		t->local_port = ntohs(s6->sin6_port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, t->local_host, sizeof(t->local_host));
		t->local_port = ntohs(s4->sin_port);
	}
	return 0;
}

static void went_up(struct sip_transport *t)
{
	char desc[128] = "";

	if (fill_local(t) < 0) {
		fail(t, strerror(errno));
		return;
	}
	t->state = TP_UP;
	t->flows++;
	loop_timer_set(t->connect_timer, 0, 0);
	if (t->cfg.proto != SIP_PROTO_UDP && t->cfg.keepalive_s)
		loop_timer_set(t->keepalive_timer, (uint64_t)t->cfg.keepalive_s * 1000,
			       (uint64_t)t->cfg.keepalive_s * 1000);
	update_events(t);
	if (t->tls)
		sip_tls_describe(t->tls, desc, sizeof(desc));
	log_info("sip: %s flow %s:%u -> %s up%s%s", sip_proto_via(t->cfg.proto), t->local_host,
		 t->local_port, t->remote_hp, desc[0] ? ", " : "", desc);
	if (t->ops.up)
		t->ops.up(t, t->ctx);
}

/* ---- sending ---- */

/* Drain the send queue as far as the socket takes it. 0, or -1 after fail(). */
static int flush(struct sip_transport *t)
{
	char why[512];
	size_t off = 0;

	while (off < t->wlen) {
		size_t n = 0;

		if (t->tls) {
			enum sip_tls_io r = sip_tls_write(t->tls, t->wbuf + off, t->wlen - off, &n,
							  why, sizeof(why));

			t->tls_write_wants_read = r == SIP_TLS_WANT_READ;
			if (r == SIP_TLS_WANT_READ || r == SIP_TLS_WANT_WRITE)
				break;
			if (r != SIP_TLS_DONE) {
				fail(t, why);
				return -1;
			}
		} else {
			ssize_t w = send(t->fd, t->wbuf + off, t->wlen - off, MSG_NOSIGNAL);

			if (w < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				fail(t, strerror(errno));
				return -1;
			}
			n = w;
		}
		off += n;
	}
	if (off) {
		memmove(t->wbuf, t->wbuf + off, t->wlen - off);
		t->wlen -= off;
	}
	update_events(t);
	return 0;
}

int sip_transport_send(struct sip_transport *t, const char *msg, size_t len)
{
	if (t->state != TP_UP)
		return -1;
	if (t->cfg.proto == SIP_PROTO_UDP) {
		/*
		 * Connected datagram socket: one send per message. EAGAIN is a
		 * loss like any other on UDP; timer E retransmits.
		 */
		if (send(t->fd, msg, len, MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
			/* ICMP port unreachable surfaces here as ECONNREFUSED: not fatal. */
			log_debug("sip: UDP send to %s: %s", t->remote_hp, strerror(errno));
		}
		return 0;
	}
	if (t->wlen + len > SEND_QUEUE_MAX) {
		log_warn("sip: send queue to %s full, message dropped", t->remote_hp);
		return -1;
	}
	if (t->wlen + len > t->wcap) {
		size_t cap = t->wcap ? t->wcap : 8192;
		char *nb;

		while (cap < t->wlen + len)
			cap *= 2;
		nb = realloc(t->wbuf, cap);
		if (!nb)
			return -1;
		t->wbuf = nb;
		t->wcap = cap;
	}
	memcpy(t->wbuf + t->wlen, msg, len);
	t->wlen += len;
	return flush(t);
}

static void keepalive_fired(struct loop_timer *timer, void *arg)
{
	struct sip_transport *t = arg;

	/* RFC 5626 4.4.1 double-CRLF ping; only between messages, never inside one. */
	if (t->state == TP_UP && !t->wlen)
		sip_transport_send(t, "\r\n\r\n", 4);
}

/* ---- responses we originate ---- */

int sip_transport_response_begin(struct sip_transport *t, struct sip_builder *b,
				 const struct sip_msg *req, int status, const char *reason,
				 const char *to_tag)
{
	const char *received = NULL;
	unsigned int rport = 0;

	/*
	 * 18.2.1: ;received= when the sent-by host is not where the request
	 * came from; RFC 3581: fill a value-less ;rport. Our flow has one
	 * peer, so its address is the source of everything we read.
	 */
	if (req->nvia && !sip_str_eq(req->via[0].host, t->remote_addr))
		received = t->remote_addr;
	if (req->nvia && req->via[0].rport && !req->via[0].rport_value) {
		if (t->remote.ss_family == AF_INET6)
			rport = ntohs(((struct sockaddr_in6 *)&t->remote)->sin6_port);
		else
			rport = ntohs(((struct sockaddr_in *)&t->remote)->sin_port);
	}
	return sip_build_response(b, req, status, reason, to_tag, received, rport);
}

int sip_transport_respond(struct sip_transport *t, const struct sip_msg *req, int status,
			  const char *reason, const char *to_tag, const char *content_type,
			  const void *body, size_t body_len)
{
	static char buf[SIP_MAX_MSG];
	struct sip_builder b;
	int len;

	sip_build_init(&b, buf, sizeof(buf));
	if (sip_transport_response_begin(t, &b, req, status, reason, to_tag))
		return -1;
	if (status == 405)
		sip_build_header(&b, "Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
	sip_build_header(&b, "Server", "herald/%s", HERALDD_VERSION);
	len = sip_build_finish(&b, content_type, body, body_len);
	if (len < 0)
		return -1;
	return sip_transport_send(t, buf, len);
}

/* ---- receiving ---- */

static void handle_message(struct sip_transport *t, const char *data, size_t len)
{
	static struct sip_msg m;
	struct sip_error err;
	unsigned int flags = t->cfg.proto == SIP_PROTO_UDP ? 0 : SIP_PARSE_STREAM;

	/* The server speaks SIP: this flow works, so the next failure starts the back-off anew. */
	t->backoff_s = BACKOFF_MIN_S;
	if (sip_msg_parse(&m, data, len, flags, &err)) {
		log_info("sip: malformed message from %s dropped or refused: %s (%s)",
			 t->remote_hp, sip_err_name(err.code), err.text);
		if (m.is_request && t->bad_fn)
			t->bad_fn(t, &m, &err, t->bad_ctx);
		else if (m.is_request && err.can_reply && err.status)
			sip_transport_respond(t, &m, err.status, NULL, NULL, NULL, NULL, 0);
		sip_msg_free(&m);
		return;
	}
	if (!m.is_request) {
		if (!sip_txl_dispatch(t->txl, &m) && t->resp_fn)
			t->resp_fn(t, &m, t->resp_ctx);
	} else if (m.method == SIP_METHOD_REGISTER) {
		sip_transport_respond(t, &m, 405, NULL, NULL, NULL, NULL, 0);
	} else if (t->req_fn) {
		t->req_fn(t, &m, t->req_ctx);
	} else if (m.method != SIP_METHOD_ACK) {
		sip_transport_respond(t, &m, 501, NULL, NULL, NULL, NULL, 0);
	}
	sip_msg_free(&m);
}

/* Take every whole message (and keep-alive) off the front of the read buffer. */
static int drain_stream(struct sip_transport *t)
{
	size_t off = 0, mlen;
	enum sip_frame f;

	while (off < t->rlen && t->state == TP_UP) {
		f = sip_msg_frame(t->rbuf + off, t->rlen - off, &mlen);
		if (f == SIP_FRAME_NEED_MORE)
			break;
		if (f == SIP_FRAME_ERROR) {
			fail(t, "stream framing error (Content-Length missing, bad or too large)");
			return -1;
		}
		if (f == SIP_FRAME_MESSAGE)
			handle_message(t, t->rbuf + off, mlen);
		off += mlen;
	}
	if (t->state != TP_UP)
		return -1;	/* a handler's send failed the flow */
	memmove(t->rbuf, t->rbuf + off, t->rlen - off);
	t->rlen -= off;
	return 0;
}

static void read_stream(struct sip_transport *t)
{
	char why[512];

	for (;;) {
		size_t n = 0;

		if (t->rlen == READ_BUF_SIZE) {
			fail(t, "message larger than the read buffer");
			return;
		}
		if (t->tls) {
			enum sip_tls_io r = sip_tls_read(t->tls, t->rbuf + t->rlen,
							 READ_BUF_SIZE - t->rlen, &n, why, sizeof(why));

			if (r == SIP_TLS_WANT_READ || r == SIP_TLS_WANT_WRITE)
				break;
			if (r != SIP_TLS_DONE) {
				fail(t, why);
				return;
			}
		} else {
			ssize_t got = recv(t->fd, t->rbuf + t->rlen, READ_BUF_SIZE - t->rlen, 0);

			if (got < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				fail(t, strerror(errno));
				return;
			}
			if (got == 0) {
				fail(t, "connection closed by the server");
				return;
			}
			n = got;
		}
		t->rlen += n;
		if (drain_stream(t))
			return;
	}
	/* A write that waited for a read (TLS key update) can go on now. */
	if (t->tls_write_wants_read)
		flush(t);
}

static void read_datagrams(struct sip_transport *t)
{
	static char buf[65536];
	int i;

	/* A bounded batch, so a flood cannot starve the rest of the loop. */
	for (i = 0; i < 32 && t->state == TP_UP; i++) {
		ssize_t n = recv(t->fd, buf, sizeof(buf), MSG_TRUNC);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* ICMP errors on a connected UDP socket: the proxy may come back. */
			log_debug("sip: UDP receive from %s: %s", t->remote_hp, strerror(errno));
			return;
		}
		if ((size_t)n > sizeof(buf) || n > SIP_MAX_MSG) {
			log_info("sip: oversized datagram (%zd bytes) from %s dropped", n, t->remote_hp);
			continue;
		}
		/* A keep-alive (CRLF) or STUN-sized noise: nothing to parse. */
		if (strspn(buf, "\r\n") == (size_t)n)
			continue;
		handle_message(t, buf, n);
	}
}

static void handshake_step(struct sip_transport *t)
{
	char why[512];

	switch (sip_tls_handshake(t->tls, why, sizeof(why))) {
	case SIP_TLS_DONE:
		went_up(t);
		break;
	case SIP_TLS_WANT_READ:
		loop_source_set_events(t->src, EPOLLIN);
		break;
	case SIP_TLS_WANT_WRITE:
		loop_source_set_events(t->src, EPOLLOUT);
		break;
	default:
		connect_failed(t, why);
		break;
	}
}

static void connected(struct sip_transport *t)
{
	const char *name;
	char err[512];
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (soerr) {
		connect_failed(t, strerror(soerr));
		return;
	}
	if (t->cfg.proto != SIP_PROTO_TLS) {
		went_up(t);
		return;
	}
	/* The configured name (or address), never what it resolved to. */
	name = t->cfg.server_name[0] ? t->cfg.server_name : t->cfg.host;
	t->tls = sip_tls_conn_new(t->tls_ctx, t->fd, name, err, sizeof(err));
	if (!t->tls) {
		fail(t, err);
		return;
	}
	t->state = TP_HANDSHAKE;
	handshake_step(t);
}

static void fd_event(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct sip_transport *t = arg;

	switch (t->state) {
	case TP_CONNECTING:
		connected(t);
		return;
	case TP_HANDSHAKE:
		handshake_step(t);
		return;
	case TP_UP:
		break;
	default:
		return;
	}
	if (t->cfg.proto == SIP_PROTO_UDP) {
		read_datagrams(t);
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		read_stream(t);
		if (t->state != TP_UP)
			return;
	}
	if ((events & EPOLLOUT) && t->wlen)
		flush(t);
}

static void connect_timeout(struct loop_timer *timer, void *arg)
{
	struct sip_transport *t = arg;

	if (t->state == TP_CONNECTING || t->state == TP_HANDSHAKE)
		connect_failed(t, t->state == TP_CONNECTING ? "connection timed out"
							    : "TLS handshake timed out");
}

/* Connect to addrs[cur]. */
static void connect_to_current(struct sip_transport *t)
{
	int type = t->cfg.proto == SIP_PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
	int one = 1;

	memcpy(&t->remote, &t->addrs[t->cur].ss, t->addrs[t->cur].len);
	t->remote_len = t->addrs[t->cur].len;
	if (t->remote.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&t->remote)->sin6_addr,
			  t->remote_addr, sizeof(t->remote_addr));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&t->remote)->sin_addr,
			  t->remote_addr, sizeof(t->remote_addr));

	t->fd = socket(t->remote.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		connect_failed(t, strerror(errno));
		return;
	}
	if (type == SOCK_STREAM)
		setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t->src = loop_add_fd(t->loop, t->fd, EPOLLOUT, fd_event, t);
	if (!t->src) {
		fail(t, strerror(errno));
		return;
	}
	if (connect(t->fd, (struct sockaddr *)&t->remote, t->remote_len) < 0 &&
	    errno != EINPROGRESS) {
		connect_failed(t, strerror(errno));
		return;
	}
	if (type == SOCK_DGRAM) {
		/* Nothing to wait for: a connected UDP socket is usable at once. */
		went_up(t);
		return;
	}
	t->state = TP_CONNECTING;
	loop_timer_set(t->connect_timer, CONNECT_TIMEOUT_MS, 0);
	/* The port too: with SRV, remote_hp names the domain alone. */
	log_debug("sip: connecting to %s (%s) over %s, port %u", t->remote_hp, t->remote_addr,
		  sip_proto_via(t->cfg.proto),
		  ntohs(t->remote.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&t->remote)->sin6_port
							: ((struct sockaddr_in *)&t->remote)->sin_port));
}

static void resolved(const struct sip_addr *addrs, unsigned int n, const char *err, void *arg)
{
	struct sip_transport *t = arg;

	t->resolve = NULL;
	if (!n) {
		fail(t, err);
		return;
	}
	memcpy(t->addrs, addrs, n * sizeof(addrs[0]));
	t->naddrs = n;
	t->cur = 0;
	connect_to_current(t);
}

static const char *srv_service(enum sip_proto p)
{
	return p == SIP_PROTO_TLS ? "_sips._tcp" : p == SIP_PROTO_TCP ? "_sip._tcp" : "_sip._udp";
}

static void start_connect(struct sip_transport *t)
{
	int type = t->cfg.proto == SIP_PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;

	if (t->numeric) {
		t->cur = 0;
		connect_to_current(t);
		return;
	}
	/*
	 * A name is looked up again for every attempt: it may have moved.
	 * Without a configured port, RFC 3263 4.2: SRV for the transport first.
	 */
	t->state = TP_RESOLVING;
	t->naddrs = 0;
	t->cur = 0;
	t->resolve = sip_resolve_srv_start(t->loop, t->cfg.port ? NULL : srv_service(t->cfg.proto),
					   t->cfg.host, t->port, type, resolved, t);
	if (!t->resolve)
		fail(t, strerror(errno));
}

static void retry_fired(struct loop_timer *timer, void *arg)
{
	struct sip_transport *t = arg;

	if (t->state == TP_WAIT_RETRY)
		start_connect(t);
}

void sip_transport_start(struct sip_transport *t)
{
	if (t->state == TP_IDLE)
		start_connect(t);
}

static void parse_remote(struct sip_transport *t)
{
	struct sip_addr *a = &t->addrs[0];
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;
	bool v6 = false;

	t->port = t->cfg.port ? t->cfg.port : t->cfg.proto == SIP_PROTO_TLS ? 5061 : 5060;
	memset(a, 0, sizeof(*a));
	t->numeric = true;
	if (inet_pton(AF_INET, t->cfg.host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(t->port);
		a->len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, t->cfg.host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(t->port);
		a->len = sizeof(*s6);
		v6 = true;
	} else {
		t->numeric = false;	/* a name: resolved when connecting */
	}
	t->naddrs = t->numeric;
	if (!t->numeric && !t->cfg.port)
		/* SRV decides the port: a URI names the host alone (RFC 3263 4.2). */
		snprintf(t->remote_hp, sizeof(t->remote_hp), "%s", t->cfg.host);
	else if (v6)
		snprintf(t->remote_hp, sizeof(t->remote_hp), "[%s]:%u", t->cfg.host, t->port);
	else
		snprintf(t->remote_hp, sizeof(t->remote_hp), "%s:%u", t->cfg.host, t->port);
	snprintf(t->remote_addr, sizeof(t->remote_addr), "%s", t->cfg.host);
}

void sip_transport_retarget(struct sip_transport *t, const char *host, uint16_t port,
			    const char *server_name)
{
	close_flow(t);
	snprintf(t->cfg.host, sizeof(t->cfg.host), "%s", host);
	t->cfg.port = port;
	snprintf(t->cfg.server_name, sizeof(t->cfg.server_name), "%s", server_name);
	parse_remote(t);
	t->backoff_s = BACKOFF_MIN_S;
	/* Not connected from here: the caller may be inside a callback of this flow. */
	t->state = TP_WAIT_RETRY;
	loop_timer_set(t->retry_timer, 1, 0);
	sip_txl_fail_all(t->txl);
}

struct sip_transport *sip_transport_new(struct loop *loop, const struct sip_transport_cfg *cfg,
					const struct sip_transport_ops *ops, void *ctx)
{
	struct sip_transport *t;
	char err[512];

	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->loop = loop;
	t->cfg = *cfg;
	t->ops = *ops;
	t->ctx = ctx;
	t->fd = -1;
	t->backoff_s = BACKOFF_MIN_S;
	parse_remote(t);
	if (cfg->proto == SIP_PROTO_TLS) {
		if (!cfg->verify)
			log_warn("sip: TLS server certificate NOT verified (sip.tls.verify = off)");
		t->tls_ctx = sip_tls_ctx_new(cfg->ca_file, cfg->verify, cfg->cert_file,
					     cfg->key_file, err, sizeof(err));
		if (!t->tls_ctx) {
			log_error("sip: %s", err);
			goto fail;
		}
	}
	t->rbuf = malloc(READ_BUF_SIZE);
	t->txl = sip_txl_new(loop, t);
	t->retry_timer = loop_timer_new(loop, retry_fired, t);
	t->connect_timer = loop_timer_new(loop, connect_timeout, t);
	t->keepalive_timer = loop_timer_new(loop, keepalive_fired, t);
	if (!t->rbuf || !t->txl || !t->retry_timer || !t->connect_timer || !t->keepalive_timer) {
		log_error("sip: transport: %s", strerror(ENOMEM));
		goto fail;
	}
	return t;
fail:
	sip_transport_free(t);
	return NULL;
}

void sip_transport_free(struct sip_transport *t)
{
	if (!t)
		return;
	sip_txl_free(t->txl);
	close_flow(t);
	if (t->retry_timer)
		loop_timer_free(t->retry_timer);
	if (t->connect_timer)
		loop_timer_free(t->connect_timer);
	if (t->keepalive_timer)
		loop_timer_free(t->keepalive_timer);
	sip_tls_ctx_free(t->tls_ctx);
	free(t->rbuf);
	if (t->wbuf)
		explicit_bzero(t->wbuf, t->wcap);
	free(t->wbuf);
	free(t);
}
