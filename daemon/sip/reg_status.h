/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registration status per account, in the words an Algo device's status
 * page uses (see ../shared/seeds: Zoom Phone troubleshooting), written as
 * a log line on every change and as the "registration" member of heraldd's
 * status file (daemon/status.c, --status-file).
 */
#ifndef HERALDD_SIP_REG_STATUS_H
#define HERALDD_SIP_REG_STATUS_H

#include <stdbool.h>
#include <time.h>

enum reg_status {
	REG_STATUS_DISABLED,		/* "Disabled": configured, not enabled */
	REG_STATUS_REGISTERING,		/* "Registering": from start until the first outcome */
	REG_STATUS_OK,			/* "Successful" */
	REG_STATUS_REJECTED,		/* "Rejected by Server": a final error response */
	REG_STATUS_NO_REPLY,		/* "No reply from server": timeout, connection or TLS failure */
};

const char *reg_status_text(enum reg_status s);

struct reg_status_entry {
	const char *account;		/* "u1" */
	const char *user;
	const char *role;		/* "page", "emergency" */
	enum reg_status status;
	int code;			/* last response code; 0: none (no reply) */
	const char *reason;		/* reason phrase or what failed */
	time_t since;			/* when status, code or reason last changed */
	int expires;			/* granted seconds while Successful, else 0 */
	const char *proxy_in_use;	/* "primary" or "survivability"; NULL: "primary" */
};

/*
 * The "registration" member of heraldd's status file (daemon/status.c): the
 * transport, the (primary) proxy, the survivability proxy (NULL or "":
 * none, and the key is left out) and @n accounts, as one JSON object.
 * malloc'd, or NULL without memory.
 */
char *reg_status_json(const char *transport, const char *proxy, const char *surv_proxy,
		      const struct reg_status_entry *e, unsigned int n);

#endif
