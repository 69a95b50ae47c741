/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldctl: what the per-object command files share.
 */
#ifndef HERALDCTL_H
#define HERALDCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HERALDCTL_VERSION "0.1.0"
/* heraldd's control socket (daemon/control.h), unless -S says otherwise. */
#define HERALDCTL_CONTROL_SOCKET "/run/herald/control.sock"

/* -S PATH: the control socket of the commands that talk to heraldd. */
extern const char *ctl_socket_path;

/*
 * One word of the command line and what it runs. @run gets the words after
 * its own; @path is the full command ("policy set") for messages. Returns
 * the process exit status: 0 on success, 1 on any failure.
 */
struct cmd {
	const char *name;
	int (*run)(const char *path, int argc, char **argv);
	const char *summary;
};

/* Where error messages go: stderr, or a memory stream in unit tests. */
extern FILE *ctl_errfp;

void ctl_error(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Keywords match exactly. Abbreviations are refused on purpose: a prefix
 * that is unique today ("s" for "show") becomes ambiguous as objects are
 * added (set, stream, sink, status) and would break scripts written against
 * an older heraldctl.
 */
int match_keyword(const char *arg, const char *const *words);

/* "on" -> 1, "off" -> 0, anything else -> -1. */
int parse_on_off(const char *arg);

/*
 * Run the entry of @table (terminated by a NULL name) named by argv[0]; with
 * no word left, run @dflt if given (e.g. "policy" alone means "policy
 * show"). "help" prints the table's summaries. @parent is the command path
 * so far ("" at the top).
 */
int cmd_dispatch(const struct cmd *table, const char *dflt, const char *parent,
		 int argc, char **argv);

/*
 * Values. Each returns 0, or -1 without a message: the caller knows which
 * keyword the value belongs to and says so.
 */
/* Decimal @min..@max. */
int parse_u32(const char *arg, uint32_t min, uint32_t max, uint32_t *v);
/* Decimal, or hexadecimal with 0x (SSRCs are usually written in hex). */
int parse_u32_hex(const char *arg, uint32_t *v);

/* An IPv4 or IPv6 literal, as the kernel takes it: 4 or 16 bytes. */
struct ctl_addr {
	int family;		/* AF_INET or AF_INET6 */
	size_t len;		/* 4 or 16 */
	uint8_t bytes[16];	/* network order */
};

int parse_addr(const char *arg, struct ctl_addr *a);
/* The literal of a 4 or 16 byte address; -1 for any other length. */
int format_addr(const void *bytes, size_t len, char *buf, size_t size);

/* "normal", "priority", "emergency" or 0..255. */
int parse_priority(const char *arg, uint8_t *prio);
/* The name of a named level, or NULL. */
const char *priority_name(uint8_t prio);

/* "0,8,96-127": a set of RTP payload types 0..127, one bit each. */
#define PT_MASK_BYTES 16
int parse_pt_list(const char *arg, uint8_t mask[PT_MASK_BYTES]);

/* An interface name, resolved to its index in this namespace. */
int parse_dev(const char *arg, uint32_t *ifindex);

/* The word after argv[*i], advancing *i; NULL (and a message) at the end. */
const char *arg_value(const char *path, int argc, char **argv, int *i);

/* The top level: global options, then the command table. */
int heraldctl_run(int argc, char **argv);

/* One entry point per object, each in its own file. */
int cmd_version(const char *path, int argc, char **argv);
int cmd_info(const char *path, int argc, char **argv);
int cmd_policy(const char *path, int argc, char **argv);
int cmd_monitor(const char *path, int argc, char **argv);
int cmd_output(const char *path, int argc, char **argv);
int cmd_stream(const char *path, int argc, char **argv);
int cmd_key(const char *path, int argc, char **argv);
int cmd_sink(const char *path, int argc, char **argv);
/* control.c: through heraldd's control socket. */
int cmd_status(const char *path, int argc, char **argv);
int cmd_accounts(const char *path, int argc, char **argv);
int cmd_calls(const char *path, int argc, char **argv);
int cmd_zones(const char *path, int argc, char **argv);
int cmd_exceptions(const char *path, int argc, char **argv);
int cmd_provision(const char *path, int argc, char **argv);
int cmd_reload(const char *path, int argc, char **argv);

/*
 * One request to heraldd: {"cmd":@cmd} over ctl_socket_path; the reply
 * line (malloc'd, without its newline) in *@reply. 0, or -1 with a message.
 */
int control_request(const char *path, const char *cmd, char **reply);

/* policy.c: the parsed arguments of "policy set", exposed for unit tests. */
struct policy_req {
	int require_encryption;	/* -1: not given, else 0/1 */
};

int policy_set_parse(const char *path, int argc, char **argv, struct policy_req *req);

#endif
