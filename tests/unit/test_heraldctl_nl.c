// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl reads the kernel's extended ack message itself (libnl 3.7 does
 * not). Feed it NLMSG_ERROR messages built by hand, laid out as the kernel's
 * netlink_ack() lays them out, capped and uncapped, and broken ones.
 *
 * Headers are named by path: kmod/ is on the include path first and has
 * files of the same names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/netlink.h>

#include "../../tools/heraldctl/nl.h"

/* Build an error for a request of @req_payload bytes, echoing it unless
 * @capped, with an NLMSGERR_ATTR_MSG attribute @msg of @msg_len bytes.
 */
static struct nlmsghdr *build(void *buf, size_t req_payload, bool capped,
			      const char *msg, size_t msg_len)
{
	struct nlmsghdr *nlh = buf;
	struct nlmsgerr *err;
	struct nlattr *attr;
	size_t payload = sizeof(*err);

	memset(buf, 0, 1024);
	if (!capped)
		payload += req_payload;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	nlh->nlmsg_len = NLMSG_HDRLEN + NLMSG_ALIGN(payload);
	err = NLMSG_DATA(nlh);
	err->error = -1;
	err->msg.nlmsg_len = NLMSG_HDRLEN + req_payload;
	/* The echoed request body: filler that must not be read as TLVs. */
	if (!capped)
		memset((char *)(err + 1), 0x11, req_payload);
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		attr = (struct nlattr *)((char *)nlh + nlh->nlmsg_len);
		attr->nla_type = NLMSGERR_ATTR_MSG;
		attr->nla_len = NLA_HDRLEN + msg_len;
		memcpy((char *)attr + NLA_HDRLEN, msg, msg_len);
		nlh->nlmsg_len += NLA_ALIGN(attr->nla_len);
	}
	return nlh;
}

static void extack_capped(void **state)
{
	uint64_t buf[128];
	const char *m = "no policy attribute given";
	struct nlmsghdr *nlh = build(buf, 8, true, m, strlen(m) + 1);

	assert_string_equal(hnl_extack_msg(nlh), m);
}

static void extack_uncapped(void **state)
{
	uint64_t buf[128];
	const char *m = "Attribute failed policy validation";
	struct nlmsghdr *nlh;

	/* An unaligned request body length, as a u8 attribute makes. */
	nlh = build(buf, 4 + 5, false, m, strlen(m) + 1);
	assert_string_equal(hnl_extack_msg(nlh), m);
	nlh = build(buf, 4 + 8, false, m, strlen(m) + 1);
	assert_string_equal(hnl_extack_msg(nlh), m);
}

static void extack_absent(void **state)
{
	uint64_t buf[128];
	struct nlmsghdr *nlh;

	nlh = build(buf, 8, true, NULL, 0);
	assert_null(hnl_extack_msg(nlh));
	nlh = build(buf, 8, false, NULL, 0);
	assert_null(hnl_extack_msg(nlh));
	/* The flag without TLVs after the echo. */
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	assert_null(hnl_extack_msg(nlh));
}

static void extack_malformed(void **state)
{
	uint64_t buf[128];
	struct nlmsghdr *nlh;

	/* Not NUL-terminated. */
	nlh = build(buf, 8, true, "abc", 3);
	assert_null(hnl_extack_msg(nlh));
	/* Empty. */
	nlh = build(buf, 8, true, "", 0);
	assert_null(hnl_extack_msg(nlh));
	/* The attribute claims more than the message holds. */
	nlh = build(buf, 8, true, "abc", 4);
	nlh->nlmsg_len -= 8;
	assert_null(hnl_extack_msg(nlh));
	/* The echoed request claims to be longer than the message. */
	nlh = build(buf, 8, false, "abc", 4);
	((struct nlmsgerr *)NLMSG_DATA(nlh))->msg.nlmsg_len = 4096;
	assert_null(hnl_extack_msg(nlh));
	/* Too short to hold the error at all. */
	nlh = build(buf, 8, true, "abc", 4);
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_null(hnl_extack_msg(nlh));
	/* Not an error message. */
	nlh = build(buf, 8, true, "abc", 4);
	nlh->nlmsg_type = NLMSG_DONE;
	assert_null(hnl_extack_msg(nlh));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extack_capped),
		cmocka_unit_test(extack_uncapped),
		cmocka_unit_test(extack_absent),
		cmocka_unit_test(extack_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
