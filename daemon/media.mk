# SPDX-License-Identifier: GPL-2.0
# heraldd's calls and media: call layer, RTP sockets, streams in herald.ko
# over libnl-genl-3 (daemon/herald_nl.c is shared with heraldctl).

EXTRA_CFLAGS_daemon += $(NL_CFLAGS)

HERALDD_CALL_SRCS := $(addprefix daemon/, call_config.c herald_nl.c kernel.c media.c \
	sip/call.c sip/dialog.c)
HERALDD_LIB_SRCS += $(HERALDD_CALL_SRCS)
HERALDD_LIBS += $(NL_LIBS)

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_CALL_SRCS))
