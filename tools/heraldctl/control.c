// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl's commands that talk to heraldd rather than to the module, over
 * the daemon's control socket (-S PATH, default /run/herald/control.sock):
 *
 *   heraldctl status | accounts | calls | zones | exceptions
 *   heraldctl provision now
 *   heraldctl reload
 *
 * One request line, one reply line (daemon/control_proto.h). With -j the
 * reply is printed as heraldd sent it; without, its payload is shown as
 * aligned text (status_show.c). The exit status is 1 whenever heraldd said
 * "ok": false, in both modes.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "heraldctl.h"
#include "output.h"
#include "status_show.h"

/* heraldd answers from its event loop at once; this is for a daemon that hangs. */
#define CONTROL_REPLY_TIMEOUT_MS 10000
/* A status reply is kilobytes; this bounds a peer that never ends its line. */
#define CONTROL_REPLY_MAX (16 << 20)

const char *ctl_socket_path = HERALDCTL_CONTROL_SOCKET;

static int ms_left(const struct timespec *end)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* Wait for @events on @fd until @end; 0, or -1 (message printed) on timeout. */
static int wait_fd(const char *path, int fd, short events, const struct timespec *end)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do {
		r = poll(&p, 1, ms_left(end));
	} while (r < 0 && errno == EINTR);
	if (r > 0)
		return 0;
	ctl_error(path, "no answer from heraldd at %s within %d s", ctl_socket_path,
		  CONTROL_REPLY_TIMEOUT_MS / 1000);
	return -1;
}

/*
 * Send {"cmd":@cmd} and read the reply line (malloc'd, NUL-terminated,
 * newline removed) into *@reply. 0, or -1 with a message printed.
 */
int control_request(const char *path, const char *cmd, char **reply)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = 0, cap = 0, off = 0;
	struct timespec end;
	char req[128], *buf = NULL, *nl, *grown;
	int fd, n;
	ssize_t r;

	if (strlen(ctl_socket_path) >= sizeof(sa.sun_path)) {
		ctl_error(path, "socket path too long: %s", ctl_socket_path);
		return -1;
	}
	strcpy(sa.sun_path, ctl_socket_path);
	n = snprintf(req, sizeof(req), "{\"cmd\":\"%s\"}\n", cmd);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += CONTROL_REPLY_TIMEOUT_MS / 1000;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ctl_error(path, "socket: %s", strerror(errno));
		return -1;
	}
	/* A full listen backlog says EAGAIN at once: heraldd is busy, not gone. */
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == EAGAIN && ms_left(&end) > 0) {
			poll(NULL, 0, 20);
			continue;
		}
		if (errno == EACCES)
			ctl_error(path, "cannot reach heraldd at %s: %s (root or group herald only)",
				  ctl_socket_path, strerror(errno));
		else
			ctl_error(path, "cannot reach heraldd at %s: %s (is heraldd running?)",
				  ctl_socket_path, strerror(errno));
		goto err;
	}
	while (off < (size_t)n) {
		if (wait_fd(path, fd, POLLOUT, &end))
			goto err;
		r = send(fd, req + off, n - off, MSG_NOSIGNAL);
		if (r < 0 && errno != EAGAIN && errno != EINTR) {
			/* A refused peer may be closed before its request is in. */
			if (errno == EPIPE || errno == ECONNRESET)
				break;
			ctl_error(path, "send: %s", strerror(errno));
			goto err;
		}
		if (r > 0)
			off += r;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			if (cap >= CONTROL_REPLY_MAX) {
				ctl_error(path, "reply from heraldd longer than %d bytes", CONTROL_REPLY_MAX);
				goto err;
			}
			cap = cap ? cap * 2 : 65536;
			grown = realloc(buf, cap);
			if (!grown) {
				ctl_error(path, "out of memory");
				goto err;
			}
			buf = grown;
		}
		if (wait_fd(path, fd, POLLIN, &end))
			goto err;
		r = recv(fd, buf + len, cap - len - 1, 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			ctl_error(path, "reading the reply: %s", strerror(errno));
			goto err;
		}
		if (r == 0) {
			ctl_error(path, "heraldd closed the connection without a reply");
			goto err;
		}
		nl = memchr(buf + len, '\n', r);
		len += r;
		if (nl) {
			*nl = '\0';
			break;
		}
	}
	close(fd);
	*reply = buf;
	return 0;
err:
	free(buf);
	close(fd);
	return -1;
}

/* Human text for the commands that act; the reading ones show their payload. */
static void show_payload(const char *cmd, const struct json_value *v)
{
	const struct json_value *m;

	if (!strcmp(cmd, "reload")) {
		fputs("configuration applied\n", stdout);
	} else if (!strcmp(cmd, "provision-now")) {
		m = json_member(v, "started");
		if (m && m->type == JSON_TRUE) {
			fputs("provisioning round started\n", stdout);
		} else {
			m = json_member(v, "reason");
			printf("no new round: %s\n", m && m->type == JSON_STRING ? m->str : "?");
		}
	} else {
		status_show(stdout, v, 0);
	}
}

/*
 * Ask heraldd for @cmd and print the answer; @member is the reply's
 * payload. Returns the exit status.
 */
static int query(const char *path, int argc, char **argv, const char *cmd, const char *member)
{
	const struct json_value *ok, *m, *why;
	struct json_value *v;
	char *reply, err[160];
	int ret = 1;

	if (argc > 0) {
		ctl_error(path, "unexpected argument \"%s\"", argv[0]);
		return 1;
	}
	if (control_request(path, cmd, &reply))
		return 1;
	v = json_parse(reply, strlen(reply), err, sizeof(err));
	if (!v || v->type != JSON_OBJECT) {
		ctl_error(path, "heraldd sent a malformed reply: %s", v ? "not an object" : err);
		goto out;
	}
	ok = json_member(v, "ok");
	if (!ok || (ok->type != JSON_TRUE && ok->type != JSON_FALSE)) {
		ctl_error(path, "heraldd's reply has no \"ok\"");
		goto out;
	}
	if (output_json()) {
		/* As heraldd sent it, for scripts; failure still in the exit status. */
		printf("%s\n", reply);
		ret = ok->type == JSON_TRUE ? 0 : 1;
		goto out;
	}
	if (ok->type == JSON_FALSE) {
		m = json_member(v, "error");
		why = json_member(json_member(v, "reload"), "reason");
		if (why && why->type == JSON_STRING)
			ctl_error(path, "%s: %s", m && m->type == JSON_STRING ? m->str : "failed",
				  why->str);
		else
			ctl_error(path, "%s", m && m->type == JSON_STRING ? m->str : "failed");
		goto out;
	}
	m = json_member(v, member);
	if (!m) {
		ctl_error(path, "heraldd's reply has no \"%s\"", member);
		goto out;
	}
	show_payload(cmd, m);
	ret = fflush(stdout) ? 1 : 0;
out:
	json_free(v);
	free(reply);
	return ret;
}

int cmd_status(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "status", "status");
}

int cmd_accounts(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "accounts", "accounts");
}

int cmd_calls(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "calls", "calls");
}

int cmd_zones(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "zones", "zones");
}

int cmd_exceptions(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "exceptions", "exceptions");
}

int cmd_reload(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "reload", "reload");
}

static int cmd_provision_now(const char *path, int argc, char **argv)
{
	return query(path, argc, argv, "provision-now", "provision");
}

int cmd_provision(const char *path, int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "now", cmd_provision_now, "fetch the provisioned files now" },
		{ NULL, NULL, NULL },
	};

	return cmd_dispatch(cmds, NULL, path, argc, argv);
}
