/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loop.h's timer functions over a clock the test moves (fake_loop.c), for
 * code that arms timers of seconds: a test links this instead of loop.c.
 * Only timers are faked; nothing here watches file descriptors.
 */
#ifndef HERALD_TESTS_FAKE_LOOP_H
#define HERALD_TESTS_FAKE_LOOP_H

#include <stdint.h>

extern uint64_t fake_now_ms;

/* Run the clock forward by @ms, firing due timers in time order. */
void fake_advance(uint64_t ms);

#endif
