// SPDX-License-Identifier: GPL-2.0
/*
 * The status file: areas kept as JSON text, the file rebuilt from all of
 * them on every change. Changes are rare (provisioning rounds, registration
 * state), so rewriting a few kilobytes each time costs nothing and keeps
 * the file always consistent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_read.h"
#include "log.h"
#include "status.h"

#define STATUS_MAX_AREAS 16

struct area {
	char *name;
	char *json;
};

static struct {
	char *path;
	struct area areas[STATUS_MAX_AREAS];
	size_t n;
	char *text;
} st;

/* A growing string; on allocation failure it stays NULL and says so at the end. */
struct jbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void jb_add(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void jb_add(struct jbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->s && b->len + n < b->cap) {
			b->len += n;
			return;
		}
		b->cap = (b->cap + n + 1) * 2;
		s = realloc(b->s, b->cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
	}
}

/*
 * A JSON string: quotes, backslashes and control bytes escaped, bytes that
 * are not UTF-8 (a value from a Latin-1 config file) as U+FFFD: JSON must
 * be UTF-8, and strict readers (heraldctl's) refuse anything else.
 */
static void jb_str(struct jbuf *b, const char *s)
{
	size_t left = strlen(s), n;

	jb_add(b, "\"");
	while (left) {
		unsigned char c = *s;

		n = 1;
		if (c == '"' || c == '\\') {
			jb_add(b, "\\%c", c);
		} else if (c < 0x20 || c == 0x7f) {
			jb_add(b, "\\u%04x", c);
		} else if ((n = json_utf8_len(s, left))) {
			jb_add(b, "%.*s", (int)n, s);
		} else {
			jb_add(b, "\\ufffd");
			n = 1;
		}
		s += n;
		left -= n;
	}
	jb_add(b, "\"");
}

void status_json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static char *jb_done(struct jbuf *b)
{
	if (b->oom || !b->s) {
		free(b->s);
		return NULL;
	}
	return b->s;
}

static int write_file(void)
{
	struct jbuf b = { 0 };
	char *tmp = NULL;
	size_t i, off = 0;
	int fd, ret = 0;

	jb_add(&b, "{");
	for (i = 0; i < st.n; i++) {
		jb_add(&b, "%s\n  ", i ? "," : "");
		jb_str(&b, st.areas[i].name);
		jb_add(&b, ": %s", st.areas[i].json);
	}
	jb_add(&b, "\n}\n");
	if (!jb_done(&b))
		return -ENOMEM;
	free(st.text);
	st.text = b.s;
	if (!st.path)
		return 0;

	if (asprintf(&tmp, "%s.tmp", st.path) < 0)
		return -ENOMEM;
	/* Readable by all: it holds no secret, and monitoring reads it. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	while (off < b.len) {
		ssize_t n = write(fd, b.s + off, b.len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		off += n;
	}
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, st.path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	if (ret)
		log_error("status file %s: %s", st.path, strerror(-ret));
	free(tmp);
	return ret;
}

int status_open(const char *path)
{
	free(st.path);
	st.path = NULL;
	if (path) {
		st.path = strdup(path);
		if (!st.path)
			return -ENOMEM;
	}
	return write_file();
}

void status_close(void)
{
	size_t i;

	for (i = 0; i < st.n; i++) {
		free(st.areas[i].name);
		free(st.areas[i].json);
	}
	free(st.path);
	free(st.text);
	memset(&st, 0, sizeof(st));
}

const char *status_text(void)
{
	return st.text ? st.text : "";
}

const char *status_area(const char *name)
{
	size_t i;

	for (i = 0; i < st.n; i++)
		if (!strcmp(st.areas[i].name, name))
			return st.areas[i].json;
	return NULL;
}

int status_set_area(const char *name, const char *json)
{
	struct area *a = NULL;
	char *copy;
	size_t i;

	for (i = 0; i < st.n; i++)
		if (!strcmp(st.areas[i].name, name))
			a = &st.areas[i];
	copy = strdup(json);
	if (!copy)
		return -ENOMEM;
	if (!a) {
		if (st.n == STATUS_MAX_AREAS) {
			free(copy);
			return -ENOSPC;
		}
		a = &st.areas[st.n];
		a->name = strdup(name);
		if (!a->name) {
			free(copy);
			return -ENOMEM;
		}
		st.n++;
	}
	free(a->json);
	a->json = copy;
	return write_file();
}

int status_provisioning(const char *state, const char *reason, const char *source,
			unsigned long fetches, unsigned long not_modified)
{
	struct jbuf b = { 0 };
	int ret;

	jb_add(&b, "{\"status\": ");
	jb_str(&b, state);
	jb_add(&b, ", \"reason\": ");
	jb_str(&b, reason ? reason : "");
	jb_add(&b, ", \"source\": ");
	jb_str(&b, source ? source : "");
	jb_add(&b, ", \"fetches\": %lu, \"not_modified\": %lu}", fetches, not_modified);
	if (!jb_done(&b))
		return -ENOMEM;
	ret = status_set_area("provisioning", b.s);
	free(b.s);
	return ret;
}

int status_settings(const struct layer_schema *s, const void *cfg, const struct layer_result *res)
{
	struct jbuf b = { 0 };
	char value[1024];
	size_t i;
	int ret;

	jb_add(&b, "{\"values\": {");
	for (i = 0; s->table[i].name; i++) {
		const struct cfg_key *k = &s->table[i];

		layer_format_value(k, cfg, value, sizeof(value));
		jb_add(&b, "%s\n    ", i ? "," : "");
		jb_str(&b, k->name);
		jb_add(&b, ": {\"value\": ");
		jb_str(&b, value);
		if (res && i < res->nkeys) {
			jb_add(&b, ", \"from\": ");
			jb_str(&b, layer_name(res->from[i]));
			if (res->locked_by[i] != LAYER_COUNT) {
				jb_add(&b, ", \"locked_by\": ");
				jb_str(&b, layer_name(res->locked_by[i]));
			}
		}
		jb_add(&b, "}");
	}
	jb_add(&b, "},\n  \"locked\": [");
	for (i = 0; res && i < res->nv; i++) {
		const struct layer_violation *v = &res->v[i];

		jb_add(&b, "%s\n    {\"key\": ", i ? "," : "");
		jb_str(&b, v->key->name);
		jb_add(&b, ", \"layer\": ");
		jb_str(&b, layer_name(v->layer));
		jb_add(&b, ", \"file\": ");
		jb_str(&b, v->source);
		jb_add(&b, ", \"line\": %u, \"locked_by\": ", v->line);
		jb_str(&b, layer_name(v->locked_by));
		jb_add(&b, ", \"reason\": \"locked by %s\"}", layer_name(v->locked_by));
	}
	jb_add(&b, "]}");
	if (!jb_done(&b))
		return -ENOMEM;
	ret = status_set_area("settings", b.s);
	free(b.s);
	return ret;
}
