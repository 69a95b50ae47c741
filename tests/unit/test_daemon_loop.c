// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd's event loop with real kernel objects: timerfds fire, a pipe
 * wakes its callback, signals raised at the process go through the
 * signalfd (SIGTERM and SIGINT end the loop, SIGHUP reloads).
 *
 * Every test arms a watchdog timer so a broken loop fails instead of
 * hanging: the watchdog stops the loop and the test sees it did.
 *
 * Headers are named by path: kmod/ is on the include path first and may
 * hold files of the same names.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <cmocka.h>

#include "../../daemon/loop.h"

struct ctx {
	struct loop *loop;
	struct loop_timer *watchdog;
	bool watchdog_fired;
	int fired;
	int stop_after;
	int reloads;
	struct loop_timer *self_free;
};

static void watchdog_cb(struct loop_timer *t, void *arg)
{
	struct ctx *c = arg;

	c->watchdog_fired = true;
	loop_stop(c->loop);
}

static int setup(void **state)
{
	static struct ctx c;

	c = (struct ctx){ .loop = loop_new() };
	if (!c.loop)
		return -1;
	c.watchdog = loop_timer_new(c.loop, watchdog_cb, &c);
	if (!c.watchdog || loop_timer_set(c.watchdog, 2000, 0))
		return -1;
	*state = &c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	loop_free(c->loop);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static void count_cb(struct loop_timer *t, void *arg)
{
	struct ctx *c = arg;

	if (++c->fired == c->stop_after)
		loop_stop(c->loop);
}

static void timer_fires(void **state)
{
	struct ctx *c = *state;
	struct loop_timer *t = loop_timer_new(c->loop, count_cb, c);
	uint64_t start = now_ms();

	assert_non_null(t);
	c->stop_after = 1;
	assert_int_equal(loop_timer_set(t, 20, 0), 0);
	assert_int_equal(loop_run(c->loop), 0);
	assert_false(c->watchdog_fired);
	assert_int_equal(c->fired, 1);
	assert_true(now_ms() - start >= 20);
	loop_timer_free(t);
}

static void timer_periodic(void **state)
{
	struct ctx *c = *state;
	struct loop_timer *t = loop_timer_new(c->loop, count_cb, c);

	assert_non_null(t);
	c->stop_after = 3;
	assert_int_equal(loop_timer_set(t, 5, 5), 0);
	assert_int_equal(loop_run(c->loop), 0);
	assert_false(c->watchdog_fired);
	assert_int_equal(c->fired, 3);
	loop_timer_free(t);
}

static void timer_disarm(void **state)
{
	struct ctx *c = *state;
	struct loop_timer *t = loop_timer_new(c->loop, count_cb, c);
	struct loop_timer *end = loop_timer_new(c->loop, watchdog_cb, c);

	assert_non_null(t);
	assert_non_null(end);
	assert_int_equal(loop_timer_set(t, 10, 0), 0);
	assert_int_equal(loop_timer_set(t, 0, 0), 0);	/* disarmed: never fires */
	assert_int_equal(loop_timer_set(end, 50, 0), 0);
	assert_int_equal(loop_run(c->loop), 0);
	assert_int_equal(c->fired, 0);
	loop_timer_free(t);
	loop_timer_free(end);
}

/* An expiry counted but not read before a re-arm belongs to the old setting. */
static void timer_rearm_drops_old_expiry(void **state)
{
	struct ctx *c = *state;
	struct loop_timer *t = loop_timer_new(c->loop, count_cb, c);
	struct loop_timer *end = loop_timer_new(c->loop, watchdog_cb, c);

	assert_non_null(t);
	assert_non_null(end);
	assert_int_equal(loop_timer_set(t, 1, 0), 0);
	usleep(5000);	/* expired, not yet read */
	assert_int_equal(loop_timer_set(t, 1000, 0), 0);
	assert_int_equal(loop_timer_set(end, 50, 0), 0);
	assert_int_equal(loop_run(c->loop), 0);
	assert_int_equal(c->fired, 0);
	loop_timer_free(t);
	loop_timer_free(end);
}

static void self_free_cb(struct loop_timer *t, void *arg)
{
	struct ctx *c = arg;

	c->fired++;
	loop_timer_free(t);
	c->self_free = NULL;
	loop_stop(c->loop);
}

static void timer_frees_itself(void **state)
{
	struct ctx *c = *state;

	c->self_free = loop_timer_new(c->loop, self_free_cb, c);
	assert_non_null(c->self_free);
	assert_int_equal(loop_timer_set(c->self_free, 1, 1), 0);
	assert_int_equal(loop_run(c->loop), 0);
	assert_false(c->watchdog_fired);
	assert_int_equal(c->fired, 1);
	assert_null(c->self_free);
}

static void sigterm_ends_loop(void **state)
{
	struct ctx *c = *state;

	/* Blocked by loop_new(): pending until the signalfd reads it. */
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(loop_run(c->loop), SIGTERM);
	assert_false(c->watchdog_fired);
}

static void sigint_ends_loop(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(raise(SIGINT), 0);
	assert_int_equal(loop_run(c->loop), SIGINT);
	assert_false(c->watchdog_fired);
}

static void reload_cb(void *arg)
{
	struct ctx *c = arg;

	c->reloads++;
	/* Raised from inside the loop: reload must not have ended it. */
	raise(SIGTERM);
}

static void sighup_reloads(void **state)
{
	struct ctx *c = *state;

	loop_set_reload(c->loop, reload_cb, c);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(loop_run(c->loop), SIGTERM);
	assert_int_equal(c->reloads, 1);
	assert_false(c->watchdog_fired);
}

struct pipe_ctx {
	struct ctx *c;
	int reads;
	char got;
};

static void pipe_cb(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct pipe_ctx *p = arg;

	assert_true(events & EPOLLIN);
	assert_int_equal(read(fd, &p->got, 1), 1);
	p->reads++;
	/* Removing itself inside its own callback must be safe. */
	loop_remove(src);
	loop_stop(p->c->loop);
}

static void fd_source(void **state)
{
	struct ctx *c = *state;
	struct pipe_ctx p = { .c = c };
	int fds[2];

	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	assert_non_null(loop_add_fd(c->loop, fds[0], EPOLLIN, pipe_cb, &p));
	assert_int_equal(write(fds[1], "x", 1), 1);
	assert_int_equal(loop_run(c->loop), 0);
	assert_false(c->watchdog_fired);
	assert_int_equal(p.reads, 1);
	assert_int_equal(p.got, 'x');
	close(fds[0]);
	close(fds[1]);
}

static void loop_add_bad_fd(void **state)
{
	struct ctx *c = *state;

	assert_null(loop_add_fd(c->loop, -1, EPOLLIN, pipe_cb, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(timer_fires, setup, teardown),
		cmocka_unit_test_setup_teardown(timer_periodic, setup, teardown),
		cmocka_unit_test_setup_teardown(timer_disarm, setup, teardown),
		cmocka_unit_test_setup_teardown(timer_rearm_drops_old_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(timer_frees_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(sigterm_ends_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(sigint_ends_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(sighup_reloads, setup, teardown),
		cmocka_unit_test_setup_teardown(fd_source, setup, teardown),
		cmocka_unit_test_setup_teardown(loop_add_bad_fd, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
