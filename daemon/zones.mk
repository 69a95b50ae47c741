# SPDX-License-Identifier: GPL-2.0
# heraldd's multicast paging zones: mcast.* keys (zones_config.c, in
# daemon.mk with the other key tables) and the zones' outputs and streams in
# herald.ko (zones.c, over kernel.c).

HERALDD_LIB_SRCS += daemon/zones.c

$(B)/heraldd: $(B)/daemon/zones.o
