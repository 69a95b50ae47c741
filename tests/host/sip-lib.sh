# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the SIP host tests (t-sip-*.sh): heraldd and Kamailio.
# Sourced after lib.sh (ok/not_ok), once W, HERALDD and PY are set.
#
# Prerequisites:
#   need_tools TOOL...  not ok "prerequisites" and exit 1 if a TOOL is missing
#   need_heraldd        the same if $HERALDD is not built
#   kam_moddir          sets MODDIR, Kamailio's module directory (tls.so may
#                       come from the separate kamailio-tls-modules package)
#
# heraldd (one at a time, in the foreground, with --status-file):
#   hd_start NAME LINES...  writes $W/NAME.conf ("log.level = debug", the
#                       lines of the array HD_CONF if set, then LINES, mode
#                       0600), starts heraldd under $HD_WRAP, logs to
#                       $W/NAME.log, status in $W/NAME.json; sets HD_PID and
#                       HD_NAME and appends the pid to PIDS
#   hd_stop             SIGTERM, wait (at most HD_STOP_SECONDS, default 20 s)
#                       for the exit; returns heraldd's exit status
#   field NAME KEY      one field of account u1 in $W/NAME.json
#   wait_status NAME STATUS SECONDS  until account u1 reports STATUS; says
#                       what it saw instead when it times out
#   wait_file PATH      until PATH exists, at most 10 s (a helper's readiness)
#
# Kamailio (the test writes DIR/kamailio.cfg, with its ctl socket DIR/ctl.sock):
#   kam_run DIR PIDFILE     starts kamailio -f DIR/kamailio.cfg, log appended
#                       to DIR/kamailio.log; waits at most 5 s for the ctl
#                       socket and PIDFILE; returns 0 once both are there
#   kam_kill PID DIR PIDFILE  SIGTERM to PID (nothing if empty), waits at most
#                       5 s for the exit, removes DIR/ctl.sock and PIDFILE
#   kam_bindings SOCK USER  the contacts the instance behind ctl socket SOCK
#                       holds for USER (kamcmd ul.dump)

need_tools()
{
	local tool

	for tool in "$@"; do
		if ! command -v $tool >/dev/null; then
			not_ok "prerequisites" "$tool missing (make deps)"
			exit 1
		fi
	done
}

need_heraldd()
{
	if [ ! -x "$HERALDD" ]; then
		not_ok "prerequisites" "$HERALDD not built (make userspace)"
		exit 1
	fi
}

kam_moddir()
{
	MODDIR=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/tm.so$' | head -1)")
	if [ ! -f "$MODDIR/tls.so" ] && [ -f "$(dpkg -L kamailio-tls-modules 2>/dev/null | grep '/tls.so$' | head -1)" ]; then
		MODDIR=$(dirname "$(dpkg -L kamailio-tls-modules | grep '/tls.so$' | head -1)")
	fi
}

# ---- heraldd ---------------------------------------------------------------
HD_PID=
hd_start()
{
	local name=$1

	shift
	# It holds a password: heraldd refuses a secret others can read.
	(umask 077; printf '%s\n' "log.level = debug" ${HD_CONF+"${HD_CONF[@]}"} "$@" > "$W/$name.conf")
	${HD_WRAP:-} "$HERALDD" -f -c "$W/$name.conf" --status-file "$W/$name.json" > "$W/$name.log" 2>&1 &
	HD_PID=$!
	PIDS+=("$HD_PID")
	HD_NAME=$name
}

hd_stop()
{
	local i rc

	kill -TERM "$HD_PID" 2>/dev/null
	for ((i = 0; i < ${HD_STOP_SECONDS:-20} * 10; i++)); do
		kill -0 "$HD_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$HD_PID" 2>/dev/null
	rc=$?
	HD_PID=
	return $rc
}

field()
{
	"$PY" - "$W/$1.json" "$2" <<'EOF' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))
print(d["registration"]["accounts"][0][sys.argv[2]])
EOF
}

wait_status()
{
	local deadline=$((SECONDS + $3 + 1))

	while [ $SECONDS -lt $deadline ]; do
		[ "$(field "$1" status)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "# $1: status is \"$(field "$1" status)\" ($(field "$1" code) $(field "$1" reason)), wanted \"$2\""
	return 1
}

wait_file()
{
	local i

	for i in $(seq 1 100); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- Kamailio --------------------------------------------------------------
kam_run()
{
	local i

	kamailio -f "$1/kamailio.cfg" -P "$2" -Y "$1" -m 32 -M 8 -E >> "$1/kamailio.log" 2>&1
	for i in $(seq 1 50); do
		[ -S "$1/ctl.sock" ] && [ -s "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

kam_kill()
{
	local i

	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	rm -f "$2/ctl.sock" "$3"
}

kam_bindings()
{
	kamcmd -s "unix:$1" ul.dump 2>/dev/null |
		awk -v u="$2" '/AoR:/ { cur = $2 } /Address:/ && cur == u { print $2 }'
}
