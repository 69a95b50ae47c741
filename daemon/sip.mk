# SPDX-License-Identifier: GPL-2.0
# heraldd's SIP groundwork: message parser/builder, SDP, SDES. Included after
# daemon/daemon.mk (fragments are sorted), whose heraldd rule links $^: an
# extra prerequisite line is enough to link these objects in.

HERALDD_SIP_SRCS := daemon/sip/msg.c daemon/sdp.c daemon/sdes.c
HERALDD_LIB_SRCS += $(HERALDD_SIP_SRCS)

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_SIP_SRCS))
