# SPDX-License-Identifier: GPL-2.0
# heraldctl: the netlink CLI. HERALDCTL_LIB_SRCS is everything but main(),
# shared with the unit tests (tests/unit/heraldctl.mk). daemon/sdes.c (libc
# only) holds the SDES key grammar, suite table and base64 of both programs.

EXTRA_CFLAGS_tools += $(NL_CFLAGS)

HERALDCTL_LIB_SRCS := $(addprefix tools/heraldctl/, \
	args.c control.c heraldctl.c info.c json.c key.c keyspec.c monitor.c nl.c objects.c \
	output.c output_obj.c policy.c sink.c status_show.c stream.c tone_file.c version.c) \
	daemon/sdes.c daemon/herald_nl.c daemon/json_read.c

$(B)/heraldctl: $(patsubst %.c,$(B)/%.o,$(HERALDCTL_LIB_SRCS) tools/heraldctl/main.c)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

USERSPACE_BINS += $(B)/heraldctl
