// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket from the event loop: non-blocking accept, reads and
 * writes, so a client that sends slowly, reads slowly or not at all can
 * hold up nobody but itself. Each client has a fixed input buffer (one
 * request line), a pending reply, and a timer that closes it when no whole
 * request arrives in time. While a reply is pending its input is not read:
 * a client that only sends cannot make replies pile up in the daemon.
 */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

/* Requests answered per wakeup of one client before others get a turn. */
#define CONTROL_BURST 8
/* Supplementary groups of a peer looked at; more are not expected. */
#define CONTROL_MAX_GROUPS 256

struct client {
	struct control *ctl;
	int fd;
	struct loop_source *src;
	struct loop_timer *timer;
	char in[CONTROL_MAX_REQUEST + 1];	/* a request line and its newline */
	size_t inlen;
	char *out;				/* the reply being written */
	size_t outlen, outoff;
	bool closing;				/* close once the reply is out */
	bool eof;
	struct client *prev, *next;
};

struct control {
	struct loop *loop;
	int fd;
	struct loop_source *src;
	char *path;
	struct control_ops ops;
	bool have_group;
	gid_t herald_gid;
	struct client *clients;
	unsigned int nclients;
};

static void client_free(struct client *c)
{
	struct control *ctl = c->ctl;

	if (c->prev)
		c->prev->next = c->next;
	else
		ctl->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	ctl->nclients--;
	loop_remove(c->src);
	loop_timer_free(c->timer);
	close(c->fd);
	free(c->out);
	free(c);
}

/* Queue @reply (taken over; NULL: out of memory, the client is dropped). */
static int client_reply(struct client *c, char *reply)
{
	if (!reply)
		return -1;
	free(c->out);
	c->out = reply;
	c->outlen = strlen(reply);
	c->outoff = 0;
	return 0;
}

/* 1: all written, 0: the socket is full, -1: the client is gone. */
static int client_flush(struct client *c)
{
	ssize_t n;

	while (c->outoff < c->outlen) {
		n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -1;
		}
		c->outoff += n;
	}
	free(c->out);
	c->out = NULL;
	return 1;
}

static void client_timeout(struct loop_timer *t, void *arg)
{
	struct client *c = arg;

	/* Not even reading its reply: nothing more to say to it. */
	if (c->out || c->closing) {
		client_free(c);
		return;
	}
	log_debug("control: client sent no whole request within %d ms", CONTROL_REQUEST_TIMEOUT_MS);
	c->closing = true;
	if (client_reply(c, control_reply_error("timeout: no whole request line in time"))) {
		client_free(c);
		return;
	}
	/* Its reply goes out when the socket can take it. */
	if (loop_source_set_events(c->src, EPOLLOUT))
		client_free(c);
}

/* Answer the first line in the buffer and drop it from there. */
static int client_request(struct client *c, char *nl)
{
	size_t len = nl - c->in;

	if (client_reply(c, control_execute(c->in, len, &c->ctl->ops)))
		return -1;
	c->inlen -= len + 1;
	memmove(c->in, nl + 1, c->inlen);
	/* The next request has its own time. */
	return loop_timer_set(c->timer, CONTROL_REQUEST_TIMEOUT_MS, 0) ? -1 : 0;
}

/*
 * Move the client on as far as it goes without blocking: write what is
 * pending, answer whole lines, read more. Frees the client when it is done
 * or gone.
 */
static void client_pump(struct client *c)
{
	unsigned int served = 0;
	ssize_t n;
	char *nl;
	int r;

	for (;;) {
		if (c->out) {
			r = client_flush(c);
			if (r < 0)
				goto drop;
			if (r == 0) {
				if (loop_source_set_events(c->src, EPOLLOUT))
					goto drop;
				return;
			}
		}
		if (c->closing)
			goto drop;
		nl = memchr(c->in, '\n', c->inlen);
		if (nl) {
			if (served++ == CONTROL_BURST)
				break;
			if (client_request(c, nl))
				goto drop;
			continue;
		}
		if (c->inlen == sizeof(c->in)) {
			log_debug("control: request over %d bytes refused", CONTROL_MAX_REQUEST);
			c->closing = true;
			if (client_reply(c, control_reply_error("request too long: over 4096 bytes")))
				goto drop;
			continue;
		}
		if (c->eof)
			goto drop;
		n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			goto drop;
		}
		if (n == 0)
			c->eof = true;
		c->inlen += n;
	}
	/* A line still buffered after a burst: a writable socket wakes us for it. */
	if (loop_source_set_events(c->src, memchr(c->in, '\n', c->inlen) ? EPOLLIN | EPOLLOUT : EPOLLIN))
		goto drop;
	return;
drop:
	client_free(c);
}

static void client_event(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	client_pump(arg);
}

/* The peer's credentials at connect time; 0 or -errno. */
static int peer_check(const struct control *ctl, int fd, char *why, size_t whylen)
{
	gid_t groups[CONTROL_MAX_GROUPS];
	socklen_t len = sizeof(groups);
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	size_t ngroups;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
		int e = errno;

		snprintf(why, whylen, "permission denied: peer credentials unknown");
		return -e;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		/* ERANGE: more groups than we look at; judged on those we have. */
		if (errno != ERANGE)
			len = 0;
		else
			len = sizeof(groups);
	}
	ngroups = len / sizeof(gid_t);
	if (control_peer_allowed(cred.uid, cred.gid, groups, ngroups, ctl->have_group,
				 ctl->herald_gid))
		return 0;
	snprintf(why, whylen, "permission denied: uid %u is neither root nor in group %s",
		 (unsigned int)cred.uid, CONTROL_GROUP);
	log_info("control: refused pid %d uid %u gid %u: neither root nor in group %s",
		 (int)cred.pid, (unsigned int)cred.uid, (unsigned int)cred.gid, CONTROL_GROUP);
	return -EACCES;
}

