#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of the libsrtp2 test tools (tests/tools): they are the yardstick
# the VM tests hold herald.ko against, so they are checked here first, on
# loopback only (multicast inside a private network namespace), against each
# other, against a real capture and against ffmpeg's SRTP. Prints TAP-style
# "ok NAME" / "not ok NAME" lines; exits 1 if any check failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=${HERALD_TOOLS:-$ROOT/build/tests/tools}
FIXTURE=${HERALD_FIXTURE:-$ROOT/../shared/fixtures/marseillaise-srtp.pcap}
FIXTURE_KEY=aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz
W=$(mktemp -d /tmp/t-srtp-tools.XXXXXX)
PIDS=()
failed=0
passed=0

cleanup()
{
	local p

	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$W"
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

skip()
{
	echo "ok $1 # SKIP $2"
}

# check NAME CONDITION-COMMAND...: one TAP line from a command's status.
check()
{
	local name=$1

	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# jget FILE KEY: one field of a tool's JSON line.
jget()
{
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1])).get(sys.argv[2])
print("" if v is None else v)' "$1" "$2" 2>/dev/null
}

# jeq FILE KEY VALUE: the field equals VALUE; prints the mismatch otherwise.
jeq()
{
	local v

	v=$(jget "$1" "$2")
	[ "$v" = "$3" ] && return 0
	echo "#   $(basename "$1"): $2 = '$v', want '$3'" >&2
	return 1
}

# key BYTES: a random SDES key of BYTES bytes (master key || salt).
key()
{
	head -c "$1" /dev/urandom | base64 -w0
}

# recv_start NAME ADDR ARGS...: srtp-recv in the background on port 0;
# sets RPID and RPORT once the socket is bound. Output in $W/NAME.json.
recv_start()
{
	local name=$1 addr=$2 i

	shift 2
	rm -f "$W/$name.ready"
	"$T/srtp-recv" --ready-file "$W/$name.ready" --timeout 1 \
		--start-timeout 10 "$@" "$(host_port "$addr" 0)" >"$W/$name.json" \
		2>"$W/$name.err" &
	RPID=$!
	PIDS+=("$RPID")
	for i in $(seq 500); do
		[ -s "$W/$name.ready" ] && break
		kill -0 "$RPID" 2>/dev/null || break
		sleep 0.01
	done
	RPORT=$(cat "$W/$name.ready" 2>/dev/null)
	[ -n "$RPORT" ]
}

# recv_wait: status of the receiver started last.
recv_wait()
{
	wait "$RPID"
}

# host_port ADDR PORT: ADDR:PORT with brackets for a bare IPv6 address.
host_port()
{
	case $1 in
	\[*) echo "$1:$2" ;;
	*:*) echo "[$1]:$2" ;;
	*) echo "$1:$2" ;;
	esac
}

# ---------------------------------------------------------------------------
if ! make -s -C "$ROOT" test-tools >"$W/build.log" 2>&1; then
	cat "$W/build.log" >&2
	not_ok "build test tools"
	echo "# $passed passed, $failed failed"
	exit 1
fi
ok "build test tools"

# Every suite, both families: what the sender sent is what the receiver got.
# The sequence starts at 65400 so each stream crosses the 16-bit wrap (ROC).
declare -A KEYLEN=(
	[AES_CM_128_HMAC_SHA1_80]=30 [AES_CM_128_HMAC_SHA1_32]=30
	[AES_192_CM_HMAC_SHA1_80]=38 [AES_192_CM_HMAC_SHA1_32]=38
	[AES_256_CM_HMAC_SHA1_80]=46 [AES_256_CM_HMAC_SHA1_32]=46
	[AEAD_AES_128_GCM]=28 [AEAD_AES_256_GCM]=44
)
# (AES-192 here is libsrtp2 against itself: see tests/tools/README.md.)
for suite in $("$T/srtp-send" --list-suites); do
	for addr in 127.0.0.1 ::1; do
		name="roundtrip $suite $addr"
		k=$(key "${KEYLEN[$suite]}")
		if ! recv_start rt "$addr" --suite "$suite" --key "$k" \
			--count 300 --expect 300 --check-pattern; then
			not_ok "$name" "receiver did not start"
			continue
		fi
		"$T/srtp-send" --suite "$suite" --key "inline:$k|2^31" \
			--count 300 --rate 0 --seq 65400 \
			"$(host_port "$addr" "$RPORT")" >"$W/rt-send.json" \
			2>"$W/rt-send.err"
		if recv_wait &&
		   jeq "$W/rt.json" payload_sha256 \
			"$(jget "$W/rt-send.json" payload_sha256)" &&
		   jeq "$W/rt.json" lost 0 && jeq "$W/rt.json" last_seq 163; then
			ok "$name"
		else
			not_ok "$name"
		fi
	done
