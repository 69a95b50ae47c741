// SPDX-License-Identifier: GPL-2.0
/*
 * tone-levels: where, and how loud, each of a few pure tones is in a
 * captured signal, so that a test can tell talkers apart by the tone each
 * one sends (which page the sink played, when it switched, at what level).
 *
 *   tone-levels [--rate HZ] [--window N] [--min AMP] FILE HZ...
 *
 * FILE is raw signed 16-bit little-endian mono. The file is cut into
 * windows of N samples (default 480: 10 ms at 48 kHz); in each, the
 * amplitude of every tone asked for is measured with the Goertzel
 * algorithm, and the window's RMS. Tones whose frequencies are multiples of
 * rate / N complete whole cycles in a window: they do not leak into each
 * other's measurement, whatever their phase.
 *
 * A tone is present in a window when its amplitude is at least AMP
 * (default 100, -50 dBFS). Printed, one JSON line: for each tone, the first
 * and last window where it is present and their count; its level in dBFS
 * (the median amplitude over the windows where it is present, so the
 * partly filled windows at its ends and a concealed spot do not move it);
 * and for the whole file the first and last windows whose RMS is at least
 * AMP (any sound at all). Windows are numbered from 0; sample = window * N.
 * Exit status 0; 1 on bad input.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TONES 8

struct tone {
	double hz;
	long first, last, count;
	double *amp;		/* per window where present */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Amplitude of a sinusoid at hz in x[0..n): 2 |X(hz)| / n. */
static double goertzel(const int16_t *x, long n, double hz, double rate)
{
	double w = 2 * M_PI * hz / rate, k = 2 * cos(w), s1 = 0, s2 = 0, s0, re, im;
	long i;

	for (i = 0; i < n; i++) {
		s0 = x[i] + k * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	re = s1 - s2 * cos(w);
	im = s2 * sin(w);
	return 2 * sqrt(re * re + im * im) / (double)n;
}

static double rms(const int16_t *x, long n)
{
	double e = 0;
	long i;

	for (i = 0; i < n; i++)
		e += (double)x[i] * x[i];
	return sqrt(e / (double)n);
}

static int16_t *load(const char *path, long *n)
{
	FILE *fp = fopen(path, "rb");
	int16_t *buf = NULL;
	long size;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		*n = size / 2;
		buf = malloc((size_t)(*n ? *n : 1) * sizeof(*buf));
		if (buf && fread(buf, sizeof(*buf), (size_t)*n, fp) != (size_t)*n) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(fp);
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: tone-levels [--rate HZ] [--window N] [--min AMP] FILE HZ...\n");
	exit(1);
}

int main(int argc, char **argv)
{
	double rate = 48000, min = 100;
	long win = 480, n, nwin, w, first_sound = -1, last_sound = -1;
	struct tone tones[MAX_TONES];
	int ntones = 0, t;
	int16_t *x;

	while (argc >= 3 && !strncmp(argv[1], "--", 2)) {
		if (!strcmp(argv[1], "--rate"))
			rate = atof(argv[2]);
		else if (!strcmp(argv[1], "--window"))
			win = atol(argv[2]);
		else if (!strcmp(argv[1], "--min"))
			min = atof(argv[2]);
		else
			usage();
		argv += 2;
		argc -= 2;
	}
	if (argc < 3 || argc - 2 > MAX_TONES || rate <= 0 || win < 16 || min <= 0)
		usage();
	x = load(argv[1], &n);
	if (!x) {
		fprintf(stderr, "tone-levels: cannot read %s\n", argv[1]);
		return 1;
	}
	nwin = n / win;
	for (t = 0; t < argc - 2; t++) {
		tones[t] = (struct tone){ .hz = atof(argv[t + 2]), .first = -1, .last = -1 };
		if (tones[t].hz <= 0 || tones[t].hz >= rate / 2)
			usage();
		tones[t].amp = malloc((size_t)(nwin ? nwin : 1) * sizeof(double));
		if (!tones[t].amp)
			return 1;
		ntones++;
	}
	for (w = 0; w < nwin; w++) {
		const int16_t *p = x + w * win;

		if (rms(p, win) >= min) {
			if (first_sound < 0)
				first_sound = w;
			last_sound = w;
		}
		for (t = 0; t < ntones; t++) {
			double a = goertzel(p, win, tones[t].hz, rate);

			if (a < min)
				continue;
			if (tones[t].first < 0)
				tones[t].first = w;
			tones[t].last = w;
			tones[t].amp[tones[t].count++] = a;
		}
	}
	printf("{\"rate\":%.0f,\"window\":%ld,\"windows\":%ld,\"first_sound\":%ld,"
	       "\"last_sound\":%ld,\"tones\":[", rate, win, nwin, first_sound, last_sound);
	for (t = 0; t < ntones; t++) {
		struct tone *o = &tones[t];
		double level = -200;

		if (o->count) {
			qsort(o->amp, (size_t)o->count, sizeof(double), cmp_double);
			level = 20 * log10(o->amp[o->count / 2] / 32768);
		}
		printf("%s{\"hz\":%.0f,\"first\":%ld,\"last\":%ld,\"windows\":%ld,\"level_dbfs\":%.2f}",
		       t ? "," : "", o->hz, o->first, o->last, o->count, level);
		free(o->amp);
	}
	printf("]}\n");
	free(x);
	return 0;
}
