// SPDX-License-Identifier: GPL-2.0
/*
 * SIP message parser and builder (RFC 3261 sections 7, 8.1.1, 18.3, 19.1,
 * 20, 25). See msg.h for the rules enforced and the error policy.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"

#define DELTA_MAX 0xffffffffLL	/* RFC 3261 20.19: larger values mean this */

/* ---- small helpers ------------------------------------------------------- */

bool sip_str_eq(struct sip_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.p && s.len == n && !memcmp(s.p, lit, n);
}

bool sip_str_caseeq(struct sip_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.p && s.len == n && !strncasecmp(s.p, lit, n);
}

static struct sip_str mkstr(const char *p, const char *end)
{
	struct sip_str s = { p, (size_t)(end - p) };

	return s;
}

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hexval(char c)
{
	if (is_digit(c))
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
static bool is_token_char(char c)
{
	return is_alnum(c) || (c && strchr("-.!%*_+`'~", c));
}

/* unreserved = alphanum / mark */
static bool is_unreserved(char c)
{
	return is_alnum(c) || (c && strchr("-_.!~*'()", c));
}

static bool all_token(struct sip_str s)
{
	size_t i;

	if (!s.len)
		return false;
	for (i = 0; i < s.len; i++)
		if (!is_token_char(s.p[i]))
			return false;
	return true;
}

static const char *skip_wsp(const char *p, const char *end)
{
	while (p < end && is_wsp(*p))
		p++;
	return p;
}

static struct sip_str trim(const char *p, const char *end)
{
	while (p < end && is_wsp(*p))
		p++;
	while (end > p && is_wsp(end[-1]))
		end--;
	return mkstr(p, end);
}

static const char *scan_token(const char *p, const char *end)
{
	while (p < end && is_token_char(*p))
		p++;
	return p;
}

/* Decimal, at least one digit, all of @s; saturates at @max. */
static bool parse_uint(struct sip_str s, int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (!s.len)
		return false;
	for (i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]))
			return false;
		if (v <= max)
			v = v * 10 + (s.p[i] - '0');
	}
	*out = v > max ? max : v;
	return true;
}

/* As parse_uint() but a value over @max is an error. */
static bool parse_uint_strict(struct sip_str s, int64_t max, int64_t *out)
{
	int64_t v;

	if (!parse_uint(s, max + 1, &v) || v > max)
		return false;
	*out = v;
	return true;
}

/* ---- parser state -------------------------------------------------------- */

struct parser {
	struct sip_msg *m;
	struct sip_error *err;
	bool failed;
	bool top_via_ok;
	bool via_seen;		/* a Via value came, parsed or not */
	bool ruri_ok;
	unsigned int seen[SIP_HDR__COUNT];
	bool good[SIP_HDR__COUNT];	/* From, To, Call-ID, CSeq parsed */
};

static int fail(struct parser *ps, enum sip_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error only; later ones are consequences or noise. */
static int fail(struct parser *ps, enum sip_err code, const char *fmt, ...)
{
	va_list ap;
	char *t;

	if (ps->failed)
		return -1;
	ps->failed = true;
	ps->err->code = code;
	va_start(ap, fmt);
	vsnprintf(ps->err->text, sizeof(ps->err->text), fmt, ap);
	va_end(ap);
	/* The text may quote the message: keep it printable ASCII. */
	for (t = ps->err->text; *t; t++)
		if ((unsigned char)*t < 0x20 || (unsigned char)*t > 0x7e)
			*t = '?';
	return -1;
}

static char *arena_alloc(struct parser *ps, size_t n)
{
	struct sip_msg *m = ps->m;
	char *p;

	if (n > m->arena_size - m->arena_used) {
		fail(ps, SIP_E_NOMEM, "arena exhausted");
		return NULL;
	}
	p = m->arena + m->arena_used;
	m->arena_used += n;
	return p;
}

/*
 * quoted-string at *pp (which must point at '"'): decoded into the arena,
 * *pp left after the closing quote. quoted-pair is "\" followed by any
 * character but CR and LF (RFC 3261 25.1).
 */
static int parse_quoted(struct parser *ps, const char **pp, const char *end,
			struct sip_str *out)
{
	const char *p = *pp + 1, *q;
	size_t n = 0;
	char *dst;

	for (q = p; q < end && *q != '"'; q++) {
		if (*q == '\\') {
			if (++q >= end)
				return -1;
		}
		n++;
	}
	if (q >= end)
		return -1;
	dst = arena_alloc(ps, n + 1);
	if (!dst)
		return -1;
	out->p = dst;
	out->len = n;
	for (; p < q; p++) {
		if (*p == '\\')
			p++;
		*dst++ = *p;
	}
	*dst = '\0';
	*pp = q + 1;
	return 0;
}

/* Where a quoted string starting at @p ends (after its quote), or NULL. */
static const char *skip_quoted(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\') {
			if (++p >= end)
				return NULL;
		} else if (*p == '"') {
			return p + 1;
		}
	}
	return NULL;
}

/* ---- hosts and URIs ------------------------------------------------------ */

static bool valid_hostname(struct sip_str h)
{
	size_t i, label = 0;

	if (!h.len || h.p[0] == '.' || h.p[0] == '-')
		return false;
	for (i = 0; i < h.len; i++) {
		char c = h.p[i];

		if (c == '.') {
			if (!label || h.p[i - 1] == '-')
				return false;
			label = 0;
		} else if (is_alnum(c) || c == '-') {
			if (c == '-' && label == 0)
				return false;
			label++;
		} else {
			return false;
		}
	}
	return !label || h.p[h.len - 1] != '-';
}

static bool valid_ipv6(struct sip_str h)
{
	unsigned char addr[16];
	char tmp[48];

	if (!h.len || h.len >= sizeof(tmp))
		return false;
	memcpy(tmp, h.p, h.len);
	tmp[h.len] = '\0';
	return inet_pton(AF_INET6, tmp, addr) == 1;
}

/*
 * host [":" port] at [p, end) exactly; host a hostname, IPv4 address or
 * bracketed IPv6 reference (returned without brackets).
 */
