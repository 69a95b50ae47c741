#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# heraldd's media hand-off against the real module (daemon/media.c and
# daemon/kernel.c, through tests/tools/heraldd-media):
#  (a) an RTP socket from the port range becomes an SRTP stream with the
#      caller's key (MKI 1); a libsrtp2 sender's packets are accepted; the
#      re-key of a re-INVITE adds key MKI 2 before dropping MKI 1 while the
#      sender switches keys mid-stream: every packet is accepted, and the
#      stream then holds MKI 2 only; closing deletes the stream.
#  (b) plain RTP (media.srtp = optional) becomes a plaintext stream feeding
#      an output; on hold it is muted: it feeds no output any more.
#  (c) without the module the hand-off fails with ENOENT and says why: the
#      call layer turns that into 503.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
SUITE=AES_CM_128_HMAC_SHA1_80
TMP=/tmp/dmedia
mkdir -p $TMP
dmesg_mark

wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}
value() { sed -n "s/^$1 //p" "$2" | head -n 1; }

# ---- (a) SRTP, re-keyed without a gap -----------------------------------------------
K1=$(openssl rand -base64 30)
K2=$(openssl rand -base64 30)
HOLD_FILE=$TMP/hold "$T/heraldd-media" --ports 31000-31099 --port-file $TMP/port.a \
	--suite $SUITE --key "inline:$K1|1:4" --rekey "inline:$K2|2:4" \
	--packets 100 --packets2 300 --timeout 60 >$TMP/out.a 2>&1 &
pa=$!
if wait_file $TMP/port.a; then
	port=$(cat $TMP/port.a)
	check "srtp: port from the range, even" sh -c "[ $port -ge 31000 ] && [ $port -le 31099 ] && [ $((port % 2)) -eq 0 ]"
	# 300 packets at 50/s; the key switch at 200 leaves the re-key 2 s.
	"$T/srtp-send" --suite $SUITE --key "$K1" --mki 1:4 --key2 "$K2" --mki2 2:4 \
		--switch-at 200 --ssrc 0x5eed0003 --count 300 --rate 50 \
		"127.0.0.1:$port" >$TMP/sent.a 2>&1
	i=0
	while ! grep -q '^packets2 ' $TMP/out.a && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	s=$(value stream $TMP/out.a)
	js=$("$H" -j stream show id "$s")
	check "srtp: the stream holds MKI 2 only after the re-key" has "$js" \
		'"keys":\[\{"mki":2,"mki_len":4[^]]*\}\]'
	check "srtp: the stream reads heraldd's socket" has "$js" "\"local_port\":$port|\"port\":$port"
	touch $TMP/hold
	wait $pa
	ra=$?
	check "srtp: heraldd-media succeeded" [ "$ra" -eq 0 ]
	check "srtp: 100 packets before the re-key" [ "$(value packets $TMP/out.a)" -ge 100 ]
	check "srtp: both keys held during the switch (1 old key dropped)" \
		[ "$(value rekeyed $TMP/out.a)" = 1 ]
	check "srtp: all 300 packets accepted across the key switch" \
		[ "$(value packets2 $TMP/out.a)" -eq 300 ]
	check_fails "srtp: the stream is gone after close" "$H" stream show id "$s"
else
	not_ok "srtp: heraldd-media started" "$(cat $TMP/out.a)"
	kill $pa 2>/dev/null
fi
diag "$(tr '\n' ' ' <$TMP/out.a)"

# ---- (b) plain RTP --------------------------------------------------------------------
o=$("$H" -j output add dst 127.0.0.1 port 7100 plaintext | sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p')
check "plain: an output to feed" [ -n "$o" ]
HOLD_FILE=$TMP/hold.b "$T/heraldd-media" --ports 31100-31199 --port-file $TMP/port.b \
	--output "$o" --packets 50 --mute --timeout 60 >$TMP/out.b 2>&1 &
pb=$!
if wait_file $TMP/port.b; then
	s=$(value stream $TMP/out.b)
	check "plain: the stream feeds the output" has "$("$H" -j stream show id "$s")" \
		"\"outputs\":\[$o\]"
	"$T/srtp-send" --plain --count 50 --rate 100 "127.0.0.1:$(cat $TMP/port.b)" \
		>$TMP/sent.b 2>&1
	i=0
	while ! grep -q '^muted ' $TMP/out.b && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check "plain: 50 packets accepted by a plaintext stream" [ "$(value packets $TMP/out.b)" -ge 50 ]
	check "plain: on hold the stream feeds no output" has "$("$H" -j stream show id "$s")" \
		'"outputs":\[\]'
	touch $TMP/hold.b
	wait $pb
	check "plain: heraldd-media succeeded" [ $? -eq 0 ]
	"$H" output del id "$o"
else
	not_ok "plain: heraldd-media started" "$(cat $TMP/out.b)"
	kill $pb 2>/dev/null
fi
diag "$(tr '\n' ' ' <$TMP/out.b)"

check_dmesg_clean "no kernel warnings"

# ---- (c) no module --------------------------------------------------------------------
if herald_unload; then
	"$T/heraldd-media" --ports 31200-31299 --port-file $TMP/port.c --suite $SUITE \
		--key "inline:$K1" >$TMP/out.c 2>&1
	rc=$?
	check "absent: the hand-off fails (exit 3)" [ $rc -eq 3 ]
	check "absent: and says the module is not loaded" grep -q "herald module not loaded" $TMP/out.c
	herald_load
else
	not_ok "absent: rmmod herald"
fi

tap_done
