// SPDX-License-Identifier: GPL-2.0
/*
 * pcm-corr: how well a captured signal matches a reference, after aligning
 * them. Both are raw signed 16-bit little-endian mono files at one rate.
 *
 *   pcm-corr [--window N] [--track SEG] REF CAP
 *
 * The alignment is found around where the signals start: the first sample
 * of each above a threshold gives a first guess of the lag, and the lag
 * within +-N samples (default 960) of it that maximises the normalised
 * cross-correlation wins. Every lag in the window is tried: a coarser grid
 * steps over the narrow peak of a signal with high tones in it (the peak of
 * a 2630 Hz tone is 18 samples wide at 48 kHz) and lands on a side lobe,
 * which fine steps then only polish. The correlation is taken over the
 * whole reference; with --track, over its first segment only, where the
 * player has not yet moved the lag (over the whole reference, with the lag
 * moving later on, a wrong lag could score highest). Prints one JSON line:
 * the lag in samples, the correlation, and the onsets. Exit status 0; 1 on
 * bad input (a silent file included).
 *
 * With --track SEG the lag may move slowly, as it does when a player holds
 * its buffer against clock drift by inserting or dropping single samples:
 * from the first segment's lag, each segment of SEG reference samples is
 * aligned within +-TRACK_STEP samples of the previous segment's lag, and
 * the correlation is pooled over all segments (sum of products over the
 * root of the product of the energies, as for one piece). Also printed: the
 * worst segment's correlation and the lag's total movement.
 *
 * With --skip START:LEN (repeatable), the reference samples [START,
 * START + LEN) and the capture's samples aligned with them are left out of
 * a second figure, corr_outside: the match of everything but those spots
 * (where a player concealed lost packets, say), at the lag found over the
 * whole reference. Not with --track.
 *
 * Built with PCM_CORR_NO_MAIN, the file provides pcm_corr_align() and
 * pcm_corr_track() to tests/unit/test_pcm_corr.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define ONSET_LEVEL 1000
#define TRACK_STEP 96
#define MAX_SKIPS 256

#ifndef PCM_CORR_NO_MAIN
static int16_t *load(const char *path, long *n)
{
	FILE *fp = fopen(path, "rb");
	int16_t *buf = NULL;
	long size;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) > 1 && fseek(fp, 0, SEEK_SET) == 0) {
		*n = size / 2;
		buf = malloc((size_t)*n * sizeof(*buf));
		if (buf && fread(buf, sizeof(*buf), (size_t)*n, fp) != (size_t)*n) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(fp);
	return buf;
}
#endif

static long onset(const int16_t *x, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (abs(x[i]) > ONSET_LEVEL)
			return i;
	return -1;
}

/* Normalised correlation of ref with cap shifted by lag (cap[i + lag]). */
static double corr(const int16_t *ref, long nref, const int16_t *cap, long ncap, long lag)
{
	double xy = 0, xx = 0, yy = 0;
	long i;

	for (i = 0; i < nref; i++) {
		double x = ref[i], y = 0;

		if (i + lag >= 0 && i + lag < ncap)
			y = cap[i + lag];
		xy += x * y;
		xx += x * x;
		yy += y * y;
	}
	return xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : 0;
}

/* Energies and product of ref[from..to) against cap shifted by lag. */
static void sums(const int16_t *ref, long from, long to, const int16_t *cap, long ncap, long lag,
		 double *xy, double *xx, double *yy)
{
	long i;

	*xy = *xx = *yy = 0;
	for (i = from; i < to; i++) {
		double x = ref[i], y = 0;

		if (i + lag >= 0 && i + lag < ncap)
			y = cap[i + lag];
		*xy += x * y;
		*xx += x * x;
		*yy += y * y;
	}
}

struct pcm_corr_track {
	double corr, worst;
	long lag_moved;
};

/* Follow the lag segment by segment from lag0; pooled correlation in *t. */
static void pcm_corr_track(const int16_t *ref, long nref, const int16_t *cap, long ncap,
			   long lag0, long seg, struct pcm_corr_track *t)
{
	double txy = 0, txx = 0, tyy = 0, worst = 2;
	long from, lag = lag0, l, best_l;

	for (from = 0; from < nref; from += seg) {
		long to = from + seg < nref ? from + seg : nref;
		double xy, xx, yy, c, best = -2, bxy = 0, bxx = 0, byy = 0;

		best_l = lag;
		for (l = lag - TRACK_STEP; l <= lag + TRACK_STEP; l++) {
			sums(ref, from, to, cap, ncap, l, &xy, &xx, &yy);
			c = xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : 0;
			if (c > best) {
				best = c;
				best_l = l;
				bxy = xy;
				bxx = xx;
				byy = yy;
			}
		}
		lag = best_l;
		txy += bxy;
		txx += bxx;
		tyy += byy;
		if (bxx > 0 && best < worst)
			worst = best;
	}
	t->corr = txx > 0 && tyy > 0 ? txy / sqrt(txx * tyy) : 0;
	t->worst = worst;
	t->lag_moved = lag - lag0;
}

