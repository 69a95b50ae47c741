/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One call per field, printing either the human line or the JSON member,
 * in the manner of iproute2's print_*() family. Human format strings take
 * exactly one conversion, the value, and the compiler checks them against
 * it; in JSON mode the value becomes the member @key.
 */
#ifndef HERALDCTL_OUTPUT_H
#define HERALDCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,		/* human output only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

/* Select the mode for everything printed afterwards; @fp receives it. */
void output_init(FILE *fp, bool json, bool pretty);
bool output_json(void);

/* One document: a JSON object in JSON mode; output_end() flushes, so a
 * monitor's events reach a pipe at once. Returns -EINVAL if the calls in
 * between did not form a valid document (a bug in the caller).
 */
void output_begin(void);
int output_end(void);

/* A document that is a list: a JSON array in JSON mode, of objects each
 * opened with open_json_object(NULL). Ended by output_list_end().
 */
void output_list_begin(void);
int output_list_end(void);

/* Containers. @key names the member inside an object, NULL inside arrays. */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void print_uint(enum output_type t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void print_u64(enum output_type t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void print_int(enum output_type t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* JSON gets true/false; humans get @fmt with its "%s" replaced by "on" or
 * "off" (@fmt may hold that one %s and %%, no other conversion).
 */
void print_on_off(enum output_type t, const char *key, const char *fmt, bool value)
	__attribute__((format(printf, 3, 0)));
/* A JSON null member, nothing in human mode. */
void print_json_null(const char *key);
/* Human-only text, ignored in JSON mode. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
