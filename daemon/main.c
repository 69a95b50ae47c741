// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd: the herald daemon. It reads its layered configuration
 * (settings.c), fetches provisioned layers (provision.c), makes the
 * multicast paging zones (zones.c), registers the configured SIP accounts
 * (sip/register.c), takes page calls on the same flow (sip/ua.c: the call
 * layer, sip/call.c; a NOTIFY check-sync from the registrar starts a
 * provisioning round), keeps the local playback sink in herald.ko
 * (audio.c) that calls and received zones play on, serves the control
 * socket (control.c), runs the event loop, reloads on SIGHUP (or a reload
 * on the control socket) and on SIGTERM/SIGINT ends every call (BYE), then
 * unregisters, waiting briefly for the registrar's answers, before it
 * exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio.h"
#include "call_feeds.h"
#include "config.h"
#include "control.h"
#include "heraldd.h"
#include "kernel.h"
#include "log.h"
#include "loop.h"
#include "policy.h"
#include "provision.h"
#include "settings.h"
#include "sip/register.h"
#include "sip/ua.h"
#include "status.h"
#include "zones.h"

/* How long SIGTERM waits for the registrar to confirm unregistrations. */
#define UNREGISTER_WAIT_MS 2000

struct heraldd {
	const char *config_path;	/* absolute: the daemon runs in / */
	const char *status_path;	/* absolute too; NULL: none */
	const char *control_path;	/* the control socket */
	bool control_given;		/* --control-socket: failing to open it is fatal */
	struct control *control;
	struct settings set;		/* set.cfg: the running configuration */
	bool foreground;
	struct loop *loop;
	struct provision *prov;
	struct sip_registrar *sip;
	struct sip_config sip_started;	/* what the registrar runs with */
	struct sip_ua *ua;		/* calls, on the registrar's transport */
	struct call_config call_started;	/* what the call layer runs with */
	struct kernel *kernel;		/* herald.ko: the policy, the sink, the calls' streams */
	struct audio *audio;		/* the playback sink */
	struct audio_config audio_started;	/* what it was made with */
	bool unregistered;		/* every unregistration answered */
	bool running;			/* start() is done: the loop serves */
	struct zones *zones;		/* the multicast paging zones */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: heraldd [OPTIONS]\n"
		"\n"
		"  -c, --config FILE   configuration file (default %s)\n"
		"  -f, --foreground    stay in the foreground and log to stderr\n"
		"      --check-config  check the configuration file and exit\n"
		"      --status-file FILE  keep the status (JSON) in FILE\n"
		"      --control-socket PATH  the control socket (default %s)\n"
		"  -h, --help          show this text\n"
		"  -V, --version       show the version\n",
		HERALDD_CONFIG_PATH, CONTROL_SOCKET_PATH);
}

static void apply_log_config(const struct heraldd *d)
{
	/* In the background syslog is the only place messages can go. */
	log_open("heraldd", d->foreground, !d->foreground || d->set.cfg.log_syslog);
	log_set_level(d->set.cfg.log_level);
}

/*
 * policy.require_encryption to the status and to herald.ko, which then
 * refuses plain streams and outputs itself. A module not loaded yet gets
 * it when it is found (kernel.c). Refused (-EPERM: a plain object exists
 * there) the module's policy stays off: logged, and the status lists
 * the plain legs anyway.
 */
static void apply_policy(struct heraldd *d)
{
	bool on = d->set.cfg.policy.require_encryption;
	char why[256];
	int ret;

	enc_set_required(on);
	ret = kernel_set_policy(d->kernel, on, why, sizeof(why));
	if (ret == -ENOENT)
		log_info("herald.ko not loaded: require-encryption %s is handed to it once it is",
			 on ? "on" : "off");
	else if (ret)
		log_warn("herald.ko: require-encryption %s not set: %s", on ? "on" : "off", why);
}

