/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zone outputs running calls feed, kept in step with the zones.
 *
 * A call's stream feeds media.outputs and the outputs of the zones its
 * account pages (sip.uN.zones). The call layer (sip/call.c) takes that
 * list once, when the call starts, and hands it to media.c each time it
 * makes or mutes its stream; a zone made anew (new output id), added to
 * or removed from the account mid-call would leave the call feeding a
 * stale list. This registry puts that right from outside the call layer:
 *
 *  - media.c notes every call stream and the outputs it feeds
 *    (call_feeds_note(), call_feeds_forget()), and asks
 *    call_feeds_resolve() for the list to send instead of the call
 *    layer's own whenever that one is not a mute;
 *  - call_status.c, the call layer's observer, says after every change
 *    which account each call's stream belongs to and whether it is on
 *    hold (call_feeds_calls());
 *  - heraldd says where the zones' outputs of an account come from
 *    (call_feeds_set_source(): zones_account_outputs()) and calls
 *    call_feeds_refresh() when they change: each running call's stream
 *    not on hold then gets SET_STREAM OUTPUTS with media.outputs and its
 *    account's zone outputs as they are now, if that differs from what it
 *    feeds.
 *
 * One registry per process (heraldd runs one call layer), like the
 * encryption registry of policy.h. Calls that reached no account feed
 * media.outputs alone and are left as the call layer made them.
 */
#ifndef HERALDD_CALL_FEEDS_H
#define HERALDD_CALL_FEEDS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

struct call_info;

/* Account @acct's (1..) zone outputs now, up to @max into @out; how many. */
typedef unsigned int (*call_feeds_source_fn)(void *arg, int acct, uint32_t *out,
					     unsigned int max);
void call_feeds_set_source(call_feeds_source_fn fn, void *arg);

/* media.c: stream @stream of the call labelled @label feeds @outputs now (through @kops/@kctx). */
void call_feeds_note(const struct kernel_ops *kops, void *kctx, uint32_t stream,
		     const char *label, const uint32_t *outputs, unsigned int n);
/* media.c: @stream is gone. */
void call_feeds_forget(uint32_t stream);

/*
 * media.c, before it sends a call stream's outputs: @asked (@n of them) is
 * what the call layer keeps. For a stream (@stream, or 0 for a stream of
 * the call @label about to be made) whose account is known, and not a
 * mute (@n 0), the outputs it should feed now go to @out instead; else
 * @asked is copied. Returns how many (at most HERALD_MAX_OUTPUTS).
 */
unsigned int call_feeds_resolve(uint32_t stream, const char *label, const uint32_t *asked,
				unsigned int n, uint32_t *out);

/*
 * call_status.c: the @n calls with media after a change, and media.outputs
 * (@base, @nbase), which every call feeds. Streams that feed a stale list
 * are brought in step.
 */
void call_feeds_calls(const struct call_info *calls, unsigned int n, const uint32_t *base,
		      unsigned int nbase);

/* The zones' outputs changed: bring every known call stream in step. */
void call_feeds_refresh(void);

/* Forget everything (heraldd's exit, tests). */
void call_feeds_reset(void);

#endif
