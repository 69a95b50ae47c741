#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's SIP transports and registration against Kamailio
# (a registrar nobody here wrote), on 127.0.0.1 only, ports above 20000.
#
# The test makes its own CA and server certificate (SAN IP:127.0.0.1 and
# DNS:registrar.test) with openssl, starts Kamailio with its TLS module, the
# registrar and digest auth against users kept in an htable, and runs
# heraldd in the foreground with --status-file. It reads the registration
# status from that file and the bindings from Kamailio itself (kamcmd
# ul.dump). A small Python peer stands in where Kamailio cannot show what
# is checked: UDP retransmissions (timer E/F) and requests to heraldd.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
W=$(mktemp -d /tmp/t-sip-register.XXXXXX)
# Ports from the pid, so parallel runs on one host do not collide.
BASE=$((20000 + ($$ % 4000) * 10))
P_TLS=$((BASE + 1)) P_TCP=$((BASE + 2)) P_UDP=$((BASE + 2)) P_MTLS=$((BASE + 3))
P_PEER=$((BASE + 5)) P_NONE=$((BASE + 7))
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

# A pyenv shim costs seconds per start; the interpreter behind it does not.
PY=$(py_path)
need_tools kamailio kamcmd openssl "$PY"
need_heraldd
kam_moddir

# ---- certificates ---------------------------------------------------------
mk_ca ca "/CN=herald test CA" &&
mk_ca otherca "/CN=some other CA" &&
mk_cert server ca "IP:127.0.0.1,DNS:registrar.test,DNS:localhost" ||
	{ not_ok "test certificates"; exit 1; }

