// SPDX-License-Identifier: GPL-2.0
/*
 * Strict JSON reader: a recursive descent over the RFC 8259 grammar into a
 * small tree. Recursion is bounded by JSON_MAX_DEPTH, so hostile input can
 * neither exhaust the stack nor be accepted half-way.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

struct reader {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct reader *r, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "offset %zu: %s", r->pos, what);
}

static void skip_ws(struct reader *r)
{
	while (r->pos < r->len && strchr(" \t\n\r", r->s[r->pos]) && r->s[r->pos])
		r->pos++;
}

static int peek(const struct reader *r)
{
	return r->pos < r->len ? (unsigned char)r->s[r->pos] : -1;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n)) {
		fail(r, "invalid literal");
		return false;
	}
	r->pos += n;
	return true;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ) */
static bool number(struct reader *r)
{
	if (peek(r) == '-')
		r->pos++;
	if (peek(r) == '0') {
		r->pos++;
	} else if (is_digit(peek(r))) {
		while (is_digit(peek(r)))
			r->pos++;
	} else {
		fail(r, "invalid number");
		return false;
	}
	if (peek(r) == '.') {
		r->pos++;
		if (!is_digit(peek(r))) {
			fail(r, "invalid number: no digit after the point");
			return false;
		}
		while (is_digit(peek(r)))
			r->pos++;
	}
	if (peek(r) == 'e' || peek(r) == 'E') {
		r->pos++;
		if (peek(r) == '+' || peek(r) == '-')
			r->pos++;
		if (!is_digit(peek(r))) {
			fail(r, "invalid number: no digit in the exponent");
			return false;
		}
		while (is_digit(peek(r)))
			r->pos++;
	}
	return true;
}

