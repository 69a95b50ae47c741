# SPDX-License-Identifier: GPL-2.0
# Unit tests of heraldctl. Sources are listed here rather than taken from
# tools/heraldctl/heraldctl.mk, which make includes after this file.

EXTRA_CFLAGS_tests += $(NL_CFLAGS)

$(eval $(call unit_test,test_heraldctl_json,\
	tests/unit/test_heraldctl_json.c tools/heraldctl/json.c tools/heraldctl/output.c,))

HERALDCTL_TEST_SRCS := $(addprefix tools/heraldctl/, \
	args.c control.c heraldctl.c info.c json.c key.c keyspec.c monitor.c nl.c objects.c \
	output.c output_obj.c policy.c sink.c status_show.c stream.c tone_file.c version.c) \
	daemon/sdes.c daemon/herald_nl.c daemon/json_read.c

$(eval $(call unit_test,test_heraldctl_args,\
	tests/unit/test_heraldctl_args.c $(HERALDCTL_TEST_SRCS),$(NL_LIBS)))

$(eval $(call unit_test,test_heraldctl_nl,\
	tests/unit/test_heraldctl_nl.c $(HERALDCTL_TEST_SRCS),$(NL_LIBS)))

$(eval $(call unit_test,test_heraldctl_objects,\
	tests/unit/test_heraldctl_objects.c $(HERALDCTL_TEST_SRCS),$(NL_LIBS)))

$(eval $(call unit_test,test_heraldctl_control,\
	tests/unit/test_heraldctl_control.c $(HERALDCTL_TEST_SRCS),$(NL_LIBS) -lpthread))
