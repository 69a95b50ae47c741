#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the DKMS packaging works on this machine: `dkms add`, `dkms build`
# and `dkms install` for every supported kernel whose headers are installed
# (none of them is the running kernel here), then `dkms remove`, leaving the
# machine as it was. Prints TAP lines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n 's/^#define HERALD_VERSION "\(.*\)"$/\1/p' "$top/kmod/herald.h")
conf_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
src=/usr/src/herald-$ver
failed=0

ok() { echo "ok $*"; }
not_ok() { echo "not ok $*"; failed=1; }

if [ "$ver" = "$conf_ver" ]; then ok "dkms: dkms.conf version matches module ($ver)"
else not_ok "dkms: dkms.conf says $conf_ver, module says $ver"; fi

# Start from a clean slate: an earlier interrupted run may have left a copy.
dkms remove "herald/$ver" --all >/dev/null 2>&1
rm -rf "$src"
mkdir -p "$src"
(cd "$top" && cp -r --parents Kbuild dkms.conf kmod uapi "$src/")
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete

if dkms add "herald/$ver" >/tmp/dkms-add.log 2>&1; then ok "dkms: add"
else cat /tmp/dkms-add.log; not_ok "dkms: add"; fi

while read -r series rel; do
	if dkms build "herald/$ver" -k "$rel" >/tmp/dkms-build.log 2>&1; then
		ok "dkms: build for $rel"
	else
		cat /tmp/dkms-build.log
		find /var/lib/dkms/herald/"$ver"/build -name make.log -exec cat {} + 2>/dev/null
		not_ok "dkms: build for $rel"
		continue
	fi
	if dkms install "herald/$ver" -k "$rel" >/tmp/dkms-install.log 2>&1 &&
	   got=$(modinfo -k "$rel" -F version herald 2>/dev/null) && [ "$got" = "$ver" ]; then
		ok "dkms: install for $rel (modinfo finds herald $got)"
	else
		cat /tmp/dkms-install.log
		not_ok "dkms: install for $rel"
	fi
done < <("$top/tools/kernels.sh")

dkms remove "herald/$ver" --all >/tmp/dkms-remove.log 2>&1
rm -rf "$src"
if ! dkms status herald 2>/dev/null | grep -q herald &&
   ! find /lib/modules -path '*/updates/dkms/herald.ko*' | grep -q .; then
	ok "dkms: remove leaves nothing behind"
else
	cat /tmp/dkms-remove.log
	not_ok "dkms: remove"
fi
exit $failed
