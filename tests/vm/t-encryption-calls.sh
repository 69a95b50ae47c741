#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400
# vm-kernels: 6.12
#
# heraldd's "calls" and "encryption" status areas with herald.ko for real.
# Kamailio (tests/host/kam-proxy.sh) is registrar and proxy on 127.0.0.1,
# heraldd registers over TLS (a test CA made here, certificate verified),
# SIPp calls through Kamailio. herald.ko output 1 (SRTP) is media.outputs.
#
#  1. All encrypted, policy.require_encryption = on, heraldd started while
#     the module is not loaded: the policy reaches the module before the
#     call's stream is made; an SRTP call (call-srtp-bye-in.xml, up until
#     heraldd ends it): "calls" and "encryption" compared whole; heraldd's
#     SIGTERM ends the call (BYE) and leaves no call and no leg.
#  2. media.srtp = optional, require_encryption off: a plain call
#     (call-plain.xml, held 45 s) is "Partially encrypted", the call an
#     exception naming the caller; after the caller's BYE only the
#     registration is left.
#  3. The same heraldd reloaded (SIGHUP) with a plain multicast zone it
#     transmits to: the zone's output is made live and is the exception;
#     then policy.require_encryption = on is refused whole on reload (the
#     plain zone is named) and the running configuration stays.
#
# The JSON is compared after ports, the start time and the stream id are
# replaced (PORT, TIME, ID: the start time must be a UTC time, the id the
# stream's in herald.ko). docs/status.md quotes these expected areas.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

H=$HERALDCTL
SCEN=$VM_TOP/tests/host/sipp
W=/tmp/enccalls
P_KAM=25160 P_TLS=25161 P_SIPP=25170 P_MEDIA=26100 P_OUT=27100 P_ZONE=27200
mkdir -p $W
dmesg_mark
PY=$(command -v python3)

for tool in kamailio kamcmd sipp openssl python3; do
	command -v $tool >/dev/null || { not_ok "prerequisites" "$tool missing"; tap_done; }
done
MODDIR=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/tm.so$' | head -1)")
if [ ! -f "$MODDIR/tls.so" ]; then
	_tls=$(dpkg -L kamailio-tls-modules 2>/dev/null | grep '/tls.so$' | head -1)
	[ -n "$_tls" ] && MODDIR=$(dirname "$_tls")
fi

# A test CA and a certificate for 127.0.0.1 (EC keys: quick under TCG).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-keyout $W/ca.key -out $W/ca.crt -subj "/CN=herald test CA" 2>/dev/null &&
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $W/server.key \
	-out $W/server.csr -subj "/CN=registrar" 2>/dev/null &&
printf 'subjectAltName=IP:127.0.0.1\n' >$W/server.ext &&
openssl x509 -req -in $W/server.csr -CA $W/ca.crt -CAkey $W/ca.key -CAcreateserial -days 2 \
	-out $W/server.crt -extfile $W/server.ext 2>/dev/null
check "test certificates" [ -s $W/server.crt ]

. "$VM_TOP/tests/host/kam-proxy.sh"
kam_proxy_cfg $W $P_KAM "$MODDIR" $P_TLS
kamailio -f $W/kamailio.cfg -P $W/kam.pid -Y $W -m 32 -M 8 -E >>$W/kamailio.log 2>&1
wait_for 30 sh -c "[ -S $W/ctl.sock ] && [ -s $W/kam.pid ]"
KAM_PID=$(cat $W/kam.pid 2>/dev/null)
on_exit "kill $KAM_PID 2>/dev/null"
check "kamailio starts (TLS on $P_TLS)" [ -n "$KAM_PID" ]

