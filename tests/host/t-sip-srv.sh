#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's RFC 3263 server location (SRV, then A/AAAA of
# each target, failover across targets) against a real DNS server
# (dnsmasq) and registrar (Kamailio, TLS), nobody here wrote either.
#
# glibc's resolver only talks to port 53 of the servers in
# /etc/resolv.conf, and heraldd has (on purpose) no DNS server setting of
# its own. So the test re-runs itself in private user, network and mount
# namespaces (unshare -rnm): there dnsmasq owns 127.0.0.1:53 of a loopback
# nobody else sees, and a resolv.conf naming it is bind-mounted over
# /etc/resolv.conf for these processes only. Nothing on the host's
# network or files changes; the other ports are above 20000 as elsewhere.
#
# HD_WRAP (e.g. "valgrind --error-exitcode=9 ...") runs heraldd under a
# wrapper; the exit status of the first run is checked.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}

if [ -z "${HERALD_SRV_NS:-}" ]; then
	for tool in unshare dnsmasq kamailio kamcmd openssl; do
		if ! command -v $tool >/dev/null && [ ! -x /usr/sbin/$tool ]; then
			echo "not ok prerequisites # $tool missing (make deps)"
			exit 1
		fi
	done
	if ! unshare -rnm true 2>/dev/null; then
		echo "not ok prerequisites # unshare -rnm refused (user namespaces disabled?)"
		exit 1
	fi
	exec unshare -rnm env HERALD_SRV_NS=1 "$0" "$@"
fi

PATH=$PATH:/usr/sbin
W=$(mktemp -d /tmp/t-sip-srv.XXXXXX)
BASE=$((20000 + ($$ % 4000) * 10))
P_KAM=$((BASE + 1)) P_DEAD=$((BASE + 2)) P_KAM_UDP=$((BASE + 3))
HD_PID= DNS_PID=
. "$ROOT/tests/host/lib.sh"
. "$ROOT/tests/host/sip-lib.sh"

