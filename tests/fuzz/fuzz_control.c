// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the control socket's protocol: daemon/json_read.c
 * and daemon/control_proto.c. The input is taken twice:
 *
 *  - as a request line: control_request_parse() may accept it only if it is
 *    a JSON object of at most CONTROL_MAX_REQUEST bytes, and every value the
 *    reader returns must lie inside the input and parse again, alone, to
 *    the same type; the reply to it must be one line holding one JSON
 *    object with "ok";
 *  - when it is valid JSON, as the "encryption" status area another part of
 *    heraldd published: the replies to "exceptions" and "status", which cut
 *    from and wrap it, must again be one valid JSON line each.
 *
 *   make build/fuzz/fuzz_control   (clang, the sources of FUZZ_CONTROL_SRCS)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/control_proto.h"
#include "../../daemon/json_read.h"
#include "../../daemon/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int reload_ok(void *arg, char *why, size_t len)
{
	snprintf(why, len, "fuzz");
	return -1;
}

static int prov_off(void *arg, char *why, size_t len)
{
	snprintf(why, len, "provisioning is off");
	return -1;
}

static const struct control_ops ops = { reload_ok, prov_off, NULL };

static void check_value(const struct json_value *v, const char *lo, const char *hi)
{
	const struct json_value *c;
	struct json_value *again;
	char err[160];

	if (v->raw < lo || v->raw + v->raw_len > hi || !v->raw_len)
		abort();
	again = json_parse(v->raw, v->raw_len, err, sizeof(err));
	if (!again || again->type != v->type)
		abort();
	json_free(again);
	for (c = v->child; c; c = c->next) {
		if ((v->type == JSON_OBJECT) != (c->key != NULL))
			abort();
		check_value(c, v->raw, v->raw + v->raw_len);
	}
}

static void check_reply(char *reply)
{
	struct json_value *v;
	size_t len;
	char err[160];

	if (!reply)
		return;	/* out of memory */
	len = strlen(reply);
	if (!len || reply[len - 1] != '\n' || memchr(reply, '\n', len - 1))
		abort();
	v = json_parse(reply, len, err, sizeof(err));
	if (!v || v->type != JSON_OBJECT || !json_member(v, "ok"))
		abort();
	json_free(v);
	free(reply);
}

static void ask(const char *req)
{
	check_reply(control_execute(req, strlen(req), &ops));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	enum control_cmd cmd;
	struct json_value *v;
	char err[256], *area;

	v = json_parse(s, size, err, sizeof(err));
	if (!control_request_parse(s, size, &cmd, err, sizeof(err))) {
		if (!v || v->type != JSON_OBJECT || size > CONTROL_MAX_REQUEST || cmd >= CONTROL_CMD_COUNT)
			abort();
	}
	if (v)
		check_value(v, s, s + size);
	check_reply(control_execute(s, size, &ops));

	if (v) {
		/* Valid JSON holds no NUL byte, so it is one C string. */
		area = strndup(s, size);
		if (area && !status_set_area("encryption", area)) {
			ask("{\"cmd\":\"exceptions\"}");
			ask("{\"cmd\":\"status\"}");
		}
		free(area);
		status_close();
	}
	json_free(v);
	return 0;
}
