// SPDX-License-Identifier: GPL-2.0
/*
 * Layered settings: parsing a layer file whole, then merging the layers
 * with their locks. See layers.h for the rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layers.h"
#include "log.h"

static const char *const layer_names[LAYER_COUNT] = {
	[LAYER_DEFAULTS] = "defaults",
	[LAYER_ACCOUNT] = "account",
	[LAYER_GROUP] = "group",
	[LAYER_DEVICE] = "device",
	[LAYER_LOCAL] = "local",
};

const char *layer_name(enum layer_id id)
{
	return id < LAYER_COUNT ? layer_names[id] : "?";
}

static int failf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int failf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static char *trim(char *s)
{
	char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	*end = '\0';
	return s;
}

void layer_clear(struct layer *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->entries[i].key->secret)
			explicit_bzero(l->entries[i].value, strlen(l->entries[i].value));
		free(l->entries[i].value);
	}
	free(l->entries);
	l->entries = NULL;
	l->n = 0;
	l->holds_secret = false;
}

static int add_entry(struct layer *l, const struct cfg_key *k, const char *value,
		     unsigned int line, bool locked)
{
	struct layer_entry *e;

	e = realloc(l->entries, (l->n + 1) * sizeof(*e));
	if (!e)
		return -1;
	l->entries = e;
	e = &l->entries[l->n];
	e->value = strdup(value);
	if (!e->value)
		return -1;
	e->key = k;
	e->line = line;
	e->locked = locked;
	l->n++;
	if (k->secret)
		l->holds_secret = true;
	return 0;
}

/*
 * One line, already cut at its end. "lock" is a word of its own: key names
 * never hold blanks, so "lock key = value" cannot be mistaken for a key.
 */
static int parse_line(const struct layer_schema *s, struct layer *l, void *scratch,
		      char *line, unsigned int lineno, const char *source, char *err, size_t errlen)
{
	const struct cfg_key *k;
	char *eq, *key, *value;
	bool locked = false;
	size_t i;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	if (!strncmp(line, "lock", 4) && is_blank(line[4])) {
		locked = true;
		line = trim(line + 4);
	}
	eq = strchr(line, '=');
	if (!eq)
		return failf(err, errlen, "%s:%u: expected \"key = value\" or \"lock key = value\"",
			     source, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!*key)
		return failf(err, errlen, "%s:%u: missing key before '='", source, lineno);
	k = config_find(s->table, key);
	if (!k)
		return failf(err, errlen, "%s:%u: unknown key \"%s\"", source, lineno, key);
	for (i = 0; i < l->n; i++)
		if (l->entries[i].key == k)
			return failf(err, errlen, "%s:%u: %s: set twice (first on line %u)",
				     source, lineno, key, l->entries[i].line);
	if (config_set(k, scratch, value, source, lineno, err, errlen))
		return -1;
	if (add_entry(l, k, value, lineno, locked))
		return failf(err, errlen, "%s: out of memory", source);
	return 0;
}

