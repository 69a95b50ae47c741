#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# Object lifetimes against their owners, with traffic flowing.
#
# (a) A stream on a socket the caller owns (HERALD_STREAM_A_FD): python3
#     binds a UDP socket and runs `heraldctl stream add fd N` with the fd
#     passed. SRTP sent to that socket goes to the stream's output and never
#     reaches python; an RTCP packet (PT 200) is passed on to python's
#     socket untouched (counted "passed"). When python closes the socket the
#     stream is gone.
# (c) A namespace holding streams and outputs is deleted (ip netns del)
#     while traffic flows into it: the namespace really goes (its veth peer
#     disappears), no oops, no warning.
# (b) rmmod while ~5,000 packets/s flow through a stream with two outputs:
#     rmmod succeeds (retried while busy), no oops or warning; the module
#     loads again and works, and unreclaimable slab has not grown by more
#     than a few MB over three such cycles.
#
#   n1 sender --(subnet 1)-- n2 herald --(subnet 2)-- n3 receivers
#   n4 sender --(subnet 3)-- n5 herald (the namespace deleted in (c))
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
PY=/usr/bin/python3
command -v $PY >/dev/null 2>&1 || PY=python3
SUITE=AES_CM_128_HMAC_SHA1_80
TMP=/tmp/lifetime
mkdir -p $TMP

netns_add 1 2 3 4 5
netns_link 1 2
netns_link 2 3
netns_link 4 5
GW=$(addr4 1 2)
RX=$(addr4 2 3)

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
stats_of() { sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p'; }
wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt "${2:-100}" ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}
stream_stat() { n2 "$H" -j stream show id "$1" | stats_of | field "$2"; }
# ns_kill I: end every process of herald-nI (the senders started there;
# `nI cmd &` leaves $! the subshell's pid, not the command's)
ns_kill() {
	for _p in $(ip netns pids "herald-n$1" 2>/dev/null); do kill "$_p" 2>/dev/null; done
	sleep 0.2
}
slab_kb() { sed -n 's/^SUnreclaim: *\([0-9]*\) kB/\1/p' /proc/meminfo; }

dmesg_mark

# ---- (a) a stream on the caller's socket ------------------------------------------
K=$(openssl rand -base64 30)
o=$(n2 "$H" -j output add dst "$RX" port 7101 plaintext | first_id)
cat >$TMP/owner.py <<'EOF'
# The socket owner: bind, hand the fd to heraldctl, report what reaches us,
# close when told to.
import json, os, socket, subprocess, sys, time
heraldctl, addr, port, key, out, tmp = sys.argv[1:7]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, int(port)))
fd = s.fileno()
r = subprocess.run([heraldctl, "-j", "stream", "add", "fd", str(fd), "suite",
                    "AES_CM_128_HMAC_SHA1_80", "key", "inline:" + key,
                    "output", out], pass_fds=(fd,), capture_output=True, text=True)
with open(tmp + "/add", "w") as f:
    f.write(r.stdout + r.stderr)
if r.returncode:
    sys.exit(1)
got = []
s.settimeout(0.2)
while not os.path.exists(tmp + "/close"):
    try:
        got.append(s.recv(2048).hex())
    except socket.timeout:
        pass
with open(tmp + "/got", "w") as f:
    json.dump(got, f)
s.close()
with open(tmp + "/closed", "w") as f:
    f.write("closed\n")
# Stay alive until told: only the close may end the stream.
for i in range(300):
    if os.path.exists(tmp + "/exit"):
        break
    time.sleep(0.1)
EOF
n2 $PY $TMP/owner.py "$H" "$GW" 5004 "$K" "$o" $TMP &
ppid=$!
if wait_file $TMP/add 150; then
	s=$(first_id <$TMP/add)
else
	s=
fi
if [ -n "$s" ] && has "$(n2 "$H" -j stream show id "$s")" "\"id\":$s,"; then
	ok "fd stream: heraldctl stream add fd (socket owned by python) made stream $s"
else
	not_ok "fd stream: stream add fd" "$(cat $TMP/add 2>/dev/null)"
fi
n3 "$T/srtp-recv" --plain --count 50 --expect 50 --timeout 3 --start-timeout 60 \
	--ready-file $TMP/rx.ready "0.0.0.0:7101" >$TMP/rx 2>&1 &
