#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# Netlink requests the module must refuse, each with a clear error and no
# object left behind: missing or oversized attributes, unknown suite, wrong
# key length, unknown and reply-only attributes, a socket fd that is not UDP
# (or not a socket), one already attached, one from another namespace,
# plaintext under require-encryption, the policy turned on while plaintext
# exists, an unprivileged caller, GET of a missing id.
#
# Two ways in: heraldctl (what an operator sees; it may refuse some requests
# itself before the kernel sees them), and tests/vm/nlraw.py, a raw generic
# netlink sender, so that the KERNEL's policies and extended acks are what
# is tested: it prints the errno and the NLMSGERR_ATTR_MSG of the answer.
# Everything runs in herald-n1 (objects are per namespace), which must hold
# no object at the end but the ones created on purpose (and deleted).
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
H=$HERALDCTL
NLRAW=$VM_TOP/tests/vm/nlraw.py
K30=$(openssl rand -base64 30)
netns_add 1 2

# jfield NAME TEXT: the value of "NAME": in compact JSON TEXT
jfield() {
	_v=${2#*\"$1\":}
	[ "$_v" != "$2" ] || return 0
	case $_v in
	\"*) _v=${_v#\"}; echo "${_v%%\"*}" ;;
	*) echo "${_v%%[,\}]*}" ;;
	esac
}

# expect_err NAME PATTERN CMD...: CMD fails and its stderr matches PATTERN.
expect_err() {
	_n=$1 _p=$2
	shift 2
	if _e=$("$@" 2>&1 >/dev/null); then
		not_ok "$_n" "succeeded: $*"
	elif printf '%s' "$_e" | grep -qiE -- "$_p"; then
		ok "$_n"
	else
		not_ok "$_n" "error was: $_e"
	fi
}

# nl NAME ERRNO MSG_REGEX [--uid N] CMD ATTRS: queue a raw request from n1
# that must get ERRNO (a name, or OK) with an extack message matching
# MSG_REGEX ('' when none is expected). nl_run sends the queue from one
# Python (a start costs seconds under TCG) and judges each answer in turn.
NLQ=$(mktemp /tmp/nlq.XXXXXX)
: >"$NLQ.req"
nl() {
	printf '%s\037%s\037%s\n' "$1" "$2" "$3" >>"$NLQ"
	shift 3
	printf '%s\037' "$@" >>"$NLQ.req"
	printf '\036\n' >>"$NLQ.req"
}
nl_run() {
	n1 python3 "$NLRAW" --batch <"$NLQ.req" >"$NLQ.ans" 2>"$NLQ.err"
	exec 4<"$NLQ.ans"
	while IFS="$(printf '\037')" read -r _n _want _re; do
		IFS= read -r _r <&4 || _r=
		_en=$(jfield errname "$_r") _msg=$(jfield msg "$_r")
		[ "$_msg" != null ] || _msg=
		if [ "$_en" != "$_want" ]; then
			not_ok "$_n" "want $_want, got: ${_r:-nothing} $(cat "$NLQ.err")"
		elif [ -n "$_re" ] && ! printf '%s' "$_msg" | grep -qE -- "$_re"; then
			not_ok "$_n" "extack message does not match /$_re/: $_r"
		else
			ok "$_n${_msg:+ (\"$_msg\")}"
		fi
	done <"$NLQ"
	exec 4<&-
	: >"$NLQ"
	: >"$NLQ.req"
}

# empty_ns: herald-n1 holds no stream and no output
empty_ns() {
	[ "$(n1 "$H" -j stream show)" = "[]" ] && [ "$(n1 "$H" -j output show)" = "[]" ]
}

# ---- heraldctl: what an operator sees
LABEL31=abcdefghijklmnopqrstuvwxyz01234
LABEL32=${LABEL31}5
expect_err "heraldctl: output without port" "port" \
	n1 "$H" output add dst 10.0.0.9 suite AES_CM_128_HMAC_SHA1_80 key "inline:$K30"
expect_err "heraldctl: output without keys or plaintext" "suite and keys|plaintext|key" \
	n1 "$H" output add dst 10.0.0.9 port 5000
expect_err "heraldctl: key of the wrong length for the suite" "length|bytes" \
	n1 "$H" output add dst 10.0.0.9 port 5000 suite AES_256_CM_HMAC_SHA1_80 key "inline:$K30"
expect_err "heraldctl: unknown suite" "suite" \
	n1 "$H" output add dst 10.0.0.9 port 5000 suite AES_CM_64_HMAC_MD5 key "inline:$K30"
expect_err "heraldctl: label of 32 bytes" "label|long|31|32|policy" \
	n1 "$H" output add dst 10.0.0.9 port 5000 plaintext label "$LABEL32"
expect_err "heraldctl: stream with both fd and local address" "either|fd" \
	n1 "$H" stream add fd 0 local 10.0.0.9 port 5000 plaintext
expect_err "heraldctl: stream naming a missing output" "no output" \
	n1 "$H" stream add local 127.0.0.1 port 5000 plaintext output 77
expect_err "heraldctl: show of a missing output id" "no output with this id" \
	n1 "$H" output show id 77
expect_err "heraldctl: show of a missing stream id" "no stream with this id" \
	n1 "$H" stream show id 77
check "nothing was created by the refused heraldctl requests" empty_ns

# ---- the kernel itself (raw requests)
DST="('OUTPUT_A_DST_ADDR', 'bytes', '0a000009')"
PORT="('OUTPUT_A_DST_PORT', 'u16', 5000)"
PLAIN="('OUTPUT_A_PLAINTEXT', 'flag')"
# lib/nlattr.c's own messages: a range check fails with ERANGE "integer
# out of range", a length check with "Attribute failed policy validation".
POLICY='Attribute failed policy validation'
RANGE='integer out of range'
nl "kernel: label of 32 bytes (31 + NUL allowed)" EINVAL "$POLICY" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [('OUTPUT_A_LABEL', 'str', '$LABEL32'), $DST, $PORT, $PLAIN])]"
nl "kernel: address of 5 bytes" EINVAL "4 \\(IPv4\\) or 16 \\(IPv6\\) bytes" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [('OUTPUT_A_DST_ADDR', 'bytes', '0a00000901'), $PORT, $PLAIN])]"
nl "kernel: address of 17 bytes" ERANGE "$POLICY" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [('OUTPUT_A_DST_ADDR', 'bytes', '$(printf '%034d' 1)'), $PORT, $PLAIN])]"
nl "kernel: output without port" EINVAL "destination address and port" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PLAIN])]"
nl "kernel: output without keys or plaintext" EINVAL "suite and keys, or the plaintext flag" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT])]"
nl "kernel: port 0" ERANGE "$RANGE" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, ('OUTPUT_A_DST_PORT', 'u16', 0), $PLAIN])]"
nl "kernel: unknown suite (99)" ERANGE "$RANGE" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, ('OUTPUT_A_SUITE', 'u32', 99),
		('OUTPUT_A_KEYS', 'nest', [('A_KEY', 'nest', [('KEY_A_MATERIAL', 'bytes', '$(printf '%060d' 1)')])])])]"
