/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket's protocol, apart from the socket (control.c) so unit
 * tests and the fuzzer take it as it is. One request per line, one reply
 * per line, each a JSON object:
 *
 *   {"cmd":"status"}   ->  {"ok":true,"status":{...}}
 *                      or  {"ok":false,"error":"..."}
 *
 * A request has exactly one member, "cmd", a string naming a command;
 * anything else is refused. Replies name their member after the command
 * ("status", "accounts", "calls", "zones", "exceptions", "provision",
 * "reload"). Status areas are passed on as the status file holds them
 * (status.c); an area nobody publishes is an error saying so, never an
 * empty answer that could be mistaken for "nothing there".
 */
#ifndef HERALDD_CONTROL_PROTO_H
#define HERALDD_CONTROL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A request line longer than this (without its newline) is refused. */
#define CONTROL_MAX_REQUEST 4096

enum control_cmd {
	CONTROL_STATUS,		/* every area */
	CONTROL_ACCOUNTS,	/* "registration" */
	CONTROL_CALLS,		/* "calls" */
	CONTROL_ZONES,		/* "zones" */
	CONTROL_EXCEPTIONS,	/* "encryption" -> "exceptions" */
	CONTROL_PROVISION_NOW,	/* provision_fetch_now() */
	CONTROL_RELOAD,		/* what SIGHUP does */
	CONTROL_CMD_COUNT,
};

/* "status", "provision-now", ...: the wire name of @cmd. */
const char *control_cmd_name(enum control_cmd cmd);

/*
 * Parse one request line (@len bytes, without the newline). 0 and @cmd, or
 * -1 with the reason in @err.
 */
int control_request_parse(const char *line, size_t len, enum control_cmd *cmd,
			  char *err, size_t errlen);

/*
 * What the daemon does for the commands that act. Each returns 0, or -1
 * with the reason in @why.
 */
struct control_ops {
	/* Reread the configuration; on -1 the running one stays. */
	int (*reload)(void *arg, char *why, size_t whylen);
	/*
	 * Start a provisioning round: 0 started, 1 one is running already,
	 * -1 not possible (provisioning off, or failed at once) with @why.
	 */
	int (*provision_now)(void *arg, char *why, size_t whylen);
	void *arg;
};

/*
 * Answer one request line: the reply, newline-terminated, malloc'd (NULL
 * only without memory).
 */
char *control_execute(const char *line, size_t len, const struct control_ops *ops);

/* {"ok":false,"error":@msg}\n, malloc'd (NULL without memory). */
char *control_reply_error(const char *msg);

/*
 * May this peer use the socket? Root, or a member of the herald group
 * (@herald_gid, when @have_group) by its primary or a supplementary group.
 */
bool control_peer_allowed(uid_t uid, gid_t gid, const gid_t *groups, size_t ngroups,
			  bool have_group, gid_t herald_gid);

#endif
