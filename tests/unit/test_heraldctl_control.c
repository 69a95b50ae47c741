// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl's side of the control socket: the request it sends and the
 * reply line it reads (against a stand-in server in a thread, the reply
 * arriving in pieces), what it says when heraldd is not there or hangs up,
 * and the aligned human rendering of status JSON (status_show.c).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "heraldctl.h"
#include "status_show.h"

static char *err_buf;
static size_t err_len;

static int setup(void **state)
{
	ctl_errfp = open_memstream(&err_buf, &err_len);
	return ctl_errfp ? 0 : -1;
}

static int teardown(void **state)
{
	fclose(ctl_errfp);
	ctl_errfp = NULL;
	free(err_buf);
	err_buf = NULL;
	return 0;
}

static const char *errors(void)
{
	fflush(ctl_errfp);
	return err_buf ? err_buf : "";
}

static char *render(const char *json)
{
	struct json_value *v;
	char *out = NULL, err[128];
	size_t len = 0;
	FILE *fp;

	v = json_parse(json, strlen(json), err, sizeof(err));
	if (!v)
		fail_msg("%s: %s", json, err);
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	status_show(fp, v, 0);
	fclose(fp);
	json_free(v);
	return out;
}

static void human_rendering(void **state)
{
	char *out;

	out = render("{\"transport\": \"tls\", \"survivability_proxy\": \"\", \"accounts\": ["
		     "{\"account\": \"u1\", \"status\": \"Successful\", \"code\": 200, \"expires\": null}],"
		     " \"codes\": [1, 2], \"none\": [], \"empty\": {}, \"on\": true}");
	assert_string_equal(out,
		"transport:            tls\n"
		"survivability_proxy:  (none)\n"
		"accounts[0]:\n"
		"  account:  u1\n"
		"  status:   Successful\n"
		"  code:     200\n"
		"  expires:  -\n"
		"codes:                1, 2\n"
		"none:                 (none)\n"
		"empty:                (none)\n"
		"on:                   true\n");
	free(out);

	out = render("{\"a\": {\"b\": {\"c\": \"d\"}}, \"l\": [[1], {\"x\": 1}]}");
	assert_string_equal(out,
		"a:\n"
		"  b:\n"
		"    c:  d\n"
		"l[0]: 1\n"
		"l[1]:\n"
		"  x:  1\n");
	free(out);

	out = render("[]");
	assert_string_equal(out, "(none)\n");
	free(out);
}

/* ---- a stand-in heraldd ------------------------------------------------------------ */

struct server {
	int fd;
	char got[256];
	const char *const *pieces;	/* sent one by one; NULL ends */
};

static void *serve(void *arg)
{
	struct server *s = arg;
	size_t len = 0;
	ssize_t n;
	int c, i;

	c = accept(s->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	while (len < sizeof(s->got) - 1 && !memchr(s->got, '\n', len)) {
		n = read(c, s->got + len, sizeof(s->got) - 1 - len);
		if (n <= 0)
			break;
		len += n;
	}
	s->got[len] = '\0';
	for (i = 0; s->pieces[i]; i++) {
		if (write(c, s->pieces[i], strlen(s->pieces[i])) < 0)
			break;
		usleep(20000);
	}
	close(c);
	return NULL;
}

static char sock_path[64];

static void start_server(struct server *s, pthread_t *t)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sock_path, sizeof(sock_path), "/tmp/heraldctl-test-%d.sock", (int)getpid());
	unlink(sock_path);
	strcpy(sa.sun_path, sock_path);
	s->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s->fd, 1), 0);
	ctl_socket_path = sock_path;
	assert_int_equal(pthread_create(t, NULL, serve, s), 0);
}

static void stop_server(struct server *s, pthread_t t)
{
	pthread_join(t, NULL);
	close(s->fd);
	unlink(sock_path);
	ctl_socket_path = HERALDCTL_CONTROL_SOCKET;
}

static void request_and_reply_in_pieces(void **state)
{
	static const char *const pieces[] = { "{\"ok\":true,", "\"status\":{}", "}\n", NULL };
	struct server s = { .pieces = pieces };
	char *reply = NULL;
	pthread_t t;

	start_server(&s, &t);
	assert_int_equal(control_request("status", "status", &reply), 0);
	stop_server(&s, t);
	assert_string_equal(s.got, "{\"cmd\":\"status\"}\n");
	assert_string_equal(reply, "{\"ok\":true,\"status\":{}}");
	free(reply);
}

static void hang_up_without_reply(void **state)
{
	static const char *const pieces[] = { "{\"ok\":", NULL };
	struct server s = { .pieces = pieces };
	char *reply = NULL;
	pthread_t t;

	start_server(&s, &t);
	assert_int_equal(control_request("reload", "reload", &reply), -1);
	stop_server(&s, t);
	assert_string_equal(s.got, "{\"cmd\":\"reload\"}\n");
	assert_null(reply);
	assert_string_equal(errors(), "heraldctl: reload: heraldd closed the connection without a reply\n");
}

static void no_daemon(void **state)
{
	char *argv[] = { "heraldctl", "-S", "/nonexistent/control.sock", "accounts", NULL };

	assert_int_equal(heraldctl_run(4, argv), 1);
	assert_string_equal(errors(), "heraldctl: accounts: cannot reach heraldd at /nonexistent/control.sock: "
			    "No such file or directory (is heraldd running?)\n");
	assert_string_equal(ctl_socket_path, "/nonexistent/control.sock");
	/* The next run starts from the default again. */
	{
		char *argv2[] = { "heraldctl", "-V", NULL };

		assert_int_equal(heraldctl_run(2, argv2), 0);
		assert_string_equal(ctl_socket_path, HERALDCTL_CONTROL_SOCKET);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(human_rendering),
		cmocka_unit_test_setup_teardown(request_and_reply_in_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(hang_up_without_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(no_daemon, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
