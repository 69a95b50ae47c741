// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sip/srv.c: SRV answers built byte by byte here (header, question,
 * answer records with and without name compression) and the RFC 2782
 * ordering with a scripted random source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/sip/srv.h"

#define QNAME "_sips._tcp.example.org"

struct msg {
	unsigned char b[1024];
	size_t len;
};

static void put(struct msg *m, const void *p, size_t n)
{
	assert_true(m->len + n <= sizeof(m->b));
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void put16(struct msg *m, unsigned int v)
{
	unsigned char b[2] = { v >> 8, v & 0xff };

	put(m, b, 2);
}

/* A name as labels: "a.b" -> 1 a 1 b 0. "" is the root. */
static void put_name(struct msg *m, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		unsigned char c = l;

		put(m, &c, 1);
		put(m, name, l);
		name += l + (dot ? 1 : 0);
	}
	put(m, "", 1);
}

/* Header (response, rcode, @an answers) and the question for QNAME SRV IN. */
static void begin(struct msg *m, unsigned int rcode, unsigned int an)
{
	m->len = 0;
	put16(m, 0x1234);
	put16(m, 0x8180 | rcode);	/* QR, RD, RA */
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	put_name(m, QNAME);
	put16(m, 33);			/* SRV */
	put16(m, 1);			/* IN */
}

/* One SRV answer; the owner a pointer to the question's name (offset 12). */
static void srv_rr(struct msg *m, unsigned int prio, unsigned int weight, unsigned int port,
		   const char *target)
{
	struct msg rd = { .len = 0 };

	put16(&rd, prio);
	put16(&rd, weight);
	put16(&rd, port);
	put_name(&rd, target);
	put16(m, 0xc00c);
	put16(m, 33);
	put16(m, 1);
	put16(m, 0);
	put16(m, 300);			/* TTL */
	put16(m, rd.len);
	put(m, rd.b, rd.len);
}

/* An SRV record with the owner @owner (a pointer) and RDATA as given. */
static void raw_rr(struct msg *m, unsigned int owner, const void *rdata, size_t rdlen)
{
	put16(m, owner);
	put16(m, 33);
	put16(m, 1);
	put16(m, 0);
	put16(m, 60);
	put16(m, rdlen);
	put(m, rdata, rdlen);
}

static char err[256];

static void parses_records(void **state)
{
	struct sip_srv s[SIP_SRV_MAX];
	struct msg m;

	begin(&m, 0, 3);
	srv_rr(&m, 10, 60, 5061, "a.example.org");
	srv_rr(&m, 10, 40, 5062, "b.example.org");
	srv_rr(&m, 5, 0, 15061, "c.example.org");
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, SIP_SRV_MAX, err, sizeof(err)), 3);
	assert_string_equal(s[0].target, "a.example.org");
	assert_int_equal(s[0].priority, 10);
	assert_int_equal(s[0].weight, 60);
	assert_int_equal(s[0].port, 5061);
	assert_string_equal(s[2].target, "c.example.org");
	assert_int_equal(s[2].port, 15061);
	/* Fewer slots than records: the first ones, no overrun. */
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), 2);
	/* Owner name is matched case-insensitively. */
	assert_int_equal(sip_srv_parse(m.b, m.len, "_SIPS._tcp.Example.ORG", s, 4, err,
				       sizeof(err)), 3);
}

static void compressed_target(void **state)
{
	struct sip_srv s[2];
	struct msg m;

	/* Target "sip" + pointer to "example.org" in the question (offset 12 + 6 + 5). */
	static const unsigned char rdata[] = { 0, 1, 0, 2, 0x13, 0xc4, 3, 's', 'i', 'p', 0xc0, 23 };

	begin(&m, 0, 1);
	raw_rr(&m, 0xc00c, rdata, sizeof(rdata));
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), 1);
	assert_string_equal(s[0].target, "sip.example.org");
	assert_int_equal(s[0].port, 5060);
}

static void no_records_and_refusals(void **state)
{
	struct sip_srv s[2];
	struct msg m;

	/* NXDOMAIN and an empty answer: 0, the caller falls back to A/AAAA. */
	begin(&m, 3, 0);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), 0);
	begin(&m, 0, 0);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), 0);
	/* A record for another name ("example.org", inside the question) is not ours. */
	begin(&m, 0, 1);
	raw_rr(&m, 0xc000 | 23, "\0\0\0\0\0\1\1a\0", 9);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), 0);
	/* Target "." alone: the service is refused, no fallback. */
	begin(&m, 0, 1);
	srv_rr(&m, 0, 0, 0, "");
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not available"));
	/* SERVFAIL is an error. */
	begin(&m, 2, 0);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);
}

