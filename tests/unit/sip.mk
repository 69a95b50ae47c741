# SPDX-License-Identifier: GPL-2.0
# Unit tests of heraldd's SIP groundwork: message parser/builder, SDP, SDES.

$(eval $(call unit_test,test_sip_msg,\
	tests/unit/test_sip_msg.c daemon/sip/msg.c,))

$(eval $(call unit_test,test_sdp,\
	tests/unit/test_sdp.c daemon/sdp.c daemon/sdes.c,))

$(eval $(call unit_test,test_sip_digest,\
	tests/unit/test_sip_digest.c daemon/sip/digest.c daemon/sip/msg.c,-lcrypto))

$(eval $(call unit_test,test_sip_config,\
	tests/unit/test_sip_config.c daemon/sip/reg_status.c daemon/json_read.c $(DAEMON_CONFIG_SRCS),))

$(eval $(call unit_test,test_sip_resolve,\
	tests/unit/test_sip_resolve.c daemon/sip/resolve.c daemon/sip/srv.c daemon/loop.c,-lresolv))

$(eval $(call unit_test,test_sip_transport,\
	tests/unit/test_sip_transport.c daemon/sip/transport.c daemon/sip/transaction.c \
	daemon/sip/tls.c daemon/sip/resolve.c daemon/sip/srv.c daemon/sip/msg.c daemon/loop.c daemon/log.c,\
	-lssl -lcrypto -lresolv))

$(eval $(call unit_test,test_sip_srv,\
	tests/unit/test_sip_srv.c daemon/sip/srv.c,-lresolv))

$(eval $(call unit_test,test_sip_checksync,\
	tests/unit/test_sip_checksync.c daemon/sip/checksync.c daemon/sip/digest_verify.c \
	daemon/sip/digest.c daemon/sip/msg.c daemon/log.c,-lcrypto))

# RFC 4028 as our UAS plays it: what an INVITE asks, what we answer, when we give up.
$(eval $(call unit_test,test_sip_session_timer,\
	tests/unit/test_sip_session_timer.c daemon/sip/session_timer.c daemon/sip/msg.c,))