all_pids() { echo $HD_PID $DNS_PID $(cat "$W/kam.pid" 2>/dev/null); }
cleanup()
{
	kill_pids all_pids
	umount /etc/resolv.conf 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT

PY=$(py_path)
need_heraldd
kam_moddir

# ---- the private network and resolver ----------------------------------
ip link set lo up || { not_ok "loopback up in the namespace"; exit 1; }
printf 'nameserver 127.0.0.1\noptions attempts:2 timeout:1\n' > "$W/resolv.conf"
mount --bind "$W/resolv.conf" /etc/resolv.conf ||
	{ not_ok "resolv.conf bind-mounted in the namespace"; exit 1; }

# --user=root --group= (none): stay the namespace's root, whose setgroups() is refused.
# pbx.test: priority 10 on a port nobody listens on, priority 20 Kamailio.
# nosrv.test: no SRV records, an A record only. refused.test: target ".".
# udp.test: _sip._udp only.
dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --user=root --group= \
	--listen-address=127.0.0.1 --bind-interfaces --port=53 \
	--log-queries --log-facility="$W/dnsmasq.log" \
	--srv-host=_sips._tcp.pbx.test,dead.pbx.test,$P_DEAD,10,100 \
	--srv-host=_sips._tcp.pbx.test,kam.pbx.test,$P_KAM,20,100 \
	--srv-host=_sip._udp.udp.test,kam.pbx.test,$P_KAM_UDP,1,1 \
	--srv-host=_sips._tcp.refused.test \
	--host-record=dead.pbx.test,127.0.0.1 --host-record=kam.pbx.test,127.0.0.1 \
	--host-record=nosrv.test,127.0.0.1 --host-record=pbx.test,127.0.0.1 \
	--host-record=refused.test,127.0.0.1 --host-record=udp.test,127.0.0.1 \
	> "$W/dnsmasq.out" 2>&1 &
DNS_PID=$!
for i in $(seq 1 50); do
	grep -q 'started' "$W/dnsmasq.log" 2>/dev/null && break
	sleep 0.1
done
check "dnsmasq answers the SRV query" \
	bash -c "getent hosts kam.pbx.test >/dev/null && kill -0 $DNS_PID"

# ---- certificates: the server is verified as the SRV domain (pbx.test) --
mk_ca ca "/CN=herald test CA" &&
mk_cert server ca DNS:pbx.test,DNS:nosrv.test,DNS:refused.test /CN=pbx.test ||
	{ not_ok "test certificates"; exit 1; }

# ---- Kamailio ------------------------------------------------------------
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
listen=tls:127.0.0.1:$P_KAM
listen=udp:127.0.0.1:$P_KAM_UDP
mpath="$MODDIR/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "htable.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "tls.so"
loadmodule "ctl.so"
modparam("tls", "config", "$W/tls.cfg")
modparam("ctl", "binrpc", "unix:$W/ctl.sock")
modparam("htable", "htable", "users=>size=4;")
modparam("usrloc", "db_mode", 0)

event_route[htable:mod-init] {
	\$sht(users=>1000) = "s3cret-1000";
}

request_route {
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
kam_run "$W" "$W/kam.pid"
[ -s "$W/kam.pid" ] || { not_ok "kamailio starts" "$(tail -3 "$W/kamailio.log")"; exit 1; }
ok "kamailio starts (TLS $P_KAM, UDP $P_KAM_UDP)"

# ---- heraldd: hd_start (with these lines first), hd_stop, field, wait_status
# (sip-lib.sh) ---------------------------------------------------------------
HD_CONF=("sip.u1.user = 1000" "sip.u1.password = s3cret-1000" "sip.tls.ca = $W/ca.crt")

# 1. SRV: the priority 10 target refuses, the priority 20 one registers us;
# TLS verifies the domain (pbx.test), not the target names.
hd_start srv "sip.proxy = pbx.test" "sip.transport = tls"
check "srv: status Successful" wait_status srv Successful 15
check "srv: _sips._tcp.pbx.test asked" grep -q 'query\[SRV\] _sips._tcp.pbx.test' "$W/dnsmasq.log"
check "srv: both targets looked up" \
	bash -c "grep -q 'query\[A\] dead.pbx.test' $W/dnsmasq.log && grep -q 'query\[A\] kam.pbx.test' $W/dnsmasq.log"
check "srv: priority 10 tried first, failed over to the next target" \
	grep -q 'pbx.test (127.0.0.1): Connection refused; trying the next address' "$W/srv.log"
check "srv: the targets' ports in priority order" "$PY" - "$W/srv.log" $P_DEAD $P_KAM <<'EOF'
import sys
log = open(sys.argv[1]).read()
a = log.find("over TLS, port %s\n" % sys.argv[2])
b = log.find("over TLS, port %s\n" % sys.argv[3])
sys.exit(not (0 <= a < b))
EOF
check "srv: Kamailio holds the binding over TLS" \
	bash -c "kamcmd -s unix:$W/ctl.sock ul.dump | grep -q 'sip:1000@127.0.0.1:.*transport=tls'"
hd_stop
check "srv: SIGTERM exits 0" test $? = 0

# 2. No SRV records: A/AAAA of the name itself, default port 5061 (nobody there).
hd_start nosrv "sip.proxy = nosrv.test" "sip.transport = tls"
check "no SRV: No reply from server" wait_status nosrv "No reply from server" 15
check "no SRV: SRV asked, then the name's address" \
	bash -c "grep -q 'query\[SRV\] _sips._tcp.nosrv.test' $W/dnsmasq.log && grep -q 'query\[A\] nosrv.test' $W/dnsmasq.log"
check "no SRV: default port 5061 tried" \
	grep -q 'connecting to nosrv.test (127.0.0.1) over TLS, port 5061$' "$W/nosrv.log"
hd_stop

# 3. Target ".": the domain refuses the service; no fallback to A.
hd_start refused "sip.proxy = refused.test" "sip.transport = tls"
check "target \".\": No reply from server" wait_status refused "No reply from server" 15
check "target \".\": reason says service not available" \
	grep -q 'service not available' "$W/refused.json"
check "target \".\": no A/AAAA lookup of the name" \
	bash -c "! grep -q 'query\[A\] refused.test' $W/dnsmasq.log"
hd_stop

# 4. UDP uses _sip._udp.
hd_start udp "sip.proxy = udp.test" "sip.transport = udp"
check "udp: status Successful via _sip._udp" wait_status udp Successful 15
check "udp: _sip._udp.udp.test asked" grep -q 'query\[SRV\] _sip._udp.udp.test' "$W/dnsmasq.log"
hd_stop

# 5. A port in sip.proxy: no SRV query at all.
hd_start port "sip.proxy = kam.pbx.test:$P_KAM" "sip.transport = tls" \
	"sip.tls.server_name = pbx.test"
check "with a port: status Successful" wait_status port Successful 15
check "with a port: no SRV query" bash -c "! grep -q 'query\[SRV\] _sips._tcp.kam.pbx.test' $W/dnsmasq.log"
hd_stop

tap_done
