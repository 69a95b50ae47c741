#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's control socket and the heraldctl commands that use
# it. heraldd runs in the foreground with --status-file and --control-socket
# in a temporary directory, registered over TLS to Kamailio (registrar, no
# auth: registration itself is t-sip-register.sh's subject) and provisioned
# from nginx over HTTPS with provision.interval = 0, so only a fetch asked
# for ("provision now") moves the fetch counter after the first round.
#
# Covered: socket and directory modes; status, accounts (-j and human),
# calls/zones/exceptions (the area's content, or the error saying it is not
# published); reload of a good file (applied) and of a bad one (rejected,
# reason in the reply, the old configuration running); provision now (the
# fetch counter goes up, nginx sees the request) and provision now with
# provisioning off; a peer that is neither root nor in group herald refused
# by the mode, then by its credentials; malformed, oversized, slow,
# pipelined and silent clients and one that never reads, while heraldctl
# goes on being served; a second heraldd on the same socket refused; the
# socket removed at exit; a stale socket file replaced.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
HERALDCTL_BIN=${HERALDCTL:-$ROOT/build/heraldctl}
NGINX=${NGINX:-/usr/sbin/nginx}
W=$(mktemp -d /tmp/t-control.XXXXXX)
# Ports from the pid, so parallel runs on one host do not collide.
BASE=$((20000 + ($$ % 4000) * 10))
P_TLS=$((BASE + 1)) P_HTTPS=$((BASE + 4))
PIDS=()
KAM_PID=
. "$ROOT/tests/host/lib.sh"
. "$ROOT/tests/host/sip-lib.sh"

all_pids() { echo "${PIDS[@]}" $KAM_PID; }
cleanup()
{
	kill_pids all_pids
	rm -rf "$W"
}
trap cleanup EXIT

PY=$(py_path)
need_tools kamailio kamcmd openssl setpriv "$PY"
need_heraldd
[ -x "$NGINX" ] || { not_ok "prerequisites" "$NGINX missing (make deps)"; exit 1; }
[ -x "$HERALDCTL_BIN" ] || { not_ok "prerequisites" "$HERALDCTL_BIN not built (make userspace)"; exit 1; }
kam_moddir

# A copy nobody can run (the worktree may not be open to others).
cp "$HERALDCTL_BIN" "$W/heraldctl"
chmod 755 "$W/heraldctl"
SOCK=$W/run/control.sock
ctl() { "$W/heraldctl" -S "$SOCK" "$@"; }

# ---- certificates: one CA, one server certificate for Kamailio and nginx ----
mk_ca ca "/CN=herald test CA" &&
mk_cert server ca "IP:127.0.0.1" &&
mk_cert device ca "DNS:device" ||
	{ not_ok "test certificates"; exit 1; }
