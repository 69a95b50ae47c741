// SPDX-License-Identifier: GPL-2.0
/*
 * Suites and SDES inline keys (RFC 4568 §6.1):
 *
 *   inline:<base64 of master key || master salt>[|<lifetime>][|<MKI>:<length>]
 *
 * The lifetime (decimal or 2^n) is checked and dropped: the module
 * enforces the SRTP limit of 2^48 packets per key on its own. Key material
 * lives only in struct key_spec, on the stack of the command, and in the
 * request; both are wiped once the request is sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/herald.h>
#include <netlink/attr.h>

#include "heraldctl.h"
#include "keyspec.h"
#include "output.h"

static const struct suite_info suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", HERALD_SUITE_AES_CM_128_HMAC_SHA1_80, 16, 14 },
	{ "AES_CM_128_HMAC_SHA1_32", HERALD_SUITE_AES_CM_128_HMAC_SHA1_32, 16, 14 },
	{ "AES_192_CM_HMAC_SHA1_80", HERALD_SUITE_AES_192_CM_HMAC_SHA1_80, 24, 14 },
	{ "AES_192_CM_HMAC_SHA1_32", HERALD_SUITE_AES_192_CM_HMAC_SHA1_32, 24, 14 },
	{ "AES_256_CM_HMAC_SHA1_80", HERALD_SUITE_AES_256_CM_HMAC_SHA1_80, 32, 14 },
	{ "AES_256_CM_HMAC_SHA1_32", HERALD_SUITE_AES_256_CM_HMAC_SHA1_32, 32, 14 },
	{ "AEAD_AES_128_GCM", HERALD_SUITE_AEAD_AES_128_GCM, 16, 12 },
	{ "AEAD_AES_256_GCM", HERALD_SUITE_AEAD_AES_256_GCM, 32, 12 },
};

/*
 * RFC 6188 names the longer AES-CM suites AES_192_CM_... and AES_256_CM_...;
 * some SIP stacks write them in the pattern of the 128-bit one. Accepted on
 * input so keys can be pasted from such configurations; never printed.
 */
static const struct {
	const char *alias;
	uint32_t id;
} suite_aliases[] = {
	{ "AES_CM_192_HMAC_SHA1_80", HERALD_SUITE_AES_192_CM_HMAC_SHA1_80 },
	{ "AES_CM_192_HMAC_SHA1_32", HERALD_SUITE_AES_192_CM_HMAC_SHA1_32 },
	{ "AES_CM_256_HMAC_SHA1_80", HERALD_SUITE_AES_256_CM_HMAC_SHA1_80 },
	{ "AES_CM_256_HMAC_SHA1_32", HERALD_SUITE_AES_256_CM_HMAC_SHA1_32 },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct suite_info *suite_by_id(uint32_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(suites); i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

const struct suite_info *suite_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_LEN(suites); i++)
		if (!strcmp(name, suites[i].name))
			return &suites[i];
	for (i = 0; i < ARRAY_LEN(suite_aliases); i++)
		if (!strcmp(name, suite_aliases[i].alias))
			return suite_by_id(suite_aliases[i].id);
	return NULL;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int base64_decode(const char *in, size_t in_len, uint8_t *out, size_t size)
{
	size_t i, n = 0, pad = 0;
	unsigned int acc = 0, bits = 0;
	int v;

	/* Padding only at the end, and only as much as the length calls for. */
	while (pad < in_len && pad < 2 && in[in_len - 1 - pad] == '=')
		pad++;
	if (pad && (in_len % 4))
		return -1;
	in_len -= pad;
	if (!in_len || in_len % 4 == 1)
		return -1;
	for (i = 0; i < in_len; i++) {
		v = b64_value(in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == size)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* The bits left over must be zero, or two spellings would decode
	 * alike and a typo in the last character could go unnoticed.
	 */
	if (acc & ((1u << bits) - 1))
		return -1;
	if (pad && (in_len + pad) / 4 * 3 - pad != n)
		return -1;
	return (int)n;
}

/* "2^n" or decimal, 1 .. 2^48 packets (RFC 3711 §9.2 caps SRTP there). */
static int parse_lifetime(const char *s, size_t len, uint64_t *lifetime)
{
	char buf[24];
	uint32_t n;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!strncmp(buf, "2^", 2)) {
		if (parse_u32(buf + 2, 0, 48, &n))
			return -1;
		*lifetime = 1ULL << n;
		return 0;
	}
	if (buf[0] < '1' || buf[0] > '9')
		return -1;
	errno = 0;
	*lifetime = strtoull(buf, NULL, 10);
	if (errno || strspn(buf, "0123456789") != len || *lifetime > 1ULL << 48)
		return -1;
	return 0;
}

/* "MKI:LEN": MKI decimal, LEN 1..4 bytes that must hold it. */
static int parse_mki(const char *path, const char *s, size_t len, struct key_spec *key)
{
	char buf[32], *colon;
	uint32_t n;

	if (!len || len >= sizeof(buf))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = '\0';
	colon = strchr(buf, ':');
	if (!colon)
		goto bad;
	*colon = '\0';
	if (parse_u32(colon + 1, 0, 128, &n))
		goto bad;
	if (n < 1 || n > KEY_MKI_LEN_MAX) {
		ctl_error(path, "key: MKI length %u not supported: 1 to %d bytes", n,
			  KEY_MKI_LEN_MAX);
		return -1;
	}
	key->mki_len = (uint8_t)n;
	if (parse_u32(buf, 0, UINT32_MAX, &key->mki))
		goto bad;
	if (key->mki_len < 4 && key->mki >> (8 * key->mki_len)) {
		ctl_error(path, "key: MKI %u does not fit in %u byte%s", key->mki,
			  key->mki_len, key->mki_len == 1 ? "" : "s");
		return -1;
	}
	return 0;
bad:
	ctl_error(path, "key: bad MKI \"%.*s\": expected MKI:LENGTH, e.g. 1:1", (int)len, s);
	return -1;
}

static bool len_of_some_suite(size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(suites); i++)
		if (len == suites[i].key_len + suites[i].salt_len)
			return true;
	return false;
}

