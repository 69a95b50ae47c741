/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assisted provisioning: the account, device and group layer files fetched
 * over HTTPS with the device certificate as TLS client certificate, from
 * the event loop (libcurl's multi interface: curl's sockets and its timer
 * live in loop.c's epoll set, so nothing here blocks).
 *
 * A round fetches, in this order:
 *   <provision.url>herald.conf        account layer, required
 *   <provision.url><mac>.conf         device layer, optional (404: empty)
 *   <provision.url><group>.conf       group layer, if provision.group is set
 *                                     by the account, device or local file
 * with If-None-Match / If-Modified-Since when a cached copy exists. Every
 * file is validated whole; only when all are good is the set cached (mode
 * 0600) and handed to the apply callback. Any failure leaves the running
 * configuration alone and sets the status to "Assisted Provisioning Failed"
 * with the reason.
 */
#ifndef HERALDD_PROVISION_H
#define HERALDD_PROVISION_H

#include <stdbool.h>

#include "layers.h"
#include "loop.h"
#include "provision_config.h"

struct provision;

/*
 * New remote layers: @remote[LAYER_ACCOUNT], [LAYER_GROUP], [LAYER_DEVICE]
 * (NULL when that layer is absent), valid during the call only.
 * @from_cache: read from the cache at start, not from the server.
 */
typedef void (*provision_apply_cb)(const struct layer *const remote[LAYER_COUNT], bool from_cache,
				   void *arg);

struct provision *provision_new(struct loop *loop, const struct layer_schema *s,
				 provision_apply_cb apply, void *arg);
void provision_free(struct provision *p);

/*
 * The running provision.* settings and the local layer (kept by pointer; the
 * caller keeps it valid until the next call), which the group name may come
 * from. Call at start and after every change. 0 or -errno.
 */
int provision_configure(struct provision *p, const struct provision_config *cfg,
			const struct layer *local);
/*
 * Apply the cached files (if any, and all valid) through the callback, then
 * fetch from the server now and every provision.interval.
 */
int provision_start(struct provision *p);
/*
 * Start a round now unless one is running: 0 started, 1 one is running
 * already, -1 provisioning is off or the round failed before any transfer
 * (the reason is in the status).
 */
int provision_fetch_now(struct provision *p);

/*
 * A round asked for from outside (SIP NOTIFY check-sync), which anyone
 * holding the account's password can send as often as they like: rounds
 * it starts are at least PROVISION_TRIGGER_GAP_MS apart, and one asked
 * for while a round runs or too soon after the last is queued, once
 * (more requests meanwhile add nothing), and started when allowed.
 */
#define PROVISION_TRIGGER_GAP_MS 10000

enum provision_trigger {
	PROVISION_TRIGGER_OFF,		/* provision.url is empty: nothing to fetch */
	PROVISION_TRIGGER_STARTED,	/* a round started now */
	PROVISION_TRIGGER_QUEUED,	/* a round will start once the running one ended / the gap passed */
};

enum provision_trigger provision_trigger(struct provision *p);

/* "<lower-case hex MAC>" of @ifname, or of the default route's interface when
 * @ifname is empty. 0, or -1 with the reason in @err.
 */
int provision_mac(const char *ifname, char mac[13], char *err, size_t errlen);

#endif
