// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd's configuration parser: a table with every value type, then
 * heraldd's own keys. Every rejection is checked down to its message.
 *
 * Headers are named by path: kmod/ is on the include path first and may
 * hold files of the same names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/config.h"
#include "../../daemon/log.h"

struct test_cfg {
	char name[8];
	bool flag;
	int count;
	int mode;
};

static const char *const modes[] = { "fast", "slow", NULL };

static const struct cfg_key test_keys[] = {
	CFG_KEY_STRING("name", struct test_cfg, name),
	CFG_KEY_BOOL("flag", struct test_cfg, flag),
	CFG_KEY_INT("count", struct test_cfg, count, -5, 100),
	CFG_KEY_ENUM("mode", struct test_cfg, mode, modes),
	{ .name = NULL },
};

static char err[512];

static int parse(struct test_cfg *cfg, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(fp);
	*cfg = (struct test_cfg){ .name = "dflt", .flag = false, .count = 1, .mode = 1 };
	err[0] = '\0';
	ret = config_parse(test_keys, cfg, fp, "t.conf", err, sizeof(err));
	fclose(fp);
	return ret;
}

static void good_file(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg,
			       "# a comment\n"
			       "name = abc\n"
			       "flag = yes\n"
			       "count = -5\n"
			       "mode = fast\n"), 0);
	assert_string_equal(cfg.name, "abc");
	assert_true(cfg.flag);
	assert_int_equal(cfg.count, -5);
	assert_int_equal(cfg.mode, 0);
	assert_string_equal(err, "");
}

static void defaults_kept(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, ""), 0);
	assert_string_equal(cfg.name, "dflt");
	assert_int_equal(cfg.count, 1);
	assert_int_equal(cfg.mode, 1);
	assert_int_equal(parse(&cfg, "count = 7\n"), 0);
	assert_int_equal(cfg.count, 7);
	assert_string_equal(cfg.name, "dflt");
}

static void comments_and_whitespace(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg,
			       "\n"
			       "   \t\n"
			       "#count = 50\n"
			       "   # indented comment = with equals\n"
			       "\tcount\t=\t42 \t\r\n"
			       "name=x y\n"
			       "  flag   =   on"), 0);	/* no final newline */
	assert_int_equal(cfg.count, 42);
	assert_string_equal(cfg.name, "x y");
	assert_true(cfg.flag);
}

static void bools(void **state)
{
	static const char *const on[] = { "on", "yes", "true" };
	static const char *const off[] = { "off", "no", "false" };
	struct test_cfg cfg;
	char line[64];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		snprintf(line, sizeof(line), "flag = %s\n", on[i]);
		assert_int_equal(parse(&cfg, line), 0);
		assert_true(cfg.flag);
		snprintf(line, sizeof(line), "flag = %s\n", off[i]);
		assert_int_equal(parse(&cfg, line), 0);
		assert_false(cfg.flag);
	}
	assert_int_equal(parse(&cfg, "flag = 1\n"), -1);
	assert_string_equal(err, "t.conf:1: flag: expected on/off, yes/no or true/false, not \"1\"");
	assert_int_equal(parse(&cfg, "flag = On\n"), -1);
}

static void int_range(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, "count = 100\n"), 0);
	assert_int_equal(cfg.count, 100);
	assert_int_equal(parse(&cfg, "count = 101\n"), -1);
	assert_string_equal(err, "t.conf:1: count: 101 is out of range [-5, 100]");
	assert_int_equal(parse(&cfg, "\ncount = -6\n"), -1);
	assert_string_equal(err, "t.conf:2: count: -6 is out of range [-5, 100]");
	assert_int_equal(parse(&cfg, "count = 99999999999999999999999\n"), -1);
	assert_string_equal(err, "t.conf:1: count: 99999999999999999999999 is out of range [-5, 100]");
	assert_int_equal(parse(&cfg, "count = 12abc\n"), -1);
	assert_string_equal(err, "t.conf:1: count: expected an integer, not \"12abc\"");
	assert_int_equal(parse(&cfg, "count = 0x10\n"), -1);
	assert_int_equal(parse(&cfg, "count = # none\n"), -1);
	assert_string_equal(err, "t.conf:1: count: expected an integer, not \"# none\"");
}

