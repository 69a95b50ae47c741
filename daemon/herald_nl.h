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

#endif
