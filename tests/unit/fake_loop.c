// SPDX-License-Identifier: GPL-2.0
/*
 * A fake clock behind loop.h's timers: see fake_loop.h. Timers may be freed
 * and re-armed from their own callbacks, as with the real loop.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../daemon/loop.h"
#include "fake_loop.h"

struct loop_timer {
	loop_timer_cb cb;
	void *arg;
	uint64_t due;		/* 0: disarmed */
	uint64_t every;
};

#define MAX_TIMERS 1024
static struct loop_timer *timers[MAX_TIMERS];
uint64_t fake_now_ms;

struct loop_timer *loop_timer_new(struct loop *loop, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t;
	unsigned int i;

	for (i = 0; i < MAX_TIMERS; i++) {
		if (timers[i])
			continue;
		t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		t->cb = cb;
		t->arg = arg;
		timers[i] = t;
		return t;
	}
	return NULL;	/* as the real one when out of resources */
}

int loop_timer_set(struct loop_timer *t, uint64_t after_ms, uint64_t every_ms)
{
	t->due = after_ms ? fake_now_ms + after_ms : 0;
	t->every = every_ms;
	return 0;
}

void loop_timer_free(struct loop_timer *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < MAX_TIMERS; i++)
		if (timers[i] == t)
			timers[i] = NULL;
	free(t);
}

void fake_advance(uint64_t ms)
{
	uint64_t end = fake_now_ms + ms;

	for (;;) {
		struct loop_timer *next = NULL;
		unsigned int i;

		for (i = 0; i < MAX_TIMERS; i++)
			if (timers[i] && timers[i]->due && timers[i]->due <= end &&
			    (!next || timers[i]->due < next->due))
				next = timers[i];
		if (!next)
			break;
		fake_now_ms = next->due;
		next->due = next->every ? fake_now_ms + next->every : 0;
		next->cb(next, next->arg);
	}
	fake_now_ms = end;
}
