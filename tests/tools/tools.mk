# SPDX-License-Identifier: GPL-2.0
# libsrtp2-based test tools (see tests/tools/README.md).

TT_DIR := tests/tools
TT_COMMON := $(B)/$(TT_DIR)/sha256.o $(B)/$(TT_DIR)/sdes_key.o \
	$(B)/$(TT_DIR)/srtp_suite.o $(B)/$(TT_DIR)/net.o \
	$(B)/$(TT_DIR)/rtp_pkt.o
TT_LIBS := -lsrtp2 -lcrypto
TT_BINS := $(B)/$(TT_DIR)/srtp-send $(B)/$(TT_DIR)/srtp-recv \
	$(B)/$(TT_DIR)/pcap-replay

$(B)/$(TT_DIR)/srtp-send: $(B)/$(TT_DIR)/srtp-send.o $(TT_COMMON)
	$(CC) $(LDFLAGS) -o $@ $^ $(TT_LIBS)

$(B)/$(TT_DIR)/srtp-recv: $(B)/$(TT_DIR)/srtp-recv.o \
		$(B)/$(TT_DIR)/rx_account.o $(TT_COMMON)
	$(CC) $(LDFLAGS) -o $@ $^ $(TT_LIBS)

$(B)/$(TT_DIR)/pcap-replay: $(B)/$(TT_DIR)/pcap-replay.o \
		$(B)/$(TT_DIR)/rx_account.o $(TT_COMMON)
	$(CC) $(LDFLAGS) -o $@ $^ $(TT_LIBS) -lpcap

USERSPACE_BINS += $(TT_BINS)

# The tools are plain libc programs: the kernel-compat include paths meant for
# unit tests would shadow libc's own <linux/errno.h> (include loop, no EINTR).
$(B)/$(TT_DIR)/%.o: EXTRA_CFLAGS_tests :=

# "make build/tests/tools/srtp-send" names the same file by a relative path;
# these aliases (and "make test-tools") make both spellings work.
.PHONY: test-tools
test-tools: $(TT_BINS)
$(patsubst $(B)/%,build/%,$(TT_BINS)): build/%: $(B)/%

# rtp-junk: crafted and malformed RTP datagrams (tests/vm/t-fastpath-malformed.sh).
$(B)/$(TT_DIR)/rtp-junk: $(B)/$(TT_DIR)/rtp-junk.o $(TT_COMMON)
	$(CC) $(LDFLAGS) -o $@ $^ $(TT_LIBS)
USERSPACE_BINS += $(B)/$(TT_DIR)/rtp-junk
TT_BINS += $(B)/$(TT_DIR)/rtp-junk

# pcm-corr: aligned correlation of a captured signal with a reference
# (tests/vm/x-sink-g711.sh). libc and libm only.
$(B)/$(TT_DIR)/pcm-corr: $(B)/$(TT_DIR)/pcm-corr.o
	$(CC) $(LDFLAGS) -o $@ $^ -lm
USERSPACE_BINS += $(B)/$(TT_DIR)/pcm-corr
TT_BINS += $(B)/$(TT_DIR)/pcm-corr

# tone-levels: where and how loud given tones are in a capture
# (tests/vm/t-sink-priority.sh). libc and libm only.
$(B)/$(TT_DIR)/tone-levels: $(B)/$(TT_DIR)/tone-levels.o
	$(CC) $(LDFLAGS) -o $@ $^ -lm
USERSPACE_BINS += $(B)/$(TT_DIR)/tone-levels
TT_BINS += $(B)/$(TT_DIR)/tone-levels

# list-keys: heraldd's configuration keys from the daemon's own table
# (tests/host/t-docs-keys.sh holds the docs against it). No libsrtp2.
LK_SRCS := daemon/layers.c $(DAEMON_CONFIG_SRCS)
$(B)/$(TT_DIR)/list-keys.o: EXTRA_CFLAGS_tests := -I$(TOP)/daemon
$(B)/$(TT_DIR)/list-keys: $(B)/$(TT_DIR)/list-keys.o $(patsubst %.c,$(B)/%.o,$(LK_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^
USERSPACE_BINS += $(B)/$(TT_DIR)/list-keys
TT_BINS += $(B)/$(TT_DIR)/list-keys

# tone-gen: the sink's built-in chime from kmod/tone.c itself
# (tests/vm/t-sink-tone.sh); built with the module's userspace flags.
$(B)/$(TT_DIR)/tone-gen: $(TT_DIR)/tone-gen.c $(B)/kmod/tone.o $(B)/kmod/resample.o
	@mkdir -p $(dir $@)
	$(CC) $(HERALD_CFLAGS) $(EXTRA_CFLAGS_kmod) $(LDFLAGS) -o $@ $^
USERSPACE_BINS += $(B)/$(TT_DIR)/tone-gen
TT_BINS += $(B)/$(TT_DIR)/tone-gen