rpid=$!
wait_file $TMP/rx.ready
n1 "$T/srtp-send" --suite $SUITE --key "$K" --count 50 --rate 200 "$GW:5004" >$TMP/sent 2>&1
# RTCP sender report header (V=2, PT 200, length 6) + SSRC and 20 bytes.
RTCP=80c8000612345678000000010000000200000003000000040000000500000006
n1 $PY -c "import socket,sys; socket.socket(socket.AF_INET,socket.SOCK_DGRAM).sendto(bytes.fromhex(sys.argv[1]),(sys.argv[2],5004))" \
	$RTCP "$GW"
wait $rpid
rrc=$?
sleep 0.5
: >$TMP/close
wait_file $TMP/closed 100
if [ $rrc = 0 ] && [ "$(field payload_sha256 <$TMP/rx)" = "$(field payload_sha256 <$TMP/sent)" ]; then
	ok "fd stream: SRTP sent to the socket went through to the output (50 packets)"
else
	not_ok "fd stream: output receiver (status $rrc)" "$(cat $TMP/rx)"
fi
if [ "$(cat $TMP/got 2>/dev/null)" = "[\"$RTCP\"]" ]; then
	ok "fd stream: the RTCP packet, and only it, reached python's socket unchanged"
else
	not_ok "fd stream: python's socket got" "$(cat $TMP/got 2>/dev/null)"
fi
# Counters survive only while the stream does; read them from the dump
# taken before the close would be racy, so check after: none left.
js=$(n2 "$H" -j stream show 2>&1)
if [ -s $TMP/closed ] && ! has "$js" "\"id\":$s,"; then
	ok "fd stream: gone once python closed the socket"
else
	not_ok "fd stream: still there after close" "$js"
fi
check_fails "fd stream: stream show id $s fails" n2 "$H" stream show id "$s"
: >$TMP/exit
wait $ppid

# The same once more, reading the counters before the close.
rm -f $TMP/add $TMP/close $TMP/closed $TMP/got $TMP/exit
n2 $PY $TMP/owner.py "$H" "$GW" 5004 "$K" "$o" $TMP &
ppid=$!
wait_file $TMP/add 150
s=$(first_id <$TMP/add)
n1 "$T/srtp-send" --suite $SUITE --key "$K" --count 20 --rate 200 "$GW:5004" >/dev/null 2>&1
n1 $PY -c "import socket,sys; socket.socket(socket.AF_INET,socket.SOCK_DGRAM).sendto(bytes.fromhex(sys.argv[1]),(sys.argv[2],5004))" \
	$RTCP "$GW"
sleep 0.3
if [ -n "$s" ] && [ "$(stream_stat "$s" packets)" = 20 ] && [ "$(stream_stat "$s" passed)" = 1 ]; then
	ok "fd stream: counters: 20 accepted, 1 passed on to the socket"
else
	not_ok "fd stream: counters" "$(n2 "$H" -j stream show id "$s")"
fi
: >$TMP/close
wait_file $TMP/closed 100
sleep 0.2
check_fails "fd stream: gone after the second close too" n2 "$H" stream show id "$s"
: >$TMP/exit
wait $ppid
n2 "$H" output del id "$o"

# ---- (c) a namespace deleted under traffic ------------------------------------------
K5=$(openssl rand -base64 30)
o1=$(n5 "$H" -j output add dst "$(addr4 3 4)" port 7201 suite $SUITE key "inline:$(openssl rand -base64 30)" | first_id)
o2=$(n5 "$H" -j output add dst "$(addr6 3 4)" port 7202 plaintext | first_id)
s1=$(n5 "$H" -j stream add local "$(addr4 3 5)" port 5004 suite $SUITE key "inline:$K5" \
	output "$o1" output "$o2" | first_id)
s2=$(n5 "$H" -j stream add local "$(addr6 3 5)" port 5006 suite $SUITE key "inline:$K5" \
	output "$o1" | first_id)
if [ -n "$o1" ] && [ -n "$o2" ] && [ -n "$s1" ] && [ -n "$s2" ]; then
	ok "netns: two streams and two outputs in herald-n5"
else
	not_ok "netns: set up herald-n5"
fi
n4 "$T/srtp-send" --suite $SUITE --key "$K5" --count 20000 --rate 2000 --quiet "$(addr4 3 5):5004" \
	>/dev/null 2>&1 &
q1=$!
n4 "$T/srtp-send" --suite $SUITE --key "$K5" --count 20000 --rate 1000 --quiet "[$(addr6 3 5)]:5006" \
	>/dev/null 2>&1 &
