/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP socket helpers for the test tools: numeric IPv4/IPv6 address parsing
 * ("1.2.3.4:5004", "[::1]:5004", "[fe80::1%veth0]:5004"), multicast setup.
 */
#ifndef TT_NET_H
#define TT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct tt_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/*
 * Parses a numeric address with optional port. need_port makes a missing port
 * an error; otherwise it is 0. Bare IPv6 without brackets has no port.
 */
int tt_addr_parse(const char *text, bool need_port, struct tt_addr *a);
int tt_addr_family(const struct tt_addr *a);
bool tt_addr_is_multicast(const struct tt_addr *a);
void tt_addr_format(const struct tt_addr *a, char *buf, size_t len);

/* Interface by name, or by one of its IPv4 addresses for IPv4; 0 if unknown. */
unsigned int tt_iface_index(const char *iface);

/* Socket buffers big enough that a burst on loopback is not dropped. */
void tt_sock_bufs(int fd, int optname, int bytes);
/* TTL / hop limit for unicast and multicast, and the multicast interface. */
int tt_sock_tx_opts(int fd, int family, int ttl, const char *iface);
/* Joins group on iface (NULL: kernel's choice of interface). */
int tt_sock_join(int fd, const struct tt_addr *group, const char *iface);

#endif