done

# The key length must match the suite: a 128-bit key is refused for AES-256.
k=$(key 30)
"$T/srtp-send" --suite AES_256_CM_HMAC_SHA1_80 --key "$k" --count 1 \
	127.0.0.1:9 >/dev/null 2>&1
check "key length checked against the suite" [ $? -eq 2 ]
"$T/srtp-send" --key "${k%?}!" --count 1 127.0.0.1:9 >/dev/null 2>&1
check "malformed base64 key refused" [ $? -eq 2 ]

# MKI rotation at packet 150, paced: a receiver holding both keys loses
# nothing; one holding only the first key proves the switch happened.
k1=$(key 30)
k2=$(key 30)
send_mki()
{
	"$T/srtp-send" --key "inline:$k1|2^20|1:4" --key2 "$k2" --mki2 2:4 \
		--switch-at 150 --count 300 --rate 1500 "127.0.0.1:$RPORT" \
		>"$W/mki-send.json"
}
if recv_start mki 127.0.0.1 --key "inline:$k1|2^20|1:4" \
	--key "inline:$k2|2^20|2:4" --count 300 --expect 300 --order seq; then
	send_mki
	check "MKI rotation without loss" eval 'recv_wait &&
		jeq "$W/mki.json" payload_sha256 \
			"$(jget "$W/mki-send.json" payload_sha256)"'
else
	not_ok "MKI rotation without loss" "receiver did not start"
fi
if recv_start mki1 127.0.0.1 --key "inline:$k1|2^20|1:4" --count 300 \
	--expect 150 --allow-fail; then
	send_mki
	check "MKI rotation: old key alone stops at the switch" eval 'recv_wait &&
		jeq "$W/mki1.json" bad_mki 150 && jeq "$W/mki1.json" last_seq 1149'
else
	not_ok "MKI rotation: old key alone stops at the switch" "no receiver"
fi

# Tampering: every 10th packet has one bit flipped; the receiver rejects
# exactly those and keeps the rest intact.
tamper_case()
{
	local suite=$1 where=$2 k=$3 field=$4 name

	name="tamper $where $suite rejected"
	if ! recv_start tp 127.0.0.1 --suite "$suite" --key "$k" --count 100 \
		--expect 90 --allow-fail --check-pattern; then
		not_ok "$name" "receiver did not start"
		return
	fi
	"$T/srtp-send" --suite "$suite" --key "$k" --tamper "$where" \
		--count 100 --rate 0 "127.0.0.1:$RPORT" >"$W/tp-send.json"
	if recv_wait && jeq "$W/tp.json" "$field" 10 &&
	   jeq "$W/tp.json" payload_sha256 \
		"$(jget "$W/tp-send.json" valid_sha256)"; then
		ok "$name"
	else
		not_ok "$name"
	fi
}
k=$(key 30)
tamper_case AES_CM_128_HMAC_SHA1_80 tag:9 "$k" auth_fail
tamper_case AES_CM_128_HMAC_SHA1_80 payload:17 "$k" auth_fail
tamper_case AES_CM_128_HMAC_SHA1_80 header:1 "$k" auth_fail
k=$(key 28)
tamper_case AEAD_AES_128_GCM tag:0 "$k" auth_fail
tamper_case AEAD_AES_128_GCM payload:0 "$k" auth_fail
k=$(key 30)
tamper_case AES_CM_128_HMAC_SHA1_80 "mki:1" "inline:$k|7:2" bad_mki
k=$(key 44)
tamper_case AEAD_AES_256_GCM "mki:0" "inline:$k|9:1" bad_mki
tamper_case AEAD_AES_256_GCM "tag:15" "inline:$k|9:1" auth_fail

