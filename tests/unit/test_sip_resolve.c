// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sip/resolve.c: answers come from the loop (never from inside the
 * start call), with the port set; a cancelled lookup never calls back and
 * frees itself when its thread ends. Only names /etc/hosts answers
 * (localhost) and literals are used: no query leaves the host.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/loop.h"
#include "../../daemon/sip/resolve.h"

struct result {
	struct loop *loop;
	int calls;
	unsigned int n;
	bool has_v4_loopback;
	uint16_t port;
	char err[400];
};

static void done(const struct sip_addr *addrs, unsigned int n, const char *err, void *arg)
{
	struct result *res = arg;
	unsigned int i;

	res->calls++;
	res->n = n;
	snprintf(res->err, sizeof(res->err), "%s", err ? err : "");
	for (i = 0; i < n; i++) {
		if (addrs[i].ss.ss_family == AF_INET) {
			const struct sockaddr_in *s4 = (const void *)&addrs[i].ss;

			res->port = ntohs(s4->sin_port);
			if (s4->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
				res->has_v4_loopback = true;
		}
	}
	loop_stop(res->loop);
}

static void timeout(struct loop_timer *t, void *arg)
{
	loop_stop(arg);
}

static void run_for(struct loop *loop, unsigned int ms)
{
	struct loop_timer *t = loop_timer_new(loop, timeout, loop);

	assert_non_null(t);
	loop_timer_set(t, ms, 0);
	loop_run(loop);
	loop_timer_free(t);
}

static void resolves_from_the_loop(void **state)
{
	static const char *const names[] = { "localhost", "127.0.0.1" };
	struct result res;
	struct sip_resolve *r;
	size_t i;

	for (i = 0; i < 2; i++) {
		memset(&res, 0, sizeof(res));
		res.loop = loop_new();
		assert_non_null(res.loop);
		r = sip_resolve_start(res.loop, names[i], 25061, SOCK_STREAM, done, &res);
		assert_non_null(r);
		assert_int_equal(res.calls, 0);
		run_for(res.loop, 5000);
		assert_int_equal(res.calls, 1);
		assert_true(res.n >= 1);
		assert_true(res.has_v4_loopback);
		assert_int_equal(res.port, 25061);
		loop_free(res.loop);
	}
}

static void bad_name_fails(void **state)
{
	struct result res = { 0 };

	res.loop = loop_new();
	/* Not a valid host name at all: refused by getaddrinfo without a query. */
	assert_non_null(sip_resolve_start(res.loop, "", 5060, SOCK_STREAM, done, &res));
	run_for(res.loop, 5000);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.n, 0);
	assert_true(res.err[0] != '\0');
	loop_free(res.loop);
}

static void cancel_never_calls(void **state)
{
	struct result res = { 0 };
	struct sip_resolve *r;

	res.loop = loop_new();
	r = sip_resolve_start(res.loop, "localhost", 5060, SOCK_DGRAM, done, &res);
	assert_non_null(r);
	sip_resolve_cancel(r);
	run_for(res.loop, 300);
	assert_int_equal(res.calls, 0);
	loop_free(res.loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolves_from_the_loop),
		cmocka_unit_test(bad_name_fails),
		cmocka_unit_test(cancel_never_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
