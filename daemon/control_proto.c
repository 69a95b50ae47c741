// SPDX-License-Identifier: GPL-2.0
/*
 * Requests parsed strictly (json_read.c), replies built as text: every
 * status area already is JSON, so a reply is a small frame around it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_proto.h"
#include "json_read.h"
#include "status.h"

static const char *const cmd_names[CONTROL_CMD_COUNT] = {
	[CONTROL_STATUS] = "status",
	[CONTROL_ACCOUNTS] = "accounts",
	[CONTROL_CALLS] = "calls",
	[CONTROL_ZONES] = "zones",
	[CONTROL_EXCEPTIONS] = "exceptions",
	[CONTROL_PROVISION_NOW] = "provision-now",
	[CONTROL_RELOAD] = "reload",
};

/*
 * Where each reading command finds its answer, and what to say while
 * nothing publishes it. Areas other parts of heraldd are still to publish
 * come with a plain statement rather than an empty list.
 */
static const struct {
	const char *area;
	const char *member;	/* NULL: the whole area */
	const char *absent;
} area_of[CONTROL_CMD_COUNT] = {
	[CONTROL_ACCOUNTS] = { "registration", NULL,
		"no registration area: no SIP account is configured (sip.proxy is empty)" },
	[CONTROL_CALLS] = { "calls", NULL,
		"no calls area: this heraldd does not report calls" },
	[CONTROL_ZONES] = { "zones", NULL,
		"no zones area: this heraldd does not manage zones" },
	[CONTROL_EXCEPTIONS] = { "encryption", "exceptions",
		"no encryption area: this heraldd does not report encryption status" },
};

const char *control_cmd_name(enum control_cmd cmd)
{
	return cmd < CONTROL_CMD_COUNT ? cmd_names[cmd] : "?";
}

int control_request_parse(const char *line, size_t len, enum control_cmd *cmd,
			  char *err, size_t errlen)
{
	const struct json_value *m;
	struct json_value *req;
	char why[160];
	int i;

	if (len > CONTROL_MAX_REQUEST) {
		snprintf(err, errlen, "request longer than %d bytes", CONTROL_MAX_REQUEST);
		return -1;
	}
	req = json_parse(line, len, why, sizeof(why));
	if (!req) {
		snprintf(err, errlen, "malformed request: %s", why);
		return -1;
	}
	if (req->type != JSON_OBJECT) {
		snprintf(err, errlen, "malformed request: not a JSON object");
		goto bad;
	}
	for (m = req->child; m; m = m->next) {
		if (strcmp(m->key, "cmd")) {
			snprintf(err, errlen, "unknown member \"%.64s\"", m->key);
			goto bad;
		}
	}
	m = json_member(req, "cmd");
	if (!m) {
		snprintf(err, errlen, "no \"cmd\" member");
		goto bad;
	}
	if (m->type != JSON_STRING) {
		snprintf(err, errlen, "\"cmd\" is not a string");
		goto bad;
	}
	for (i = 0; i < CONTROL_CMD_COUNT; i++) {
		if (!strcmp(m->str, cmd_names[i])) {
			*cmd = i;
			json_free(req);
			return 0;
		}
	}
	snprintf(err, errlen, "unknown command \"%.64s\"", m->str);
bad:
	json_free(req);
	return -1;
}

/* A growing reply; on allocation failure it stays failed and yields NULL. */
struct rbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void rb_mem(struct rbuf *b, const char *p, size_t n)
{
	char *s;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void rb_str(struct rbuf *b, const char *s)
{
	rb_mem(b, s, strlen(s));
}

/*
 * JSON text, one line: a newline can only be whitespace in valid JSON
 * (inside strings it is escaped), so dropping CR and LF keeps the value and
 * the one-reply-per-line framing.
 */
static void rb_json(struct rbuf *b, const char *json, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		if (json[i] == '\n' || json[i] == '\r') {
			rb_mem(b, json + start, i - start);
			start = i + 1;
		}
	}
	rb_mem(b, json + start, len - start);
}

/*
 * A JSON string: quotes, backslashes and control bytes escaped, and bytes
 * that are not UTF-8 (a Latin-1 config file, a name cut at a byte count)
 * replaced by U+FFFD, so the reply stays valid JSON.
 */
