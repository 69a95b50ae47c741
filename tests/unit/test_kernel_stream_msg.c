// SPDX-License-Identifier: GPL-2.0
/*
 * The stream requests heraldd builds for herald.ko (daemon/kernel.c),
 * read back attribute by attribute: VOLUME_OFFSET_DB and TONE go out only
 * when not the default, since a module that predates them refuses a
 * request carrying an attribute it does not know. kernel.c is included, so
 * its static builders are reachable without a netlink socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../daemon/kernel.c"

/* The HERALD_A_STREAM nest of @msg, parsed into @tb. */
static void parse_stream(struct nl_msg *msg, struct nlattr **tb)
{
	struct nlattr *top[HERALD_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	assert_int_equal(genlmsg_parse(nlh, 0, top, HERALD_A_MAX, NULL), 0);
	assert_non_null(top[HERALD_A_STREAM]);
	assert_int_equal(nla_parse_nested(tb, HERALD_STREAM_A_MAX, top[HERALD_A_STREAM], NULL), 0);
}

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 1, 0, 0, cmd, 1));
	return msg;
}

static struct nl_msg *stream_msg(int32_t volume, bool tone)
{
	struct kernel_stream_req req = {
		.fd = -1,
		.family = 4,
		.local_addr = { 239, 1, 1, 1 },
		.local_port = 50001,
		.suite = HERALD_SUITE_NONE,
		.pt = -1,
		.sink = 3,
		.volume_offset_db = volume,
		.tone = tone,
	};
	struct nl_msg *msg = new_msg(HERALD_CMD_NEW_STREAM);

	assert_int_equal(build_stream(msg, &req), 0);
	return msg;
}

static void new_stream_defaults_left_out(void **state)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct nl_msg *msg = stream_msg(0, false);

	parse_stream(msg, tb);
	assert_non_null(tb[HERALD_STREAM_A_SINK]);
	assert_null(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]);
	assert_null(tb[HERALD_STREAM_A_TONE]);
	nlmsg_free(msg);
}

static void new_stream_sound_sent(void **state)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct nl_msg *msg = stream_msg(-12, true);

	parse_stream(msg, tb);
	assert_non_null(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]);
	assert_int_equal(nla_get_s32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]), -12);
	assert_non_null(tb[HERALD_STREAM_A_TONE]);
	assert_int_equal(nla_get_u8(tb[HERALD_STREAM_A_TONE]), 1);
	nlmsg_free(msg);

	/* Each on its own: the other stays out. */
	msg = stream_msg(6, false);
	parse_stream(msg, tb);
	assert_int_equal(nla_get_s32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]), 6);
	assert_null(tb[HERALD_STREAM_A_TONE]);
	nlmsg_free(msg);
	msg = stream_msg(0, true);
	parse_stream(msg, tb);
	assert_null(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]);
	assert_non_null(tb[HERALD_STREAM_A_TONE]);
	nlmsg_free(msg);
}

/* SET_STREAM carries what changed, also a change back to the default. */
static void set_stream_what_changed(void **state)
{
	struct nlattr *tb[HERALD_STREAM_A_MAX + 1];
	struct kernel_stream_sound back = { .set_volume = true, .volume_offset_db = 0 };
	struct kernel_stream_sound off = { .set_tone = true, .tone = false };
	struct nl_msg *msg = new_msg(HERALD_CMD_SET_STREAM);
	struct nlattr *nest = nla_nest_start(msg, HERALD_A_STREAM);

	assert_int_equal(put_sound(msg, &back), 0);
	nla_nest_end(msg, nest);
	parse_stream(msg, tb);
	assert_non_null(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]);
	assert_int_equal(nla_get_s32(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]), 0);
	assert_null(tb[HERALD_STREAM_A_TONE]);
	nlmsg_free(msg);

	msg = new_msg(HERALD_CMD_SET_STREAM);
	nest = nla_nest_start(msg, HERALD_A_STREAM);
	assert_int_equal(put_sound(msg, &off), 0);
	nla_nest_end(msg, nest);
	parse_stream(msg, tb);
	assert_null(tb[HERALD_STREAM_A_VOLUME_OFFSET_DB]);
	assert_non_null(tb[HERALD_STREAM_A_TONE]);
	assert_int_equal(nla_get_u8(tb[HERALD_STREAM_A_TONE]), 0);
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_stream_defaults_left_out),
		cmocka_unit_test(new_stream_sound_sent),
		cmocka_unit_test(set_stream_what_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