static void zones_sink_changed(void *arg, uint32_t sink)
{
	zones_set_sink(arg, sink);
}

/* The zones of the running configuration: only those that changed are made anew. */
static void apply_zones(struct heraldd *d)
{
	struct zones_plan plan;
	char err[512];

	if (!d->zones)
		return;
	/* Checked already with the whole configuration; this resolves it. */
	if (zones_config_check(&d->set.cfg.zones, d->set.cfg.policy.require_encryption, &plan,
			       err, sizeof(err)))
		log_error("zones not applied: %s", err);
	else
		zones_apply(d->zones, &plan);
	zones_plan_wipe(&plan);
}

static unsigned int account_outputs(void *arg, int acct, uint32_t *out, unsigned int max)
{
	struct heraldd *d = arg;

	return d->zones ? zones_account_outputs(d->zones, acct, out, max) : 0;
}

/* A zone's output was made, made anew or removed: running calls follow. */
static void zone_outputs_changed(void *arg)
{
	call_feeds_refresh();
}

static int start_sip(struct heraldd *d);

/* The running configuration changed: hand it to whatever uses it. */
static void apply_config(struct heraldd *d)
{
	apply_log_config(d);
	apply_policy(d);
	apply_zones(d);
	/*
	 * A SIP stack that runs keeps its own copy: rebuilding it live is not
	 * done yet. One that does not run yet is started (start() does it for
	 * the configuration heraldd starts with).
	 */
	if (d->sip && memcmp(&d->set.cfg.sip, &d->sip_started, sizeof(d->sip_started)))
		log_warn("sip.* settings changed: they take effect when heraldd restarts");
	else if (!d->sip && d->running && d->set.cfg.sip.proxy[0]) {
		log_info("sip.proxy is set now: starting SIP");
		if (start_sip(d))
			log_error("SIP not started; it is tried again with the next configuration");
	}
	if (d->ua && memcmp(&d->set.cfg.call, &d->call_started, sizeof(d->call_started)))
		log_warn("call.* and media.* settings changed: they take effect when heraldd restarts");
	if (d->audio && memcmp(&d->set.cfg.audio, &d->audio_started, sizeof(d->audio_started)))
		log_warn("audio.* settings changed: they take effect when heraldd restarts");
	if (d->prov)
		provision_configure(d->prov, &d->set.cfg.prov, &d->set.local);
}

static void provisioned(const struct layer *const remote[LAYER_COUNT], bool from_cache, void *arg)
{
	struct heraldd *d = arg;
	char err[512];

	if (settings_set_remote(&d->set, remote, err, sizeof(err))) {
		log_error("provisioned configuration not applied, the running one stays: %s", err);
		return;
	}
	apply_config(d);
}

/*
 * Reread the local file: what SIGHUP and the control socket's "reload" do.
 * 0 applied, or -1 with the reason in @why and the running configuration
 * untouched.
 */
static int reload_config(void *arg, char *why, size_t whylen)
{
	struct heraldd *d = arg;

	if (settings_load_local(&d->set, why, whylen)) {
		log_error("reload rejected, the running configuration stays: %s", why);
		return -1;
	}
	apply_config(d);
	log_info("configuration reloaded from %s", d->config_path);
	return 0;
}

static void reload(void *arg)
{
	char why[512];

	reload_config(arg, why, sizeof(why));
}

/* The control socket's "provision-now". */
static int provision_now(void *arg, char *why, size_t whylen)
{
	struct heraldd *d = arg;
	int r;

	if (!d->set.cfg.prov.url[0]) {
		snprintf(why, whylen, "provisioning is off (provision.url is empty)");
		return -1;
	}
	r = provision_fetch_now(d->prov);
	if (r < 0)
		snprintf(why, whylen, "provisioning failed before any transfer; "
			 "the reason is in the provisioning status");
	return r;
}

