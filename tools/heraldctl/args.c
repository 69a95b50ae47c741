// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line words: keyword matching, value parsing, dispatch through the
 * per-object command tables.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/herald.h>

#include "heraldctl.h"

FILE *ctl_errfp;

static FILE *errfp(void)
{
	return ctl_errfp ? ctl_errfp : stderr;
}

void ctl_error(const char *path, const char *fmt, ...)
{
	FILE *fp = errfp();
	va_list ap;

	fputs("heraldctl: ", fp);
	if (path && *path)
		fprintf(fp, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
}

int match_keyword(const char *arg, const char *const *words)
{
	int i;

	if (!arg)
		return -1;
	for (i = 0; words[i]; i++)
		if (!strcmp(arg, words[i]))
			return i;
	return -1;
}

int parse_on_off(const char *arg)
{
	static const char *const words[] = { "off", "on", NULL };

	return match_keyword(arg, words);
}

static void cmd_help(const struct cmd *table, const char *parent)
{
	const struct cmd *c;

	printf("Usage: heraldctl [OPTIONS] %s%sCOMMAND ...\n\nCommands:\n",
	       parent, *parent ? " " : "");
	for (c = table; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("  %-10s %s\n", "help", "show this text");
}

int cmd_dispatch(const struct cmd *table, const char *dflt, const char *parent,
		 int argc, char **argv)
{
	const char *word = argc > 0 ? argv[0] : dflt;
	char path[128];
	const struct cmd *c;

	if (!word) {
		ctl_error(parent, "missing command; try \"heraldctl %s%shelp\"",
			  parent, *parent ? " " : "");
		return 1;
	}
	if (!strcmp(word, "help")) {
		cmd_help(table, parent);
		return 0;
	}
	for (c = table; c->name; c++) {
		if (strcmp(word, c->name))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", parent, *parent ? " " : "", c->name);
		if (argc > 0) {
			argc--;
			argv++;
		}
		return c->run(path, argc, argv);
	}
	ctl_error(parent, "unknown command \"%s\"; try \"heraldctl %s%shelp\"",
		  word, parent, *parent ? " " : "");
	return 1;
}

/*
 * Numbers are decimal only unless the caller says otherwise: strtoul's
 * base 0 would read "010" as eight, a surprise in an id or a port.
 */
static int parse_ulong(const char *arg, int base, unsigned long long max,
		       unsigned long long *v)
{
	unsigned long long n;
	char *end;

	/* strtoull skips blanks and accepts a sign; neither belongs here. */
	if (!arg || !(base == 16 ? isxdigit((unsigned char)arg[0]) : isdigit((unsigned char)arg[0])))
		return -1;
	errno = 0;
	n = strtoull(arg, &end, base);
	if (errno || *end || n > max)
		return -1;
	*v = n;
	return 0;
}

int parse_u32(const char *arg, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long n;

	if (parse_ulong(arg, 10, max, &n) || n < min)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

int parse_u32_hex(const char *arg, uint32_t *v)
{
	unsigned long long n;

	if (arg && (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2))) {
		if (parse_ulong(arg + 2, 16, UINT32_MAX, &n))
			return -1;
	} else if (parse_ulong(arg, 10, UINT32_MAX, &n)) {
		return -1;
	}
	*v = (uint32_t)n;
	return 0;
}

int parse_addr(const char *arg, struct ctl_addr *a)
{
	if (!arg)
		return -1;
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, arg, a->bytes) == 1) {
		a->family = AF_INET;
		a->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, arg, a->bytes) == 1) {
		a->family = AF_INET6;
		a->len = 16;
		return 0;
	}
	return -1;
}

int format_addr(const void *bytes, size_t len, char *buf, size_t size)
{
	if (len == 4)
		return inet_ntop(AF_INET, bytes, buf, size) ? 0 : -1;
	if (len == 16)
		return inet_ntop(AF_INET6, bytes, buf, size) ? 0 : -1;
	return -1;
}

static const struct {
	const char *name;
	uint8_t value;
} priorities[] = {
	{ "normal", HERALD_PRIORITY_NORMAL },
	{ "priority", HERALD_PRIORITY_PRIORITY },
	{ "emergency", HERALD_PRIORITY_EMERGENCY },
};

int parse_priority(const char *arg, uint8_t *prio)
{
	uint32_t n;
	size_t i;

	for (i = 0; arg && i < sizeof(priorities) / sizeof(priorities[0]); i++) {
		if (!strcmp(arg, priorities[i].name)) {
			*prio = priorities[i].value;
			return 0;
		}
	}
	if (parse_u32(arg, 0, 255, &n))
		return -1;
	*prio = (uint8_t)n;
	return 0;
}

const char *priority_name(uint8_t prio)
{
	size_t i;

	for (i = 0; i < sizeof(priorities) / sizeof(priorities[0]); i++)
		if (priorities[i].value == prio)
			return priorities[i].name;
	return NULL;
}

/* One element of a payload type list: N or N-M, each 0..127. */
static int parse_pt_item(const char *item, size_t len, uint8_t *mask)
{
	char buf[16], *dash;
	uint32_t lo, hi, pt;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, item, len);
	buf[len] = '\0';
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_u32(buf, 0, 127, &lo))
		return -1;
	hi = lo;
	if (dash && parse_u32(dash + 1, 0, 127, &hi))
		return -1;
	if (hi < lo)
		return -1;
	for (pt = lo; pt <= hi; pt++)
		mask[pt / 8] |= 1u << (pt % 8);
	return 0;
}

int parse_pt_list(const char *arg, uint8_t mask[PT_MASK_BYTES])
{
	const char *comma;

	if (!arg || !*arg)
		return -1;
	memset(mask, 0, PT_MASK_BYTES);
	for (;;) {
		comma = strchr(arg, ',');
		if (parse_pt_item(arg, comma ? (size_t)(comma - arg) : strlen(arg), mask))
			return -1;
		if (!comma)
			return 0;
		arg = comma + 1;
	}
}

int parse_dev(const char *arg, uint32_t *ifindex)
{
	unsigned int idx;

	if (!arg || !*arg || strlen(arg) >= IF_NAMESIZE)
		return -1;
	idx = if_nametoindex(arg);
	if (!idx)
		return -1;
	*ifindex = idx;
	return 0;
}

const char *arg_value(const char *path, int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		ctl_error(path, "\"%s\" needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}
