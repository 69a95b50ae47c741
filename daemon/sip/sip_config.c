// SPDX-License-Identifier: GPL-2.0
/*
 * sip.* configuration: defaults and cross-key checks (see sip_config.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_config.h"

const char *const sip_role_names[] = { "page", "emergency", NULL };
const char *const sip_transport_names[] = { "tls", "tcp", "udp", NULL };

void sip_config_defaults(struct sip_config *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->transport = SIP_CFG_TLS;
	snprintf(c->tls_ca, sizeof(c->tls_ca), "/etc/ssl/certs/ca-certificates.crt");
	c->tls_verify = true;
	c->register_expires = 3600;
	c->keepalive = 30;
	c->failover_after = 3;
	c->failback_interval = 60;
	for (i = 0; i < SIP_MAX_ACCOUNTS; i++) {
		c->acct[i].enabled = true;
		c->acct[i].role = SIP_ROLE_PAGE;
	}
}

int sip_config_proxy(const struct sip_config *c, char *host, size_t hostlen, unsigned int *port)
{
	return sip_config_hostport(c->proxy, host, hostlen, port);
}

int sip_config_hostport(const char *hp, char *host, size_t hostlen, unsigned int *port)
{
	const char *p = hp, *hend, *colon;
	size_t hl;

	*port = 0;
	if (*p == '[') {
		hend = strchr(p, ']');
		if (!hend)
			return -1;
		p++;
		colon = hend[1] == ':' ? hend + 1 : NULL;
		if (hend[1] && !colon)
			return -1;
	} else {
		colon = strchr(p, ':');
		hend = colon ? colon : p + strlen(p);
		if (colon && strchr(colon + 1, ':'))
			return -1;	/* bare IPv6 needs brackets */
	}
	hl = hend - p;
	if (!hl || hl >= hostlen)
		return -1;
	memcpy(host, p, hl);
	host[hl] = '\0';
	if (colon) {
		char *end;
		unsigned long v;

		if (colon[1] < '0' || colon[1] > '9')
			return -1;
		v = strtoul(colon + 1, &end, 10);
		if (*end || v < 1 || v > 65535)
			return -1;
		*port = v;
	}
	return 0;
}

/* RFC 3261 25.1 "unreserved" plus the user-unreserved marks we accept. */
static bool user_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.!~*'()&=+$,", *s)))
			return false;
	}
	return true;
}

static bool hostname_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
			return false;
	return true;
}

/* Quoted into the Authorization header: no quotes, backslashes or controls. */
static bool quotable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '"' || *s == '\\')
			return false;
	return true;
}

/* @hp is host[:port] or [IPv6][:port], the host an address or a name. */
static int hostport_check(const char *key, const char *hp, char *err, size_t errlen)
{
	unsigned char addr[16];
	char host[128];
	unsigned int port;

	if (sip_config_hostport(hp, host, sizeof(host), &port)) {
		snprintf(err, errlen, "%s: expected host[:port] or [IPv6][:port]", key);
		return -1;
	}
	if (inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1 &&
	    (!hostname_ok(host) || hp[0] == '[')) {
		snprintf(err, errlen, "%s: \"%s\" is neither an IPv4/IPv6 address nor a "
			 "host name (letters, digits, '-' and '.')", key, host);
		return -1;
	}
	return 0;
}

int sip_config_check(const struct sip_config *c, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < SIP_MAX_ACCOUNTS; i++) {
		const struct sip_account_cfg *a = &c->acct[i];

		if (!a->user[0] && (a->auth_user[0] || a->password[0])) {
			snprintf(err, errlen, "sip.u%d: credentials without sip.u%d.user", i + 1, i + 1);
			return -1;
		}
		if (a->user[0] && !c->proxy[0]) {
			snprintf(err, errlen, "sip.u%d.user is set but sip.proxy is not", i + 1);
			return -1;
		}
	}
	if (c->survivability_proxy[0] && !c->proxy[0]) {
		snprintf(err, errlen, "sip.survivability_proxy is set but sip.proxy is not");
		return -1;
	}
	if (!c->proxy[0])
		return 0;
	if (hostport_check("sip.proxy", c->proxy, err, errlen))
		return -1;
	if (c->survivability_proxy[0]) {
		if (hostport_check("sip.survivability_proxy", c->survivability_proxy, err, errlen))
			return -1;
		if (!strcmp(c->survivability_proxy, c->proxy)) {
			snprintf(err, errlen, "sip.survivability_proxy is sip.proxy itself");
			return -1;
		}
	}
	if (c->domain[0] && !hostname_ok(c->domain)) {
		snprintf(err, errlen, "sip.domain: only letters, digits, '-' and '.'");
		return -1;
	}
	if (c->tls_server_name[0] && !hostname_ok(c->tls_server_name)) {
		snprintf(err, errlen, "sip.tls.server_name: only letters, digits, '-' and '.'");
		return -1;
	}
	if (!c->tls_cert[0] != !c->tls_key[0]) {
		snprintf(err, errlen, "sip.tls.cert and sip.tls.key go together");
		return -1;
	}
	for (i = 0; i < SIP_MAX_ACCOUNTS; i++) {
		const struct sip_account_cfg *a = &c->acct[i];

		if (!a->user[0])
			continue;
		if (!user_ok(a->user)) {
			snprintf(err, errlen, "sip.u%d.user: only letters, digits and -_.!~*'()&=+$,",
				 i + 1);
			return -1;
		}
		if (!quotable(a->auth_user)) {
			snprintf(err, errlen, "sip.u%d.auth_user: no quotes, backslashes or controls",
				 i + 1);
			return -1;
		}
	}
	return 0;
}
