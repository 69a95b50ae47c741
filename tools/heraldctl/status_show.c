// SPDX-License-Identifier: GPL-2.0
/*
 * Human rendering of status JSON. Scalars go on the line of their name;
 * objects and arrays of objects open an indented block; an array of
 * scalars is one comma-separated line. Strings print unquoted, an empty
 * one as "(none)" so the line does not look cut off.
 */
#include <string.h>

#include "status_show.h"

static bool scalar(const struct json_value *v)
{
	return v->type != JSON_ARRAY && v->type != JSON_OBJECT;
}

/* Arrays with only scalars in them (the empty one too) fit on one line. */
static bool flat(const struct json_value *v)
{
	const struct json_value *e;

	if (scalar(v))
		return true;
	if (v->type == JSON_OBJECT)
		return !v->child;
	for (e = v->child; e; e = e->next)
		if (!scalar(e))
			return false;
	return true;
}

static void show_scalar(FILE *fp, const struct json_value *v)
{
	switch (v->type) {
	case JSON_STRING:
		fputs(*v->str ? v->str : "(none)", fp);
		break;
	case JSON_NULL:
		fputs("-", fp);
		break;
	default:
		fwrite(v->raw, 1, v->raw_len, fp);
		break;
	}
}

static void show_flat(FILE *fp, const struct json_value *v)
{
	const struct json_value *e;

	if (scalar(v)) {
		show_scalar(fp, v);
		return;
	}
	if (!v->child) {
		fputs("(none)", fp);
		return;
	}
	for (e = v->child; e; e = e->next) {
		show_scalar(fp, e);
		if (e->next)
			fputs(", ", fp);
	}
}

static void show_members(FILE *fp, const struct json_value *obj, unsigned int indent)
{
	const struct json_value *m, *e;
	size_t width = 0;
	unsigned int i;

	/* Values that share a line with their name are aligned. */
	for (m = obj->child; m; m = m->next)
		if (flat(m) && strlen(m->key) > width)
			width = strlen(m->key);
	for (m = obj->child; m; m = m->next) {
		if (flat(m)) {
			fprintf(fp, "%*s%s:%*s", (int)indent, "", m->key,
				(int)(width - strlen(m->key) + 2), "");
			show_flat(fp, m);
			fputc('\n', fp);
		} else if (m->type == JSON_OBJECT) {
			fprintf(fp, "%*s%s:\n", (int)indent, "", m->key);
			show_members(fp, m, indent + 2);
		} else {
			/* An array holding objects or arrays: one block per element. */
			for (e = m->child, i = 0; e; e = e->next, i++) {
				fprintf(fp, "%*s%s[%u]:", (int)indent, "", m->key, i);
				if (flat(e)) {
					fputc(' ', fp);
					show_flat(fp, e);
					fputc('\n', fp);
				} else {
					fputc('\n', fp);
					status_show(fp, e, indent + 2);
				}
			}
		}
	}
}

void status_show(FILE *fp, const struct json_value *v, unsigned int indent)
{
	const struct json_value *e;
	unsigned int i;

	if (flat(v)) {
		fprintf(fp, "%*s", (int)indent, "");
		show_flat(fp, v);
		fputc('\n', fp);
		return;
	}
	if (v->type == JSON_OBJECT) {
		show_members(fp, v, indent);
		return;
	}
	for (e = v->child, i = 0; e; e = e->next, i++) {
		fprintf(fp, "%*s[%u]:\n", (int)indent, "", i);
		status_show(fp, e, indent + 2);
	}
}
