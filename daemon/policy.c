// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of live legs and the encryption verdict: see policy.h.
 *
 * A handful of legs at most (a registration, a few calls and the outputs
 * they feed, the zones), so a sorted array rebuilt into JSON on every
 * change costs nothing and keeps the order stable for readers and tests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policy.h"
#include "status.h"

struct leg {
	enum enc_leg_kind kind;
	char *id, *peer, *detail;
	bool encrypted;
};

static struct {
	struct leg *legs;
	size_t n, cap;
	bool required;
	unsigned int hold;
	bool dirty;
	char *json;		/* the area as last built */
} reg;

static const char *const kind_names[ENC_LEG_KINDS] = {
	[ENC_LEG_REGISTRATION] = "registration",
	[ENC_LEG_CALL] = "call",
	[ENC_LEG_OUTPUT] = "output",
	[ENC_LEG_ZONE] = "zone",
};

const char *enc_leg_kind_name(enum enc_leg_kind kind)
{
	return kind < ENC_LEG_KINDS ? kind_names[kind] : "?";
}

static void leg_free(struct leg *l)
{
	free(l->id);
	free(l->peer);
	free(l->detail);
}

static int leg_cmp(const struct leg *a, enum enc_leg_kind kind, const char *id)
{
	if (a->kind != kind)
		return a->kind < kind ? -1 : 1;
	return strcmp(a->id, id);
}

const char *enc_status(void)
{
	size_t i, plain = 0;

	for (i = 0; i < reg.n; i++)
		plain += !reg.legs[i].encrypted;
	if (!plain)
		return ENC_ENCRYPTED;
	return plain == reg.n ? ENC_NOT_ENCRYPTED : ENC_PARTIAL;
}

static void leg_name(FILE *fp, const struct leg *l)
{
	char name[160];

	snprintf(name, sizeof(name), "%s:%s", enc_leg_kind_name(l->kind), l->id);
	status_json_str(fp, name);
}

static char *build(void)
{
	char *buf = NULL;
	size_t len, i;
	bool first = true;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	fprintf(fp, "{\"status\": ");
	status_json_str(fp, enc_status());
	fprintf(fp, ", \"require_encryption\": %s,\n  \"legs\": [", reg.required ? "true" : "false");
	for (i = 0; i < reg.n; i++) {
		const struct leg *l = &reg.legs[i];

		fprintf(fp, "%s\n    {\"leg\": ", i ? "," : "");
		leg_name(fp, l);
		fprintf(fp, ", \"peer\": ");
		status_json_str(fp, l->peer);
		fprintf(fp, ", \"encrypted\": %s, \"detail\": ", l->encrypted ? "true" : "false");
		status_json_str(fp, l->detail);
		fputc('}', fp);
	}
	fprintf(fp, "],\n  \"exceptions\": [");
	for (i = 0; i < reg.n; i++) {
		const struct leg *l = &reg.legs[i];

		if (l->encrypted)
			continue;
		fprintf(fp, "%s\n    {\"leg\": ", first ? "" : ",");
		leg_name(fp, l);
		fprintf(fp, ", \"peer\": ");
		status_json_str(fp, l->peer);
		fprintf(fp, ", \"reason\": ");
		status_json_str(fp, l->detail);
		fputc('}', fp);
		first = false;
	}
	fprintf(fp, "]}");
	if (fclose(fp)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Rebuild the area and write it if it changed (and nobody holds it back). */
static void changed(void)
{
	char *json;

	reg.dirty = true;
	if (reg.hold)
		return;
	json = build();
	if (!json) {
		log_warn("encryption status not updated: out of memory");
		return;
	}
	reg.dirty = false;
	if (reg.json && !strcmp(reg.json, json)) {
		free(json);
		return;
	}
	free(reg.json);
	reg.json = json;
	/* status.c logs a failed write itself. */
	status_set_area("encryption", json);
}

int enc_leg_set(enum enc_leg_kind kind, const char *id, const char *peer, bool encrypted,
		const char *detail)
{
	struct leg nl = { .kind = kind, .encrypted = encrypted };
	size_t i;

	nl.id = strdup(id);
	nl.peer = strdup(peer ? peer : "");
	nl.detail = strdup(detail ? detail : "");
	if (!nl.id || !nl.peer || !nl.detail)
		goto oom;
	for (i = 0; i < reg.n && leg_cmp(&reg.legs[i], kind, id) < 0; i++)
		;
	if (i < reg.n && !leg_cmp(&reg.legs[i], kind, id)) {
		leg_free(&reg.legs[i]);
		reg.legs[i] = nl;
		changed();
		return 0;
	}
	if (reg.n == reg.cap) {
		size_t cap = reg.cap ? reg.cap * 2 : 8;
		struct leg *p = realloc(reg.legs, cap * sizeof(*p));

		if (!p)
			goto oom;
		reg.legs = p;
		reg.cap = cap;
	}
	memmove(&reg.legs[i + 1], &reg.legs[i], (reg.n - i) * sizeof(*reg.legs));
	reg.legs[i] = nl;
	reg.n++;
	changed();
	return 0;
oom:
	leg_free(&nl);
	log_error("encryption status: out of memory: leg %s:%s not listed",
		  enc_leg_kind_name(kind), id);
	return -ENOMEM;
}

static void del_at(size_t i)
{
	leg_free(&reg.legs[i]);
	memmove(&reg.legs[i], &reg.legs[i + 1], (reg.n - i - 1) * sizeof(*reg.legs));
	reg.n--;
}

void enc_leg_del(enum enc_leg_kind kind, const char *id)
{
	size_t i;

	for (i = 0; i < reg.n; i++) {
		if (!leg_cmp(&reg.legs[i], kind, id)) {
			del_at(i);
			changed();
			return;
		}
	}
}

void enc_leg_del_kind(enum enc_leg_kind kind)
{
	size_t i = 0;
	bool any = false;

	while (i < reg.n) {
		if (reg.legs[i].kind == kind) {
			del_at(i);
			any = true;
		} else {
			i++;
		}
	}
	if (any)
		changed();
}

void enc_set_required(bool on)
{
	reg.required = on;
	changed();
}

void enc_hold(void)
{
	reg.hold++;
}

void enc_release(void)
{
	if (reg.hold && !--reg.hold && reg.dirty)
		changed();
}

const char *enc_status_json(void)
{
	return reg.json ? reg.json : "";
}

void enc_reset(void)
{
	size_t i;

	for (i = 0; i < reg.n; i++)
		leg_free(&reg.legs[i]);
	free(reg.legs);
	free(reg.json);
	memset(&reg, 0, sizeof(reg));
}
