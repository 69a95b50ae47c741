// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration parser and heraldd's table of keys.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

struct cfg_parse {
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
};

static int fail(struct cfg_parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct cfg_parse *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->line)
		n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, p->line);
	else
		n = snprintf(p->err, p->errlen, "%s: ", p->name);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trim blanks on both ends, in place. */
static char *trim(char *s)
{
	char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	*end = '\0';
	return s;
}

static int set_bool(struct cfg_parse *p, const struct cfg_key *k, void *dst, const char *v)
{
	static const char *const yes[] = { "on", "yes", "true", NULL };
	static const char *const no[] = { "off", "no", "false", NULL };
	bool *field = (bool *)((char *)dst + k->offset);
	int i;

	for (i = 0; yes[i]; i++) {
		if (!strcmp(v, yes[i])) {
			*field = true;
			return 0;
		}
		if (!strcmp(v, no[i])) {
			*field = false;
			return 0;
		}
	}
	return fail(p, "%s: expected on/off, yes/no or true/false, not \"%s\"", k->name, v);
}

static int set_int(struct cfg_parse *p, const struct cfg_key *k, void *dst, const char *v)
{
	int *field = (int *)((char *)dst + k->offset);
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end)
		return fail(p, "%s: expected an integer, not \"%s\"", k->name, v);
	if (errno == ERANGE || n < k->min || n > k->max)
		return fail(p, "%s: %s is out of range [%d, %d]", k->name, v, k->min, k->max);
	*field = (int)n;
	return 0;
}

static int set_enum(struct cfg_parse *p, const struct cfg_key *k, void *dst, const char *v)
{
	int *field = (int *)((char *)dst + k->offset);
	char list[256];
	size_t len = 0;
	int i;

	for (i = 0; k->names[i]; i++) {
		if (!strcmp(v, k->names[i])) {
			*field = i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; k->names[i]; i++) {
		int n = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", k->names[i]);

		if (n < 0 || (size_t)n >= sizeof(list) - len)
			break;
		len += n;
	}
	return fail(p, "%s: expected one of %s, not \"%s\"", k->name, list, v);
}

static int set_string(struct cfg_parse *p, const struct cfg_key *k, void *dst, const char *v)
{
	char *field = (char *)dst + k->offset;
	size_t len = strlen(v);

	if (len >= k->size)
		return fail(p, "%s: value too long (at most %zu bytes)", k->name, k->size - 1);
	memcpy(field, v, len + 1);
	return 0;
}

static int set_value(struct cfg_parse *p, const struct cfg_key *k, void *dst, const char *value)
{
	switch (k->type) {
	case CFG_STRING:
		return set_string(p, k, dst, value);
	case CFG_BOOL:
		return set_bool(p, k, dst, value);
	case CFG_INT:
		return set_int(p, k, dst, value);
	case CFG_ENUM:
		return set_enum(p, k, dst, value);
	}
	return fail(p, "%s: bad table entry", k->name);
}

const struct cfg_key *config_find(const struct cfg_key *table, const char *key)
{
	const struct cfg_key *k;

	for (k = table; k->name; k++)
		if (!strcmp(key, k->name))
			return k;
	return NULL;
}

int config_set(const struct cfg_key *k, void *dst, const char *value, const char *name,
	       unsigned int line, char *err, size_t errlen)
{
	struct cfg_parse p = { .name = name, .line = line, .err = err, .errlen = errlen };

	if (!*value)
		return fail(&p, "%s: missing value", k->name);
	return set_value(&p, k, dst, value);
}

static int parse_line(struct cfg_parse *p, const struct cfg_key *table, unsigned int *seen,
		      void *dst, char *line)
{
	const struct cfg_key *k;
	char *eq, *key, *value;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return fail(p, "expected \"key = value\"");
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!*key)
		return fail(p, "missing key before '='");
	k = config_find(table, key);
	if (!k)
		return fail(p, "unknown key \"%s\"", key);
	if (seen[k - table])
		return fail(p, "%s: set twice (first on line %u)", key, seen[k - table]);
	seen[k - table] = p->line;
	if (!*value)
		return fail(p, "%s: missing value", key);
	return set_value(p, k, dst, value);
}