# Duplicates are replays; with reordering, sequence order restores the stream.
k=$(key 30)
if recv_start dup 127.0.0.1 --key "$k" --count 120 --expect 100 \
	--allow-fail --order seq; then
	"$T/srtp-send" --key "$k" --duplicate 5 --reorder 7 --count 100 \
		--rate 0 "127.0.0.1:$RPORT" >"$W/dup-send.json"
	check "duplicates counted as replays, reordering undone" eval 'recv_wait &&
		jeq "$W/dup.json" replay 20 && jeq "$W/dup.json" lost 0 &&
		[ "$(jget "$W/dup.json" reordered)" -gt 0 ] &&
		jeq "$W/dup.json" payload_sha256 \
			"$(jget "$W/dup-send.json" payload_sha256)"'
else
	not_ok "duplicates counted as replays, reordering undone" "no receiver"
fi

# A wrong key: everything fails authentication and the verdict fails.
k=$(key 30)
if recv_start wk 127.0.0.1 --key "$k" --count 50; then
	"$T/srtp-send" --key "$k" --wrong-key --count 50 --rate 0 \
		"127.0.0.1:$RPORT" >/dev/null
	recv_wait
	rc=$?
	check "wrong key rejected" eval '[ $rc -eq 1 ] &&
		jeq "$W/wk.json" auth_fail 50 && jeq "$W/wk.json" decrypted 0'
else
	not_ok "wrong key rejected" "receiver did not start"
fi

# Plain RTP: duplicates dropped like SRTP replays, payload damage detected.
if recv_start pl ::1 --plain --count 105 --expect 100 --allow-fail \
	--check-pattern; then
	"$T/srtp-send" --plain --duplicate 20 --tamper payload:30:50 \
		--count 100 --rate 0 "[::1]:$RPORT" >/dev/null
	check "plain RTP: duplicates and damaged payloads counted" eval 'recv_wait &&
		jeq "$W/pl.json" replay 5 && jeq "$W/pl.json" pattern_bad 2'
else
	not_ok "plain RTP: duplicates and damaged payloads counted" "no receiver"
fi

# Multicast, IPv4 and IPv6, in a network namespace of our own (veth pair).
mcast_case()
{
	local group=$1 dst=$2 k

	k=$(key 30)
	recv_start "mc" "$dst" --key "$k" --group "$group" --iface v0 \
		--count 50 --expect 50 || return 1
	"$T/srtp-send" --quiet --key "$k" --ttl 1 --iface v0 --count 50 \
		--rate 0 "$dst:$RPORT" && recv_wait
}
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	export T W
	export -f recv_start recv_wait mcast_case key host_port
	unshare -n bash -c '
		PIDS=()
		ip link set lo up &&
		ip link add v0 type veth peer name v1 &&
		ip link set v0 up && ip link set v1 up &&
		ip addr add 10.99.0.1/24 dev v0 &&
		ip -6 addr add fd99::1/64 dev v0 nodad || exit 3
		mcast_case 239.9.9.9 239.9.9.9 || exit 1
		mcast_case ff15::99 "[ff15::99]" || exit 2' >/dev/null 2>&1
	case $? in
	0) ok "multicast IPv4 and IPv6 with --group/--iface/--ttl" ;;
	3) skip "multicast" "no veth in a private network namespace" ;;
	*) not_ok "multicast IPv4 and IPv6 with --group/--iface/--ttl" ;;
	esac
else
	skip "multicast" "needs root and unshare"
fi

