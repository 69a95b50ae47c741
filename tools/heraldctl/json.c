// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer for heraldctl's -j output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>

#include "json.h"

void jw_init(struct json_writer *jw, FILE *fp, bool pretty)
{
	*jw = (struct json_writer){ .fp = fp, .pretty = pretty };
}

int jw_finish(struct json_writer *jw)
{
	if (jw->broken || jw->depth || jw->have_key || !jw->done)
		return -EINVAL;
	return 0;
}

static void jw_indent(struct json_writer *jw, unsigned int depth)
{
	unsigned int i;

	if (!jw->pretty)
		return;
	fputc('\n', jw->fp);
	for (i = 0; i < depth; i++)
		fputs("  ", jw->fp);
}

/* Decode one UTF-8 sequence at @s; returns its length, 0 if it is invalid
 * (overlong forms, surrogates and code points past U+10FFFF included).
 */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	/* A NUL terminator is not a continuation byte, so this stops there. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void jw_escape(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			/* DEL is legal in JSON but invisible on a terminal. */
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(fp, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", fp);
				break;
			}
			fwrite(s, 1, n, fp);
			s += n;
			continue;
		}
		s++;
	}
}

/* Place a value: separator and indentation, structural checks. */
static bool jw_value(struct json_writer *jw)
{
	unsigned int d = jw->depth;

	if (jw->broken)
		return false;
	if (!d) {
		if (jw->done)
			goto misuse;
		return true;
	}
	if (jw->is_object[d - 1]) {
		if (!jw->have_key)
			goto misuse;
		jw->have_key = false;
		return true;
	}
	if (jw->has_member[d - 1])
		fputc(',', jw->fp);
	jw->has_member[d - 1] = true;
	jw_indent(jw, d);
	return true;
misuse:
	jw->broken = true;
	return false;
}

static void jw_scalar_done(struct json_writer *jw)
{
	if (!jw->depth)
		jw->done = true;
}

void jw_key(struct json_writer *jw, const char *key)
{
	unsigned int d = jw->depth;

	if (jw->broken)
		return;
	if (!d || !jw->is_object[d - 1] || jw->have_key) {
		jw->broken = true;
		return;
	}
	if (jw->has_member[d - 1])
		fputc(',', jw->fp);
	jw->has_member[d - 1] = true;
	jw_indent(jw, d);
	fputc('"', jw->fp);
	jw_escape(jw->fp, key);
	fputs(jw->pretty ? "\": " : "\":", jw->fp);
	jw->have_key = true;
}

static void jw_open(struct json_writer *jw, bool object)
{
	if (!jw_value(jw))
		return;
	if (jw->depth == JW_MAX_DEPTH) {
		jw->broken = true;
		return;
	}
	fputc(object ? '{' : '[', jw->fp);
	jw->is_object[jw->depth] = object;
	jw->has_member[jw->depth] = false;
	jw->depth++;
}

static void jw_close(struct json_writer *jw, bool object)
{
	unsigned int d = jw->depth;

	if (jw->broken)
		return;
	if (!d || jw->is_object[d - 1] != object || jw->have_key) {
		jw->broken = true;
		return;
	}
	if (jw->has_member[d - 1])
		jw_indent(jw, d - 1);
	fputc(object ? '}' : ']', jw->fp);
	jw->depth--;
	jw_scalar_done(jw);
}

void jw_object_open(struct json_writer *jw)
{
	jw_open(jw, true);
}

void jw_object_close(struct json_writer *jw)
{
	jw_close(jw, true);
}

void jw_array_open(struct json_writer *jw)
{
	jw_open(jw, false);
}

void jw_array_close(struct json_writer *jw)
{
	jw_close(jw, false);
}

void jw_string(struct json_writer *jw, const char *s)
{
	if (!jw_value(jw))
		return;
	fputc('"', jw->fp);
	jw_escape(jw->fp, s);
	fputc('"', jw->fp);
	jw_scalar_done(jw);
}

void jw_u64(struct json_writer *jw, uint64_t v)
{
	if (!jw_value(jw))
		return;
	fprintf(jw->fp, "%" PRIu64, v);
	jw_scalar_done(jw);
}

void jw_s64(struct json_writer *jw, int64_t v)
{
	if (!jw_value(jw))
		return;
	fprintf(jw->fp, "%" PRId64, v);
	jw_scalar_done(jw);
}

void jw_bool(struct json_writer *jw, bool v)
{
	if (!jw_value(jw))
		return;
	fputs(v ? "true" : "false", jw->fp);
	jw_scalar_done(jw);
}

void jw_null(struct json_writer *jw)
{
	if (!jw_value(jw))
		return;
	fputs("null", jw->fp);
	jw_scalar_done(jw);
}
