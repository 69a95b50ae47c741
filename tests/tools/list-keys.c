// SPDX-License-Identifier: GPL-2.0
/*
 * list-keys: print every key of heraldd's configuration table
 * (heraldd_config_keys), one per line, so a test can hold the documentation
 * against the code (tests/host/t-docs-keys.sh). It reads the table heraldd
 * itself is built from, never a copy of it.
 *
 *   list-keys          every key name, as heraldd accepts it (sip.u1.user ...)
 *   list-keys -p       account and zone keys folded into the patterns the
 *                      docs use (sip.uN.user, mcast.zoneN.key), each once
 *   list-keys -l       long form, tab-separated: name, type, range or values,
 *                      default, "secret" or "-"
 *
 * Types: string (range: at most N bytes), bool (on|off), int (MIN..MAX),
 * enum (a|b|c). The default is printed as heraldd shows it in its status
 * file (layer_format_value()); an empty one as "-".
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "layers.h"

/*
 * "sip.u3.user" -> "sip.uN.user", "mcast.zone3.key" -> "mcast.zoneN.key":
 * the accounts and the zones differ only in N.
 */
static void fold(const char *name, char *out, size_t len)
{
	static const char *const prefixes[] = { "sip.u", "mcast.zone", NULL };
	const char *const *pre;
	const char *p;

	for (pre = prefixes; *pre; pre++) {
		if (strncmp(name, *pre, strlen(*pre)))
			continue;
		p = name + strlen(*pre);
		if (!isdigit((unsigned char)*p))
			continue;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != '.')
			continue;
		snprintf(out, len, "%.*sN%s", (int)strlen(*pre), name, p);
		return;
	}
	snprintf(out, len, "%s", name);
}

/* Was @folded printed already for an earlier row of the table? */
static bool seen_before(const struct cfg_key *k, const char *folded)
{
	const struct cfg_key *e;
	char other[128];

	for (e = heraldd_config_keys; e < k; e++) {
		fold(e->name, other, sizeof(other));
		if (!strcmp(other, folded))
			return true;
	}
	return false;
}

static void print_range(const struct cfg_key *k)
{
	int i;

	switch (k->type) {
	case CFG_STRING:
		printf("string\t%zu", k->size - 1);
		return;
	case CFG_BOOL:
		printf("bool\ton|off");
		return;
	case CFG_INT:
		printf("int\t%d..%d", k->min, k->max);
		return;
	case CFG_ENUM:
		printf("enum\t");
		for (i = 0; k->names[i]; i++)
			printf("%s%s", i ? "|" : "", k->names[i]);
		return;
	}
	printf("?\t?");
}

int main(int argc, char **argv)
{
	struct heraldd_config defaults;
	bool pattern = false, longform = false;
	const struct cfg_key *k;
	char name[128], def[640];
	int c;

	while ((c = getopt(argc, argv, "pl")) != -1) {
		switch (c) {
		case 'p':
			pattern = true;
			break;
		case 'l':
			pattern = true;
			longform = true;
			break;
		default:
			fprintf(stderr, "usage: list-keys [-p | -l]\n");
			return 2;
		}
	}
	heraldd_config_defaults(&defaults);
	for (k = heraldd_config_keys; k->name; k++) {
		if (pattern) {
			fold(k->name, name, sizeof(name));
			if (seen_before(k, name))
				continue;
		} else {
			snprintf(name, sizeof(name), "%s", k->name);
		}
		if (!longform) {
			printf("%s\n", name);
			continue;
		}
		layer_format_value(k, &defaults, def, sizeof(def));
		printf("%s\t", name);
		print_range(k);
		printf("\t%s\t%s\n", def[0] ? def : "-", k->secret ? "secret" : "-");
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
