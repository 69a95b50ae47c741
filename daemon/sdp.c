// SPDX-License-Identifier: GPL-2.0
/*
 * SDP parse and offer/answer (RFC 4566, RFC 3264, RFC 4568). See sdp.h.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdp.h"

static int fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A line split on single spaces: at most @max fields. */
struct fields {
	const char *p[SDP_MAX_FMT + 4];
	size_t len[SDP_MAX_FMT + 4];
	unsigned int n;
};

/* Returns -1 on an empty field (two spaces) or too many fields. */
static int split(const char *p, size_t len, struct fields *f, unsigned int max)
{
	const char *end = p + len;

	f->n = 0;
	if (!len)
		return 0;
	for (;;) {
		const char *sp = memchr(p, ' ', end - p);
		const char *fe = sp ? sp : end;

		if (fe == p || f->n == max)
			return -1;
		f->p[f->n] = p;
		f->len[f->n++] = fe - p;
		if (!sp)
			return 0;
		p = sp + 1;
	}
}

static bool dec(const char *p, size_t len, unsigned int maxdigits, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len || len > maxdigits)
		return false;
	for (i = 0; i < len; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

static bool copy_token(char *dst, size_t size, const char *p, size_t len)
{
	if (len >= size)
		return false;
	memcpy(dst, p, len);
	dst[len] = '\0';
	return true;
}

static bool eq(const char *p, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(p, lit, len);
}

static bool valid_hostname(const char *h)
{
	size_t i;

	if (!*h)
		return false;
	for (i = 0; h[i]; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
		      is_digit(h[i]) || h[i] == '-' || h[i] == '.'))
			return false;
	return true;
}

/* "IN IP4 <addr>[/ttl[/n]]" or "IN IP6 <addr>[/n]" (also o='s last three fields). */
static int parse_conn(const char *nettype, size_t ntlen, const char *at, size_t atlen,
		      const char *addr, size_t alen, struct sdp_conn *c)
{
	unsigned char buf[16];
	const char *slash;
	uint64_t v;

	memset(c, 0, sizeof(*c));
	c->ttl = -1;
	if (!eq(nettype, ntlen, "IN"))
		return -1;
	if (eq(at, atlen, "IP4"))
		c->family = 4;
	else if (eq(at, atlen, "IP6"))
		c->family = 6;
	else
		return -1;
	slash = memchr(addr, '/', alen);
	if (!copy_token(c->addr, sizeof(c->addr), addr, slash ? (size_t)(slash - addr) : alen))
		return -1;
	if (slash) {
		const char *s2 = memchr(slash + 1, '/', alen - (slash + 1 - addr));
		size_t l1 = (s2 ? s2 : addr + alen) - (slash + 1);

		if (!dec(slash + 1, l1, 5, &v))
			return -1;
		if (c->family == 4) {
			if (v > 255)
				return -1;
			c->ttl = (int)v;
		}
		if (s2 && (c->family == 6 || !dec(s2 + 1, addr + alen - s2 - 1, 5, &v)))
			return -1;
	}
	if (inet_pton(c->family == 4 ? AF_INET : AF_INET6, c->addr, buf) != 1) {
		if (!valid_hostname(c->addr))
			return -1;
		c->family = 0;
	}
	c->present = true;
	return 0;
}

static enum sdp_proto proto_of(const char *p, size_t len)
{
	static const struct {
		const char *name;
		enum sdp_proto proto;
	} t[] = {
		{ "RTP/AVP", SDP_PROTO_RTP_AVP }, { "RTP/AVPF", SDP_PROTO_RTP_AVPF },
		{ "RTP/SAVP", SDP_PROTO_RTP_SAVP }, { "RTP/SAVPF", SDP_PROTO_RTP_SAVPF },
		{ "UDP/TLS/RTP/SAVP", SDP_PROTO_UDP_TLS_RTP_SAVP },
		{ "UDP/TLS/RTP/SAVPF", SDP_PROTO_UDP_TLS_RTP_SAVPF },
		{ "udp", SDP_PROTO_UDP },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].name) == len && !strncasecmp(p, t[i].name, len))
			return t[i].proto;
	return SDP_PROTO_OTHER;
}

