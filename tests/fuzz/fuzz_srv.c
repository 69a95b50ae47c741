// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for daemon/sip/srv.c: the input is a DNS message taken
 * as the answer to an SRV query for _sips._tcp.example.org. Whatever it
 * holds, every record handed back must have a non-empty target that is a
 * proper C string inside its field, the count must stay within the slots
 * given, and the RFC 2782 ordering of what parsed must come out sorted by
 * priority and be a permutation of its input.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Idaemon \
 *     tests/fuzz/fuzz_srv.c daemon/sip/srv.c -lresolv
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/sip/srv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t seed;

static uint32_t rnd(void *arg)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_srv s[SIP_SRV_MAX], c[SIP_SRV_MAX];
	unsigned int i, j, used[SIP_SRV_MAX] = { 0 };
	char err[256];
	int n;

	n = sip_srv_parse(data, size, "_sips._tcp.example.org", s, SIP_SRV_MAX, err, sizeof(err));
	if (n < -1 || n > SIP_SRV_MAX)
		abort();
	if (n < 0 && !memchr(err, '\0', sizeof(err)))
		abort();
	for (i = 0; i < (unsigned int)(n > 0 ? n : 0); i++) {
		size_t l = strnlen(s[i].target, sizeof(s[i].target));

		if (!l || l == sizeof(s[i].target) || s[i].target[l - 1] == '.')
			abort();
	}
	if (n <= 0)
		return 0;
	memcpy(c, s, sizeof(s[0]) * n);
	seed = size;
	sip_srv_order(c, n, rnd, NULL);
	for (i = 0; i < (unsigned int)n; i++) {
		if (i && c[i - 1].priority > c[i].priority)
			abort();
		for (j = 0; j < (unsigned int)n; j++)
			if (!used[j] && !memcmp(&c[i], &s[j], sizeof(s[j]))) {
				used[j] = 1;
				break;
			}
		if (j == (unsigned int)n)
			abort();
	}
	return 0;
}
