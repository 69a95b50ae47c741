#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# herald.ko is loaded in the guest, and it is the module of this tree's build
# for the running kernel (same srcversion), and it said so in the kernel log.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
check "sysfs has /sys/module/herald" test -d /sys/module/herald
check "lsmod lists herald" sh -c 'lsmod | grep -q "^herald "'
check "module state is live" grep -qx live /sys/module/herald/initstate

# The loaded module is the fresh build, not some other herald.ko.
built=$(modinfo -F srcversion "$HERALD_KO")
loaded=$(cat /sys/module/herald/srcversion 2>/dev/null)
if [ -n "$built" ] && [ "$built" = "$loaded" ]; then
	ok "the loaded module is this build (srcversion $built)"
else
	not_ok "the loaded module is this build" "srcversion built '$built', loaded '$loaded'"
fi
version=$(modinfo -F version "$HERALD_KO")
check "sysfs version is $version" grep -qx "$version" /sys/module/herald/version

check "kernel log says herald $version loaded" \
	sh -c "dmesg | grep -E 'herald $version loaded\$'"
check "herald generic netlink family is registered" \
	sh -c 'genl ctrl get name herald | grep -q "Name: herald"'
check_dmesg_clean "no kernel warnings since boot"
tap_done