chmod 600 "$W"/*.key

# ---- Kamailio: TLS registrar without authentication ---------------------------
cat > "$W/tls.cfg" <<EOF
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $W/server.key
certificate = $W/server.crt
EOF
cat > "$W/kamailio.cfg" <<EOF
#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=1
tcp_children=1
auto_aliases=no
enable_tls=yes
listen=tls:127.0.0.1:$P_TLS
mpath="$MODDIR/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "tls.so"
loadmodule "ctl.so"
modparam("tls", "config", "$W/tls.cfg")
modparam("ctl", "binrpc", "unix:$W/ctl.sock")
modparam("usrloc", "db_mode", 0)

request_route {
	if (is_method("REGISTER")) {
		if (!save("location"))
			sl_reply_error();
		exit;
	}
	sl_send_reply("404", "Not Here");
}
EOF
kam_run "$W" "$W/kam.pid" || { not_ok "kamailio starts" "$(tail -5 "$W/kamailio.log")"; exit 1; }
KAM_PID=$(cat "$W/kam.pid")

# ---- nginx: the provisioning server ------------------------------------------------
N=$W/nginx
mkdir -p "$N/tmp" "$W/www/prov"
printf '# account\nlog.syslog = off\n' > "$W/www/prov/herald.conf"
cat > "$N/nginx.conf" <<EOF
daemon off;
master_process off;
pid $N/nginx.pid;
error_log $N/error.log info;
events { worker_connections 64; }
http {
	access_log $N/access.log combined;
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	default_type text/plain;
	server {
		listen 127.0.0.1:$P_HTTPS ssl;
		ssl_certificate $W/server.crt;
		ssl_certificate_key $W/server.key;
		ssl_protocols TLSv1.2 TLSv1.3;
		root $W/www;
	}
}
EOF
"$NGINX" -e "$N/error.log" -p "$N" -c "$N/nginx.conf" &
PIDS+=($!)
port_open() { "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $P_HTTPS), 1)" 2>/dev/null; }
eventually 30 port_open || { not_ok "nginx starts" "$(tail -5 "$N/error.log")"; exit 1; }

# ---- heraldd ------------------------------------------------------------------------
BASE_CONF=("log.level = debug"
	   "sip.proxy = 127.0.0.1:$P_TLS" "sip.transport = tls" "sip.tls.ca = $W/ca.crt"
	   "sip.register_expires = 60" "sip.u1.user = 1000" "sip.u1.password = s3cret-1000")
PROV_CONF=("provision.url = https://127.0.0.1:$P_HTTPS/prov/" "provision.ca = $W/ca.crt"
	   "provision.cert = $W/device.crt" "provision.key = $W/device.key"
	   "provision.cache_dir = $W/cache" "provision.mac_interface = lo" "provision.interval = 0")
# write_conf LINES...: the local file; it holds a password, so mode 0600.
write_conf()
{
	(umask 077; printf '%s\n' "$@" > "$W/h.conf.new" && mv "$W/h.conf.new" "$W/h.conf")
}

write_conf "${BASE_CONF[@]}" "${PROV_CONF[@]}"
"$HERALDD" -f -c "$W/h.conf" --status-file "$W/st.json" --control-socket "$SOCK" \
	> "$W/heraldd.log" 2>&1 &
HPID=$!
PIDS+=($HPID)

# st EXPR: a Python expression over the JSON on stdin, bound to d.
st()
{
	"$PY" -c '
import json, sys
d = json.load(sys.stdin)
v = eval(sys.argv[1], {"d": d, "json": json})
print(v if not isinstance(v, bool) else ("True" if v else "False"))' "$1" 2>/dev/null
}
# jq_ctl EXPR CMD...: EXPR over heraldctl -j CMD's reply.
jq_ctl() { local e=$1; shift; ctl -j "$@" | st "$e"; }
is_true() { [ "$("$@")" = True ]; }

check "socket created (directory made mode 0750)" \
	eventually 30 test -S "$SOCK"
check "directory mode 0750" test "$(stat -c %a "$W/run")" = 750
if getent group herald >/dev/null; then
	check "socket mode 0660, group herald" test "$(stat -c '%a %G' "$SOCK")" = "660 herald"
else
	check "socket mode 0600 (no group herald on this host)" test "$(stat -c %a "$SOCK")" = 600
fi

check "accounts -j: u1 Successful over TLS" \
	eventually 30 is_true jq_ctl "d['ok'] and d['accounts']['accounts'][0]['status'] == 'Successful' and d['accounts']['transport'] == 'tls'" accounts
out=$(ctl accounts)
check "accounts, human: aligned name/value lines" \
	eval 'echo "$out" | grep -qx "transport:  tls" &&
		echo "$out" | grep -qx "accounts\[0\]:" &&
		echo "$out" | grep -qx "  status:        Successful" &&
		echo "$out" | grep -qx "  account:       u1"'
[ $failed -eq 0 ] || echo "$out" | sed 's/^/# /'
check "status -j: every area the status file has, same content" \
	eval '[ "$(ctl -j status | st "sorted(d[\"status\"].keys())")" = "$(st "sorted(d.keys())" < "$W/st.json")" ] &&
		is_true jq_ctl "d[\"status\"][\"registration\"][\"accounts\"][0][\"user\"] == \"1000\"" status'
check "provisioning: first round done at start" \
	eventually 30 is_true jq_ctl "d['status']['provisioning']['status'] == 'Provisioned'" status
out=$(ctl status)
check "status, human: one block per area" \
	eval 'echo "$out" | grep -qx "provisioning:" && echo "$out" | grep -qx "registration:" &&
		echo "$out" | grep -qx "settings:" && echo "$out" | grep -qx "  status:        Provisioned"'
check "password never in a reply or the log" \
	eval '! ctl -j status | grep -q s3cret-1000 && ! grep -q s3cret-1000 "$W/heraldd.log"'

# calls, zones, exceptions: the area as published, or the error saying it is not.
area_cmd()
{
	local cmd=$1 area=$2 member=$3 reply sel

	reply=$(ctl -j "$cmd")
	if [ "$(st "'$area' in d" < "$W/st.json")" = True ]; then
		sel="d['$area']${member:+['$member']}"
		[ "$(echo "$reply" | st "d['ok']")" = True ] &&
			[ "$(echo "$reply" | st "json.dumps(d['$cmd'], sort_keys=True)")" = \
			  "$(st "json.dumps($sel, sort_keys=True)" < "$W/st.json")" ]
	else
		[ "$(echo "$reply" | st "d['ok'] is False and d['error'].startswith('no $area area: ')")" = True ] &&
			! ctl "$cmd" 2>/dev/null
	fi
}
check "calls: the calls area, or an error saying there is none" area_cmd calls calls ""
check "zones: the zones area, or an error saying there is none" area_cmd zones zones ""
check "exceptions: the encryption area's exceptions, or an error saying there is none" \
	area_cmd exceptions encryption exceptions

# ---- reload ---------------------------------------------------------------------------
write_conf "${BASE_CONF[@]/log.level = debug/log.level = info}" "${PROV_CONF[@]}"
out=$(ctl reload)
rc=$?
check "reload of a good file: applied" \
	eval '[ $rc = 0 ] && [ "$out" = "configuration applied" ] &&
		is_true jq_ctl "d[\"status\"][\"settings\"][\"values\"][\"log.level\"][\"value\"] == \"info\"" status'
write_conf "${BASE_CONF[@]/log.level = debug/log.level = warning}" "${PROV_CONF[@]}" "bogus.key = 1"
err=$(ctl reload 2>&1 >/dev/null)
rc=$?
check "reload of a bad file: rejected with file:line and reason, exit 1" \
	eval '[ $rc = 1 ] && [ "$err" = "heraldctl: reload: configuration rejected, the running one stays: $W/h.conf:15: unknown key \"bogus.key\"" ]'
[ $rc = 1 ] || echo "# $err"
check "reload of a bad file, -j: applied false with the reason" \
	eval 'is_true jq_ctl "d[\"ok\"] is False and d[\"reload\"][\"applied\"] is False and d[\"reload\"][\"reason\"].endswith(\"unknown key \\\"bogus.key\\\"\")" reload'
check "bad file: the old configuration runs (log.level info), still registered" \
	eval 'is_true jq_ctl "d[\"status\"][\"settings\"][\"values\"][\"log.level\"][\"value\"] == \"info\" and d[\"status\"][\"registration\"][\"accounts\"][0][\"status\"] == \"Successful\"" status &&
		kill -0 $HPID'

# ---- provision now -----------------------------------------------------------------------
write_conf "${BASE_CONF[@]}" "${PROV_CONF[@]}"
ctl reload >/dev/null
fetches() { ctl -j status | st "d['status']['provisioning']['fetches']"; }
gets() { grep -c '"GET /prov/herald.conf HTTP/1.1"' "$N/access.log"; }
n=$(fetches) g=$(gets)
out=$(ctl provision now)
rc=$?
check "provision now: a round starts" eval '[ $rc = 0 ] && [ "$out" = "provisioning round started" ]'
more_fetches() { [ "$(fetches)" -gt "$n" ] && [ "$(gets)" -gt "$g" ]; }
check "provision now: fetch counter up, nginx served the account file again" eventually 30 more_fetches
check "provision now: Provisioned afterwards" \
	eventually 30 is_true jq_ctl "d['status']['provisioning']['status'] == 'Provisioned'" status

# ---- who may connect --------------------------------------------------------------------
chmod 711 "$W"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$W/heraldctl" -S "$SOCK" "$@"; }
err=$(as_nobody status 2>&1)
rc=$?
check "nobody: the directory and socket modes keep it out" \
	eval '[ $rc = 1 ] && [[ "$err" == *"cannot reach heraldd at $SOCK: Permission denied"* ]]'
# Open both fences of mode on purpose: the credential check must hold alone.
chmod 755 "$W/run"
chmod 666 "$SOCK"
err=$(as_nobody -j status 2>&1)
rc=$?
check "nobody past the modes: refused by its credentials, with an error reply" \
	eval '[ $rc = 1 ] && [ "$(echo "$err" | st "d[\"error\"]")" = "permission denied: uid 65534 is neither root nor in group herald" ] &&
		grep -q "control: refused pid [0-9]* uid 65534 gid 65534" "$W/heraldd.log"'
check "nobody: nothing of the status in its reply" eval '! echo "$err" | grep -q registration'
chmod 600 "$SOCK"
chmod 700 "$W/run" "$W"

# ---- misbehaving clients, while heraldctl is served ----------------------------------------
"$PY" - "$SOCK" "$W/heraldctl" > "$W/clients.out" 2>&1 <<'EOF'
import json, socket, subprocess, sys, time

path, heraldctl = sys.argv[1], sys.argv[2]

def conn():
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(30)
    return s

def lines(s, n):
    """n reply lines, or fewer if the daemon closes first; then whether it closed."""
    buf = b""
    while buf.count(b"\n") < n:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    got = [json.loads(l) for l in buf.split(b"\n")[:n] if l]
    return got

def closed(s):
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True

def say(name, cond):
    print(("ok " if cond else "not ok ") + name)

def heraldctl_ok():
    r = subprocess.run([heraldctl, "-S", path, "-j", "accounts"], capture_output=True, timeout=30)
    return r.returncode == 0 and json.loads(r.stdout)["ok"] is True

silent = conn()
silent.sendall(b'{"cmd":')              # never finishes its line
t_silent = time.monotonic()

deaf = conn()                           # asks and asks, never reads
deaf.setblocking(False)
sent = 0
try:
    for _ in range(20000):
        sent += deaf.send(b'{"cmd":"status"}\n')
except BlockingIOError:
    pass
say("a client that never reads: heraldd stops reading it, heraldctl still served (%d bytes queued)" % sent,
    heraldctl_ok())

big = conn()
big.sendall(b"x" * 5000)
r = lines(big, 1)
say("oversized request: error reply", r and r[0] == {"ok": False, "error": "request too long: over 4096 bytes"})
say("oversized request: connection closed", closed(big))

bad = conn()
bad.sendall(b'not json\n{"cmd":"status","extra":1}\n{"cmd":"reboot"}\n{"cmd":"accounts"}\n')
r = lines(bad, 4)
say("malformed request: error reply naming the offset",
    len(r) == 4 and r[0]["ok"] is False and r[0]["error"].startswith("malformed request: offset 0:"))
say("unknown member and unknown command refused",
    len(r) == 4 and r[1] == {"ok": False, "error": 'unknown member "extra"'} and
    r[2] == {"ok": False, "error": 'unknown command "reboot"'})
say("the same connection goes on being served after errors",
    len(r) == 4 and r[3]["ok"] is True and "accounts" in r[3])

slow = conn()
for b in b'{"cmd": "accounts"}\n':
    slow.sendall(bytes([b]))
    time.sleep(0.01)
r = lines(slow, 1)
say("a request arriving byte by byte is answered", r and r[0]["ok"] is True)
slow.sendall(b'{"cmd":"accounts"}\n{"cmd":"status"}\n')
r = lines(slow, 2)
say("two requests in one write: two replies in order",
    len(r) == 2 and "accounts" in r[0] and "status" in r[1])
slow.close()

r = lines(silent, 1)
waited = time.monotonic() - t_silent
say("no whole line in time: timeout error reply (after %.1f s)" % waited,
    r and r[0] == {"ok": False, "error": "timeout: no whole request line in time"})
say("no whole line in time: connection closed", closed(silent))
deaf.close()
say("after all of them, heraldctl is served", heraldctl_ok())
EOF
while read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) not_ok "${line#not ok }" ;;
	*) echo "# $line" ;;
	esac
done < "$W/clients.out"
grep -q '^ok ' "$W/clients.out" || not_ok "client script ran" "$(tail -3 "$W/clients.out")"
check "heraldd still running after the clients" kill -0 $HPID

# ---- provisioning off ------------------------------------------------------------------------
write_conf "${BASE_CONF[@]}"
ctl reload >/dev/null
err=$(ctl provision now 2>&1)
rc=$?
check "provision now with provisioning off: error, exit 1" \
	eval '[ $rc = 1 ] && [ "$err" = "heraldctl: provision now: provisioning is off (provision.url is empty)" ]'

# ---- one socket, one heraldd; removed at exit ---------------------------------------------------
"$HERALDD" -f -c "$W/h.conf" --control-socket "$SOCK" > "$W/second.log" 2>&1
rc=$?
check "a second heraldd on the same socket: refused, exit 1" \
	eval '[ $rc = 1 ] && grep -q "control: $SOCK: another process serves this socket" "$W/second.log" &&
		is_true jq_ctl "d[\"ok\"]" accounts'
kill -TERM $HPID
wait $HPID
rc=$?
check "SIGTERM: exit 0, socket removed" eval '[ $rc = 0 ] && [ ! -e "$SOCK" ]'

# A socket file left by a heraldd that died (bound, never removed) is replaced.
"$PY" -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$SOCK"
write_conf "log.level = debug"
"$HERALDD" -f -c "$W/h.conf" --control-socket "$SOCK" > "$W/third.log" 2>&1 &
HPID=$!
PIDS+=($HPID)
# Until heraldd has replaced it, connecting is refused: not worth a line.
check "a stale socket file is replaced, and served" \
	eventually 30 is_true jq_ctl "d['ok'] and 'settings' in d['status']" status 2>/dev/null
check "without SIP accounts: accounts says there is no registration area" \
	eval '[ "$(ctl accounts 2>&1)" = "heraldctl: accounts: no registration area: no SIP account is configured (sip.proxy is empty)" ]'
kill -TERM $HPID
wait $HPID

tap_done
