// SPDX-License-Identifier: GPL-2.0
/*
 * Layered settings (daemon/layers.c): each file validated whole, the order
 * of the five layers, locks and what is listed when a lock stops a change,
 * secrets kept out of messages and out of group/world-readable files.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../daemon/layers.h"
#include "../../daemon/log.h"

struct tcfg {
	char name[16];
	bool flag;
	int count;
	int mode;
	char password[16];
};

static const char *const modes[] = { "fast", "slow", NULL };

static const struct cfg_key tkeys[] = {
	CFG_KEY_STRING("a.name", struct tcfg, name),
	CFG_KEY_BOOL("a.flag", struct tcfg, flag),
	CFG_KEY_INT("a.count", struct tcfg, count, 0, 100),
	CFG_KEY_ENUM("a.mode", struct tcfg, mode, modes),
	CFG_KEY_SECRET("a.password", struct tcfg, password),
	{ .name = NULL },
};

static void tdefaults(void *dst)
{
	*(struct tcfg *)dst = (struct tcfg){ .name = "dflt", .count = 1 };
}

static const struct layer_schema schema = { tkeys, sizeof(struct tcfg), tdefaults };

static char err[512];

static int parse(struct layer *l, const char *text, const char *source)
{
	err[0] = '\0';
	return layer_parse(&schema, l, text, strlen(text), source, err, sizeof(err));
}

static void parses_values_and_locks(void **state)
{
	struct layer l;

	assert_int_equal(parse(&l, "# account\n\na.name = x y\n  lock   a.count=7\n"
				   "lock a.flag = yes\r\n", "acct.conf"), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.entries[0].key->name, "a.name");
	assert_string_equal(l.entries[0].value, "x y");
	assert_false(l.entries[0].locked);
	assert_string_equal(l.entries[1].key->name, "a.count");
	assert_int_equal(l.entries[1].line, 4);
	assert_true(l.entries[1].locked);
	assert_string_equal(l.entries[2].value, "yes");
	assert_true(l.entries[2].locked);
	assert_false(l.holds_secret);
	layer_clear(&l);
}

static void rejects_file_whole(void **state)
{
	struct layer l;

	assert_int_equal(parse(&l, "a.name = ok\na.bogus = 1\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:2: unknown key \"a.bogus\"");
	assert_int_equal(l.n, 0);
	assert_null(l.entries);

	assert_int_equal(parse(&l, "a.name = n\na.count = 101\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:2: a.count: 101 is out of range [0, 100]");
	assert_int_equal(l.n, 0);

	assert_int_equal(parse(&l, "a.count = 5\na.flag = on\nlock a.count = 5\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:3: a.count: set twice (first on line 1)");
	assert_int_equal(l.n, 0);

	assert_int_equal(parse(&l, "a.mode = medium\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:1: a.mode: expected one of fast, slow, not \"medium\"");

	assert_int_equal(parse(&l, "a.flag = on\nlock a.flag = on\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:2: a.flag: set twice (first on line 1)");

	assert_int_equal(parse(&l, "lock a.flag\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:1: expected \"key = value\" or \"lock key = value\"");

	/* "lock" is only a keyword as a word of its own. */
	assert_int_equal(parse(&l, "locka.flag = on\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:1: unknown key \"locka.flag\"");

	assert_int_equal(parse(&l, "a.name =\n", "f.conf"), -1);
	assert_string_equal(err, "f.conf:1: a.name: missing value");

	assert_int_equal(layer_parse(&schema, &l, "a.name = x\0y\n", 12, "f.conf", err,
				     sizeof(err)), -1);
	assert_string_equal(err, "f.conf: NUL byte in file");
}

static void secret_never_in_messages(void **state)
{
	struct layer l;
	char buf[64];
	struct tcfg c;

	assert_int_equal(parse(&l, "a.password = hunter2hunter2hunter2\n", "s.conf"), -1);
	assert_null(strstr(err, "hunter2"));
	assert_string_equal(err, "s.conf:1: a.password: value too long (at most 15 bytes)");

	assert_int_equal(parse(&l, "a.password = hunter2\n", "s.conf"), 0);
	assert_true(l.holds_secret);
	assert_int_equal(layers_merge(&schema, (const struct layer *const[LAYER_COUNT]){
						[LAYER_LOCAL] = &l }, &c, NULL), 0);
	assert_string_equal(c.password, "hunter2");
	layer_format_value(&tkeys[4], &c, buf, sizeof(buf));
	assert_string_equal(buf, "(hidden)");
	layer_format_value(&tkeys[3], &c, buf, sizeof(buf));
	assert_string_equal(buf, "fast");
	layer_clear(&l);
}

