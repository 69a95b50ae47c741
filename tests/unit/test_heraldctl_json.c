// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl's JSON writer and print_* layer: escaping, structure, misuse
 * detection, and both output modes of every print_* call.
 *
 * Headers are named by path: kmod/ is on the include path first and has
 * files of the same names.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../tools/heraldctl/json.h"
#include "../../tools/heraldctl/output.h"

struct membuf {
	char *buf;
	size_t len;
	FILE *fp;
};

static void mb_open(struct membuf *mb)
{
	mb->buf = NULL;
	mb->len = 0;
	mb->fp = open_memstream(&mb->buf, &mb->len);
	assert_non_null(mb->fp);
}

/* Close the stream and return what was written; the caller frees it. */
static char *mb_close(struct membuf *mb)
{
	fclose(mb->fp);
	return mb->buf;
}

static void check_escape(const char *in, const char *want)
{
	struct membuf mb;
	char *got;

	mb_open(&mb);
	jw_escape(mb.fp, in);
	got = mb_close(&mb);
	assert_string_equal(got, want);
	free(got);
}

static void escape_specials(void **state)
{
	check_escape("plain", "plain");
	check_escape("", "");
	check_escape("say \"hi\"", "say \\\"hi\\\"");
	check_escape("back\\slash", "back\\\\slash");
	check_escape("a/b", "a/b");
	check_escape("\b\f\n\r\t", "\\b\\f\\n\\r\\t");
}

static void escape_control(void **state)
{
	check_escape("\x01", "\\u0001");
	check_escape("x\x1fy", "x\\u001fy");
	check_escape("\x1b[31m", "\\u001b[31m");
	check_escape("\x7f", "\\u007f");
}

