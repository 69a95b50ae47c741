// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl's command line: keyword matching, on/off, "policy set" parsing,
 * dispatch through command tables and the global options. Everything here
 * fails before any netlink socket is opened, so it runs anywhere.
 *
 * Headers are named by path: kmod/ is on the include path first and has
 * files of the same names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/heraldctl/heraldctl.h"

static char *err_buf;
static size_t err_len;

static int capture_errors(void **state)
{
	ctl_errfp = open_memstream(&err_buf, &err_len);
	return ctl_errfp ? 0 : -1;
}

static int release_errors(void **state)
{
	fclose(ctl_errfp);
	ctl_errfp = NULL;
	free(err_buf);
	err_buf = NULL;
	return 0;
}

/* Everything reported since the last call. */
static const char *errors(void)
{
	static char last[1024];

	/* After fflush, err_len is the stream's position: what was written
	 * since the rewind, whatever older bytes lie beyond it.
	 */
	fflush(ctl_errfp);
	snprintf(last, sizeof(last), "%.*s", (int)err_len, err_buf ? err_buf : "");
	rewind(ctl_errfp);
	return last;
}

static void keyword_exact_only(void **state)
{
	static const char *const words[] = { "show", "set", "stream", NULL };

	assert_int_equal(match_keyword("show", words), 0);
	assert_int_equal(match_keyword("set", words), 1);
	assert_int_equal(match_keyword("stream", words), 2);
	/* No abbreviations, no case folding, no trailing junk. */
	assert_int_equal(match_keyword("s", words), -1);
	assert_int_equal(match_keyword("sh", words), -1);
	assert_int_equal(match_keyword("Show", words), -1);
	assert_int_equal(match_keyword("shows", words), -1);
	assert_int_equal(match_keyword("", words), -1);
	assert_int_equal(match_keyword(NULL, words), -1);
}

static void on_off(void **state)
{
	assert_int_equal(parse_on_off("on"), 1);
	assert_int_equal(parse_on_off("off"), 0);
	assert_int_equal(parse_on_off("ON"), -1);
	assert_int_equal(parse_on_off("1"), -1);
	assert_int_equal(parse_on_off("yes"), -1);
	assert_int_equal(parse_on_off("o"), -1);
	assert_int_equal(parse_on_off(""), -1);
	assert_int_equal(parse_on_off(NULL), -1);
}

static int parse(struct policy_req *req, int argc, ...)
{
	char *argv[8];
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return policy_set_parse("policy set", argc, argv, req);
}

static void policy_set_args(void **state)
{
	struct policy_req req;

	assert_int_equal(parse(&req, 2, "require-encryption", "on"), 0);
	assert_int_equal(req.require_encryption, 1);
	assert_int_equal(parse(&req, 2, "require-encryption", "off"), 0);
	assert_int_equal(req.require_encryption, 0);
	assert_string_equal(errors(), "");

	assert_int_equal(parse(&req, 0), -1);
	assert_string_equal(errors(), "heraldctl: policy set: nothing to set; usage: "
			    "heraldctl policy set require-encryption on|off\n");
	assert_int_equal(parse(&req, 1, "require-encryption"), -1);
	assert_string_equal(errors(), "heraldctl: policy set: require-encryption needs a value: on or off\n");
	assert_int_equal(parse(&req, 2, "require-encryption", "maybe"), -1);
	assert_string_equal(errors(), "heraldctl: policy set: require-encryption: "
			    "expected \"on\" or \"off\", not \"maybe\"\n");
	assert_int_equal(parse(&req, 2, "require", "on"), -1);
	assert_string_equal(errors(), "heraldctl: policy set: unknown setting \"require\"; "
			    "known: require-encryption\n");
	assert_int_equal(parse(&req, 4, "require-encryption", "on", "require-encryption", "off"), -1);
	assert_string_equal(errors(), "heraldctl: policy set: require-encryption given twice\n");
}

/* A fake table records what dispatch ran and with which words. */
static char ran[256];

static int fake_run(const char *path, int argc, char **argv)
{
	int i, n;

	n = snprintf(ran, sizeof(ran), "[%s]", path);
	for (i = 0; i < argc; i++)
		n += snprintf(ran + n, sizeof(ran) - n, " %s", argv[i]);
	return 7;
}

static const struct cmd fake_cmds[] = {
	{ "show", fake_run, "" },
	{ "set", fake_run, "" },
	{ NULL, NULL, NULL },
};

