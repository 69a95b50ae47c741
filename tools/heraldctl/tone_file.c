// SPDX-License-Identifier: GPL-2.0
/*
 * Tone files for the sink (see tone_file.h). The WAV reader walks the RIFF
 * chunks strictly: every size is checked against what the file holds, the
 * "fmt " chunk must say PCM (or WAVE_FORMAT_EXTENSIBLE with the PCM
 * sub-format), one channel, 16000 Hz, 16 bits, and the "data" chunk follows.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/herald.h>

#include "heraldctl.h"
#include "tone_file.h"

#define TONE_RATE 16000
#define WAV_PCM 1
#define WAV_EXTENSIBLE 0xfffe
/* Big enough for a 2 s tone with any header a tool writes. */
#define TONE_FILE_MAX (HERALD_SINK_TONE_MAX_BYTES + 65536)

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static int tone_take(const char *path, const char *file, const uint8_t *data, size_t size,
		     uint8_t **pcm, uint32_t *len)
{
	if (!size) {
		ctl_error(path, "%s: no audio in it", file);
		return -1;
	}
	if (size % 2) {
		ctl_error(path, "%s: %zu bytes: 16-bit samples come in pairs of bytes", file, size);
		return -1;
	}
	if (size > HERALD_SINK_TONE_MAX_BYTES) {
		ctl_error(path, "%s: %.2f s of audio; a tone is at most %.2f s (%d bytes at 16 kHz)",
			  file, size / 2.0 / TONE_RATE,
			  HERALD_SINK_TONE_MAX_BYTES / 2.0 / TONE_RATE, HERALD_SINK_TONE_MAX_BYTES);
		return -1;
	}
	*pcm = malloc(size);
	if (!*pcm) {
		ctl_error(path, "out of memory");
		return -1;
	}
	memcpy(*pcm, data, size);
	*len = (uint32_t)size;
	return 0;
}

static int wav_parse(const char *path, const char *file, const uint8_t *buf, size_t size,
		     uint8_t **pcm, uint32_t *len)
{
	size_t pos = 12;
	bool fmt = false;

	while (pos + 8 <= size) {
		const uint8_t *id = buf + pos;
		size_t csize = le32(buf + pos + 4);
		const uint8_t *c = buf + pos + 8;

		if (csize > size - pos - 8) {
			ctl_error(path, "%s: WAV chunk \"%.4s\" runs past the end of the file",
				  file, (const char *)id);
			return -1;
		}
		if (!memcmp(id, "fmt ", 4)) {
			uint32_t format, channels, rate, bits;

			if (csize < 16) {
				ctl_error(path, "%s: WAV \"fmt \" chunk too short", file);
				return -1;
			}
			format = le16(c);
			channels = le16(c + 2);
			rate = le32(c + 4);
			bits = le16(c + 14);
			/* Extensible: the sub-format GUID starts with the format. */
			if (format == WAV_EXTENSIBLE && csize >= 26)
				format = le16(c + 24);
			if (format != WAV_PCM || channels != 1 || rate != TONE_RATE || bits != 16) {
				ctl_error(path, "%s: a tone is 16 kHz mono 16-bit PCM; this WAV is %s, %u Hz, %u channel%s, %u bits (convert it, e.g. sox IN -r 16000 -c 1 -b 16 -e signed OUT.wav)",
					  file, format == WAV_PCM ? "PCM" : "not PCM", rate, channels,
					  channels == 1 ? "" : "s", bits);
				return -1;
			}
			fmt = true;
		} else if (!memcmp(id, "data", 4)) {
			if (!fmt) {
				ctl_error(path, "%s: WAV \"data\" before its \"fmt \" chunk", file);
				return -1;
			}
			return tone_take(path, file, c, csize, pcm, len);
		}
		/* Chunks are padded to an even size. */
		pos += 8 + csize + (csize & 1);
	}
	ctl_error(path, "%s: a WAV file without a \"data\" chunk", file);
	return -1;
}

int tone_file_parse(const char *path, const char *file, const uint8_t *buf, size_t size,
		    uint8_t **pcm, uint32_t *len)
{
	if (size >= 4 && !memcmp(buf, "RIFF", 4)) {
		if (size < 12 || memcmp(buf + 8, "WAVE", 4)) {
			ctl_error(path, "%s: a RIFF file that is not WAVE", file);
			return -1;
		}
		return wav_parse(path, file, buf, size, pcm, len);
	}
	/* Anything else is raw s16le at 16 kHz. */
	return tone_take(path, file, buf, size, pcm, len);
}

int tone_file_read(const char *path, const char *file, uint8_t **pcm, uint32_t *len)
{
	uint8_t *buf;
	size_t size;
	FILE *fp;
	int ret;

	fp = fopen(file, "rb");
	if (!fp) {
		ctl_error(path, "%s: %s", file, strerror(errno));
		return -1;
	}
	buf = malloc(TONE_FILE_MAX + 1);
	if (!buf) {
		fclose(fp);
		ctl_error(path, "out of memory");
		return -1;
	}
	size = fread(buf, 1, TONE_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		ctl_error(path, "%s: read error", file);
		ret = -1;
	} else if (size > TONE_FILE_MAX) {
		ctl_error(path, "%s: too big for a tone (at most %d bytes of audio)", file,
			  HERALD_SINK_TONE_MAX_BYTES);
		ret = -1;
	} else {
		ret = tone_file_parse(path, file, buf, size, pcm, len);
	}
	free(buf);
	fclose(fp);
	return ret;
}