static bool parse_hostport(struct sip_str s, struct sip_str *host, bool *ipv6, uint16_t *port)
{
	const char *p = s.p, *end = s.p + s.len, *colon;
	int64_t v;

	*port = 0;
	*ipv6 = false;
	if (p < end && *p == '[') {
		const char *rb = memchr(p, ']', end - p);

		if (!rb)
			return false;
		*host = mkstr(p + 1, rb);
		if (!valid_ipv6(*host))
			return false;
		*ipv6 = true;
		colon = rb + 1;
		if (colon == end)
			return true;
		if (*colon != ':')
			return false;
	} else {
		colon = memchr(p, ':', end - p);
		*host = mkstr(p, colon ? colon : end);
		if (!valid_hostname(*host))
			return false;
		if (!colon)
			return true;
	}
	if (!parse_uint_strict(mkstr(colon + 1, end), 65535, &v) || v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* user, with %-escapes checked and decoded into the arena; %00 refused. */
static int decode_user(struct parser *ps, struct sip_str in, struct sip_str *out)
{
	char *dst;
	size_t i, n = 0;

	dst = arena_alloc(ps, in.len + 1);
	if (!dst)
		return -1;
	for (i = 0; i < in.len; i++) {
		char c = in.p[i];

		if (c == '%') {
			int v;

			if (i + 2 >= in.len || !is_hex(in.p[i + 1]) || !is_hex(in.p[i + 2]))
				return -1;
			v = hexval(in.p[i + 1]) * 16 + hexval(in.p[i + 2]);
			if (!v)
				return -1;
			dst[n++] = (char)v;
			i += 2;
		} else if (is_unreserved(c) || strchr("&=+$,;?/", c)) {
			dst[n++] = c;
		} else {
			return -1;
		}
	}
	dst[n] = '\0';
	out->p = dst;
	out->len = n;
	return 0;
}

static bool valid_escaped_run(struct sip_str s, const char *extra)
{
	size_t i;

	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (c == '%') {
			if (i + 2 >= s.len || !is_hex(s.p[i + 1]) || !is_hex(s.p[i + 2]))
				return false;
			i += 2;
		} else if (!is_unreserved(c) && !strchr(extra, c)) {
			return false;
		}
	}
	return true;
}

static int parse_sip_uri(struct parser *ps, const char *p, const char *end, struct sip_uri *u)
{
	const char *at, *hp_end, *q;

	at = memchr(p, '@', end - p);
	if (at) {
		const char *colon;

		if (memchr(at + 1, '@', end - at - 1))
			return -1;
		colon = memchr(p, ':', at - p);
		if (colon) {
			u->has_password = true;
			if (!valid_escaped_run(mkstr(colon + 1, at), "&=+$,"))
				return -1;
		}
		if ((colon ? colon : at) == p)
			return -1;
		if (decode_user(ps, mkstr(p, colon ? colon : at), &u->user))
			return -1;
		p = at + 1;
	}
	for (hp_end = p; hp_end < end && *hp_end != ';' && *hp_end != '?'; hp_end++)
		;
	if (!parse_hostport(mkstr(p, hp_end), &u->host, &u->host_ipv6, &u->port))
		return -1;
	p = hp_end;
	while (p < end && *p == ';') {
		const char *eq;
		struct sip_param *pa;

		for (q = ++p; q < end && *q != ';' && *q != '?'; q++)
			;
		eq = memchr(p, '=', q - p);
		if (u->nparams == SIP_MAX_PARAMS)
			return -1;
		pa = &u->params[u->nparams++];
		pa->name = mkstr(p, eq ? eq : q);
		pa->value = eq ? mkstr(eq + 1, q) : (struct sip_str){ NULL, 0 };
		if (!pa->name.len || !valid_escaped_run(pa->name, "[]/:&+$"))
			return -1;
		if (eq && (!pa->value.len || !valid_escaped_run(pa->value, "[]/:&+$")))
			return -1;
		if (sip_str_caseeq(pa->name, "transport") && eq)
			u->transport = pa->value;
		else if (sip_str_caseeq(pa->name, "maddr") && eq)
			u->maddr = pa->value;
		else if (sip_str_caseeq(pa->name, "user") && eq)
			u->user_param = pa->value;
		else if (sip_str_caseeq(pa->name, "lr"))
			u->lr = true;
		p = q;
	}
	if (p < end) {
		/* '?' headers */
		u->headers = mkstr(p + 1, end);
		if (!u->headers.len || !valid_escaped_run(u->headers, "[]/?:+$=&"))
			return -1;
	}
	return 0;
}

/* Any absoluteURI; sip:/sips: fully parsed. @s has no surrounding blanks. */
static int parse_uri(struct parser *ps, struct sip_str s, struct sip_uri *u)
{
	const char *p = s.p, *end = s.p + s.len, *colon;
	size_t i;

	memset(u, 0, sizeof(*u));
	u->raw = s;
	for (i = 0; i < s.len; i++) {
		unsigned char c = s.p[i];

		/* No blanks, controls, quotes or brackets inside a URI. */
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>')
			return -1;
	}
	colon = memchr(p, ':', s.len);
	if (!colon || colon == p || !is_alpha(*p))
		return -1;
	for (i = 1; p + i < colon; i++)
		if (!is_alnum(p[i]) && !strchr("+-.", p[i]))
			return -1;
	if (colon + 1 == end)
		return -1;
	if (sip_str_caseeq(mkstr(p, colon), "sip")) {
		u->scheme = SIP_URI_SIP;
	} else if (sip_str_caseeq(mkstr(p, colon), "sips")) {
		u->scheme = SIP_URI_SIPS;
	} else {
		if (sip_str_caseeq(mkstr(p, colon), "tel")) {
			const char *semi = memchr(colon + 1, ';', end - colon - 1);

			u->scheme = SIP_URI_TEL;
			u->user = mkstr(colon + 1, semi ? semi : end);
		} else {
			u->scheme = SIP_URI_OTHER;
		}
		return 0;
	}
	return parse_sip_uri(ps, colon + 1, end, u);
}

/* ---- header parameters --------------------------------------------------- */

/*
 * *( SEMI generic-param ) over [p, end): generic-param = token [EQUAL
 * gen-value], gen-value = token / host / quoted-string, blanks allowed
 * around ';' and '='.
 */
static int parse_params(struct parser *ps, const char *p, const char *end,
			struct sip_param *params, unsigned int max, unsigned int *n)
{
	for (;;) {
		struct sip_param *pa;
		const char *q;

		p = skip_wsp(p, end);
		if (p == end)
			return 0;
		if (*p != ';')
			return -1;
		p = skip_wsp(p + 1, end);
		q = scan_token(p, end);
		if (q == p || *n == max)
			return -1;
		pa = &params[(*n)++];
		pa->name = mkstr(p, q);
		pa->value.p = NULL;
		pa->value.len = 0;
		p = skip_wsp(q, end);
		if (p == end || *p != '=')
			continue;
		p = skip_wsp(p + 1, end);
		if (p < end && *p == '"') {
			if (parse_quoted(ps, &p, end, &pa->value))
				return -1;
			continue;
		}
		for (q = p; q < end && (is_token_char(*q) || *q == ':' || *q == '[' || *q == ']'); q++)
			;
		if (q == p)
			return -1;
		pa->value = mkstr(p, q);
		p = q;
	}
}

static const struct sip_param *find_param(const struct sip_param *params, unsigned int n,
					  const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sip_str_caseeq(params[i].name, name))
			return &params[i];
	return NULL;
}

/* ---- header values ------------------------------------------------------- */

/*
 * name-addr / addr-spec with header params (From, To, Contact, Route,
 * Record-Route). @need_brackets: Route and Record-Route only take name-addr.
 */
static int parse_nameaddr(struct parser *ps, struct sip_str v, struct sip_nameaddr *na,
			  bool need_brackets)
{
	const char *p = v.p, *end = v.p + v.len, *uri_end;
	const struct sip_param *pa;
	struct sip_str uri;
	bool bracket = false;

	memset(na, 0, sizeof(*na));
	na->raw = v;
	na->expires = -1;
	if (p < end && *p == '"') {
		if (parse_quoted(ps, &p, end, &na->display))
			return -1;
		p = skip_wsp(p, end);
		if (p == end || *p != '<')
			return -1;
		bracket = true;
	} else {
		const char *q = p;

		while (q < end && (is_token_char(*q) || is_wsp(*q)))
			q++;
		if (q < end && *q == '<') {
			na->display = trim(p, q);
			p = q;
			bracket = true;
		}
	}
	if (bracket) {
		uri_end = memchr(p, '>', end - p);
		if (!uri_end)
			return -1;
		uri = mkstr(p + 1, uri_end);
		p = uri_end + 1;
	} else {
		if (need_brackets)
			return -1;
		for (uri_end = p; uri_end < end && *uri_end != ';' && !is_wsp(*uri_end); uri_end++)
			;
		uri = mkstr(p, uri_end);
		p = uri_end;
	}
	if (parse_uri(ps, uri, &na->uri))
		return -1;
	if (parse_params(ps, p, end, na->params, SIP_MAX_PARAMS, &na->nparams))
		return -1;
	pa = find_param(na->params, na->nparams, "tag");
	if (pa) {
		if (!all_token(pa->value))
			return -1;
		na->tag = pa->value;
	}
	pa = find_param(na->params, na->nparams, "expires");
	if (pa && !parse_uint(pa->value, DELTA_MAX, &na->expires))
		return -1;
	return 0;
}

