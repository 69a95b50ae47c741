# SPDX-License-Identifier: GPL-2.0
# heraldd-media: heraldd's media hand-off (daemon/media.c, daemon/kernel.c)
# driven against the real herald.ko by tests/vm/t-daemon-media.sh.

HERALDD_MEDIA_SRCS := tests/tools/heraldd-media.c daemon/media.c daemon/call_feeds.c daemon/audio.c daemon/loop.c daemon/kernel.c \
	daemon/herald_nl.c daemon/sdes.c daemon/log.c

$(B)/tests/tools/heraldd-media: $(patsubst %.c,$(B)/%.o,$(HERALDD_MEDIA_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

USERSPACE_BINS += $(B)/tests/tools/heraldd-media