const char *sdp_proto_name(enum sdp_proto p)
{
	static const char *const n[] = {
		[SDP_PROTO_OTHER] = "other", [SDP_PROTO_RTP_AVP] = "RTP/AVP",
		[SDP_PROTO_RTP_AVPF] = "RTP/AVPF", [SDP_PROTO_RTP_SAVP] = "RTP/SAVP",
		[SDP_PROTO_RTP_SAVPF] = "RTP/SAVPF",
		[SDP_PROTO_UDP_TLS_RTP_SAVP] = "UDP/TLS/RTP/SAVP",
		[SDP_PROTO_UDP_TLS_RTP_SAVPF] = "UDP/TLS/RTP/SAVPF", [SDP_PROTO_UDP] = "udp",
	};

	return (unsigned int)p < sizeof(n) / sizeof(n[0]) ? n[p] : "other";
}

const char *sdp_dir_name(enum sdp_dir d)
{
	switch (d) {
	case SDP_DIR_SENDONLY:
		return "sendonly";
	case SDP_DIR_RECVONLY:
		return "recvonly";
	case SDP_DIR_INACTIVE:
		return "inactive";
	default:
		return "sendrecv";
	}
}

static bool is_rtp(enum sdp_proto p)
{
	return p >= SDP_PROTO_RTP_AVP && p <= SDP_PROTO_UDP_TLS_RTP_SAVPF;
}

static int parse_m(struct sdp_media *m, const char *v, size_t len, char *why, size_t whylen)
{
	struct fields f;
	const char *slash;
	uint64_t n;
	unsigned int i;

	if (split(v, len, &f, SDP_MAX_FMT + 3) || f.n < 4)
		return fail(why, whylen, "bad m= line");
	if (!copy_token(m->type, sizeof(m->type), f.p[0], f.len[0]))
		return fail(why, whylen, "bad media type");
	slash = memchr(f.p[1], '/', f.len[1]);
	if (!dec(f.p[1], slash ? (size_t)(slash - f.p[1]) : f.len[1], 5, &n) || n > 65535)
		return fail(why, whylen, "bad media port");
	m->port = (uint16_t)n;
	m->nports = 1;
	if (slash) {
		if (!dec(slash + 1, f.p[1] + f.len[1] - slash - 1, 5, &n) || !n || n > 65535)
			return fail(why, whylen, "bad port count");
		m->nports = (uint16_t)n;
	}
	if (!copy_token(m->proto_str, sizeof(m->proto_str), f.p[2], f.len[2]))
		return fail(why, whylen, "bad transport protocol");
	m->proto = proto_of(f.p[2], f.len[2]);
	for (i = 3; i < f.n; i++) {
		if (!copy_token(m->fmt_str[m->nfmt], sizeof(m->fmt_str[0]), f.p[i], f.len[i]))
			return fail(why, whylen, "bad format");
		if (is_rtp(m->proto)) {
			if (!dec(f.p[i], f.len[i], 3, &n) || n > 127)
				return fail(why, whylen, "bad RTP payload type");
			m->pt[m->nfmt] = (uint8_t)n;
		}
		m->nfmt++;
	}
	return 0;
}

static enum sdp_dir dir_of(const char *name, size_t len)
{
	if (eq(name, len, "sendrecv"))
		return SDP_DIR_SENDRECV;
	if (eq(name, len, "sendonly"))
		return SDP_DIR_SENDONLY;
	if (eq(name, len, "recvonly"))
		return SDP_DIR_RECVONLY;
	if (eq(name, len, "inactive"))
		return SDP_DIR_INACTIVE;
	return SDP_DIR_NONE;
}

