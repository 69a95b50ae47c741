# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for herald VM tests (tests/vm/t-*.sh). Source it from a test that
# runs inside the guest (tests/vm/run.sh or run-all.sh); POSIX sh.
#
#   . "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
#
# TAP output, one line per check ("ok NAME" / "not ok NAME"); diagnostics
# are "# " lines:
#   ok NAME                 not_ok NAME [REASON...]        diag TEXT...
#   check NAME CMD...       ok if CMD succeeds; else not ok + CMD's output
#   check_fails NAME CMD... ok if CMD fails
#   has TEXT REGEX          TEXT matches REGEX (grep -E), for check
#   tap_done                prints the totals; exits 1 if anything failed
#
# Test hosts are network namespaces "herald-nI" (I = 1..254):
#   netns_add I...          create them (lo up, no IPv6 DAD) and define a
#                           shell function nI: `n2 ip addr` runs in herald-n2
#   netns_link I J          veth pair between nI and nJ on a new subnet K:
#                           in nI interface "to_nJ" with 10.0.K.I/24 and
#                           fd00:K::I/64, in nJ "to_nI" with ...J
#   netns_lan I J L...      one shared segment (a bridge in namespace
#                           herald-sw, multicast flooded like a dumb switch)
#                           on a new subnet K: interface "lanK" in each host
#                           with 10.0.K.<host>/24 and fd00:K::<host>/64
#   NETNS_NET               the subnet number K of the last link/lan
#   addr4 K I / addr6 K I   print the address of host I on subnet K
#   netns_mcast_route I DEV send IPv4 (224.0.0.0/4) and IPv6 (ff00::/8)
#                           multicast of nI out of DEV by default
#   netns_forwarding I      make nI a router (IPv4 and IPv6)
#   netns_ping I ADDR       one ping from nI to ADDR (IPv4 or IPv6)
#   netns_cleanup           kill what runs in the namespaces and delete them;
#                           runs by itself when the test exits
#   on_exit CMD             run CMD (a string for eval) at exit, before the
#                           namespaces go, last registered first
#
# Kernel log and module:
#   dmesg_mark              remember "now" in the kernel log
#   dmesg_since_mark        print the kernel log lines after the mark
#   check_dmesg_clean NAME  ok unless the log since the mark holds a
#                           warning, oops, BUG, call trace or KASAN/UBSAN
#   herald_loaded           true when herald.ko is loaded
#   herald_load [PARAMS]    load $HERALD_KO (default params: $HERALD_PARAMS)
#   herald_unload           rmmod herald
#   HERALDCTL               path of the heraldctl binary of this tree

