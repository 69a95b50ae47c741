/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming JSON writer: values go straight to a FILE, nothing is buffered
 * beyond stdio, so a monitor can emit one object per event and flush it.
 * Misuse (a key inside an array, a value without a key inside an object,
 * unbalanced closes, nesting too deep) never produces invalid JSON silently:
 * the writer stops writing and remembers the error for jw_finish().
 */
#ifndef HERALDCTL_JSON_H
#define HERALDCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

struct json_writer {
	FILE *fp;
	bool pretty;
	bool broken;		/* misuse seen: nothing more is written */
	bool have_key;		/* a key was written, its value is due */
	unsigned int depth;
	/* Per open container: is it an object, and has it a member yet? */
	bool is_object[JW_MAX_DEPTH];
	bool has_member[JW_MAX_DEPTH];
	bool done;		/* a complete top-level value was written */
};

void jw_init(struct json_writer *jw, FILE *fp, bool pretty);
/* 0 if everything written forms one complete JSON value, else -EINVAL. */
int jw_finish(struct json_writer *jw);

void jw_key(struct json_writer *jw, const char *key);
void jw_object_open(struct json_writer *jw);
void jw_object_close(struct json_writer *jw);
void jw_array_open(struct json_writer *jw);
void jw_array_close(struct json_writer *jw);
void jw_string(struct json_writer *jw, const char *s);
void jw_u64(struct json_writer *jw, uint64_t v);
void jw_s64(struct json_writer *jw, int64_t v);
void jw_bool(struct json_writer *jw, bool v);
void jw_null(struct json_writer *jw);

/* Escape @s as the body of a JSON string (without quotes) onto @fp. Bytes
 * that are not valid UTF-8 become U+FFFD so the output stays valid JSON.
 */
void jw_escape(FILE *fp, const char *s);

#endif
