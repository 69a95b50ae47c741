#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's survivability proxy against two Kamailio instances
# (primary and survivability registrars, both TLS with digest auth), on
# 127.0.0.1 only, ports above 20000. heraldd registers through the primary;
# the primary is stopped and, after sip.failover_after failures in a row,
# heraldd registers through the survivability proxy; the primary is started
# again and heraldd's probe finds it and fails back. What is checked comes
# from the status file (--status-file), heraldd's log and Kamailio's own
# location table (kamcmd ul.dump).
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
W=$(mktemp -d /tmp/t-sip-survivability.XXXXXX)
# Ports from the pid, so parallel runs on one host do not collide.
BASE=$((20000 + ($$ % 4000) * 10))
P_PRI=$((BASE + 1)) P_SURV=$((BASE + 2)) P_PRI_UDP=$((BASE + 3)) P_SURV_UDP=$((BASE + 4))
HD_PID=
. "$ROOT/tests/host/lib.sh"
. "$ROOT/tests/host/sip-lib.sh"

all_pids() { echo $HD_PID $(cat "$W"/*.kpid 2>/dev/null); }
cleanup()
{
	kill_pids all_pids
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT

PY=$(py_path)
need_tools kamailio kamcmd openssl "$PY"
need_heraldd
kam_moddir

# ---- certificates: one CA, one server certificate both instances use ------
mk_ca ca "/CN=herald test CA" &&
mk_cert server ca IP:127.0.0.1 ||
	{ not_ok "test certificates"; exit 1; }

# ---- Kamailio: kam_start NAME TLS-PORT UDP-PORT / kam_stop NAME ------------
kam_start()
{
	local name=$1 i

	mkdir -p "$W/$name"
	cat > "$W/$name/tls.cfg" <<EOF
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $W/server.key
certificate = $W/server.crt
EOF
	cat > "$W/$name/kamailio.cfg" <<EOF
#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=1
tcp_children=1
auto_aliases=no
enable_tls=yes
listen=tls:127.0.0.1:$2
listen=udp:127.0.0.1:$3
mpath="$MODDIR/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "htable.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "tls.so"
loadmodule "ctl.so"
modparam("tls", "config", "$W/$name/tls.cfg")
modparam("ctl", "binrpc", "unix:$W/$name/ctl.sock")
modparam("htable", "htable", "users=>size=4;")
modparam("usrloc", "db_mode", 0)

event_route[htable:mod-init] {
	\$sht(users=>1000) = "s3cret-1000";
}

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (is_method("REGISTER")) {
		if (!pv_www_authenticate("\$td", "\$sht(users=>\$fU)", "0")) {
			www_challenge("\$td", "1");
			exit;
		}
		if (!save("location"))
			sl_reply_error();
		exit;
	}
	sl_send_reply("404", "Not Here");
}
EOF
	kam_run "$W/$name" "$W/$name.kpid"
}

kam_stop()
{
	kam_kill "$(cat "$W/$1.kpid" 2>/dev/null)" "$W/$1" "$W/$1.kpid"
}

# bindings NAME USER: the contacts Kamailio instance NAME holds for USER.
bindings()
{
	kam_bindings "$W/$1/ctl.sock" "$2"
}

# has_binding NAME USER: the instance NAME holds a contact for USER.
has_binding() { test -n "$(bindings "$1" "$2")"; }

# ---- heraldd: hd_start, hd_stop, field (sip-lib.sh) -------------------------
# wait_state NAME STATUS PROXY SECONDS: until u1 reports STATUS via PROXY.
wait_state()
{
	local deadline=$((SECONDS + $4 + 1))

	while [ $SECONDS -lt $deadline ]; do
		[ "$(field "$1" status)" = "$2" ] && [ "$(field "$1" proxy_in_use)" = "$3" ] && return 0
		sleep 0.1
	done
	echo "# $1: \"$(field "$1" status)\" via $(field "$1" proxy_in_use)" \
		"($(field "$1" code) $(field "$1" reason)), wanted \"$2\" via $3"
	return 1
}

kam_start primary $P_PRI $P_PRI_UDP || { not_ok "primary kamailio starts"; exit 1; }
kam_start surv $P_SURV $P_SURV_UDP || { not_ok "survivability kamailio starts"; exit 1; }
ok "two kamailio instances start (TLS $P_PRI and $P_SURV)"

BASECFG=("sip.transport = tls" "sip.tls.ca = $W/ca.crt" "sip.register_expires = 90"
	 "sip.u1.user = 1000" "sip.u1.password = s3cret-1000")

# 1. TLS: primary, failover after 3 failures, failback on the probe's answer.
hd_start tls "${BASECFG[@]}" "sip.proxy = 127.0.0.1:$P_PRI" \
	"sip.survivability_proxy = 127.0.0.1:$P_SURV" "sip.failover_after = 3" \
	"sip.failback_interval = 2"
check "primary up: Successful via primary" wait_state tls Successful primary 30
check "primary up: status file names the survivability proxy" \
	grep -q "\"survivability_proxy\": \"127.0.0.1:$P_SURV\"" "$W/tls.json"
check "primary up: binding on the primary" eventually 10 has_binding primary 1000
check "primary up: no binding on the survivability proxy" test -z "$(bindings surv 1000)"
kam_stop primary
check "primary stopped: Successful via survivability" wait_state tls Successful survivability 30
# The steps pass faster than a poll of the status file: the log has them in order.
check "primary stopped: No reply from server via primary, then failover" "$PY" - "$W/tls.log" <<'EOF'
import sys
log = open(sys.argv[1]).read()
a = log.rfind("registration No reply from server")
b = log.find("failing over to survivability proxy")
sys.exit(not (0 <= a < b and "via primary proxy" in log[a:log.index("\n", a)]))
EOF
check "primary stopped: binding on the survivability proxy" eventually 10 has_binding surv 1000
check "primary stopped: three failures counted first" \
	grep -q 'failure 3 of 3 before the survivability proxy' "$W/tls.log"
check "primary stopped: log says failover" \
	grep -q 'registration Successful (200 OK) via survivability proxy' "$W/tls.log"
sleep 5
check "primary still stopped: still via survivability" \
	test "$(field tls proxy_in_use)/$(field tls status)" = survivability/Successful
kam_start primary $P_PRI $P_PRI_UDP || not_ok "primary kamailio restarts"
check "primary back: Successful via primary again" wait_state tls Successful primary 20
check "primary back: the probe's answer seen" grep -q "probe of 127.0.0.1:$P_PRI: answered 404" "$W/tls.log"
check "primary back: binding on the primary again" eventually 10 has_binding primary 1000
check "primary back: log says failback" grep -q 'answers again: failing back' "$W/tls.log"
hd_stop

# 1b. A primary that answers, even to refuse us, is up: no failover, even
# with sip.failover_after = 1.
hd_start refused "sip.transport = tls" "sip.tls.ca = $W/ca.crt" "sip.u1.user = 1000" \
	"sip.u1.password = wrong" "sip.proxy = 127.0.0.1:$P_PRI" \
	"sip.survivability_proxy = 127.0.0.1:$P_SURV" "sip.failover_after = 1"
check "primary refuses: Rejected by Server via primary" \
	wait_state refused "Rejected by Server" primary 30
sleep 3
check "primary refuses: still via primary, no failover" \
	bash -c "[ \"\$(grep -c 'failing over' $W/refused.log)\" = 0 ]"
check "primary refuses: still via primary in the status" test "$(field refused proxy_in_use)" = primary
hd_stop

# 2. UDP: a failure is a REGISTER that timer F ended (32 s); one is enough here.
hd_start udp "sip.transport = udp" "sip.proxy = 127.0.0.1:$P_PRI_UDP" "sip.register_expires = 60" \
	"sip.survivability_proxy = 127.0.0.1:$P_SURV_UDP" "sip.failover_after = 1" \
	"sip.failback_interval = 2" "sip.u1.user = 1000" "sip.u1.password = s3cret-1000"
check "udp: Successful via primary" wait_state udp Successful primary 10
kam_stop primary
# Over UDP nothing notices the primary is gone until the refresh (at 30 s
# of the 60 granted) gets no answer within timer F (32 s).
check "udp: Successful via survivability after timer F" \
	wait_state udp Successful survivability 90
check "udp: the failure was timer F on REGISTER" \
	grep -q 'registration No reply from server (no response within 32 s) via primary' "$W/udp.log"

kam_start primary $P_PRI $P_PRI_UDP || not_ok "primary kamailio restarts"
check "udp: Successful via primary again" wait_state udp Successful primary 20
hd_stop

# 3. Under valgrind: failover and failback (the probe's flows made and freed
# each interval) without a memory error or a leak.
if command -v valgrind >/dev/null; then
	HD_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9"
	hd_start vg "${BASECFG[@]}" "sip.proxy = 127.0.0.1:$P_PRI" \
		"sip.survivability_proxy = 127.0.0.1:$P_SURV" "sip.failback_interval = 2"
	HD_WRAP=
	check "valgrind: Successful via primary" wait_state vg Successful primary 30
	kam_stop primary
	check "valgrind: Successful via survivability" wait_state vg Successful survivability 40
	kam_start primary $P_PRI $P_PRI_UDP || not_ok "primary kamailio restarts"
	check "valgrind: Successful via primary again" wait_state vg Successful primary 30
	hd_stop
	rc=$?
	check "valgrind: clean exit, no memory error or leak (status $rc)" test "$rc" = 0
else
	echo "ok valgrind # SKIP valgrind not installed"
fi

# 4. The configuration is checked whole.
printf '%s\n' "sip.survivability_proxy = 127.0.0.1" > "$W/bad1.conf"
check "config: survivability proxy without sip.proxy refused" \
	bash -c "! $HERALDD --check-config -c $W/bad1.conf 2>/dev/null"
printf '%s\n' "sip.proxy = 127.0.0.1" "sip.failover_after = 0" > "$W/bad2.conf"
check "config: sip.failover_after = 0 refused" \
	bash -c "! $HERALDD --check-config -c $W/bad2.conf 2>/dev/null"
printf '%s\n' "sip.proxy = 127.0.0.1" "sip.survivability_proxy = bad_name" > "$W/bad3.conf"
check "config: a survivability proxy that is no host name refused" \
	bash -c "! $HERALDD --check-config -c $W/bad3.conf 2>/dev/null"

tap_done
