#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a script as root inside a QEMU guest booted from a Debian kernel in
# /boot, with the host's root filesystem as the guest's root (9p, read-only,
# with a tmpfs overlay on top: writes stay in the guest) and herald.ko from
# build/kmod/<release>/ loaded.
#
#   tests/vm/run.sh [-k 6.1|6.12|<release>] [-t timeout_s] [-o outdir]
#                   [-m "module params"] [-K herald.ko | -N] script [args...]
#
#   -k  kernel: a series known to tools/kernels.sh (6.1, 6.12) or an exact
#       release with /boot/vmlinuz-<release>; default 6.1
#   -t  seconds before the guest is killed and the run fails; default 300
#   -o  host directory for the run's files; default a new directory under
#       build/vm/<release>/runs/ (the newest 10 are kept)
#   -m  parameters for herald.ko, e.g. -m "selftest=1"
#   -K  load this herald.ko instead of build/kmod/<release>/herald.ko
#       (either is copied to outdir when the run starts)
#   -N  do not load herald.ko
#
# The script runs with cwd = the source tree, stdin /dev/null and these
# variables: VM_TOP (source tree, same path as on the host), VM_OUT (outdir,
# read-write, shared with the host: put artefacts there), VM_KREL (kernel
# release), HERALD_KO (the copy of herald.ko in outdir, for reloading),
# HERALD_PARAMS (-m), VM_HERALD (loaded|absent|skipped).
# Paths are the host's; /tmp, /run and /dev are fresh in the guest, so the
# script itself must not live there (outdir may).
#
# Its stdout and stderr come back on their own virtio-serial ports and are
# copied to this script's stdout and stderr as they arrive; run.sh's own
# messages go to stderr prefixed with "vm:". Files in outdir:
#   vm-console.log  kernel console (serial)     vm-stdout.log, vm-stderr.log
#   vm-status.log   markers from the guest      vm-qemu.log   QEMU's messages
#   dmesg.txt       the guest's dmesg after the script (on a clean shutdown)
#
# Exit status: the script's, unless the run itself failed:
#   124 the guest ran past the timeout (QEMU killed)
#   125 the kernel console shows an oops, BUG, WARNING, KASAN/UBSAN report,
#       call trace or panic (panic_on_warn=1 oops=panic: the guest stops there)
#   126 the guest never reported an exit status (it died during boot)
#   1   herald.ko failed to load (or rejected a -m parameter) or to unload
#       after the script, or another setup error
#   2   bad usage
#
# The initramfs (busybox-static, the modules that mount the root, init.sh)
# is built in build/vm/<release>/ and rebuilt when any of its inputs change.

set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
VMDIR="$TOP/tests/vm"

usage() {
	sed -n '/^#   tests\/vm\/run.sh/,/^#   -N/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

msg() { echo "vm: $*" >&2; }
die() { msg "$*"; exit 1; }

kernel=6.1
timeout_s=300
outdir=
params=
load_herald=1
herald_ko=
while getopts k:t:o:m:K:Nh opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	o) outdir=$OPTARG ;;
	m) params=$OPTARG ;;
	K) herald_ko=$(realpath -e -- "$OPTARG") || die "no such module: $OPTARG" ;;
	N) load_herald=0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
case $timeout_s in '' | *[!0-9]*) die "-t wants whole seconds, got '$timeout_s'" ;; esac

script=$(realpath -e -- "$1") || die "no such script: $1"
shift

# ---- the kernel ------------------------------------------------------------
if [ -f "/boot/vmlinuz-$kernel" ]; then
	rel=$kernel
else
	rel=$("$TOP/tools/kernels.sh" | awk -v s="$kernel" '$1 == s { print $2 }')
	[ -n "$rel" ] || die "no kernel for '$kernel' (tools/kernels.sh: $("$TOP/tools/kernels.sh" | tr '\n' ' '))"
fi
kimg=/boot/vmlinuz-$rel
moddir=/lib/modules/$rel
[ -r "$kimg" ] || die "$kimg not readable"
[ -f "$moddir/modules.dep" ] || die "$moddir/modules.dep missing"

