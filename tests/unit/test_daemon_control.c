// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's protocol (daemon/control_proto.c) and the strict
 * JSON reader under it (daemon/json_read.c): what is accepted and refused,
 * replies built around the status areas (status.c, in memory), reload and
 * provision-now through stand-in operations, and who may connect.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/control_proto.h"
#include "../../daemon/json_read.h"
#include "../../daemon/status.h"

static struct json_value *parse(const char *s, char *err, size_t errlen)
{
	return json_parse(s, strlen(s), err, errlen);
}

static void json_accepts_rfc8259_values(void **state)
{
	const struct json_value *m;
	struct json_value *v;
	char err[128];

	v = parse(" {\"a\": [1, -0.5e+3, true, false, null], \"b\": {\"c\": \"x\\u00e9\\ud83d\\ude00\\n\"}} ",
		  err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(v->type, JSON_OBJECT);
	m = json_member(v, "a");
	assert_non_null(m);
	assert_int_equal(m->type, JSON_ARRAY);
	/* Each value keeps its own text. */
	assert_int_equal(m->raw_len, strlen("[1, -0.5e+3, true, false, null]"));
	assert_memory_equal(m->raw, "[1, -0.5e+3, true, false, null]", m->raw_len);
	assert_int_equal(m->child->next->type, JSON_NUMBER);
	assert_memory_equal(m->child->next->raw, "-0.5e+3", m->child->next->raw_len);
	m = json_member(json_member(v, "b"), "c");
	assert_non_null(m);
	assert_string_equal(m->str, "x\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_null(json_member(v, "nope"));
	assert_null(json_member(m, "c"));
	json_free(v);

	v = parse("\"\"", err, sizeof(err));
	assert_non_null(v);
	assert_string_equal(v->str, "");
	json_free(v);
}

static void json_refuses_what_rfc8259_does_not_allow(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'",
		"01", "1.", ".5", "1e", "-", "+1", "tru", "nul", "\"abc", "\"a\\x\"",
		"\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u0000\"",
		"\"a\tb\"", "{\"a\":1,\"a\":2}", "{} {}", "{}x", "/* c */ {}", "\"\xc3\"",
		"\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "[1]]", NULL,
	};
	char err[128], deep[JSON_MAX_DEPTH + 2];
	struct json_value *v;
	int i;

	for (i = 0; bad[i]; i++) {
		v = parse(bad[i], err, sizeof(err));
		if (v)
			fail_msg("accepted: %s", bad[i]);
		assert_memory_equal(err, "offset ", 7);
	}
	/* A NUL inside the given length is refused, not taken as the end. */
	assert_null(json_parse("{}\0", 3, err, sizeof(err)));
	assert_null(json_parse("\"a\0\"", 4, err, sizeof(err)));

	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	v = parse(deep, err, sizeof(err));
	assert_null(v);
	assert_non_null(strstr(err, "nested deeper than"));
	/* At the limit it parses. */
	{
		char ok[2 * JSON_MAX_DEPTH + 1];

		memset(ok, '[', JSON_MAX_DEPTH);
		memset(ok + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
		ok[2 * JSON_MAX_DEPTH] = '\0';
		v = parse(ok, err, sizeof(err));
		assert_non_null(v);
		json_free(v);
	}
}

static void requests_parsed_strictly(void **state)
{
	static const struct {
		const char *line;
		const char *err;	/* NULL: accepted */
		enum control_cmd cmd;
	} cases[] = {
		{ "{\"cmd\":\"status\"}", NULL, CONTROL_STATUS },
		{ " { \"cmd\" : \"accounts\" } \r", NULL, CONTROL_ACCOUNTS },
		{ "{\"cmd\":\"calls\"}", NULL, CONTROL_CALLS },
		{ "{\"cmd\":\"zones\"}", NULL, CONTROL_ZONES },
		{ "{\"cmd\":\"exceptions\"}", NULL, CONTROL_EXCEPTIONS },
		{ "{\"cmd\":\"provision-now\"}", NULL, CONTROL_PROVISION_NOW },
		{ "{\"cmd\":\"reload\"}", NULL, CONTROL_RELOAD },
		{ "{\"cmd\":\"Status\"}", "unknown command \"Status\"", 0 },
		{ "{\"cmd\":\"status\",\"x\":1}", "unknown member \"x\"", 0 },
		{ "{\"cmd\":\"status\",\"cmd\":\"reload\"}", "malformed request: offset 21: duplicate member \"cmd\"", 0 },
		{ "{}", "no \"cmd\" member", 0 },
		{ "{\"cmd\":1}", "\"cmd\" is not a string", 0 },
		{ "[\"status\"]", "malformed request: not a JSON object", 0 },
		{ "status", "malformed request: offset 0: unexpected character", 0 },
		{ "{\"cmd\":\"status\"", "malformed request: offset 15: expected ',' or '}'", 0 },
	};
	enum control_cmd cmd;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = control_request_parse(cases[i].line, strlen(cases[i].line), &cmd, err,
					      sizeof(err));

		if (!cases[i].err) {
			if (r)
				fail_msg("%s refused: %s", cases[i].line, err);
			assert_int_equal(cmd, cases[i].cmd);
			/* The wire name is what the request said. */
			assert_non_null(strstr(cases[i].line, control_cmd_name(cmd)));
		} else {
			assert_int_equal(r, -1);
			assert_string_equal(err, cases[i].err);
		}
	}
}

