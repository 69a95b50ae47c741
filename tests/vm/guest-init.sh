#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of the herald test guest: PID 1 after switch_root into the overlay
# (host root read-only over 9p + tmpfs). Started by tests/vm/init.sh; the
# kernel command line gave us vm_top (the source tree) and vm_out (the host
# output directory, exported to us read-write over 9p tag "vmout").
#
# It sets up a minimal system (proc, sys, dev, tmp, run, debugfs, hostname,
# lo), loads the modules tests need and herald.ko, runs the job that run.sh
# wrote to $vm_out/.vm-job with stdout/stderr on their own virtio-serial
# ports, reports "start" and "exit <status>" on the "status" port, and
# powers off. It never exits (PID 1 exiting would panic the guest).

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022

console() { echo "vm-guest: $*" >/dev/console; }
# A timestamped line in the kernel log, to see where boot time goes.
mark() { echo "vm-guest: $*" >/dev/kmsg 2>/dev/null; }

# Write one line to the status port (or to the console until it exists).
status() {
	if [ -n "$STATUS_PORT" ]; then
		echo "$*" >"$STATUS_PORT"
	else
		console "status: $*"
	fi
}

# Power off without going through any init system. busybox's poweroff -f
# calls reboot(2) directly; sysrq is the fallback.
halt_guest() {
	sync
	if [ -x /bin/busybox ]; then
		/bin/busybox poweroff -f
	fi
	echo o >/proc/sysrq-trigger
	sleep 600
}

die() {
	console "FATAL: $*"
	[ -n "$STDERR_PORT" ] && echo "vm: $*" >"$STDERR_PORT"
	status "error $*"
	halt_guest
}

# ---- the basic system ---------------------------------------------------
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/lock /run/netns
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -d /sys/fs/cgroup ] && mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
ln -sf /proc/self/fd /dev/fd 2>/dev/null
hostname herald-vm
echo herald-vm >/etc/hostname
ip link set lo up || console "ip link set lo up failed"

[ -n "$vm_top" ] && [ -n "$vm_out" ] || die "vm_top/vm_out missing from the kernel command line"

mkdir -p "$vm_out"
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=512000 vmout "$vm_out" ||
	die "mounting the output directory $vm_out failed"

