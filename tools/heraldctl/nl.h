/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink side of heraldctl: resolve the family, send one
 * request, collect its replies and report errors with the kernel's
 * extended ack message.
 */
#ifndef HERALDCTL_NL_H
#define HERALDCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/genl/genl.h>

struct hnl {
	struct nl_sock *sk;
	int family;
	const char *path;	/* command path for messages */
};

/*
 * Connect and resolve the "herald" family. On failure the reason is printed
 * ("herald module not loaded: modprobe herald" when the family is absent)
 * and -1 is returned; with @quiet_absent an absent family returns -ENOENT
 * without a message, for callers where that is an answer, not an error.
 */
int hnl_open(struct hnl *h, const char *path, bool quiet_absent);
void hnl_close(struct hnl *h);

/* A request for @cmd with the ack flag set; NULL (and a message) if out of memory. */
struct nl_msg *hnl_msg(struct hnl *h, uint8_t cmd);

/* A dump request for @cmd: every object, each in its own reply. */
struct nl_msg *hnl_dump_msg(struct hnl *h, uint8_t cmd);

/* Wipe and free a request that was not handed to hnl_transact(). */
void hnl_msg_free(struct nl_msg *msg);

/*
 * Send @msg (consumed, and wiped: it may hold keys) and receive until the
 * kernel's ack, or for a dump its end. Every reply of the family goes to
 * @reply, whose non-zero return aborts the request as a malformed reply. @mutating selects the CAP_NET_ADMIN message for EPERM.
 * Returns 0, or -1 after printing the error.
 */
int hnl_transact(struct hnl *h, struct nl_msg *msg, bool mutating,
		 int (*reply)(struct nlmsghdr *nlh, void *arg), void *arg);

/* Parse a family message's top-level attributes, validating their types. */
int hnl_parse(struct nlmsghdr *nlh, struct nlattr **tb);

/* The extended ack message in an NLMSG_ERROR message, or NULL. Exposed so
 * unit tests can feed it hand-built acks.
 */
const char *hnl_extack_msg(const struct nlmsghdr *nlh);

#endif
