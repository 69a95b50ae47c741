/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's running settings: the local file and the provisioned layers,
 * merged (layers.c) into one struct heraldd_config. A new layer replaces
 * the old one only once it parsed whole, and the merge is computed into a
 * new struct that replaces the running one in a single assignment.
 */
#ifndef HERALDD_SETTINGS_H
#define HERALDD_SETTINGS_H

#include "config.h"
#include "layers.h"

struct settings {
	const char *local_path;
	struct layer local;
	struct layer remote[LAYER_COUNT];	/* account, group, device */
	bool have_remote[LAYER_COUNT];
	struct heraldd_config cfg;		/* the running configuration */
	struct layer_result res;		/* where each value came from */
};

extern const struct layer_schema heraldd_schema;

/* Defaults only; no layer yet. */
void settings_init(struct settings *s, const char *local_path);
void settings_free(struct settings *s);
/*
 * (Re)read the local file and merge. On failure -1 with the reason in @err,
 * and the running settings unchanged.
 */
int settings_load_local(struct settings *s, char *err, size_t errlen);
/*
 * Take new provisioned layers (copied) and merge. On failure (out of
 * memory, or a merged result that fails heraldd_config_check()) -1 with the
 * reason in @err, and the running settings unchanged.
 */
int settings_set_remote(struct settings *s, const struct layer *const remote[LAYER_COUNT],
			char *err, size_t errlen);

#endif