/* a=<name>[:<value>] at session level (@m NULL) or in media @m. */
static int parse_a(struct sdp_session *s, struct sdp_media *m, const char *v, size_t len,
		   char *why, size_t whylen)
{
	const char *colon = memchr(v, ':', len), *val = NULL, *sp;
	size_t nlen = colon ? (size_t)(colon - v) : len, vlen = 0;
	enum sdp_dir d = dir_of(v, nlen);
	struct fields f;
	uint64_t n;

	if (colon) {
		val = colon + 1;
		vlen = len - nlen - 1;
	}
	if (d != SDP_DIR_NONE) {
		if (colon)
			return fail(why, whylen, "bad direction attribute");
		if (m)
			m->dir = d;
		else
			s->dir = d;
		return 0;
	}
	if (!m)
		return 0;	/* nothing else we use lives at session level */
	if (eq(v, nlen, "rtcp-mux")) {
		m->rtcp_mux = true;
	} else if (eq(v, nlen, "rtpmap") && colon) {
		/* <pt> <encoding name>/<clock rate>[/<channels>] */
		struct sdp_rtpmap *r;
		const char *s1, *s2, *end = val + vlen;

		sp = memchr(val, ' ', vlen);
		if (!sp || !dec(val, sp - val, 3, &n) || n > 127)
			return fail(why, whylen, "bad rtpmap");
		if (m->nrtpmap == SDP_MAX_RTPMAP)
			return fail(why, whylen, "too many rtpmap lines");
		r = &m->rtpmap[m->nrtpmap];
		memset(r, 0, sizeof(*r));
		r->pt = (uint8_t)n;
		s1 = memchr(sp + 1, '/', end - sp - 1);
		if (!s1 || s1 == sp + 1 || !copy_token(r->name, sizeof(r->name), sp + 1, s1 - sp - 1) ||
		    memchr(r->name, ' ', strlen(r->name)))
			return fail(why, whylen, "bad rtpmap");
		s2 = memchr(s1 + 1, '/', end - s1 - 1);
		if (!dec(s1 + 1, (s2 ? s2 : end) - s1 - 1, 10, &n) || !n || n > 0xffffffffull)
			return fail(why, whylen, "bad rtpmap clock rate");
		r->rate = (uint32_t)n;
		if (s2) {
			if (!dec(s2 + 1, end - s2 - 1, 3, &n) || !n || n > 255)
				return fail(why, whylen, "bad rtpmap channels");
			r->channels = (uint8_t)n;
		}
		m->nrtpmap++;
	} else if (eq(v, nlen, "fmtp") && colon) {
		struct sdp_fmtp *fp;

		sp = memchr(val, ' ', vlen);
		if (!sp || !dec(val, sp - val, 3, &n) || n > 127)
			return 0;	/* fmtp of a non-RTP format: not ours */
		if (m->nfmtp == SDP_MAX_FMTP)
			return fail(why, whylen, "too many fmtp lines");
		fp = &m->fmtp[m->nfmtp];
		fp->pt = (uint8_t)n;
		if (!copy_token(fp->params, sizeof(fp->params), sp + 1, val + vlen - sp - 1))
			return fail(why, whylen, "fmtp too long");
		m->nfmtp++;
	} else if ((eq(v, nlen, "ptime") || eq(v, nlen, "maxptime")) && colon) {
		if (!dec(val, vlen, 5, &n) || !n)
			return fail(why, whylen, "bad ptime");
		if (v[0] == 'p')
			m->ptime = (unsigned int)n;
		else
			m->maxptime = (unsigned int)n;
	} else if (eq(v, nlen, "rtcp") && colon) {
		if (split(val, vlen, &f, 4) || (f.n != 1 && f.n != 4) ||
		    !dec(f.p[0], f.len[0], 5, &n) || !n || n > 65535)
			return fail(why, whylen, "bad rtcp attribute");
		m->rtcp_port = (uint16_t)n;
	} else if (eq(v, nlen, "crypto") && colon) {
		if (m->ncrypto == SDP_MAX_CRYPTO)
			return fail(why, whylen, "too many crypto lines");
		if (sdes_parse(val, vlen, &m->crypto[m->ncrypto], NULL, 0))
			m->ncrypto_bad++;
		else
			m->ncrypto++;
	}
	return 0;
}

