#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An unprivileged user (nobody, no capabilities) may read (heraldctl info)
# but not change state: heraldctl policy set fails with a message naming
# CAP_NET_ADMIN, and the policy stays as it was. The same as root works.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

if [ ! -x "$HERALDCTL" ]; then
	not_ok "heraldctl is built" "$HERALDCTL missing: make userspace"
	tap_done
fi
herald_loaded || herald_load || exit 1

# nobody, no supplementary groups, no capabilities at all.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all -- "$@"
}
check "setpriv drops to uid 65534" test "$(as_nobody id -u)" = 65534

policy() { "$HERALDCTL" -j info | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["policy"]["require_encryption"]))'; }
before=$(policy)
diag "require_encryption before: $before"

out=$(as_nobody "$HERALDCTL" policy set require-encryption on 2>&1)
rc=$?
check "unprivileged policy set fails" test "$rc" -ne 0
check "the error names CAP_NET_ADMIN" \
	has "$out" 'CAP_NET_ADMIN'
check "the error says permission denied" \
	has "$out" '[Pp]ermission denied'
diag "nobody: heraldctl policy set require-encryption on -> status $rc: $out"
check "the policy did not change" test "$(policy)" = "$before"

out=$(as_nobody "$HERALDCTL" info 2>&1)
rc=$?
check "unprivileged heraldctl info works" test "$rc" -eq 0
check "unprivileged heraldctl info shows the module" \
	has "$out" 'herald module'
check "unprivileged heraldctl -j info works" as_nobody "$HERALDCTL" -j info

# The same command as root succeeds, so the refusal above was about
# privilege, not a broken command. Put the policy back afterwards.
check "root policy set require-encryption on works" \
	"$HERALDCTL" policy set require-encryption on
check "the policy is on" test "$(policy)" = true
check "root policy set require-encryption off works" \
	"$HERALDCTL" policy set require-encryption off
tap_done
