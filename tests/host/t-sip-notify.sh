#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of provisioning on SIP NOTIFY check-sync, with real peers on
# 127.0.0.1 only, ports above 20000: nginx as the provisioning server (HTTPS
# with client certificates from a test CA, as in t-provision.sh), Kamailio
# as registrar and proxy (tests/host/kam-proxy.sh: user 1000, password
# s3cret-1000), heraldd registered over TCP with provisioning on
# (provision.interval = 0: rounds only at start and when triggered), and
# SIPp as the registrar's side sending NOTIFYs to user 1000 through
# Kamailio, which routes them to heraldd's registered contact.
#
# Checked: a NOTIFY without credentials gets 401 with the digest challenges
# (SHA-256 and MD5, qop=auth, realm = the account's domain); with SIPp's
# [authentication] the account's credentials get 200 and a provisioning
# round runs (the status file's fetch counter goes up, nginx logs the GET);
# a wrong password gets 403 and fetches nothing; "Event: foo" gets 489
# with Allow-Events; no Event 400; a second authenticated check-sync right
# after the first is queued (rounds at least 10 s apart) and runs later,
# once; reboot=true is logged as ignored; the password never appears in
# the log. Then heraldd without provision.url: check-sync still gets 200,
# and the log says provisioning is off.
#
# HD_WRAP runs heraldd under a wrapper, e.g. HD_WRAP="valgrind
# --leak-check=full --errors-for-leak-kinds=definite,indirect
# --error-exitcode=9": the exit status checks then fail on a memory error.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
NGINX=${NGINX:-/usr/sbin/nginx}
SCEN=$ROOT/tests/host/sipp
W=$(mktemp -d /tmp/t-sip-notify.XXXXXX)
# Ports from the pid, so parallel runs on one host do not collide.
BASE=$((20000 + ($$ % 4000) * 10))
P_KAM=$((BASE + 1)) P_SIPP=$((BASE + 2)) P_HTTPS=$((BASE + 5)) P_MEDIA=$((BASE + 6))
HD_PID=
NGINX_PID=
. "$ROOT/tests/host/lib.sh"
. "$ROOT/tests/host/sip-lib.sh"

all_pids() { echo $HD_PID $NGINX_PID $(cat "$W/kam.pid" 2>/dev/null); }
cleanup()
{
	kill_pids all_pids
	[ -n "${KEEP:-}" ] && echo "# kept $W" || rm -rf "$W"
}
trap cleanup EXIT

PY=$(py_path)
need_tools kamailio kamcmd sipp openssl "$PY" "$NGINX"
need_heraldd
kam_moddir

# ---- certificates: the provisioning server's and the device's, one test CA ---
mk_ca ca "/CN=herald test CA" &&
mk_cert server ca IP:127.0.0.1 &&
mk_cert device ca DNS:device-000000000000 ||
	{ not_ok "test certificates"; exit 1; }