int sdp_parse(struct sdp_session *s, const char *text, size_t len, char *why, size_t whylen)
{
	const char *p = text, *end = text + len;
	struct sdp_media *m = NULL;
	unsigned int lineno = 0;
	bool seen_o = false, seen_s = false, seen_t = false;
	struct fields f;
	uint64_t n;

	memset(s, 0, sizeof(*s));
	if (why && whylen)
		why[0] = '\0';
	if (len > SDP_MAX_LEN)
		return fail(why, whylen, "SDP larger than %d bytes", SDP_MAX_LEN);
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *le = nl ? nl : end, *v, *q;
		size_t vlen;
		char type;

		if (le > p && le[-1] == '\r')
			le--;
		for (q = p; q < le; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t')
				return fail(why, whylen, "control character in line %u", lineno + 1);
		if (le == p) {
			/* blank line (often a trailing one): ignore */
			p = nl ? nl + 1 : end;
			continue;
		}
		lineno++;
		if (le - p < 2 || p[1] != '=' || p[0] < 'a' || p[0] > 'z')
			return fail(why, whylen, "line %u is not <type>=<value>", lineno);
		type = p[0];
		v = p + 2;
		vlen = le - v;
		p = nl ? nl + 1 : end;

		if (lineno == 1) {
			if (type != 'v' || !eq(v, vlen, "0"))
				return fail(why, whylen, "SDP does not start with v=0");
			continue;
		}
		if (type == 'v')
			return fail(why, whylen, "v= twice");
		if (!seen_o && type != 'o')
			return fail(why, whylen, "o= must follow v=");
		if (seen_o && !seen_s && type != 's')
			return fail(why, whylen, "s= must follow o=");

		switch (type) {
		case 'o':
			if (seen_o)
				return fail(why, whylen, "o= twice");
			seen_o = true;
			if (split(v, vlen, &f, 6) || f.n != 6 ||
			    !copy_token(s->o_user, sizeof(s->o_user), f.p[0], f.len[0]) ||
			    !dec(f.p[1], f.len[1], 20, &s->o_sess_id) ||
			    !dec(f.p[2], f.len[2], 20, &s->o_sess_version) ||
			    parse_conn(f.p[3], f.len[3], f.p[4], f.len[4], f.p[5], f.len[5],
				       &s->o_addr))
				return fail(why, whylen, "bad o= line");
			break;
		case 's':
			if (seen_s)
				return fail(why, whylen, "s= twice");
			seen_s = true;
			if (!vlen)
				return fail(why, whylen, "empty s= line");
			copy_token(s->name, sizeof(s->name), v,
				   vlen < sizeof(s->name) ? vlen : sizeof(s->name) - 1);
			break;
		case 'c': {
			struct sdp_conn *c = m ? &m->conn : &s->conn;

			if (c->present)
				return fail(why, whylen, "c= twice at one level");
			if (split(v, vlen, &f, 3) || f.n != 3 ||
			    parse_conn(f.p[0], f.len[0], f.p[1], f.len[1], f.p[2], f.len[2], c))
				return fail(why, whylen, "bad c= line");
			break;
		}
		case 't':
			if (m)
				return fail(why, whylen, "t= after m=");
			if (split(v, vlen, &f, 2) || f.n != 2 ||
			    !dec(f.p[0], f.len[0], 20, &s->t_start) ||
			    !dec(f.p[1], f.len[1], 20, &n))
				return fail(why, whylen, "bad t= line");
			s->t_stop = n;
			seen_t = true;
			break;
		case 'm':
			if (!seen_t)
				return fail(why, whylen, "m= before t=");
			if (s->nmedia == SDP_MAX_MEDIA)
				return fail(why, whylen, "more than %d m= lines", SDP_MAX_MEDIA);
			m = &s->media[s->nmedia++];
			if (parse_m(m, v, vlen, why, whylen))
				return -1;
			break;
		case 'a':
			if (parse_a(s, m, v, vlen, why, whylen))
				return -1;
			break;
		default:
			/* i= u= e= p= b= r= z= k= and unknown letters */
			break;
		}
	}
	if (!lineno)
		return fail(why, whylen, "empty SDP");
	if (!seen_o || !seen_s || !seen_t)
		return fail(why, whylen, "SDP lacks o=, s= or t=");
	return 0;
}