VM_TOP=${VM_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
HERALDCTL=${HERALDCTL:-$VM_TOP/build/heraldctl}
HERALD_KO=${HERALD_KO:-$VM_TOP/build/kmod/$(uname -r)/herald.ko}

# ---- TAP ----------------------------------------------------------------------
TAP_PASS=0
TAP_FAIL=0

diag() { printf '# %s\n' "$*"; }

ok() {
	TAP_PASS=$((TAP_PASS + 1))
	printf 'ok %s\n' "$1"
}

not_ok() {
	TAP_FAIL=$((TAP_FAIL + 1))
	printf 'not ok %s\n' "$1"
	shift
	[ $# -eq 0 ] || diag "$*"
}

# check NAME CMD...: run CMD (a command or shell function); its output is
# shown only when it fails.
check() {
	_name=$1
	shift
	_out=$(mktemp /tmp/check.XXXXXX)
	if "$@" >"$_out" 2>&1; then
		ok "$_name"
	else
		not_ok "$_name" "failed (status $?): $*"
		sed 's/^/#   /' "$_out"
	fi
	rm -f "$_out"
}

# check_fails NAME CMD...: the check passes when CMD fails.
check_fails() {
	_name=$1
	shift
	_out=$(mktemp /tmp/check.XXXXXX)
	if "$@" >"$_out" 2>&1; then
		not_ok "$_name" "succeeded but should have failed: $*"
		sed 's/^/#   /' "$_out"
	else
		ok "$_name"
	fi
	rm -f "$_out"
}

# has TEXT REGEX: TEXT (e.g. a command's captured output) matches the
# extended regular expression, for `check NAME has "$out" 'CAP_NET_ADMIN'`.
has() { printf '%s\n' "$1" | grep -qE -- "$2"; }

# now_s: the guest's uptime in whole seconds, without a process (an exec
# costs a few hundred ms under TCG).
now_s() { read -r _up _ </proc/uptime; echo "${_up%.*}"; }
# wait_for SECONDS CMD...: CMD until it succeeds, every 0.2 s, for SECONDS
# of the clock at most: bounded in time, not in tries, since one try (a
# heraldctl, say) may itself take a second in a loaded guest.
wait_for() {
	_wf_end=$(($(now_s) + $1))
	shift
	until "$@"; do
		[ "$(now_s)" -lt "$_wf_end" ] || return 1
		sleep 0.2
	done
}

tap_done() {
	diag "$TAP_PASS passed, $TAP_FAIL failed"
	[ "$TAP_FAIL" -eq 0 ] && [ "$TAP_PASS" -gt 0 ]
	exit $?
}

# ---- exit handling ---------------------------------------------------------------
NETNS_LIST=
NETNS_EXIT_CMDS=

on_exit() {
	NETNS_EXIT_CMDS="$1
$NETNS_EXIT_CMDS"
}

_netns_exit() {
	_rc=$?
	trap - EXIT
	printf '%s\n' "$NETNS_EXIT_CMDS" | while IFS= read -r _cmd; do
		[ -z "$_cmd" ] || eval "$_cmd" || true
	done
	netns_cleanup
	exit "$_rc"
}
trap _netns_exit EXIT
# A signal (the runner's timeout sends TERM) ends the test through the
# EXIT trap, so the namespaces go in every case.
trap 'exit 143' TERM
trap 'exit 130' INT

# ---- namespaces --------------------------------------------------------------------
NETNS_NET=0

_ns() { echo "herald-n$1"; }

netns_add() {
	for _i in "$@"; do
		case $_i in '' | *[!0-9]*) echo "netns_add: bad host number '$_i'" >&2; return 1 ;; esac
		[ "$_i" -ge 1 ] && [ "$_i" -le 254 ] || { echo "netns_add: $_i out of 1..254" >&2; return 1; }
		ip netns add "$(_ns "$_i")" || return 1
		NETNS_LIST="$NETNS_LIST $(_ns "$_i")"
		eval "n$_i() { ip netns exec $(_ns "$_i") \"\$@\"; }"
		# Addresses must work at once: no duplicate address detection.
		"n$_i" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
		"n$_i" ip link set lo up
	done
}

addr4() { echo "10.0.$1.$2"; }
addr6() { echo "fd00:$1::$2"; }

# _netns_addr I DEV K: give host I's addresses on subnet K to DEV, bring it up.
_netns_addr() {
	"n$1" ip addr add "$(addr4 "$3" "$1")/24" dev "$2" &&
		"n$1" ip -6 addr add "$(addr6 "$3" "$1")/64" dev "$2" nodad &&
		"n$1" ip link set "$2" up
}

netns_link() {
	NETNS_NET=$((NETNS_NET + 1))
	ip link add "to_n$2" netns "$(_ns "$1")" type veth peer name "to_n$1" netns "$(_ns "$2")" &&
		_netns_addr "$1" "to_n$2" "$NETNS_NET" &&
		_netns_addr "$2" "to_n$1" "$NETNS_NET"
}

netns_lan() {
	NETNS_NET=$((NETNS_NET + 1))
	_sw=herald-sw
	if ! ip netns list | grep -q "^$_sw\\b"; then
		ip netns add "$_sw" || return 1
		NETNS_LIST="$NETNS_LIST $_sw"
	fi
	_br=br$NETNS_NET
	ip -n "$_sw" link add "$_br" type bridge mcast_snooping 0 stp_state 0 forward_delay 0 &&
		ip -n "$_sw" link set "$_br" up || return 1
	for _i in "$@"; do
		_p=p$NETNS_NET-$_i
		ip link add "lan$NETNS_NET" netns "$(_ns "$_i")" type veth peer name "$_p" netns "$_sw" &&
			ip -n "$_sw" link set "$_p" master "$_br" &&
			ip -n "$_sw" link set "$_p" up &&
			_netns_addr "$_i" "lan$NETNS_NET" "$NETNS_NET" || return 1
	done
}

# IPv6 multicast is routed by the "local" table, which the kernel fills
# with one ff00::/8 route per interface (metric 256): a better metric there
# picks DEV.
netns_mcast_route() {
	"n$1" ip route replace 224.0.0.0/4 dev "$2" &&
		"n$1" ip -6 route add multicast ff00::/8 dev "$2" table local metric 1
}

# netns_ping I ADDR: one ping from nI (IPv4 or IPv6), 5 s to answer. Uses
# iputils ping when installed, else busybox's.
netns_ping() {
	_h=$1
	shift
	if command -v ping >/dev/null 2>&1; then
		"n$_h" ping -c 1 -W 5 "$@"
	else
		case $1 in
		*:*) "n$_h" busybox ping -6 -c 1 -W 5 "$@" ;;
		*) "n$_h" busybox ping -c 1 -W 5 "$@" ;;
		esac
	fi
}

netns_forwarding() {
	"n$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

netns_cleanup() {
	for _n in $NETNS_LIST; do
		for _p in $(ip netns pids "$_n" 2>/dev/null); do
			kill -KILL "$_p" 2>/dev/null
		done
		ip netns del "$_n" 2>/dev/null
	done
	NETNS_LIST=
}

# ---- kernel log --------------------------------------------------------------------
DMESG_MARK=

dmesg_mark() {
	DMESG_MARK="herald-test-mark $$ $(date +%s%N)"
	echo "$DMESG_MARK" >/dev/kmsg
}

dmesg_since_mark() {
	if [ -n "$DMESG_MARK" ]; then
		dmesg | sed -n "/$DMESG_MARK/,\$p" | sed 1d
	else
		dmesg
	fi
}

DMESG_BAD='Oops|BUG:|WARNING:|Call Trace|Kernel panic|KASAN|UBSAN|general protection fault|kernel BUG at|refcount_t:|list_(add|del) corruption'

check_dmesg_clean() {
	_bad=$(dmesg_since_mark | grep -E "$DMESG_BAD")
	if [ -z "$_bad" ]; then
		ok "$1"
	else
		not_ok "$1" "the kernel log has problems:"
		printf '%s\n' "$_bad" | head -n 20 | sed 's/^/#   /'
	fi
}

# ---- herald.ko -----------------------------------------------------------------------
herald_loaded() { [ -d /sys/module/herald ]; }

herald_load() {
	herald_loaded && return 0
	[ -f "$HERALD_KO" ] || { echo "herald_load: $HERALD_KO missing (make modules-all)" >&2; return 1; }
	for _d in $(modinfo -F depends "$HERALD_KO" | tr ',' ' '); do
		modprobe "$_d" || return 1
	done
	# shellcheck disable=SC2086 # parameters are split on purpose
	insmod "$HERALD_KO" ${1:-$HERALD_PARAMS}
}

herald_unload() { rmmod herald; }

# first_id: the id of the first object of a heraldctl -j show list on stdin
first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }

# is_num S: S is a non-negative decimal number
is_num() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
