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

static int merge(struct settings *s)
{
	const struct layer *ls[LAYER_COUNT] = { 0 };
	struct heraldd_config next;
	struct layer_result res;
	int i;

	for (i = 0; i < LAYER_COUNT; i++)
		if (s->have_remote[i])
			ls[i] = &s->remote[i];
	ls[LAYER_LOCAL] = &s->local;
	if (layers_merge(&heraldd_schema, ls, &next, &res))
		return -1;
	layers_log_violations(&res);
	s->cfg = next;
	explicit_bzero(&next, sizeof(next));
	layer_result_clear(&s->res);
	s->res = res;
	status_settings(&heraldd_schema, &s->cfg, &s->res);
	return 0;
}

int settings_load_local(struct settings *s, char *err, size_t errlen)
{
	struct layer l;

	if (layer_load_file(&heraldd_schema, &l, s->local_path, false, err, errlen))
		return -1;
	layer_clear(&s->local);
	s->local = l;
	if (merge(s)) {
		snprintf(err, errlen, "%s: out of memory", s->local_path);
		return -1;
	}
	return 0;
}

int settings_set_remote(struct settings *s, const struct layer *const remote[LAYER_COUNT])
{
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
			return -1;
		}
		have[i] = true;
	}
	for (i = LAYER_ACCOUNT; i < LAYER_LOCAL; i++) {
		if (s->have_remote[i])
			layer_clear(&s->remote[i]);
		s->have_remote[i] = have[i];
		if (have[i])
			s->remote[i] = next[i];
	}
	return merge(s);
}
