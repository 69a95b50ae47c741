// SPDX-License-Identifier: GPL-2.0
/*
 * Address parsing and socket options shared by the sender and the receivers.
 * Only numeric addresses: tests must never depend on name resolution.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

int tt_addr_parse(const char *text, bool need_port, struct tt_addr *a)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *port = NULL, *end;
	struct addrinfo hints, *res;
	size_t hlen;
	char *e;
	long p = 0;

	if (text[0] == '[') {
		end = strchr(text, ']');
		if (!end)
			return -1;
		hlen = end - text - 1;
		text++;
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return -1;
	} else {
		const char *colon = strchr(text, ':');

		/* One colon: IPv4 with port. More: a bare IPv6 address. */
		if (colon && !strchr(colon + 1, ':')) {
			hlen = colon - text;
			port = colon + 1;
		} else {
			hlen = strlen(text);
		}
	}
	if (!hlen || hlen >= sizeof(host))
		return -1;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	if (port) {
		p = strtol(port, &e, 10);
		if (!*port || *e || p < 0 || p > 65535)
			return -1;
	} else if (need_port) {
		return -1;
	}

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, NULL, &hints, &res))
		return -1;
	memset(a, 0, sizeof(*a));
	memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)p);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((uint16_t)p);
	return 0;
}

int tt_addr_family(const struct tt_addr *a)
{
	return a->ss.ss_family;
}

bool tt_addr_is_multicast(const struct tt_addr *a)
{
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)&a->ss;

		return IN_MULTICAST(ntohl(s->sin_addr.s_addr));
	}
	return IN6_IS_ADDR_MULTICAST(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr);
}

void tt_addr_format(const struct tt_addr *a, char *buf, size_t len)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)&a->ss, a->len, host,
			sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV)) {
		snprintf(buf, len, "?");
		return;
	}
	if (a->ss.ss_family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", host, serv);
	else
		snprintf(buf, len, "%s:%s", host, serv);
}

unsigned int tt_iface_index(const char *iface)
{
	struct ifaddrs *ifa, *i;
	struct in_addr want;
	unsigned int idx = if_nametoindex(iface);

	if (idx || inet_pton(AF_INET, iface, &want) != 1)
		return idx;
	if (getifaddrs(&ifa))
		return 0;
	for (i = ifa; i; i = i->ifa_next) {
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr ==
		    want.s_addr) {
			idx = if_nametoindex(i->ifa_name);
			break;
		}
	}
	freeifaddrs(ifa);
	return idx;
}

void tt_sock_bufs(int fd, int optname, int bytes)
{
	/* FORCE variants pass rmem_max/wmem_max when run as root. */
	int force = optname == SO_RCVBUF ? SO_RCVBUFFORCE : SO_SNDBUFFORCE;

	if (setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, optname, &bytes, sizeof(bytes));
}

int tt_sock_tx_opts(int fd, int family, int ttl, const char *iface)
{
	unsigned int idx = 0;

	if (iface) {
		idx = tt_iface_index(iface);
		if (!idx) {
			fprintf(stderr, "unknown interface '%s'\n", iface);
			return -1;
		}
	}
	if (family == AF_INET) {
		struct ip_mreqn m = { .imr_ifindex = (int)idx };

		if (ttl >= 0 &&
		    (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) ||
		     setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
				sizeof(ttl))))
			return -1;
		if (idx && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m,
				      sizeof(m)))
			return -1;
	} else {
		int i = (int)idx;

		if (ttl >= 0 &&
		    (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
				sizeof(ttl)) ||
		     setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
				sizeof(ttl))))
			return -1;
		if (idx && setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &i,
				      sizeof(i)))
			return -1;
	}
	return 0;
}

int tt_sock_join(int fd, const struct tt_addr *group, const char *iface)
{
	unsigned int idx = 0;

	if (iface) {
		idx = tt_iface_index(iface);
		if (!idx) {
			fprintf(stderr, "unknown interface '%s'\n", iface);
			return -1;
		}
	}
	if (group->ss.ss_family == AF_INET) {
		struct ip_mreqn m = {
			.imr_multiaddr = ((const struct sockaddr_in *)&group->ss)->sin_addr,
			.imr_ifindex = (int)idx,
		};

		return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m,
				  sizeof(m));
	} else {
		struct ipv6_mreq m = {
			.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)&group->ss)->sin6_addr,
			.ipv6mr_interface = idx,
		};

		return setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m,
				  sizeof(m));
	}
}