/* sent-protocol LWS sent-by *( SEMI via-params ) */
static int parse_via(struct parser *ps, struct sip_str v, struct sip_via *via)
{
	const char *p = v.p, *end = v.p + v.len, *q;
	const struct sip_param *pa;
	static const char *const parts[] = { "SIP", "2.0" };
	int64_t n;
	unsigned int i;

	memset(via, 0, sizeof(*via));
	via->raw = v;
	via->ttl = -1;
	for (i = 0; i < 2; i++) {
		q = scan_token(p, end);
		if (!sip_str_caseeq(mkstr(p, q), parts[i]))
			return -1;
		p = skip_wsp(q, end);
		if (p == end || *p != '/')
			return -1;
		p = skip_wsp(p + 1, end);
	}
	q = scan_token(p, end);
	if (q == p || q == end || !is_wsp(*q))
		return -1;
	via->transport = mkstr(p, q);
	p = skip_wsp(q, end);
	for (q = p; q < end && *q != ';' && !is_wsp(*q); q++)
		;
	if (!parse_hostport(mkstr(p, q), &via->host, &via->host_ipv6, &via->port))
		return -1;
	if (parse_params(ps, q, end, via->params, SIP_MAX_PARAMS, &via->nparams))
		return -1;
	for (i = 0; i < via->nparams; i++) {
		pa = &via->params[i];
		if (sip_str_caseeq(pa->name, "branch")) {
			if (!all_token(pa->value))
				return -1;
			via->branch = pa->value;
		} else if (sip_str_caseeq(pa->name, "received")) {
			unsigned char a[16];
			char tmp[48];

			if (!pa->value.len || pa->value.len >= sizeof(tmp))
				return -1;
			memcpy(tmp, pa->value.p, pa->value.len);
			tmp[pa->value.len] = '\0';
			if (inet_pton(AF_INET, tmp, a) != 1 && inet_pton(AF_INET6, tmp, a) != 1)
				return -1;
			via->received = pa->value;
		} else if (sip_str_caseeq(pa->name, "rport")) {
			via->rport = true;
			if (pa->value.p) {
				if (!parse_uint_strict(pa->value, 65535, &n) || !n)
					return -1;
				via->rport_value = (uint16_t)n;
			}
		} else if (sip_str_caseeq(pa->name, "ttl")) {
			if (!parse_uint_strict(pa->value, 255, &n))
				return -1;
			via->ttl = (int)n;
		} else if (sip_str_caseeq(pa->name, "maddr")) {
			if (!pa->value.len)
				return -1;
			via->maddr = pa->value;
		}
	}
	return 0;
}

/* callid = word [ "@" word ] */
static bool valid_callid(struct sip_str v)
{
	size_t i, ats = 0;

	if (!v.len)
		return false;
	for (i = 0; i < v.len; i++) {
		char c = v.p[i];

		if (c == '@') {
			if (++ats > 1 || i == 0 || i == v.len - 1)
				return false;
		} else if (!is_token_char(c) && !strchr("()<>:\\\"/[]?{}", c)) {
			return false;
		}
	}
	return true;
}

/* Splits "name SWS = SWS value" auth params on commas outside quotes. */
static int parse_challenge(struct parser *ps, struct sip_str v, struct sip_challenge *ch)
{
	const char *p = v.p, *end = v.p + v.len, *q;
	struct sip_str *slot;
	bool is_digest;

	q = scan_token(p, end);
	if (q == p)
		return -1;
	ch->scheme = mkstr(p, q);
	is_digest = sip_str_caseeq(ch->scheme, "Digest");
	if (q == end || !is_wsp(*q))
		return -1;
	p = skip_wsp(q, end);
	for (;;) {
		struct sip_str name, val;

		q = scan_token(p, end);
		if (q == p)
			return -1;
		name = mkstr(p, q);
		p = skip_wsp(q, end);
		if (p == end || *p != '=')
			return -1;
		p = skip_wsp(p + 1, end);
		if (p < end && *p == '"') {
			if (parse_quoted(ps, &p, end, &val))
				return -1;
		} else {
			q = scan_token(p, end);
			if (q == p)
				return -1;
			val = mkstr(p, q);
			p = q;
		}
		slot = NULL;
		if (sip_str_caseeq(name, "realm"))
			slot = &ch->realm;
		else if (sip_str_caseeq(name, "nonce"))
			slot = &ch->nonce;
		else if (sip_str_caseeq(name, "opaque"))
			slot = &ch->opaque;
		else if (sip_str_caseeq(name, "algorithm"))
			slot = &ch->algorithm;
		else if (sip_str_caseeq(name, "domain"))
			slot = &ch->domain;
		else if (sip_str_caseeq(name, "qop"))
			slot = &ch->qop;
		else if (sip_str_caseeq(name, "stale")) {
			if (sip_str_caseeq(val, "true"))
				ch->stale = true;
			else if (!sip_str_caseeq(val, "false"))
				return -1;
		}
		if (slot) {
			if (slot->p)
				return -1;	/* the same parameter twice */
			*slot = val;
		}
		p = skip_wsp(p, end);
		if (p == end)
			break;
		if (*p != ',')
			return -1;
		p = skip_wsp(p + 1, end);
	}
	if (ch->qop.p) {
		/* qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT */
		p = ch->qop.p;
		end = p + ch->qop.len;
		while (p < end) {
			struct sip_str t;

			q = memchr(p, ',', end - p);
			t = trim(p, q ? q : end);
			if (sip_str_caseeq(t, "auth"))
				ch->qop_auth = true;
			else if (sip_str_caseeq(t, "auth-int"))
				ch->qop_auth_int = true;
			else if (!all_token(t))
				return -1;
			p = q ? q + 1 : end;
		}
	}
	if (is_digest && (!ch->realm.p || !ch->nonce.p))
		return -1;
	return 0;
}

/* token *( SEMI generic-param ): the token, params into @params. */
static int parse_token_params(struct parser *ps, struct sip_str v, struct sip_str *tok,
			      struct sip_param *params, unsigned int *n)
{
	const char *q = scan_token(v.p, v.p + v.len);

	*n = 0;
	if (q == v.p)
		return -1;
	*tok = mkstr(v.p, q);
	return parse_params(ps, q, v.p + v.len, params, SIP_MAX_PARAMS, n);
}

/* warn-code SP warn-agent SP warn-text */
static int parse_warning(struct parser *ps, struct sip_str v, struct sip_warning *w)
{
	const char *p = v.p, *end = v.p + v.len, *q;
	int64_t code;

	if (v.len < 4 || !parse_uint(mkstr(p, p + 3), 999, &code) || p[3] != ' ')
		return -1;
	w->code = (int)code;
	p += 4;
	q = memchr(p, ' ', end - p);
	if (!q || q == p)
		return -1;
	w->agent = mkstr(p, q);
	p = q + 1;
	if (p == end || *p != '"')
		return -1;
	if (parse_quoted(ps, &p, end, &w->text) || p != end)
		return -1;
	return 0;
}

/* ---- header names -------------------------------------------------------- */

struct hdr_def {
	const char *name;
	char compact;
	bool list;		/* comma-separated list: split into values */
	bool single;		/* may appear once */
};

