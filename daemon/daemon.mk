# SPDX-License-Identifier: GPL-2.0
# heraldd: the daemon. HERALDD_LIB_SRCS is everything but main(), shared
# with the unit tests (tests/unit/daemon.mk).

# HERALDD_LIBS is expanded when the recipe runs, after every fragment added to it.

HERALDD_LIB_SRCS := $(addprefix daemon/, config.c policy_config.c audio_config.c zones_config.c policy.c \
	layers.c log.c loop.c status.c json_read.c settings.c provision.c control.c control_proto.c)
HERALDD_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_LIB_SRCS) daemon/main.c)
	$(CC) $(LDFLAGS) -o $@ $^ $(HERALDD_LIBS)

USERSPACE_BINS += $(B)/heraldd
