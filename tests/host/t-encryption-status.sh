#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's encryption status and policy.require_encryption,
# against Kamailio (TLS and TCP listeners, a plain registrar), on 127.0.0.1
# only, ports above 20000, without herald.ko.
#
#  - registration over TLS with the certificate verified: "encryption" area
#    "Encrypted", its one leg the registration, no exception; "calls" [];
#  - over TCP, and over TLS with sip.tls.verify = off: "Not encrypted", the
#    registration listed as an exception with its reason;
#  - policy.require_encryption = on: heraldd --check-config refuses tcp,
#    udp, verify off, media.srtp = optional and a plain zone with the
#    reason naming the keys;
#    a running heraldd (TLS) refuses a SIGHUP to a file asking for tcp and
#    keeps registering over TLS, its status unchanged.
#
# The areas are compared whole, as JSON, after the registrar's port is
# replaced by PORT. Prints TAP lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
W=$(mktemp -d /tmp/t-encryption-status.XXXXXX)
# Ports from the pid, so parallel runs on one host do not collide.
BASE=$((20000 + ($$ % 4000) * 10))
P_TLS=$((BASE + 1)) P_TCP=$((BASE + 2))
PIDS=()
KAM_PID=
HD_STOP_SECONDS=10
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
need_tools kamailio kamcmd openssl "$PY"
need_heraldd
kam_moddir

mk_ca ca "/CN=herald test CA" &&
mk_cert server ca "IP:127.0.0.1,DNS:localhost" ||
	{ not_ok "test certificates"; exit 1; }

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
listen=tcp:127.0.0.1:$P_TCP
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
kam_run "$W" "$W/kam.pid"
KAM_PID=$(cat "$W/kam.pid" 2>/dev/null)
[ -n "$KAM_PID" ] || { not_ok "kamailio starts" "$(tail -5 "$W/kamailio.log")"; exit 1; }
ok "kamailio starts (TLS on 127.0.0.1:$P_TLS, TCP on $P_TCP)"

# area NAME AREA EXPECTED-JSON: area AREA of $W/NAME.json equals the
# expected JSON once ports after 127.0.0.1: read PORT; prints both if not.
area()
{
	"$PY" - "$W/$1.json" "$2" "$3" <<'EOF'
import json, re, sys
text = re.sub(r'127\.0\.0\.1:\d+', '127.0.0.1:PORT', open(sys.argv[1]).read())
got = json.loads(text)[sys.argv[2]]
want = json.loads(sys.argv[3])
if got != want:
    print("# got:  " + json.dumps(got))
    print("# want: " + json.dumps(want))
    sys.exit(1)
EOF
}

# The expected areas (docs/status.md quotes them).
ENC_TLS='{"status": "Encrypted", "require_encryption": false,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SIP over TLS, server certificate verified"}],
  "exceptions": []}'
ENC_TCP='{"status": "Not encrypted", "require_encryption": false,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": false,
            "detail": "SIP in the clear over TCP (sip.transport = tcp)"}],
  "exceptions": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT",
                  "reason": "SIP in the clear over TCP (sip.transport = tcp)"}]}'
ENC_NOVERIFY='{"status": "Not encrypted", "require_encryption": false,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": false,
            "detail": "SIP over TLS without certificate verification (sip.tls.verify = off)"}],
  "exceptions": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT",
                  "reason": "SIP over TLS without certificate verification (sip.tls.verify = off)"}]}'
