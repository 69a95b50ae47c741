// SPDX-License-Identifier: GPL-2.0
/*
 * The epoll loop. Every watched descriptor, timers and the signalfd
 * included, is a source. Removing a source inside a callback only marks it
 * dead: later events of the same epoll_wait() batch may still point at it,
 * so it is freed once the batch is done.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "loop.h"

struct loop_source {
	struct loop *loop;
	int fd;
	loop_fd_cb cb;
	void *arg;
	bool dead;
	struct loop_source *prev, *next;	/* live list, or dead list */
};

struct loop_timer {
	struct loop_source *src;
	loop_timer_cb cb;
	void *arg;
};

struct loop {
	int epfd;
	int sigfd;
	struct loop_source *sig_src;
	sigset_t old_mask;
	bool stop;
	int stop_signal;
	loop_reload_cb reload;
	void *reload_arg;
	struct loop_source *live;
	struct loop_source *dead;
};

static void list_add(struct loop_source **head, struct loop_source *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void list_del(struct loop_source **head, struct loop_source *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

struct loop_source *loop_add_fd(struct loop *loop, int fd, uint32_t events,
				loop_fd_cb cb, void *arg)
{
	struct loop_source *src;
	struct epoll_event ev = { .events = events };

	src = calloc(1, sizeof(*src));
	if (!src)
		return NULL;
	src->loop = loop;
	src->fd = fd;
	src->cb = cb;
	src->arg = arg;
	ev.data.ptr = src;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;

		free(src);
		errno = e;
		return NULL;
	}
	list_add(&loop->live, src);
	return src;
}

int loop_source_set_events(struct loop_source *src, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	if (epoll_ctl(src->loop->epfd, EPOLL_CTL_MOD, src->fd, &ev) < 0)
		return -errno;
	return 0;
}

void loop_remove(struct loop_source *src)
{
	struct loop *loop;

	if (!src || src->dead)
		return;
	loop = src->loop;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, src->fd, NULL);
	src->dead = true;
	list_del(&loop->live, src);
	list_add(&loop->dead, src);
}

static void free_dead(struct loop *loop)
{
	struct loop_source *s;

	while ((s = loop->dead)) {
		list_del(&loop->dead, s);
		free(s);
	}
}

static void timer_ready(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct loop_timer *t = arg;
	uint64_t expirations;

	/* EAGAIN: re-armed or disarmed since epoll saw it; nothing is due. */
	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	t->cb(t, t->arg);
}

struct loop_timer *loop_timer_new(struct loop *loop, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t;
	int fd, e;

	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		goto err;
	t->cb = cb;
	t->arg = arg;
	t->src = loop_add_fd(loop, fd, EPOLLIN, timer_ready, t);
	if (!t->src) {
		e = errno;
		close(fd);
		errno = e;
		goto err;
	}
	return t;
err:
	e = errno;
	free(t);
	errno = e;
	return NULL;
}

static struct timespec ms_to_ts(uint64_t ms)
{
	return (struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
}

int loop_timer_set(struct loop_timer *t, uint64_t after_ms, uint64_t every_ms)
{
	struct itimerspec its = {
		.it_value = ms_to_ts(after_ms),
		.it_interval = after_ms ? ms_to_ts(every_ms) : ms_to_ts(0),
	};

	/* timerfd_settime() zeroes the expirations counted under the old
	 * setting, so none of them is delivered. Reading the fd afterwards to
	 * drop them would be a race: a short new timeout (curl asks for 1 ms)
	 * can expire before that read, which then swallows it for good.
	 */
	if (timerfd_settime(t->src->fd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

void loop_timer_free(struct loop_timer *t)
{
	if (!t)
		return;
	loop_remove(t->src);
	close(t->src->fd);
	free(t);
}

static void signal_ready(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct loop *loop = arg;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			loop->stop = true;
			loop->stop_signal = si.ssi_signo;
			return;
		case SIGHUP:
			if (loop->reload)
				loop->reload(loop->reload_arg);
			break;
		}
	}
}

struct loop *loop_new(void)
{
	struct loop *loop;
	sigset_t mask;
	int e;

	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return NULL;
	loop->sigfd = -1;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto err_free;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, &loop->old_mask) < 0)
		goto err_epoll;
	/* An ignored signal is discarded before a signalfd can see it, and
	 * nohup or a careless parent may have left these ignored.
	 */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	loop->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (loop->sigfd < 0)
		goto err_mask;
	loop->sig_src = loop_add_fd(loop, loop->sigfd, EPOLLIN, signal_ready, loop);
	if (!loop->sig_src)
		goto err_sigfd;
	return loop;

err_sigfd:
	e = errno;
	close(loop->sigfd);
	errno = e;
err_mask:
	e = errno;
	sigprocmask(SIG_SETMASK, &loop->old_mask, NULL);
	errno = e;
err_epoll:
	e = errno;
	close(loop->epfd);
	errno = e;
err_free:
	e = errno;
	free(loop);
	errno = e;
	return NULL;
}

void loop_free(struct loop *loop)
{
	struct signalfd_siginfo si;
	struct loop_source *s;

	if (!loop)
		return;
	/* Timers own their timerfd and their struct; plain sources' fds belong
	 * to whoever added them and are left open.
	 */
	while ((s = loop->live)) {
		if (s->cb == timer_ready) {
			loop_timer_free(s->arg);
		} else {
			loop_remove(s);
		}
	}
	free_dead(loop);
	/* A signal still pending would hit its default action (death) once
	 * unblocked: the loop is being torn down on purpose, so discard it.
	 */
	while (read(loop->sigfd, &si, sizeof(si)) == sizeof(si))
		;
	close(loop->sigfd);
	close(loop->epfd);
	sigprocmask(SIG_SETMASK, &loop->old_mask, NULL);
	free(loop);
}

void loop_set_reload(struct loop *loop, loop_reload_cb cb, void *arg)
{
	loop->reload = cb;
	loop->reload_arg = arg;
}

void loop_stop(struct loop *loop)
{
	loop->stop = true;
}

int loop_run(struct loop *loop)
{
	struct epoll_event evs[32];
	struct loop_source *src;
	int i, n;

	loop->stop = false;
	loop->stop_signal = 0;
	while (!loop->stop) {
		n = epoll_wait(loop->epfd, evs, 32, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < n && !loop->stop; i++) {
			src = evs[i].data.ptr;
			if (!src->dead)
				src->cb(src, src->fd, evs[i].events, src->arg);
		}
		free_dead(loop);
	}
	return loop->stop_signal;
}