static void oversized_request_refused(void **state)
{
	char *line = malloc(CONTROL_MAX_REQUEST + 2);
	enum control_cmd cmd;
	char err[128];

	/* Valid JSON, but one byte over the limit. */
	memset(line, ' ', CONTROL_MAX_REQUEST + 1);
	memcpy(line, "{\"cmd\":\"status\"}", 16);
	assert_int_equal(control_request_parse(line, CONTROL_MAX_REQUEST + 1, &cmd, err, sizeof(err)), -1);
	assert_string_equal(err, "request longer than 4096 bytes");
	assert_int_equal(control_request_parse(line, CONTROL_MAX_REQUEST, &cmd, err, sizeof(err)), 0);
	free(line);
}

/* ---- replies ---------------------------------------------------------------- */

struct fake {
	int reload_ret, prov_ret;
	int reloads, provs;
};

static int fake_reload(void *arg, char *why, size_t len)
{
	struct fake *f = arg;

	f->reloads++;
	if (f->reload_ret)
		snprintf(why, len, "/etc/herald/herald.conf:3: unknown key \"x\"");
	return f->reload_ret;
}

static int fake_prov(void *arg, char *why, size_t len)
{
	struct fake *f = arg;

	f->provs++;
	if (f->prov_ret < 0)
		snprintf(why, len, "provisioning is off (provision.url is empty)");
	return f->prov_ret;
}

static char *run(const struct control_ops *ops, const char *line)
{
	char *reply = control_execute(line, strlen(line), ops);
	struct json_value *v;
	char err[128];

	/* Every reply: one line, one valid JSON object, with "ok". */
	assert_non_null(reply);
	assert_int_equal(reply[strlen(reply) - 1], '\n');
	assert_null(memchr(reply, '\n', strlen(reply) - 1));
	v = json_parse(reply, strlen(reply), err, sizeof(err));
	if (!v)
		fail_msg("invalid reply %s: %s", reply, err);
	assert_non_null(json_member(v, "ok"));
	json_free(v);
	return reply;
}

#define assert_reply(ops, line, want) do { \
	char *r_ = run(ops, line); \
	assert_string_equal(r_, want); \
	free(r_); \
} while (0)

static void replies_from_status_areas(void **state)
{
	struct fake f = { 0 };
	const struct control_ops ops = { fake_reload, fake_prov, &f };

	status_close();
	assert_reply(&ops, "{\"cmd\":\"status\"}", "{\"ok\":true,\"status\":{}}\n");
	assert_reply(&ops, "{\"cmd\":\"accounts\"}",
		     "{\"ok\":false,\"error\":\"no registration area: no SIP account is configured (sip.proxy is empty)\"}\n");
	assert_reply(&ops, "{\"cmd\":\"calls\"}",
		     "{\"ok\":false,\"error\":\"no calls area: this heraldd does not report calls\"}\n");
	assert_reply(&ops, "{\"cmd\":\"zones\"}",
		     "{\"ok\":false,\"error\":\"no zones area: this heraldd does not manage zones\"}\n");
	assert_reply(&ops, "{\"cmd\":\"exceptions\"}",
		     "{\"ok\":false,\"error\":\"no encryption area: this heraldd does not report encryption status\"}\n");

	/* Areas as other parts publish them, newlines and all. */
	assert_int_equal(status_set_area("registration", "{\"accounts\": [\n  {\"account\": \"u1\"}]}"), 0);
	assert_int_equal(status_set_area("encryption", "{\"status\": \"Partially encrypted\",\n"
					 " \"exceptions\": [{\"what\": \"zone 2\", \"why\": \"plain\\nRTP\"}]}"), 0);
	assert_reply(&ops, "{\"cmd\":\"accounts\"}",
		     "{\"ok\":true,\"accounts\":{\"accounts\": [  {\"account\": \"u1\"}]}}\n");
	assert_reply(&ops, "{\"cmd\":\"exceptions\"}",
		     "{\"ok\":true,\"exceptions\":[{\"what\": \"zone 2\", \"why\": \"plain\\nRTP\"}]}\n");
	assert_reply(&ops, "{\"cmd\":\"status\"}",
		     "{\"ok\":true,\"status\":{  \"registration\": {\"accounts\": [  {\"account\": \"u1\"}]},"
		     "  \"encryption\": {\"status\": \"Partially encrypted\", \"exceptions\": "
		     "[{\"what\": \"zone 2\", \"why\": \"plain\\nRTP\"}]}}}\n");

	/* An encryption area without the member: said, not invented. */
	assert_int_equal(status_set_area("encryption", "{\"status\": \"Encrypted\"}"), 0);
	assert_reply(&ops, "{\"cmd\":\"exceptions\"}",
		     "{\"ok\":false,\"error\":\"the encryption area has no \\\"exceptions\\\" member\"}\n");

	/* Requests that are refused say why. */
	assert_reply(&ops, "{\"cmd\":\"nope\"}", "{\"ok\":false,\"error\":\"unknown command \\\"nope\\\"\"}\n");
	assert_reply(&ops, "\x01", "{\"ok\":false,\"error\":\"malformed request: offset 0: unexpected character\"}\n");
	assert_int_equal(f.reloads + f.provs, 0);
	status_close();
}

