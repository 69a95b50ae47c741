#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# vm-kernels: 6.12
#
# A page call end to end, with herald.ko loaded: Kamailio (registrar and
# proxy, tests/host/kam-proxy.sh) on 127.0.0.1, heraldd registered to it
# over TCP, SIPp as the caller (tests/host/sipp/call-srtp.xml) sending an
# SRTP offer through Kamailio. Checked: 200 OK with an SDP answer
# (RTP/SAVP, one a=crypto with the offer's tag), a herald stream labelled
# for the account, SRTP sent with the offer's key (srtp-send, libsrtp2)
# counted as accepted by that stream, and the caller's BYE removing it.
# Then a second call, ended by heraldd on SIGTERM: its BYE reaches the
# caller before the account is unregistered, and the stream goes.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
H=$HERALDCTL
T=$VM_TOP/build/tests/tools
SCEN=$VM_TOP/tests/host/sipp
W=/tmp/sipcall
P_KAM=25060 P_SIPP=25070 P_MEDIA=26000
mkdir -p $W
dmesg_mark

for tool in kamailio kamcmd sipp; do
	command -v $tool >/dev/null || { not_ok "prerequisites" "$tool missing"; tap_done; }
done
MODDIR=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/tm.so$' | head -1)")
. "$VM_TOP/tests/host/kam-proxy.sh"
kam_proxy_cfg $W $P_KAM "$MODDIR"
kamailio -f $W/kamailio.cfg -P $W/kam.pid -Y $W -m 32 -M 8 -E >>$W/kamailio.log 2>&1
wait_for 30 sh -c "[ -S $W/ctl.sock ] && [ -s $W/kam.pid ]"
KAM_PID=$(cat $W/kam.pid 2>/dev/null)
on_exit "kill $KAM_PID 2>/dev/null"
check "kamailio starts" [ -n "$KAM_PID" ]

# It holds a password: heraldd refuses a secret others can read.
(umask 077; printf '%s\n' "log.level = debug" "sip.proxy = 127.0.0.1:$P_KAM" "sip.transport = tcp" \
	"sip.u1.user = 1000" "sip.u1.password = s3cret-1000" "media.srtp = required" \
	"media.port_min = $P_MEDIA" "media.port_max = $((P_MEDIA + 10))" >$W/heraldd.conf)
"$VM_TOP/build/heraldd" -f -c $W/heraldd.conf >$W/heraldd.log 2>&1 &
HD=$!
on_exit "kill $HD 2>/dev/null"

registered() {
	kamcmd -s unix:$W/ctl.sock ul.dump 2>/dev/null |
		grep -q 'sip:1000@127.0.0.1:[0-9]*;transport=tcp'
}
check "heraldd registers 1000 over TCP" wait_for 30 registered

KEY=$(openssl rand -base64 30)
# The call is held 40 s (-d) while SRTP is sent; TCG on a shared host is slow.
timeout 120 sipp -sf $SCEN/call-srtp.xml -s 1000 -i 127.0.0.1 -p $P_SIPP -m 1 -nostdin \
	-key key "$KEY" -d 40000 -timeout 100 -timeout_error -recv_timeout 30000 \
	-mi 127.0.0.1 -mp $((P_SIPP + 2)) -trace_msg -message_file $W/call.msg \
	-trace_err -error_file $W/call.err 127.0.0.1:$P_KAM >$W/sipp.out 2>&1 &
SIPP=$!

# The stream heraldd made for the call: label u1-1 (account u1, first call).
stream_json() { "$H" -j stream show 2>/dev/null; }
stream_up() { has "$(stream_json)" "\"label\":\"$1\""; }
stream_gone() { ! stream_up "$1"; }
wait_for 60 stream_up u1-1
js=$(stream_json)
diag "stream: $js"
check "a herald stream for the call (label u1-1)" has "$js" '"label":"u1-1"'
check "the stream decrypts AES_CM_128_HMAC_SHA1_80" has "$js" 'AES_CM_128_HMAC_SHA1_80'
port=$(printf '%s\n' "$js" | sed -n 's/.*"port":\([0-9]*\).*/\1/p' | head -n 1)
check "its RTP port is from media.port_min..max" \
	sh -c "[ -n '$port' ] && [ '$port' -ge $P_MEDIA ] && [ '$port' -le $((P_MEDIA + 10)) ]"