void sdp_session_clear(struct sdp_session *s)
{
	unsigned int i, j;

	for (i = 0; i < SDP_MAX_MEDIA; i++)
		for (j = 0; j < SDP_MAX_CRYPTO; j++)
			sdes_crypto_clear(&s->media[i].crypto[j]);
}

const struct sdp_conn *sdp_media_conn(const struct sdp_session *s, unsigned int i)
{
	if (i < s->nmedia && s->media[i].conn.present)
		return &s->media[i].conn;
	return s->conn.present ? &s->conn : NULL;
}

enum sdp_dir sdp_media_dir(const struct sdp_session *s, unsigned int i)
{
	if (i < s->nmedia && s->media[i].dir != SDP_DIR_NONE)
		return s->media[i].dir;
	return s->dir != SDP_DIR_NONE ? s->dir : SDP_DIR_SENDRECV;
}

const struct sdp_rtpmap *sdp_media_rtpmap(const struct sdp_media *m, uint8_t pt)
{
	unsigned int i;

	for (i = 0; i < m->nrtpmap; i++)
		if (m->rtpmap[i].pt == pt)
			return &m->rtpmap[i];
	return NULL;
}

static const struct sdp_fmtp *media_fmtp(const struct sdp_media *m, uint8_t pt)
{
	unsigned int i;

	for (i = 0; i < m->nfmtp; i++)
		if (m->fmtp[i].pt == pt)
			return &m->fmtp[i];
	return NULL;
}

/* ---- answer -------------------------------------------------------------- */

struct out {
	char *buf;
	size_t size, len;
	bool error;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->error)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len) {
		o->error = true;
		return;
	}
	o->len += (size_t)n;
}

/* Our codec in @m: index into @m->pt, or -1. Our preference order wins. */
static int pick_codec(const struct sdp_media *m, const struct sdp_answer_params *par,
		      unsigned int *codec)
{
	unsigned int c, i;

	for (c = 0; c < par->ncodecs; c++) {
		for (i = 0; i < m->nfmt; i++) {
			const struct sdp_rtpmap *r = sdp_media_rtpmap(m, m->pt[i]);

			if (r ? (!strcasecmp(r->name, par->codecs[c].name) &&
				 r->rate == par->codecs[c].rate && r->channels <= 1)
			      : (m->pt[i] < 96 && m->pt[i] == par->codecs[c].static_pt)) {
				*codec = c;
				return (int)i;
			}
		}
	}
	return -1;
}