static const struct hdr_def hdr_defs[SIP_HDR__COUNT] = {
	[SIP_HDR_VIA] = { "Via", 'v', true, false },
	[SIP_HDR_FROM] = { "From", 'f', false, true },
	[SIP_HDR_TO] = { "To", 't', false, true },
	[SIP_HDR_CALL_ID] = { "Call-ID", 'i', false, true },
	[SIP_HDR_CSEQ] = { "CSeq", 0, false, true },
	[SIP_HDR_MAX_FORWARDS] = { "Max-Forwards", 0, false, true },
	[SIP_HDR_CONTACT] = { "Contact", 'm', true, false },
	[SIP_HDR_ROUTE] = { "Route", 0, true, false },
	[SIP_HDR_RECORD_ROUTE] = { "Record-Route", 0, true, false },
	[SIP_HDR_CONTENT_LENGTH] = { "Content-Length", 'l', false, true },
	[SIP_HDR_CONTENT_TYPE] = { "Content-Type", 'c', false, true },
	[SIP_HDR_CONTENT_ENCODING] = { "Content-Encoding", 'e', true, false },
	[SIP_HDR_WWW_AUTHENTICATE] = { "WWW-Authenticate", 0, false, false },
	[SIP_HDR_PROXY_AUTHENTICATE] = { "Proxy-Authenticate", 0, false, false },
	[SIP_HDR_AUTHORIZATION] = { "Authorization", 0, false, false },
	[SIP_HDR_PROXY_AUTHORIZATION] = { "Proxy-Authorization", 0, false, false },
	[SIP_HDR_EVENT] = { "Event", 'o', false, true },
	[SIP_HDR_SUBSCRIPTION_STATE] = { "Subscription-State", 0, false, true },
	[SIP_HDR_EXPIRES] = { "Expires", 0, false, true },
	[SIP_HDR_MIN_EXPIRES] = { "Min-Expires", 0, false, true },
	[SIP_HDR_SESSION_EXPIRES] = { "Session-Expires", 'x', false, true },
	[SIP_HDR_SUPPORTED] = { "Supported", 'k', true, false },
	[SIP_HDR_REQUIRE] = { "Require", 0, true, false },
	[SIP_HDR_PROXY_REQUIRE] = { "Proxy-Require", 0, true, false },
	[SIP_HDR_UNSUPPORTED] = { "Unsupported", 0, true, false },
	[SIP_HDR_WARNING] = { "Warning", 0, true, false },
	[SIP_HDR_ALLOW] = { "Allow", 0, true, false },
	[SIP_HDR_ALLOW_EVENTS] = { "Allow-Events", 'u', true, false },
	[SIP_HDR_ACCEPT] = { "Accept", 0, true, false },
	[SIP_HDR_SUBJECT] = { "Subject", 's', false, false },
	[SIP_HDR_USER_AGENT] = { "User-Agent", 0, false, false },
	[SIP_HDR_SERVER] = { "Server", 0, false, false },
	[SIP_HDR_REFER_TO] = { "Refer-To", 'r', false, true },
	[SIP_HDR_REFERRED_BY] = { "Referred-By", 'b', false, true },
	[SIP_HDR_PATH] = { "Path", 0, true, false },
	[SIP_HDR_SERVICE_ROUTE] = { "Service-Route", 0, true, false },
	[SIP_HDR_CALL_INFO] = { "Call-Info", 0, true, false },
	[SIP_HDR_ALERT_INFO] = { "Alert-Info", 0, true, false },
};

const char *sip_hdr_name(enum sip_hdr_id id)
{
	if (id <= SIP_HDR_OTHER || id >= SIP_HDR__COUNT)
		return NULL;
	return hdr_defs[id].name;
}

static enum sip_hdr_id hdr_lookup(struct sip_str name)
{
	unsigned int i;

	for (i = SIP_HDR_OTHER + 1; i < SIP_HDR__COUNT; i++) {
		if (name.len == 1 && hdr_defs[i].compact &&
		    (name.p[0] | 0x20) == hdr_defs[i].compact)
			return i;
		if (sip_str_caseeq(name, hdr_defs[i].name))
			return i;
	}
	return SIP_HDR_OTHER;
}

/* ---- methods and errors -------------------------------------------------- */

static const char *const method_names[] = {
	[SIP_METHOD_INVITE] = "INVITE", [SIP_METHOD_ACK] = "ACK", [SIP_METHOD_BYE] = "BYE",
	[SIP_METHOD_CANCEL] = "CANCEL", [SIP_METHOD_REGISTER] = "REGISTER",
	[SIP_METHOD_OPTIONS] = "OPTIONS", [SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SIP_METHOD_NOTIFY] = "NOTIFY", [SIP_METHOD_REFER] = "REFER", [SIP_METHOD_INFO] = "INFO",
	[SIP_METHOD_UPDATE] = "UPDATE", [SIP_METHOD_PRACK] = "PRACK",
	[SIP_METHOD_MESSAGE] = "MESSAGE", [SIP_METHOD_PUBLISH] = "PUBLISH",
};

enum sip_method sip_method_from_str(struct sip_str s)
{
	unsigned int i;

	for (i = 1; i < sizeof(method_names) / sizeof(method_names[0]); i++)
		if (sip_str_eq(s, method_names[i]))
			return i;
	return SIP_METHOD_UNKNOWN;
}

const char *sip_method_name(enum sip_method m)
{
	if (m <= SIP_METHOD_UNKNOWN || m >= sizeof(method_names) / sizeof(method_names[0]))
		return NULL;
	return method_names[m];
}

const char *sip_err_name(enum sip_err code)
{
	static const char *const names[] = {
		[SIP_OK] = "ok",
		[SIP_E_TOO_LARGE] = "message too large",
		[SIP_E_TOO_MANY] = "too many headers or values",
		[SIP_E_INCOMPLETE] = "incomplete message",
		[SIP_E_LINE] = "bad line structure",
		[SIP_E_START_LINE] = "bad start line",
		[SIP_E_VERSION] = "unsupported SIP version",
		[SIP_E_URI_SCHEME] = "unsupported URI scheme",
		[SIP_E_HEADER] = "malformed header",
		[SIP_E_DUPLICATE] = "duplicate header",
		[SIP_E_MISSING] = "missing mandatory header",
		[SIP_E_CSEQ_METHOD] = "CSeq method mismatch",
		[SIP_E_VIA_COUNT] = "response with more than one Via",
		[SIP_E_CONTENT_LENGTH] = "bad Content-Length",
		[SIP_E_NOMEM] = "out of memory",
	};

	if ((unsigned int)code >= sizeof(names) / sizeof(names[0]))
		return "unknown error";
	return names[code];
}

/* ---- the parse ----------------------------------------------------------- */

static int parse_start_line(struct parser *ps, struct sip_str line)
{
	struct sip_msg *m = ps->m;
	const char *p = line.p, *end = line.p + line.len, *sp1, *sp2;
	int64_t status;
	size_t i;

	if (line.len >= 4 && !strncmp(p, "SIP/", 4)) {
		/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
		m->is_request = false;
		sp1 = memchr(p, ' ', line.len);
		if (!sp1)
			return fail(ps, SIP_E_START_LINE, "bad status line");
		if (!sip_str_eq(mkstr(p, sp1), "SIP/2.0"))
			return fail(ps, SIP_E_VERSION, "unsupported version in status line");
		if (end - sp1 < 5 || sp1[4] != ' ' ||
		    !parse_uint(mkstr(sp1 + 1, sp1 + 4), 999, &status) ||
		    status < 100 || status > 699)
			return fail(ps, SIP_E_START_LINE, "bad status code");
		m->status = (int)status;
		m->reason = mkstr(sp1 + 5, end);
		for (i = 0; i < m->reason.len; i++)
			if ((unsigned char)m->reason.p[i] < 0x20 && m->reason.p[i] != '\t')
				return fail(ps, SIP_E_START_LINE, "bad reason phrase");
		return 0;
	}

	/* Request-Line = Method SP Request-URI SP SIP-Version */
	m->is_request = true;
	sp1 = memchr(p, ' ', line.len);
	if (!sp1 || sp1 == p || scan_token(p, sp1) != sp1)
		return fail(ps, SIP_E_START_LINE, "bad request line");
	m->method_str = mkstr(p, sp1);
	m->method = sip_method_from_str(m->method_str);
	sp2 = memchr(sp1 + 1, ' ', end - sp1 - 1);
	if (!sp2 || sp2 == sp1 + 1 || memchr(sp2 + 1, ' ', end - sp2 - 1))
		return fail(ps, SIP_E_START_LINE, "bad request line");
	if (!sip_str_caseeq(mkstr(sp2 + 1, end), "SIP/2.0")) {
		if (end - sp2 > 4 && !strncasecmp(sp2 + 1, "SIP/", 4))
			return fail(ps, SIP_E_VERSION, "unsupported version %.16s", sp2 + 1);
		return fail(ps, SIP_E_START_LINE, "bad request line");
	}
	if (parse_uri(ps, mkstr(sp1 + 1, sp2), &m->ruri))
		return fail(ps, SIP_E_START_LINE, "bad Request-URI");
	if (m->ruri.scheme != SIP_URI_SIP && m->ruri.scheme != SIP_URI_SIPS)
		return fail(ps, SIP_E_URI_SCHEME, "unsupported Request-URI scheme");
	ps->ruri_ok = true;
	return 0;
}

