/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration parser (config.c): "key = value" lines checked against
 * a table of known keys, each with a type and a range. One bad line rejects
 * the whole file, so a configuration is only ever applied complete.
 *
 * Apart from config.h so that the key tables of other parts (call_config.h)
 * can use it while config.h embeds their structs.
 */
#ifndef HERALDD_CONFIG_PARSE_H
#define HERALDD_CONFIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cfg_type {
	CFG_STRING,	/* char[size], NUL-terminated */
	CFG_BOOL,	/* bool: on/off, yes/no, true/false */
	CFG_INT,	/* int, decimal, in [min, max] */
	CFG_ENUM,	/* int: index of the value in names[] */
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t offset;			/* of the field in the configuration struct */
	size_t size;			/* CFG_STRING: size of the buffer */
	int min, max;			/* CFG_INT */
	const char *const *names;	/* CFG_ENUM: NULL-terminated */
	bool secret;			/* never logged or shown; see CFG_KEY_SECRET */
};

/* Table rows: @S is the configuration struct type, @f the field. */
#define CFG_KEY_STRING(k, S, f) \
	{ .name = (k), .type = CFG_STRING, .offset = offsetof(S, f), \
	  .size = sizeof(((S *)0)->f) }
#define CFG_KEY_BOOL(k, S, f) \
	{ .name = (k), .type = CFG_BOOL, .offset = offsetof(S, f) }
#define CFG_KEY_INT(k, S, f, lo, hi) \
	{ .name = (k), .type = CFG_INT, .offset = offsetof(S, f), .min = (lo), .max = (hi) }
#define CFG_KEY_ENUM(k, S, f, list) \
	{ .name = (k), .type = CFG_ENUM, .offset = offsetof(S, f), .names = (list) }
/* A password or key: always a string, whose error messages never quote the
 * value; files holding one must not be readable by group or others.
 */
#define CFG_KEY_SECRET(k, S, f) \
	{ .name = (k), .type = CFG_STRING, .offset = offsetof(S, f), \
	  .size = sizeof(((S *)0)->f), .secret = true }

/*
 * Parse @fp (named @name in messages) against @table (ended by a NULL name)
 * into @dst, which the caller has filled with defaults. 0 on success; on
 * failure -1 with "name:line: reason" in @err, and @dst partly written: the
 * caller parses into a scratch copy and only keeps it on success.
 *
 * Syntax: blank lines and lines whose first non-blank character is '#' are
 * ignored; every other line is "key = value", blanks around key and value
 * ignored. The value is the rest of the line: no quoting and no trailing
 * comments. A key given twice is an error (a silent "last one wins" hides
 * typos in long files).
 */
int config_parse(const struct cfg_key *table, void *dst, FILE *fp, const char *name,
		 char *err, size_t errlen);
int config_parse_file(const struct cfg_key *table, void *dst, const char *path,
		      char *err, size_t errlen);

/* The row of @table named @key, or NULL. */
const struct cfg_key *config_find(const struct cfg_key *table, const char *key);
/*
 * Check @value against @k and store it in @dst: the per-value half of
 * config_parse(), for the layered files (layers.c), which parse their own
 * lines. Messages read "name:line: reason" (@line 0: "name: reason").
 */
int config_set(const struct cfg_key *k, void *dst, const char *value, const char *name,
	       unsigned int line, char *err, size_t errlen);

#endif
