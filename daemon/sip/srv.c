// SPDX-License-Identifier: GPL-2.0
/*
 * SRV answer parsing and ordering: see srv.h.
 *
 * The DNS message is walked with libresolv's ns_initparse()/ns_parserr(),
 * which bounds-check every section and record against the message end;
 * what they hand back (the RDATA of an SRV record) is checked here: at
 * least the three 16-bit fields, and a target name that dn_expand() can
 * read within the message and that ends exactly where the RDATA ends.
 */
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "srv.h"

/*
 * Owner name against the name we asked for: DNS names compare without
 * regard to ASCII case, a trailing dot is the same name. Our names hold
 * letters, digits, '-', '_' and '.' only, so the presentation forms (where
 * other bytes would be escaped) can be compared as they are.
 */
static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && !strncasecmp(a, b, la);
}

int sip_srv_parse(const unsigned char *msg, size_t len, const char *qname,
		  struct sip_srv *out, unsigned int max, char *err, size_t errlen)
{
	unsigned int i, count, n = 0, dots = 0;
	ns_msg h;
	ns_rr rr;

	if (len > 65535 || ns_initparse(msg, (int)len, &h) < 0) {
		snprintf(err, errlen, "malformed DNS answer");
		return -1;
	}
	if (!ns_msg_getflag(h, ns_f_qr) || ns_msg_getflag(h, ns_f_opcode) != ns_o_query) {
		snprintf(err, errlen, "DNS message is not a query response");
		return -1;
	}
	if (ns_msg_getflag(h, ns_f_rcode) == ns_r_nxdomain)
		return 0;
	if (ns_msg_getflag(h, ns_f_rcode) != ns_r_noerror) {
		snprintf(err, errlen, "DNS error response (rcode %d)", ns_msg_getflag(h, ns_f_rcode));
		return -1;
	}
	count = ns_msg_count(h, ns_s_an);
	for (i = 0; i < count; i++) {
		const unsigned char *rd;
		unsigned int rdlen;
		char name[NS_MAXDNAME];
		int used;

		if (ns_parserr(&h, ns_s_an, (int)i, &rr) < 0) {
			snprintf(err, errlen, "malformed DNS answer record %u", i);
			return -1;
		}
		if (ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in ||
		    !same_name(ns_rr_name(rr), qname))
			continue;
		rd = ns_rr_rdata(rr);
		rdlen = ns_rr_rdlen(rr);
		if (rdlen < 7) {	/* 3 x 16 bits and at least the root label */
			snprintf(err, errlen, "SRV record %u: RDATA of %u bytes", i, rdlen);
			return -1;
		}
		used = dn_expand(msg, msg + len, rd + 6, name, sizeof(name));
		if (used < 0 || (unsigned int)used != rdlen - 6) {
			snprintf(err, errlen, "SRV record %u: bad target name", i);
			return -1;
		}
		/* dn_expand() gives "" for the root; a name may come with its dot. */
		used = (int)strlen(name);
		if (used && name[used - 1] == '.')
			name[--used] = '\0';
		if (!used || !strcmp(name, ".")) {
			dots++;
			continue;
		}
		if ((size_t)used >= sizeof(out[0].target))
			continue;	/* cannot be looked up: NS_MAXDNAME is larger */
		if (n == max)
			continue;
		out[n].priority = ns_get16(rd);
		out[n].weight = ns_get16(rd + 2);
		out[n].port = ns_get16(rd + 4);
		memcpy(out[n].target, name, (size_t)used + 1);
		n++;
	}
	if (!n && dots) {
		snprintf(err, errlen, "%s: service not available (SRV target \".\")", qname);
		return -1;
	}
	return (int)n;
}

static void swap(struct sip_srv *a, struct sip_srv *b)
{
	struct sip_srv t = *a;

	*a = *b;
	*b = t;
}

void sip_srv_order(struct sip_srv *s, unsigned int n, uint32_t (*rnd)(void *arg), void *arg)
{
	unsigned int i, j, start, end;

	/* Stable insertion sort on priority; zero weights first within one (RFC 2782). */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && (s[j - 1].priority > s[j].priority ||
				      (s[j - 1].priority == s[j].priority && s[j - 1].weight &&
				       !s[j].weight)); j--)
			swap(&s[j - 1], &s[j]);
	for (start = 0; start < n; start = end) {
		for (end = start + 1; end < n && s[end].priority == s[start].priority; end++)
			;
		/*
		 * RFC 2782: sum the weights of what is left, pick a number in
		 * [0, sum], take the first record whose running sum reaches it,
		 * and move it to the front; repeat for the rest.
		 */
		for (i = start; i + 1 < end; i++) {
			uint64_t sum = 0, pick, run = 0;

			for (j = i; j < end; j++)
				sum += s[j].weight;
			pick = rnd(arg) % (sum + 1);
			for (j = i; j < end; j++) {
				run += s[j].weight;
				if (run >= pick)
					break;
			}
			/* Keep the rest in order so zero weights stay first. */
			for (; j > i; j--)
				swap(&s[j - 1], &s[j]);
		}
	}
}