static char *write_tmp(const char *text, mode_t mode)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/test_layers.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void secret_files_must_be_private(void **state)
{
	struct layer l;
	char *path;

	path = write_tmp("a.name = n\na.password = hunter2\n", 0640);
	assert_int_equal(layer_load_file(&schema, &l, path, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: holds a secret (a.password) but is readable by group or "
				    "others (mode 0640); refused"));
	assert_null(strstr(err, "hunter2"));
	assert_int_equal(l.n, 0);
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_equal(layer_load_file(&schema, &l, path, false, err, sizeof(err)), -1);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(layer_load_file(&schema, &l, path, false, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	layer_clear(&l);
	unlink(path);

	/* Without a secret, a readable file is fine. */
	path = write_tmp("a.name = n\n", 0644);
	assert_int_equal(layer_load_file(&schema, &l, path, false, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	layer_clear(&l);
	unlink(path);

	assert_int_equal(layer_load_file(&schema, &l, path, true, err, sizeof(err)), 1);
	assert_int_equal(l.n, 0);
	assert_int_equal(layer_load_file(&schema, &l, path, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file or directory"));
}

/* Layers from text, indexed by layer; NULL text: layer absent. */
static void build(struct layer ls[LAYER_COUNT], const struct layer *ptrs[LAYER_COUNT],
		  const char *acct, const char *group, const char *dev, const char *local)
{
	const char *texts[LAYER_COUNT] = { NULL, acct, group, dev, local };
	static const char *const names[LAYER_COUNT] = { "", "account.conf", "g.conf",
							  "001122334455.conf", "local.conf" };
	int i;

	for (i = 0; i < LAYER_COUNT; i++) {
		ptrs[i] = NULL;
		if (!texts[i])
			continue;
		assert_int_equal(parse(&ls[i], texts[i], names[i]), 0);
		ptrs[i] = &ls[i];
	}
}

static void clear_all(struct layer ls[LAYER_COUNT], const struct layer *ptrs[LAYER_COUNT])
{
	int i;

	for (i = 0; i < LAYER_COUNT; i++)
		if (ptrs[i])
			layer_clear(&ls[i]);
}

static void order_of_layers(void **state)
{
	struct layer ls[LAYER_COUNT];
	const struct layer *p[LAYER_COUNT];
	struct layer_result r;
	struct tcfg c;

	build(ls, p, "a.count = 2\na.name = acct\na.mode = slow\n",
	      "a.count = 3\na.name = grp\n", "a.count = 4\n", "a.flag = on\n");
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_int_equal(c.count, 4);
	assert_string_equal(c.name, "grp");
	assert_int_equal(c.mode, 1);
	assert_true(c.flag);
	assert_int_equal(r.from[0], LAYER_GROUP);
	assert_int_equal(r.from[1], LAYER_LOCAL);
	assert_int_equal(r.from[2], LAYER_DEVICE);
	assert_int_equal(r.from[3], LAYER_ACCOUNT);
	assert_int_equal(r.from[4], LAYER_DEFAULTS);
	assert_int_equal(r.nv, 0);
	layer_result_clear(&r);

	/* Local beats device beats group beats account. */
	clear_all(ls, p);
	build(ls, p, "a.count = 2\n", "a.count = 3\n", "a.count = 4\n", "a.count = 5\n");
	assert_int_equal(layers_merge(&schema, p, &c, NULL), 0);
	assert_int_equal(c.count, 5);
	clear_all(ls, p);

	/* Absent layers leave the defaults. */
	build(ls, p, NULL, NULL, NULL, NULL);
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_int_equal(c.count, 1);
	assert_string_equal(c.name, "dflt");
	layer_result_clear(&r);
}

static void account_lock_holds_for_every_layer_above(void **state)
{
	struct layer ls[LAYER_COUNT];
	const struct layer *p[LAYER_COUNT];
	struct layer_result r;
	struct tcfg c;

	build(ls, p, "lock a.mode = slow\na.count = 2\n", "a.mode = fast\n",
	      "\na.mode = fast\na.count = 9\n", "a.count = 10\na.mode = fast\n");
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_int_equal(c.mode, 1);
	assert_int_equal(c.count, 10);	/* not locked: the local file wins */
	assert_int_equal(r.locked_by[3], LAYER_ACCOUNT);
	assert_int_equal(r.locked_by[2], LAYER_COUNT);
	assert_int_equal(r.from[3], LAYER_ACCOUNT);
	assert_int_equal(r.nv, 3);
	assert_string_equal(r.v[0].key->name, "a.mode");
	assert_int_equal(r.v[0].layer, LAYER_GROUP);
	assert_int_equal(r.v[0].locked_by, LAYER_ACCOUNT);
	assert_string_equal(r.v[0].source, "g.conf");
	assert_int_equal(r.v[0].line, 1);
	assert_int_equal(r.v[1].layer, LAYER_DEVICE);
	assert_int_equal(r.v[1].line, 2);
	assert_int_equal(r.v[2].layer, LAYER_LOCAL);
	assert_string_equal(r.v[2].source, "local.conf");
	assert_int_equal(r.v[2].line, 2);
	layer_result_clear(&r);
	clear_all(ls, p);
}

static void group_lock_binds_device_and_local_only(void **state)
{
	struct layer ls[LAYER_COUNT];
	const struct layer *p[LAYER_COUNT];
	struct layer_result r;
	struct tcfg c;

	build(ls, p, "a.count = 2\n", "lock a.count = 3\n", "a.count = 4\n", "a.count = 5\n");
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_int_equal(c.count, 3);
	assert_int_equal(r.from[2], LAYER_GROUP);
	assert_int_equal(r.locked_by[2], LAYER_GROUP);
	assert_int_equal(r.nv, 2);
	assert_int_equal(r.v[0].layer, LAYER_DEVICE);
	assert_int_equal(r.v[0].locked_by, LAYER_GROUP);
	assert_int_equal(r.v[1].layer, LAYER_LOCAL);
	layer_result_clear(&r);
	clear_all(ls, p);

	/* A later lock of an already locked key is an attempt like any other,
	 * and does not move the lock.
	 */
	build(ls, p, "lock a.count = 2\n", "lock a.count = 3\n", NULL, NULL);
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(r.locked_by[2], LAYER_ACCOUNT);
	assert_int_equal(r.nv, 1);
	layer_result_clear(&r);
	clear_all(ls, p);
}

static void same_value_under_lock_is_no_violation(void **state)
{
	struct layer ls[LAYER_COUNT];
	const struct layer *p[LAYER_COUNT];
	struct layer_result r;
	struct tcfg c;

	build(ls, p, "lock a.flag = on\nlock a.name = x\n", NULL, "a.flag = yes\n",
	      "a.flag = true\na.name = x\n");
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_true(c.flag);
	assert_int_equal(r.nv, 0);
	layer_result_clear(&r);
	clear_all(ls, p);
}

static void violations_logged_without_values(void **state)
{
	struct layer ls[LAYER_COUNT];
	const struct layer *p[LAYER_COUNT];
	struct layer_result r;
	struct tcfg c;
	char path[] = "/tmp/test_layers_log.XXXXXX", buf[1024];
	int fd, saved;
	ssize_t n;

	build(ls, p, "lock a.password = s3cret\n", NULL, "a.password = 0ther\n", NULL);
	assert_int_equal(layers_merge(&schema, p, &c, &r), 0);
	assert_string_equal(c.password, "s3cret");
	assert_int_equal(r.nv, 1);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	saved = dup(2);
	dup2(fd, 2);
	log_open("t", true, false);
	layers_log_violations(&r);
	log_close();
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	close(fd);
	unlink(path);
	assert_non_null(strstr(buf, "001122334455.conf:1: a.password is locked by account; "
				    "the device layer's value is ignored"));
	assert_null(strstr(buf, "s3cret"));
	assert_null(strstr(buf, "0ther"));
	layer_result_clear(&r);
	clear_all(ls, p);
}

static void copy_is_deep(void **state)
{
	struct layer a, b;

	assert_int_equal(parse(&a, "lock a.name = n\n", "x.conf"), 0);
	assert_int_equal(layer_copy(&b, &a), 0);
	layer_clear(&a);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.entries[0].value, "n");
	assert_true(b.entries[0].locked);
	assert_string_equal(b.source, "x.conf");
	layer_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_values_and_locks),
		cmocka_unit_test(rejects_file_whole),
		cmocka_unit_test(secret_never_in_messages),
		cmocka_unit_test(secret_files_must_be_private),
		cmocka_unit_test(order_of_layers),
		cmocka_unit_test(account_lock_holds_for_every_layer_above),
		cmocka_unit_test(group_lock_binds_device_and_local_only),
		cmocka_unit_test(same_value_under_lock_is_no_violation),
		cmocka_unit_test(violations_logged_without_values),
		cmocka_unit_test(copy_is_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
