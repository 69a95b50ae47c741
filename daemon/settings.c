// SPDX-License-Identifier: GPL-2.0
/*
 * The running settings, rebuilt from all layers whenever one changes.
 */
#include <string.h>

#include "log.h"
#include "settings.h"
#include "status.h"

static void defaults(void *dst)
{
	heraldd_config_defaults(dst);
}

const struct layer_schema heraldd_schema = {
	.table = heraldd_config_keys,
	.size = sizeof(struct heraldd_config),
	.defaults = defaults,
};

void settings_init(struct settings *s, const char *local_path)
{
	memset(s, 0, sizeof(*s));
	s->local_path = local_path;
	heraldd_config_defaults(&s->cfg);
}

void settings_free(struct settings *s)
{
	int i;

	layer_clear(&s->local);
	for (i = 0; i < LAYER_COUNT; i++)
		if (s->have_remote[i])
			layer_clear(&s->remote[i]);
	layer_result_clear(&s->res);
	explicit_bzero(&s->cfg, sizeof(s->cfg));
}

/*
 * Merge @ls (indexed by layer; NULL: absent) and check the result whole
 * (keys that only make sense together, heraldd_config_check()). Only a
 * result that passes becomes the running configuration; else -1 with the
 * reason in @err and nothing changed.
 */
static int merge(struct settings *s, const struct layer *const ls[LAYER_COUNT],
		 char *err, size_t errlen)
{
	struct heraldd_config next;
	struct layer_result res;

	if (layers_merge(&heraldd_schema, ls, &next, &res)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (heraldd_config_check(&next, err, errlen)) {
		explicit_bzero(&next, sizeof(next));
		layer_result_clear(&res);
		return -1;
	}
	layers_log_violations(&res);
	explicit_bzero(&s->cfg, sizeof(s->cfg));
	s->cfg = next;
	explicit_bzero(&next, sizeof(next));
	layer_result_clear(&s->res);
	s->res = res;
	status_settings(&heraldd_schema, &s->cfg, &s->res);
	return 0;
}

/* The layers in force, with @local and @remote (NULL: the current ones) in place. */
static void layers_with(const struct settings *s, const struct layer *local,
			const struct layer *remote, const bool *have_remote,
			const struct layer *ls[LAYER_COUNT])
{
	int i;

	for (i = 0; i < LAYER_COUNT; i++) {
		ls[i] = NULL;
		if (remote && have_remote[i])
			ls[i] = &remote[i];
		else if (!remote && s->have_remote[i])
			ls[i] = &s->remote[i];
	}
	ls[LAYER_LOCAL] = local ? local : &s->local;
}

int settings_load_local(struct settings *s, char *err, size_t errlen)
{
	const struct layer *ls[LAYER_COUNT];
	char why[384];
	struct layer l;

	if (layer_load_file(&heraldd_schema, &l, s->local_path, false, err, errlen))
		return -1;
	layers_with(s, &l, NULL, NULL, ls);
	if (merge(s, ls, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", s->local_path, why);
		layer_clear(&l);
		return -1;
	}
	layer_clear(&s->local);
	s->local = l;
	return 0;
}

int settings_set_remote(struct settings *s, const struct layer *const remote[LAYER_COUNT],
			char *err, size_t errlen)
{
	const struct layer *ls[LAYER_COUNT];
	struct layer next[LAYER_COUNT];
	bool have[LAYER_COUNT] = { 0 };
	int i, j;

	/* Copy all first, so running out of memory changes nothing. */
	for (i = LAYER_ACCOUNT; i < LAYER_LOCAL; i++) {
		if (!remote[i])
			continue;
		if (layer_copy(&next[i], remote[i])) {
			for (j = LAYER_ACCOUNT; j < i; j++)
				if (have[j])
					layer_clear(&next[j]);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		have[i] = true;
	}
	layers_with(s, NULL, next, have, ls);
	if (merge(s, ls, err, errlen)) {
		for (i = LAYER_ACCOUNT; i < LAYER_LOCAL; i++)
			if (have[i])
				layer_clear(&next[i]);
		return -1;
	}
	for (i = LAYER_ACCOUNT; i < LAYER_LOCAL; i++) {
		if (s->have_remote[i])
			layer_clear(&s->remote[i]);
		s->have_remote[i] = have[i];
		if (have[i])
			s->remote[i] = next[i];
	}
	return 0;
}
