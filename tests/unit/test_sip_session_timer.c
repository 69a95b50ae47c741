// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sip/session_timer.c: the RFC 4028 verdict on INVITEs shaped as
 * SIPp, baresip and a proxy that inserts Session-Expires write them, and
 * the time at which we give up on a refresh [RFC 4028 10]. The timer in a
 * call (armed by each 2xx, BYE at the deadline) is test_call's, on a fake
 * clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/sip/session_timer.h"

static struct sip_msg msg;
static char buf[4096];

/* Parse an INVITE carrying the header lines @extra ("\r\n"-terminated). */
static void parse(const char *extra)
{
	struct sip_error err;
	int len = snprintf(buf, sizeof(buf),
			   "INVITE sip:1000@192.0.2.10 SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP 192.0.2.50:5070;branch=z9hG4bK-st-1\r\n"
			   "From: <sip:sipp@192.0.2.50>;tag=1\r\n"
			   "To: <sip:1000@192.0.2.10>\r\n"
			   "Call-ID: st-1@192.0.2.50\r\n"
			   "CSeq: 1 INVITE\r\n"
			   "Contact: <sip:sipp@192.0.2.50:5070>\r\n"
			   "%s"
			   "Content-Length: 0\r\n\r\n", extra);

	if (sip_msg_parse(&msg, buf, (size_t)len, 0, &err))
		fail_msg("does not parse: %s", err.text);
}

static struct session_offer verdict(const char *extra)
{
	struct session_offer o;

	parse(extra);
	session_timer_offer(&msg, &o);
	sip_msg_free(&msg);
	return o;
}

static void no_session_expires_no_timer(void **state)
{
	struct session_offer o = verdict("Supported: timer\r\n");

	assert_int_equal(o.verdict, SESSION_NONE);
	assert_int_equal(o.interval, 0);
}

/* The usual case: SIPp or baresip supporting timer, no refresher named. */
static void caller_refreshes(void **state)
{
	struct session_offer o = verdict("Supported: timer\r\nSession-Expires: 1800\r\n");

	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 1800);
	o = verdict("Supported: replaces, timer\r\nSession-Expires: 90;refresher=uac\r\n"
		    "Min-SE: 90\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 90);
	/* Compact x, k; Require: timer says support as well. */
	o = verdict("k: timer\r\nx: 600\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 600);
	o = verdict("Require: timer\r\nSession-Expires: 300\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 300);
}

/* Below our Min-SE (90): 422 when the caller knows the extension. */
static void too_small_422(void **state)
{
	struct session_offer o = verdict("Supported: timer\r\nSession-Expires: 89\r\n");

	assert_int_equal(o.verdict, SESSION_TOO_SMALL);
	o = verdict("Supported: timer\r\nSession-Expires: 0\r\n");
	assert_int_equal(o.verdict, SESSION_TOO_SMALL);
	o = verdict("Supported: timer\r\nSession-Expires: 90\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
}

/* A proxy inserted it and the caller knows nothing of timers: we would be
 * the refresher, which we are not; a 422 would only fail the page.
 */
static void caller_without_timer(void **state)
{
	struct session_offer o = verdict("Session-Expires: 1800\r\n");

	assert_int_equal(o.verdict, SESSION_NONE);
	o = verdict("Session-Expires: 30\r\nSupported: replaces\r\n");
	assert_int_equal(o.verdict, SESSION_NONE);
}

static void refresher_uas_declined(void **state)
{
	struct session_offer o = verdict("Supported: timer\r\nSession-Expires: 1800;refresher=uas\r\n");

	assert_int_equal(o.verdict, SESSION_NONE);
	assert_non_null(strstr(o.why, "refresher=uas"));
}

/* Never below the request's Min-SE [9]; parameters allowed, garbage not. */
static void min_se_header(void **state)
{
	struct session_offer o = verdict("Supported: timer\r\nSession-Expires: 100\r\n"
					 "Min-SE: 120\r\n");

	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 120);
	o = verdict("Supported: timer\r\nSession-Expires: 200\r\nMin-SE: 90 ;lr\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 200);
	o = verdict("Supported: timer\r\nSession-Expires: 200\r\nmin-se: 90\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
	o = verdict("Supported: timer\r\nSession-Expires: 200\r\nMin-SE: ninety\r\n");
	assert_int_equal(o.verdict, SESSION_BAD);
	o = verdict("Supported: timer\r\nSession-Expires: 200\r\nMin-SE: 90x\r\n");
	assert_int_equal(o.verdict, SESSION_BAD);
	o = verdict("Supported: timer\r\nSession-Expires: 200\r\nMin-SE: 90\r\nMin-SE: 95\r\n");
	assert_int_equal(o.verdict, SESSION_BAD);
	/* A huge one saturates rather than wraps. */
	o = verdict("Supported: timer\r\nSession-Expires: 200\r\nMin-SE: 99999999999999\r\n");
	assert_int_equal(o.verdict, SESSION_TIMER);
	assert_int_equal(o.interval, 0xffffffffu);
}

/* Session-Expires minus min(32 s, a third) [RFC 4028 10]. */
static void bye_deadline(void **state)
{
	assert_int_equal(session_timer_bye_ms(90), 60000);
	assert_int_equal(session_timer_bye_ms(95), 64000);	/* a third: 31 s */
	assert_int_equal(session_timer_bye_ms(96), 64000);	/* 32 s either way */
	assert_int_equal(session_timer_bye_ms(1800), 1768000);
	assert_true(session_timer_bye_ms(0xffffffffu) == (0xffffffffull - 32) * 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_session_expires_no_timer),
		cmocka_unit_test(caller_refreshes),
		cmocka_unit_test(too_small_422),
		cmocka_unit_test(caller_without_timer),
		cmocka_unit_test(refresher_uas_declined),
		cmocka_unit_test(min_se_header),
		cmocka_unit_test(bye_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
