# SPDX-License-Identifier: GPL-2.0
# Unit tests of the module's codecs and resampler (kmod/g711.c, g722.c,
# resample.c), and the program that designs the resampler's filters.
#
# The tests read reference files from tests/unit/data/ (made by
# tests/unit/data/gen_codec.sh) and, where sox or ffmpeg is installed, also
# check against them afresh at run time; without the tool those cases are
# skipped and say so.

CODEC_TEST_CFLAGS := -DHERALD_TEST_DATA='"$(TOP)/tests/unit/data"'
$(B)/tests/unit/test_g711.o $(B)/tests/unit/test_g722.o: HERALD_CFLAGS += $(CODEC_TEST_CFLAGS)

$(eval $(call unit_test,test_g711,tests/unit/test_g711.c kmod/g711.c,))
$(eval $(call unit_test,test_g722,tests/unit/test_g722.c kmod/g722.c,-lm))
# test_resample includes kmod/resample.c itself, to compare its tables with
# the design; the self-test it runs covers the G.711 and G.722 files too.
$(eval $(call unit_test,test_resample,tests/unit/test_resample.c kmod/g711.c kmod/g722.c,-lm))

$(B)/tests/unit/gen_resample_taps: tests/unit/gen_resample_taps.c
	@mkdir -p $(dir $@)
	$(CC) $(HERALD_CFLAGS) $(LDFLAGS) -o $@ $< -lm
USERSPACE_BINS += $(B)/tests/unit/gen_resample_taps

# test_pcm_corr includes tests/tools/pcm-corr.c, the judge of the sink's VM
# test, and checks that it aligns and scores a known capture correctly.
$(eval $(call unit_test,test_pcm_corr,tests/unit/test_pcm_corr.c,-lm))
