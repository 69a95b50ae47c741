/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libsrtp2 sessions for the benchmark: one master key, no MKI, the two
 * suites the benchmark measures.
 */
#ifndef BENCH_SRTP_H
#define BENCH_SRTP_H

#include <stdbool.h>
#include <stdint.h>
#include <srtp2/srtp.h>

/* outbound: ssrc_any_outbound, else ssrc_any_inbound. 0 on success. */
int bench_srtp_session(srtp_t *s, const char *suite, const uint8_t *master, bool outbound);

#endif
