# SPDX-License-Identifier: GPL-2.0
# Unit tests of heraldd. Sources are listed here rather than taken from
# daemon/daemon.mk, so the order make includes fragments in does not matter
# (DAEMON_CONFIG_SRCS and DAEMON_STATUS_SRCS are set in the Makefile itself).

$(eval $(call unit_test,test_daemon_config,\
	tests/unit/test_daemon_config.c $(DAEMON_CONFIG_SRCS),))

$(eval $(call unit_test,test_daemon_loop,\
	tests/unit/test_daemon_loop.c daemon/loop.c,))

$(eval $(call unit_test,test_daemon_log,\
	tests/unit/test_daemon_log.c daemon/log.c,))

$(eval $(call unit_test,test_daemon_layers,\
	tests/unit/test_daemon_layers.c daemon/layers.c $(DAEMON_CONFIG_SRCS),))

$(eval $(call unit_test,test_daemon_status,\
	tests/unit/test_daemon_status.c $(DAEMON_STATUS_SRCS) $(DAEMON_CONFIG_SRCS),))

$(eval $(call unit_test,test_daemon_provision,\
	tests/unit/test_daemon_provision.c daemon/provision.c daemon/loop.c $(DAEMON_STATUS_SRCS) \
	$(DAEMON_CONFIG_SRCS),$(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)))

# The call layer with a recording transport, a fake herald.ko and a fake
# clock (fake_loop.c stands in for loop.c).
$(eval $(call unit_test,test_call,\
	tests/unit/test_call.c tests/unit/fake_loop.c daemon/sip/call.c daemon/sip/dialog.c \
	daemon/sip/session_timer.c daemon/media.c daemon/call_feeds.c daemon/audio.c daemon/audio_config.c daemon/call_config.c daemon/sdp.c daemon/sdes.c daemon/sip/msg.c daemon/log.c,))

$(eval $(call unit_test,test_call_config,\
	tests/unit/test_call_config.c $(DAEMON_CONFIG_SRCS),))

# The encryption registry and the "calls" area; call_status.c asks herald.ko
# about outputs, so the netlink client links in (unused by these tests).
$(eval $(call unit_test,test_policy,\
	tests/unit/test_policy.c daemon/policy.c daemon/call_status.c daemon/kernel.c daemon/herald_nl.c \
	daemon/sip/call.c daemon/sip/dialog.c daemon/sip/session_timer.c daemon/media.c daemon/call_feeds.c daemon/audio.c \
	daemon/sdp.c daemon/sip/msg.c daemon/loop.c \
	$(DAEMON_STATUS_SRCS) $(DAEMON_CONFIG_SRCS),$(NL_LIBS)))

$(eval $(call unit_test,test_policy_config,\
	tests/unit/test_policy_config.c daemon/settings.c $(DAEMON_STATUS_SRCS) $(DAEMON_CONFIG_SRCS),))

$(eval $(call unit_test,test_daemon_control,\
	tests/unit/test_daemon_control.c daemon/control_proto.c $(DAEMON_STATUS_SRCS) $(DAEMON_CONFIG_SRCS),))

# The audio.* keys and the playback sink, with a fake herald.ko and clock.
$(eval $(call unit_test,test_audio,\
	tests/unit/test_audio.c tests/unit/fake_loop.c daemon/audio.c $(DAEMON_CONFIG_SRCS),))

$(eval $(call unit_test,test_zones_config,\
	tests/unit/test_zones_config.c $(DAEMON_CONFIG_SRCS),))

# Zones against a fake herald.ko and fake clocks (fake_loop.c for loop.c).
$(eval $(call unit_test,test_zones,\
	tests/unit/test_zones.c tests/unit/fake_loop.c daemon/zones.c daemon/policy.c $(DAEMON_STATUS_SRCS) \
	$(DAEMON_CONFIG_SRCS),))

# The netlink requests kernel.c builds (kernel.c is included by the test).
$(eval $(call unit_test,test_kernel_stream_msg,\
	tests/unit/test_kernel_stream_msg.c daemon/herald_nl.c daemon/log.c,$(NL_LIBS)))

# Running calls following their account's zones: call_feeds.c through
# media.c against a fake herald.ko.
$(eval $(call unit_test,test_call_feeds,\
	tests/unit/test_call_feeds.c daemon/call_feeds.c daemon/media.c daemon/audio.c \
	tests/unit/fake_loop.c daemon/log.c,))