static void malformed(void **state)
{
	struct sip_srv s[2];
	struct msg m, good;
	size_t cut;

	/* The well-formed base case parses. */

	begin(&good, 0, 1);
	srv_rr(&good, 1, 1, 5060, "a.example.org");
	assert_int_equal(sip_srv_parse(good.b, good.len, QNAME, s, 2, err, sizeof(err)), 1);
	/* Every truncation fails cleanly (or, cut in the question, as malformed). */
	for (cut = 0; cut < good.len; cut++)
		assert_int_equal(sip_srv_parse(good.b, cut, QNAME, s, 2, err, sizeof(err)), -1);

	/* RDATA too short for the three fields and a name. */
	begin(&m, 0, 1);
	raw_rr(&m, 0xc00c, "\0\1\0\1\0\1", 6);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "RDATA of 6 bytes"));

	/* RDLENGTH longer than the name it holds: bytes left over. */
	begin(&m, 0, 1);
	raw_rr(&m, 0xc00c, "\0\1\0\1\0\1\1a\0\0", 10);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad target name"));

	/* A name running past RDATA into the next bytes of the message. */
	begin(&m, 0, 1);
	raw_rr(&m, 0xc00c, "\0\1\0\1\0\1\1a", 8);
	put(&m, "\0", 1);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);

	/* A compression pointer past the end of the message, and one to itself. */
	begin(&m, 0, 1);
	raw_rr(&m, 0xc00c, "\0\1\0\1\0\1\xc3\xff", 8);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad target name"));
	begin(&m, 0, 1);
	raw_rr(&m, 0xc00c, "\0\1\0\1\0\1\xc0\x3a", 8);	/* 12 + 28 + 12 + 6: itself */
	assert_int_equal(m.len, 0x3a + 2);
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);

	/* The answer count says more records than there are. */
	m = good;
	m.b[7] = 2;
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);

	/* Not a response. */
	m = good;
	m.b[2] &= 0x7f;
	assert_int_equal(sip_srv_parse(m.b, m.len, QNAME, s, 2, err, sizeof(err)), -1);
}

/* Scripted random numbers. */
static uint32_t script[16];
static unsigned int script_pos;

static uint32_t next(void *arg)
{
	return script[script_pos++ % 16];
}

static void order(void **state)
{
	struct sip_srv s[5] = {
		{ .priority = 20, .weight = 0, .target = "p20" },
		{ .priority = 10, .weight = 60, .target = "a60" },
		{ .priority = 10, .weight = 0, .target = "z0" },
		{ .priority = 10, .weight = 40, .target = "b40" },
		{ .priority = 5, .weight = 1, .target = "p5" },
	};
	struct sip_srv c[5];
	unsigned int i, first_a = 0, first_b = 0, first_z = 0;

	/*
	 * Priority 10 sorted: z0 (running 0), a60 (60), b40 (100). A pick of
	 * 70 takes b40; then among z0, a60 (sum 60) a pick of 0 takes z0.
	 */
	memcpy(c, s, sizeof(s));
	script_pos = 0;
	script[0] = 70;
	script[1] = 0;
	sip_srv_order(c, 5, next, NULL);
	assert_string_equal(c[0].target, "p5");
	assert_string_equal(c[1].target, "b40");
	assert_string_equal(c[2].target, "z0");
	assert_string_equal(c[3].target, "a60");
	assert_string_equal(c[4].target, "p20");

	/* A pick of 0 takes the zero weight first; 1..60 the 60; 61..100 the 40. */
	for (i = 0; i <= 100; i++) {
		memcpy(c, s, sizeof(s));
		script_pos = 0;
		script[0] = i;
		script[1] = 0;
		sip_srv_order(c, 5, next, NULL);
		first_z += !strcmp(c[1].target, "z0");
		first_a += !strcmp(c[1].target, "a60");
		first_b += !strcmp(c[1].target, "b40");
	}
	assert_int_equal(first_z, 1);
	assert_int_equal(first_a, 60);
	assert_int_equal(first_b, 40);
	/* Random values wrap modulo sum + 1. */
	memcpy(c, s, sizeof(s));
	script_pos = 0;
	script[0] = 101 + 61;
	sip_srv_order(c, 5, next, NULL);
	assert_string_equal(c[1].target, "b40");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_records),
		cmocka_unit_test(compressed_target),
		cmocka_unit_test(no_records_and_refusals),
		cmocka_unit_test(malformed),
		cmocka_unit_test(order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
