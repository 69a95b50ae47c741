/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provision.* settings, kept apart from provision.c so the
 * configuration table (config.c) can list them without pulling in libcurl.
 */
#ifndef HERALDD_PROVISION_CONFIG_H
#define HERALDD_PROVISION_CONFIG_H

#include <linux/if.h>

struct provision_config {
	char url[512];		/* base URL ending in '/'; empty: provisioning off */
	char ca[256];		/* CA file the server certificate must chain to */
	char cert[256];		/* device certificate (PEM), the TLS client certificate */
	char key[256];		/* its private key (PEM) */
	char key_password[128];	/* passphrase of the key, if it has one (secret) */
	int interval;		/* seconds between fetches; 0: only at start */
	char group[64];		/* group file: <url><group>.conf; empty: no group layer */
	char cache_dir[256];	/* last good files, mode 0600 */
	char mac_interface[IFNAMSIZ];	/* empty: the interface of the default route */
};

/* Rows for the configuration table: @S the struct, @f its provision_config member. */
#define PROVISION_CONFIG_KEYS(S, f) \
	CFG_KEY_STRING("provision.url", S, f.url), \
	CFG_KEY_STRING("provision.ca", S, f.ca), \
	CFG_KEY_STRING("provision.cert", S, f.cert), \
	CFG_KEY_STRING("provision.key", S, f.key), \
	CFG_KEY_SECRET("provision.key_password", S, f.key_password), \
	CFG_KEY_INT("provision.interval", S, f.interval, 0, 604800), \
	CFG_KEY_STRING("provision.group", S, f.group), \
	CFG_KEY_STRING("provision.cache_dir", S, f.cache_dir), \
	CFG_KEY_STRING("provision.mac_interface", S, f.mac_interface)

#define PROVISION_CONFIG_DEFAULTS { \
	.ca = "/etc/herald/provision-ca.pem", \
	.cert = "/etc/herald/device.crt", \
	.key = "/etc/herald/device.key", \
	.interval = 3600, \
	.cache_dir = "/var/lib/herald/provision", \
}

#endif