static void rb_quoted(struct rbuf *b, const char *s)
{
	size_t left = strlen(s), n;
	char esc[8];

	rb_str(b, "\"");
	while (left) {
		unsigned char c = *s;

		n = 1;
		if (c == '"' || c == '\\') {
			snprintf(esc, sizeof(esc), "\\%c", c);
			rb_str(b, esc);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			rb_str(b, esc);
		} else if ((n = json_utf8_len(s, left))) {
			rb_mem(b, s, n);
		} else {
			n = 1;
			rb_str(b, "\\ufffd");
		}
		s += n;
		left -= n;
	}
	rb_str(b, "\"");
}

static char *rb_done(struct rbuf *b)
{
	rb_str(b, "\n");
	if (b->oom) {
		free(b->s);
		return NULL;
	}
	return b->s;
}

char *control_reply_error(const char *msg)
{
	struct rbuf b = { 0 };

	rb_str(&b, "{\"ok\":false,\"error\":");
	rb_quoted(&b, msg);
	rb_str(&b, "}");
	return rb_done(&b);
}

static char *reply_ok(const char *member, const char *json, size_t len)
{
	struct rbuf b = { 0 };

	rb_str(&b, "{\"ok\":true,");
	rb_quoted(&b, member);
	rb_str(&b, ":");
	rb_json(&b, json, len);
	rb_str(&b, "}");
	return rb_done(&b);
}

static char *error_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *error_fmt(const char *fmt, ...)
{
	char msg[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return control_reply_error(msg);
}

static char *area_reply(enum control_cmd cmd)
{
	const char *json = status_area(area_of[cmd].area);
	const struct json_value *m;
	struct json_value *v;
	char why[160], *reply;

	if (!json)
		return control_reply_error(area_of[cmd].absent);
	if (!area_of[cmd].member)
		return reply_ok(cmd_names[cmd], json, strlen(json));
	/* One member of the area, passed on as it was written. */
	v = json_parse(json, strlen(json), why, sizeof(why));
	if (!v)
		return error_fmt("the %s area is not valid JSON: %s", area_of[cmd].area, why);
	m = json_member(v, area_of[cmd].member);
	if (m)
		reply = reply_ok(cmd_names[cmd], m->raw, m->raw_len);
	else
		reply = error_fmt("the %s area has no \"%s\" member", area_of[cmd].area,
				  area_of[cmd].member);
	json_free(v);
	return reply;
}

static char *reload_reply(const struct control_ops *ops)
{
	struct rbuf b = { 0 };
	char why[512] = "";

	if (!ops->reload(ops->arg, why, sizeof(why)))
		return reply_ok("reload", "{\"applied\":true}", strlen("{\"applied\":true}"));
	rb_str(&b, "{\"ok\":false,\"error\":");
	rb_quoted(&b, "configuration rejected, the running one stays");
	rb_str(&b, ",\"reload\":{\"applied\":false,\"reason\":");
	rb_quoted(&b, why);
	rb_str(&b, "}}");
	return rb_done(&b);
}

static char *provision_reply(const struct control_ops *ops)
{
	char why[512] = "";

	switch (ops->provision_now(ops->arg, why, sizeof(why))) {
	case 0:
		return reply_ok("provision", "{\"started\":true}", strlen("{\"started\":true}"));
	case 1:
		return reply_ok("provision", "{\"started\":false,\"reason\":\"a round is running\"}",
				strlen("{\"started\":false,\"reason\":\"a round is running\"}"));
	default:
		return control_reply_error(why);
	}
}

char *control_execute(const char *line, size_t len, const struct control_ops *ops)
{
	enum control_cmd cmd;
	char err[256];
	const char *all;

	if (control_request_parse(line, len, &cmd, err, sizeof(err)))
		return control_reply_error(err);
	switch (cmd) {
	case CONTROL_STATUS:
		all = status_text();
		/* Nothing published yet (no status file, no area): an empty object. */
		if (!*all)
			all = "{}";
		return reply_ok("status", all, strlen(all));
	case CONTROL_RELOAD:
		return reload_reply(ops);
	case CONTROL_PROVISION_NOW:
		return provision_reply(ops);
	default:
		return area_reply(cmd);
	}
}

bool control_peer_allowed(uid_t uid, gid_t gid, const gid_t *groups, size_t ngroups,
			  bool have_group, gid_t herald_gid)
{
	size_t i;

	if (uid == 0)
		return true;
	if (!have_group)
		return false;
	if (gid == herald_gid)
		return true;
	for (i = 0; i < ngroups; i++)
		if (groups[i] == herald_gid)
			return true;
	return false;
}
