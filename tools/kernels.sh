#!/bin/sh
# Print the supported kernel series installed on this machine, one line each:
#   <series> <kernel release>
# A kernel counts when its image is in /boot and its headers are installed;
# for each series the newest such release is printed. Series: 6.1 and 6.12.
set -eu
for series in 6.1 6.12; do
	best=""
	for img in /boot/vmlinuz-"$series".*; do
		[ -e "$img" ] || continue
		rel=${img#/boot/vmlinuz-}
		[ -d "/lib/modules/$rel/build" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -n "$best" ] && echo "$series $best"
done
exit 0
