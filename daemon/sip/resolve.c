// SPDX-License-Identifier: GPL-2.0
/*
 * Name resolution in a helper thread: see resolve.h.
 *
 * With a service (RFC 3263 4.2), the thread asks for its SRV records with
 * res_nquery() on a resolver state of its own (the _res global is not
 * shared between threads), orders them (srv.c) and looks each target up
 * with getaddrinfo() in that order: the addresses come out grouped by
 * target, so the transport's "next address" walk is the failover across
 * targets. No SRV records: the name itself with the default port.
 *
 * The request is shared by the loop and the thread and freed by whichever
 * lets go last (a reference count): a cancelled lookup may still be inside
 * getaddrinfo(), which cannot be interrupted, and its eventfd must stay
 * open (and not be reused by another descriptor) until the thread has
 * written to it.
 */
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <unistd.h>

#include "../loop.h"
#include "resolve.h"
#include "srv.h"

struct sip_resolve {
	atomic_int refs;
	int efd;
	struct loop_source *src;	/* loop side only */
	sip_resolve_cb cb;
	void *arg;
	char host[256];
	char port[8];
	char service[16];		/* "_sips._tcp" ...; "": A/AAAA only */
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

/* A/AAAA of @host, appended to r->addrs. 0, or -1 with r->err. */
static int lookup_addrs(struct sip_resolve *r, const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = r->socktype, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL, *ai;
	unsigned int before = r->n;
	int e;

	e = getaddrinfo(host, port, &hints, &res);
	if (e) {
		snprintf(r->err, sizeof(r->err), "%s: %s", host,
			 e == EAI_SYSTEM ? strerror(errno) : gai_strerror(e));
		return -1;
	}
	for (ai = res; ai && r->n < SIP_RESOLVE_MAX; ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(r->addrs[0].ss))
			continue;
		memcpy(&r->addrs[r->n].ss, ai->ai_addr, ai->ai_addrlen);
		r->addrs[r->n].len = ai->ai_addrlen;
		r->n++;
	}
	freeaddrinfo(res);
	if (r->n == before) {
		snprintf(r->err, sizeof(r->err), "%s: no IPv4 or IPv6 address", host);
		return -1;
	}
	return 0;
}

static uint32_t srv_random(void *arg)
{
	uint32_t v = 0;

	/* Only spreads load across equal-priority servers: a short read is harmless. */
	(void)!getrandom(&v, sizeof(v), GRND_NONBLOCK);
	return v;
}

/*
 * SRV query for service.host. The number of records (0: none, or the
 * query failed: fall back to A/AAAA), or -1 with r->err (the service is
 * refused at this domain, or a malformed answer).
 */
static int lookup_srv(struct sip_resolve *r, struct sip_srv *srv)
{
	static const size_t anslen = 65535;
	struct __res_state st;
	unsigned char *ans;
	char qname[sizeof(r->host) + sizeof(r->service) + 1];
	int len, n;

	snprintf(qname, sizeof(qname), "%s.%s", r->service, r->host);
	memset(&st, 0, sizeof(st));
	if (res_ninit(&st) < 0)
		return 0;
	ans = malloc(anslen);
	if (!ans) {
		res_nclose(&st);
		return 0;
	}
	len = res_nquery(&st, qname, ns_c_in, ns_t_srv, ans, (int)anslen);
	res_nclose(&st);
	if (len < 0) {
		/* NXDOMAIN, no data, or no DNS server answering: RFC 3263 4.2 falls back. */
		free(ans);
		return 0;
	}
	n = sip_srv_parse(ans, (size_t)len > anslen ? anslen : (size_t)len, qname, srv,
			  SIP_SRV_MAX, r->err, sizeof(r->err));
	free(ans);
	if (n > 0)
		sip_srv_order(srv, (unsigned int)n, srv_random, NULL);
	return n;
}

static void *lookup(void *p)
{
	struct sip_resolve *r = p;
	struct sip_srv srv[SIP_SRV_MAX];
	uint64_t one = 1;
	int i, n = 0;

	if (r->service[0])
		n = lookup_srv(r, srv);
	if (n == 0) {
		lookup_addrs(r, r->host, r->port);
	} else if (n > 0) {
		/* Every target in order; one that does not resolve is skipped. */
		for (i = 0; i < n && r->n < SIP_RESOLVE_MAX; i++) {
			char port[8];

			snprintf(port, sizeof(port), "%u", srv[i].port);
			lookup_addrs(r, srv[i].target, port);
		}
		if (!r->n)
			snprintf(r->err, sizeof(r->err), "%s.%s: no SRV target has an address",
				 r->service, r->host);
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
	return sip_resolve_srv_start(loop, NULL, host, port, socktype, cb, arg);
}

struct sip_resolve *sip_resolve_srv_start(struct loop *loop, const char *service,
					  const char *host, uint16_t port, int socktype,
					  sip_resolve_cb cb, void *arg)
{
	struct sip_resolve *r;
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t th;
	int e;

	if (strlen(host) >= sizeof(((struct sip_resolve *)0)->host) ||
	    (service && strlen(service) >= sizeof(((struct sip_resolve *)0)->service))) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	atomic_init(&r->refs, 2);
	snprintf(r->host, sizeof(r->host), "%s", host);
	snprintf(r->port, sizeof(r->port), "%u", port);
	snprintf(r->service, sizeof(r->service), "%s", service ? service : "");
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