static void bad_enum(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, "mode = slow\n"), 0);
	assert_int_equal(cfg.mode, 1);
	assert_int_equal(parse(&cfg, "mode = medium\n"), -1);
	assert_string_equal(err, "t.conf:1: mode: expected one of fast, slow, not \"medium\"");
	assert_int_equal(parse(&cfg, "mode = FAST\n"), -1);
	/* A trailing comment is part of the value, hence rejected. */
	assert_int_equal(parse(&cfg, "mode = fast # quick\n"), -1);
	assert_string_equal(err, "t.conf:1: mode: expected one of fast, slow, not \"fast # quick\"");
}

static void string_length(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, "name = 1234567\n"), 0);
	assert_string_equal(cfg.name, "1234567");
	assert_int_equal(parse(&cfg, "name = 12345678\n"), -1);
	assert_string_equal(err, "t.conf:1: name: value too long (at most 7 bytes)");
}

static void syntax_errors(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, "count 5\n"), -1);
	assert_string_equal(err, "t.conf:1: expected \"key = value\"");
	assert_int_equal(parse(&cfg, "# ok\n= 5\n"), -1);
	assert_string_equal(err, "t.conf:2: missing key before '='");
	assert_int_equal(parse(&cfg, "count =\n"), -1);
	assert_string_equal(err, "t.conf:1: count: missing value");
	assert_int_equal(parse(&cfg, "count =   \t\n"), -1);
	assert_string_equal(err, "t.conf:1: count: missing value");
}

static void unknown_key(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, "count = 5\ncolour = red\n"), -1);
	assert_string_equal(err, "t.conf:2: unknown key \"colour\"");
	assert_int_equal(parse(&cfg, "Count = 5\n"), -1);
	assert_string_equal(err, "t.conf:1: unknown key \"Count\"");
}

static void rejected_whole(void **state)
{
	struct test_cfg cfg;

	/* Good lines before the bad one do not make it a partial success. */
	assert_int_equal(parse(&cfg, "count = 9\nname = ok\nflag = maybe\n"), -1);
	assert_string_equal(err, "t.conf:3: flag: expected on/off, yes/no or true/false, not \"maybe\"");
}

static void duplicate_key(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(parse(&cfg, "count = 1\n# x\ncount = 1\n"), -1);
	assert_string_equal(err, "t.conf:3: count: set twice (first on line 1)");
}

static void nul_byte(void **state)
{
	static const char text[] = "count = 1\0junk\n";
	struct test_cfg cfg;
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");

	assert_non_null(fp);
	assert_int_equal(config_parse(test_keys, &cfg, fp, "t.conf", err, sizeof(err)), -1);
	fclose(fp);
	assert_string_equal(err, "t.conf:1: NUL byte in line");
}

