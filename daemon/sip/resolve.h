/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Name resolution off the event loop: a short-lived helper thread, the
 * answer delivered through an eventfd the loop watches. A/AAAA with
 * getaddrinfo() (addresses in its RFC 6724 order), or RFC 3263 SRV first
 * (sip_resolve_srv_start()): the targets in RFC 2782 order, each one's
 * addresses in turn. The transport tries them one by one. NAPTR is not
 * implemented: the service comes from the configured transport.
 */
#ifndef HERALDD_SIP_RESOLVE_H
#define HERALDD_SIP_RESOLVE_H

#include <stdint.h>
#include <sys/socket.h>

#define SIP_RESOLVE_MAX 16

struct loop;
struct sip_resolve;

struct sip_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/*
 * @n addresses (at most SIP_RESOLVE_MAX) with the port set, or n == 0 and
 * @err ("Name or service not known"). Runs from the loop, once, unless
 * cancelled first; the request is freed after it returns.
 */
typedef void (*sip_resolve_cb)(const struct sip_addr *addrs, unsigned int n, const char *err,
			       void *arg);

/*
 * Resolve @host; the answer always comes from the loop, never from inside
 * this call. NULL if the thread or eventfd could not be made (errno set).
 * The callback must not cancel its own request.
 */
struct sip_resolve *sip_resolve_start(struct loop *loop, const char *host, uint16_t port,
				      int socktype, sip_resolve_cb cb, void *arg);
/*
 * RFC 3263 4.2: the SRV records of @service.@host (@service "_sips._tcp",
 * "_sip._tcp" or "_sip._udp"), then the A/AAAA of each target with the
 * record's port; without SRV records, @host itself with @port. A target
 * "." alone fails the lookup (the domain refuses that service). @service
 * NULL: sip_resolve_start().
 */
struct sip_resolve *sip_resolve_srv_start(struct loop *loop, const char *service,
					  const char *host, uint16_t port, int socktype,
					  sip_resolve_cb cb, void *arg);
/* The callback will not run; the helper thread, if still busy, cleans up itself. */
void sip_resolve_cancel(struct sip_resolve *r);

#endif