static int hdr_error(struct parser *ps, const struct sip_hdr *h)
{
	return fail(ps, SIP_E_HEADER, "malformed %.*s header",
		    (int)(h->name.len > 32 ? 32 : h->name.len), h->name.p);
}

static int too_many(struct parser *ps, const struct sip_hdr *h)
{
	return fail(ps, SIP_E_TOO_MANY, "too many %.*s values",
		    (int)(h->name.len > 32 ? 32 : h->name.len), h->name.p);
}

/* The typed view of one header value. */
static int parse_hdr_value(struct parser *ps, const struct sip_hdr *h)
{
	struct sip_msg *m = ps->m;
	struct sip_str v = h->value, tok;
	struct sip_param params[SIP_MAX_PARAMS];
	const struct sip_param *pa;
	unsigned int n;
	int64_t num;
	const char *q;

	switch (h->id) {
	case SIP_HDR_VIA: {
		/* Only the first value is the top one: a broken top Via followed
		 * by a good one must not make the second look like the top.
		 */
		bool top = !ps->via_seen;

		ps->via_seen = true;
		if (m->nvia == SIP_MAX_VIA)
			return too_many(ps, h);
		if (parse_via(ps, v, &m->via[m->nvia]))
			return hdr_error(ps, h);
		m->nvia++;
		if (top)
			ps->top_via_ok = true;
		return 0;
	}
	case SIP_HDR_FROM:
		if (parse_nameaddr(ps, v, &m->from, false))
			return hdr_error(ps, h);
		ps->good[h->id] = true;
		return 0;
	case SIP_HDR_TO:
		if (parse_nameaddr(ps, v, &m->to, false)) {
			memset(&m->to, 0, sizeof(m->to));
			return hdr_error(ps, h);
		}
		ps->good[h->id] = true;
		return 0;
	case SIP_HDR_CALL_ID:
		if (!valid_callid(v))
			return hdr_error(ps, h);
		m->call_id = v;
		ps->good[h->id] = true;
		return 0;
	case SIP_HDR_CSEQ:
		/* CSeq = 1*DIGIT LWS Method; the number below 2^31 [8.1.1.5] */
		for (q = v.p; q < v.p + v.len && is_digit(*q); q++)
			;
		if (!parse_uint_strict(mkstr(v.p, q), 0x7fffffff, &num) ||
		    q == v.p + v.len || !is_wsp(*q))
			return hdr_error(ps, h);
		m->cseq = (uint32_t)num;
		m->cseq_method_str = trim(q, v.p + v.len);
		if (!all_token(m->cseq_method_str))
			return hdr_error(ps, h);
		m->cseq_method = sip_method_from_str(m->cseq_method_str);
		ps->good[h->id] = true;
		return 0;
	case SIP_HDR_MAX_FORWARDS:
		if (!parse_uint_strict(v, 255, &num))
			return hdr_error(ps, h);
		m->max_forwards = (int)num;
		return 0;
	case SIP_HDR_CONTACT:
		if (m->ncontact == SIP_MAX_CONTACT)
			return too_many(ps, h);
		if (sip_str_eq(v, "*")) {
			memset(&m->contact[m->ncontact], 0, sizeof(m->contact[0]));
			m->contact[m->ncontact].raw = v;
			m->contact[m->ncontact].star = true;
			m->contact[m->ncontact].expires = -1;
		} else if (parse_nameaddr(ps, v, &m->contact[m->ncontact], false)) {
			return hdr_error(ps, h);
		}
		m->ncontact++;
		return 0;
	case SIP_HDR_ROUTE:
		if (m->nroute == SIP_MAX_ROUTE)
			return too_many(ps, h);
		if (parse_nameaddr(ps, v, &m->route[m->nroute], true))
			return hdr_error(ps, h);
		m->nroute++;
		return 0;
	case SIP_HDR_RECORD_ROUTE:
		if (m->nrecord_route == SIP_MAX_ROUTE)
			return too_many(ps, h);
		if (parse_nameaddr(ps, v, &m->record_route[m->nrecord_route], true))
			return hdr_error(ps, h);
		m->nrecord_route++;
		return 0;
	case SIP_HDR_CONTENT_LENGTH:
		if (!parse_uint_strict(v, SIP_MAX_MSG, &num))
			return fail(ps, SIP_E_CONTENT_LENGTH, "bad Content-Length");
		m->content_length = num;
		return 0;
	case SIP_HDR_CONTENT_TYPE:
		/* m-type SLASH m-subtype *(SEMI m-parameter) */
		q = scan_token(v.p, v.p + v.len);
		if (q == v.p || q == v.p + v.len || *q != '/')
			return hdr_error(ps, h);
		tok.p = q + 1;
		q = scan_token(tok.p, v.p + v.len);
		n = 0;
		if (q == tok.p || parse_params(ps, q, v.p + v.len, params, SIP_MAX_PARAMS, &n))
			return hdr_error(ps, h);
		m->content_type = v;
		return 0;
	case SIP_HDR_WWW_AUTHENTICATE:
	case SIP_HDR_PROXY_AUTHENTICATE:
		if (m->nchallenge == SIP_MAX_CHALLENGES)
			return too_many(ps, h);
		memset(&m->challenge[m->nchallenge], 0, sizeof(m->challenge[0]));
		m->challenge[m->nchallenge].proxy = h->id == SIP_HDR_PROXY_AUTHENTICATE;
		if (parse_challenge(ps, v, &m->challenge[m->nchallenge]))
			return hdr_error(ps, h);
		m->nchallenge++;
		return 0;
	case SIP_HDR_EVENT:
		if (parse_token_params(ps, v, &m->event, params, &n))
			return hdr_error(ps, h);
		pa = find_param(params, n, "id");
		if (pa)
			m->event_id = pa->value;
		return 0;
	case SIP_HDR_SUBSCRIPTION_STATE:
		if (parse_token_params(ps, v, &m->sub_state, params, &n))
			return hdr_error(ps, h);
		pa = find_param(params, n, "reason");
		if (pa)
			m->sub_reason = pa->value;
		pa = find_param(params, n, "expires");
		if (pa && !parse_uint(pa->value, DELTA_MAX, &m->sub_expires))
			return hdr_error(ps, h);
		pa = find_param(params, n, "retry-after");
		if (pa && !parse_uint(pa->value, DELTA_MAX, &m->sub_retry_after))
			return hdr_error(ps, h);
		return 0;
	case SIP_HDR_EXPIRES:
		return parse_uint(v, DELTA_MAX, &m->expires) ? 0 : hdr_error(ps, h);
	case SIP_HDR_MIN_EXPIRES:
		return parse_uint(v, DELTA_MAX, &m->min_expires) ? 0 : hdr_error(ps, h);
	case SIP_HDR_SESSION_EXPIRES:
		q = v.p;
		while (q < v.p + v.len && is_digit(*q))
			q++;
		if (!parse_uint(mkstr(v.p, q), DELTA_MAX, &m->session_expires))
			return hdr_error(ps, h);
		n = 0;
		if (parse_params(ps, q, v.p + v.len, params, SIP_MAX_PARAMS, &n))
			return hdr_error(ps, h);
		pa = find_param(params, n, "refresher");
		if (pa) {
			if (!sip_str_eq(pa->value, "uac") && !sip_str_eq(pa->value, "uas"))
				return hdr_error(ps, h);
			m->se_refresher = pa->value;
		}
		return 0;
	case SIP_HDR_SUPPORTED:
	case SIP_HDR_REQUIRE:
		if (!v.len && h->id == SIP_HDR_SUPPORTED)
			return 0;	/* "Supported:" with nothing is allowed */
		if (!all_token(v))
			return hdr_error(ps, h);
		if (h->id == SIP_HDR_SUPPORTED) {
			if (m->nsupported == SIP_MAX_TOKENS)
				return too_many(ps, h);
			m->supported[m->nsupported++] = v;
		} else {
			if (m->nrequire == SIP_MAX_TOKENS)
				return too_many(ps, h);
			m->require[m->nrequire++] = v;
		}
		return 0;
	case SIP_HDR_WARNING:
		if (m->nwarning == SIP_MAX_WARNINGS)
			return too_many(ps, h);
		if (parse_warning(ps, v, &m->warning[m->nwarning]))
			return hdr_error(ps, h);
		m->nwarning++;
		return 0;
	default:
		return 0;
	}
}