/*
 * The control socket. Without --control-socket a failure (another heraldd
 * serves the default path, /run not writable) is logged and heraldd runs
 * on without it; a path given on purpose must work. 0 or -1.
 */
static int start_control(struct heraldd *d)
{
	const struct control_ops ops = {
		.reload = reload_config,
		.provision_now = provision_now,
		.arg = d,
	};

	d->control = control_open(d->loop, d->control_path, &ops);
	if (d->control || !d->control_given)
		return 0;
	return -1;
}

/*
 * The classic double fork, with one addition: the process that was started
 * waits until the daemon reports it is ready (or dies), so whoever started
 * it gets an exit status that means something. Returns the write end of
 * that readiness pipe in the daemon; never returns in the parent.
 */
static int daemonize(void)
{
	int pipefd[2], status, null;
	char ok;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		log_error("pipe: %s", strerror(errno));
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		log_error("fork: %s", strerror(errno));
		exit(1);
	}
	if (pid > 0) {
		close(pipefd[1]);
		waitpid(pid, &status, 0);
		if (read(pipefd[0], &ok, 1) == 1)
			exit(0);
		fprintf(stderr, "heraldd: failed to start; see the system log\n");
		exit(1);
	}
	close(pipefd[0]);
	if (setsid() < 0)
		_exit(1);
	/* The session leader exits, so the daemon can never regain a terminal. */
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	umask(022);
	if (chdir("/") < 0)
		_exit(1);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		_exit(1);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
	/* Whatever else the starter left open is not ours to keep alive. */
	if (pipefd[1] > 3)
		close_range(3, pipefd[1] - 1, 0);
	close_range(pipefd[1] + 1, ~0U, 0);
	return pipefd[1];
}

static void unregistered(void *arg)
{
	struct heraldd *d = arg;

	d->unregistered = true;
	loop_stop(d->loop);
}

static void unregister_timeout(struct loop_timer *timer, void *arg)
{
	log_warn("sip: no answer to every unregistration within %d ms, exiting anyway",
		 UNREGISTER_WAIT_MS);
	loop_stop(arg);
}

/*
 * SIGTERM: end the calls first (their BYEs are queued on the flow before
 * any REGISTER, so the proxy still routes them to the callers), then send
 * REGISTER with Expires: 0 for every bound account and run the loop again
 * until they are answered or UNREGISTER_WAIT_MS passed: a PBX should not
 * keep paging an endpoint that is gone. The answers to the BYEs are not
 * waited for: a caller that misses one times its BYE out.
 */
static void sip_shutdown(struct heraldd *d)
{
	struct loop_timer *timer;

	sip_ua_free(d->ua);
	d->ua = NULL;
	if (!d->sip)
		return;
	timer = loop_timer_new(d->loop, unregister_timeout, d->loop);
	if (timer && loop_timer_set(timer, UNREGISTER_WAIT_MS, 0) == 0) {
		sip_registrar_shutdown(d->sip, unregistered, d);
		/* With nothing to wait for, unregistered() ran already (loop_run() would reset its stop). */
		if (!d->unregistered)
			loop_run(d->loop);
	}
	if (timer)
		loop_timer_free(timer);
	sip_registrar_free(d->sip);
	d->sip = NULL;
}

/* An authenticated NOTIFY check-sync (sip/checksync.h): a provisioning round, rate-limited. */
static void check_sync(void *arg)
{
	struct heraldd *d = arg;

	switch (provision_trigger(d->prov)) {
	case PROVISION_TRIGGER_OFF:
		log_info("check-sync: provisioning is off (no provision.url), nothing to fetch");
		break;
	case PROVISION_TRIGGER_STARTED:
		log_info("check-sync: provisioning round started");
		break;
	case PROVISION_TRIGGER_QUEUED:
		log_info("check-sync: provisioning round queued (one is running or ran less than "
			 "%d s ago)", PROVISION_TRIGGER_GAP_MS / 1000);
		break;
	}
}