# ---- Kamailio -------------------------------------------------------------
# kam_config ALGORITHM: registrar with digest auth (MD5 or SHA-256).
kam_config()
{
	cat > "$W/tls.cfg" <<EOF
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $W/server.key
certificate = $W/server.crt

# A second TLS port that wants a client certificate from the test CA.
[server:127.0.0.1:$P_MTLS]
method = TLSv1.2+
verify_certificate = yes
require_certificate = yes
ca_list = $W/ca.crt
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
listen=tls:127.0.0.1:$P_MTLS
listen=tcp:127.0.0.1:$P_TCP
listen=udp:127.0.0.1:$P_UDP
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
modparam("tls", "config", "$W/tls.cfg")
modparam("ctl", "binrpc", "unix:$W/ctl.sock")
modparam("htable", "htable", "users=>size=4;")
modparam("usrloc", "db_mode", 0)
# Above our sip.register_expires = 60, answered with 423 (RFC 3261 10.3 step 7).
modparam("registrar", "min_expires", 90)
modparam("registrar", "min_expires_mode", 1)
modparam("auth", "algorithm", "$1")

event_route[htable:mod-init] {
	\$sht(users=>1000) = "s3cret-1000";
	\$sht(users=>1001) = "an0ther-1001";
}

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	# 1001 is challenged as by a proxy (407 / Proxy-Authorization).
	if (is_method("REGISTER") && \$fU == "1001") {
		if (!pv_proxy_authenticate("\$td", "\$sht(users=>\$fU)", "0")) {
			proxy_challenge("\$td", "1");
			exit;
		}
		if (!save("location"))
			sl_reply_error();
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
}

kam_start()
{
	kam_config "$1"
	kam_run "$W" "$W/kam.pid"
	KAM_PID=$(cat "$W/kam.pid" 2>/dev/null)
	[ -n "$KAM_PID" ]
}

kam_stop()
{
	kam_kill "$KAM_PID" "$W" "$W/kam.pid"
	KAM_PID=
}

# bindings USER: the contacts Kamailio holds for USER.
bindings()
{
	kam_bindings "$W/ctl.sock" "$1"
}

# ---- heraldd: hd_start, hd_stop, field, wait_status, wait_file (sip-lib.sh)

TLS_BASE=("sip.proxy = 127.0.0.1:$P_TLS" "sip.transport = tls" "sip.tls.ca = $W/ca.crt"
	  "sip.register_expires = 60" "sip.u1.user = 1000" "sip.u1.password = s3cret-1000")

kam_start MD5 || { not_ok "kamailio starts" "$(tail -5 "$W/kamailio.log")"; exit 1; }
ok "kamailio starts (TLS on 127.0.0.1:$P_TLS, digest MD5)"

# 1. TLS, certificate verified against the test CA by IP address.
hd_start tls "${TLS_BASE[@]}"
check "tls: status Successful" wait_status tls Successful 10
check "tls: code 200 in the status" test "$(field tls code)" = 200
check "tls: Kamailio holds the binding over TLS" \
	bash -c "[[ \"\$(kamcmd -s unix:$W/ctl.sock ul.dump)\" == *'sip:1000@127.0.0.1:'*';transport=tls'* ]]"
check "tls: challenged with MD5, qop=auth" grep -q '401 challenge, MD5.*qop=auth' "$W/tls.log"
check "tls: 423 followed, Expires 90 asked" grep -q '423 Interval Too Brief, asking again with Expires 90' "$W/tls.log"
check "tls: granted 90 s in the status" test "$(field tls expires)" = 90
check "tls: password not in the log" bash -c "! grep -q s3cret-1000 $W/tls.log"
t0=$(date +%s.%N)
hd_stop
rc=$?
t1=$(date +%s.%N)
check "tls: SIGTERM exits 0" test "$rc" = 0
check "tls: unregistered before exit (reply awaited)" grep -q 'u1 (1000): unregistered' "$W/tls.log"
check "tls: Kamailio dropped the binding" test -z "$(bindings 1000)"
# heraldd waits at most 2 s for the answers; 10 s only tells a hang from a
# slow, loaded host.
check "tls: exit without waiting past its limit" "$PY" -c "import sys; sys.exit(not ($t1 - $t0 < 10))"

# 2. Wrong password.
hd_start badpw "${TLS_BASE[@]/s3cret-1000/wrong-password}"
check "wrong password: status Rejected by Server" wait_status badpw "Rejected by Server" 10
check "wrong password: code 401" test "$(field badpw code)" = 401
check "wrong password: no binding" test -z "$(bindings 1000)"
hd_stop

# 2b. Started without SIP; a reload that sets sip.proxy starts it (the path a
# first provisioned configuration takes on a device without a cache).
hd_start late
check "late sip: heraldd runs without SIP" wait_file "$W/late.json"
(umask 077; printf '%s\n' "log.level = debug" "${TLS_BASE[@]}" > "$W/late.conf")
kill -HUP "$HD_PID"
check "late sip: started on reload" wait_status late Successful 30
check "late sip: logged" grep -q 'sip.proxy is set now: starting SIP' "$W/late.log"
hd_stop
check "late sip: unregistered at exit" grep -q 'u1 (1000): unregistered' "$W/late.log"

# 3. Several accounts, one disabled; auth_user distinct from the user.
hd_start multi "${TLS_BASE[@]}" "sip.u2.user = 1001" "sip.u2.password = an0ther-1001" \
	"sip.u2.auth_user = 1001" "sip.u2.role = emergency" "sip.u3.user = 1002" "sip.u3.enabled = off"
wait_status multi Successful 10 >/dev/null
sleep 1
check "accounts: u1, u2 Successful, u3 Disabled" "$PY" - "$W/multi.json" <<'EOF'
import json, sys
a = {x["account"]: x for x in json.load(open(sys.argv[1]))["registration"]["accounts"]}
sys.exit(not (a["u1"]["status"] == "Successful" and a["u2"]["status"] == "Successful"
              and a["u2"]["role"] == "emergency" and a["u3"]["status"] == "Disabled"))
EOF
check "accounts: Kamailio holds 1001 too" test -n "$(bindings 1001)"
check "accounts: 1001 answered a 407 (Proxy-Authorization)" grep -q 'u2: 407 challenge' "$W/multi.log"
hd_stop

# 4. Kamailio stopped, then restarted (with SHA-256 digest this time).
hd_start restart "${TLS_BASE[@]}"
wait_status restart Successful 10 >/dev/null
kam_stop
check "server stopped: status No reply from server" wait_status restart "No reply from server" 10
echo "# reason: $(field restart reason)"
kam_start SHA-256 || not_ok "kamailio restarts"
check "server restarted: status Successful again" wait_status restart Successful 40
check "server restarted: challenged with SHA-256" grep -q '401 challenge, SHA-256' "$W/restart.log"
check "server restarted: binding back" test -n "$(bindings 1000)"
hd_stop

# 5. Certificate for another name: no connection, and the status says why.
hd_start badname "${TLS_BASE[@]}" "sip.tls.server_name = other.test"
check "other host name: status No reply from server" wait_status badname "No reply from server" 10
check "other host name: reason says hostname mismatch" \
	grep -q 'hostname mismatch' "$W/badname.json"
check "other host name: no SIP sent (flow never up)" bash -c "! grep -q 'flow .* up' $W/badname.log"
hd_stop

# 6. A certificate from a CA we do not trust.
hd_start badca "${TLS_BASE[@]/\/ca.crt/\/otherca.crt}"
check "untrusted CA: status No reply from server" wait_status badca "No reply from server" 10
echo "# reason: $(field badca reason)"
check "untrusted CA: reason says certificate rejected" \
	bash -c "grep -q 'server certificate rejected' $W/badca.json"
hd_stop

# 7. The DNS name in the certificate, sent as SNI and verified.
hd_start sni "${TLS_BASE[@]}" "sip.tls.server_name = registrar.test"
check "server name registrar.test: status Successful" wait_status sni Successful 10
hd_stop

# 7b. The proxy given by name: looked up off the loop, verified and sent as
# SNI by that name. Only where localhost means 127.0.0.1 alone, so nothing
# goes to another address.
if [ "$(getent ahosts localhost | awk '{print $1}' | sort -u)" = 127.0.0.1 ]; then
	hd_start byname "${TLS_BASE[@]/127.0.0.1:$P_TLS/localhost:$P_TLS}"
	check "proxy by name (localhost): status Successful" wait_status byname Successful 10
	check "proxy by name: connected to the address it resolved to" \
		grep -q "connecting to localhost:$P_TLS (127.0.0.1)" "$W/byname.log"
	hd_stop
else
	echo "ok proxy by name # SKIP localhost is not only 127.0.0.1 here"
fi

# 7c. Mutual TLS: a port that requires a client certificate from our CA.
mk_cert client ca "DNS:herald.test" || not_ok "client certificate"
MTLS_BASE=("${TLS_BASE[@]/127.0.0.1:$P_TLS/127.0.0.1:$P_MTLS}")
hd_start nocert "${MTLS_BASE[@]}"
check "client cert required, none given: No reply from server" \
	wait_status nocert "No reply from server" 10
echo "# reason: $(field nocert reason)"
hd_stop
hd_start mtls "${MTLS_BASE[@]}" "sip.tls.cert = $W/client.crt" "sip.tls.key = $W/client.key"
check "client cert given: status Successful" wait_status mtls Successful 10
hd_stop

# 8. verify = off accepts the untrusted certificate (and says so in the log).
hd_start noverify "${TLS_BASE[@]/\/ca.crt/\/otherca.crt}" "sip.tls.verify = off"
check "verify off: status Successful" wait_status noverify Successful 10
check "verify off: warned in the log" grep -q 'NOT verified' "$W/noverify.log"
hd_stop

# 9. TCP and UDP.
for tp in tcp udp; do
	hd_start $tp "sip.proxy = 127.0.0.1:$P_TCP" "sip.transport = $tp" \
		"sip.u1.user = 1000" "sip.u1.password = s3cret-1000"
	check "$tp: status Successful" wait_status $tp Successful 10
	check "$tp: Kamailio holds the binding over $tp" \
		bash -c "[[ \"\$(kamcmd -s unix:$W/ctl.sock ul.dump)\" == *';transport=$tp'* ]]"
	hd_stop
	check "$tp: unregistered on SIGTERM" test -z "$(bindings 1000)"
done
# 10. Under valgrind: register over TLS, lose the server, get it back,
# unregister; no memory error and nothing leaked.
if command -v valgrind >/dev/null; then
	HD_WRAP="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9"
	hd_start valgrind "${TLS_BASE[@]}"
	HD_WRAP=
	check "valgrind: status Successful" wait_status valgrind Successful 90
	kam_stop
	check "valgrind: server stopped, No reply from server" wait_status valgrind "No reply from server" 60
	kam_start MD5
	check "valgrind: server back, Successful" wait_status valgrind Successful 90
	hd_stop
	rc=$?
	check "valgrind: no memory error, no leak (exit $rc)" test "$rc" = 0
	check "valgrind: unregistered" grep -q 'u1 (1000): unregistered' "$W/valgrind.log"
	grep -E 'ERROR SUMMARY|definitely lost' "$W/valgrind.log" | sed 's/^/# /'
else
	echo "ok valgrind # SKIP valgrind not installed"
fi
kam_stop

# 11. UDP to a peer that never answers: timer E retransmits (0.5, 1, 2, 4,
# 4 ... s apart), timer F gives up after 32 s: "No reply from server".
"$PY" - "$P_NONE" "$W/udp-count" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2] + ".ready", "w").close()
s.settimeout(40)
times = []
t0 = None
try:
    while True:
        d, a = s.recvfrom(65535)
        if not d.startswith(b"REGISTER"):
            continue
        now = time.monotonic()
        t0 = t0 or now
        if now - t0 > 31.0:   # timer F has fired by 32 s; a new attempt follows 30 s later
            break
        times.append(round(now - t0, 2))
        open(sys.argv[2], "w").write(" ".join(map(str, times)))