# hd_start NAME LINES...: heraldd with the TLS account and LINES.
hd_start() {
	_n=$1
	shift
	# It holds a password: heraldd refuses a secret others can read.
	(umask 077; printf '%s\n' "log.level = debug" "sip.proxy = 127.0.0.1:$P_TLS" \
		"sip.transport = tls" "sip.tls.ca = $W/ca.crt" "sip.u1.user = 1000" \
		"sip.u1.password = s3cret-1000" "media.port_min = $P_MEDIA" \
		"media.port_max = $((P_MEDIA + 10))" "media.outputs = 1" "$@" >$W/$_n.conf)
	"$VM_TOP/build/heraldd" -f -c $W/$_n.conf --status-file $W/$_n.json >$W/$_n.log 2>&1 &
	HD=$!
	on_exit "kill $HD 2>/dev/null"
}
hd_stop() {
	kill -TERM $HD
	wait $HD
}
registered() {
	kamcmd -s unix:$W/ctl.sock ul.dump 2>/dev/null |
		grep -q 'sip:1000@127.0.0.1:[0-9]*;transport=tls'
}
sipp_call() {
	timeout 120 sipp -sf $SCEN/$2 -s 1000 -i 127.0.0.1 -p $P_SIPP -m 1 -nostdin \
		-key key "$(openssl rand -base64 30)" -d 45000 -timeout 110 -timeout_error \
		-recv_timeout 60000 -mi 127.0.0.1 -mp $((P_SIPP + 2)) \
		-trace_err -error_file $W/$1.err 127.0.0.1:$P_KAM >$W/$1.sipp 2>&1 &
	SIPP=$!
}
stream_id() {
	"$H" -j stream show 2>/dev/null | "$PY" -c '
import json, sys
for s in json.load(sys.stdin):
    if s.get("label") == sys.argv[1]:
        print(s["id"])' "$1"
}
policy_is() { [ "$("$H" policy show 2>/dev/null)" = "require-encryption $1" ]; }

# area NAME AREA EXPECTED [STREAM-ID]: area AREA of $W/NAME.json equals
# EXPECTED once normalised; prints both when not.
area() {
	"$PY" - "$W/$1.json" "$2" "$3" "${4:-}" <<'EOF'
import json, re, sys, time
text = re.sub(r'127\.0\.0\.1:\d+', '127.0.0.1:PORT', open(sys.argv[1]).read())
got = json.loads(text)[sys.argv[2]]
if sys.argv[2] == "calls":
    for c in got:
        time.strptime(c["start"], "%Y-%m-%dT%H:%M:%SZ")
        c["start"] = "TIME"
        if str(c["stream_id"]) == sys.argv[4]:
            c["stream_id"] = "ID"
want = json.loads(sys.argv[3])
if got != want:
    print("# got:  " + json.dumps(got))
    print("# want: " + json.dumps(want))
    sys.exit(1)
EOF
}
call_state() {
	"$PY" -c 'import json, sys
print(" ".join(c["state"] for c in json.load(open(sys.argv[1]))["calls"]))' $W/$1.json 2>/dev/null
}
state_is() { [ "$(call_state "$1")" = "$2" ]; }

# The expected areas (docs/status.md quotes them).
CALLS_SRTP='[{"label": "u1-1", "account": "u1", "caller": "sip:sipp@127.0.0.1:PORT",
  "state": "established", "codec": "PCMU", "suite": "AES_CM_128_HMAC_SHA1_80",
  "priority": "normal", "stream_id": "ID", "start": "TIME", "encrypted": true}]'
ENC_SRTP='{"status": "Encrypted", "require_encryption": true,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SIP over TLS, server certificate verified"},
           {"leg": "call:u1-1", "peer": "sip:sipp@127.0.0.1:PORT", "encrypted": true,
            "detail": "SRTP AES_CM_128_HMAC_SHA1_80"},
           {"leg": "output:1", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SRTP AEAD_AES_128_GCM"}],
  "exceptions": []}'
ENC_NONE='{"status": "Encrypted", "require_encryption": true, "legs": [], "exceptions": []}'
ENC_IDLE='{"status": "Encrypted", "require_encryption": false,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SIP over TLS, server certificate verified"}],
  "exceptions": []}'
CALLS_PLAIN='[{"label": "u1-1", "account": "u1", "caller": "sip:sipp@127.0.0.1:PORT",
  "state": "established", "codec": "PCMU", "suite": "none",
  "priority": "normal", "stream_id": "ID", "start": "TIME", "encrypted": false}]'
ENC_PLAIN='{"status": "Partially encrypted", "require_encryption": false,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SIP over TLS, server certificate verified"},
           {"leg": "call:u1-1", "peer": "sip:sipp@127.0.0.1:PORT", "encrypted": false,
            "detail": "plain RTP accepted (media.srtp = optional)"},
           {"leg": "output:1", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SRTP AEAD_AES_128_GCM"}],
  "exceptions": [{"leg": "call:u1-1", "peer": "sip:sipp@127.0.0.1:PORT",
                  "reason": "plain RTP accepted (media.srtp = optional)"}]}'

# 1. Started without the module, require_encryption on.
herald_loaded && herald_unload
hd_start enc "policy.require_encryption = on"
check "encrypted: heraldd registers over TLS" wait_for 60 registered
check "encrypted: the policy waits for the module" \
	grep -q 'herald.ko not loaded: require-encryption on is handed to it once it is' $W/enc.log