static void accept_one(struct control *ctl, int fd)
{
	struct client *c;
	char why[128];
	char *reply;
	bool refuse = false;

	if (ctl->nclients >= CONTROL_MAX_CLIENTS) {
		snprintf(why, sizeof(why), "busy: %d clients are connected", CONTROL_MAX_CLIENTS);
		refuse = true;
	} else if (peer_check(ctl, fd, why, sizeof(why))) {
		refuse = true;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->fd = fd;
	c->next = ctl->clients;
	if (c->next)
		c->next->prev = c;
	ctl->clients = c;
	ctl->nclients++;
	c->timer = loop_timer_new(ctl->loop, client_timeout, c);
	c->src = loop_add_fd(ctl->loop, fd, EPOLLIN, client_event, c);
	if (!c->timer || !c->src || loop_timer_set(c->timer, CONTROL_REQUEST_TIMEOUT_MS, 0)) {
		log_warn("control: cannot serve a client: %s", strerror(errno));
		client_free(c);
		return;
	}
	if (refuse) {
		c->closing = true;
		reply = control_reply_error(why);
		if (client_reply(c, reply)) {
			client_free(c);
			return;
		}
	}
	client_pump(c);
}

static void listener_event(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct control *ctl = arg;
	int cfd;

	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				log_warn("control: accept: %s", strerror(errno));
			return;
		}
		accept_one(ctl, cfd);
	}
}

/*
 * The socket's directory: created 0750 (group herald) when missing; one
 * that exists is left as its owner set it up.
 */
static int make_dir(const struct control *ctl)
{
	char *copy = strdup(ctl->path), *dir;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	if (mkdir(dir, 0750) == 0) {
		if (ctl->have_group && chown(dir, -1, ctl->herald_gid) < 0)
			log_warn("control: cannot give %s to group %s: %s", dir, CONTROL_GROUP,
				 strerror(errno));
		/* The umask may have taken bits away; 0750 is what we mean. */
		if (chmod(dir, 0750) < 0)
			ret = -errno;
	} else if (errno != EEXIST) {
		ret = -errno;
	}
	if (ret)
		log_error("control: cannot create %s: %s", dir, strerror(-ret));
	free(copy);
	return ret;
}

/* A socket file left by a heraldd that died is removed; a live one is not. */
static int replace_stale(const struct sockaddr_un *sa)
{
	struct stat sb;
	int fd, r;

	if (lstat(sa->sun_path, &sb) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(sb.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A Unix stream connect answers at once: accepted, queued or refused. */
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (r == 0 || errno == EAGAIN) {
		close(fd);
		return -EADDRINUSE;
	}
	close(fd);
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int make_socket(struct control *ctl)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int r;

	if (strlen(ctl->path) >= sizeof(sa.sun_path)) {
		log_error("control: socket path too long: %s", ctl->path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, ctl->path);
	r = make_dir(ctl);
	if (r)
		return r;
	r = replace_stale(&sa);
	if (r) {
		log_error("control: %s: %s", ctl->path,
			  r == -EADDRINUSE ? "another process serves this socket" :
			  r == -EEXIST ? "exists and is not a socket" : strerror(-r));
		return r;
	}
	ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->fd < 0)
		goto err;
	/* Born private: no moment in which anyone else can connect. */
	old = umask(0177);
	r = bind(ctl->fd, (const struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0)
		goto err;
	if (ctl->have_group) {
		if (chown(ctl->path, -1, ctl->herald_gid) < 0 || chmod(ctl->path, 0660) < 0)
			log_warn("control: %s stays mode 0600 (group %s: %s)", ctl->path,
				 CONTROL_GROUP, strerror(errno));
	}
	if (listen(ctl->fd, CONTROL_MAX_CLIENTS) < 0)
		goto err;
	return 0;
err:
	r = -errno;
	log_error("control: %s: %s", ctl->path, strerror(errno));
	return r;
}

struct control *control_open(struct loop *loop, const char *path, const struct control_ops *ops)
{
	struct control *ctl;
	struct group *gr;

	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return NULL;
	ctl->loop = loop;
	ctl->fd = -1;
	ctl->ops = *ops;
	ctl->path = strdup(path);
	if (!ctl->path)
		goto err;
	/* Looked up once, at start: name services may block, the loop may not. */
	gr = getgrnam(CONTROL_GROUP);
	if (gr) {
		ctl->have_group = true;
		ctl->herald_gid = gr->gr_gid;
	}
	if (make_socket(ctl))
		goto err;
	ctl->src = loop_add_fd(loop, ctl->fd, EPOLLIN, listener_event, ctl);
	if (!ctl->src) {
		log_error("control: %s", strerror(errno));
		unlink(ctl->path);
		goto err;
	}
	log_info("control socket %s (mode %s)", ctl->path,
		 ctl->have_group ? "0660, group " CONTROL_GROUP : "0600, no group " CONTROL_GROUP);
	return ctl;
err:
	if (ctl->fd >= 0)
		close(ctl->fd);
	free(ctl->path);
	free(ctl);
	return NULL;
}

void control_close(struct control *ctl)
{
	if (!ctl)
		return;
	while (ctl->clients)
		client_free(ctl->clients);
	loop_remove(ctl->src);
	close(ctl->fd);
	unlink(ctl->path);
	free(ctl->path);
	free(ctl);
}
