#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's calls through its SIP transport, with real peers
# on 127.0.0.1 only, ports above 20000: Kamailio as registrar and proxy
# (digest users in an htable, usrloc lookup, record-route;
# tests/host/kam-proxy.sh), heraldd registered over TCP, and SIPp as the
# caller (scenarios in tests/host/sipp/), sending through Kamailio to
# heraldd's registered contact.
#
# herald.ko is not loaded on the host, so an SRTP page is refused with 503
# (with Retry-After) and the log says "herald module not loaded". Kamailio
# logs every final response heraldd sends it (onreply_route), as the
# caller sees a 503 turned into 500 by the proxy (RFC 3261 16.7 step 6).
# What runs before the module is asked is checked too: a plain offer with
# media.srtp = required gets 488 with a Warning even without the module
# (the SDP is judged first), OPTIONS gets 200 with Allow, a BYE outside any
# dialog 481. baresip (srtp-mand), if installed, dials too: its offer is
# refused only for the module. Then heraldd over TLS (a test CA made here):
# the 503 and OPTIONS again, over the TLS flow. The answered call with
# media is tests/vm/t-sip-call.sh's, where the module is loaded.
#
# HD_WRAP runs heraldd under a wrapper, e.g. HD_WRAP="valgrind
# --leak-check=full --errors-for-leak-kinds=definite,indirect
# --error-exitcode=9": the exit status check then fails on a memory error.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines and "# N passed, M
# failed"; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
SCEN=$ROOT/tests/host/sipp
W=$(mktemp -d /tmp/t-sip-call.XXXXXX)
# Ports from the pid, so parallel runs on one host do not collide.
BASE=$((20000 + ($$ % 4000) * 10))
P_KAM=$((BASE + 1)) P_SIPP=$((BASE + 2)) P_MEDIA=$((BASE + 4)) P_TLS=$((BASE + 3))
PIDS=()
KAM_PID=
failed=0
passed=0

cleanup()
{
	local p

	for p in "${PIDS[@]}" $KAM_PID; do
		kill "$p" 2>/dev/null
	done
	sleep 0.3
	for p in "${PIDS[@]}" $KAM_PID; do
		kill -9 "$p" 2>/dev/null
	done
	[ -n "${KEEP:-}" ] && echo "# kept $W" || rm -rf "$W"
}
trap cleanup EXIT

ok()
{
	echo "ok $1"
	passed=$((passed + 1))
}

not_ok()
{
	echo "not ok $1${2:+ # $2}"
	failed=$((failed + 1))
}