/* The call layer on the registrar's transport, before it connects. 0 or -1 (logged). */
static int start_calls(struct heraldd *d)
{
	struct call_policy pol;
	char err[512];

	/* Checked already with the whole configuration; this resolves the lists. */
	if (call_config_check(&d->set.cfg.call, &pol, err, sizeof(err))) {
		log_error("%s", err);
		return -1;
	}
	d->ua = sip_ua_new(d->loop, d->sip, d->kernel, &d->set.cfg.call, &pol, d->audio);
	if (!d->ua)
		return -1;
	sip_ua_set_checksync(d->ua, check_sync, d);
	sip_ua_set_account_outputs(d->ua, account_outputs, d);
	d->call_started = d->set.cfg.call;
	return 0;
}

/*
 * The registrar and the call layer on its transport, once sip.proxy is set:
 * at start, or when a configuration applied later (the first provisioned
 * one, on a device that starts with no cache) sets it. 0, or -1 (logged;
 * nothing of it is left running).
 */
static int start_sip(struct heraldd *d)
{
	if (d->sip || !d->set.cfg.sip.proxy[0])
		return 0;
	d->sip = sip_registrar_new(d->loop, &d->set.cfg.sip);
	if (!d->sip)
		return -1;
	d->sip_started = d->set.cfg.sip;
	if (start_calls(d)) {
		sip_registrar_free(d->sip);
		d->sip = NULL;
		return -1;
	}
	sip_registrar_start(d->sip);
	return 0;
}

/*
 * Everything the loop serves, in order: herald.ko's socket and the policy,
 * the control socket, provisioning, the playback sink, then the registrar
 * and the call layer (whose calls play on the sink) on its transport. 0, or -1 (logged); stop() undoes a partial start.
 */
static int start(struct heraldd *d)
{
	d->kernel = kernel_open();
	if (!d->kernel) {
		log_error("no netlink socket for herald.ko: %s", strerror(errno));
		return -1;
	}
	apply_policy(d);
	if (start_control(d))
		return -1;
	d->prov = provision_new(d->loop, &heraldd_schema, provisioned, d);
	if (!d->prov || provision_configure(d->prov, &d->set.cfg.prov, &d->set.local) ||
	    provision_start(d->prov)) {
		log_error("cannot set up provisioning: %s", strerror(errno));
		return -1;
	}
	d->audio = audio_new(d->loop, &d->set.cfg.audio, &kernel_netlink_ops, d->kernel);
	if (!d->audio)
		return -1;
	d->audio_started = d->set.cfg.audio;
	/* Zones before SIP, so the first call finds its zones' outputs. */
	d->zones = zones_new(&(struct zones_env){
		.loop = d->loop,
		.streams = &kernel_netlink_ops,
		.outputs = &kernel_netlink_output_ops,
		.kctx = d->kernel,
		.outputs_changed = zone_outputs_changed,
	});
	if (!d->zones)
		return -1;
	/* Running calls feed their account's zones as they are now, not as they were. */
	call_feeds_set_source(account_outputs, d);
	/* Received zones play on the sink, whenever there is one. */
	audio_on_sink(d->audio, zones_sink_changed, d->zones);
	apply_zones(d);
	return start_sip(d);
}

/* The reverse of start(), from wherever it got to; then the loop itself. */
static void stop(struct heraldd *d)
{
	/* No request is answered while shutting down. */
	control_close(d->control);
	d->control = NULL;
	sip_shutdown(d);
	/* After the calls, which feed the zones' outputs. */
	zones_free(d->zones);
	d->zones = NULL;
	/* After the calls' and zones' streams are gone: nothing plays on it any more. */
	audio_free(d->audio);
	d->audio = NULL;
	provision_free(d->prov);
	d->prov = NULL;
	kernel_close(d->kernel);
	d->kernel = NULL;
	loop_free(d->loop);
	d->loop = NULL;
	call_feeds_reset();
	enc_reset();
	status_close();
	settings_free(&d->set);
	explicit_bzero(&d->sip_started, sizeof(d->sip_started));
}

