#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# heraldctl info against the loaded module: JSON (valid, with the module's
# version and a non-empty suites list), the human output, and the message
# and exit status when the module is not loaded.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

PY=/usr/bin/python3 # Debian's: json is in its standard library

if [ ! -x "$HERALDCTL" ]; then
	not_ok "heraldctl is built" "$HERALDCTL missing: make userspace"
	tap_done
fi
herald_loaded || herald_load || exit 1
version=$(cat /sys/module/herald/version)

json=$("$HERALDCTL" -j info 2>/tmp/info.err)
rc=$?
check "heraldctl -j info exits 0" test "$rc" -eq 0
[ -s /tmp/info.err ] && sed 's/^/#   stderr: /' /tmp/info.err
valid_json() { printf '%s' "$1" | "$PY" -m json.tool; }
check "heraldctl -j info is valid JSON" valid_json "$json"

# The content, checked by Python: version matches the module, suites is a
# non-empty list of objects with a name and non-zero key and tag lengths.
check "JSON has version $version and a non-empty suites list" "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert isinstance(d, dict), "not an object: %r" % (d,)
assert d.get("version") == sys.argv[2], "version %r, module has %r" % (d.get("version"), sys.argv[2])
s = d.get("suites")
assert isinstance(s, list) and s, "suites: %r" % (s,)
for e in s:
    assert isinstance(e, dict) and e.get("name"), "suite without a name: %r" % (e,)
    assert e.get("key_len", 0) > 0 and e.get("tag_len", 0) > 0, "bad lengths: %r" % (e,)
print(len(s), "suites:", ", ".join(e["name"] for e in s))
' "$json" "$version"
diag "$(printf "%s" "$json" | head -c 600)"

human=$("$HERALDCTL" info 2>&1)
rc=$?
check "heraldctl info exits 0" test "$rc" -eq 0
check "heraldctl info names the module version" \
	has "$human" "herald module $version"
check "heraldctl info lists AES_CM_128_HMAC_SHA1_80" \
	has "$human" 'AES_CM_128_HMAC_SHA1_80'
printf '%s\n' "$human" | sed 's/^/#   /'

# Without the module: a clear message, non-zero status, for both outputs.
check "rmmod herald" herald_unload
for opt in "" "-j"; do
	# shellcheck disable=SC2086 # $opt is empty or one word
	out=$("$HERALDCTL" $opt info 2>&1)
	rc=$?
	check "heraldctl${opt:+ $opt} info without the module exits non-zero" test "$rc" -ne 0
	check "heraldctl${opt:+ $opt} info without the module says how to fix it" \
		has "$out" 'herald module not loaded: modprobe herald'
	[ "$rc" -ne 0 ] || diag "output: $out"
done
check "insmod herald again" herald_load
tap_done
