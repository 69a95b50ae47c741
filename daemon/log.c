// SPDX-License-Identifier: GPL-2.0
/*
 * Logging that never blocks.
 *
 * glibc's syslog() sends on a blocking socket and stdio blocks on a full
 * pipe; either would stall the single-threaded daemon behind a slow journal
 * or a stopped terminal. So every message is formatted into one buffer and
 * written with one non-blocking call: to syslog through our own datagram
 * socket on /dev/log, to stderr through a private non-blocking open file
 * description (reopened from /proc/self/fd/2, so the O_NONBLOCK flag does not
 * leak into the shell's terminal) or send(MSG_DONTWAIT) when stderr is a
 * socket (systemd's journal stream). What cannot be written at once is
 * dropped, counted, and reported with the next message that gets through.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_MSG_MAX 1024

static struct {
	const char *ident;
	enum log_level level;
	bool to_stderr;
	bool to_syslog;
	int err_fd;		/* stderr, non-blocking; -1 if not logging there */
	bool err_owned;		/* err_fd is our reopened description */
	bool err_is_sock;
	int err_restore_flags;	/* fd 2's flags to put back, or -1 */
	int sys_fd;		/* connected to /dev/log, or -1 */
	unsigned long dropped_err, dropped_sys;	/* lost since the last success */
	unsigned long dropped;				/* lost in all */
} lg = {
	.ident = "heraldd",
	.level = LOGL_INFO,
	.to_stderr = true,
	.err_fd = 2,
	.err_restore_flags = -1,
	.sys_fd = -1,
};

static const char *const level_names[] = {
	[LOGL_ERROR] = "error",
	[LOGL_WARNING] = "warning",
	[LOGL_INFO] = "info",
	[LOGL_DEBUG] = "debug",
};

static const int level_prio[] = {
	[LOGL_ERROR] = LOG_ERR,
	[LOGL_WARNING] = LOG_WARNING,
	[LOGL_INFO] = LOG_INFO,
	[LOGL_DEBUG] = LOG_DEBUG,
};

static void stderr_close(void)
{
	if (lg.err_owned)
		close(lg.err_fd);
	if (lg.err_restore_flags >= 0)
		fcntl(2, F_SETFL, lg.err_restore_flags);
	lg.err_restore_flags = -1;
	lg.err_fd = -1;
	lg.err_owned = false;
	lg.err_is_sock = false;
}

static void stderr_open(void)
{
	struct stat st;
	int fd, flags;

	stderr_close();
	if (fstat(2, &st) < 0)
		return;
	lg.err_fd = 2;
	if (S_ISSOCK(st.st_mode)) {
		lg.err_is_sock = true;
		return;
	}
	if (S_ISREG(st.st_mode))
		return;		/* a file never makes us wait for a reader */
	fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_APPEND);
	if (fd >= 0) {
		lg.err_fd = fd;
		lg.err_owned = true;
		return;
	}
	/* No /proc: setting O_NONBLOCK on the shared description is the only
	 * way left; stderr_close() puts the old flags back.
	 */
	flags = fcntl(2, F_GETFL);
	if (flags >= 0 && !(flags & O_NONBLOCK) && fcntl(2, F_SETFL, flags | O_NONBLOCK) == 0)
		lg.err_restore_flags = flags;
}

static void syslog_close(void)
{
	if (lg.sys_fd >= 0)
		close(lg.sys_fd);
	lg.sys_fd = -1;
}

static void syslog_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	int fd;

	syslog_close();
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return;
	}
	lg.sys_fd = fd;
}

void log_open(const char *ident, bool to_stderr, bool to_syslog)
{
	lg.ident = ident;
	lg.to_stderr = to_stderr;
	lg.to_syslog = to_syslog;
	if (to_stderr)
		stderr_open();
	else
		stderr_close();
	if (to_syslog)
		syslog_connect();
	else
		syslog_close();
}

void log_close(void)
{
	stderr_close();
	syslog_close();
	lg.to_stderr = lg.to_syslog = false;
}

void log_set_level(enum log_level level)
{
	lg.level = level;
}

enum log_level log_get_level(void)
{
	return lg.level;
}

unsigned long log_dropped(void)
{
	return lg.dropped;
}

/* One write, never waiting. Returns false if the message was not taken. */
static bool stderr_put(const char *buf, size_t len)
{
	ssize_t n;

	if (lg.err_is_sock)
		n = send(lg.err_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	else
		n = write(lg.err_fd, buf, len);
	return n >= 0;
}

static bool syslog_put(const char *buf, size_t len)
{
	if (lg.sys_fd < 0)
		syslog_connect();
	if (lg.sys_fd < 0)
		return false;
	if (send(lg.sys_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
		return true;
	if (errno != ECONNREFUSED && errno != ENOTCONN)
		return false;
	/* The syslog daemon restarted: reconnect once. */
	syslog_connect();
	return lg.sys_fd >= 0 && send(lg.sys_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0;
}

/* Frame @msg for @to_syslog's channel into @buf; returns its length. */
static size_t frame(char *buf, size_t size, bool to_syslog, enum log_level level, const char *msg)
{
	char stamp[32];
	struct tm tm;
	time_t now;
	int n;

	if (to_syslog) {
		/* RFC 3164 framing, as the syslog daemons on Debian expect. */
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
		n = snprintf(buf, size, "<%d>%s %s[%d]: %s", LOG_DAEMON | level_prio[level],
			     stamp, lg.ident, (int)getpid(), msg);
	} else {
		n = snprintf(buf, size, "%s: %s: %s\n", lg.ident, level_names[level], msg);
	}
	if (n < 0)
		return 0;
	if ((size_t)n >= size) {
		n = size - 1;
		if (!to_syslog)
			buf[n - 1] = '\n';
	}
	return n;
}

/* Write to one channel; first say how many messages it lost before. */
static void emit(bool to_syslog, unsigned long *pending, enum log_level level, const char *msg)
{
	char buf[LOG_MSG_MAX + 128];
	char note[64];
	size_t len;
	bool ok;

	if (*pending) {
		snprintf(note, sizeof(note), "%lu log messages dropped", *pending);
		len = frame(buf, sizeof(buf), to_syslog, LOGL_WARNING, note);
		ok = to_syslog ? syslog_put(buf, len) : stderr_put(buf, len);
		if (!ok) {
			(*pending)++;
			lg.dropped++;
			return;
		}
		*pending = 0;
	}
	len = frame(buf, sizeof(buf), to_syslog, level, msg);
	ok = to_syslog ? syslog_put(buf, len) : stderr_put(buf, len);
	if (!ok) {
		(*pending)++;
		lg.dropped++;
	}
}

void log_write(enum log_level level, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	va_list ap;
	int n;

	if (level > lg.level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	if (lg.to_stderr && lg.err_fd >= 0)
		emit(false, &lg.dropped_err, level, msg);
	if (lg.to_syslog)
		emit(true, &lg.dropped_sys, level, msg);
}
