// SPDX-License-Identifier: GPL-2.0
/*
 * policy.* configuration: defaults and the refusals of
 * policy.require_encryption (see policy_config.h).
 */
#include <stdio.h>

#include "policy_config.h"

void policy_config_defaults(struct policy_config *p)
{
	/* Off, as the seed's setting is until an administrator turns it on. */
	p->require_encryption = false;
}

int policy_config_check(const struct policy_config *p, const struct sip_config *sip,
			const struct call_config *call, char *err, size_t errlen)
{
	if (!p->require_encryption)
		return 0;
	if (sip->proxy[0] && sip->transport != SIP_CFG_TLS) {
		snprintf(err, errlen, "policy.require_encryption = on refuses sip.transport = %s: "
			 "SIP signalling would go in the clear (use tls)",
			 sip_transport_names[sip->transport]);
		return -1;
	}
	if (sip->proxy[0] && !sip->tls_verify) {
		snprintf(err, errlen, "policy.require_encryption = on refuses sip.tls.verify = off: "
			 "an unverified server could read the signalling and its SRTP keys");
		return -1;
	}
	if (call->srtp != MEDIA_SRTP_REQUIRED) {
		snprintf(err, errlen, "policy.require_encryption = on refuses media.srtp = %s: "
			 "calls could carry plain RTP (use required)", media_srtp_names[call->srtp]);
		return -1;
	}
	return 0;
}
