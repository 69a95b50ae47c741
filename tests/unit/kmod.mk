# SPDX-License-Identifier: GPL-2.0
# Unit tests of the module's pure-logic files, built for userspace.
$(eval $(call unit_test,test_rtp,tests/unit/test_rtp.c kmod/rtp.c,))
$(eval $(call unit_test,test_replay,tests/unit/test_replay.c kmod/replay.c,))
$(eval $(call unit_test,test_jitter,tests/unit/test_jitter.c kmod/jitter.c,))
# The sink's pre-announce tone: chime and conversion (through the resampler).
$(eval $(call unit_test,test_tone,tests/unit/test_tone.c kmod/tone.c kmod/resample.c,-lm))
