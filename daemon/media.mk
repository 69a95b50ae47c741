# SPDX-License-Identifier: GPL-2.0
# heraldd's calls and media: call layer, RTP sockets, streams in herald.ko
# over libnl-genl-3 (daemon/herald_nl.c is shared with heraldctl).

EXTRA_CFLAGS_daemon += $(NL_CFLAGS)

HERALDD_CALL_SRCS := $(addprefix daemon/, call_config.c call_feeds.c call_status.c herald_nl.c kernel.c \
	media.c audio.c sip/call.c sip/dialog.c sip/session_timer.c)
HERALDD_LIB_SRCS += $(HERALDD_CALL_SRCS)
HERALDD_LIBS += $(NL_LIBS)

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_CALL_SRCS))

# libFuzzer target of the call layer (tests/fuzz/fuzz_call.c), one of FUZZERS.
FUZZ_CALL_SRCS := tests/fuzz/fuzz_call.c tests/unit/fake_loop.c daemon/sip/call.c \
	daemon/sip/dialog.c daemon/sip/session_timer.c daemon/media.c daemon/call_feeds.c daemon/audio.c \
	daemon/call_config.c daemon/sdp.c daemon/sdes.c daemon/sip/msg.c daemon/log.c

$(B)/fuzz/fuzz_call: $(FUZZ_CALL_SRCS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ $(FUZZ_CALL_SRCS)
