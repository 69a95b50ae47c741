/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layered settings with locks. A setting's value comes from the highest of
 * five layers that sets it:
 *
 *   built-in defaults < account < group < device (<mac>.conf) < local file
 *
 * but a layer may lock a key ("lock key = value"): no layer above it can then
 * change that key. Such an attempt is ignored and listed as a violation
 * ("locked by account"), the way a fleet admin's account-wide lock greys out
 * the setting for groups and users.
 *
 * Each file is parsed and validated whole first (layer_parse): one unknown
 * key or bad value rejects the file, so a layer is never half there. Only
 * validated layers are merged, so merging cannot fail.
 */
#ifndef HERALDD_LAYERS_H
#define HERALDD_LAYERS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

enum layer_id {
	LAYER_DEFAULTS,
	LAYER_ACCOUNT,
	LAYER_GROUP,
	LAYER_DEVICE,
	LAYER_LOCAL,
	LAYER_COUNT,
};

/* "defaults", "account", "group", "device", "local". */
const char *layer_name(enum layer_id id);

/* What the layers are checked against and merged into. */
struct layer_schema {
	const struct cfg_key *table;	/* ended by a NULL name */
	size_t size;			/* of the configuration struct */
	void (*defaults)(void *dst);
};

struct layer_entry {
	const struct cfg_key *key;
	char *value;		/* as written, blanks trimmed; validated */
	unsigned int line;
	bool locked;
};

struct layer {
	char source[256];	/* file name for messages */
	struct layer_entry *entries;
	size_t n;
	bool holds_secret;	/* some entry's key is secret */
};

#define LAYER_MAX_BYTES (1024 * 1024)

/*
 * Parse and validate @len bytes of @text, named @source in messages, into
 * @out (initialised by this call; layer_clear() it after success). Syntax:
 * the "key = value" lines of config.h, plus "lock key = value", which sets
 * the key and locks it for the layers above. 0, or -1 with "source:line:
 * reason" in @err and nothing in @out.
 */
int layer_parse(const struct layer_schema *s, struct layer *out, const char *text, size_t len,
		const char *source, char *err, size_t errlen);
/*
 * layer_parse() on a file; a file holding a secret that group or others may
 * read is refused. @missing_ok: a file that does not exist is an empty layer
 * (returns 1) rather than an error.
 */
int layer_load_file(const struct layer_schema *s, struct layer *out, const char *path,
		    bool missing_ok, char *err, size_t errlen);
void layer_clear(struct layer *l);
/* A deep copy; -1 if out of memory. */
int layer_copy(struct layer *dst, const struct layer *src);

/* A locked key a higher layer tried to change. */
struct layer_violation {
	const struct cfg_key *key;
	enum layer_id layer;		/* the one that tried */
	enum layer_id locked_by;
	char source[256];
	unsigned int line;
};

/* Where each key's value came from, and the ignored attempts. */
struct layer_result {
	size_t nkeys;
	enum layer_id *from;		/* per table row */
	enum layer_id *locked_by;	/* per row; LAYER_COUNT: not locked */
	struct layer_violation *v;
	size_t nv;
};

/*
 * Defaults, then each non-NULL layer of @layers (indexed by enum layer_id,
 * LAYER_DEFAULTS unused) in order into @dst. @res (may be NULL) gets the
 * provenance and violations; layer_result_clear() it afterwards. Setting a
 * locked key to the value it already has is no violation: nothing changes.
 * -1 only when out of memory.
 */
int layers_merge(const struct layer_schema *s, const struct layer *const layers[LAYER_COUNT],
		 void *dst, struct layer_result *res);
void layer_result_clear(struct layer_result *res);
/* One warning per violation; values are never logged. */
void layers_log_violations(const struct layer_result *res);

/* @k's value in @src as a config file would write it; secrets as "(hidden)". */
void layer_format_value(const struct cfg_key *k, const void *src, char *buf, size_t len);

#endif
