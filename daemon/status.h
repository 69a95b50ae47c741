/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's status file: one JSON object, one member per area
 * ("provisioning", "settings", later "registration", "calls", ...). Each
 * area has its own function that replaces its member; the whole file is
 * then rewritten atomically (temporary file + rename), so a reader never
 * sees half a file or one area out of date against another.
 *
 * Secrets never reach this file: settings are formatted through
 * layer_format_value(), which prints them as "(hidden)".
 */
#ifndef HERALDD_STATUS_H
#define HERALDD_STATUS_H

#include <stdio.h>

#include "layers.h"

/* Where to write; NULL: keep the status in memory only. 0 or -errno. */
int status_open(const char *path);
void status_close(void);

/*
 * Replace area @name with @json, which must be one complete JSON value. For
 * areas without a helper below; 0 or -errno (write failures are also logged).
 */
int status_set_area(const char *name, const char *json);
/*
 * @s as a JSON string on @fp (quotes, backslashes and control bytes
 * escaped), for areas built with open_memstream() (policy.c, call_status.c).
 */
void status_json_str(FILE *fp, const char *s);
/* The current file contents (NUL-terminated, owned by status.c), for tests. */
const char *status_text(void);
/*
 * The JSON of area @name as last set (owned by status.c, valid until the
 * next change of that area), or NULL while no one has set it: the control
 * socket's answer to "what does heraldd report about X".
 */
const char *status_area(const char *name);

/* Provisioning status strings. */
#define STATUS_PROV_OFF		"Off"
#define STATUS_PROV_RUNNING	"Provisioning"
#define STATUS_PROV_OK		"Provisioned"
#define STATUS_PROV_FAILED	"Assisted Provisioning Failed"

/*
 * "provisioning": {"status": @state, "reason": @reason ("" for none),
 * "source": "server" | "cache" | "" (what the running configuration came
 * from), "fetches": n, "not_modified": n}.
 */
int status_provisioning(const char *state, const char *reason, const char *source,
			unsigned long fetches, unsigned long not_modified);

/*
 * "settings": {"values": {key: {"value", "from", "locked_by"?}}, "locked":
 * [{"key", "layer", "file", "line", "locked_by"}]}: the running values and
 * the changes that locks stopped.
 */
int status_settings(const struct layer_schema *s, const void *cfg, const struct layer_result *res);

#endif
