/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's sip.* configuration keys: the rows config.c puts in its table,
 * and the cross-key checks run after a file parsed (a bad combination
 * rejects the whole file, like a bad line). docs/configuration.md
 * documents every key.
 */
#ifndef HERALDD_SIP_CONFIG_H
#define HERALDD_SIP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define SIP_MAX_ACCOUNTS	4	/* sip.u1 .. sip.u4 */

enum sip_role {
	SIP_ROLE_PAGE,			/* auto-answer, normal priority */
	SIP_ROLE_EMERGENCY,		/* auto-answer, emergency priority */
};

enum sip_cfg_transport {
	SIP_CFG_TLS,
	SIP_CFG_TCP,
	SIP_CFG_UDP,
};

struct sip_account_cfg {
	char user[64];			/* extension; "": account not configured */
	char auth_user[64];		/* "": same as user */
	char password[128];		/* never logged */
	int role;			/* enum sip_role */
	bool enabled;
};

struct sip_config {
	char proxy[128];		/* host[:port]; "": SIP off */
	char domain[128];		/* AOR domain; "": the proxy's host */
	int transport;			/* enum sip_cfg_transport */
	char tls_ca[256];
	bool tls_verify;
	char tls_cert[256];
	char tls_key[256];
	char tls_server_name[128];	/* "": the proxy's host */
	int register_expires;		/* seconds asked for */
	int keepalive;			/* CRLF ping period, s; 0: off */
	char survivability_proxy[128];	/* host[:port]; "": none */
	int failover_after;		/* consecutive primary failures before it is taken */
	int failback_interval;		/* s between probes of the primary while on it */
	struct sip_account_cfg acct[SIP_MAX_ACCOUNTS];
};

extern const char *const sip_role_names[];	/* "page", "emergency" */
extern const char *const sip_transport_names[];	/* "tls", "tcp", "udp" */

#define SIP_CFG_ACCOUNT_KEYS(S, f, n) \
	CFG_KEY_STRING("sip.u" #n ".user", S, f.acct[n - 1].user), \
	CFG_KEY_STRING("sip.u" #n ".auth_user", S, f.acct[n - 1].auth_user), \
	CFG_KEY_SECRET("sip.u" #n ".password", S, f.acct[n - 1].password), \
	CFG_KEY_ENUM("sip.u" #n ".role", S, f.acct[n - 1].role, sip_role_names), \
	CFG_KEY_BOOL("sip.u" #n ".enabled", S, f.acct[n - 1].enabled)

/* The sip.* rows for a table whose struct @S holds a struct sip_config @f. */
#define SIP_CFG_KEYS(S, f) \
	CFG_KEY_STRING("sip.proxy", S, f.proxy), \
	CFG_KEY_STRING("sip.domain", S, f.domain), \
	CFG_KEY_ENUM("sip.transport", S, f.transport, sip_transport_names), \
	CFG_KEY_STRING("sip.tls.ca", S, f.tls_ca), \
	CFG_KEY_BOOL("sip.tls.verify", S, f.tls_verify), \
	CFG_KEY_STRING("sip.tls.cert", S, f.tls_cert), \
	CFG_KEY_STRING("sip.tls.key", S, f.tls_key), \
	CFG_KEY_STRING("sip.tls.server_name", S, f.tls_server_name), \
	CFG_KEY_INT("sip.register_expires", S, f.register_expires, 60, 86400), \
	CFG_KEY_INT("sip.keepalive", S, f.keepalive, 0, 3600), \
	CFG_KEY_STRING("sip.survivability_proxy", S, f.survivability_proxy), \
	CFG_KEY_INT("sip.failover_after", S, f.failover_after, 1, 100), \
	CFG_KEY_INT("sip.failback_interval", S, f.failback_interval, 1, 3600), \
	SIP_CFG_ACCOUNT_KEYS(S, f, 1), \
	SIP_CFG_ACCOUNT_KEYS(S, f, 2), \
	SIP_CFG_ACCOUNT_KEYS(S, f, 3), \
	SIP_CFG_ACCOUNT_KEYS(S, f, 4)

void sip_config_defaults(struct sip_config *c);
/*
 * Checks what single keys cannot: sip.proxy syntax (an address or a host
 * name), the domain and user characters, cert and key
 * together, an account's keys without its user. 0 or -1 with @err.
 */
int sip_config_check(const struct sip_config *c, char *err, size_t errlen);

/* host[:port] split: host without IPv6 brackets, port 0 when none given. */
int sip_config_hostport(const char *hp, char *host, size_t hostlen, unsigned int *port);
/* sip.proxy split, as sip_config_hostport(). */
int sip_config_proxy(const struct sip_config *c, char *host, size_t hostlen, unsigned int *port);

#endif
