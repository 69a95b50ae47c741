// SPDX-License-Identifier: GPL-2.0
/*
 * The zone outputs running calls feed: see call_feeds.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_feeds.h"
#include "log.h"
#include "sip/call.h"

struct feed {
	struct feed *next;
	const struct kernel_ops *kops;
	void *kctx;
	uint32_t stream;
	char label[HERALD_LABEL_MAX];
	int acct;			/* 1..; 0: not known (yet), or no account */
	bool held;			/* muted by the call layer: left alone */
	uint32_t fed[HERALD_MAX_OUTPUTS];	/* what the stream feeds now */
	unsigned int nfed;
};

static struct feed *feeds;
static call_feeds_source_fn source;
static void *source_arg;
static uint32_t base[HERALD_MAX_OUTPUTS];	/* media.outputs */
static unsigned int nbase;

void call_feeds_set_source(call_feeds_source_fn fn, void *arg)
{
	source = fn;
	source_arg = arg;
}

static struct feed *by_stream(uint32_t stream)
{
	struct feed *f;

	for (f = feeds; f; f = f->next)
		if (f->stream == stream)
			return f;
	return NULL;
}

/* A stream of the call @label whose account is known (the call's current or last one). */
static struct feed *by_label(const char *label)
{
	struct feed *f;

	for (f = feeds; f; f = f->next)
		if (f->acct && !strcmp(f->label, label))
			return f;
	return NULL;
}

static void add_once(uint32_t *out, unsigned int *n, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (out[i] == id)
			return;
	if (*n < HERALD_MAX_OUTPUTS)
		out[(*n)++] = id;
}

/* media.outputs, then account @acct's zone outputs as they are now. */
static unsigned int wanted(int acct, uint32_t *out)
{
	uint32_t zone[HERALD_MAX_OUTPUTS];
	unsigned int n = 0, nz, i;

	for (i = 0; i < nbase; i++)
		add_once(out, &n, base[i]);
	nz = source ? source(source_arg, acct, zone, HERALD_MAX_OUTPUTS) : 0;
	for (i = 0; i < nz; i++)
		add_once(out, &n, zone[i]);
	return n;
}

static bool same_set(const uint32_t *a, unsigned int na, const uint32_t *b, unsigned int nb)
{
	unsigned int i, j;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && b[j] != a[i]; j++)
			;
		if (j == nb)
			return false;
	}
	return true;
}

void call_feeds_note(const struct kernel_ops *kops, void *kctx, uint32_t stream,
		     const char *label, const uint32_t *outputs, unsigned int n)
{
	struct feed *f = by_stream(stream), *prev;

	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f) {
			log_warn("call stream %u: out of memory: it will not follow zone changes",
				 stream);
			return;
		}
		f->stream = stream;
		f->next = feeds;
		feeds = f;
		/* A new stream of a known call (a re-INVITE): the same account. */
		prev = label ? by_label(label) : NULL;
		if (prev)
			f->acct = prev->acct;
	}
	f->kops = kops;
	f->kctx = kctx;
	if (label)
		snprintf(f->label, sizeof(f->label), "%s", label);
	if (n > HERALD_MAX_OUTPUTS)
		n = HERALD_MAX_OUTPUTS;
	if (n)
		memcpy(f->fed, outputs, sizeof(outputs[0]) * n);
	f->nfed = n;
}

void call_feeds_forget(uint32_t stream)
{
	struct feed **p, *f;

	for (p = &feeds; (f = *p); p = &f->next) {
		if (f->stream == stream) {
			*p = f->next;
			free(f);
			return;
		}
	}
}

unsigned int call_feeds_resolve(uint32_t stream, const char *label, const uint32_t *asked,
				unsigned int n, uint32_t *out)
{
	const struct feed *f = stream ? by_stream(stream) : label ? by_label(label) : NULL;

	if (n && f && f->acct)
		return wanted(f->acct, out);
	if (n > HERALD_MAX_OUTPUTS)
		n = HERALD_MAX_OUTPUTS;
	if (n)
		memcpy(out, asked, sizeof(asked[0]) * n);
	return n;
}

/* The stream feeds what its account's zones are now, unless it is muted. */
static void sync(struct feed *f)
{
	uint32_t want[HERALD_MAX_OUTPUTS];
	unsigned int n;
	char why[200];

	if (!f->acct || f->held || !f->kops || !f->kops->set_outputs)
		return;
	n = wanted(f->acct, want);
	if (same_set(want, n, f->fed, f->nfed))
		return;
	if (f->kops->set_outputs(f->kctx, f->stream, want, n, why, sizeof(why))) {
		log_warn("call %s: stream %u: cannot follow the zones' outputs: %s", f->label,
			 f->stream, why);
		return;
	}
	memcpy(f->fed, want, sizeof(want[0]) * n);
	f->nfed = n;
	log_info("call %s: stream %u feeds %u output(s) now, as its account's zones are", f->label,
		 f->stream, n);
}

/* "u3" -> 3; anything else 0 (the call reached no account). */
static int account_number(const char *name)
{
	char *end;
	long v;

	if (!name || name[0] != 'u' || name[1] < '1' || name[1] > '9')
		return 0;
	v = strtol(name + 1, &end, 10);
	return *end || v < 1 || v > 64 ? 0 : (int)v;
}

void call_feeds_calls(const struct call_info *calls, unsigned int n, const uint32_t *outputs,
		      unsigned int noutputs)
{
	unsigned int i;

	if (noutputs > HERALD_MAX_OUTPUTS)
		noutputs = HERALD_MAX_OUTPUTS;
	if (noutputs)
		memcpy(base, outputs, sizeof(outputs[0]) * noutputs);
	nbase = noutputs;
	for (i = 0; i < n; i++) {
		struct feed *f = by_stream(calls[i].stream_id);

		if (!f)
			continue;
		f->acct = account_number(calls[i].account);
		f->held = calls[i].held;
		sync(f);
	}
}

void call_feeds_refresh(void)
{
	struct feed *f;

	for (f = feeds; f; f = f->next)
		sync(f);
}

void call_feeds_reset(void)
{
	while (feeds)
		call_feeds_forget(feeds->stream);
	source = NULL;
	source_arg = NULL;
	nbase = 0;
}
