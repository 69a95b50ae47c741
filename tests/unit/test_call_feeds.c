// SPDX-License-Identifier: GPL-2.0
/*
 * Running calls follow their account's zones (daemon/call_feeds.c), driven
 * the way heraldd drives it: call streams made and muted through media.c
 * against a fake herald.ko that keeps each stream's outputs, the call
 * layer's observer saying which account each call is on (as call_status.c
 * does), and the zones' outputs of each account as a table the test
 * changes (as zones.c's would on a zone made anew, added or removed).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/call_feeds.h"
#include "../../daemon/media.h"
#include "../../daemon/sip/call.h"

#define MAX_STREAMS 16

/* The fake module: each stream's outputs, in the order last sent. */
static struct {
	bool alive;
	uint32_t out[HERALD_MAX_OUTPUTS];
	unsigned int nout;
} streams[MAX_STREAMS];
static uint32_t next_stream;
static unsigned int nset;		/* SET_STREAM OUTPUTS requests */
static uint32_t deleted_output;		/* an output id the module no longer has */

static int refuse_gone(const uint32_t *outputs, unsigned int n, char *why, size_t whylen)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (deleted_output && outputs[i] == deleted_output) {
			snprintf(why, whylen, "no output %u", outputs[i]);
			return -ENOENT;
		}
	return 0;
}

static int f_new_stream(void *ctx, const struct kernel_stream_req *req, uint32_t *id, char *why,
			size_t whylen)
{
	int ret = refuse_gone(req->outputs, req->noutputs, why, whylen);

	if (ret)
		return ret;
	*id = ++next_stream;
	assert_true(*id < MAX_STREAMS);
	streams[*id].alive = true;
	memcpy(streams[*id].out, req->outputs, sizeof(req->outputs[0]) * req->noutputs);
	streams[*id].nout = req->noutputs;
	return 0;
}

static int f_del_stream(void *ctx, uint32_t id, char *why, size_t whylen)
{
	assert_true(streams[id].alive);
	streams[id].alive = false;
	return 0;
}

static int f_set_outputs(void *ctx, uint32_t id, const uint32_t *outputs, unsigned int n,
			 char *why, size_t whylen)
{
	int ret = refuse_gone(outputs, n, why, whylen);

	assert_true(streams[id].alive);
	nset++;
	if (ret)
		return ret;
	memcpy(streams[id].out, outputs, sizeof(outputs[0]) * n);
	streams[id].nout = n;
	return 0;
}

static const struct kernel_ops kops = {
	.new_stream = f_new_stream,
	.del_stream = f_del_stream,
	.set_outputs = f_set_outputs,
};

/* The zones' outputs of accounts u1 and u2, as zones_account_outputs() would say. */
static uint32_t zone_out[3][HERALD_MAX_OUTPUTS];
static unsigned int nzone_out[3];

static unsigned int source(void *arg, int acct, uint32_t *out, unsigned int max)
{
	unsigned int n = acct >= 1 && acct <= 2 ? nzone_out[acct] : 0;

	memcpy(out, zone_out[acct], sizeof(out[0]) * (n < max ? n : max));
	return n < max ? n : max;
}

static void set_zones(int acct, unsigned int n, ...)
{
	va_list ap;
	unsigned int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		zone_out[acct][i] = va_arg(ap, uint32_t);
	va_end(ap);
	nzone_out[acct] = n;
}

static struct media m;
static const uint32_t base[] = { 9 };	/* media.outputs */

static int setup(void **state)
{
	memset(streams, 0, sizeof(streams));
	memset(nzone_out, 0, sizeof(nzone_out));
	next_stream = 0;
	nset = 0;
	deleted_output = 0;
	call_feeds_reset();
	call_feeds_set_source(source, NULL);
	media_init(&m, &kops, NULL, 20000, 20010);
	return 0;
}

/* The stream feeds exactly @n outputs, in any order. */
static void feeds(uint32_t id, unsigned int n, ...)
{
	va_list ap;
	unsigned int i, j;

	assert_int_equal(streams[id].nout, n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		uint32_t want = va_arg(ap, uint32_t);

		for (j = 0; j < n && streams[id].out[j] != want; j++)
			;
		if (j == n) {
			print_error("stream %u does not feed output %u\n", id, want);
			fail();
		}
	}
	va_end(ap);
}

/* A call as the call layer makes it: the list it took at the start. */
static void start_call(struct media_sess *s, const char *label, const uint32_t *list,
		       unsigned int n)
{
	struct media_crypto mc = { .suite = HERALD_SUITE_NONE };
	char why[128];

	media_sess_init(s);
	assert_int_equal(media_start(&m, s, &mc, label, 0, list, n, 0, why, sizeof(why)), 0);
}

/* The call layer's observer: one call, its account and hold state. */
static void observe(const struct media_sess *s, const char *label, const char *account,
		    bool held)
{
	struct call_info info = {
		.label = label,
		.account = account,
		.stream_id = s->stream_id,
		.held = held,
	};

	call_feeds_calls(&info, 1, base, 1);
}

