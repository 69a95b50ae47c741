/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON reader (RFC 8259) for the control socket: heraldd reads
 * requests with it, heraldctl the replies. Input that is not exactly one
 * JSON value is refused with the offset and what was wrong: no comments, no
 * trailing commas, no duplicate member names, no lone surrogates, no
 * invalid UTF-8, no NUL (\u0000 included: strings become C strings), no
 * nesting deeper than JSON_MAX_DEPTH.
 *
 * Every value keeps a pointer to its own text in the input, so a part of a
 * document can be passed on as it was written without a JSON writer.
 */
#ifndef HERALD_JSON_READ_H
#define HERALD_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 32

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_value {
	enum json_type type;
	const char *raw;		/* this value's text in the input */
	size_t raw_len;
	char *str;			/* STRING: the unescaped text */
	char *key;			/* member of an OBJECT: its unescaped name */
	struct json_value *child;	/* ARRAY/OBJECT: first element or member */
	struct json_value *next;	/* the next sibling */
};

/*
 * Parse @len bytes of @text (not NUL-terminated necessarily). NULL on
 * failure, with the reason in @err ("offset 12: ..."), or out of memory.
 */
struct json_value *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(struct json_value *v);

/*
 * The length of the valid UTF-8 sequence at @s (at most @left bytes), 0 if
 * it is not one (overlong, surrogate, past U+10FFFF, cut short). For the
 * writers of JSON, which must not pass such bytes on.
 */
size_t json_utf8_len(const char *s, size_t left);

/* The member @key of object @obj, or NULL (also when @obj is no object). */
const struct json_value *json_member(const struct json_value *obj, const char *key);

#endif
