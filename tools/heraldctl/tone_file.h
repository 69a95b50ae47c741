/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pre-announce tone from a file, for "heraldctl sink add|set ... tone
 * FILE": a WAV holding 16 kHz mono 16-bit PCM, or raw s16le at 16 kHz (any
 * file that is not RIFF/WAVE). The module takes exactly that; anything else
 * is refused with what the file holds, rather than converted here.
 */
#ifndef HERALDCTL_TONE_FILE_H
#define HERALDCTL_TONE_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read @file: the PCM bytes (s16le, at most HERALD_SINK_TONE_MAX_BYTES) in
 * a malloc'd *@pcm of *@len bytes. -1 with a message naming @file.
 */
int tone_file_read(const char *path, const char *file, uint8_t **pcm, uint32_t *len);
/* The same from @size bytes already in memory (@file only names them). */
int tone_file_parse(const char *path, const char *file, const uint8_t *buf, size_t size,
		    uint8_t **pcm, uint32_t *len);

#endif
