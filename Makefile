# SPDX-License-Identifier: GPL-2.0
# herald: top-level build.
#
#   make                 module for KVER (default: running kernel, else newest 6.1) + userspace
#   make module          herald.ko only;  KVER=<release> or KDIR=<kernel build tree>
#   make modules-all     herald.ko for every supported kernel installed (build/kmod/<release>/)
#   make userspace       heraldd, heraldctl, test tools (build/)
#   make check           everything the README promises, ends with "N passed, N failed"
#   make demo            the main job: a real encrypted page end to end (see README)
#   make bench | fuzz    benchmarks and long fuzzing runs (not part of check)
#   make deps            install the Debian packages all of the above need

SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build

# The running kernel if its build tree is installed, else the newest supported.
KVER ?= $(shell r=$$(uname -r); if [ -d /lib/modules/$$r/build ]; then echo $$r; \
	else $(TOP)/tools/kernels.sh | awk 'NR==1{print $$2}'; fi)
KDIR ?= /lib/modules/$(KVER)/build

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	-Wno-unused-parameter -Werror
HERALD_CFLAGS := -std=gnu11 -D_GNU_SOURCE -I$(TOP)/uapi $(WARN) $(CFLAGS)
LDFLAGS ?=

NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)

.PHONY: all module modules-all userspace check demo bench fuzz deps clean install \
	unit dkms-check
.DEFAULT_GOAL := all

all: module userspace

deps:
	@$(TOP)/tools/deps.sh

# ---- kernel module ----------------------------------------------------------
# Built through the top-level Kbuild, exactly as DKMS builds it.
module:
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

# One out-of-tree copy per kernel, so both series build side by side and the
# source tree stays clean. A warning fails the build.
KMOD_SRCS := Kbuild $(shell find kmod uapi -name '*.[ch]' 2>/dev/null)

modules-all:
	@set -e; $(TOP)/tools/kernels.sh | while read series rel; do \
		$(MAKE) --no-print-directory kmod-one REL=$$rel; \
	done

kmod-one: 
	@set -eo pipefail; d=$(B)/kmod/$(REL); rm -rf $$d; mkdir -p $$d; \
	cp -r --parents $(KMOD_SRCS) $$d/; \
	echo "  KMOD    $(REL)"; \
	$(MAKE) -C /lib/modules/$(REL)/build M=$$d W=1 modules > $$d/build.log 2>&1 \
		|| { cat $$d/build.log; exit 1; }; \
	if grep -E 'warning:|error:' $$d/build.log; then echo "warnings building for $(REL)"; exit 1; fi

# ---- userspace --------------------------------------------------------------
# Each part adds its binaries to USERSPACE_BINS in its own fragment.
USERSPACE_BINS :=
UNIT_TESTS :=

# $(call unit_test,NAME,SOURCES,LIBS): build/tests/unit/NAME from SOURCES
# (tests/unit/NAME.c among them), linked with cmocka and LIBS. Sources from
# kmod/ are the module's own pure-logic files, compiled for userspace with
# HERALD_USERSPACE defined.
define unit_test
$(B)/tests/unit/$(1): $(patsubst %.c,$(B)/%.o,$(2))
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -lcmocka $(3)
UNIT_TESTS += $(B)/tests/unit/$(1)
endef

# heraldd's configuration table and what it needs to link (every area's keys
# and checks), and the status file with its JSON helpers: listed once here,
# for heraldd and for every test tool, unit test and fuzzer built from them.
DAEMON_CONFIG_SRCS := daemon/config.c daemon/policy_config.c daemon/sip/sip_config.c \
	daemon/call_config.c daemon/audio_config.c daemon/zones_config.c daemon/sdes.c daemon/log.c
DAEMON_STATUS_SRCS := daemon/status.c daemon/json_read.c daemon/layers.c

EXTRA_CFLAGS_kmod := -DHERALD_USERSPACE -I$(TOP)/kmod -I$(TOP)/tests/unit/kcompat
EXTRA_CFLAGS_tests := -I$(TOP)/kmod -I$(TOP)/tests/unit/kcompat -I$(TOP)/daemon -I$(TOP)/tools/heraldctl