static void escape_utf8_valid(void **state)
{
	/* Valid UTF-8 passes through as is: é, €, U+1F4E2, U+10FFFF. */
	check_escape("caf\xc3\xa9", "caf\xc3\xa9");
	check_escape("\xe2\x82\xac", "\xe2\x82\xac");
	check_escape("\xf0\x9f\x93\xa2", "\xf0\x9f\x93\xa2");
	check_escape("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
}

static void escape_utf8_invalid(void **state)
{
	check_escape("\xff", "\\ufffd");
	check_escape("a\x80z", "a\\ufffdz");			/* lone continuation */
	check_escape("\xc0\x80", "\\ufffd\\ufffd");		/* overlong NUL */
	check_escape("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd");	/* overlong '/' */
	check_escape("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");	/* surrogate D800 */
	check_escape("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* > U+10FFFF */
	check_escape("\xe2\x82", "\\ufffd\\ufffd");		/* truncated at the end */
	check_escape("\xe2\x82x", "\\ufffd\\ufffdx");		/* truncated mid-string */
}

static void structure_compact(void **state)
{
	struct json_writer jw;
	struct membuf mb;
	char *got;

	mb_open(&mb);
	jw_init(&jw, mb.fp, false);
	jw_object_open(&jw);
	jw_key(&jw, "name");
	jw_string(&jw, "a\"b");
	jw_key(&jw, "n");
	jw_u64(&jw, UINT64_MAX);
	jw_key(&jw, "neg");
	jw_s64(&jw, INT64_MIN);
	jw_key(&jw, "list");
	jw_array_open(&jw);
	jw_bool(&jw, true);
	jw_bool(&jw, false);
	jw_null(&jw);
	jw_object_open(&jw);
	jw_object_close(&jw);
	jw_array_open(&jw);
	jw_array_close(&jw);
	jw_array_close(&jw);
	jw_key(&jw, "k\n");
	jw_u64(&jw, 0);
	jw_object_close(&jw);
	assert_int_equal(jw_finish(&jw), 0);
	got = mb_close(&mb);
	assert_string_equal(got, "{\"name\":\"a\\\"b\",\"n\":18446744073709551615,"
			    "\"neg\":-9223372036854775808,\"list\":[true,false,null,{},[]],"
			    "\"k\\n\":0}");
	free(got);
}

static void structure_pretty(void **state)
{
	struct json_writer jw;
	struct membuf mb;
	char *got;

	mb_open(&mb);
	jw_init(&jw, mb.fp, true);
	jw_object_open(&jw);
	jw_key(&jw, "a");
	jw_u64(&jw, 1);
	jw_key(&jw, "b");
	jw_array_open(&jw);
	jw_string(&jw, "x");
	jw_object_open(&jw);
	jw_object_close(&jw);
	jw_array_close(&jw);
	jw_key(&jw, "c");
	jw_array_open(&jw);
	jw_array_close(&jw);
	jw_object_close(&jw);
	assert_int_equal(jw_finish(&jw), 0);
	got = mb_close(&mb);
	assert_string_equal(got, "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {}\n  ],\n  \"c\": []\n}");
	free(got);
}

/* Each misuse must be refused and reported, never turned into bad JSON. */
static void structure_misuse(void **state)
{
	struct json_writer jw;
	struct membuf mb;
	unsigned int i;
	char *got;

	mb_open(&mb);

	jw_init(&jw, mb.fp, false);		/* key inside an array */
	jw_array_open(&jw);
	jw_key(&jw, "k");
	jw_array_close(&jw);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* value without a key */
	jw_object_open(&jw);
	jw_u64(&jw, 1);
	jw_object_close(&jw);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* key without a value */
	jw_object_open(&jw);
	jw_key(&jw, "k");
	jw_object_close(&jw);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* wrong closer */
	jw_object_open(&jw);
	jw_array_close(&jw);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* left open */
	jw_array_open(&jw);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* two top-level values */
	jw_u64(&jw, 1);
	jw_u64(&jw, 2);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* nothing at all */
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* too deep */
	for (i = 0; i <= JW_MAX_DEPTH; i++)
		jw_array_open(&jw);
	assert_int_equal(jw_finish(&jw), -EINVAL);

	jw_init(&jw, mb.fp, false);		/* deepest allowed is fine */
	for (i = 0; i < JW_MAX_DEPTH; i++)
		jw_array_open(&jw);
	for (i = 0; i < JW_MAX_DEPTH; i++)
		jw_array_close(&jw);
	assert_int_equal(jw_finish(&jw), 0);

	got = mb_close(&mb);
	free(got);
}

static void print_json_mode(void **state)
{
	struct membuf mb;
	char *got;

	mb_open(&mb);
	output_init(mb.fp, true, false);
	output_begin();
	print_string(PRINT_ANY, "version", "version %s\n", "0.1\"x");
	print_uint(PRINT_ANY, "n", "n %u\n", 4000000000u);
	print_u64(PRINT_JSON, "big", "%llu", (unsigned long long)UINT64_MAX);
	print_on_off(PRINT_ANY, "on", "on %s\n", true);
	print_on_off(PRINT_ANY, "off", "off %s\n", false);
	print_string(PRINT_FP, "hidden", "%s", "human only");
	print_text("human text\n");
	print_json_null("none");
	open_json_object("policy");
	print_on_off(PRINT_ANY, "require_encryption", "%s", false);
	close_json_object();
	open_json_array("features");
	print_string(PRINT_ANY, NULL, " %s", "policy");
	print_string(PRINT_ANY, NULL, " %s", "stream");
	close_json_array();
	assert_int_equal(output_end(), 0);
	got = mb_close(&mb);
	assert_string_equal(got, "{\"version\":\"0.1\\\"x\",\"n\":4000000000,"
			    "\"big\":18446744073709551615,\"on\":true,\"off\":false,"
			    "\"none\":null,\"policy\":{\"require_encryption\":false},"
			    "\"features\":[\"policy\",\"stream\"]}\n");
	free(got);
}

static void print_human_mode(void **state)
{
	struct membuf mb;
	char *got;

	mb_open(&mb);
	output_init(mb.fp, false, false);
	output_begin();
	print_string(PRINT_ANY, "version", "version %s\n", "0.1\"x");
	print_uint(PRINT_ANY, "n", "n %u\n", 42u);
	print_u64(PRINT_JSON, "big", "%llu", (unsigned long long)UINT64_MAX);
	print_on_off(PRINT_ANY, "on", "on %s 100%%\n", true);
	print_on_off(PRINT_ANY, "off", "off %s\n", false);
	print_text("text %d\n", 7);
	print_json_null("none");
	open_json_object("policy");
	close_json_object();
	open_json_array("features");
	print_string(PRINT_ANY, NULL, " %s", "policy");
	close_json_array();
	assert_int_equal(output_end(), 0);
	got = mb_close(&mb);
	assert_string_equal(got, "version 0.1\"x\nn 42\non on 100%\noff off\ntext 7\n policy");
	free(got);
}

/* heraldctl monitor -j: one complete document per line. */
static void print_documents_per_line(void **state)
{
	struct membuf mb;
	char *got;

	mb_open(&mb);
	output_init(mb.fp, true, false);
	output_begin();
	print_string(PRINT_ANY, "event", "%s", "policy");
	assert_int_equal(output_end(), 0);
	output_begin();
	print_uint(PRINT_ANY, "cmd", "%u", 9u);
	assert_int_equal(output_end(), 0);
	got = mb_close(&mb);
	assert_string_equal(got, "{\"event\":\"policy\"}\n{\"cmd\":9}\n");
	free(got);
}

static void print_unbalanced_reported(void **state)
{
	struct membuf mb;
	char *got;

	mb_open(&mb);
	output_init(mb.fp, true, false);
	output_begin();
	open_json_array("a");
	assert_int_equal(output_end(), -EINVAL);
	got = mb_close(&mb);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_specials),
		cmocka_unit_test(escape_control),
		cmocka_unit_test(escape_utf8_valid),
		cmocka_unit_test(escape_utf8_invalid),
		cmocka_unit_test(structure_compact),
		cmocka_unit_test(structure_pretty),
		cmocka_unit_test(structure_misuse),
		cmocka_unit_test(print_json_mode),
		cmocka_unit_test(print_human_mode),
		cmocka_unit_test(print_documents_per_line),
		cmocka_unit_test(print_unbalanced_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
