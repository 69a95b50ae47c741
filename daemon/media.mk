# SPDX-License-Identifier: GPL-2.0
# heraldd's calls and media: call layer, RTP sockets, streams in herald.ko
# over libnl-genl-3 (daemon/herald_nl.c is shared with heraldctl).

EXTRA_CFLAGS_daemon += $(NL_CFLAGS)