except socket.timeout:
    pass
EOF
PIDS+=($!)
wait_file "$W/udp-count.ready"
hd_start udpnone "sip.proxy = 127.0.0.1:$P_NONE" "sip.transport = udp" \
	"sip.u1.user = 1000" "sip.u1.password = s3cret-1000"
check "udp, no answer: Registering meanwhile" wait_status udpnone Registering 3
check "udp, no answer: No reply from server after timer F" wait_status udpnone "No reply from server" 36
echo "# REGISTER sent at: $(cat "$W/udp-count" 2>/dev/null) s"
check "udp, no answer: timer E doubles from T1 to T2 (gaps .5 1 2 4 4 ... s)" "$PY" - "$W/udp-count" <<'EOF'
import sys
t = [float(x) for x in open(sys.argv[1]).read().split()]
# Gaps, not absolute times: each timer is set from the previous firing, so
# lateness on a loaded host adds up without being wrong. A timer may fire
# late under load, never early: each gap is at least its value (less the
# receiver's own scheduling noise); the shape is what is judged: doubling
# from T1, then held at T2 (a gap that doubled past T2 would be 8 s).
want = [0.5, 1, 2, 4, 4, 4, 4]
gaps = [b - a for a, b in zip(t, t[1:])]
ok = (len(gaps) >= len(want) and all(g > w - 0.3 for g, w in zip(gaps, want)) and
      all(g < 7.5 for g in gaps[3:]))
