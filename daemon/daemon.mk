# SPDX-License-Identifier: GPL-2.0
# heraldd: the daemon. HERALDD_LIB_SRCS is everything but main(), shared
# with the unit tests (tests/unit/daemon.mk).

HERALDD_LIB_SRCS := $(addprefix daemon/, config.c log.c loop.c)

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_LIB_SRCS) daemon/main.c)
	$(CC) $(LDFLAGS) -o $@ $^ $(HERALDD_LIBS)

USERSPACE_BINS += $(B)/heraldd