# ---- the initramfs -----------------------------------------------------------
# Modules that mount the root, in load order. The virtio PCI transport goes
# first so the 9p device exists when 9pnet_virtio binds to it; everything
# else is the modules.dep closure of the targets (built-ins are skipped).
ROOT_MODULES="virtio_pci 9pnet_virtio 9p overlay"

declare -A DEP=() PATHOF=() SEEN=()
ORDER=()

load_modules_dep() {
	local path deps name
	while IFS=: read -r path deps; do
		name=${path##*/}
		name=${name%%.ko*}
		name=${name//-/_}
		PATHOF[$name]=$path
		DEP[$name]=$deps
	done <"$moddir/modules.dep"
}

# Append module $1 after its dependencies (modprobe's order: last listed
# dependency first).
add_module() {
	local name=${1//-/_} i d
	local -a deps
	[ -z "${SEEN[$name]:-}" ] || return 0
	SEEN[$name]=1
	if [ -z "${PATHOF[$name]:-}" ]; then
		grep -q "/$1\.ko" "$moddir/modules.builtin" 2>/dev/null && return 0
		die "module $1 is neither in $moddir/modules.dep nor built in"
	fi
	read -r -a deps <<<"${DEP[$name]}"
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		d=${deps[i]##*/}
		add_module "${d%%.ko*}"
	done
	ORDER+=("${PATHOF[$name]}")
}

# Copy a module, decompressing it: busybox insmod wants plain ELF.
copy_module() {
	case $1 in
	*.ko.xz) xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -qdc "$1" >"$2" ;;
	*.ko.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

build_initramfs() {
	local dir=$TOP/build/vm/$rel key m stage base
	mkdir -p "$dir"
	INITRD=$dir/initramfs.cpio
	load_modules_dep
	for m in $ROOT_MODULES; do add_module "$m"; done

	key=$({
		echo "initramfs-v1 $rel"
		sha256sum "$VMDIR/init.sh" /bin/busybox
		for m in "${ORDER[@]}"; do stat -c '%n %s %Y' "$moddir/$m"; done
	} | sha256sum | cut -d' ' -f1)
	if [ -f "$INITRD" ] && [ "$(cat "$dir/initramfs.key" 2>/dev/null)" = "$key" ]; then
		return 0
	fi

	msg "building $INITRD"
	stage=$(mktemp -d "$dir/stage.XXXXXX")
	mkdir -p "$stage/bin" "$stage/dev" "$stage/modules"
	cp /bin/busybox "$stage/bin/busybox"
	install -m 755 "$VMDIR/init.sh" "$stage/init"
	mknod "$stage/dev/console" c 5 1
	for m in "${ORDER[@]}"; do
		base=${m##*/}
		base=${base%%.ko*}.ko
		copy_module "$moddir/$m" "$stage/modules/$base"
		echo "$base" >>"$stage/modules.list"
	done
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$INITRD.tmp.$$"
	mv "$INITRD.tmp.$$" "$INITRD" # atomic for runs in parallel
	echo "$key" >"$dir/initramfs.key"
	rm -rf "$stage"
}

# The uncompressed kernel: QEMU boots its ELF directly through the PVH entry
# point, which skips the real-mode setup and the decompressor (about 3.5 s
# of TCG time for Debian's xz/zstd images). Falls back to the bzImage when
# the payload cannot be extracted or lacks the PVH note.
extract_vmlinux() {
	local dir=$TOP/build/vm/$rel out key off tmp
	out=$dir/vmlinux
	key=$(stat -c '%n %s %Y' "$kimg")
	if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
		KERNEL=$out
		return 0
	fi
	tmp=$out.tmp.$$
	# The payload starts at the compressor's magic number (xz, then zstd).
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kimg" | head -n 1 | cut -d: -f1 || true)
	if [ -n "$off" ]; then
		tail -c +$((off + 1)) "$kimg" | xz -dc --single-stream >"$tmp" 2>/dev/null || true
	else
		off=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$kimg" | head -n 1 | cut -d: -f1 || true)
		# zstd complains about the bytes after the frame; the output is whole.
		[ -z "$off" ] || tail -c +$((off + 1)) "$kimg" | zstd -qdc >"$tmp" 2>/dev/null || true
	fi
	# XEN_ELFNOTE_PHYS32_ENTRY (type 18) is the PVH entry QEMU looks for.
	if [ -s "$tmp" ] && readelf -n "$tmp" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
		mv "$tmp" "$out"
		echo "$key" >"$out.key"
		KERNEL=$out
	else
		rm -f "$tmp"
		msg "cannot extract a PVH-bootable vmlinux from $kimg; booting the bzImage (slower)"
		KERNEL=$kimg
	fi
}

if ! [ -x /bin/busybox ] || ! file -L /bin/busybox | grep -q 'statically linked'; then
	die "/bin/busybox must be busybox-static (apt-get install busybox-static)"
fi
build_initramfs
extract_vmlinux

# ---- the output directory ----------------------------------------------------
if [ -z "$outdir" ]; then
	runs=$TOP/build/vm/$rel/runs
	mkdir -p "$runs"
	# Keep the newest 10 runs.
	{ ls -1dt "$runs"/*/ 2>/dev/null || true; } | tail -n +10 | xargs -r rm -rf --
	outdir=$(mktemp -d "$runs/$(date +%Y%m%d-%H%M%S)-XXXX")
else
	mkdir -p "$outdir"
	outdir=$(realpath "$outdir")
fi
case $outdir in *[[:space:],]*) die "outdir must not contain spaces or commas: $outdir" ;; esac
case $TOP in *[[:space:],]*) die "the source tree path must not contain spaces or commas: $TOP" ;; esac
case $script in
"$outdir"/*) ;;
/tmp/* | /run/* | /dev/* | /proc/* | /sys/*)
	die "$script is hidden in the guest (fresh /tmp, /run, /dev there); move it" ;;
esac

rm -f "$outdir"/vm-{console,stdout,stderr,status,qemu}.log "$outdir/dmesg.txt" "$outdir/herald.ko"

# A snapshot of the module: the build directory may be rebuilt (make
# modules-all empties it first) while the guest boots.
[ -n "$herald_ko" ] || herald_ko=$TOP/build/kmod/$rel/herald.ko
if [ "$load_herald" = 1 ] && [ -f "$herald_ko" ]; then
	cp "$herald_ko" "$outdir/herald.ko"
	msg "herald.ko: $herald_ko (srcversion $(modinfo -F srcversion "$outdir/herald.ko" 2>/dev/null))"
	herald_ko=$outdir/herald.ko
fi
touch "$outdir"/vm-{console,stdout,stderr,status}.log

# The job for guest-init.sh, sourced by /bin/sh there.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
	echo "VM_SCRIPT=$(shq "$script")"
	echo "VM_KREL=$(shq "$rel")"
	echo "VM_HERALD_LOAD=$load_herald"
	echo "VM_HERALD_PARAMS=$(shq "$params")"
	echo "VM_HERALD_KO=$(shq "$herald_ko")"
	printf 'set --'
	for a in "$@"; do printf ' %s' "$(shq "$a")"; done
	echo
} >"$outdir/.vm-job"

# ---- boot --------------------------------------------------------------------
# panic_on_warn/oops=panic/panic=-1 with -no-reboot: the first WARN, oops or
# panic ends QEMU. The stall detectors get more slack than on hardware: TCG
# on a loaded 2-core host can be slow, and a false stall report would fail
# the run.
cmdline="console=ttyS0 rdinit=/init panic=-1 oops=panic panic_on_warn=1"
cmdline+=" watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=60"
cmdline+=" i8042.noaux i8042.nokbd i8042.nopnp 8250.nr_uarts=1 cryptomgr.notests"
cmdline+=" vm_top=$TOP vm_out=$outdir"

# shellcheck disable=SC2054 # commas separate QEMU's sub-options
qemu_args=(
	-accel tcg -cpu max -m 2G -smp 2
	-nodefaults -no-user-config -display none -monitor none -no-reboot
	-kernel "$KERNEL" -initrd "$INITRD" -append "$cmdline"
	-serial "file:$outdir/vm-console.log"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$outdir,mount_tag=vmout,security_model=none,multidevs=remap"
	-device virtio-serial-pci,id=vser
)
# One virtio-serial port per stream, named so the guest can find it.
for port in stdout stderr status; do
	qemu_args+=(-chardev "file,id=$port,path=$outdir/vm-$port.log"
		-device "virtserialport,bus=vser.0,chardev=$port,name=$port")
done

msg "kernel $rel, script $script, output in $outdir"
t0=$(date +%s%N)
qemu-system-x86_64 "${qemu_args[@]}" </dev/null >"$outdir/vm-qemu.log" 2>&1 &
qpid=$!

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	kill "$qpid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Stream the script's output while it runs.
tail -n +1 -f -s 0.2 --pid="$qpid" "$outdir/vm-stdout.log" &
tail1=$!
tail -n +1 -f -s 0.2 --pid="$qpid" "$outdir/vm-stderr.log" >&2 &
tail2=$!

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

boot_s=
timed_out=0
while kill -0 "$qpid" 2>/dev/null; do
	now=$(date +%s%N)
	if [ -z "$boot_s" ] && grep -q '^start' "$outdir/vm-status.log"; then
		boot_s="$(secs "$t0" "$now") s"
		msg "boot to script: $boot_s"
	fi
	if [ $(((now - t0) / 1000000000)) -ge "$timeout_s" ]; then
		timed_out=1
		kill "$qpid" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
qrc=0
wait "$qpid" || qrc=$?
wait "$tail1" "$tail2" 2>/dev/null || true
trap - EXIT INT TERM
total_s=$(secs "$t0" "$(date +%s%N)")
if [ -z "$boot_s" ] && grep -q '^start' "$outdir/vm-status.log"; then
	boot_s="n/a (the script ended within 0.2 s)"
fi

# ---- verdict -------------------------------------------------------------------
BAD='Oops|BUG:|WARNING:|Call Trace|Kernel panic|KASAN|UBSAN|general protection fault|kernel BUG at|stack-protector|refcount_t:|list_(add|del) corruption|INFO: task .* blocked|rcu: INFO|watchdog: BUG'
crash=$(grep -aE "$BAD" "$outdir/vm-console.log" | head -n 20 || true)
errors=$(grep -a '^error' "$outdir/vm-status.log" || true)
exitline=$(grep -a '^exit ' "$outdir/vm-status.log" | tail -n 1 || true)

show_console() {
	msg "last lines of the kernel console ($outdir/vm-console.log):"
	tail -n 40 "$outdir/vm-console.log" | sed 's/^/vm:   /' >&2
}

rc=0
if [ -n "$exitline" ]; then
	rc=${exitline#exit }
fi
if [ "$timed_out" = 1 ]; then
	msg "TIMEOUT: the guest ran past ${timeout_s} s; QEMU killed"
	show_console
	rc=124
elif [ -n "$crash" ]; then
	msg "KERNEL PROBLEM on the console:"
	printf '%s\n' "$crash" | sed 's/^/vm:   /' >&2
	show_console
	rc=125
elif [ -z "$exitline" ] && [ -n "$errors" ]; then
	msg "guest setup failed, the script did not run:"
	printf '%s\n' "$errors" | sed 's/^/vm:   /' >&2
	rc=1
elif [ -z "$exitline" ]; then
	msg "the guest ended without reporting an exit status (QEMU status $qrc)"
	[ -s "$outdir/vm-qemu.log" ] && sed 's/^/vm:   qemu: /' "$outdir/vm-qemu.log" >&2
	show_console
	rc=126
elif [ -n "$errors" ]; then
	printf '%s\n' "$errors" | sed 's/^/vm: /' >&2
	[ "$rc" != 0 ] || rc=1
fi
msg "kernel $rel: boot to script ${boot_s:-n/a}, total ${total_s} s, status $rc"
exit "$rc"
