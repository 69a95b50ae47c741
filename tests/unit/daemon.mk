# SPDX-License-Identifier: GPL-2.0
# Unit tests of heraldd. Sources are listed here rather than taken from
# daemon/daemon.mk, so the order make includes fragments in does not matter.

$(eval $(call unit_test,test_daemon_config,\
	tests/unit/test_daemon_config.c daemon/config.c daemon/zones_config.c daemon/log.c daemon/sip/sip_config.c \
	daemon/call_config.c daemon/sdes.c,))

$(eval $(call unit_test,test_daemon_loop,\
	tests/unit/test_daemon_loop.c daemon/loop.c,))

$(eval $(call unit_test,test_daemon_log,\
	tests/unit/test_daemon_log.c daemon/log.c,))

$(eval $(call unit_test,test_daemon_layers,\
	tests/unit/test_daemon_layers.c daemon/layers.c daemon/config.c daemon/zones_config.c daemon/sip/sip_config.c daemon/log.c \
	daemon/call_config.c daemon/sdes.c,))

$(eval $(call unit_test,test_daemon_status,\
	tests/unit/test_daemon_status.c daemon/status.c daemon/layers.c daemon/config.c daemon/zones_config.c daemon/sip/sip_config.c daemon/log.c \
	daemon/call_config.c daemon/sdes.c,))

$(eval $(call unit_test,test_daemon_provision,\
	tests/unit/test_daemon_provision.c daemon/provision.c daemon/status.c daemon/layers.c \
	daemon/config.c daemon/zones_config.c daemon/sip/sip_config.c daemon/log.c daemon/loop.c daemon/call_config.c \
	daemon/sdes.c,$(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)))

# The call layer with a recording transport, a fake herald.ko and a fake
# clock (fake_loop.c stands in for loop.c).
$(eval $(call unit_test,test_call,\
	tests/unit/test_call.c tests/unit/fake_loop.c daemon/sip/call.c daemon/sip/dialog.c daemon/media.c \
	daemon/call_config.c daemon/sdp.c daemon/sdes.c daemon/sip/msg.c daemon/log.c,))

$(eval $(call unit_test,test_call_config,\
	tests/unit/test_call_config.c daemon/call_config.c daemon/config.c daemon/zones_config.c daemon/sip/sip_config.c daemon/log.c \
	daemon/sdes.c,))

$(eval $(call unit_test,test_zones_config,\
	tests/unit/test_zones_config.c daemon/zones_config.c daemon/config.c daemon/sip/sip_config.c \
	daemon/call_config.c daemon/log.c daemon/sdes.c,))

# Zones against a fake herald.ko and fake clocks (fake_loop.c for loop.c).
$(eval $(call unit_test,test_zones,\
	tests/unit/test_zones.c tests/unit/fake_loop.c daemon/zones.c daemon/zones_config.c \
	daemon/status.c daemon/layers.c daemon/config.c daemon/sip/sip_config.c daemon/call_config.c \
	daemon/log.c daemon/sdes.c,))