/* Append one header value (or a list's values) to m->hdrs. */
static int add_header(struct parser *ps, enum sip_hdr_id id, struct sip_str name,
		      struct sip_str value)
{
	struct sip_msg *m = ps->m;
	const char *p = value.p, *end = value.p + value.len, *start = p;
	int depth = 0;
	bool list = id != SIP_HDR_OTHER && hdr_defs[id].list;

	for (;;) {
		if (p == end || (list && *p == ',' && !depth)) {
			struct sip_hdr *h;
			struct sip_str one = trim(start, p);

			if (list && !one.len && value.len)
				return fail(ps, SIP_E_HEADER, "empty value in %.*s list",
					    (int)(name.len > 32 ? 32 : name.len), name.p);
			if (m->nhdrs == SIP_MAX_HEADERS)
				return fail(ps, SIP_E_TOO_MANY, "more than %d header values",
					    SIP_MAX_HEADERS);
			h = &m->hdrs[m->nhdrs++];
			h->id = id;
			h->name = name;
			h->value = one;
			if (p == end)
				return 0;
			start = ++p;
			continue;
		}
		if (*p == '"') {
			p = skip_quoted(p, end);
			if (!p)
				return fail(ps, SIP_E_HEADER, "unterminated quoted string in %.*s",
					    (int)(name.len > 32 ? 32 : name.len), name.p);
			continue;
		}
		if (*p == '<')
			depth = 1;
		else if (*p == '>')
			depth = 0;
		p++;
	}
}

/*
 * Copy the header section [p, end) (ending in CRLF) into the arena, one
 * NUL-terminated line per header with folds replaced by one SP.
 */
static int unfold(struct parser *ps, const char *p, const char *end,
		  struct sip_str *lines, unsigned int max, unsigned int *nlines)
{
	char *dst = arena_alloc(ps, end - p + 1), *line_start = NULL;

	if (!dst)
		return -1;
	*nlines = 0;
	while (p < end) {
		const char *cr = p, *q;

		while (cr < end && *cr != '\r') {
			if (*cr == '\n' || *cr == '\0')
				return fail(ps, SIP_E_LINE, "bare LF or NUL in headers");
			cr++;
		}
		if (cr + 1 >= end || cr[1] != '\n')
			return fail(ps, SIP_E_LINE, "bare CR in headers");
		if (is_wsp(*p)) {
			if (*nlines < 2)
				return fail(ps, SIP_E_LINE, "continuation line without a header");
			q = skip_wsp(p, cr);
			*dst++ = ' ';
			memcpy(dst, q, cr - q);
			dst += cr - q;
			lines[*nlines - 1].len = dst - line_start;
		} else {
			if (line_start)
				*dst++ = '\0';
			if (*nlines == max)
				return fail(ps, SIP_E_TOO_MANY, "more than %d header lines",
					    SIP_MAX_HEADERS);
			line_start = dst;
			memcpy(dst, p, cr - p);
			dst += cr - p;
			lines[(*nlines)++] = mkstr(line_start, dst);
		}
		p = cr + 2;
	}
	*dst = '\0';
	return 0;
}

static void finish_error(struct parser *ps)
{
	struct sip_msg *m = ps->m;
	struct sip_error *e = ps->err;

	if (!m->is_request) {
		e->status = 0;
		e->can_reply = false;
		return;
	}
	switch (e->code) {
	case SIP_E_VERSION:
		e->status = 505;
		break;
	case SIP_E_URI_SCHEME:
		e->status = 416;
		break;
	case SIP_E_TOO_LARGE:
		e->status = 513;
		break;
	case SIP_E_NOMEM:
		e->status = 500;
		break;
	default:
		e->status = 400;
		break;
	}
	/* The values a response copies must have parsed: else it is garbage too. */
	e->can_reply = m->method_str.len && ps->top_via_ok &&
		       ps->good[SIP_HDR_FROM] && ps->good[SIP_HDR_TO] &&
		       ps->good[SIP_HDR_CALL_ID] && ps->good[SIP_HDR_CSEQ];
	/* A reply the peer's transaction layer cannot match is useless. */
	if (!e->can_reply)
		e->status = 0;
}

static const char *find_crlfcrlf(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
			return p + i;
	return NULL;
}

int sip_msg_parse(struct sip_msg *m, const char *data, size_t len, unsigned int flags,
		  struct sip_error *err)
{
	struct sip_str lines[SIP_MAX_HEADERS + 1];
	struct sip_error dummy;
	struct parser ps = { .m = m, .err = err ? err : &dummy };
	const char *p = data, *end = data + len, *hdr_end;
	unsigned int nlines = 0, i;
	size_t avail;
	char *body;

	memset(m, 0, sizeof(*m));
	memset(ps.err, 0, sizeof(*ps.err));
	m->max_forwards = -1;
	m->expires = m->min_expires = m->session_expires = -1;
	m->sub_expires = m->sub_retry_after = -1;
	m->content_length = -1;

