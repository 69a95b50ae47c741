// SPDX-License-Identifier: GPL-2.0
/*
 * tone-gen: write herald.ko's built-in pre-announce chime, made by the very
 * code the module runs (kmod/tone.c built for userspace), as raw s16le mono
 * at RATE to stdout: the reference tests/vm/t-sink-tone.sh correlates the
 * start of a captured page with.
 *
 *   tone-gen RATE        (8000, 16000 or 48000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tone.h"

int main(int argc, char **argv)
{
	unsigned long rate;
	s16 *pcm;
	u32 n, i;

	rate = argc == 2 ? strtoul(argv[1], NULL, 10) : 0;
	if (rate != 8000 && rate != 16000 && rate != 48000) {
		fprintf(stderr, "usage: tone-gen 8000|16000|48000 > chime.raw\n");
		return 2;
	}
	n = herald_chime_frames((u32)rate);
	pcm = calloc(n, sizeof(*pcm));
	if (!pcm)
		return 1;
	herald_chime(pcm, (u32)rate);
	for (i = 0; i < n; i++) {
		unsigned char le[2] = { (unsigned char)(pcm[i] & 0xff),
					(unsigned char)((pcm[i] >> 8) & 0xff) };

		if (fwrite(le, 1, 2, stdout) != 2)
			return 1;
	}
	free(pcm);
	return fflush(stdout) ? 1 : 0;
}