int keyspec_check_suite(const char *path, const struct key_spec *key,
			const struct suite_info *suite)
{
	if (key->len == suite->key_len + suite->salt_len)
		return 0;
	ctl_error(path, "key: %zu bytes of key material, %s takes %u (key %u + salt %u)",
		  key->len, suite->name, suite->key_len + suite->salt_len, suite->key_len,
		  suite->salt_len);
	return -1;
}

int keyspec_parse(const char *path, const char *text, const struct suite_info *suite,
		  struct key_spec *key)
{
	const char *b64, *bar, *field;
	size_t b64_len, flen;
	int n, nfields = 0;

	memset(key, 0, sizeof(*key));
	if (strncmp(text, "inline:", 7)) {
		ctl_error(path, "key: expected inline:BASE64[|LIFETIME][|MKI:LEN], file:PATH or -");
		return -1;
	}
	b64 = text + 7;
	bar = strchr(b64, '|');
	b64_len = bar ? (size_t)(bar - b64) : strlen(b64);
	n = base64_decode(b64, b64_len, key->material, sizeof(key->material));
	if (n < 0) {
		ctl_error(path, "key: the inline key is not valid base64 of at most %d bytes",
			  KEY_MATERIAL_MAX);
		goto err;
	}
	key->len = (size_t)n;

	/* Up to two more fields, in this order: lifetime, then MKI:LEN. A
	 * field with a colon is the MKI, so either may be left out.
	 */
	while (bar) {
		field = bar + 1;
		bar = strchr(field, '|');
		flen = bar ? (size_t)(bar - field) : strlen(field);
		if (++nfields > 2 || key->mki_len) {
			ctl_error(path, "key: too many |-separated fields after the key");
			goto err;
		}
		if (memchr(field, ':', flen)) {
			if (parse_mki(path, field, flen, key))
				goto err;
		} else if (nfields == 1) {
			if (parse_lifetime(field, flen, &key->lifetime)) {
				ctl_error(path, "key: bad lifetime \"%.*s\": expected a number or 2^N, N up to 48",
					  (int)flen, field);
				goto err;
			}
		} else {
			ctl_error(path, "key: expected MKI:LENGTH after the lifetime, not \"%.*s\"",
				  (int)flen, field);
			goto err;
		}
	}

	if (suite) {
		if (keyspec_check_suite(path, key, suite))
			goto err;
	} else if (!len_of_some_suite(key->len)) {
		ctl_error(path, "key: %zu bytes of key material fit no suite", key->len);
		goto err;
	}
	return 0;
err:
	keyspec_wipe(key);
	return -1;
}

/*
 * Read one inline: line from @fd: the first line that is neither blank
 * nor a # comment. The buffer is wiped before returning.
 */
static int keyspec_read(const char *path, const char *what, int fd,
			const struct suite_info *suite, struct key_spec *key)
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

int keyspec_load(const char *path, const char *arg, const struct suite_info *suite,
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
	struct nlattr *list, *nest;
	int i;

	list = nla_nest_start(msg, attr);
	if (!list)
		return -1;
	for (i = 0; i < n; i++) {
		nest = nla_nest_start(msg, HERALD_A_KEY);
		if (!nest)
			return -1;
		if (keys[i].len &&
		    nla_put(msg, HERALD_KEY_A_MATERIAL, (int)keys[i].len, keys[i].material) < 0)
			return -1;
		if (nla_put_u32(msg, HERALD_KEY_A_MKI_ID, keys[i].mki) < 0 ||
		    nla_put_u8(msg, HERALD_KEY_A_MKI_LEN, keys[i].mki_len) < 0)
			return -1;
		if (keys[i].active && nla_put_flag(msg, HERALD_KEY_A_ACTIVE) < 0)
			return -1;
		nla_nest_end(msg, nest);
	}
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
