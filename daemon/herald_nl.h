/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink pieces heraldd (daemon/kernel.c) and heraldctl (tools/heraldctl)
 * both need to talk to herald.ko over libnl-genl-3: the key nest and the
 * extended-ack reader. One copy, so both speak the ABI the same way.
 */
#ifndef HERALD_NL_H
#define HERALD_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

/*
 * One HERALD_A_KEY nest: MATERIAL (omitted when @len is 0: DEL_KEY names a
 * key by its MKI only), MKI_ID, MKI_LEN, and ACTIVE if @active. -1 if @msg
 * is full.
 */
int herald_nl_put_key(struct nl_msg *msg, const uint8_t *material, size_t len, uint32_t mki,
		      uint8_t mki_len, bool active);

/* The extended ack message in an NLMSG_ERROR message, or NULL. */
const char *herald_nl_extack_msg(const struct nlmsghdr *nlh);

/* Wipe (requests may carry keys) and free a request; NULL is fine. */
void herald_nl_msg_free(struct nl_msg *msg);

enum herald_nl_fail {
	HERALD_NL_OK,
	HERALD_NL_NOMEM,
	HERALD_NL_SEND,		/* ->msg: libnl's reason */
	HERALD_NL_RECV,		/* ->msg: libnl's reason */
	HERALD_NL_BADMSG,	/* a reply @reply refused */
	HERALD_NL_KERNEL,	/* ->error from the module, ->msg its extack (may be empty) */
};

struct herald_nl_status {
	enum herald_nl_fail fail;
	int error;		/* negative errno */
	char msg[256];
	char warning[256];	/* an extack message on a successful ack */
};

/*
 * Send @msg (consumed, and wiped) on @sk and receive until the ack, or for
 * a dump its end. Every message of @family goes to @reply (may be NULL),
 * whose non-zero return makes the request fail with HERALD_NL_BADMSG.
 * 0, or -1 with @st saying why.
 */
int herald_nl_transact(struct nl_sock *sk, int family, struct nl_msg *msg,
		       int (*reply)(struct nlmsghdr *nlh, void *arg), void *arg,
		       struct herald_nl_status *st);

#endif
