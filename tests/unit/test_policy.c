// SPDX-License-Identifier: GPL-2.0
/*
 * The encryption registry (daemon/policy.c): legs added, replaced and
 * removed, the verdict over them, the exceptions list, the order, batched
 * changes; and the "calls" area (daemon/call_status.c call_status_json()).
 * The JSON is compared whole: it is what monitoring reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/call_status.h"
#include "../../daemon/policy.h"
#include "../../daemon/status.h"

static int setup(void **state)
{
	assert_int_equal(status_open(NULL), 0);
	return 0;
}

static int teardown(void **state)
{
	enc_reset();
	status_close();
	return 0;
}

static void no_legs_is_encrypted(void **state)
{
	enc_set_required(false);
	assert_string_equal(enc_status(), "Encrypted");
	assert_string_equal(enc_status_json(),
		"{\"status\": \"Encrypted\", \"require_encryption\": false,\n"
		"  \"legs\": [],\n  \"exceptions\": []}");
	/* It is the "encryption" area of the status file. */
	assert_non_null(strstr(status_text(), "\"encryption\": {\"status\": \"Encrypted\""));
}

static void verdicts(void **state)
{
	enc_set_required(true);
	assert_int_equal(enc_leg_set(ENC_LEG_REGISTRATION, "primary", "pbx.example:5061", true,
				     "SIP over TLS, server certificate verified"), 0);
	assert_string_equal(enc_status(), ENC_ENCRYPTED);
	enc_leg_set(ENC_LEG_CALL, "u1-1", "sip:alice@example.com", false,
		    "plain RTP accepted (media.srtp = optional)");
	assert_string_equal(enc_status(), ENC_PARTIAL);
	/* Replacing a leg: the registration now unverified, so nothing is encrypted. */
	enc_leg_set(ENC_LEG_REGISTRATION, "primary", "pbx.example:5061", false,
		    "SIP over TLS without certificate verification (sip.tls.verify = off)");
	assert_string_equal(enc_status(), ENC_NOT_ENCRYPTED);
	enc_leg_del(ENC_LEG_REGISTRATION, "primary");
	assert_string_equal(enc_status(), ENC_NOT_ENCRYPTED);
	enc_leg_del(ENC_LEG_CALL, "u1-1");
	assert_string_equal(enc_status(), ENC_ENCRYPTED);
	/* Removing what is not there changes nothing. */
	enc_leg_del(ENC_LEG_CALL, "u1-1");
	assert_string_equal(enc_status_json(),
		"{\"status\": \"Encrypted\", \"require_encryption\": true,\n"
		"  \"legs\": [],\n  \"exceptions\": []}");
}

static void order_and_exceptions(void **state)
{
	enc_set_required(false);
	/* Added out of order: listed by kind, then id. */
	enc_leg_set(ENC_LEG_ZONE, "2", "239.1.2.3:5004", true, "SRTP AEAD_AES_128_GCM");
	enc_leg_set(ENC_LEG_OUTPUT, "7", "192.0.2.7:5004", false, "plaintext output in herald.ko");
	enc_leg_set(ENC_LEG_CALL, "u1-2", "sip:bob@example.com", true,
		    "SRTP AES_CM_128_HMAC_SHA1_80");
	enc_leg_set(ENC_LEG_CALL, "u1-1", "sip:\"eve\"@example.com", false,
		    "plain RTP accepted (media.srtp = optional)");
	enc_leg_set(ENC_LEG_REGISTRATION, "primary", "127.0.0.1:5061", true,
		    "SIP over TLS, server certificate verified");
	assert_string_equal(enc_status_json(),
		"{\"status\": \"Partially encrypted\", \"require_encryption\": false,\n"
		"  \"legs\": [\n"
		"    {\"leg\": \"registration:primary\", \"peer\": \"127.0.0.1:5061\", "
		"\"encrypted\": true, \"detail\": \"SIP over TLS, server certificate verified\"},\n"
		"    {\"leg\": \"call:u1-1\", \"peer\": \"sip:\\\"eve\\\"@example.com\", "
		"\"encrypted\": false, \"detail\": \"plain RTP accepted (media.srtp = optional)\"},\n"
		"    {\"leg\": \"call:u1-2\", \"peer\": \"sip:bob@example.com\", "
		"\"encrypted\": true, \"detail\": \"SRTP AES_CM_128_HMAC_SHA1_80\"},\n"
		"    {\"leg\": \"output:7\", \"peer\": \"192.0.2.7:5004\", "
		"\"encrypted\": false, \"detail\": \"plaintext output in herald.ko\"},\n"
		"    {\"leg\": \"zone:2\", \"peer\": \"239.1.2.3:5004\", "
		"\"encrypted\": true, \"detail\": \"SRTP AEAD_AES_128_GCM\"}],\n"
		"  \"exceptions\": [\n"
		"    {\"leg\": \"call:u1-1\", \"peer\": \"sip:\\\"eve\\\"@example.com\", "
		"\"reason\": \"plain RTP accepted (media.srtp = optional)\"},\n"
		"    {\"leg\": \"output:7\", \"peer\": \"192.0.2.7:5004\", "
		"\"reason\": \"plaintext output in herald.ko\"}]}");
	enc_leg_del_kind(ENC_LEG_CALL);
	enc_leg_del_kind(ENC_LEG_OUTPUT);
	assert_string_equal(enc_status(), ENC_ENCRYPTED);
	assert_null(strstr(enc_status_json(), "call:"));
	assert_non_null(strstr(enc_status_json(), "zone:2"));
}