check()
{
	local name=$1

	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

finish()
{
	echo "# $passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

for tool in kamailio kamcmd sipp openssl; do
	if ! command -v $tool >/dev/null; then
		not_ok "prerequisites" "$tool missing (make deps)"
		finish
	fi
done
if [ ! -x "$HERALDD" ]; then
	not_ok "prerequisites" "$HERALDD not built (make userspace)"
	finish
fi
MODDIR=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/tm.so$' | head -1)")

# ---- Kamailio: registrar and proxy ------------------------------------------
# A test CA and a server certificate for 127.0.0.1, for the TLS part.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/ca.key" -out "$W/ca.crt" -days 2 \
	-subj "/CN=herald test CA" 2>/dev/null &&
openssl req -newkey rsa:2048 -nodes -keyout "$W/server.key" -out "$W/server.csr" \
	-subj "/CN=127.0.0.1" 2>/dev/null &&
printf 'subjectAltName=IP:127.0.0.1\n' > "$W/server.ext" &&
openssl x509 -req -in "$W/server.csr" -CA "$W/ca.crt" -CAkey "$W/ca.key" -CAcreateserial \
	-out "$W/server.crt" -days 2 -extfile "$W/server.ext" 2>/dev/null ||
	{ not_ok "test certificates"; finish; }
. "$ROOT/tests/host/kam-proxy.sh"
kam_proxy_cfg "$W" "$P_KAM" "$MODDIR" "$P_TLS"
kamailio -f "$W/kamailio.cfg" -P "$W/kam.pid" -Y "$W" -m 32 -M 8 -E >> "$W/kamailio.log" 2>&1
for i in $(seq 1 50); do
	[ -S "$W/ctl.sock" ] && [ -s "$W/kam.pid" ] && break
	sleep 0.1
done
KAM_PID=$(cat "$W/kam.pid" 2>/dev/null)
if [ -z "$KAM_PID" ]; then
	not_ok "kamailio starts" "$(tail -5 "$W/kamailio.log")"
	finish
fi
ok "kamailio starts (TCP and UDP on 127.0.0.1:$P_KAM, TLS on $P_TLS)"

# ---- heraldd ----------------------------------------------------------------
HD_PID=
# hd_start NAME CONFIG-LINES...: heraldd in the foreground, registered over
# TCP (or over $HD_TP to $HD_PROXY).
hd_start()
{
	local name=$1

	shift
	# It holds a password: heraldd refuses a secret others can read.
	(umask 077; printf '%s\n' "log.level = debug" "sip.proxy = ${HD_PROXY:-127.0.0.1:$P_KAM}" \
		"sip.transport = ${HD_TP:-tcp}" "sip.u1.user = 1000" "sip.u1.password = s3cret-1000" \
		"media.port_min = $((P_MEDIA))" "media.port_max = $((P_MEDIA + 4))" \
		"$@" > "$W/$name.conf")
	${HD_WRAP:-} "$HERALDD" -f -c "$W/$name.conf" --status-file "$W/$name.json" > "$W/$name.log" 2>&1 &
	HD_PID=$!
	PIDS+=("$HD_PID")
}

# hd_stop: SIGTERM, and wait (at most 10 s) for the exit; returns its status.
hd_stop()
{
	local i rc

	kill -TERM "$HD_PID" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$HD_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$HD_PID" 2>/dev/null
	rc=$?
	HD_PID=
	return $rc
}

# registered SECONDS [TRANSPORT]: until Kamailio holds a binding for 1000
# over TRANSPORT (default tcp).
registered()
{
	local deadline=$((SECONDS + $1 + 1))

	while [ $SECONDS -lt $deadline ]; do
		kamcmd -s "unix:$W/ctl.sock" ul.dump 2>/dev/null |
			grep -q "sip:1000@127.0.0.1:[0-9]*;transport=${2:-tcp}" && return 0
		sleep 0.2
	done
	return 1
}

# sipp_run NAME SCENARIO: one call of SCENARIO to user 1000 through Kamailio
# (UDP); its exit status (0: every step as the scenario expects). Messages in
# $W/NAME.msg.
sipp_run()
{
	timeout 60 sipp -sf "$SCEN/$2" -s 1000 -i 127.0.0.1 -p "$P_SIPP" -m 1 -nostdin \
		-timeout 20 -timeout_error -recv_timeout 15000 -mi 127.0.0.1 -mp $((P_SIPP + 2)) \
		-trace_msg -message_file "$W/$1.msg" -trace_err -error_file "$W/$1.err" \
		127.0.0.1:"$P_KAM" > "$W/$1.sipp" 2>&1
}

# Everything SIPp received, first lines and named headers, for the record.
show()
{
	grep -E '^(SIP/2.0 |Warning:|Retry-After:|Allow:)' "$W/$1.msg" 2>/dev/null | sed 's/^/# /'
	grep -o 'herald-reply.*' "$W/kamailio.log" | tail -n +$((SHOWN + 1)) | sed 's/^/# /'
	SHOWN=$(grep -c 'herald-reply' "$W/kamailio.log")
}
SHOWN=0

hd_start call "media.srtp = required"
check "heraldd registers 1000 over TCP" registered 15

sipp_run options options.xml
rc=$?
check "OPTIONS through the proxy: 200 with Allow (sipp exit $rc)" test "$rc" = 0
show options

sipp_run srtp invite-srtp-500.xml
rc=$?
check "SRTP offer without herald.ko: the caller gets 500 via the proxy (sipp exit $rc)" test "$rc" = 0
show srtp
check "SRTP offer: heraldd sent 503 with Retry-After: 30" \
	grep -q 'herald-reply 503 INVITE from 127.0.0.1:[0-9]* retry-after=\[30\]' "$W/kamailio.log"
check "SRTP offer: the log says herald module not loaded" \
	grep -q 'refused with 503: herald.ko: herald module not loaded' "$W/call.log"
check "SRTP offer: the call had the account's label (u1)" grep -q 'call u1-1: refused with 503' "$W/call.log"

sipp_run plain invite-plain-488.xml
rc=$?
check "plain offer, media.srtp = required: 488 with Warning (sipp exit $rc)" test "$rc" = 0
show plain
# The SDP is judged before herald.ko is asked: without the module, 488 and not 503.
check "plain offer: refused for the SDP before the module check (no second 503)" \
	test "$(grep -c 'refused with 503' "$W/call.log")" = 1
check "plain offer: heraldd sent 488 with the Warning" \
	grep -q 'herald-reply 488 INVITE .*warning=\[399 herald "m-line 1: plain RTP refused: encryption is required"\]' \
	"$W/kamailio.log"

sipp_run bye bye-stray.xml
rc=$?
check "BYE outside a dialog: 481 (sipp exit $rc)" test "$rc" = 0
show bye

# baresip (srtp-mand, its sine source) dialling through Kamailio: its SRTP
# offer is acceptable, so only the missing module refuses it (503).
if command -v baresip >/dev/null; then
	mkdir -p "$W/baresip"
	printf '%s\n' "poll_method epoll" "sip_listen 127.0.0.1:$((P_SIPP + 4))" \
		"module_path /usr/lib/baresip/modules" "module g711.so" \
		"module ausine.so" "module srtp.so" "module account.so" "module menu.so" \
		"audio_source ausine,440" "rtp_ports $((P_SIPP + 6))-$((P_SIPP + 8))" > "$W/baresip/config"
	echo '<sip:caller@127.0.0.1>;regint=0;mediaenc=srtp-mand;audio_codecs=PCMU' > "$W/baresip/accounts"
	timeout 30 baresip -f "$W/baresip" -e "/dial sip:1000@127.0.0.1:$P_KAM" -t 6 \
		< /dev/null > "$W/baresip.out" 2>&1
	check "baresip: its INVITE reached heraldd" grep -q 'INVITE from sip:caller@127.0.0.1' "$W/call.log"
	check "baresip: srtp-mand offer refused only for the module (503)" \
		test "$(grep -c 'herald-reply 503 INVITE' "$W/kamailio.log")" = 2
	check "baresip: told the call failed" grep -qiE '500|503|Service Unavailable' "$W/baresip.out"
else
	echo "ok baresip # SKIP baresip not installed"
fi

hd_stop
rc=$?
check "heraldd exits 0 on SIGTERM" test "$rc" = 0
check "heraldd unregistered on SIGTERM" grep -q 'u1 (1000): unregistered' "$W/call.log"

# The same over TLS (certificate verified against the test CA): the INVITE
# comes over the TLS flow and the answer goes back on it.
HD_TP=tls HD_PROXY=127.0.0.1:$P_TLS hd_start tls "sip.tls.ca = $W/ca.crt"
check "tls: heraldd registers 1000 over TLS" registered 15 tls
sipp_run tls-srtp invite-srtp-500.xml
rc=$?
check "tls: SRTP offer, the caller gets 500 via the proxy (sipp exit $rc)" test "$rc" = 0
check "tls: heraldd sent 503 with Retry-After: 30 over TLS" \
	grep -q 'herald-reply 503 INVITE from 127.0.0.1:[0-9]* retry-after=\[30\] .* proto=tls' "$W/kamailio.log"
check "tls: the log says herald module not loaded" \
	grep -q 'refused with 503: herald.ko: herald module not loaded' "$W/tls.log"
sipp_run tls-options options.xml
rc=$?
check "tls: OPTIONS 200 (sipp exit $rc)" test "$rc" = 0
hd_stop
rc=$?
check "tls: heraldd exits 0 on SIGTERM" test "$rc" = 0

if [ "$failed" != 0 ]; then
	echo "# heraldd log:"
	tail -40 "$W/call.log" | sed 's/^/#   /'
	echo "# kamailio log:"
	tail -20 "$W/kamailio.log" | sed 's/^/#   /'
	for f in "$W"/*.err; do
		[ -s "$f" ] && sed 's/^/#   /' "$f" | tail -20
	done
fi
finish