sys.exit(not ok)
EOF
hd_stop

# 12. A peer of our own over TCP: it answers REGISTER, then sends heraldd an
# OPTIONS (answered by the call layer: 200), a REGISTER (a UA takes none:
# 405) and a request without a CSeq (400), and waits for a CRLF keep-alive.
"$PY" - "$P_PEER" "$W/peer.out" <<'EOF' &
import re, socket, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(1)
open(sys.argv[2] + ".ready", "w").close()
srv.settimeout(15)
c, _ = srv.accept()
c.settimeout(10)
buf = b""
out = open(sys.argv[2], "w")

def read_msg():
    global buf
    while True:
        while buf.startswith(b"\r\n"):
            out.write("keepalive\n"); out.flush()
            buf = buf[4:] if buf.startswith(b"\r\n\r\n") else buf[2:]
        i = buf.find(b"\r\n\r\n")
        if i >= 0:
            m = re.search(rb"\r\ncontent-length:\s*(\d+)", buf[:i], re.I)
            n = int(m.group(1)) if m else 0
            if len(buf) >= i + 4 + n:
                msg, buf = buf[:i + 4 + n], buf[i + 4 + n:]
                return msg.decode()
        d = c.recv(65536)
        if not d:
            raise EOFError
        buf += d

def hdr(msg, name):
    m = re.search(r"\r\n" + name + r":\s*([^\r]*)", msg, re.I)
    return m.group(1) if m else ""

registers = 0

