/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's event loop: one thread, one epoll set. Modules add file
 * descriptors and timers and get called back; nothing in a callback may
 * block. SIGTERM and SIGINT end the loop, SIGHUP calls the reload hook:
 * signals arrive through a signalfd, so callbacks never run in signal
 * context.
 */
#ifndef HERALDD_LOOP_H
#define HERALDD_LOOP_H

#include <stdint.h>

struct loop;
struct loop_source;
struct loop_timer;

typedef void (*loop_fd_cb)(struct loop_source *src, int fd, uint32_t events, void *arg);
typedef void (*loop_timer_cb)(struct loop_timer *timer, void *arg);
typedef void (*loop_reload_cb)(void *arg);

/*
 * Blocks SIGTERM, SIGINT and SIGHUP for the process (the daemon has one
 * thread) and takes them through a signalfd. NULL on failure, errno set.
 */
struct loop *loop_new(void);
/* Frees every source and timer still registered and restores the signal mask. */
void loop_free(struct loop *loop);

void loop_set_reload(struct loop *loop, loop_reload_cb cb, void *arg);

/*
 * Run until loop_stop() or a terminating signal. Returns the signal number
 * that ended it, 0 after loop_stop(), or a negative errno if epoll failed.
 */
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);

/*
 * Watch @fd (not taken over: the caller still closes it, after removing it)
 * for @events (EPOLLIN, EPOLLOUT, ...). NULL on failure, errno set.
 */
struct loop_source *loop_add_fd(struct loop *loop, int fd, uint32_t events,
				loop_fd_cb cb, void *arg);
int loop_source_set_events(struct loop_source *src, uint32_t events);
/* Safe from any callback, including the source's own. */
void loop_remove(struct loop_source *src);

/* A timer, disarmed until loop_timer_set(). NULL on failure, errno set. */
struct loop_timer *loop_timer_new(struct loop *loop, loop_timer_cb cb, void *arg);
/*
 * Fire after @after_ms milliseconds, then every @every_ms if non-zero.
 * @after_ms 0 disarms. Overruns are folded into one call.
 */
int loop_timer_set(struct loop_timer *timer, uint64_t after_ms, uint64_t every_ms);
/* Safe from any callback, including the timer's own. */
void loop_timer_free(struct loop_timer *timer);

#endif