chmod 600 "$W"/*.key

# ---- nginx: the provisioning server ----------------------------------------
N=$W/nginx
mkdir -p "$N/tmp" "$W/www/prov"
printf '# account file\nlog.level = debug\n' > "$W/www/prov/herald.conf"
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
		ssl_client_certificate $W/ca.crt;
		ssl_verify_client on;
		root $W/www;
	}
}
EOF
"$NGINX" -e "$N/error.log" -p "$N" -c "$N/nginx.conf" &
NGINX_PID=$!
port_open() { "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $P_HTTPS), 1)" 2>/dev/null; }
if ! eventually 10 port_open; then
	not_ok "nginx starts" "$(tail -3 "$N/error.log" 2>/dev/null)"
	exit 1
fi
ok "nginx starts (HTTPS with client certificates on 127.0.0.1:$P_HTTPS)"

# ---- Kamailio ---------------------------------------------------------------
. "$ROOT/tests/host/kam-proxy.sh"
kam_proxy_cfg "$W" "$P_KAM" "$MODDIR"
# SIPp 3.6 answers only the first challenge of a 401 and only with MD5: it
# gives up on heraldd's first one, SHA-256, instead of going on to the
# next, which it supports (heraldd's own client side, digest.c, takes the
# strongest challenge it supports). So
# the proxy logs both challenges heraldd sent and passes the MD5 one alone
# on to SIPp. SHA-256 itself is checked by tests/unit/test_sip_checksync.c.
"$PY" - "$W/kamailio.cfg" <<'PYEOF'
import sys
cfg = open(sys.argv[1]).read()
cfg = cfg.replace("onreply_route {\n", """onreply_route {
	if ($rs == 401 && $rm == "NOTIFY") {
		xlog("L_NOTICE", "herald-challenges [$(hdr(WWW-Authenticate)[0])] [$(hdr(WWW-Authenticate)[1])]\\n");
		$var(md5) = $(hdr(WWW-Authenticate)[1]);
		remove_hf("WWW-Authenticate");
		append_hf("WWW-Authenticate: $var(md5)\\r\\n");
	}
""", 1)
open(sys.argv[1], "w").write(cfg)
PYEOF
if ! kam_run "$W" "$W/kam.pid"; then
	not_ok "kamailio starts" "$(tail -5 "$W/kamailio.log")"
	exit 1
fi
ok "kamailio starts (TCP and UDP on 127.0.0.1:$P_KAM)"

# ---- helpers ------------------------------------------------------------------
# st NAME EXPR: a Python expression over heraldd NAME's status file, bound to d.
st()
{
	"$PY" - "$W/$1.json" "$2" <<'PYEOF' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"d": d}))
PYEOF
}
fetches() { st "$1" "d['provisioning']['fetches']"; }
prov_status() { st "$1" "d['provisioning']['status']"; }
# GETs of the account file nginx has logged.
gets() { grep -c '"GET /prov/herald.conf HTTP/1.1"' "$N/access.log" 2>/dev/null; }

# sipp_run NAME SCENARIO [SIPP-ARGS...]: one call of SCENARIO to user 1000
# through Kamailio over TCP. SIPp computes a digest response over
# "sip:" + -auth_uri (by default the proxy's address): here the AOR it
# sends to, which heraldd accepts besides the Request-URI the proxy
# rewrote to its contact.
sipp_run()
{
	local name=$1 scen=$2

	shift 2
	timeout 60 sipp -sf "$SCEN/$scen" -s 1000 -t t1 -i 127.0.0.1 -p "$P_SIPP" -m 1 -nostdin \
		-timeout 20 -timeout_error -recv_timeout 15000 -auth_uri "1000@127.0.0.1:$P_KAM" "$@" \
		-trace_msg -message_file "$W/$name.msg" -trace_err -error_file "$W/$name.err" \
		127.0.0.1:"$P_KAM" > "$W/$name.sipp" 2>&1
}

# What SIPp received (status lines, challenges), for the record.
show()
{
	grep -E '^(SIP/2.0 |WWW-Authenticate:|Allow-Events:)' "$W/$1.msg" 2>/dev/null | sed 's/^/# /'
}

# rounds NAME: provisioning rounds check-sync has started in heraldd NAME's log.
rounds() { grep -c 'provisioning: round asked for by check-sync' "$W/$1.log"; }

HD_CONF=("sip.proxy = 127.0.0.1:$P_KAM" "sip.transport = tcp" "sip.u1.user = 1000"
	"sip.u1.password = s3cret-1000" "media.port_min = $P_MEDIA" "media.port_max = $((P_MEDIA + 2))")
PROV=("provision.url = https://127.0.0.1:$P_HTTPS/prov" "provision.ca = $W/ca.crt"
	"provision.cert = $W/device.crt" "provision.key = $W/device.key" "provision.interval = 0"
	"provision.cache_dir = $W/cache" "provision.mac_interface = lo")

# ---- heraldd registered, provisioned once at start ------------------------------
hd_start notify "${PROV[@]}"
check "heraldd registers 1000 over TCP" wait_status notify Successful 60
check "the start round provisions from nginx" eventually 60 eval '[ "$(prov_status notify)" = Provisioned ]'
n0=$(fetches notify)
g0=$(gets)
echo "# after the start round: fetches $n0, account file GETs $g0"

# ---- wrong password: 401, then 403, nothing fetched ---------------------------------
sipp_run wrong notify-checksync-403.xml -au 1000 -ap not-the-password
rc=$?
check "wrong password: 401, then 403 (sipp exit $rc)" test "$rc" = 0
show wrong
check "wrong password: logged as wrong credentials" \
	grep -q 'sip: check-sync for 1000: wrong credentials: 403' "$W/notify.log"
check "wrong password: no round asked for, no fetch" \
	eval '[ "$(rounds notify)" = 0 ] && [ "$(fetches notify)" = "$n0" ] && [ "$(gets)" = "$g0" ]'
C='Digest realm="127.0.0.1", nonce="[0-9a-f]\{32\}", qop="auth", algorithm='
check "heraldd's 401: SHA-256 then MD5 challenge, realm 127.0.0.1, qop=auth (as the proxy logged it)" \
	grep -q "herald-challenges \[${C}SHA-256\] \[${C}MD5\]" "$W/kamailio.log"

# ---- other event packages, no Event ----------------------------------------------
sipp_run foo notify-event-489.xml
rc=$?
check "Event: foo: 489 Bad Event with Allow-Events: check-sync (sipp exit $rc)" test "$rc" = 0
show foo
sipp_run noevent notify-no-event-400.xml
rc=$?
check "NOTIFY without Event: 400 (sipp exit $rc)" test "$rc" = 0
show noevent
check "489 and 400: no round asked for" eval '[ "$(rounds notify)" = 0 ] && [ "$(fetches notify)" = "$n0" ]'

# ---- the account's credentials: 200 and a round; a second one right after is queued --
sipp_run good notify-checksync-twice.xml -au 1000 -ap s3cret-1000
rc=$?
check "check-sync with the account's credentials, twice: 401, 200, 401, 200 (sipp exit $rc)" test "$rc" = 0
show good
check "first check-sync: authenticated, provisioning round started" \
	eval 'grep -q "sip: check-sync for 1000 authenticated (\(SHA-256\|MD5\)): 200" "$W/notify.log" &&
		grep -q "check-sync: provisioning round started" "$W/notify.log"'
check "the round fetched: status fetch counter and nginx access log went up" \
	eventually 60 eval '[ "$(fetches notify)" -gt "$n0" ] && [ "$(gets)" -gt "$g0" ]'
# The two NOTIFYs are milliseconds apart in one SIPp run: the first round
# (the first ever triggered) started, so the second must wait.
check "second check-sync within 10 s: queued" \
	grep -q "check-sync: provisioning round queued" "$W/notify.log"
check "reboot=true: logged as ignored" \
	grep -q "asks for a reboot: ignored, herald never reboots" "$W/notify.log"
check "the queued round runs once the 10 s passed" eventually 60 eval '[ "$(rounds notify)" = 2 ]'
check "and it fetched again from nginx" eventually 60 eval '[ "$(gets)" -ge $((g0 + 2)) ]'
check "provisioning still Provisioned" eventually 60 eval '[ "$(prov_status notify)" = Provisioned ]'
check "no password in the log" eval '! grep -q "s3cret-1000\|not-the-password" "$W/notify.log"'
hd_stop
check "heraldd exits cleanly" test $? = 0

# ---- provisioning off: still 200, and the log says so -------------------------------
hd_start off
check "heraldd without provision.url registers" wait_status off Successful 60
sipp_run off notify-checksync.xml -au 1000 -ap s3cret-1000
rc=$?
check "provisioning off: check-sync still gets 200 (sipp exit $rc)" test "$rc" = 0
show off
check "provisioning off: logged, nothing fetched" \
	eval 'grep -q "check-sync: provisioning is off" "$W/off.log" && [ "$(rounds off)" = 0 ]'
hd_stop
check "heraldd exits cleanly" test $? = 0

tap_done
