// SPDX-License-Identifier: GPL-2.0
/*
 * SDES inline keys (RFC 4568 §6.1) as a user gives them:
 *
 *   inline:<base64 of master key || master salt>[|<lifetime>][|<MKI>:<length>]
 *
 * The grammar, the suite table and base64 are heraldd's (daemon/sdes.c);
 * here are where a key comes from and its netlink form. The lifetime is
 * checked and dropped: the module enforces the SRTP limit of 2^48 packets
 * per key on its own. Key material lives only in struct key_spec, on the
 * stack of the command, and in the request; both are wiped once the request
 * is sent. The struct sdes_key it is parsed into is wiped at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/herald.h>
#include <netlink/attr.h>

#include "../../daemon/herald_nl.h"
#include "heraldctl.h"
#include "keyspec.h"
#include "output.h"

int keyspec_check_suite(const char *path, const struct key_spec *key,
			const struct sdes_suite_info *suite)
{
	char why[128];

	if (!sdes_check_key_len(key->len, suite, why, sizeof(why)))
		return 0;
	ctl_error(path, "key: %s", why);
	return -1;
}

int keyspec_parse(const char *path, const char *text, const struct sdes_suite_info *suite,
		  struct key_spec *key)
{
	struct sdes_key k;
	char why[256];
	int ret = -1;

	memset(key, 0, sizeof(*key));
	/* Stricter than SDP, where the literal is case-insensitive. */
	if (strncmp(text, "inline:", 7)) {
		ctl_error(path, "key: expected inline:BASE64[|LIFETIME][|MKI:LEN], file:PATH or -");
		return -1;
	}
	if (sdes_key_param_parse(text, strlen(text), suite, SDES_MAX_MKI_LEN, &k, why,
				 sizeof(why))) {
		ctl_error(path, "key: %s", why);
		goto out;
	}
	memcpy(key->material, k.key, k.len);
	key->len = k.len;
	key->lifetime = k.lifetime;
	key->mki = k.mki;
	key->mki_len = k.mki_len;
	ret = 0;
out:
	explicit_bzero(&k, sizeof(k));
	return ret;
}

/*
 * Read one inline: line from @fd: the first line that is neither blank
 * nor a # comment. The buffer is wiped before returning.
 */
static int keyspec_read(const char *path, const char *what, int fd,
			const struct sdes_suite_info *suite, struct key_spec *key)
{
	char buf[4096], *line, *end;
	size_t len = 0;
	ssize_t n;
	int ret = -1;

	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ctl_error(path, "key: cannot read %s: %s", what, strerror(errno));
			goto out;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	for (line = buf; line && *line; line = end) {
		end = strchr(line, '\n');
		if (end)
			*end++ = '\0';
		line += strspn(line, " \t\r");
		/* Trailing blanks and a CR from a file written elsewhere. */
		n = (ssize_t)strlen(line);
		while (n > 0 && strchr(" \t\r", line[n - 1]))
			line[--n] = '\0';
		if (!*line || *line == '#')
			continue;
		ret = keyspec_parse(path, line, suite, key);
		goto out;
	}
	ctl_error(path, "key: no inline: line in %s", what);
out:
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

int keyspec_load(const char *path, const char *arg, const struct sdes_suite_info *suite,
		 struct key_spec *key)
{
	int fd, ret;

	memset(key, 0, sizeof(*key));
	if (!strcmp(arg, "-"))
		return keyspec_read(path, "standard input", STDIN_FILENO, suite, key);
	if (strncmp(arg, "file:", 5))
		return keyspec_parse(path, arg, suite, key);
	fd = open(arg + 5, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ctl_error(path, "key: cannot open %s: %s", arg + 5, strerror(errno));
		return -1;
	}
	ret = keyspec_read(path, arg + 5, fd, suite, key);
	close(fd);
	return ret;
}

void keyspec_wipe(struct key_spec *key)
{
	explicit_bzero(key, sizeof(*key));
}

int keyspec_put(struct nl_msg *msg, int attr, const struct key_spec *keys, int n)
{
	struct nlattr *list;
	int i;

	list = nla_nest_start(msg, attr);
	if (!list)
		return -1;
	for (i = 0; i < n; i++)
		if (herald_nl_put_key(msg, keys[i].material, keys[i].len, keys[i].mki,
				      keys[i].mki_len, keys[i].active))
			return -1;
	nla_nest_end(msg, list);
	return 0;
}

static struct nla_policy key_reply_policy[HERALD_KEY_A_MAX + 1] = {
	[HERALD_KEY_A_MKI_ID] = { .type = NLA_U32 },
	[HERALD_KEY_A_MKI_LEN] = { .type = NLA_U8 },
	[HERALD_KEY_A_ACTIVE] = { .type = NLA_FLAG },
	[HERALD_KEY_A_SUITE] = { .type = NLA_U32 },
};

static int key_parse(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_type(nest) != HERALD_A_KEY ||
	    nla_parse_nested(tb, HERALD_KEY_A_MAX, nest, key_reply_policy) < 0 ||
	    !tb[HERALD_KEY_A_MKI_ID] || !tb[HERALD_KEY_A_MKI_LEN])
		return -1;
	return 0;
}

int keys_valid(struct nlattr *keys)
{
	struct nlattr *tb[HERALD_KEY_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	nla_for_each_nested(pos, keys, rem)
		if (key_parse(pos, tb))
			return -1;
	return 0;
}

void keys_show(struct nlattr *keys)
{
	struct nlattr *tb[HERALD_KEY_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	open_json_array("keys");
	nla_for_each_nested(pos, keys, rem) {
		key_parse(pos, tb);
		open_json_object(NULL);
		print_uint(PRINT_ANY, "mki", "\tkey mki %u", nla_get_u32(tb[HERALD_KEY_A_MKI_ID]));
		print_uint(PRINT_ANY, "mki_len", "/len %u", nla_get_u8(tb[HERALD_KEY_A_MKI_LEN]));
		print_on_off(PRINT_JSON, "active", "%s", nla_get_flag(tb[HERALD_KEY_A_ACTIVE]));
		if (nla_get_flag(tb[HERALD_KEY_A_ACTIVE]))
			print_text(" active");
		print_text("\n");
		close_json_object();
	}
	close_json_array();
}