int config_parse(const struct cfg_key *table, void *dst, FILE *fp, const char *name,
		 char *err, size_t errlen)
{
	struct cfg_parse p = { .name = name, .err = err, .errlen = errlen };
	unsigned int *seen;
	size_t cap = 0, nkeys = 0;
	char *line = NULL;
	ssize_t len;
	int ret = 0;

	while (table[nkeys].name)
		nkeys++;
	/* Line numbers where each key was set, for the duplicate message. */
	seen = calloc(nkeys + 1, sizeof(*seen));
	if (!seen)
		return fail(&p, "out of memory");

	errno = 0;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		p.line++;
		if (strlen(line) != (size_t)len) {
			ret = fail(&p, "NUL byte in line");
			break;
		}
		ret = parse_line(&p, table, seen, dst, line);
		if (ret)
			break;
	}
	if (!ret && ferror(fp)) {
		p.line = 0;
		ret = fail(&p, "read error: %s", strerror(errno ? errno : EIO));
	}
	free(line);
	free(seen);
	return ret;
}

int config_parse_file(const struct cfg_key *table, void *dst, const char *path,
		      char *err, size_t errlen)
{
	FILE *fp;
	int ret;

	fp = fopen(path, "re");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = config_parse(table, dst, fp, path, err, errlen);
	fclose(fp);
	return ret;
}

/* Indexed by enum log_level. */
static const char *const log_level_names[] = { "error", "warning", "info", "debug", NULL };

const struct cfg_key heraldd_config_keys[] = {
	CFG_KEY_ENUM("log.level", struct heraldd_config, log_level, log_level_names),
	CFG_KEY_BOOL("log.syslog", struct heraldd_config, log_syslog),
	SIP_CFG_KEYS(struct heraldd_config, sip),
	PROVISION_CONFIG_KEYS(struct heraldd_config, prov),
	CALL_CONFIG_KEYS(struct heraldd_config, call.),
	POLICY_CONFIG_KEYS(struct heraldd_config, policy),
	AUDIO_CONFIG_KEYS(struct heraldd_config, audio.),
	ZONES_CONFIG_KEYS(struct heraldd_config, zones.),
	{ .name = NULL },
};

/* "path: message" for the checks that run after parsing, as parse errors read. */
static void prefix_path(char *err, size_t errlen, const char *path)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", err);
	snprintf(err, errlen, "%s: %s", path, msg);
}

void heraldd_config_defaults(struct heraldd_config *cfg)
{
	*cfg = (struct heraldd_config){
		.log_level = LOGL_INFO,
		.log_syslog = false,
		.prov = PROVISION_CONFIG_DEFAULTS,
	};
	sip_config_defaults(&cfg->sip);
	call_config_defaults(&cfg->call);
	policy_config_defaults(&cfg->policy);
	audio_config_defaults(&cfg->audio);
	zones_config_defaults(&cfg->zones);
}

int heraldd_config_check(const struct heraldd_config *cfg, char *err, size_t errlen)
{
	struct call_policy pol;

	if (sip_config_check(&cfg->sip, err, errlen))
		return -1;
	/* The resolved lists are rebuilt by whoever starts the call layer. */
	if (call_config_check(&cfg->call, &pol, err, errlen))
		return -1;
	if (audio_config_check(&cfg->audio, &cfg->call, err, errlen))
		return -1;
	if (zones_config_check(&cfg->zones, cfg->policy.require_encryption, NULL, err, errlen))
		return -1;
	/* Last: it judges keys the checks above found well-formed. */
	return policy_config_check(&cfg->policy, &cfg->sip, &cfg->call, err, errlen);
}

int heraldd_config_load(const char *path, struct heraldd_config *cfg, char *err, size_t errlen)
{
	struct heraldd_config next;

	/* Every load starts from the defaults: a key deleted from the file
	 * goes back to its default instead of keeping a stale value.
	 */
	heraldd_config_defaults(&next);
	if (config_parse_file(heraldd_config_keys, &next, path, err, errlen)) {
		explicit_bzero(&next, sizeof(next));
		return -1;
	}
	if (heraldd_config_check(&next, err, errlen)) {
		prefix_path(err, errlen, path);
		explicit_bzero(&next, sizeof(next));
		return -1;
	}
	*cfg = next;
	explicit_bzero(&next, sizeof(next));
	return 0;
}
