// SPDX-License-Identifier: GPL-2.0
/*
 * Name resolution in a helper thread: see resolve.h.
 *
 * The request is shared by the loop and the thread and freed by whichever
 * lets go last (a reference count): a cancelled lookup may still be inside
 * getaddrinfo(), which cannot be interrupted, and its eventfd must stay
 * open (and not be reused by another descriptor) until the thread has
 * written to it.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../loop.h"
#include "resolve.h"

struct sip_resolve {
	atomic_int refs;
	int efd;
	struct loop_source *src;	/* loop side only */
	sip_resolve_cb cb;
	void *arg;
	char host[256];
	char port[8];
	int socktype;
	/* written by the thread before its eventfd write, read by the loop after */
	struct sip_addr addrs[SIP_RESOLVE_MAX];
	unsigned int n;
	char err[400];
};

static void put(struct sip_resolve *r)
{
	if (atomic_fetch_sub(&r->refs, 1) == 1) {
		close(r->efd);
		free(r);
	}
}

static void *lookup(void *p)
{
	struct sip_resolve *r = p;
	struct addrinfo hints = { .ai_socktype = r->socktype, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL, *ai;
	uint64_t one = 1;
	int e;

	e = getaddrinfo(r->host, r->port, &hints, &res);
	if (e) {
		snprintf(r->err, sizeof(r->err), "%s: %s", r->host,
			 e == EAI_SYSTEM ? strerror(errno) : gai_strerror(e));
	} else {
		for (ai = res; ai && r->n < SIP_RESOLVE_MAX; ai = ai->ai_next) {
			if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
			    ai->ai_addrlen > sizeof(r->addrs[0].ss))
				continue;
			memcpy(&r->addrs[r->n].ss, ai->ai_addr, ai->ai_addrlen);
			r->addrs[r->n].len = ai->ai_addrlen;
			r->n++;
		}
		freeaddrinfo(res);
		if (!r->n)
			snprintf(r->err, sizeof(r->err), "%s: no IPv4 or IPv6 address", r->host);
	}
	/* The eventfd write publishes addrs/n/err to the loop (a syscall orders memory). */
	/* Cannot fail on an eventfd far below its maximum count. */
	(void)!write(r->efd, &one, sizeof(one));
	put(r);
	return NULL;
}

static void ready(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct sip_resolve *r = arg;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno == EAGAIN)
		return;
	loop_remove(r->src);
	r->src = NULL;
	r->cb(r->addrs, r->n, r->n ? NULL : r->err, r->arg);
	put(r);
}

struct sip_resolve *sip_resolve_start(struct loop *loop, const char *host, uint16_t port,
				      int socktype, sip_resolve_cb cb, void *arg)
{
	struct sip_resolve *r;
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t th;
	int e;

	if (strlen(host) >= sizeof(((struct sip_resolve *)0)->host)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	atomic_init(&r->refs, 2);
	snprintf(r->host, sizeof(r->host), "%s", host);
	snprintf(r->port, sizeof(r->port), "%u", port);
	r->socktype = socktype;
	r->cb = cb;
	r->arg = arg;
	r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->efd < 0) {
		free(r);
		return NULL;
	}
	r->src = loop_add_fd(loop, r->efd, EPOLLIN, ready, r);
	if (!r->src)
		goto fail;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* The loop takes signals through its signalfd: the helper must never get one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&th, &attr, lookup, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (e) {
		errno = e;
		goto fail;
	}
	return r;
fail:
	e = errno;
	if (r->src)
		loop_remove(r->src);
	close(r->efd);
	free(r);
	errno = e;
	return NULL;
}

void sip_resolve_cancel(struct sip_resolve *r)
{
	if (!r)
		return;
	if (r->src) {
		loop_remove(r->src);
		r->src = NULL;
	}
	put(r);
}