-include $(sort $(wildcard daemon/*.mk tools/heraldctl/*.mk tests/unit/*.mk tests/tools/*.mk))

userspace: $(USERSPACE_BINS) $(UNIT_TESTS)
unit: $(UNIT_TESTS)
	@$(TOP)/tests/unit/run.sh $(UNIT_TESTS)

$(B)/%.o: $(TOP)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HERALD_CFLAGS) $(EXTRA_CFLAGS_$(firstword $(subst /, ,$*))) -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- fuzzing (libFuzzer, clang) ---------------------------------------------
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -DHERALD_USERSPACE \
	-I$(TOP)/kmod -I$(TOP)/tests/unit/kcompat -I$(TOP)/uapi
FUZZERS := $(B)/fuzz/fuzz_rtp $(B)/fuzz/fuzz_sip $(B)/fuzz/fuzz_sdp $(B)/fuzz/fuzz_digest \
	$(B)/fuzz/fuzz_config $(B)/fuzz/fuzz_call $(B)/fuzz/fuzz_srv $(B)/fuzz/fuzz_checksync \
	$(B)/fuzz/fuzz_control

$(B)/fuzz/fuzz_rtp: tests/fuzz/fuzz_rtp.c kmod/rtp.c kmod/rtp.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_rtp.c kmod/rtp.c

$(B)/fuzz/fuzz_sip: tests/fuzz/fuzz_sip.c daemon/sip/msg.c daemon/sip/msg.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_sip.c daemon/sip/msg.c

$(B)/fuzz/fuzz_sdp: tests/fuzz/fuzz_sdp.c daemon/sdp.c daemon/sdp.h daemon/sdes.c daemon/sdes.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_sdp.c daemon/sdp.c daemon/sdes.c

$(B)/fuzz/fuzz_digest: tests/fuzz/fuzz_digest.c daemon/sip/digest.c daemon/sip/digest.h \
		daemon/sip/msg.c daemon/sip/msg.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_digest.c \
		daemon/sip/digest.c daemon/sip/msg.c -lcrypto

FUZZ_CHECKSYNC_SRCS := daemon/sip/checksync.c daemon/sip/digest_verify.c daemon/sip/digest.c \
	daemon/sip/msg.c daemon/log.c
$(B)/fuzz/fuzz_checksync: tests/fuzz/fuzz_checksync.c $(FUZZ_CHECKSYNC_SRCS) daemon/sip/checksync.h \
		daemon/sip/digest_verify.h daemon/sip/digest.h daemon/sip/msg.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_checksync.c \
		$(FUZZ_CHECKSYNC_SRCS) -lcrypto

FUZZ_CONFIG_SRCS := daemon/layers.c $(DAEMON_CONFIG_SRCS)
$(B)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c $(FUZZ_CONFIG_SRCS) daemon/layers.h daemon/config.h \
		daemon/provision_config.h daemon/call_config.h daemon/audio_config.h daemon/zones_config.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_config.c $(FUZZ_CONFIG_SRCS)

$(B)/fuzz/fuzz_srv: tests/fuzz/fuzz_srv.c daemon/sip/srv.c daemon/sip/srv.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_srv.c \
		daemon/sip/srv.c -lresolv

FUZZ_CONTROL_SRCS := daemon/control_proto.c $(DAEMON_STATUS_SRCS) $(DAEMON_CONFIG_SRCS)
$(B)/fuzz/fuzz_control: tests/fuzz/fuzz_control.c $(FUZZ_CONTROL_SRCS) daemon/control_proto.h \
		daemon/json_read.h daemon/status.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I$(TOP)/daemon -o $@ tests/fuzz/fuzz_control.c $(FUZZ_CONTROL_SRCS)

# Every fuzzer for FUZZ_SECONDS each (side by side with -j); new inputs go
# to build/fuzz/corpus/ (first directory), the committed seeds are read only
# (second). Each run's output is in build/fuzz/<name>.log, shown on failure.
FUZZ_RUNS := $(addprefix fuzz-run-,$(notdir $(FUZZERS)))
.PHONY: $(FUZZ_RUNS)
fuzz: $(FUZZ_RUNS)
$(FUZZ_RUNS): fuzz-run-%: $(B)/fuzz/%
	@mkdir -p $(B)/fuzz/corpus/$*
	@$< -max_total_time=$(FUZZ_SECONDS) $(B)/fuzz/corpus/$* \
		$$([ -f tests/fuzz/$*.dict ] && echo -dict=tests/fuzz/$*.dict) \
		$$([ -d tests/fuzz/corpus-seeds/$* ] && echo tests/fuzz/corpus-seeds/$*) \
		> $(B)/fuzz/$*.log 2>&1 || { cat $(B)/fuzz/$*.log; echo "== $*: FAILED"; exit 1; }
	@echo "== $* for $(FUZZ_SECONDS) s: $$(grep '^Done' $(B)/fuzz/$*.log)"

# ---- benchmarks (not part of check) -----------------------------------------
bench: userspace modules-all
	@$(TOP)/tests/bench/run.sh $(BENCH_ARGS)

# ---- tests ------------------------------------------------------------------
check:
	@$(TOP)/tests/check.sh

dkms-check:
	@$(TOP)/tests/dkms-check.sh

demo:
	@$(TOP)/tools/deps.sh
	@$(MAKE) --no-print-directory modules-all userspace
	@$(TOP)/tools/demo.sh

clean:
	rm -rf $(B)
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null

install: userspace
	install -D -m 755 $(B)/heraldd $(DESTDIR)/usr/sbin/heraldd
	install -D -m 755 $(B)/heraldctl $(DESTDIR)/usr/sbin/heraldctl
	install -D -m 644 uapi/linux/herald.h $(DESTDIR)/usr/include/linux/herald.h
	install -D -m 644 docs/man/heraldd.8 $(DESTDIR)/usr/share/man/man8/heraldd.8
	install -D -m 644 docs/man/heraldctl.8 $(DESTDIR)/usr/share/man/man8/heraldctl.8
	install -D -m 644 docs/man/herald.conf.5 $(DESTDIR)/usr/share/man/man5/herald.conf.5
