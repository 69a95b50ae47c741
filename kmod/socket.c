// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP sockets streams receive on.
 *
 * Either the daemon's own socket, passed as a file descriptor (as L2TP and
 * GTP take theirs): the module hooks encap_rcv on it and lets go when the
 * daemon closes it (encap_destroy), so no key outlives its owner. Or a
 * socket the module opens itself, for a stream set up by heraldctl alone
 * (a static multicast zone receiver), living until the stream is deleted.
 */
#include <linux/file.h>
#include <linux/in.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "stream.h"

/* Any value but 0 enables encap_rcv; the UDP code only compares with 0 and
 * with the ESP/L2TP values it handles itself, none of which is this.
 */
#define HERALD_ENCAP_TYPE 7

static int herald_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct herald_stream *st = rcu_dereference_sk_user_data(sk);

	if (!st)
		return 1;
	return herald_stream_rcv(st, skb);
}

/* The daemon closed its socket (or died): the stream goes with it. */
static void herald_encap_destroy(struct sock *sk)
{
	struct herald_net *hn = herald_pernet(sock_net(sk));
	struct herald_stream *st;

	/* Every destroy runs under hn->lock, so the stream read under it
	 * cannot be freed by a concurrent deletion over netlink.
	 */
	mutex_lock(&hn->lock);
	rcu_read_lock();
	st = rcu_dereference_sk_user_data(sk);
	rcu_read_unlock();
	if (st)
		herald_stream_destroy(st);
	mutex_unlock(&hn->lock);
}

static void herald_stream_hook(struct herald_stream *st, struct socket *sock, bool user)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data = st,
		.encap_type = HERALD_ENCAP_TYPE,
		.encap_rcv = herald_encap_rcv,
		.encap_destroy = user ? herald_encap_destroy : NULL,
	};

	setup_udp_tunnel_sock(sock_net(sock->sk), sock, &cfg);
}

int herald_stream_attach_fd(struct herald_stream *st, int fd, struct netlink_ext_ack *extack)
{
	struct socket *sock;
	struct sock *sk;
	int ret;

	sock = sockfd_lookup(fd, &ret);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "fd is not a socket");
		return ret;
	}
	sk = sock->sk;
	ret = -EINVAL;
	if (sk->sk_protocol != IPPROTO_UDP || sk->sk_type != SOCK_DGRAM ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)) {
		NL_SET_ERR_MSG(extack, "fd is not a UDP socket");
		goto out;
	}
	if (!net_eq(sock_net(sk), st->hn->net)) {
		NL_SET_ERR_MSG(extack, "socket belongs to another network namespace");
		goto out;
	}
	lock_sock(sk);
	if (sk->sk_user_data) {
		release_sock(sk);
		NL_SET_ERR_MSG(extack, "socket is already attached to a stream or tunnel");
		ret = -EBUSY;
		goto out;
	}
	sock_hold(sk);
	st->sk = sk;
	st->ipv6 = sk->sk_family == AF_INET6;
	st->local_port = ntohs(inet_sk(sk)->inet_sport);
	herald_stream_hook(st, sock, true);
	release_sock(sk);
	ret = 0;
out:
	/* The stream holds the sock, not the file: closing the fd ends it. */
	sockfd_put(sock);
	return ret;
}

static int herald_stream_join(struct herald_stream *st)
{
	struct socket *sock = st->owned;

	if (st->ipv6) {
		struct ipv6_mreq mreq = {
			.ipv6mr_multiaddr = st->local6,
			.ipv6mr_ifindex = st->ifindex,
		};

		return sock->ops->setsockopt(sock, SOL_IPV6, IPV6_ADD_MEMBERSHIP,
					     KERNEL_SOCKPTR(&mreq), sizeof(mreq));
	} else {
		struct ip_mreqn mreq = {
			.imr_multiaddr.s_addr = st->local4,
			.imr_ifindex = st->ifindex,
		};

		return sock->ops->setsockopt(sock, SOL_IP, IP_ADD_MEMBERSHIP,
					     KERNEL_SOCKPTR(&mreq), sizeof(mreq));
	}
}

int herald_stream_open_socket(struct herald_stream *st, struct netlink_ext_ack *extack)
{
	struct udp_port_cfg cfg = {
		.family = st->ipv6 ? AF_INET6 : AF_INET,
		.local_udp_port = htons(st->local_port),
	};
	bool multicast;
	int ret;

	if (st->ipv6) {
		cfg.local_ip6 = st->local6;
		cfg.ipv6_v6only = 1;
		multicast = ipv6_addr_is_multicast(&st->local6);
	} else {
		cfg.local_ip.s_addr = st->local4;
		multicast = ipv4_is_multicast(st->local4);
	}
	ret = udp_sock_create(st->hn->net, &cfg, &st->owned);
	if (ret) {
		if (ret == -EADDRINUSE)
			NL_SET_ERR_MSG(extack, "local address and port in use");
		else
			NL_SET_ERR_MSG(extack, "cannot bind the local address and port");
		return ret;
	}
	if (multicast) {
		ret = herald_stream_join(st);
		if (ret) {
			NL_SET_ERR_MSG(extack, "cannot join the multicast group");
			udp_tunnel_sock_release(st->owned);
			st->owned = NULL;
			return ret;
		}
	}
	st->sk = st->owned->sk;
	sock_hold(st->sk);
	st->local_port = ntohs(inet_sk(st->sk)->inet_sport);
	herald_stream_hook(st, st->owned, false);
	return 0;
}

void herald_stream_detach_socket(struct herald_stream *st)
{
	struct sock *sk = st->sk;

	if (!sk)
		return;
	lock_sock(sk);
	udp_sk(sk)->encap_type = 0;
	udp_sk(sk)->encap_rcv = NULL;
	udp_sk(sk)->encap_destroy = NULL;
	rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);
	/* Packets already past the hook finish under RCU; the stream itself
	 * is freed after a grace period by the caller.
	 */
	if (st->owned)
		udp_tunnel_sock_release(st->owned);
	st->owned = NULL;
	st->sk = NULL;
	sock_put(sk);
}
