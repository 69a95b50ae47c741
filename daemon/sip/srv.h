/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS SRV records for RFC 3263 server location: the answer parser and the
 * RFC 2782 ordering, pure functions (no I/O) so that unit tests and the
 * fuzzer feed them bytes directly. resolve.c does the query.
 */
#ifndef HERALDD_SIP_SRV_H
#define HERALDD_SIP_SRV_H

#include <stddef.h>
#include <stdint.h>

#define SIP_SRV_MAX	16	/* records kept from one answer; more are ignored */

struct sip_srv {
	uint16_t priority, weight, port;
	char target[256];	/* without the trailing dot, never "" */
};

/*
 * Parse the DNS message @msg (@len bytes, a response to an SRV query for
 * @qname) into @out. Every length and offset is checked against the
 * message; records of another type, class or owner name (a CNAME in the
 * chain, say) are skipped.
 * Returns the number of usable records (0: none, look up A/AAAA instead),
 * or -1 with @err: a malformed message, an error response code, or a
 * target of "." alone ("the service is decidedly not available at this
 * domain", RFC 2782), in which case no A/AAAA fallback either.
 */
int sip_srv_parse(const unsigned char *msg, size_t len, const char *qname,
		  struct sip_srv *out, unsigned int max, char *err, size_t errlen);

/*
 * RFC 2782 order: ascending priority; within one priority, a weighted
 * random pick, again and again among what is left (weight 0 has a small
 * chance only). @rnd returns a uniform 32-bit random number.
 */
void sip_srv_order(struct sip_srv *s, unsigned int n, uint32_t (*rnd)(void *arg), void *arg);

#endif