	if (len > SIP_MAX_MSG) {
		fail(&ps, SIP_E_TOO_LARGE, "message of %zu bytes", len);
		goto out;
	}
	while (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
		p += 2;
	hdr_end = find_crlfcrlf(p, end - p);
	if (!hdr_end || hdr_end == p) {
		fail(&ps, SIP_E_INCOMPLETE, "no end of headers");
		goto out;
	}
	/* Headers, body, decoded strings: each shorter than the message. */
	m->arena_size = 2 * len + 64;
	m->arena = malloc(m->arena_size);
	if (!m->arena) {
		fail(&ps, SIP_E_NOMEM, "out of memory");
		goto out;
	}
	if (unfold(&ps, p, hdr_end + 2, lines, SIP_MAX_HEADERS + 1, &nlines))
		goto out;
	/* The start line decides request/response; header errors come later. */
	if (parse_start_line(&ps, lines[0]) && m->is_request && !m->method_str.len)
		goto out;
	if (!m->is_request && ps.failed)
		goto out;

	for (i = 1; i < nlines; i++) {
		const char *lp = lines[i].p, *le = lines[i].p + lines[i].len, *q;
		struct sip_str name;
		enum sip_hdr_id id;
		unsigned int first = m->nhdrs, j;

		/* header-name HCOLON value; HCOLON = *( SP / HTAB ) ":" SWS */
		q = scan_token(lp, le);
		name = mkstr(lp, q);
		q = skip_wsp(q, le);
		if (!name.len || q == le || *q != ':') {
			fail(&ps, SIP_E_HEADER, "malformed header line %u", i);
			goto out;
		}
		id = hdr_lookup(name);
		if (id != SIP_HDR_OTHER && hdr_defs[id].single && ps.seen[id]) {
			fail(&ps, SIP_E_DUPLICATE, "%s header twice", hdr_defs[id].name);
			continue;
		}
		ps.seen[id]++;
		if (add_header(&ps, id, name, trim(q + 1, le)))
			goto out;
		for (j = first; j < m->nhdrs; j++)
			parse_hdr_value(&ps, &m->hdrs[j]);
	}

	if (!ps.seen[SIP_HDR_VIA])
		fail(&ps, SIP_E_MISSING, "no Via header");
	else if (!ps.seen[SIP_HDR_FROM])
		fail(&ps, SIP_E_MISSING, "no From header");
	else if (!ps.seen[SIP_HDR_TO])
		fail(&ps, SIP_E_MISSING, "no To header");
	else if (!ps.seen[SIP_HDR_CALL_ID])
		fail(&ps, SIP_E_MISSING, "no Call-ID header");
	else if (!ps.seen[SIP_HDR_CSEQ])
		fail(&ps, SIP_E_MISSING, "no CSeq header");
	if (m->is_request && m->cseq_method_str.len &&
	    (m->cseq_method_str.len != m->method_str.len ||
	     memcmp(m->cseq_method_str.p, m->method_str.p, m->method_str.len)))
		fail(&ps, SIP_E_CSEQ_METHOD, "CSeq method differs from request method");
	if (!m->is_request && m->nvia > 1)
		fail(&ps, SIP_E_VIA_COUNT, "response with %u Via values", m->nvia);
	if (m->ncontact > 1) {
		for (i = 0; i < m->ncontact; i++)
			if (m->contact[i].star)
				fail(&ps, SIP_E_HEADER, "Contact: * with other contacts");
	}

	/* Framing [18.3] */
	p = hdr_end + 4;
	avail = end - p;
	if (m->content_length < 0) {
		if (flags & SIP_PARSE_STREAM)
			fail(&ps, SIP_E_CONTENT_LENGTH, "no Content-Length on a stream");
		m->body_len = avail;
	} else if ((flags & SIP_PARSE_STREAM) && (size_t)m->content_length != avail) {
		fail(&ps, SIP_E_CONTENT_LENGTH, "Content-Length %lld, body %zu bytes",
		     (long long)m->content_length, avail);
		m->body_len = 0;
	} else if ((size_t)m->content_length > avail) {
		fail(&ps, SIP_E_CONTENT_LENGTH, "Content-Length %lld, only %zu bytes",
		     (long long)m->content_length, avail);
		m->body_len = 0;
	} else {
		m->body_len = m->content_length;
	}
	body = arena_alloc(&ps, m->body_len + 1);
	if (body) {
		memcpy(body, p, m->body_len);
		body[m->body_len] = '\0';
		m->body = body;
	}
out:
	if (!ps.failed)
		return 0;
	finish_error(&ps);
	return -1;
}

void sip_msg_free(struct sip_msg *m)
{
	free(m->arena);
	m->arena = NULL;
	m->arena_size = m->arena_used = 0;
}

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr_id id)
{
	unsigned int i;

	for (i = 0; i < m->nhdrs; i++)
		if (m->hdrs[i].id == id)
			return &m->hdrs[i];
	return NULL;
}

const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *m, const char *name)
{
	struct sip_str n = { name, strlen(name) };
	enum sip_hdr_id id = hdr_lookup(n);
	unsigned int i;

	if (id != SIP_HDR_OTHER)
		return sip_msg_hdr(m, id);
	for (i = 0; i < m->nhdrs; i++)
		if (m->hdrs[i].id == SIP_HDR_OTHER && sip_str_caseeq(m->hdrs[i].name, name))
			return &m->hdrs[i];
	return NULL;
}

static bool has_token(const struct sip_str *list, unsigned int n, const char *opt)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sip_str_caseeq(list[i], opt))
			return true;
	return false;
}

bool sip_msg_supports(const struct sip_msg *m, const char *option)
{
	return has_token(m->supported, m->nsupported, option);
}

bool sip_msg_requires(const struct sip_msg *m, const char *option)
{
	return has_token(m->require, m->nrequire, option);
}

/* ---- stream framing ------------------------------------------------------ */

enum sip_frame sip_msg_frame(const char *buf, size_t len, size_t *msg_len)
{
	const char *hdr_end, *p, *end;
	int64_t cl = -1, v;
	size_t lead = 0, total;

	while (lead + 2 <= len && buf[lead] == '\r' && buf[lead + 1] == '\n')
		lead += 2;
	if (lead) {
		*msg_len = lead;
		return SIP_FRAME_KEEPALIVE;
	}
	if (len && (buf[0] == '\r') && len < 2)
		return SIP_FRAME_NEED_MORE;
	hdr_end = find_crlfcrlf(buf, len > SIP_MAX_MSG ? SIP_MAX_MSG : len);
	if (!hdr_end)
		return len >= SIP_MAX_MSG ? SIP_FRAME_ERROR : SIP_FRAME_NEED_MORE;

	/* Content-Length (or l) at the start of a line; folding allowed after it. */
	p = buf;
	end = hdr_end + 2;
	while (p < end) {
		const char *eol = p, *q, *name_end;
		struct sip_str name;

		while (eol + 1 < end && !(eol[0] == '\r' && eol[1] == '\n'))
			eol++;
		if (p != buf && !is_wsp(*p)) {
			name_end = scan_token(p, eol);
			name = mkstr(p, name_end);
			q = skip_wsp(name_end, eol);
			if (q < eol && *q == ':' &&
			    (sip_str_caseeq(name, "Content-Length") || sip_str_caseeq(name, "l"))) {
				const char *ve = eol;

				/* the value may continue on folded lines: not worth it */
				if (cl >= 0)
					return SIP_FRAME_ERROR;
				if (!parse_uint_strict(trim(q + 1, ve), SIP_MAX_MSG, &v))
					return SIP_FRAME_ERROR;
				cl = v;
			}
		}
		p = eol + 2;
	}
	if (cl < 0)
		return SIP_FRAME_ERROR;
	total = (size_t)(hdr_end + 4 - buf) + (size_t)cl;
	if (total > SIP_MAX_MSG)
		return SIP_FRAME_ERROR;
	if (total > len)
		return SIP_FRAME_NEED_MORE;
	*msg_len = total;
	return SIP_FRAME_MESSAGE;
}

/* ---- builder ------------------------------------------------------------- */

void sip_build_init(struct sip_builder *b, char *buf, size_t size)
{
	b->buf = buf;
	b->size = size;
	b->len = 0;
	b->error = !buf || size == 0;
	if (!b->error)
		buf[0] = '\0';
}