# The real capture: offline decryption, then replay into srtp-recv.
if [ -r "$FIXTURE" ]; then
	"$T/pcap-replay" --decrypt --key "$FIXTURE_KEY" "$FIXTURE" \
		>"$W/pcap-dec.json"
	rc=$?
	check "fixture decrypts offline: 11888 packets" eval '[ $rc -eq 0 ] &&
		jeq "$W/pcap-dec.json" decrypted 11888 &&
		jeq "$W/pcap-dec.json" auth_fail 0'
	check "fixture first payload begins d5 55 d5 55" eval \
		'[[ $(jget "$W/pcap-dec.json" first_payload) == d555d555* ]]'
	if recv_start pr 127.0.0.1 --key "$FIXTURE_KEY" --count 11888 \
		--expect 11888; then
		"$T/pcap-replay" --to "127.0.0.1:$RPORT" "$FIXTURE" >/dev/null
		check "fixture replayed to srtp-recv: all 11888 decrypt" eval '
			recv_wait && jeq "$W/pr.json" payload_sha256 \
				"$(jget "$W/pcap-dec.json" payload_sha256)"'
	else
		not_ok "fixture replayed to srtp-recv: all 11888 decrypt" "no receiver"
	fi
else
	skip "fixture" "$FIXTURE absent"
fi

# An implementation nobody here wrote: ffmpeg's SRTP, both directions, with
# G.711 A-law audio made by sox.
free_port_pair()
{
	local p

	for _ in $(seq 50); do
		p=$((40000 + 2 * (RANDOM % 10000)))
		ss -Hulan "( sport = :$p or sport = :$((p + 1)) )" | grep -q . ||
			{ echo "$p"; return 0; }
	done
	return 1
}
if command -v ffmpeg >/dev/null && command -v sox >/dev/null; then
	sox -n -r 8000 -c 1 -e a-law -t raw "$W/tone.al" synth 2 sine 440 \
		2>/dev/null
	k=$(key 30)
	p=$(free_port_pair)
	cat >"$W/in.sdp" <<-EOF
	v=0
	o=- 0 0 IN IP4 127.0.0.1
	s=herald
	c=IN IP4 127.0.0.1
	t=0 0
	m=audio $p RTP/SAVP 8
	a=rtpmap:8 PCMA/8000
	a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$k
	EOF
	timeout 15 ffmpeg -nostdin -hide_banner -loglevel error \
		-protocol_whitelist file,udp,rtp,srtp -i "$W/in.sdp" -c copy \
		-frames:a 100 -f alaw -y "$W/ff.al" 2>"$W/ff.err" &
	fpid=$!
	PIDS+=("$fpid")
	for _ in $(seq 300); do
		ss -Hulan "sport = :$p" | grep -q . && break
		sleep 0.02
	done
	"$T/srtp-send" --quiet --key "$k" --payload-file "$W/tone.al" --pt 8 \
		--rate 500 "127.0.0.1:$p"
	check "srtp-send -> ffmpeg SRTP: A-law bytes identical" eval \
		'wait $fpid && cmp -s "$W/ff.al" "$W/tone.al"'

	k=$(key 30)
	if recv_start ff 127.0.0.1 --key "$k" --expect 50 --out "$W/fr.al"; then
		timeout 15 ffmpeg -nostdin -hide_banner -loglevel error -f alaw \
			-ar 8000 -ac 1 -i "$W/tone.al" -c:a copy -f rtp \
			-srtp_out_suite AES_CM_128_HMAC_SHA1_80 \
			-srtp_out_params "$k" "srtp://127.0.0.1:$RPORT" \
			>/dev/null 2>&1
		check "ffmpeg SRTP -> srtp-recv: A-law bytes identical" eval \
			'recv_wait && cmp -s "$W/fr.al" "$W/tone.al"'
	else
		not_ok "ffmpeg SRTP -> srtp-recv: A-law bytes identical" "no receiver"
	fi
else
	skip "ffmpeg interop" "ffmpeg or sox missing"
fi

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