int layer_parse(const struct layer_schema *s, struct layer *out, const char *text, size_t len,
		const char *source, char *err, size_t errlen)
{
	struct layer l = { 0 };
	unsigned int lineno = 0;
	char *copy, *line, *next;
	void *scratch;
	int ret = 0;

	*out = (struct layer){ 0 };
	if (len > LAYER_MAX_BYTES)
		return failf(err, errlen, "%s: larger than %d bytes", source, LAYER_MAX_BYTES);
	if (memchr(text, '\0', len))
		return failf(err, errlen, "%s: NUL byte in file", source);
	snprintf(l.source, sizeof(l.source), "%s", source);
	copy = malloc(len + 1);
	/* Every value is checked by storing it into a throw-away struct. */
	scratch = malloc(s->size);
	if (!copy || !scratch) {
		free(copy);
		free(scratch);
		return failf(err, errlen, "%s: out of memory", source);
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	s->defaults(scratch);

	for (line = copy; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		ret = parse_line(s, &l, scratch, line, lineno, source, err, errlen);
		if (ret)
			break;
	}
	/* The copy and scratch struct may hold secrets. */
	explicit_bzero(copy, len);
	explicit_bzero(scratch, s->size);
	free(copy);
	free(scratch);
	if (ret) {
		layer_clear(&l);
		return -1;
	}
	*out = l;
	return 0;
}

int layer_load_file(const struct layer_schema *s, struct layer *out, const char *path,
		    bool missing_ok, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	*out = (struct layer){ 0 };
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok) {
			snprintf(out->source, sizeof(out->source), "%s", path);
			return 1;
		}
		return failf(err, errlen, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		ret = failf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = failf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > LAYER_MAX_BYTES) {
		ret = failf(err, errlen, "%s: larger than %d bytes", path, LAYER_MAX_BYTES);
		goto out;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		ret = failf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	/* Read to the end, not st_size bytes: the file may change under us. */
	while ((n = read(fd, buf + len, st.st_size + 1 - len)) > 0) {
		len += n;
		if (len > (size_t)st.st_size) {
			ret = failf(err, errlen, "%s: grew while being read", path);
			goto out;
		}
	}
	if (n < 0) {
		ret = failf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = layer_parse(s, out, buf, len, path, err, errlen);
	if (!ret && out->holds_secret && (st.st_mode & (S_IRGRP | S_IROTH))) {
		const struct layer_entry *e = out->entries;

		while (!e->key->secret)
			e++;
		ret = failf(err, errlen,
			    "%s:%u: holds a secret (%s) but is readable by group or others "
			    "(mode %04o); refused: chmod 600 it",
			    path, e->line, e->key->name, (unsigned int)(st.st_mode & 07777));
		layer_clear(out);
	}
out:
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	close(fd);
	return ret;
}

int layer_copy(struct layer *dst, const struct layer *src)
{
	size_t i;

	*dst = (struct layer){ 0 };
	memcpy(dst->source, src->source, sizeof(dst->source));
	for (i = 0; i < src->n; i++) {
		const struct layer_entry *e = &src->entries[i];

		if (add_entry(dst, e->key, e->value, e->line, e->locked)) {
			layer_clear(dst);
			return -1;
		}
	}
	return 0;
}

static size_t field_size(const struct cfg_key *k)
{
	switch (k->type) {
	case CFG_STRING:
		return k->size;
	case CFG_BOOL:
		return sizeof(bool);
	case CFG_INT:
	case CFG_ENUM:
		return sizeof(int);
	}
	return 0;
}

/*
 * Would @value change @k's field in @cur? Compared after parsing, so "on"
 * and "yes" count as the same value. Strings compare up to their NUL: bytes
 * after it are left over from earlier values.
 */
static bool changes(const struct layer_schema *s, const struct cfg_key *k, const void *cur,
		    const char *value, void *scratch)
{
	char err[8];
	const char *a = (const char *)cur + k->offset, *b = (const char *)scratch + k->offset;

	memcpy(scratch, cur, s->size);
	if (config_set(k, scratch, value, "", 0, err, sizeof(err)))
		return true;	/* cannot happen: layers are validated */
	if (k->type == CFG_STRING)
		return strcmp(a, b) != 0;
	return memcmp(a, b, field_size(k)) != 0;
}

void layer_result_clear(struct layer_result *res)
{
	free(res->from);
	free(res->locked_by);
	free(res->v);
	*res = (struct layer_result){ 0 };
}

static int add_violation(struct layer_result *res, const struct layer_entry *e,
			 const struct layer *l, enum layer_id id, enum layer_id by)
{
	struct layer_violation *v;

	v = realloc(res->v, (res->nv + 1) * sizeof(*v));
	if (!v)
		return -1;
	res->v = v;
	v = &res->v[res->nv++];
	v->key = e->key;
	v->layer = id;
	v->locked_by = by;
	memcpy(v->source, l->source, sizeof(v->source));
	v->line = e->line;
	return 0;
}

int layers_merge(const struct layer_schema *s, const struct layer *const layers[LAYER_COUNT],
		 void *dst, struct layer_result *res)
{
	struct layer_result r = { 0 };
	char err[256];
	void *scratch;
	enum layer_id id;
	size_t i;

	while (s->table[r.nkeys].name)
		r.nkeys++;
	r.from = calloc(r.nkeys + 1, sizeof(*r.from));
	r.locked_by = calloc(r.nkeys + 1, sizeof(*r.locked_by));
	scratch = malloc(s->size);
	if (!r.from || !r.locked_by || !scratch)
		goto oom;
	for (i = 0; i < r.nkeys; i++) {
		r.from[i] = LAYER_DEFAULTS;
		r.locked_by[i] = LAYER_COUNT;
	}
	s->defaults(dst);

	for (id = LAYER_DEFAULTS + 1; id < LAYER_COUNT; id++) {
		const struct layer *l = layers[id];

		if (!l)
			continue;
		for (i = 0; i < l->n; i++) {
			const struct layer_entry *e = &l->entries[i];
			size_t row = e->key - s->table;

			if (r.locked_by[row] != LAYER_COUNT) {
				/* Locked below: the same value is harmless, anything else
				 * is the attempt the lock exists to stop.
				 */
				if (changes(s, e->key, dst, e->value, scratch) &&
				    add_violation(&r, e, l, id, r.locked_by[row]))
					goto oom;
				continue;
			}
			if (config_set(e->key, dst, e->value, l->source, e->line, err, sizeof(err)))
				continue;	/* validated already: cannot happen */
			r.from[row] = id;
			if (e->locked)
				r.locked_by[row] = id;
		}
	}
	explicit_bzero(scratch, s->size);
	free(scratch);
	if (res)
		*res = r;
	else
		layer_result_clear(&r);
	return 0;
oom:
	free(scratch);
	layer_result_clear(&r);
	return -1;
}

void layers_log_violations(const struct layer_result *res)
{
	size_t i;

	for (i = 0; i < res->nv; i++) {
		const struct layer_violation *v = &res->v[i];

		log_warn("%s:%u: %s is locked by %s; the %s layer's value is ignored",
			 v->source, v->line, v->key->name, layer_name(v->locked_by),
			 layer_name(v->layer));
	}
}

void layer_format_value(const struct cfg_key *k, const void *src, char *buf, size_t len)
{
	const char *field = (const char *)src + k->offset;

	if (k->secret) {
		snprintf(buf, len, "%s", *field ? "(hidden)" : "");
		return;
	}
	switch (k->type) {
	case CFG_STRING:
		snprintf(buf, len, "%s", field);
		return;
	case CFG_BOOL:
		snprintf(buf, len, "%s", *(const bool *)field ? "on" : "off");
		return;
	case CFG_INT:
		snprintf(buf, len, "%d", *(const int *)field);
		return;
	case CFG_ENUM:
		snprintf(buf, len, "%s", k->names[*(const int *)field]);
		return;
	}
	snprintf(buf, len, "?");
}
