# SPDX-License-Identifier: GPL-2.0
# Unit tests of heraldd. Sources are listed here rather than taken from
# daemon/daemon.mk, so the order make includes fragments in does not matter.

$(eval $(call unit_test,test_daemon_config,\
	tests/unit/test_daemon_config.c daemon/config.c daemon/log.c daemon/sip/sip_config.c,))

$(eval $(call unit_test,test_daemon_loop,\
	tests/unit/test_daemon_loop.c daemon/loop.c,))

$(eval $(call unit_test,test_daemon_log,\
	tests/unit/test_daemon_log.c daemon/log.c,))

$(eval $(call unit_test,test_daemon_layers,\
	tests/unit/test_daemon_layers.c daemon/layers.c daemon/config.c daemon/sip/sip_config.c daemon/log.c,))

$(eval $(call unit_test,test_daemon_status,\
	tests/unit/test_daemon_status.c daemon/status.c daemon/layers.c daemon/config.c daemon/sip/sip_config.c daemon/log.c,))

$(eval $(call unit_test,test_daemon_provision,\
	tests/unit/test_daemon_provision.c daemon/provision.c daemon/status.c daemon/layers.c \
	daemon/config.c daemon/sip/sip_config.c daemon/log.c daemon/loop.c,$(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)))