static void reload_and_provision_now(void **state)
{
	struct fake f = { 0 };
	const struct control_ops ops = { fake_reload, fake_prov, &f };

	assert_reply(&ops, "{\"cmd\":\"reload\"}", "{\"ok\":true,\"reload\":{\"applied\":true}}\n");
	f.reload_ret = -1;
	assert_reply(&ops, "{\"cmd\":\"reload\"}",
		     "{\"ok\":false,\"error\":\"configuration rejected, the running one stays\","
		     "\"reload\":{\"applied\":false,\"reason\":\"/etc/herald/herald.conf:3: unknown key \\\"x\\\"\"}}\n");
	assert_int_equal(f.reloads, 2);

	assert_reply(&ops, "{\"cmd\":\"provision-now\"}", "{\"ok\":true,\"provision\":{\"started\":true}}\n");
	f.prov_ret = 1;
	assert_reply(&ops, "{\"cmd\":\"provision-now\"}",
		     "{\"ok\":true,\"provision\":{\"started\":false,\"reason\":\"a round is running\"}}\n");
	f.prov_ret = -1;
	assert_reply(&ops, "{\"cmd\":\"provision-now\"}",
		     "{\"ok\":false,\"error\":\"provisioning is off (provision.url is empty)\"}\n");
	assert_int_equal(f.provs, 3);
}

static void error_reply_escapes(void **state)
{
	char *r = control_reply_error("a \"b\" \\ c\n\x7f");

	assert_string_equal(r, "{\"ok\":false,\"error\":\"a \\\"b\\\" \\\\ c\\u000a\\u007f\"}\n");
	free(r);

	/* Bytes that are not UTF-8 become U+FFFD; valid sequences pass. */
	r = control_reply_error("caf\xe9 \xf0\x9f\x98\x80 \xf0\x9f");
	assert_string_equal(r, "{\"ok\":false,\"error\":\"caf\\ufffd \xf0\x9f\x98\x80 \\ufffd\\ufffd\"}\n");
	free(r);
	/* The same in the status areas status.c builds (a Latin-1 config value). */
	assert_int_equal(status_provisioning("Provisioned", "caf\xe9", "", 1, 0), 0);
	assert_non_null(strstr(status_area("provisioning"), "\"reason\": \"caf\\ufffd\""));
	status_close();
}

static void peers(void **state)
{
	const gid_t groups[] = { 20, 998, 100 };

	assert_true(control_peer_allowed(0, 0, NULL, 0, false, 0));
	assert_true(control_peer_allowed(0, 5, NULL, 0, true, 998));
	/* No herald group: root only. */
	assert_false(control_peer_allowed(1000, 998, groups, 3, false, 998));
	assert_true(control_peer_allowed(1000, 998, NULL, 0, true, 998));
	assert_true(control_peer_allowed(1000, 1000, groups, 3, true, 998));
	assert_false(control_peer_allowed(1000, 1000, groups, 1, true, 998));
	assert_false(control_peer_allowed(65534, 65534, NULL, 0, true, 998));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_accepts_rfc8259_values),
		cmocka_unit_test(json_refuses_what_rfc8259_does_not_allow),
		cmocka_unit_test(requests_parsed_strictly),
		cmocka_unit_test(oversized_request_refused),
		cmocka_unit_test(replies_from_status_areas),
		cmocka_unit_test(reload_and_provision_now),
		cmocka_unit_test(error_reply_escapes),
		cmocka_unit_test(peers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