/* A zone made anew, added, removed: the running call's stream follows. */
static void follows_zone_changes(void **state)
{
	const uint32_t at_start[] = { 9, 1, 2 };	/* media.outputs, zones 1 and 2 of u1 */
	struct media_sess s;
	unsigned int sets;

	set_zones(1, 2, 1, 2);
	start_call(&s, "u1-1", at_start, 3);
	observe(&s, "u1-1", "u1", false);
	/* Nothing stale: no request. */
	assert_int_equal(nset, 0);
	feeds(s.stream_id, 3, 9, 1, 2);

	/* Zone 1 made anew (output 1 gone, 3 in its place). */
	set_zones(1, 2, 3, 2);
	call_feeds_refresh();
	feeds(s.stream_id, 3, 9, 3, 2);
	/* Zone 4 (output 5) added to u1. */
	set_zones(1, 3, 3, 2, 5);
	call_feeds_refresh();
	feeds(s.stream_id, 4, 9, 3, 2, 5);
	/* Zone 2 removed from u1: the call stops feeding it; media.outputs stays. */
	set_zones(1, 2, 3, 5);
	call_feeds_refresh();
	feeds(s.stream_id, 3, 9, 3, 5);
	/* No change: no request. */
	sets = nset;
	call_feeds_refresh();
	call_feeds_refresh();
	assert_int_equal(nset, sets);
	media_close(&m, &s);
	/* Gone: not asked about any more. */
	set_zones(1, 1, 7);
	call_feeds_refresh();
	assert_int_equal(nset, sets);
}

/* On hold the call layer mutes the stream; zone changes leave it muted, unhold feeds them as they are. */
static void hold_stays_muted(void **state)
{
	const uint32_t at_start[] = { 9, 1 };
	struct media_sess s;

	set_zones(1, 1, 1);
	start_call(&s, "u1-1", at_start, 2);
	observe(&s, "u1-1", "u1", false);
	/* Hold: the call layer mutes with its own list's count 0. */
	assert_int_equal(media_set_outputs(&m, &s, at_start, 0), 0);
	observe(&s, "u1-1", "u1", true);
	feeds(s.stream_id, 0);
	/* Zone 1 made anew while on hold: still muted. */
	set_zones(1, 1, 3);
	deleted_output = 1;
	call_feeds_refresh();
	feeds(s.stream_id, 0);
	/* Unhold: the call layer asks for its stale list (output 1 is gone, the
	 * module would refuse it); the stream gets the zones as they are.
	 */
	assert_int_equal(media_set_outputs(&m, &s, at_start, 2), 0);
	observe(&s, "u1-1", "u1", false);
	feeds(s.stream_id, 2, 9, 3);
	media_close(&m, &s);
}

/* A re-INVITE's new stream of a running call feeds the zones as they are now. */
static void new_stream_of_running_call(void **state)
{
	const uint32_t at_start[] = { 9, 1 };
	struct media_sess s, fresh;

	set_zones(1, 1, 1);
	start_call(&s, "u1-1", at_start, 2);
	observe(&s, "u1-1", "u1", false);
	set_zones(1, 2, 3, 4);
	deleted_output = 1;
	call_feeds_refresh();
	/* The call layer makes the new stream with its list of the start. */
	start_call(&fresh, "u1-1", at_start, 2);
	feeds(fresh.stream_id, 3, 9, 3, 4);
	/* Its old stream goes at the ACK; the new one follows on. */
	media_close(&m, &s);
	observe(&fresh, "u1-1", "u1", false);
	set_zones(1, 1, 4);
	call_feeds_refresh();
	feeds(fresh.stream_id, 2, 9, 4);
	media_close(&m, &fresh);
}

/* Calls of another account, or of none, are not touched by u1's zones. */
static void other_accounts(void **state)
{
	const uint32_t u2_start[] = { 9, 6 }, none[] = { 9 };
	struct media_sess a, b;
	struct call_info info[2];

	set_zones(1, 1, 1);
	set_zones(2, 1, 6);
	start_call(&a, "u2-1", u2_start, 2);
	start_call(&b, "call-2", none, 1);
	info[0] = (struct call_info){ .label = "u2-1", .account = "u2", .stream_id = a.stream_id };
	info[1] = (struct call_info){ .label = "call-2", .account = "", .stream_id = b.stream_id };
	call_feeds_calls(info, 2, base, 1);
	set_zones(1, 2, 1, 3);
	call_feeds_refresh();
	assert_int_equal(nset, 0);
	feeds(a.stream_id, 2, 9, 6);
	feeds(b.stream_id, 1, 9);
	/* u2's zone made anew: u2's call follows, the other stays. */
	set_zones(2, 1, 7);
	call_feeds_refresh();
	feeds(a.stream_id, 2, 9, 7);
	feeds(b.stream_id, 1, 9);
	media_close(&m, &a);
	media_close(&m, &b);
}

/* A refused request leaves the stream as it was, and is tried again on the next change. */
static void refused_then_retried(void **state)
{
	const uint32_t at_start[] = { 9, 1 };
	struct media_sess s;

	set_zones(1, 1, 1);
	start_call(&s, "u1-1", at_start, 2);
	observe(&s, "u1-1", "u1", false);
	deleted_output = 3;	/* zone output 3 is not there (yet) */
	set_zones(1, 1, 3);
	call_feeds_refresh();
	feeds(s.stream_id, 2, 9, 1);
	deleted_output = 0;
	call_feeds_refresh();
	feeds(s.stream_id, 2, 9, 3);
	media_close(&m, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(follows_zone_changes, setup),
		cmocka_unit_test_setup(hold_stays_muted, setup),
		cmocka_unit_test_setup(new_stream_of_running_call, setup),
		cmocka_unit_test_setup(other_accounts, setup),
		cmocka_unit_test_setup(refused_then_retried, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