nl "kernel: key of 29 bytes for AES_CM_128" EINVAL "key material length does not match" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, ('OUTPUT_A_SUITE', 'u32', 1),
		('OUTPUT_A_KEYS', 'nest', [('A_KEY', 'nest', [('KEY_A_MATERIAL', 'bytes', '$(printf '%058d' 1)')])])])]"
nl "kernel: key of 47 bytes (over the policy's 46)" ERANGE "$POLICY" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, ('OUTPUT_A_SUITE', 'u32', 5),
		('OUTPUT_A_KEYS', 'nest', [('A_KEY', 'nest', [('KEY_A_MATERIAL', 'bytes', '$(printf '%094d' 1)')])])])]"
nl "kernel: a plaintext output with a suite" EINVAL "takes no suite and no keys" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, $PLAIN, ('OUTPUT_A_SUITE', 'u32', 1)])]"
nl "kernel: unknown attribute in the output nest" EINVAL "[Uu]nknown attribute" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, $PLAIN, (30, 'u32', 1)])]"
# (a u32: sent as a nest, strict validation would stop at the nested flag)
nl "kernel: reply-only attribute (the output's SSRC) in a request" EINVAL "$POLICY" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, $PLAIN, ('OUTPUT_A_SSRC', 'u32', 1)])]"
nl "kernel: stream window 32 (64..4096)" ERANGE "$RANGE" \
	NEW_STREAM "[('A_STREAM', 'nest', [('STREAM_A_LOCAL_ADDR', 'bytes', '7f000001'),
		('STREAM_A_LOCAL_PORT', 'u16', 5002), ('STREAM_A_PLAINTEXT', 'flag'),
		('STREAM_A_REPLAY_WINDOW', 'u16', 32)])]"
nl "kernel: stream with neither fd nor local address" EINVAL "either a socket fd or a local address" \
	NEW_STREAM "[('A_STREAM', 'nest', [('STREAM_A_PLAINTEXT', 'flag')])]"
nl "kernel: GET of a missing output id" ENOENT "no output with this id" \
	GET_OUTPUT "[('A_OUTPUT', 'nest', [('OUTPUT_A_ID', 'u32', 77)])]"
nl "kernel: GET of a missing stream id" ENOENT "no stream with this id" \
	GET_STREAM "[('A_STREAM', 'nest', [('STREAM_A_ID', 'u32', 77)])]"
nl "kernel: DEL of a missing stream id" ENOENT "no stream with this id" \
	DEL_STREAM "[('A_STREAM', 'nest', [('STREAM_A_ID', 'u32', 77)])]"
nl "kernel: DEL without an id" EINVAL "stream id missing" \
	DEL_STREAM "[('A_STREAM', 'nest', [])]"