static int hex4(struct reader *r, uint32_t *v)
{
	int i, c;

	*v = 0;
	for (i = 0; i < 4; i++) {
		c = peek(r);
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (c - 'A' + 10);
		else
			return -1;
		r->pos++;
	}
	return 0;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

size_t json_utf8_len(const char *str, size_t left)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	uint32_t cp;

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
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and anything past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static size_t utf8_seq(const struct reader *r)
{
	return json_utf8_len(r->s + r->pos, r->len - r->pos);
}

/* A string at the opening quote; returns the unescaped copy, NULL on failure. */
static char *string(struct reader *r)
{
	size_t start = ++r->pos, end = start, o = 0;
	uint32_t cp, lo;
	char *out;
	int c;

	/* Unescaping never makes a string longer than its source: find where
	 * the source ends (or the input does), so a document of many strings
	 * costs memory in proportion to its size.
	 */
	while (end < r->len && r->s[end] != '"')
		end += r->s[end] == '\\' ? 2 : 1;
	if (end > r->len)
		end = r->len;
	out = malloc(end - start + 1);
	if (!out) {
		fail(r, "out of memory");
		return NULL;
	}
	for (;;) {
		c = peek(r);
		if (c < 0) {
			fail(r, "unterminated string");
			goto bad;
		}
		if (c == '"') {
			r->pos++;
			break;
		}
		if (c < 0x20) {
			fail(r, "control character in a string");
			goto bad;
		}
		if (c != '\\') {
			size_t n = utf8_seq(r);

			if (!n) {
				fail(r, "invalid UTF-8 in a string");
				goto bad;
			}
			memcpy(out + o, r->s + r->pos, n);
			o += n;
			r->pos += n;
			continue;
		}
		r->pos++;
		c = peek(r);
		r->pos++;
		switch (c) {
		case '"': out[o++] = '"'; break;
		case '\\': out[o++] = '\\'; break;
		case '/': out[o++] = '/'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (hex4(r, &cp)) {
				fail(r, "invalid \\u escape");
				goto bad;
			}
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(r, "lone low surrogate");
				goto bad;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (peek(r) != '\\' || r->pos + 1 >= r->len || r->s[r->pos + 1] != 'u') {
					fail(r, "lone high surrogate");
					goto bad;
				}
				r->pos += 2;
				if (hex4(r, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					fail(r, "high surrogate without its low surrogate");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (!cp) {
				fail(r, "\\u0000 in a string");
				goto bad;
			}
			o += put_utf8(out + o, cp);
			break;
		default:
			r->pos--;
			fail(r, "invalid escape");
			goto bad;
		}
	}
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static struct json_value *value(struct reader *r, unsigned int depth);

static bool duplicate(const struct json_value *obj, const char *key)
{
	const struct json_value *m;

	for (m = obj->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return true;
	return false;
}

/* An array or object at its opening bracket; @v is already allocated. */
static bool container(struct reader *r, struct json_value *v, unsigned int depth)
{
	bool object = v->type == JSON_OBJECT;
	struct json_value **tail = &v->child, *m;
	char close = object ? '}' : ']';
	char *key = NULL;

	if (depth >= JSON_MAX_DEPTH) {
		fail(r, "nested deeper than %d", JSON_MAX_DEPTH);
		return false;
	}
	r->pos++;
	skip_ws(r);
	if (peek(r) == close) {
		r->pos++;
		return true;
	}
	for (;;) {
		if (object) {
			skip_ws(r);
			if (peek(r) != '"') {
				fail(r, "expected a member name");
				return false;
			}
			key = string(r);
			if (!key)
				return false;
			if (duplicate(v, key)) {
				fail(r, "duplicate member \"%.40s\"", key);
				free(key);
				return false;
			}
			skip_ws(r);
			if (peek(r) != ':') {
				fail(r, "expected ':'");
				free(key);
				return false;
			}
			r->pos++;
		}
		m = value(r, depth + 1);
		if (!m) {
			free(key);
			return false;
		}
		m->key = key;
		key = NULL;
		*tail = m;
		tail = &m->next;
		skip_ws(r);
		if (peek(r) == ',') {
			r->pos++;
			continue;
		}
		if (peek(r) == close) {
			r->pos++;
			return true;
		}
		fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

static struct json_value *value(struct reader *r, unsigned int depth)
{
	struct json_value *v;
	bool good;
	int c;

	skip_ws(r);
	v = calloc(1, sizeof(*v));
	if (!v) {
		fail(r, "out of memory");
		return NULL;
	}
	v->raw = r->s + r->pos;
	c = peek(r);
	switch (c) {
	case '{':
		v->type = JSON_OBJECT;
		good = container(r, v, depth);
		break;
	case '[':
		v->type = JSON_ARRAY;
		good = container(r, v, depth);
		break;
	case '"':
		v->type = JSON_STRING;
		v->str = string(r);
		good = v->str != NULL;
		break;
	case 't':
		v->type = JSON_TRUE;
		good = literal(r, "true");
		break;
	case 'f':
		v->type = JSON_FALSE;
		good = literal(r, "false");
		break;
	case 'n':
		v->type = JSON_NULL;
		good = literal(r, "null");
		break;
	default:
		v->type = JSON_NUMBER;
		if (c == '-' || is_digit(c)) {
			good = number(r);
		} else {
			fail(r, c < 0 ? "unexpected end of input" : "unexpected character");
			good = false;
		}
		break;
	}
	if (!good) {
		json_free(v);
		return NULL;
	}
	v->raw_len = (size_t)(r->s + r->pos - v->raw);
	return v;
}

struct json_value *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct reader r = { .s = text, .len = len, .err = err, .errlen = errlen };
	struct json_value *v;

	v = value(&r, 0);
	if (!v)
		return NULL;
	skip_ws(&r);
	if (r.pos != r.len) {
		fail(&r, "unexpected text after the value");
		json_free(v);
		return NULL;
	}
	return v;
}

void json_free(struct json_value *v)
{
	struct json_value *next;

	while (v) {
		next = v->next;
		json_free(v->child);
		free(v->str);
		free(v->key);
		free(v);
		v = next;
	}
}

const struct json_value *json_member(const struct json_value *obj, const char *key)
{
	const struct json_value *m;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (m = obj->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}