static void dispatch(void **state)
{
	char *set[] = { "set", "a", "b" };
	char *bad[] = { "sho" };

	assert_int_equal(cmd_dispatch(fake_cmds, NULL, "obj", 3, set), 7);
	assert_string_equal(ran, "[obj set] a b");
	assert_int_equal(cmd_dispatch(fake_cmds, "show", "obj", 0, NULL), 7);
	assert_string_equal(ran, "[obj show]");
	assert_int_equal(cmd_dispatch(fake_cmds, NULL, "", 1, set), 7);
	assert_string_equal(ran, "[set]");
	assert_string_equal(errors(), "");

	assert_int_equal(cmd_dispatch(fake_cmds, NULL, "obj", 1, bad), 1);
	assert_string_equal(errors(), "heraldctl: obj: unknown command \"sho\"; try \"heraldctl obj help\"\n");
	assert_int_equal(cmd_dispatch(fake_cmds, NULL, "obj", 0, NULL), 1);
	assert_string_equal(errors(), "heraldctl: obj: missing command; try \"heraldctl obj help\"\n");
}

static int run(int argc, ...)
{
	char *argv[8] = { "heraldctl" };
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 1; i <= argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc + 1] = NULL;
	return heraldctl_run(argc + 1, argv);
}

static void global_options(void **state)
{
	assert_int_equal(run(1, "-x"), 1);
	assert_string_equal(errors(), "heraldctl: unknown option \"-x\"; try \"heraldctl --help\"\n");
	assert_int_equal(run(2, "-jx", "info"), 1);
	assert_string_equal(errors(), "heraldctl: unknown option \"-x\"; try \"heraldctl --help\"\n");
	assert_int_equal(run(1, "--bogus"), 1);
	assert_string_equal(errors(), "heraldctl: unknown option \"--bogus\"; try \"heraldctl --help\"\n");
	/* No command: usage on the error stream, failure. */
	assert_int_equal(run(1, "-j"), 1);
	assert_non_null(strstr(errors(), "Usage: heraldctl [OPTIONS] COMMAND"));
}

static void top_level_errors(void **state)
{
	assert_int_equal(run(1, "bogus"), 1);
	assert_string_equal(errors(), "heraldctl: unknown command \"bogus\"; try \"heraldctl help\"\n");
	assert_int_equal(run(1, "inf"), 1);
	assert_string_equal(errors(), "heraldctl: unknown command \"inf\"; try \"heraldctl help\"\n");
	assert_int_equal(run(2, "policy", "bogus"), 1);
	assert_string_equal(errors(), "heraldctl: policy: unknown command \"bogus\"; "
			    "try \"heraldctl policy help\"\n");
	/* Arguments are checked before the module is asked anything. */
	assert_int_equal(run(4, "-j", "policy", "set", "require-encryption"), 1);
	assert_string_equal(errors(), "heraldctl: policy set: require-encryption needs a value: on or off\n");
	assert_int_equal(run(2, "info", "extra"), 1);
	assert_string_equal(errors(), "heraldctl: info: unexpected argument \"extra\"\n");
	assert_int_equal(run(3, "policy", "show", "extra"), 1);
	assert_string_equal(errors(), "heraldctl: policy show: unexpected argument \"extra\"\n");
	assert_int_equal(run(2, "monitor", "all"), 1);
	assert_string_equal(errors(), "heraldctl: monitor: unexpected argument \"all\"\n");
	assert_int_equal(run(2, "version", "x"), 1);
	assert_string_equal(errors(), "heraldctl: version: unexpected argument \"x\"\n");
}

/* The object commands check their words before opening a socket. */
static void object_commands(void **state)
{
	assert_int_equal(run(4, "output", "add", "dst", "239.1.2.3"), 1);
	assert_string_equal(errors(), "heraldctl: output add: missing \"port PORT\"\n");
	assert_int_equal(run(3, "stream", "del", "7"), 1);
	assert_string_equal(errors(), "heraldctl: stream del: unknown argument \"7\"; "
			    "try \"heraldctl stream help\"\n");
	assert_int_equal(run(2, "stream", "del"), 1);
	assert_string_equal(errors(), "heraldctl: stream del: missing \"id N\"\n");
	assert_int_equal(run(3, "output", "show", "id"), 1);
	assert_string_equal(errors(), "heraldctl: output show: \"id\" needs a value\n");
	assert_int_equal(run(1, "key"), 1);
	assert_string_equal(errors(), "heraldctl: key: missing command; try \"heraldctl key help\"\n");
	assert_int_equal(run(2, "key", "show"), 1);
	assert_string_equal(errors(), "heraldctl: key: unknown command \"show\"; "
			    "try \"heraldctl key help\"\n");
	assert_int_equal(run(5, "key", "del", "stream", "1", "mki"), 1);
	assert_string_equal(errors(), "heraldctl: key del: \"mki\" needs a value\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyword_exact_only),
		cmocka_unit_test(on_off),
		cmocka_unit_test(policy_set_args),
		cmocka_unit_test(dispatch),
		cmocka_unit_test(global_options),
		cmocka_unit_test(top_level_errors),
		cmocka_unit_test(object_commands),
	};

	return cmocka_run_group_tests(tests, capture_errors, release_errors);
}
