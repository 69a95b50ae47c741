// SPDX-License-Identifier: GPL-2.0
/*
 * The calls in the status file and their encryption legs: see
 * call_status.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call_feeds.h"
#include "call_status.h"
#include "kernel.h"
#include "log.h"
#include "policy.h"
#include "sdes.h"
#include "status.h"

#define CALL_STATUS_MAX	64	/* call.max_calls at most */

struct call_status {
	struct kernel *k;
	int srtp;			/* media.srtp: the reason a plain call is accepted */
	uint32_t outputs[HERALD_MAX_OUTPUTS];
	unsigned int noutputs;
};

const char *call_status_priority(uint8_t prio, char *buf, size_t size)
{
	switch (prio) {
	case HERALD_PRIORITY_NORMAL:
		return "normal";
	case HERALD_PRIORITY_PRIORITY:
		return "priority";
	case HERALD_PRIORITY_EMERGENCY:
		return "emergency";
	}
	snprintf(buf, size, "%u", prio);
	return buf;
}

static const char *suite_name(enum herald_suite s)
{
	const struct sdes_suite_info *i = s == HERALD_SUITE_NONE ? NULL : sdes_suite_info(s);

	return i ? i->name : "none";
}

char *call_status_json(const struct call_info *calls, unsigned int n)
{
	char *buf = NULL, when[32], num[8];
	unsigned int i;
	size_t len;
	struct tm tm;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	fputc('[', fp);
	for (i = 0; i < n; i++) {
		const struct call_info *c = &calls[i];

		gmtime_r(&c->started, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(fp, "%s\n    {\"label\": ", i ? "," : "");
		status_json_str(fp, c->label);
		fprintf(fp, ", \"account\": ");
		status_json_str(fp, c->account);
		fprintf(fp, ", \"caller\": ");
		status_json_str(fp, c->caller);
		fprintf(fp, ", \"state\": ");
		status_json_str(fp, c->state);
		fprintf(fp, ", \"codec\": ");
		status_json_str(fp, c->codec);
		fprintf(fp, ", \"suite\": ");
		status_json_str(fp, c->srtp ? suite_name(c->suite) : "none");
		fprintf(fp, ", \"priority\": ");
		status_json_str(fp, call_status_priority(c->priority, num, sizeof(num)));
		fprintf(fp, ", \"stream_id\": %u, \"start\": \"%s\", \"encrypted\": %s}",
			c->stream_id, when, c->srtp ? "true" : "false");
	}
	fputc(']', fp);
	if (fclose(fp)) {
		free(buf);
		return NULL;
	}
	return buf;
}

struct collected {
	struct call_info info[CALL_STATUS_MAX];
	unsigned int n;
	bool feeding;			/* a call not on hold: the outputs carry it */
};

/* The strings of @info live in the call layer, which stays as it is until we return. */
static void collect(const struct call_info *info, void *arg)
{
	struct collected *col = arg;

	if (col->n == CALL_STATUS_MAX)
		return;
	col->info[col->n++] = *info;
	if (!info->held)
		col->feeding = true;
}

static void call_leg(const struct call_status *cs, const struct call_info *c)
{
	char detail[96];

	if (c->srtp)
		snprintf(detail, sizeof(detail), "SRTP %s", suite_name(c->suite));
	else
		snprintf(detail, sizeof(detail), "plain RTP accepted (media.srtp = %s)",
			 media_srtp_names[cs->srtp]);
	enc_leg_set(ENC_LEG_CALL, c->label, c->caller, c->srtp, detail);
}

static void output_leg(const struct call_status *cs, uint32_t id)
{
	struct kernel_output_info o;
	char name[12], why[256], detail[300];
	int ret;

	snprintf(name, sizeof(name), "%u", id);
	ret = kernel_output_info(cs->k, id, &o, why, sizeof(why));
	if (ret) {
		snprintf(detail, sizeof(detail), "herald.ko cannot describe it: %s", why);
		enc_leg_set(ENC_LEG_OUTPUT, name, "", false, detail);
		return;
	}
	if (o.plain)
		enc_leg_set(ENC_LEG_OUTPUT, name, o.peer, false, "plaintext output in herald.ko");
	else {
		snprintf(detail, sizeof(detail), "SRTP %s", suite_name(o.suite));
		enc_leg_set(ENC_LEG_OUTPUT, name, o.peer, true, detail);
	}
}

void call_status_update(struct call_status *cs, const struct call_layer *cl)
{
	struct collected *col = calloc(1, sizeof(*col));
	unsigned int i;
	char *json;

	if (!col) {
		log_warn("call status not updated: out of memory");
		return;
	}
	call_foreach(cl, collect, col);
	log_debug("status: %u call(s) with media", col->n);
	/* Each call's account and hold state: its stream follows its zones' outputs. */
	call_feeds_calls(col->info, col->n, cs->outputs, cs->noutputs);
	json = call_status_json(col->info, col->n);
	if (json)
		status_set_area("calls", json);
	else
		log_warn("call status not updated: out of memory");
	free(json);

	/* All legs of calls and outputs anew, seen by readers as one change. */
	enc_hold();
	enc_leg_del_kind(ENC_LEG_CALL);
	enc_leg_del_kind(ENC_LEG_OUTPUT);
	for (i = 0; i < col->n; i++)
		call_leg(cs, &col->info[i]);
	for (i = 0; col->feeding && i < cs->noutputs; i++)
		output_leg(cs, cs->outputs[i]);
	enc_release();
	free(col);
}

struct call_status *call_status_new(struct kernel *k, const struct call_config *cfg,
				    const struct call_policy *pol)
{
	struct call_status *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->k = k;
	cs->srtp = cfg->srtp;
	memcpy(cs->outputs, pol->outputs, sizeof(cs->outputs[0]) * pol->noutputs);
	cs->noutputs = pol->noutputs;
	status_set_area("calls", "[]");
	return cs;
}

void call_status_free(struct call_status *cs)
{
	if (!cs)
		return;
	enc_hold();
	enc_leg_del_kind(ENC_LEG_CALL);
	enc_leg_del_kind(ENC_LEG_OUTPUT);
	enc_release();
	status_set_area("calls", "[]");
	free(cs);
}