static char *absolute_path(const char *path)
{
	char *cwd, *abs;

	if (path[0] == '/')
		return strdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	if (asprintf(&abs, "%s/%s", cwd, path) < 0)
		abs = NULL;
	free(cwd);
	return abs;
}

int main(int argc, char **argv)
{
	enum { OPT_CHECK = 256, OPT_STATUS, OPT_CONTROL };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "status-file", required_argument, NULL, OPT_STATUS },
		{ "control-socket", required_argument, NULL, OPT_CONTROL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct heraldd d = { .config_path = HERALDD_CONFIG_PATH, .control_path = CONTROL_SOCKET_PATH };
	char err[512], *abs_path, *abs_status = NULL, *abs_control = NULL;
	bool check = false;
	int c, ready = -1, sig;

	while ((c = getopt_long(argc, argv, "c:fhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'f':
			d.foreground = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_STATUS:
			d.status_path = optarg;
			break;
		case OPT_CONTROL:
			d.control_path = optarg;
			d.control_given = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("heraldd %s\n", HERALDD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "heraldd: unexpected argument \"%s\"\n", argv[optind]);
		return 1;
	}

	/* The local file is the top layer; provisioned layers come later. */
	settings_init(&d.set, d.config_path);
	if (settings_load_local(&d.set, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		settings_free(&d.set);
		return 1;
	}
	if (check) {
		printf("%s: OK\n", d.config_path);
		settings_free(&d.set);
		return 0;
	}
	/* SIGHUP rereads the file after chdir("/"): keep an absolute name, but
	 * do not resolve symlinks, so a link switched to a new file is followed.
	 */
	abs_path = absolute_path(d.config_path);
	if (!abs_path) {
		fprintf(stderr, "heraldd: %s: %s\n", d.config_path, strerror(errno));
		return 1;
	}
	d.config_path = abs_path;
	d.set.local_path = abs_path;
	if (d.status_path) {
		abs_status = absolute_path(d.status_path);
		if (!abs_status || status_open(abs_status)) {
			fprintf(stderr, "heraldd: cannot write the status file %s\n", d.status_path);
			return 1;
		}
	}
	/* The socket is removed at exit, after chdir("/"). */
	abs_control = absolute_path(d.control_path);
	if (!abs_control) {
		fprintf(stderr, "heraldd: %s: %s\n", d.control_path, strerror(errno));
		return 1;
	}
	d.control_path = abs_control;

	/* A reader gone away must not kill the daemon; write() says EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* Log channels are opened after daemonize() closed inherited fds. */
	if (!d.foreground)
		ready = daemonize();
	apply_log_config(&d);

	d.loop = loop_new();
	if (!d.loop) {
		log_error("cannot set up the event loop: %s", strerror(errno));
		free(abs_path);
		return 1;
	}
	loop_set_reload(d.loop, reload, &d);
	if (start(&d)) {
		stop(&d);
		free(abs_path);
		free(abs_status);
		free(abs_control);
		return 1;
	}

	d.running = true;
	log_info("heraldd %s started (configuration %s)", HERALDD_VERSION, d.config_path);
	if (ready >= 0) {
		if (write(ready, "1", 1) != 1)
			log_warn("cannot tell the starting process we are ready: %s", strerror(errno));
		close(ready);
	}

	sig = loop_run(d.loop);
	if (sig < 0)
		log_error("event loop failed: %s", strerror(-sig));
	else if (sig > 0)
		log_info("exiting on %s", strsignal(sig));
	else
		log_info("exiting");

	stop(&d);
	log_close();
	free(abs_path);
	free(abs_status);
	free(abs_control);
	return sig < 0 ? 1 : 0;
}