/* Between enc_hold() and enc_release() the file keeps the state before. */
static void held_changes_show_at_once(void **state)
{
	char before[512];

	enc_leg_set(ENC_LEG_CALL, "u1-1", "sip:a@example.com", true, "SRTP AEAD_AES_256_GCM");
	snprintf(before, sizeof(before), "%s", status_text());
	enc_hold();
	enc_leg_del_kind(ENC_LEG_CALL);
	enc_leg_set(ENC_LEG_CALL, "u1-1", "sip:a@example.com", true, "SRTP AEAD_AES_256_GCM");
	enc_leg_set(ENC_LEG_CALL, "u1-2", "sip:b@example.com", false, "plain");
	enc_hold();
	enc_release();		/* nested: still held */
	assert_string_equal(status_text(), before);
	enc_release();
	assert_string_not_equal(status_text(), before);
	assert_string_equal(enc_status(), ENC_PARTIAL);
	assert_non_null(strstr(status_text(), "\"leg\": \"call:u1-2\""));
}

static void calls_json(void **state)
{
	struct call_info c[2] = {
		{ .label = "u1-1", .account = "u1", .caller = "sip:alice@example.com",
		  .state = "established", .srtp = true, .suite = HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
		  .codec = "PCMU", .stream_id = 3, .priority = HERALD_PRIORITY_NORMAL,
		  .started = 1795953600 },
		{ .label = "u2-2", .account = "u2", .caller = "sip:b\"x@example.com",
		  .state = "answered", .srtp = false, .suite = HERALD_SUITE_NONE, .codec = "G722",
		  .stream_id = 4, .priority = HERALD_PRIORITY_EMERGENCY, .started = 0 },
	};
	char *json = call_status_json(c, 2);

	assert_non_null(json);
	assert_string_equal(json,
		"[\n    {\"label\": \"u1-1\", \"account\": \"u1\", \"caller\": \"sip:alice@example.com\", "
		"\"state\": \"established\", \"codec\": \"PCMU\", \"suite\": \"AES_CM_128_HMAC_SHA1_80\", "
		"\"priority\": \"normal\", \"stream_id\": 3, \"start\": \"2026-11-29T12:00:00Z\", "
		"\"encrypted\": true},\n"
		"    {\"label\": \"u2-2\", \"account\": \"u2\", \"caller\": \"sip:b\\\"x@example.com\", "
		"\"state\": \"answered\", \"codec\": \"G722\", \"suite\": \"none\", "
		"\"priority\": \"emergency\", \"stream_id\": 4, \"start\": \"1970-01-01T00:00:00Z\", "
		"\"encrypted\": false}]");
	free(json);
	json = call_status_json(NULL, 0);
	assert_string_equal(json, "[]");
	free(json);
}

static void priorities(void **state)
{
	char buf[8];

	assert_string_equal(call_status_priority(HERALD_PRIORITY_PRIORITY, buf, sizeof(buf)),
			    "priority");
	assert_string_equal(call_status_priority(7, buf, sizeof(buf)), "7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(no_legs_is_encrypted, setup, teardown),
		cmocka_unit_test_setup_teardown(verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(order_and_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(held_changes_show_at_once, setup, teardown),
		cmocka_unit_test(calls_json),
		cmocka_unit_test(priorities),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