q2=$!
i=0
while [ "$(n5 "$H" -j stream show id "$s1" | stats_of | field packets)" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
p1=$(n5 "$H" -j stream show id "$s1" | stats_of | field packets)
p2=$(n5 "$H" -j output show id "$o1" | stats_of | field packets)
if [ -n "$p1" ] && [ "$p1" -gt 0 ] && [ -n "$p2" ] && [ "$p2" -gt 0 ]; then
	ok "netns: traffic flows ($p1 accepted, output sent $p2)"
else
	not_ok "netns: no traffic before the deletion" "stream '$p1' output '$p2'"
	n5 "$H" -j stream show | sed 's/^/# /'
	n5 "$H" -j output show | sed 's/^/# /'
fi
ip netns del herald-n5
i=0
while n4 ip link show to_n5 >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if n4 ip link show to_n5 >/dev/null 2>&1; then
	not_ok "netns: herald-n5 was not destroyed (its veth is still there after 10 s)"
else
	ok "netns: herald-n5 destroyed under traffic"
fi
sleep 1
ns_kill 4
wait $q1 $q2 2>/dev/null
check_dmesg_clean "netns: no oops or warning"
check "netns: the module still answers in other namespaces" n2 "$H" stream show

# ---- (b) rmmod under traffic ---------------------------------------------------------
slab0=$(slab_kb)
for cycle in 1 2 3; do
	dmesg_mark
	herald_loaded || herald_load || { not_ok "rmmod cycle $cycle: load"; break; }
	kz=$(openssl rand -base64 30)
	oa=$(n2 "$H" -j output add dst "$RX" port 7301 suite $SUITE key "inline:$kz" | first_id)
	ob=$(n2 "$H" -j output add dst "$(addr6 2 3)" port 7302 plaintext | first_id)
	s=$(n2 "$H" -j stream add local "$GW" port 5004 suite $SUITE key "inline:$K" \
		output "$oa" output "$ob" | first_id)
	[ -n "$oa" ] && [ -n "$ob" ] && [ -n "$s" ] || { not_ok "rmmod cycle $cycle: set up"; break; }
	n1 "$T/srtp-send" --suite $SUITE --key "$K" --count 1000000 --rate 5000 --quiet "$GW:5004" \
		>/dev/null 2>&1 &
	q=$!
	# The sender takes a moment to start under TCG: wait for the first
	# packets, then measure the rate over one second.
	i=0
	while [ "$(stream_stat "$s" packets)" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	p0=$(stream_stat "$s" packets)
	sleep 1
	p=$(stream_stat "$s" packets)
	if [ -n "$p0" ] && [ -n "$p" ] && [ "$p" -gt "$p0" ]; then
		ok "rmmod cycle $cycle: traffic flows ($((p - p0)) packets/s through two outputs)"
	else
		not_ok "rmmod cycle $cycle: no traffic" "$(n2 "$H" -j stream show id "$s")"
	fi
	i=0
	while ! rmmod herald 2>$TMP/rmmod.err && [ $i -lt 10 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	if herald_loaded; then
		not_ok "rmmod cycle $cycle: rmmod under traffic" "$(cat $TMP/rmmod.err)"
	else
		ok "rmmod cycle $cycle: rmmod under traffic succeeded (after $i retries)"
	fi
	sleep 0.5
	ns_kill 1
	wait $q 2>/dev/null
	check_dmesg_clean "rmmod cycle $cycle: no oops or warning"
	diag "SUnreclaim after cycle $cycle: $(slab_kb) kB (before: $slab0 kB)"
done
slab1=$(slab_kb)
if [ -n "$slab0" ] && [ -n "$slab1" ] && [ $((slab1 - slab0)) -lt 4096 ]; then
	ok "slab: SUnreclaim $slab0 -> $slab1 kB over three load/traffic/rmmod cycles"
else
	not_ok "slab: SUnreclaim grew from $slab0 to $slab1 kB"
fi
check "reload: herald.ko loads again" herald_load
o=$(n2 "$H" -j output add dst "$RX" port 7401 plaintext | first_id)
s=$(n2 "$H" -j stream add local "$GW" port 5004 suite $SUITE key "inline:$K" output "$o" | first_id)
n1 "$T/srtp-send" --suite $SUITE --key "$K" --count 30 --rate 200 "$GW:5004" >/dev/null 2>&1
if [ -n "$s" ] && [ "$(stream_stat "$s" packets)" = 30 ]; then
	ok "reload: the reloaded module passes traffic (30 packets)"
else
	not_ok "reload: traffic after reload" "$(n2 "$H" -j stream show 2>&1)"
fi
tap_done
