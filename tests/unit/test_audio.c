// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/audio_config.c and daemon/audio.c: the audio.* keys through the
 * generic parser and their checks, and the sink heraldd keeps in herald.ko,
 * driven through a fake module (kernel_ops) and a fake clock (fake_loop.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "../../daemon/audio.h"
#include "../../daemon/call_config.h"
#include "fake_loop.h"

/* ---- configuration -------------------------------------------------------- */

static int load(const char *text, struct audio_config *a, const struct call_config *call,
		char *err, size_t errlen)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(fp);
	audio_config_defaults(a);
	ret = config_parse(audio_config_keys, a, fp, "test.conf", err, errlen);
	fclose(fp);
	if (ret)
		return ret;
	return audio_config_check(a, call, err, errlen);
}

static void config_defaults(void **state)
{
	struct audio_config a;
	char err[256];

	assert_int_equal(load("", &a, NULL, err, sizeof(err)), 0);
	assert_string_equal(a.card, "");
	assert_false(audio_has_card(&a));
	assert_int_equal(a.device, 0);
	assert_int_equal(a.rate, 48000);
	assert_int_equal(a.delay_ms, HERALD_SINK_TARGET_MS_DEFAULT);
	assert_int_equal(audio_period_frames(&a), 480);
	assert_int_equal(audio_buffer_frames(&a), 1920);
	assert_string_equal(a.label, "audio");
}

static void config_keys(void **state)
{
	struct audio_config a;
	char err[256];

	assert_int_equal(load("audio.card = 2\n"
			      "audio.device = 1\n"
			      "audio.rate = 16000\n"
			      "audio.period_ms = 20\n"
			      "audio.periods = 8\n"
			      "audio.delay_ms = 200\n"
			      "audio.volume_db = -6\n"
			      "audio.emergency_volume_db = 6\n"
			      "audio.label = lobby\n", &a, NULL, err, sizeof(err)), 0);
	assert_string_equal(a.card, "2");
	assert_true(audio_has_card(&a));
	assert_int_equal(a.device, 1);
	assert_int_equal(a.rate, 16000);
	assert_int_equal(audio_period_frames(&a), 320);
	assert_int_equal(audio_buffer_frames(&a), 2560);
	assert_int_equal(a.delay_ms, 200);
	assert_int_equal(a.volume_db, -6);
	assert_int_equal(a.emergency_volume_db, 6);
	assert_string_equal(a.label, "lobby");
}

#define CARD_BAD(v) \
	"audio.card: expected an ALSA card index 0..31 or an id of 1..15 letters, digits, '_' " \
	"or '-' (as /proc/asound/cards shows it), not \"" v "\""

/* audio.card: an index when it is digits, else an id; what each becomes. */
static void config_card(void **state)
{
	static const struct {
		const char *value;
		int kind;		/* audio_card_index(): 1 index, 0 id */
		unsigned int index;
	} good[] = {
		{ "0", 1, 0 },
		{ "31", 1, 31 },
		{ "007", 1, 7 },
		{ "Loopback", 0, 0 },
		{ "PCH", 0, 0 },
		{ "U0x46d0x825", 0, 0 },
		{ "My_Card-2", 0, 0 },
		{ "ABCDEFGHIJKLMNO", 0, 0 },	/* 15 bytes: the most */
	};
	struct audio_config a;
	char text[64], err[256];
	unsigned int i, index;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "audio.card = %s\n", good[i].value);
		assert_int_equal(load(text, &a, NULL, err, sizeof(err)), 0);
		assert_string_equal(a.card, good[i].value);
		assert_true(audio_has_card(&a));
		index = 99;
		assert_int_equal(audio_card_index(a.card, &index), good[i].kind);
		if (good[i].kind == 1)
			assert_int_equal(index, good[i].index);
		else
			assert_int_equal(index, 99);
	}
	assert_int_equal(audio_card_index("", &index), -1);
	assert_int_equal(audio_card_index("32", &index), -1);
	assert_int_equal(audio_card_index("a.b", &index), -1);
	assert_int_equal(audio_card_index("ABCDEFGHIJKLMNOP", &index), -1);
}

