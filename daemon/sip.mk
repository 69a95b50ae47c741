# SPDX-License-Identifier: GPL-2.0
# heraldd's SIP: message parser/builder, SDP, SDES, and the transports,
# transactions, digest auth and registration. Included after daemon/daemon.mk
# (fragments are sorted), whose heraldd rule links $^: an extra prerequisite
# line is enough to link these objects in; the libraries go in HERALDD_LIBS.

HERALDD_SIP_SRCS := daemon/sip/msg.c daemon/sdp.c daemon/sdes.c \
	$(addprefix daemon/sip/, digest.c digest_verify.c checksync.c register.c resolve.c sip_config.c reg_status.c tls.c \
		probe.c srv.c transaction.c transport.c ua.c)
HERALDD_LIB_SRCS += $(HERALDD_SIP_SRCS)
HERALDD_LIBS += -lssl -lcrypto -lresolv

$(B)/heraldd: $(patsubst %.c,$(B)/%.o,$(HERALDD_SIP_SRCS))
