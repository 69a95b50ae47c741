/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's log: stderr in the foreground, syslog in the background (or both
 * with log.syslog). Writing a message never blocks the event loop: when the
 * reader is slow, messages are dropped and the drop is reported later.
 */
#ifndef HERALDD_LOG_H
#define HERALDD_LOG_H

#include <stdbool.h>

/* Ordered by verbosity: a level shows itself and everything before it. */
enum log_level {
	LOGL_ERROR,
	LOGL_WARNING,
	LOGL_INFO,
	LOGL_DEBUG,
};

/* Where messages go; may be called again to change it (configuration reload). */
void log_open(const char *ident, bool to_stderr, bool to_syslog);
void log_close(void);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Messages lost so far because stderr or syslog could not take them. */
unsigned long log_dropped(void);

void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_write(LOGL_ERROR, __VA_ARGS__)
#define log_warn(...) log_write(LOGL_WARNING, __VA_ARGS__)
#define log_info(...) log_write(LOGL_INFO, __VA_ARGS__)
#define log_debug(...) log_write(LOGL_DEBUG, __VA_ARGS__)

#endif