static void config_rejects(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "audio.card = 32\n", CARD_BAD("32") },
		{ "audio.card = 4294967296\n", CARD_BAD("4294967296") },
		{ "audio.card = Loop back\n", CARD_BAD("Loop back") },
		{ "audio.card = hw:0\n", CARD_BAD("hw:0") },
		{ "audio.card = Loopback,1\n", CARD_BAD("Loopback,1") },
		{ "audio.card = Lautsprecher\xc3\xa4\n", CARD_BAD("Lautsprecher\xc3\xa4") },
		/* HERALD_SINK_CARD_ID_MAX with the NUL: 15 bytes at most. */
		{ "audio.card = ABCDEFGHIJKLMNOP\n",
		  "test.conf:1: audio.card: value too long (at most 15 bytes)" },
		{ "audio.card =\n", "test.conf:1: audio.card: missing value" },
		{ "audio.rate = 44100\n", "audio.rate: 44100 is not one of 8000, 16000, 48000" },
		{ "audio.delay_ms = 10\n", "test.conf:1: audio.delay_ms: 10 is out of range [20, 500]" },
		{ "audio.volume_db = 25\n", "test.conf:1: audio.volume_db: 25 is out of range [-96, 24]" },
		{ "audio.emergency_volume_db = -97\n",
		  "test.conf:1: audio.emergency_volume_db: -97 is out of range [-96, 24]" },
		{ "audio.periods = 1\n", "test.conf:1: audio.periods: 1 is out of range [2, 16]" },
		{ "audio.period_ms = 0\n", "test.conf:1: audio.period_ms: 0 is out of range [1, 100]" },
	};
	struct audio_config a;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load(bad[i].text, &a, NULL, err, sizeof(err)), -1);
		assert_string_equal(err, bad[i].msg);
	}
}

/* G.722 at 8 kHz cannot be played: refused with media.codecs, not before. */
static void config_g722_needs_16k(void **state)
{
	struct call_config call;
	struct audio_config a;
	char err[256];

	call_config_defaults(&call);
	assert_int_equal(load("audio.rate = 8000\n", &a, &call, err, sizeof(err)), 0);
	assert_int_equal(load("audio.card = 0\naudio.rate = 8000\n", &a, &call, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "audio.rate 8000 cannot play G.722"));
	snprintf(call.codecs, sizeof(call.codecs), "PCMU,PCMA");
	assert_int_equal(load("audio.card = 0\naudio.rate = 8000\n", &a, &call, err, sizeof(err)),
			 0);
	snprintf(call.codecs, sizeof(call.codecs), "PCMA,g722");
	assert_int_equal(load("audio.card = 0\naudio.rate = 8000\n", &a, &call, err, sizeof(err)),
			 -1);
}

/* ---- the sink ------------------------------------------------------------- */

static struct {
	int fail_new;			/* what new_sink returns; 0: success */
	bool gone;			/* get_sink answers -ENOENT */
	unsigned int nnew, ndel, nget;
	uint32_t next_id, del_id;
	struct kernel_sink_req last;
} kf;

static int k_new_sink(void *ctx, const struct kernel_sink_req *req, uint32_t *id, char *why,
		      size_t whylen)
{
	kf.nnew++;
	if (kf.fail_new) {
		snprintf(why, whylen, "%s", kf.fail_new == -ENOENT ? "herald module not loaded" :
			 "no such card");
		return kf.fail_new;
	}
	kf.last = *req;
	kf.gone = false;
	*id = ++kf.next_id;
	return 0;
}

static int k_del_sink(void *ctx, uint32_t id, char *why, size_t whylen)
{
	kf.ndel++;
	kf.del_id = id;
	return 0;
}

static int k_get_sink(void *ctx, uint32_t id, char *why, size_t whylen)
{
	kf.nget++;
	if (kf.gone) {
		snprintf(why, whylen, "no sink with this id");
		return -ENOENT;
	}
	return 0;
}

static const struct kernel_ops kops = {
	.new_sink = k_new_sink, .del_sink = k_del_sink, .get_sink = k_get_sink,
};

static struct audio_config cfg;

static int setup(void **state)
{
	memset(&kf, 0, sizeof(kf));
	fake_now_ms = 1000;
	audio_config_defaults(&cfg);
	snprintf(cfg.card, sizeof(cfg.card), "3");
	cfg.device = 1;
	cfg.rate = 48000;
	cfg.period_ms = 20;
	cfg.periods = 8;
	cfg.delay_ms = 200;
	cfg.volume_db = -3;
	cfg.emergency_volume_db = 9;
	snprintf(cfg.label, sizeof(cfg.label), "speaker");
	return 0;
}

static void no_card_no_sink(void **state)
{
	struct audio *a;

	cfg.card[0] = '\0';
	a = audio_new(NULL, &cfg, &kops, NULL);
	assert_non_null(a);
	assert_int_equal(audio_sink_id(a), 0);
	fake_advance(10 * AUDIO_WATCH_MS);
	audio_free(a);
	assert_int_equal(kf.nnew + kf.ndel + kf.nget, 0);
	assert_int_equal(audio_sink_id(NULL), 0);
}

