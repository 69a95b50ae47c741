# SPDX-License-Identifier: GPL-2.0
#
# Shared shell helpers for the host tests in tests/host, sourced (not run)
# by t-provision.sh and the t-sip-*.sh (t-srtp-tools.sh keeps its own copy
# for now) after they have set ROOT and W (the temporary directory):
#
#   ok NAME            prints "ok NAME", counts one pass
#   not_ok NAME [WHY]  prints "not ok NAME # WHY", counts one failure
#   check NAME CMD...  ok or not_ok NAME from the status of CMD...
#   tap_done           prints "# N passed, M failed"; returns 1 if any failed
#                      (the test's last command, so also its exit status)
#   kill_pids FN       cleanup: SIGTERM to every pid FN prints, 0.3 s later
#                      SIGKILL to every pid FN prints then (FN runs twice)
#   py_path            the python3 interpreter (behind a pyenv shim if any:
#                      a shim costs seconds per start, the interpreter not)
#   mk_ca NAME SUBJECT            a self-signed RSA CA: $W/NAME.key, .crt
#   mk_cert NAME CA SAN [SUBJECT] an RSA certificate signed by CA with
#                      subjectAltName SAN: $W/NAME.key, .crt (.csr, .ext);
#                      SUBJECT defaults to /CN=NAME
#
# The counters are the globals passed and failed.

passed=0
failed=0

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

# check NAME CONDITION-COMMAND...: one TAP line from a command's status.
check()
{
	local name=$1

	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# eventually SECONDS CMD...: run CMD every 0.2 s until it succeeds (0) or
# SECONDS have passed (1). For state another process publishes a moment
# after the one the test waited for (a registrar's binding table after our
# status file says "Successful").
eventually()
{
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

tap_done()
{
	echo "# $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

kill_pids()
{
	local p

	for p in $("$1"); do
		kill "$p" 2>/dev/null
	done
	sleep 0.3
	for p in $("$1"); do
		kill -9 "$p" 2>/dev/null
	done
}

py_path()
{
	pyenv which python3 2>/dev/null || command -v python3
}

mk_ca()
{
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/$1.key" -out "$W/$1.crt" -days 2 \
		-subj "$2" 2>/dev/null
}

mk_cert()
{
	local name=$1 ca=$2 san=$3 subj=${4:-/CN=$1}

	openssl req -newkey rsa:2048 -nodes -keyout "$W/$name.key" -out "$W/$name.csr" \
		-subj "$subj" 2>/dev/null &&
	printf 'subjectAltName=%s\n' "$san" > "$W/$name.ext" &&
	openssl x509 -req -in "$W/$name.csr" -CA "$W/$ca.crt" -CAkey "$W/$ca.key" \
		-CAcreateserial -out "$W/$name.crt" -days 2 -extfile "$W/$name.ext" 2>/dev/null
}