static void put(struct sip_builder *b, const char *s, size_t n)
{
	if (b->error)
		return;
	if (n >= b->size - b->len) {
		b->error = true;
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void puts_(struct sip_builder *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(struct sip_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct sip_builder *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->error)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->size - b->len) {
		b->error = true;
		b->buf[b->len] = '\0';
		return;
	}
	b->len += n;
}

/* Text that goes on a line: no CR, LF or NUL (header injection). */
static bool line_safe(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
			return false;
	return true;
}

static bool cstr_token(const char *s)
{
	return s && all_token((struct sip_str){ s, strlen(s) });
}

void sip_build_request_line(struct sip_builder *b, const char *method, const char *ruri)
{
	size_t i;

	if (!cstr_token(method) || !ruri || !*ruri) {
		b->error = true;
		return;
	}
	for (i = 0; ruri[i]; i++)
		if ((unsigned char)ruri[i] <= 0x20 || ruri[i] == 0x7f) {
			b->error = true;
			return;
		}
	putf(b, "%s %s SIP/2.0\r\n", method, ruri);
}

void sip_build_status_line(struct sip_builder *b, int status, const char *reason)
{
	if (status < 100 || status > 699) {
		b->error = true;
		return;
	}
	if (!reason)
		reason = sip_reason_phrase(status);
	if (!line_safe(reason, strlen(reason))) {
		b->error = true;
		return;
	}
	putf(b, "SIP/2.0 %03d %s\r\n", status, reason);
}

static void header_start(struct sip_builder *b, const char *name)
{
	if (!cstr_token(name)) {
		b->error = true;
		return;
	}
	puts_(b, name);
	put(b, ": ", 2);
}

/* Close a header whose value starts at @start: checked, then CRLF. */
static void header_end(struct sip_builder *b, size_t start)
{
	if (b->error)
		return;
	if (!line_safe(b->buf + start, b->len - start)) {
		b->error = true;
		return;
	}
	put(b, "\r\n", 2);
}

void sip_build_header(struct sip_builder *b, const char *name, const char *fmt, ...)
{
	va_list ap;
	size_t start;
	int n;

	header_start(b, name);
	if (b->error)
		return;
	start = b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->size - b->len) {
		b->error = true;
		return;
	}
	/* A NUL produced by %c would cut the value short: compare lengths. */
	if (strlen(b->buf + b->len) != (size_t)n) {
		b->error = true;
		return;
	}
	b->len += n;
	header_end(b, start);
}

void sip_build_header_str(struct sip_builder *b, const char *name, struct sip_str value)
{
	size_t start;

	header_start(b, name);
	start = b->len;
	put(b, value.p ? value.p : "", value.len);
	header_end(b, start);
}

int sip_build_finish(struct sip_builder *b, const char *content_type,
		     const void *body, size_t body_len)
{
	if (body_len && !body)
		b->error = true;
	if (body_len && content_type)
		sip_build_header(b, "Content-Type", "%s", content_type);
	sip_build_header(b, "Content-Length", "%zu", body_len);
	put(b, "\r\n", 2);
	if (body_len)
		put(b, body, body_len);
	if (b->error || b->len > SIP_MAX_MSG)
		return -1;
	return (int)b->len;
}

const char *sip_reason_phrase(int status)
{
	static const struct { int code; const char *text; } t[] = {
		{ 100, "Trying" }, { 180, "Ringing" }, { 181, "Call Is Being Forwarded" },
		{ 182, "Queued" }, { 183, "Session Progress" }, { 200, "OK" },
		{ 202, "Accepted" }, { 301, "Moved Permanently" }, { 302, "Moved Temporarily" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 407, "Proxy Authentication Required" }, { 408, "Request Timeout" },
		{ 413, "Request Entity Too Large" }, { 415, "Unsupported Media Type" },
		{ 416, "Unsupported URI Scheme" }, { 420, "Bad Extension" },
		{ 421, "Extension Required" }, { 422, "Session Interval Too Small" },
		{ 423, "Interval Too Brief" }, { 480, "Temporarily Unavailable" },
		{ 481, "Call/Transaction Does Not Exist" }, { 482, "Loop Detected" },
		{ 483, "Too Many Hops" }, { 486, "Busy Here" }, { 487, "Request Terminated" },
		{ 488, "Not Acceptable Here" }, { 489, "Bad Event" }, { 491, "Request Pending" },
		{ 500, "Server Internal Error" }, { 501, "Not Implemented" },
		{ 503, "Service Unavailable" }, { 504, "Server Time-out" },
		{ 505, "Version Not Supported" }, { 513, "Message Too Large" },
		{ 600, "Busy Everywhere" }, { 603, "Decline" },
	};
	static const char *const cls[] = { "Provisional", "Successful", "Redirection",
					   "Client Error", "Server Error", "Global Failure" };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == status)
			return t[i].text;
	if (status >= 100 && status <= 699)
		return cls[status / 100 - 1];
	return "Unknown";
}

static bool valid_address(const char *s)
{
	unsigned char a[16];

	return s && (inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1);
}

/* The top Via with ;received= and the ;rport value filled in. */
static void put_top_via(struct sip_builder *b, const struct sip_msg *req,
			const struct sip_hdr *h, const char *received, unsigned int rport)
{
	const struct sip_via *via = &req->via[0];
	const char *p = h->value.p, *end = h->value.p + h->value.len;
	unsigned int i;
	size_t start;

	header_start(b, "Via");
	start = b->len;
	if (rport && via->rport && !via->rport_value) {
		for (i = 0; i < via->nparams; i++) {
			const struct sip_param *pa = &via->params[i];

			if (sip_str_caseeq(pa->name, "rport") && !pa->value.p &&
			    pa->name.p >= p && pa->name.p + pa->name.len <= end) {
				put(b, p, pa->name.p + pa->name.len - p);
				putf(b, "=%u", rport);
				p = pa->name.p + pa->name.len;
				break;
			}
		}
	}
	put(b, p, end - p);
	if (received && !via->received.p)
		putf(b, ";received=%s", received);
	header_end(b, start);
}

int sip_build_response(struct sip_builder *b, const struct sip_msg *req, int status,
		       const char *reason, const char *to_tag, const char *received,
		       unsigned int rport)
{
	const struct sip_hdr *from, *to, *call_id, *cseq;
	unsigned int i, nvia = 0;
	size_t start;

	from = sip_msg_hdr(req, SIP_HDR_FROM);
	to = sip_msg_hdr(req, SIP_HDR_TO);
	call_id = sip_msg_hdr(req, SIP_HDR_CALL_ID);
	cseq = sip_msg_hdr(req, SIP_HDR_CSEQ);
	if (!req->is_request || !from || !to || !call_id || !cseq || !req->nvia ||
	    (to_tag && !cstr_token(to_tag)) || (received && !valid_address(received)) ||
	    rport > 65535) {
		b->error = true;
		return -1;
	}
	sip_build_status_line(b, status, reason);
	for (i = 0; i < req->nhdrs; i++) {
		const struct sip_hdr *h = &req->hdrs[i];

		if (h->id != SIP_HDR_VIA)
			continue;
		if (nvia++ == 0)
			put_top_via(b, req, h, received, rport);
		else
			sip_build_header_str(b, "Via", h->value);
	}
	sip_build_header_str(b, "From", from->value);
	header_start(b, "To");
	start = b->len;
	put(b, to->value.p, to->value.len);
	if (to_tag && status != 100 && req->to.raw.p && !req->to.tag.len)
		putf(b, ";tag=%s", to_tag);
	header_end(b, start);
	sip_build_header_str(b, "Call-ID", call_id->value);
	sip_build_header_str(b, "CSeq", cseq->value);
	if (status > 100 && status < 300) {
		for (i = 0; i < req->nhdrs; i++)
			if (req->hdrs[i].id == SIP_HDR_RECORD_ROUTE)
				sip_build_header_str(b, "Record-Route", req->hdrs[i].value);
	}
	return b->error ? -1 : 0;
}
