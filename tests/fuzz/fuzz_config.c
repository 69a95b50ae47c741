// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for heraldd's configuration: daemon/config.c (the plain
 * parser) and daemon/layers.c (layer files with locks, and the merge), over
 * heraldd's real key table. The input is cut at 0x1e bytes into up to four
 * layer files (account, group, device, local). Checked:
 *
 * - each piece: the plain parser and the layer parser agree on acceptance
 *   when the piece has no lock line, and then produce the same values;
 * - the merge: a locked key's value comes from the layer that locked it,
 *   every listed violation comes from a layer above the lock's;
 * - secrets are formatted as "(hidden)", never as their value;
 * - the merged values, written back as a file, parse to the same values.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Idaemon \
 *     -Iuapi tests/fuzz/fuzz_config.c daemon/layers.c daemon/config.c daemon/log.c \
 *     -o build/fuzz/fuzz_config
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/config.h"
#include "../../daemon/layers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void defaults(void *dst)
{
	heraldd_config_defaults(dst);
}

static const struct layer_schema schema = {
	heraldd_config_keys, sizeof(struct heraldd_config), defaults,
};

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "failed: %s\n", #cond); abort(); } } while (0)

/* Same values, key by key (secrets compared raw: they format as hidden). */
static bool same(const struct heraldd_config *a, const struct heraldd_config *b)
{
	char va[1024], vb[1024];
	const struct cfg_key *k;

	for (k = heraldd_config_keys; k->name; k++) {
		if (k->secret) {
			if (strcmp((const char *)a + k->offset, (const char *)b + k->offset))
				return false;
			continue;
		}
		layer_format_value(k, a, va, sizeof(va));
		layer_format_value(k, b, vb, sizeof(vb));
		if (strcmp(va, vb))
			return false;
	}
	return true;
}

static bool any_locked(const struct layer *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->entries[i].locked)
			return true;
	return false;
}

/* The plain parser against the layer parser, on one piece. */
static void differential(const char *text, size_t len, const struct layer *l, bool layer_ok)
{
	const struct layer *ls[LAYER_COUNT] = { 0 };
	struct heraldd_config plain, merged;
	char err[512];
	FILE *fp;
	int ret;

	if (!len)
		return;
	fp = fmemopen((void *)text, len, "r");
	if (!fp)
		return;
	heraldd_config_defaults(&plain);
	ret = config_parse(heraldd_config_keys, &plain, fp, "p", err, sizeof(err));
	fclose(fp);
	if (ret == 0)
		CHECK(layer_ok && !any_locked(l));
	if (layer_ok && !any_locked(l)) {
		CHECK(ret == 0);
		ls[LAYER_LOCAL] = l;
		CHECK(layers_merge(&schema, ls, &merged, NULL) == 0);
		CHECK(same(&plain, &merged));
	}
}

static void check_merge(const struct layer *const ls[LAYER_COUNT])
{
	struct heraldd_config cfg, again;
	struct layer_result res;
	const struct layer *one[LAYER_COUNT] = { 0 };
	struct layer back;
	char value[1024], err[512], *file;
	const struct cfg_key *k;
	size_t i, len = 0, cap = 1 << 16;
	int id;

	CHECK(layers_merge(&schema, ls, &cfg, &res) == 0);
	for (i = 0; i < res.nkeys; i++) {
		if (res.locked_by[i] != LAYER_COUNT)
			CHECK(res.from[i] == res.locked_by[i]);
		CHECK(res.from[i] == LAYER_DEFAULTS || ls[res.from[i]]);
	}
	for (i = 0; i < res.nv; i++) {
		CHECK(res.v[i].locked_by < res.v[i].layer);
		CHECK(ls[res.v[i].layer]);
	}
	/* A key locked in some layer never takes a value from a layer above. */
	for (id = LAYER_ACCOUNT; id < LAYER_COUNT; id++) {
		for (i = 0; ls[id] && i < ls[id]->n; i++) {
			size_t row = ls[id]->entries[i].key - heraldd_config_keys;

			if (res.locked_by[row] != LAYER_COUNT)
				CHECK((int)res.from[row] <= id || res.from[row] == res.locked_by[row]);
		}
	}

	/* Written back as a file, the merged values parse to themselves. */
	file = malloc(cap);
	CHECK(file);
	for (k = heraldd_config_keys; k->name; k++) {
		const char *v = value;

		if (k->secret)
			v = (const char *)&cfg + k->offset;
		else
			layer_format_value(k, &cfg, value, sizeof(value));
		CHECK(!k->secret || !*v || strcmp(value, v));
		if (!*v)
			continue;	/* an empty string has no "key = value" form */
		len += snprintf(file + len, cap - len, "%s = %s\n", k->name, v);
		CHECK(len < cap);
	}
	CHECK(layer_parse(&schema, &back, file, len, "back", err, sizeof(err)) == 0);
	one[LAYER_LOCAL] = &back;
	CHECK(layers_merge(&schema, one, &again, NULL) == 0);
	CHECK(same(&cfg, &again));
	layer_clear(&back);
	free(file);
	layer_result_clear(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct layer layers[LAYER_COUNT];
	const struct layer *ls[LAYER_COUNT] = { 0 };
	bool all_ok = true;
	const char *p = (const char *)data, *end = p + size;
	char err[512];
	int id;

	for (id = LAYER_ACCOUNT; id < LAYER_COUNT; id++) {
		const char *cut = memchr(p, 0x1e, end - p);
		size_t len = (cut ? cut : end) - p;
		bool ok;

		ok = layer_parse(&schema, &layers[id], p, len, "f", err, sizeof(err)) == 0;
		differential(p, len, &layers[id], ok);
		if (ok)
			ls[id] = &layers[id];
		else
			all_ok = false;
		p = cut ? cut + 1 : end;
		if (!cut)
			break;
	}
	if (all_ok)
		check_merge(ls);
	for (id = LAYER_ACCOUNT; id < LAYER_COUNT; id++)
		if (ls[id])
			layer_clear(&layers[id]);
	return 0;
}
