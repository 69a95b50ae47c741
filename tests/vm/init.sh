#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# Stage 1 of the herald test guest: /init of the initramfs that tests/vm/run.sh
# builds. Runs under busybox as PID 1 and only mounts the root:
#   - loads the modules listed in /modules.list (virtio transport, 9p,
#     overlay; resolved from modules.dep on the host, in load order),
#   - mounts the host's root filesystem (9p tag "hostroot") read-only,
#   - puts a tmpfs-backed overlay on top of it,
#   - switch_root into the overlay and hands over to stage 2,
#     $vm_top/tests/vm/guest-init.sh (vm_top comes from the kernel command
#     line, which the kernel passes to init as environment).
# Any failure is printed on the console with the "vm-init:" prefix and the
# guest powers off; the host then reports the missing start marker.

PATH=/bin
export PATH

fail() {
	echo "vm-init: FATAL: $*" >/dev/console
	# Give the console a moment, then power off: run.sh sees no marker.
	sync
	poweroff -f
	sleep 60
}

/bin/busybox --install -s /bin
mkdir -p /lower /rw /newroot

[ -n "$vm_top" ] || fail "vm_top= missing from the kernel command line"

while read -r mod; do
	[ -n "$mod" ] || continue
	insmod "/modules/$mod" || fail "insmod $mod failed"
done </modules.list

# cache=loose: the lower layer is read-only and the guest is short-lived, so
# caching data and metadata is safe and makes exec/reads much faster.
mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=512000 \
	hostroot /lower || fail "mounting the host root over 9p failed"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "tmpfs for the overlay failed"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "overlay mount failed"

stage2="$vm_top/tests/vm/guest-init.sh"
[ -r "/newroot$stage2" ] || fail "stage 2 $stage2 not found in the host root"

exec switch_root /newroot /bin/sh "$stage2"
fail "switch_root failed"