/*
 * The lag within +-window of guess maximising the correlation of ref[0..n)
 * (n <= nref) with cap shifted by it; every lag is tried. Returns the lag,
 * its correlation in *best.
 */
static long pcm_corr_align(const int16_t *ref, long n, const int16_t *cap, long ncap, long guess,
			   long window, double *best)
{
	long lag, best_lag = guess;
	double c;

	*best = -2;
	for (lag = guess - window; lag <= guess + window; lag++) {
		c = corr(ref, n, cap, ncap, lag);
		if (c > *best) {
			*best = c;
			best_lag = lag;
		}
	}
	return best_lag;
}

#ifndef PCM_CORR_NO_MAIN

/* The correlation at lag over ref samples not in any skipped range. */
static double corr_outside(const int16_t *ref, long nref, const int16_t *cap, long ncap, long lag,
			   const long (*skip)[2], int nskip, long *skipped)
{
	double xy = 0, xx = 0, yy = 0, x, y;
	long i;
	int k;

	*skipped = 0;
	for (i = 0; i < nref; i++) {
		for (k = 0; k < nskip; k++)
			if (i >= skip[k][0] && i < skip[k][0] + skip[k][1])
				break;
		if (k < nskip) {
			(*skipped)++;
			continue;
		}
		x = ref[i];
		y = i + lag >= 0 && i + lag < ncap ? cap[i + lag] : 0;
		xy += x * y;
		xx += x * x;
		yy += y * y;
	}
	return xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : 0;
}

int main(int argc, char **argv)
{
	long nref, ncap, oref, ocap, best_lag, window = 960, seg = 0, skip[MAX_SKIPS][2], skipped;
	int16_t *ref, *cap;
	int nskip = 0;
	double best;

	while (argc >= 5 && (!strcmp(argv[1], "--window") || !strcmp(argv[1], "--track") ||
			     !strcmp(argv[1], "--skip"))) {
		if (!strcmp(argv[1], "--window")) {
			window = atol(argv[2]);
		} else if (!strcmp(argv[1], "--track")) {
			seg = atol(argv[2]);
		} else {
			if (nskip == MAX_SKIPS ||
			    sscanf(argv[2], "%ld:%ld", &skip[nskip][0], &skip[nskip][1]) != 2 ||
			    skip[nskip][0] < 0 || skip[nskip][1] < 1)
				seg = -1;
			nskip++;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc != 3 || window < 1 || seg < 0 || (seg && nskip)) {
		fprintf(stderr, "usage: pcm-corr [--window N] [--track SEG | --skip START:LEN...] REF CAP (raw s16le mono)\n");
		return 1;
	}
	ref = load(argv[1], &nref);
	cap = load(argv[2], &ncap);
	if (!ref || !cap) {
		fprintf(stderr, "pcm-corr: cannot read %s\n", ref ? argv[2] : argv[1]);
		return 1;
	}
	oref = onset(ref, nref);
	ocap = onset(cap, ncap);
	if (oref < 0 || ocap < 0) {
		fprintf(stderr, "pcm-corr: %s is silent\n", oref < 0 ? argv[1] : argv[2]);
		return 1;
	}
	best_lag = pcm_corr_align(ref, seg && seg < nref ? seg : nref, cap, ncap, ocap - oref,
				  window, &best);
	if (seg) {
		struct pcm_corr_track t;

		pcm_corr_track(ref, nref, cap, ncap, best_lag, seg, &t);
		printf("{\"lag\":%ld,\"corr\":%.5f,\"worst_segment\":%.5f,\"lag_moved\":%ld,"
		       "\"segment\":%ld}\n", best_lag, t.corr, t.worst, t.lag_moved, seg);
		free(ref);
		free(cap);
		return 0;
	}
	printf("{\"lag\":%ld,\"corr\":%.5f,\"ref_onset\":%ld,\"cap_onset\":%ld,"
	       "\"ref_samples\":%ld,\"cap_samples\":%ld",
	       best_lag, best, oref, ocap, nref, ncap);
	if (nskip) {
		double c = corr_outside(ref, nref, cap, ncap, best_lag,
					(const long (*)[2])skip, nskip, &skipped);

		printf(",\"corr_outside\":%.5f,\"skipped\":%ld", c, skipped);
	}
	printf("}\n");
	free(ref);
	free(cap);
	return 0;
}
#endif
