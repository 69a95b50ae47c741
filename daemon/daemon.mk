# SPDX-License-Identifier: GPL-2.0
# heraldd: the daemon. HERALDD_LIB_SRCS is everything but main(), shared
# with the unit tests (tests/unit/daemon.mk).

HERALDD_LIB_SRCS := $(addprefix daemon/, config.c layers.c log.c loop.c status.c \
	settings.c provision.c)

CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_LIB_SRCS) daemon/main.c)
	$(CC) $(LDFLAGS) -o $@ $^ $(CURL_LIBS)

USERSPACE_BINS += $(B)/heraldd