ENC_REQUIRED=${ENC_TLS/\"require_encryption\": false/\"require_encryption\": true}

TLS=("sip.proxy = 127.0.0.1:$P_TLS" "sip.transport = tls" "sip.tls.ca = $W/ca.crt"
     "sip.register_expires = 600" "sip.u1.user = 1000")
TCP=("sip.proxy = 127.0.0.1:$P_TCP" "sip.transport = tcp" "sip.register_expires = 600"
     "sip.u1.user = 1000")

# 1. TLS, certificate verified: Encrypted.
hd_start tls "${TLS[@]}"
check "tls: registered" wait_status tls Successful 60
check "tls: encryption area: Encrypted, no exception" area tls encryption "$ENC_TLS"
check "tls: calls area empty" area tls calls '[]'
hd_stop

# 2. TCP: the registration is an exception.
hd_start tcp "${TCP[@]}"
check "tcp: registered" wait_status tcp Successful 60
check "tcp: encryption area: Not encrypted, registration listed" area tcp encryption "$ENC_TCP"
hd_stop

# 3. TLS without verification: an exception too.
hd_start noverify "${TLS[@]}" "sip.tls.verify = off"
check "tls verify off: registered" wait_status noverify Successful 60
check "tls verify off: encryption area: Not encrypted, reason given" \
	area noverify encryption "$ENC_NOVERIFY"
hd_stop

# 4. policy.require_encryption = on: plaintext legs refused by --check-config.
# refused NAME REASON LINES...: --check-config exits 1 naming file and reason.
refused()
{
	local name=$1 reason=$2 out rc

	shift 2
	(umask 077; printf '%s\n' "$@" > "$W/$name.conf")
	out=$("$HERALDD" --check-config -c "$W/$name.conf" 2>&1)
	rc=$?
	[ $rc = 1 ] && [ "$out" = "$W/$name.conf: $reason" ] && return 0
	echo "# exit $rc: $out"
	return 1
}
check "require on: tcp refused by --check-config" refused req-tcp \
	"policy.require_encryption = on refuses sip.transport = tcp: SIP signalling would go in the clear (use tls)" \
	"${TCP[@]}" "policy.require_encryption = on"
check "require on: udp refused by --check-config" refused req-udp \
	"policy.require_encryption = on refuses sip.transport = udp: SIP signalling would go in the clear (use tls)" \
	"${TCP[@]/sip.transport = tcp/sip.transport = udp}" "policy.require_encryption = on"
check "require on: a plain multicast zone refused by --check-config" refused req-zone \
	"mcast.zone1.plain: encryption is required (policy.require_encryption)" \
	"${TLS[@]}" "mcast.mode = transmitter" "mcast.zone1.address = 239.1.1.1" \
	"mcast.zone1.port = 5000" "mcast.zone1.plain = on" "policy.require_encryption = on"
check "require on: tls verify off refused" refused req-noverify \
	"policy.require_encryption = on refuses sip.tls.verify = off: an unverified server could read the signalling and its SRTP keys" \
	"${TLS[@]}" "sip.tls.verify = off" "policy.require_encryption = on"
check "require on: media.srtp = optional refused" refused req-optional \
	"policy.require_encryption = on refuses media.srtp = optional: calls could carry plain RTP (use required)" \
	"${TLS[@]}" "media.srtp = optional" "policy.require_encryption = on"
(umask 077; printf '%s\n' "${TLS[@]}" "policy.require_encryption = on" > "$W/req-ok.conf")
check "require on: tls verified accepted" eval "\"$HERALDD\" --check-config -c \"$W/req-ok.conf\" >/dev/null"

# 5. SIGHUP to a file asking for tcp: refused, the running TLS setup stays.
hd_start req "${TLS[@]}" "policy.require_encryption = on"
check "require on: registered over TLS" wait_status req Successful 60
check "require on: encryption area says required" area req encryption "$ENC_REQUIRED"
check "require on: no module, the policy waits for it" \
	grep -q 'herald.ko not loaded: require-encryption on is handed to it once it is' "$W/req.log"
cp "$W/req.json" "$W/req-before.json"
(umask 077; printf '%s\n' "log.level = debug" "${TCP[@]}" "policy.require_encryption = on" > "$W/req.conf")
kill -HUP "$HD_PID"
check "SIGHUP: reload refused with the reason" eventually 10 \
	grep -q "reload rejected, the running configuration stays: $W/req.conf: policy.require_encryption = on refuses sip.transport = tcp" "$W/req.log"
check "SIGHUP: still registered over TLS" test "$(field req status)" = Successful
check "SIGHUP: encryption area unchanged" area req encryption "$ENC_REQUIRED"
check "SIGHUP: status file unchanged" cmp -s "$W/req.json" "$W/req-before.json"
check "SIGHUP: heraldd still running" kill -0 "$HD_PID"
hd_stop
check "require on: SIGTERM exits 0" test $? = 0

tap_done