static void missing_file(void **state)
{
	struct test_cfg cfg;

	assert_int_equal(config_parse_file(test_keys, &cfg, "/nonexistent/herald.conf",
					   err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/herald.conf: No such file or directory");
}

static void write_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void heraldd_keys(void **state)
{
	struct heraldd_config cfg;
	char path[] = "/tmp/heraldd-test-XXXXXX";

	heraldd_config_defaults(&cfg);
	assert_int_equal(cfg.log_level, LOGL_INFO);
	assert_false(cfg.log_syslog);

	write_file(path, "log.level = debug\nlog.syslog = yes\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(cfg.log_level, LOGL_DEBUG);
	assert_true(cfg.log_syslog);

	/* A bad file leaves the running configuration untouched. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "log.level = error\nlog.level = loud\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: log.level: set twice (first on line 1)"));
	assert_int_equal(cfg.log_level, LOGL_DEBUG);
	assert_true(cfg.log_syslog);
	unlink(path);

	/* Every load starts from the defaults. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "log.level = warning\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(cfg.log_level, LOGL_WARNING);
	assert_false(cfg.log_syslog);

	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "log.level = verbose\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ":1: log.level: expected one of error, warning, info, debug, not \"verbose\""));
}

/* The call layer's keys are heraldd's: parsed, defaulted and cross-checked. */
static void call_keys(void **state)
{
	struct heraldd_config cfg;
	char path[] = "/tmp/heraldd-test-XXXXXX";

	heraldd_config_defaults(&cfg);
	assert_int_equal(cfg.call.max_calls, 4);
	assert_int_equal(cfg.call.srtp, MEDIA_SRTP_REQUIRED);
	assert_string_equal(cfg.call.codecs, "PCMU,PCMA,G722");

	write_file(path, "media.srtp = optional\ncall.max_calls = 2\nmedia.port_min = 20000\n"
			 "media.port_max = 20010\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(cfg.call.srtp, MEDIA_SRTP_OPTIONAL);
	assert_int_equal(cfg.call.max_calls, 2);
	assert_int_equal(cfg.call.port_min, 20000);
	assert_int_equal(cfg.call.port_max, 20010);

	/* call_config_check() runs in heraldd_config_check(): the whole file is refused. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "media.port_min = 30000\nmedia.port_max = 20000\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ": media.port_min 30000 is above media.port_max 20000"));
	assert_int_equal(cfg.call.port_min, 20000);

	heraldd_config_defaults(&cfg);
	snprintf(cfg.call.codecs, sizeof(cfg.call.codecs), "PCMU,OPUS");
	assert_int_equal(heraldd_config_check(&cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "media.codecs: unknown codec \"OPUS\" (PCMU, PCMA, G722)");
}

static void audio_keys(void **state)
{
	struct heraldd_config cfg;
	char path[] = "/tmp/heraldd-test-XXXXXX";

	heraldd_config_defaults(&cfg);
	/* No audio.card: no sink. */
	assert_string_equal(cfg.audio.card, "");
	assert_false(audio_has_card(&cfg.audio));

	/* An index. */
	write_file(path, "audio.card = 1\naudio.delay_ms = 120\naudio.emergency_volume_db = 6\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_string_equal(cfg.audio.card, "1");
	assert_int_equal(cfg.audio.delay_ms, 120);
	assert_int_equal(cfg.audio.emergency_volume_db, 6);

	/* An id, as /proc/asound/cards shows it. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = Loopback\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_string_equal(cfg.audio.card, "Loopback");

	/* Not an id: the whole file is refused and the last good one stays. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = hw:Loopback\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ": audio.card: expected an ALSA card index 0..31 or an id of "
				    "1..15 letters, digits, '_' or '-'"));
	assert_non_null(strstr(err, "not \"hw:Loopback\""));
	assert_string_equal(cfg.audio.card, "Loopback");

	/* An index out of range. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = 32\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ": audio.card: expected an ALSA card index 0..31"));

	/* Longer than herald.ko's 15 bytes. */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = SixteenCharsLong\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ":1: audio.card: value too long (at most 15 bytes)"));

	/* Empty: a missing value, not "no sink" (that is leaving the key out). */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card =\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ":1: audio.card: missing value"));
	assert_string_equal(cfg.audio.card, "Loopback");

	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = 1\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);

	/* Between areas: an 8 kHz sink cannot play the G.722 media.codecs
	 * offers, so the whole file is refused and the last good one stays.
	 */
	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = 0\naudio.rate = 8000\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, ": audio.rate 8000 cannot play G.722, which media.codecs offers"));
	assert_string_equal(cfg.audio.card, "1");

	strcpy(path, "/tmp/heraldd-test-XXXXXX");
	write_file(path, "audio.card = 0\naudio.rate = 8000\nmedia.codecs = PCMA,PCMU\n");
	assert_int_equal(heraldd_config_load(path, &cfg, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(cfg.audio.rate, 8000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_file),
		cmocka_unit_test(audio_keys),
		cmocka_unit_test(defaults_kept),
		cmocka_unit_test(comments_and_whitespace),
		cmocka_unit_test(bools),
		cmocka_unit_test(int_range),
		cmocka_unit_test(bad_enum),
		cmocka_unit_test(string_length),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(unknown_key),
		cmocka_unit_test(rejected_whole),
		cmocka_unit_test(duplicate_key),
		cmocka_unit_test(nul_byte),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(heraldd_keys),
		cmocka_unit_test(call_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
