// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sip/transport.c + transaction.c over a real TCP connection on
 * 127.0.0.1 (an in-process peer that accepts it): stream framing across
 * partial writes and keep-alives, a client transaction answered, a request
 * handed to the request handler and answered with sip_transport_respond(),
 * a response no transaction takes handed to the response handler, a
 * malformed request to the malformed-request handler (and not answered by
 * the transport), and a framing error that closes the flow and reports it
 * down, failing the pending transaction with 503; then the reconnection,
 * a new flow with a new flow id.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/log.h"
#include "../../daemon/loop.h"
#include "../../daemon/sip/transaction.h"
#include "../../daemon/sip/transport.h"

struct peer {
	struct loop *loop;
	struct sip_transport *t;
	int lfd, cfd;
	int ups, downs;
	char down_why[256];
	int tx_status;
	int tx_calls;
	char req_method[16];
	int requests;
	int stray;			/* responses given to the response handler */
	char stray_branch[48];
	int malformed;
	enum sip_err malformed_code;
};

static void on_response(struct sip_transport *t, const struct sip_msg *resp, void *ctx)
{
	struct peer *p = ctx;

	p->stray++;
	snprintf(p->stray_branch, sizeof(p->stray_branch), "%.*s", (int)resp->via[0].branch.len,
		 resp->via[0].branch.p);
}

static void on_malformed(struct sip_transport *t, const struct sip_msg *partial,
			 const struct sip_error *err, void *ctx)
{
	struct peer *p = ctx;

	p->malformed++;
	p->malformed_code = err->code;
	loop_stop(p->loop);
}

static void up(struct sip_transport *t, void *ctx)
{
	struct peer *p = ctx;

	p->ups++;
	loop_stop(p->loop);
}

static void down(struct sip_transport *t, const char *why, void *ctx)
{
	struct peer *p = ctx;

	p->downs++;
	snprintf(p->down_why, sizeof(p->down_why), "%s", why);
	loop_stop(p->loop);
}

static void tx_done(const struct sip_msg *resp, int status, void *arg)
{
	struct peer *p = arg;

	p->tx_calls++;
	p->tx_status = status;
	if (resp)
		assert_int_equal(resp->status, status);
	loop_stop(p->loop);
}

static void on_request(struct sip_transport *t, const struct sip_msg *req, void *ctx)
{
	struct peer *p = ctx;

	p->requests++;
	snprintf(p->req_method, sizeof(p->req_method), "%.*s", (int)req->method_str.len,
		 req->method_str.p);
	assert_int_equal(sip_transport_respond(t, req, 200, NULL, "ourtag", "application/sdp",
					       "v=0\r\n", 5), 0);
	loop_stop(p->loop);
}

static void timeout(struct loop_timer *tm, void *arg)
{
	fail_msg("timed out waiting for the transport");
}

/* Run the loop until a callback stops it (5 s at most, else failure). */
static void run(struct peer *p)
{
	struct loop_timer *tm = loop_timer_new(p->loop, timeout, p);

	assert_non_null(tm);
	loop_timer_set(tm, 5000, 0);
	loop_run(p->loop);
	loop_timer_free(tm);
}