check "encrypted: no call yet" area enc calls '[]'
herald_load
check "module loaded later: its own default policy (off) until heraldd asks it" policy_is off
"$H" output add id 1 dst 127.0.0.1 port $P_OUT suite AEAD_AES_128_GCM \
	key "inline:$(openssl rand -base64 28)" >/dev/null
check "output 1 (SRTP) made" "$H" output show id 1
sipp_call srtp call-srtp-bye-in.xml
wait_for 60 sh -c "[ -n \"\$(\"$H\" -j stream show 2>/dev/null | grep u1-1)\" ]"
sid=$(stream_id u1-1)
check "encrypted: a stream for the call (id $sid)" [ -n "$sid" ]
check "encrypted: heraldd handed require-encryption on before the stream" policy_is on
check "encrypted: the call established in the status" wait_for 60 state_is enc established
check "encrypted: calls area" area enc calls "$CALLS_SRTP" "$sid"
check "encrypted: encryption area: Encrypted, no exception" area enc encryption "$ENC_SRTP"
hd_stop
check "encrypted: heraldd exits 0" [ $? -eq 0 ]
wait $SIPP
rc=$?
check "encrypted: SIPp got heraldd's BYE (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' $W/srtp.err | tail -10
check "encrypted: after the end no call" area enc calls '[]'
check "encrypted: after the end no leg: Encrypted, empty lists" area enc encryption "$ENC_NONE"

# 2. media.srtp = optional: a plain call is an exception.
hd_start plain "media.srtp = optional"
check "plain: heraldd registers over TLS" wait_for 60 registered
check "plain: heraldd set require-encryption off at start" wait_for 10 policy_is off
sipp_call plain call-plain.xml
wait_for 60 sh -c "[ -n \"\$(\"$H\" -j stream show 2>/dev/null | grep u1-1)\" ]"
sid=$(stream_id u1-1)
check "plain: a stream for the call (id $sid)" [ -n "$sid" ]
check "plain: the call established in the status" wait_for 60 state_is plain established
check "plain: calls area" area plain calls "$CALLS_PLAIN" "$sid"
check "plain: encryption area: Partially encrypted, the call an exception" \
	area plain encryption "$ENC_PLAIN"
wait $SIPP
rc=$?
check "plain: SIPp call done (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' $W/plain.err | tail -10
check "plain: after the BYE no call" wait_for 30 area plain calls '[]'
check "plain: after the BYE only the registration: Encrypted" area plain encryption "$ENC_IDLE"

# 3. A plain zone, added live.
ENC_ZONE='{"status": "Partially encrypted", "require_encryption": false,
  "legs": [{"leg": "registration:primary", "peer": "127.0.0.1:PORT", "encrypted": true,
            "detail": "SIP over TLS, server certificate verified"},
           {"leg": "zone:1", "peer": "239.9.9.9:'$P_ZONE'", "encrypted": false,
            "detail": "plain RTP (mcast.zone1.plain = on)"}],
  "exceptions": [{"leg": "zone:1", "peer": "239.9.9.9:'$P_ZONE'",
                  "reason": "plain RTP (mcast.zone1.plain = on)"}]}'
printf '%s\n' "mcast.mode = transmitter" "mcast.zone1.address = 239.9.9.9" \
	"mcast.zone1.port = $P_ZONE" "mcast.zone1.plain = on" >>$W/plain.conf
kill -HUP $HD
check "plain zone: its output made on reload" wait_for 30 sh -c \
	"\"$H\" -j output show 2>/dev/null | grep -q '\"plaintext\":true'"
check "plain zone: encryption area: Partially encrypted, the zone an exception" \
	wait_for 30 area plain encryption "$ENC_ZONE"
printf '%s\n' "policy.require_encryption = on" >>$W/plain.conf
kill -HUP $HD
check "require_encryption with a plain zone: the reload is refused, naming the zone" \
	wait_for 30 grep -q 'reload rejected.*mcast.zone1.plain: encryption is required' $W/plain.log
check "require_encryption refused: the running configuration stays" \
	area plain encryption "$ENC_ZONE"
hd_stop
check "plain: heraldd exits 0" [ $? -eq 0 ]

# What heraldd said, for a failure's post-mortem.
[ -n "${VM_OUT:-}" ] && cp $W/*.log $W/*.json "$VM_OUT/" 2>/dev/null
check_dmesg_clean "kernel log clean"
tap_done
