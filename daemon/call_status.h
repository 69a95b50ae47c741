/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calls in heraldd's status file, and their encryption legs.
 *
 * The call layer (sip/call.c) says when its calls change
 * (call_layer_set_observer()); call_status_update() then rewrites status
 * area "calls" and re-lists the legs of kinds "call" and "output" in the
 * encryption registry (policy.h):
 *
 *   "calls": [{"label": "u1-1", "account": "u1", "caller": "sip:alice@example.com",
 *              "state": "established", "codec": "PCMU",
 *              "suite": "AES_CM_128_HMAC_SHA1_80", "priority": "normal",
 *              "stream_id": 3, "start": "2026-11-29T12:00:00Z", "encrypted": true}]
 *
 * A call's media is its leg "call:<label>", its peer the caller: SRTP is
 * encrypted, plain RTP (media.srtp = optional or off) an exception. While
 * at least one call feeds the outputs of media.outputs (not on hold), each
 * of them is a leg "output:<id>" as herald.ko reports it: with SRTP keys
 * encrypted, plaintext an exception, and one the module cannot describe an
 * exception too (nothing vouches for it).
 */
#ifndef HERALDD_CALL_STATUS_H
#define HERALDD_CALL_STATUS_H

#include <stdint.h>

#include "call_config.h"
#include "sip/call.h"

struct kernel;

/* The "calls" area for @n calls: malloc'd JSON, or NULL without memory. */
char *call_status_json(const struct call_info *calls, unsigned int n);

/* "normal", "priority", "emergency", or the number. @buf holds the latter. */
const char *call_status_priority(uint8_t prio, char *buf, size_t size);

struct call_status;

/*
 * For a call layer configured with @cfg and @pol (media.srtp names the
 * reason of a plain call; pol->outputs are the outputs calls feed), asking
 * @k about outputs. Writes an empty "calls" area. NULL without memory.
 */
struct call_status *call_status_new(struct kernel *k, const struct call_config *cfg,
				    const struct call_policy *pol);
/* The calls of @cl changed: rewrite "calls" and the legs. */
void call_status_update(struct call_status *cs, const struct call_layer *cl);
/* Remove the legs, leave "calls" empty, free. */
void call_status_free(struct call_status *cs);

#endif