# ---- the output ports (virtio-serial, named by run.sh) ------------------
modprobe virtio_console 2>/dev/null   # built in on 6.12, a module on 6.1
# The ports appear once the device and QEMU have exchanged control
# messages, a little after the driver binds: wait up to 10 s.
i=0
while [ $i -lt 100 ]; do
	for p in /sys/class/virtio-ports/*; do
		[ -r "$p/name" ] || continue
		read -r pname <"$p/name" || continue
		case $pname in
		stdout) STDOUT_PORT=/dev/${p##*/} ;;
		stderr) STDERR_PORT=/dev/${p##*/} ;;
		status) STATUS_PORT=/dev/${p##*/} ;;
		esac
	done
	[ -c "$STATUS_PORT" ] && [ -c "$STDOUT_PORT" ] && [ -c "$STDERR_PORT" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ -c "$STATUS_PORT" ] && [ -c "$STDOUT_PORT" ] && [ -c "$STDERR_PORT" ] ||
	die "virtio-serial ports stdout/stderr/status not found"
status "boot"
mark "system up"

# ---- the job -------------------------------------------------------------
# Defines VM_SCRIPT, VM_KREL, VM_HERALD_LOAD (1/0), VM_HERALD_PARAMS,
# VM_HERALD_KO (the snapshot in $vm_out, or a path that does not exist) and
# sets the positional parameters to the script's arguments.
[ -r "$vm_out/.vm-job" ] || die "job file $vm_out/.vm-job missing"
. "$vm_out/.vm-job"

[ "$(uname -r)" = "$VM_KREL" ] || die "booted $(uname -r), expected $VM_KREL"

export VM_TOP="$vm_top" VM_OUT="$vm_out" VM_KREL
export HERALD_KO="$VM_HERALD_KO"
export HERALD_PARAMS="$VM_HERALD_PARAMS"
export HOME=/root LANG=C.UTF-8 TERM=dumb
unset vm_top vm_out

# There is no udev here to load CPU-feature drivers. Load the x86 crypto
# drivers herald's suites use (AES-NI, CLMUL GHASH, SHA-1) when this CPU
# matches them, as udev would, so the crypto API picks what it picks on a
# real system. (Every CPU-matched module would cost seconds under TCG.)
cpu_crypto=$(modprobe -R "$(cat /sys/devices/system/cpu/modalias)" 2>/dev/null |
	grep -Fx -e aesni_intel -e ghash_clmulni_intel -e sha1_ssse3 | sort -u)

# Modules every test may use, from the guest kernel's own tree (the host's
# /lib/modules/<release>, installed by the linux-image package).
# shellcheck disable=SC2086 # one word per module
modprobe -a udp_tunnel ip6_udp_tunnel veth $cpu_crypto ||
	die "modprobe -a udp_tunnel ip6_udp_tunnel veth $cpu_crypto failed"
# Two loopback sound cards, the amplifiers of the sink tests: "Loopback"
# (every sink test) and "Loopback2" (t-zones: a second receiver plays on a
# card of its own). Tests find them by id, whatever their index.
modprobe snd-aloop enable=1,1 id=Loopback,Loopback2 ||
	die "modprobe snd-aloop enable=1,1 id=Loopback,Loopback2 failed"
# shellcheck disable=SC2086 # a list on one line
mark "test modules loaded:" $cpu_crypto

# herald.ko: its dependencies come from its own modinfo, then insmod with
# the parameters given to run.sh -m. A failure here fails the run.
VM_HERALD=absent
if [ "$VM_HERALD_LOAD" != 1 ]; then
	VM_HERALD=skipped
elif [ -f "$HERALD_KO" ]; then
	for dep in $(modinfo -F depends "$HERALD_KO" | tr ',' ' '); do
		modprobe "$dep" || die "modprobe $dep (needed by herald.ko) failed"
	done
	# shellcheck disable=SC2086 # the parameters are split on purpose
	if ! out=$(insmod "$HERALD_KO" $VM_HERALD_PARAMS 2>&1); then
		echo "vm: insmod $HERALD_KO $VM_HERALD_PARAMS failed: $out" >"$STDERR_PORT"
		sleep 0.2
		dmesg | grep -i herald | tail -n 20 >"$STDERR_PORT"
		die "herald.ko failed to load"
	fi
	# The kernel ignores unknown parameters with a log line; a test asking
	# for one (say selftest=1 before it exists) must not pass silently.
	if bad=$(dmesg | grep -E 'herald: unknown parameter'); then
		echo "vm: $bad" >"$STDERR_PORT"
		die "herald.ko does not know a parameter given with -m"
	fi
	VM_HERALD=loaded
else
	echo "vm: $HERALD_KO not built (make modules-all); running without herald" \
		>"$STDERR_PORT"
fi
export VM_HERALD

# ---- run it ----------------------------------------------------------------
cd "$VM_TOP" || die "cd $VM_TOP failed"
status "start"
mark "running $VM_SCRIPT"
if [ -x "$VM_SCRIPT" ]; then
	"$VM_SCRIPT" "$@" </dev/null >"$STDOUT_PORT" 2>"$STDERR_PORT"
else
	/bin/sh "$VM_SCRIPT" "$@" </dev/null >"$STDOUT_PORT" 2>"$STDERR_PORT"
fi
rc=$?
cd /

# ---- after the script ------------------------------------------------------
# Whatever a test left behind must not keep the module: a reference that
# outlives its owner is a bug. Kill leftovers, drop namespaces, unload.
kill -TERM -1 2>/dev/null
sleep 0.2
kill -KILL -1 2>/dev/null
ip -all netns delete 2>/dev/null
if [ -d /sys/module/herald ]; then
	if ! out=$(rmmod herald 2>&1); then
		echo "vm: rmmod herald after the script failed: $out" >"$STDERR_PORT"
		status "error rmmod herald failed after the script"
	fi
fi

dmesg >"$VM_OUT/dmesg.txt" 2>/dev/null
status "exit $rc"
halt_guest
