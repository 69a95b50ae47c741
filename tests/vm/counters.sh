# SPDX-License-Identifier: GPL-2.0
# Counter bookkeeping for VM tests that prove every packet is accounted for:
# snapshots of every stream's and output's counters in one namespace, kept in
# shell variables, and checks that each counter moved by exactly what a step
# of the test must have done to it (a counter nobody named must not move).
#
# Source after netns.sh and set CTR_NS to the netns helper that runs
# heraldctl where the objects live (e.g. CTR_NS=n2).

STREAM_CTRS="packets bytes passed drop_malformed drop_auth drop_replay drop_too_old
	drop_unknown_mki drop_no_key drop_ssrc drop_index_limit drop_payload_type drop_nomem"
OUTPUT_CTRS="packets bytes tx_errors drop_busy"
SNAP=

# snapshot P: a new dump; sets P_s<id>_<counter> and P_o<id>_<counter>
snapshot() {
	SNAP=$($CTR_NS sh -c "echo S; $HERALDCTL -j stream show; echo; echo O; $HERALDCTL -j output show" | awk '
		$0 == "S" { k = "s"; next }
		$0 == "O" { k = "o"; next }
		{
			n = split($0, obj, /\{"id":/)
			for (i = 2; i <= n; i++) {
				id = obj[i] + 0
				if (!match(obj[i], /"stats":\{[^}]*\}/))
					continue
				st = substr(obj[i], RSTART + 9, RLENGTH - 10)
				gsub(/"/, "", st)
				m = split(st, kv, ",")
				for (j = 1; j <= m; j++) {
					split(kv[j], f, ":")
					printf "%s%d_%s=%s\n", k, id, f[1], f[2] + 0
				}
			}
		}')
	snapshot_as "$1"
}

# snapshot_as P: the last dump again, under prefix P
snapshot_as() {
	_p=$1
	eval "$(printf '%s\n' "$SNAP" | while IFS= read -r _l; do [ -n "$_l" ] && echo "${_p}_$_l"; done)"
}

# stream_total P ID: every counter of the stream but bytes, added up
stream_total() {
	_t=0
	for _c in $STREAM_CTRS; do
		[ "$_c" = bytes ] && continue
		eval "_t=\$((_t + \${$1_s$2_$_c:-0}))"
	done
	echo "$_t"
}

# settle WANT...: snapshot A once stream ID has counted TOTAL datagrams more
# than in snapshot B, for each WANT "ID:TOTAL" (up to 5 s)
settle() {
	_try=0
	while :; do
		snapshot A
		_short=
		for _w in "$@"; do
			[ "$(($(stream_total A "${_w%%:*}") - $(stream_total B "${_w%%:*}")))" -ge "${_w#*:}" ] ||
				_short=1
		done
		[ -z "$_short" ] || [ $_try -ge 25 ] && return
		sleep 0.2
		_try=$((_try + 1))
	done
}

# moved s|o ID WANT: empty when, from snapshot B to A, every counter of the
# object moved by exactly what WANT ("counter=delta ...") says and all others
# stayed; else what differs
moved() {
	_k=$1 _id=$2 _want=$3 _bad=
	if [ "$_k" = s ]; then _ctrs=$STREAM_CTRS; else _ctrs=$OUTPUT_CTRS; fi
	for _w in $_want; do
		case " $(echo $_ctrs) " in *" ${_w%%=*} "*) ;; *) _bad="$_bad ${_w%%=*}: no such counter;" ;; esac
	done
	for _c in $_ctrs; do
		eval "_b=\${B_$_k${_id}_$_c:-} _a=\${A_$_k${_id}_$_c:-}"
		if [ -z "$_a" ] || [ -z "$_b" ]; then
			_bad="$_bad $_c missing;"
			continue
		fi
		_e=0
		for _w in $_want; do
			[ "${_w%%=*}" = "$_c" ] && _e=${_w#*=}
		done
		[ $((_a - _b)) -eq "$_e" ] || _bad="$_bad $_c moved by $((_a - _b)), want $_e;"
	done
	printf '%s' "$_bad"
}

# expect NAME s|o ID WANT: a TAP line for moved
expect() {
	_m=$(moved "$2" "$3" "$4")
	if [ -z "$_m" ]; then
		ok "$1"
	else
		not_ok "$1" "${_m# }"
	fi
}