nl "kernel: SET_POLICY without the attribute" EINVAL "no policy attribute" SET_POLICY "[]"
nl "kernel: SET_POLICY 2 (0 or 1)" ERANGE "$RANGE" SET_POLICY "[('A_REQUIRE_ENCRYPTION', 'u8', 2)]"
nl "kernel: unprivileged NEW_OUTPUT: EPERM" EPERM "" --uid 65534 \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, $PLAIN])]"
nl "kernel: unprivileged SET_POLICY: EPERM" EPERM "" --uid 65534 \
	SET_POLICY "[('A_REQUIRE_ENCRYPTION', 'u8', 0)]"
nl "kernel: unprivileged GET_INFO is allowed" OK "" --uid 65534 GET_INFO "[]"
nl_run
check "nothing was created by the refused raw requests" empty_ns
# The positive control of the label limit: 31 bytes are accepted.
nl "kernel: label of 31 bytes is accepted" OK "" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [('OUTPUT_A_ID', 'u32', 5), ('OUTPUT_A_LABEL', 'str', '$LABEL31'), $DST, $PORT, $PLAIN])]"
nl_run
check "the 31-byte label is stored" has "$(n1 "$H" -j output show id 5)" "\"label\":\"$LABEL31\""
check "delete it" n1 "$H" output del id 5

# ---- socket fds: python holds them and hands them to heraldctl as fd 3.
# py_fd NS KIND CMD...: open KIND (tcp, udp, twice: udp used twice, file)
# in namespace NS (n1, or root: the guest's own), pass it as fd 3 to CMD,
# print CMD's stderr, exit with its status.
py_fd() {
	_ns=$1
	shift
	if [ "$_ns" = root ]; then _pre=; else _pre="ip netns exec herald-$_ns"; fi
	$_pre python3 - "$@" <<'PY'
import os, socket, subprocess, sys
kind, cmd = sys.argv[1], sys.argv[2:]
if kind == "tcp":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
elif kind == "file":
    s = open("/dev/null", "rb")
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
if s.fileno() != 3:
    os.dup2(s.fileno(), 3)
r = subprocess.run(cmd, pass_fds=(3,), capture_output=True, text=True)
if kind == "twice":
    if r.returncode != 0:
        sys.stderr.write("first attach failed: " + r.stderr)
        sys.exit(3)
    r = subprocess.run(cmd, pass_fds=(3,), capture_output=True, text=True)
sys.stderr.write(r.stderr)
sys.exit(r.returncode)
PY
}
expect_err "a TCP socket is refused" "not a UDP socket" py_fd n1 tcp "$H" stream add fd 3 plaintext
expect_err "an fd that is not a socket is refused" "not a socket" py_fd n1 file "$H" stream add fd 3 plaintext
expect_err "a socket attached twice is refused (the first attach works)" "already attached" \
	py_fd n1 twice "$H" stream add fd 3 plaintext
# The socket is opened in the guest's root namespace, the request is sent
# from herald-n1: the fd belongs to another namespace.
expect_err "a socket of another namespace is refused" "another network namespace" \
	py_fd root udp ip netns exec herald-n1 "$H" stream add fd 3 plaintext
# The stream of the successful first attach died with python's socket.
check "no stream outlives the sockets (closed with python)" empty_ns
check "nothing was created in the root namespace" sh -c "[ \"\$($H -j stream show)\" = '[]' ]"

# ---- require-encryption
check "require-encryption on" n1 "$H" policy set require-encryption on
expect_err "plaintext output refused under require-encryption" "encryption is required" \
	n1 "$H" output add dst 10.0.0.9 port 5000 plaintext
expect_err "plaintext stream refused under require-encryption" "encryption is required" \
	n1 "$H" stream add local 127.0.0.1 port 5002 plaintext
nl "kernel: plaintext output under require-encryption" EPERM "encryption is required" \
	NEW_OUTPUT "[('A_OUTPUT', 'nest', [$DST, $PORT, $PLAIN])]"
nl_run
check "nothing was created under the policy" empty_ns
check "an encrypted output is accepted under the policy" \
	n1 "$H" output add id 6 dst 10.0.0.9 port 5000 suite AES_CM_128_HMAC_SHA1_80 key "inline:$K30"
check "delete it" n1 "$H" output del id 6
check "require-encryption off" n1 "$H" policy set require-encryption off
check "plaintext output accepted without the policy" n1 "$H" output add id 7 dst 10.0.0.9 port 5000 plaintext
expect_err "policy cannot be turned on while a plaintext output exists" "plaintext streams or outputs exist" \
	n1 "$H" policy set require-encryption on
check "the policy stayed off" has "$(n1 "$H" -j policy show)" '"require_encryption":(false|0)'
expect_err "unprivileged heraldctl is refused with a CAP_NET_ADMIN message" "CAP_NET_ADMIN" \
	n1 setpriv --reuid=65534 --regid=65534 --clear-groups "$H" output del id 7
check "unprivileged heraldctl may read" n1 setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$H" output show id 7
check "the output survived the unprivileged delete" n1 "$H" output show id 7
check "delete it" n1 "$H" output del id 7
check "with no plaintext left, the policy can be turned on" n1 "$H" policy set require-encryption on
check "and off again" n1 "$H" policy set require-encryption off
check "herald-n1 is empty at the end" empty_ns
tap_done
