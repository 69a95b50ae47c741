// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd's log: level filtering, the stderr format, and the promise that a
 * reader who does not read never blocks the daemon. stderr is swapped for a
 * pipe during each check and restored before any assertion.
 *
 * Headers are named by path: kmod/ is on the include path first and may
 * hold files of the same names.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/log.h"

static int saved_stderr = -1;

/* Point fd 2 at a fresh pipe; returns its read end. */
static int swap_stderr(void)
{
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fds[1], 2);
	close(fds[1]);
	return fds[0];
}

static void restore_stderr(void)
{
	log_close();
	dup2(saved_stderr, 2);
	close(saved_stderr);
}

static void levels_and_format(void **state)
{
	char buf[512];
	ssize_t n;
	int rd;

	rd = swap_stderr();
	assert_true(rd >= 0);
	log_open("heraldd-test", true, false);
	log_set_level(LOGL_WARNING);
	log_error("e %d", 1);
	log_warn("w");
	log_info("not shown");
	log_debug("not shown");
	log_set_level(LOGL_DEBUG);
	log_debug("d");
	restore_stderr();

	n = read(rd, buf, sizeof(buf) - 1);
	close(rd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "heraldd-test: error: e 1\n"
			    "heraldd-test: warning: w\n"
			    "heraldd-test: debug: d\n");
}

static void long_message_truncated(void **state)
{
	char big[3000], buf[4096];
	ssize_t n;
	int rd;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rd = swap_stderr();
	assert_true(rd >= 0);
	log_open("t", true, false);
	log_set_level(LOGL_INFO);
	log_info("%s", big);
	restore_stderr();

	n = read(rd, buf, sizeof(buf) - 1);
	close(rd);
	assert_true(n > 0 && n < 1200);
	buf[n] = '\0';
	/* One line, cut with a visible mark. */
	assert_int_equal(buf[n - 1], '\n');
	assert_non_null(strstr(buf, "a...\n"));
	assert_ptr_equal(strchr(buf, '\n'), buf + n - 1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void full_pipe_never_blocks(void **state)
{
	unsigned long dropped_before;
	char buf[65536 * 2];
	double start, took;
	int i, rd;
	ssize_t n;

	rd = swap_stderr();
	assert_true(rd >= 0);
	log_open("t", true, false);
	log_set_level(LOGL_INFO);
	dropped_before = log_dropped();
	/* Far more than a pipe holds; a blocking write would hang here. */
	start = now();
	for (i = 0; i < 5000; i++)
		log_info("message %d with some padding to fill the pipe quickly", i);
	took = now() - start;
	/* Drain, then the next message must report the loss first. */
	fcntl(rd, F_SETFL, O_NONBLOCK);
	while (read(rd, buf, sizeof(buf)) > 0)
		;
	log_info("after");
	restore_stderr();

	n = read(rd, buf, sizeof(buf) - 1);
	close(rd);
	assert_true(took < 5.0);
	assert_true(log_dropped() > dropped_before);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "t: warning: "));
	assert_non_null(strstr(buf, " log messages dropped\nt: info: after\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels_and_format),
		cmocka_unit_test(long_message_truncated),
		cmocka_unit_test(full_pipe_never_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