static void add_why(char *why, size_t size, unsigned int i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_why(char *why, size_t size, unsigned int i, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;
	int n;

	if (used + 1 >= size)
		return;
	n = snprintf(why + used, size - used, "%sm-line %u: ", used ? "; " : "", i + 1);
	if (n < 0 || (size_t)n >= size - used)
		return;
	used += (size_t)n;
	va_start(ap, fmt);
	vsnprintf(why + used, size - used, fmt, ap);
	va_end(ap);
}

/* 1: SAVP with keys, 2: best-effort SRTP, 3: plain; 0 not acceptable. */
static int rank_media(const struct sdp_session *offer, unsigned int i,
		      const struct sdp_answer_params *par, int *crypto, int *fmt,
		      unsigned int *codec, char *why, size_t whylen)
{
	const struct sdp_media *m = &offer->media[i];
	const struct sdp_conn *c = sdp_media_conn(offer, i);
	bool secure = m->proto == SDP_PROTO_RTP_SAVP || m->proto == SDP_PROTO_RTP_SAVPF;
	bool plain = m->proto == SDP_PROTO_RTP_AVP || m->proto == SDP_PROTO_RTP_AVPF;
	char cwhy[160];

	*crypto = -1;
	if (strcasecmp(m->type, "audio")) {
		add_why(why, whylen, i, "%s is not audio", m->type);
		return 0;
	}
	if (!m->port) {
		add_why(why, whylen, i, "rejected by the offerer");
		return 0;
	}
	if (!secure && !plain) {
		add_why(why, whylen, i, "transport %s not supported", m->proto_str);
		return 0;
	}
	if (!c || (c->family != 4 && c->family != 6)) {
		add_why(why, whylen, i, "no usable connection address");
		return 0;
	}
	*fmt = pick_codec(m, par, codec);
	if (*fmt < 0) {
		add_why(why, whylen, i, "no common codec");
		return 0;
	}
	*crypto = sdes_choose(m->crypto, m->ncrypto, par->suites, par->nsuites, cwhy,
			      sizeof(cwhy));
	if (secure) {
		if (*crypto < 0) {
			add_why(why, whylen, i, "no usable crypto (%s)", cwhy);
			return 0;
		}
		return 1;
	}
	if (*crypto >= 0 && par->allow_best_effort)
		return 2;
	*crypto = -1;
	if (par->require_srtp) {
		add_why(why, whylen, i, "plain RTP refused: encryption is required");
		return 0;
	}
	return 3;
}

static void answer_dir(enum sdp_dir offered, const struct sdp_answer_params *par,
		       enum sdp_dir *ans)
{
	bool they_send = offered == SDP_DIR_SENDRECV || offered == SDP_DIR_SENDONLY;
	bool they_recv = offered == SDP_DIR_SENDRECV || offered == SDP_DIR_RECVONLY;
	bool we_recv = par->recv && they_send, we_send = par->send && they_recv;

	if (we_recv && we_send)
		*ans = SDP_DIR_SENDRECV;
	else if (we_recv)
		*ans = SDP_DIR_RECVONLY;
	else if (we_send)
		*ans = SDP_DIR_SENDONLY;
	else
		*ans = SDP_DIR_INACTIVE;
}

static bool valid_answer_params(const struct sdp_answer_params *par)
{
	unsigned char a[16];
	size_t i;

	if (!par->addr || (par->family != 4 && par->family != 6) || !par->port ||
	    inet_pton(par->family == 4 ? AF_INET : AF_INET6, par->addr, a) != 1)
		return false;
	if (par->user) {
		if (!*par->user || strlen(par->user) >= SDP_MAX_TOKEN)
			return false;
		for (i = 0; par->user[i]; i++)
			if ((unsigned char)par->user[i] <= 0x20 || par->user[i] == 0x7f)
				return false;
	}
	for (i = 0; i < par->ncodecs; i++)
		if (!par->codecs[i].name || !*par->codecs[i].name ||
		    strpbrk(par->codecs[i].name, " /\r\n") || !par->codecs[i].rate)
			return false;
	return true;
}

int sdp_build_answer(const struct sdp_session *offer, const struct sdp_answer_params *par,
		     struct sdp_answer_result *res, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	const char *ipv = par->family == 6 ? "IP6" : "IP4";
	int best = -1, best_rank = 0, best_crypto = -1, best_fmt = -1;
	unsigned int i, j, best_codec = 0;

	memset(res, 0, sizeof(*res));
	res->media = -1;
	res->te_pt = -1;
	res->crypto = -1;
	if (!buf || !size || !valid_answer_params(par))
		return -1;
	buf[0] = '\0';

	for (i = 0; i < offer->nmedia; i++) {
		int crypto, fmt = -1, rank;
		unsigned int codec = 0;

		rank = rank_media(offer, i, par, &crypto, &fmt, &codec, res->why,
				  sizeof(res->why));
		if (rank && (best < 0 || rank < best_rank)) {
			best = (int)i;
			best_rank = rank;
			best_crypto = crypto;
			best_fmt = fmt;
			best_codec = codec;
		}
	}
	if (!offer->nmedia)
		snprintf(res->why, sizeof(res->why), "no media in the offer");

	if (best >= 0) {
		const struct sdp_media *m = &offer->media[best];
		const struct sdp_conn *c = sdp_media_conn(offer, best);

		res->why[0] = '\0';
		res->media = best;
		res->pt = m->pt[best_fmt];
		res->ptime = m->ptime;
		res->rtcp_mux = m->rtcp_mux && par->rtcp_mux;
		answer_dir(sdp_media_dir(offer, best), par, &res->dir);
		res->crypto = best_crypto;
		res->srtp = best_crypto >= 0;
		snprintf(res->remote_addr, sizeof(res->remote_addr), "%s", c->addr);
		res->remote_family = c->family;
		res->remote_port = m->port;
		for (j = 0; j < m->nfmt; j++) {
			const struct sdp_rtpmap *r = sdp_media_rtpmap(m, m->pt[j]);

			if (r && !strcasecmp(r->name, "telephone-event") &&
			    r->rate == par->codecs[best_codec].rate) {
				res->te_pt = m->pt[j];
				break;
			}
		}
		if (res->srtp && sdes_make_answer(&m->crypto[best_crypto], &res->local))
			return -1;
	}

	outf(&o, "v=0\r\no=%s %llu %llu IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n",
	     par->user ? par->user : "-", (unsigned long long)par->sess_id,
	     (unsigned long long)par->sess_version, ipv, par->addr, ipv, par->addr);
	for (i = 0; i < offer->nmedia; i++) {
		const struct sdp_media *m = &offer->media[i];

		if ((int)i != best) {
			/* Rejected [RFC 3264 6]: port 0, the offered formats. */
			outf(&o, "m=%s 0 %s", m->type, m->proto_str);
			for (j = 0; j < m->nfmt; j++)
				outf(&o, " %s", m->fmt_str[j]);
			outf(&o, "\r\n");
			continue;
		}
		{
			const struct sdp_rtpmap *r = sdp_media_rtpmap(m, res->pt);
			const struct sdp_codec *cd = &par->codecs[best_codec];
			char line[128];

			outf(&o, "m=%s %u %s %u", m->type, par->port, m->proto_str, res->pt);
			if (res->te_pt >= 0)
				outf(&o, " %d", res->te_pt);
			outf(&o, "\r\na=rtpmap:%u %s/%u\r\n", res->pt, r ? r->name : cd->name,
			     cd->rate);
			if (res->te_pt >= 0) {
				const struct sdp_fmtp *fp = media_fmtp(m, (uint8_t)res->te_pt);

				outf(&o, "a=rtpmap:%d telephone-event/%u\r\n", res->te_pt, cd->rate);
				outf(&o, "a=fmtp:%d %s\r\n", res->te_pt, fp ? fp->params : "0-15");
			}
			if (res->ptime)
				outf(&o, "a=ptime:%u\r\n", res->ptime);
			outf(&o, "a=%s\r\n", sdp_dir_name(res->dir));
			if (res->rtcp_mux)
				outf(&o, "a=rtcp-mux\r\n");
			if (res->srtp) {
				if (sdes_format(&res->local, line, sizeof(line)) < 0)
					o.error = true;
				else
					outf(&o, "a=crypto:%s\r\n", line);
				explicit_bzero(line, sizeof(line));
			}
		}
	}
	if (o.error) {
		explicit_bzero(buf, size);
		sdes_local_clear(&res->local);
		return -1;
	}
	return (int)o.len;
}