static void peer_send(struct peer *p, const char *s, size_t len)
{
	assert_int_equal(send(p->cfd, s, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Read what the transport sent until @needle shows up (5 s at most). */
static void peer_expect(struct peer *p, const char *needle, char *buf, size_t size)
{
	struct timeval tv = { .tv_sec = 5 };
	size_t len = 0;

	setsockopt(p->cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	buf[0] = '\0';
	while (!strstr(buf, needle)) {
		ssize_t n = recv(p->cfd, buf + len, size - 1 - len, 0);

		if (n <= 0)
			fail_msg("peer: wanted \"%s\", got \"%s\"", needle, buf);
		len += n;
		buf[len] = '\0';
	}
}

static int options(struct peer *p, char *msg, size_t size, const char *branch)
{
	return snprintf(msg, size,
			"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:%u;branch=%s\r\n"
			"From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: c1\r\n"
			"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
			sip_transport_local_port(p->t), branch);
}

static int ok_for(char *resp, size_t size, const char *branch)
{
	return snprintf(resp, size,
			"SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=%s\r\n"
			"From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>;tag=2\r\n"
			"Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", branch);
}

static void flow(void **state)
{
	static const struct sip_transport_ops ops = { .up = up, .down = down };
	struct sip_transport_cfg cfg = { .proto = SIP_PROTO_TCP, .host = "127.0.0.1" };
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t salen = sizeof(sa);
	struct peer p = { .cfd = -1 };
	char branch[48], msg[1024], buf[4096], resp[1024];
	struct sockaddr_storage local, remote;
	uint64_t flow1;
	int len, rlen;

	log_open("test", false, false);
	p.loop = loop_new();
	assert_non_null(p.loop);
	p.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(p.lfd >= 0);
	assert_int_equal(bind(p.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(p.lfd, 2), 0);
	assert_int_equal(getsockname(p.lfd, (struct sockaddr *)&sa, &salen), 0);
	cfg.port = ntohs(sa.sin_port);

	p.t = sip_transport_new(p.loop, &cfg, &ops, &p);
	assert_non_null(p.t);
	sip_transport_set_request_handler(p.t, on_request, &p);
	sip_transport_set_response_handler(p.t, on_response, &p);
	sip_transport_set_malformed_handler(p.t, on_malformed, &p);
	assert_false(sip_transport_is_up(p.t));
	assert_int_equal(sip_transport_flow_id(p.t), 0);
	assert_int_equal(sip_transport_send(p.t, "x", 1), -1);	/* down: refused */
	sip_transport_start(p.t);
	run(&p);
	assert_int_equal(p.ups, 1);
	assert_true(sip_transport_is_up(p.t));
	assert_string_equal(sip_transport_local_host(p.t), "127.0.0.1");
	assert_true(sip_transport_local_port(p.t) > 0);
	flow1 = sip_transport_flow_id(p.t);
	assert_true(flow1 != 0);
	assert_int_equal(sip_transport_addrs(p.t, &local, &remote), 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&local)->sin_port), sip_transport_local_port(p.t));
	assert_int_equal(ntohs(((struct sockaddr_in *)&remote)->sin_port), cfg.port);
	p.cfd = accept4(p.lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(p.cfd >= 0);

	/* A client transaction, answered in two pieces after keep-alives and a stray response. */
	assert_int_equal(sip_new_branch(branch), 0);
	assert_int_equal(strncmp(branch, "z9hG4bK", 7), 0);
	len = options(&p, msg, sizeof(msg), branch);
	assert_non_null(sip_tx_start(p.t, branch, SIP_METHOD_OPTIONS, msg, len, tx_done, &p));
	peer_expect(&p, "CSeq: 1 OPTIONS", buf, sizeof(buf));
	peer_send(&p, "\r\n\r\n", 4);
	rlen = ok_for(resp, sizeof(resp), "z9hG4bKother");
	peer_send(&p, resp, rlen);			/* another branch: to the response handler */
	peer_send(&p, "\r\n", 2);
	rlen = ok_for(resp, sizeof(resp), branch);
	peer_send(&p, resp, 40);
	usleep(50 * 1000);
	peer_send(&p, resp + 40, rlen - 40);
	run(&p);
	assert_int_equal(p.tx_calls, 1);
	assert_int_equal(p.tx_status, 200);
	/* Only the response no transaction took. */
	assert_int_equal(p.stray, 1);
	assert_string_equal(p.stray_branch, "z9hG4bKother");

	/* A request to us: the handler answers it, with a body, on the same flow. */
	snprintf(msg, sizeof(msg), "INVITE sip:1000@127.0.0.1 SIP/2.0\r\n"
		 "Via: SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bKinv;rport\r\n"
		 "Max-Forwards: 70\r\nFrom: <sip:pbx@127.0.0.1>;tag=p\r\nTo: <sip:1000@127.0.0.1>\r\n"
		 "Call-ID: inv1\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n");
	peer_send(&p, msg, strlen(msg));
	run(&p);
	assert_int_equal(p.requests, 1);
	assert_string_equal(p.req_method, "INVITE");
	peer_expect(&p, "v=0\r\n", buf, sizeof(buf));
	assert_non_null(strstr(buf, "SIP/2.0 200 OK\r\n"));
	/* Where it really came from, for the way back (18.2.1, RFC 3581). */
	assert_non_null(strstr(buf, ";received=127.0.0.1"));
	assert_non_null(strstr(buf, ";rport="));
	assert_non_null(strstr(buf, ";tag=ourtag"));
	assert_non_null(strstr(buf, "Content-Type: application/sdp\r\n"));

	/* A request without CSeq: to the malformed handler, nothing sent back. */
	snprintf(msg, sizeof(msg), "INFO sip:1000@127.0.0.1 SIP/2.0\r\n"
		 "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKinfo\r\nMax-Forwards: 70\r\n"
		 "From: <sip:pbx@127.0.0.1>;tag=p\r\nTo: <sip:1000@127.0.0.1>\r\n"
		 "Call-ID: info1\r\nContent-Length: 0\r\n\r\n");
	peer_send(&p, msg, strlen(msg));
	run(&p);
	assert_int_equal(p.malformed, 1);
	assert_int_equal(p.requests, 1);
	{
		struct timeval tv = { .tv_usec = 200 * 1000 };

		setsockopt(p.cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		assert_true(recv(p.cfd, buf, sizeof(buf), 0) < 0);
	}

	/* A pending transaction, then a message without Content-Length: the flow closes. */
	assert_int_equal(sip_new_branch(branch), 0);
	len = options(&p, msg, sizeof(msg), branch);
	assert_non_null(sip_tx_start(p.t, branch, SIP_METHOD_OPTIONS, msg, len, tx_done, &p));
	snprintf(msg, sizeof(msg), "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=x\r\n\r\n");
	peer_send(&p, msg, strlen(msg));
	run(&p);
	if (p.downs == 0)
		run(&p);	/* the 503 callback stopped the loop first */
	assert_int_equal(p.downs, 1);
	assert_non_null(strstr(p.down_why, "framing"));
	assert_int_equal(p.tx_calls, 2);
	assert_int_equal(p.tx_status, 503);
	assert_false(sip_transport_is_up(p.t));
	assert_int_equal(sip_transport_flow_id(p.t), 0);
	assert_int_equal(sip_transport_addrs(p.t, &local, &remote), -1);
	close(p.cfd);

	/* It reconnects by itself after the back-off (1 s): another flow. */
	run(&p);
	assert_int_equal(p.ups, 2);
	assert_true(sip_transport_flow_id(p.t) != 0);
	assert_true(sip_transport_flow_id(p.t) != flow1);

	sip_transport_free(p.t);
	close(p.lfd);
	loop_free(p.loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
