/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.* configuration: what heraldd requires of every leg it carries.
 *
 * policy.require_encryption is the seed's "Require Encryption for 3rd Party
 * Endpoints": with it on, a configuration that asks for any leg in the
 * clear is refused whole (policy_config_check(), from
 * heraldd_config_check()), so such a leg can never be set up; heraldd also
 * hands the policy to herald.ko (SET_POLICY), which then refuses plain
 * streams and outputs of its own accord.
 */
#ifndef HERALDD_POLICY_CONFIG_H
#define HERALDD_POLICY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "call_config.h"
#include "config_parse.h"
#include "sip/sip_config.h"

struct policy_config {
	bool require_encryption;	/* policy.require_encryption, default off */
};

/* Rows for the configuration table: @S the struct, @f its policy_config member. */
#define POLICY_CONFIG_KEYS(S, f) \
	CFG_KEY_BOOL("policy.require_encryption", S, f.require_encryption)

void policy_config_defaults(struct policy_config *p);

/*
 * With require_encryption on, refuse every key that asks for a plaintext
 * leg: sip.transport tcp or udp and sip.tls.verify off (when sip.proxy is
 * set: without it there is no signalling leg), media.srtp optional or off.
 * 0, or -1 with a reason naming both keys in @err.
 */
int policy_config_check(const struct policy_config *p, const struct sip_config *sip,
			const struct call_config *call, char *err, size_t errlen);

#endif