"$T/srtp-send" --suite AES_CM_128_HMAC_SHA1_80 --key "$KEY" --ssrc 0x5eed0101 --count 100 \
	--rate 50 "127.0.0.1:$port" >$W/sent 2>&1
sleep 1
js=$(stream_json)
acc=$(printf '%s\n' "$js" | sed -n 's/.*"stats":{"packets":\([0-9]*\).*/\1/p' | head -n 1)
diag "accepted: $acc"
check "SRTP with the offer's key: 100 packets accepted by the stream" [ "${acc:-0}" -eq 100 ]

wait $SIPP
rc=$?
check "SIPp: 200 with RTP/SAVP and a=crypto:7, ACK, BYE answered 200 (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || { sed 's/^/# /' $W/call.err | tail -20; tail -30 $W/heraldd.log | sed 's/^/# /'; }
# The 200 to the INVITE and its SDP, from SIPp's message trace.
# The first one only: a retransmission would count twice.
sdp=$(awk '/^SIP\/2.0 200/ { m = 1 } m && /^CSeq: 1 INVITE/ { inv = 1 }
	{ sub(/\r$/, "") } m && inv && /^(v|o|s|c|t|m|a)=/ { print } /^(UDP|TCP) message/ { if (inv) exit; m = 0 }' $W/call.msg)
diag "answer: $(printf '%s' "$sdp" | tr '\n' ' ')"
check "the answer is RTP/SAVP on the stream's port" has "$sdp" "^m=audio $port RTP/SAVP 0\$"
one_crypto_tag7() {
	[ "$(printf '%s\n' "$sdp" | grep -c '^a=crypto:')" -eq 1 ] &&
		[ "$(printf '%s\n' "$sdp" | grep -c '^a=crypto:7 ')" -eq 1 ]
}
check "the answer has exactly one crypto line, with the offer's tag 7" one_crypto_tag7
check "the answer's key is not the offer's" sh -c "! printf '%s\n' \"$sdp\" | grep -qF '$KEY'"
wait_for 20 stream_gone u1-1
check_fails "the BYE removed the stream" has "$(stream_json)" '"label":"u1-1"'
check "heraldd logged the call ended by the caller" grep -q 'call u1-1: ended by the caller' $W/heraldd.log

# A second call, up when heraldd gets SIGTERM: heraldd's BYE reaches the
# caller before the account is unregistered.
timeout 150 sipp -sf $SCEN/call-srtp-bye-in.xml -s 1000 -i 127.0.0.1 -p $P_SIPP -m 1 -nostdin \
	-key key "$KEY" -timeout 140 -timeout_error -recv_timeout 90000 \
	-mi 127.0.0.1 -mp $((P_SIPP + 2)) -trace_msg -message_file $W/term.msg \
	-trace_err -error_file $W/term.err 127.0.0.1:$P_KAM >$W/sipp-term.out 2>&1 &
SIPP=$!
wait_for 60 stream_up u1-2
check "second call up (stream u1-2)" has "$(stream_json)" '"label":"u1-2"'
# Past the ACK: an answered call is ended with a BYE as well, but let it settle.
sleep 3
kill -TERM $HD
wait $HD
check "heraldd exits 0 on SIGTERM" [ $? -eq 0 ]
wait $SIPP
rc=$?
check "SIGTERM: the caller got heraldd's BYE and answered it (sipp exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' $W/term.err | tail -20
bye_first() {
	b=$(grep -n 'shutting down: a BYE to each of 1 call' $W/heraldd.log | cut -d: -f1)
	u=$(grep -n 'u1 (1000): unregistering' $W/heraldd.log | cut -d: -f1)
	[ -n "$b" ] && [ -n "$u" ] && [ "$b" -lt "$u" ]
}
check "SIGTERM: the BYE before the unregistration" bye_first
check "SIGTERM: unregistered" grep -q 'u1 (1000): unregistered' $W/heraldd.log
check_fails "SIGTERM: the stream is gone" has "$(stream_json)" '"label":"u1-2"'

check_dmesg_clean "kernel log clean"
tap_done
