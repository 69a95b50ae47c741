// SPDX-License-Identifier: GPL-2.0
/*
 * relay-libsrtp: the userspace relay on libsrtp2 as Debian ships it: one
 * inbound session per stream, one outbound session per output.
 * srtp_protect() keeps its own sequence-number-based index, so the index
 * the relay loop passes is not needed.
 */
#include <stddef.h>

#include "bench_srtp.h"
#include "relay.h"

static void *ls_new(const char *suite, const uint8_t *master, bool outbound)
{
	srtp_t s;

	return bench_srtp_session(&s, suite, master, outbound) ? NULL : s;
}

static void *ls_in_new(const char *suite, const uint8_t *master)
{
	return ls_new(suite, master, false);
}

static void *ls_out_new(const char *suite, const uint8_t *master)
{
	return ls_new(suite, master, true);
}

static int ls_unprotect(void *ctx, uint8_t *pkt, unsigned int len)
{
	int l = (int)len;
	srtp_err_status_t e = srtp_unprotect(ctx, pkt, &l);

	if (e == srtp_err_status_replay_fail || e == srtp_err_status_replay_old)
		return RELAY_REPLAY;
	return e == srtp_err_status_ok ? l : -1;
}

static int ls_protect(void *ctx, uint8_t *pkt, unsigned int len, uint64_t index)
{
	int l = (int)len;

	return srtp_protect(ctx, pkt, &l) == srtp_err_status_ok ? l : -1;
}

static const struct relay_ops ls_ops = {
	.name = "relay-libsrtp",
	.in_new = ls_in_new,
	.out_new = ls_out_new,
	.unprotect = ls_unprotect,
	.protect = ls_protect,
};

int main(int argc, char **argv)
{
	return relay_main(argc, argv, &ls_ops);
}
