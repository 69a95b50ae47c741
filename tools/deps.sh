#!/bin/sh
# Install every Debian package that building, testing and demonstrating herald needs.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -eu

PKGS="
build-essential pkg-config make gcc clang llvm libclang-rt-14-dev kmod bc
linux-image-amd64 linux-headers-amd64
linux-image-6.12-amd64 linux-headers-6.12-amd64
qemu-system-x86 busybox-static
libnl-3-dev libnl-genl-3-dev libssl-dev openssl libsrtp2-dev libasound2-dev libcurl4-openssl-dev
libcmocka-dev libpcap-dev
dkms
kamailio kamailio-tls-modules baresip-core sip-tester
ffmpeg tshark sox alsa-utils
iproute2 python3 python3-matplotlib valgrind nginx-light dnsmasq-base
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# tshark asks whether non-root users may capture; the default (no) is fine.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
# Don't let package installs start daemons (kamailio, nginx) on the build host.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	created_policy=1
fi
apt-get install -y -q --no-install-recommends $missing
[ "$created_policy" = 1 ] && rm -f "$policy"
exit 0