static void sink_made_and_deleted(void **state)
{
	struct audio *a = audio_new(NULL, &cfg, &kops, NULL);

	assert_non_null(a);
	assert_int_equal(kf.nnew, 1);
	assert_int_equal(audio_sink_id(a), 1);
	assert_string_equal(kf.last.label, "speaker");
	assert_int_equal(kf.last.card, 3);
	assert_string_equal(kf.last.card_id, "");
	assert_int_equal(kf.last.device, 1);
	assert_int_equal(kf.last.rate, 48000);
	assert_int_equal(kf.last.period_frames, 960);
	assert_int_equal(kf.last.buffer_frames, 7680);
	assert_int_equal(kf.last.volume_db, -3);
	assert_int_equal(kf.last.emergency_volume_db, 9);
	assert_int_equal(kf.last.delay_ms, 200);
	/* Checked on every tick, not made again while it is there. */
	fake_advance(3 * AUDIO_WATCH_MS);
	assert_int_equal(kf.nget, 3);
	assert_int_equal(kf.nnew, 1);
	audio_free(a);
	assert_int_equal(kf.ndel, 1);
	assert_int_equal(kf.del_id, 1);
}

/* A card named by its id: sent as the id, no index (herald.ko takes one of them). */
static void sink_by_card_id(void **state)
{
	struct audio *a;

	snprintf(cfg.card, sizeof(cfg.card), "Loopback");
	a = audio_new(NULL, &cfg, &kops, NULL);
	assert_non_null(a);
	assert_int_equal(kf.nnew, 1);
	assert_int_equal(audio_sink_id(a), 1);
	assert_string_equal(kf.last.card_id, "Loopback");
	assert_int_equal(kf.last.card, 0);
	assert_int_equal(kf.last.device, 1);
	audio_free(a);
	assert_int_equal(kf.ndel, 1);
}

/* heraldd started before the module: the sink comes when the module does. */
static void module_later(void **state)
{
	struct audio *a;

	kf.fail_new = -ENOENT;
	a = audio_new(NULL, &cfg, &kops, NULL);
	assert_non_null(a);
	assert_int_equal(audio_sink_id(a), 0);
	fake_advance(AUDIO_WATCH_MS - 1);
	assert_int_equal(kf.nnew, 1);
	fake_advance(1);
	assert_int_equal(kf.nnew, 2);
	assert_int_equal(audio_sink_id(a), 0);
	kf.fail_new = 0;
	fake_advance(AUDIO_WATCH_MS);
	assert_int_equal(kf.nnew, 3);
	assert_int_equal(audio_sink_id(a), 1);
	assert_int_equal(kf.nget, 0);
	audio_free(a);
	assert_int_equal(kf.ndel, 1);
}

/* Module reloaded (or the sink deleted by hand): a new sink, a new id. */
static void sink_gone_made_again(void **state)
{
	struct audio *a = audio_new(NULL, &cfg, &kops, NULL);

	assert_int_equal(audio_sink_id(a), 1);
	kf.gone = true;
	fake_advance(AUDIO_WATCH_MS);
	assert_int_equal(kf.nget, 1);
	assert_int_equal(kf.nnew, 2);
	assert_int_equal(audio_sink_id(a), 2);
	/* Gone while the module is away: none until it is back. */
	kf.gone = true;
	kf.fail_new = -ENOENT;
	fake_advance(AUDIO_WATCH_MS);
	assert_int_equal(audio_sink_id(a), 0);
	fake_advance(AUDIO_WATCH_MS);
	assert_int_equal(audio_sink_id(a), 0);
	kf.fail_new = 0;
	fake_advance(AUDIO_WATCH_MS);
	assert_int_equal(audio_sink_id(a), 3);
	audio_free(a);
	assert_int_equal(kf.del_id, 3);
}

/* A card the module cannot use (bad index): retried, never a stale id, nothing to delete. */
static void sink_refused(void **state)
{
	struct audio *a;

	kf.fail_new = -EINVAL;
	a = audio_new(NULL, &cfg, &kops, NULL);
	assert_non_null(a);
	fake_advance(2 * AUDIO_WATCH_MS);
	assert_int_equal(kf.nnew, 3);
	assert_int_equal(audio_sink_id(a), 0);
	audio_free(a);
	assert_int_equal(kf.ndel, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_defaults),
		cmocka_unit_test(config_keys),
		cmocka_unit_test(config_card),
		cmocka_unit_test(config_rejects),
		cmocka_unit_test(config_g722_needs_16k),
		cmocka_unit_test_setup(no_card_no_sink, setup),
		cmocka_unit_test_setup(sink_made_and_deleted, setup),
		cmocka_unit_test_setup(sink_by_card_id, setup),
		cmocka_unit_test_setup(module_later, setup),
		cmocka_unit_test_setup(sink_gone_made_again, setup),
		cmocka_unit_test_setup(sink_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