def answer_register(reg):
    global registers
    registers += 1
    out.write("register %d\n" % registers); out.flush()
    # expires=2: heraldd must refresh after 1 s (half the grant under 120 s)
    resp = ("SIP/2.0 200 OK\r\nVia: %s\r\nFrom: %s\r\nTo: %s;tag=peer\r\nCall-ID: %s\r\n"
            "CSeq: %s\r\nContact: %s;expires=2\r\nContent-Length: 0\r\n\r\n") % (
        hdr(reg, "Via"), hdr(reg, "From"), hdr(reg, "To"), hdr(reg, "Call-ID"), hdr(reg, "CSeq"),
        hdr(reg, "Contact"))
    c.sendall(resp.encode())

def read_other():
    """The next message that is not a REGISTER (those are answered here)."""
    while True:
        m = read_msg()
        if m.startswith("REGISTER "):
            answer_register(m)
        else:
            return m

answer_register(read_msg())

def req(method, cseq=True):
    return ("%s sip:1000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:%s;branch=z9hG4bK%s\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:peer@127.0.0.1>;tag=p\r\nTo: <sip:1000@127.0.0.1>\r\n"
            "Call-ID: %s@peer\r\n%sContent-Length: 0\r\n\r\n") % (
        method, sys.argv[1], method.lower(), method.lower(),
        "CSeq: 1 %s\r\n" % method if cseq else "")

try:
    for method, cseq in (("OPTIONS", True), ("REGISTER", True), ("INFO", False)):
        c.sendall(req(method, cseq).encode())
        r = read_other()
        out.write("%s %s\n" % (method if cseq else "NOCSEQ", r.split("\r\n")[0])); out.flush()
    read_other()
except (EOFError, OSError):
    pass	# heraldd stopped: the end of the test, the request without CSeq unanswered
EOF
PIDS+=($!)
wait_file "$W/peer.out.ready"
hd_start peer "sip.proxy = 127.0.0.1:$P_PEER" "sip.transport = tcp" "sip.keepalive = 1" \
	"sip.u1.user = 1000" "sip.u1.password = x"
check "own peer: status Successful (no challenge)" wait_status peer Successful 5
sleep 2.5
echo "# peer saw: $(tr '\n' ';' < "$W/peer.out" 2>/dev/null)"
check "own peer: OPTIONS -> 200 from the call layer" grep -q '^OPTIONS SIP/2.0 200' "$W/peer.out"
check "own peer: REGISTER to the UA -> 405" grep -q '^REGISTER SIP/2.0 405' "$W/peer.out"
check "own peer: refreshed before the 2 s grant ran out" grep -q '^register 3' "$W/peer.out"
check "own peer: request without CSeq -> dropped, flow kept" \
	bash -c "! grep -q '^NOCSEQ' $W/peer.out && grep -q keepalive $W/peer.out"
hd_stop

# 13. The configuration is checked whole.
printf '%s\n' "sip.proxy = registrar_example.org" "sip.u1.user = 1000" > "$W/bad1.conf"
check "config: a proxy that is no host name is refused" \
	bash -c "! $HERALDD --check-config -c $W/bad1.conf 2>/dev/null"
(umask 077; printf '%s\n' "sip.proxy = 127.0.0.1" "sip.u1.password = x" > "$W/bad2.conf")
check "config: a password without its user is refused" \
	bash -c "! $HERALDD --check-config -c $W/bad2.conf 2>&1 | grep -q OK &&
		$HERALDD --check-config -c $W/bad2.conf 2>&1 | grep -q user"
(umask 077; printf '%s\n' "sip.proxy = 127.0.0.1" "sip.u1.user = 1000" "sip.u1.password = p=w d" \
	"sip.transport = udp" > "$W/good.conf")
check "config: a valid sip.* file passes --check-config" \
	"$HERALDD" --check-config -c "$W/good.conf"
cp "$W/good.conf" "$W/open.conf"
chmod 644 "$W/open.conf"
check "config: a password in a file others can read is refused, the password not shown" \
	bash -c "out=\$($HERALDD --check-config -c $W/open.conf 2>&1); [ \$? != 0 ] &&
		printf '%s' \"\$out\" | grep -q 'readable by group or others' &&
		! printf '%s' \"\$out\" | grep -q 'p=w d'"

tap_done
