#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the guest: a real encrypted page through herald.ko.
#
#   n1 "PBX media"  --SRTP-->  n2 herald gateway  --SRTP zones-->  n3, n4 speakers
#
# The page is a real SRTP capture (La Marseillaise, A-law, the shared
# fixture), or a generated announcement when the fixture is absent. The
# gateway decrypts it in the kernel and fans it out to two multicast zones,
# each re-encrypted under its own key (AES_CM_128_HMAC_SHA1_80 and
# AEAD_AES_128_GCM); the speakers decrypt with libsrtp2 and the audio each
# received is left as WAV and PNG spectrogram in the demo folder.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
H=$HERALDCTL
T=$VM_TOP/build/tests/tools
OUT=${VM_OUT:-/tmp}
FIXTURE=$VM_TOP/../shared/fixtures/marseillaise-srtp.pcap
PACKETS=1000	# 20 s of audio

echo "== herald.ko"
dmesg | grep -E "herald: (self-tests|.*self-tests)" | sed 's/^\[[^]]*\] //'
$H info
echo

netns_add 1 2 3 4
netns_link 1 2
netns_lan 2 3 4
for i in 2 3 4; do netns_mcast_route "$i" lan2; done

KZ1=$(openssl rand -base64 30)
KZ2=$(openssl rand -base64 28)
n2 $H policy set require-encryption on
n2 $H output add dst 239.10.0.1 port 5001 dev lan2 label zone-lobby \
	suite AES_CM_128_HMAC_SHA1_80 key "inline:$KZ1|2^31|1:4" >/dev/null
n2 $H output add dst 239.10.0.2 port 5002 dev lan2 label zone-yard \
	suite AEAD_AES_128_GCM key "inline:$KZ2|2^31|1:4" >/dev/null

if [ -r "$FIXTURE" ]; then
	KIN=aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz
	SOURCE="the SRTP capture $FIXTURE (first $PACKETS packets)"
else
	KIN=$(openssl rand -base64 30)
	sox -n -r 8000 -c 1 -e a-law -t raw /tmp/page.alaw synth 20 sine 440:880 vol 0.5
	SOURCE="a generated 440-880 Hz sweep (fixture absent)"
fi
n2 $H stream add local "$(addr4 1 2)" port 10000 label page suite AES_CM_128_HMAC_SHA1_80 \
	key "inline:$KIN" output 1 output 2 >/dev/null

for z in 1 2; do
	case $z in 1) ns=n3 suite=AES_CM_128_HMAC_SHA1_80 key=$KZ1 ;;
		   2) ns=n4 suite=AEAD_AES_128_GCM key=$KZ2 ;; esac
	$ns "$T/srtp-recv" --suite $suite --key "inline:$key|2^31|1:4" --group 239.10.0.$z --iface lan2 \
		--count $PACKETS --timeout 5 --order seq --out /tmp/zone$z.alaw \
		--ready-file /tmp/ready$z 0.0.0.0:500$z >/tmp/zone$z.json 2>&1 &
done
for z in 1 2; do i=0; while [ ! -s /tmp/ready$z ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; done

echo "== paging: $SOURCE"
if [ -r "$FIXTURE" ]; then
	n1 "$T/pcap-replay" --limit $PACKETS --speed 4 --to "$(addr4 1 2):10000" "$FIXTURE" >/dev/null
else
	n1 "$T/srtp-send" --key "$KIN" --ssrc 0xdeadbeef --pt 8 --payload-file /tmp/page.alaw \
		--rate 200 "$(addr4 1 2):10000" >/dev/null
fi
wait

echo
echo "== kernel counters"
n2 $H stream show
n2 $H output show
echo "== speakers (libsrtp2 decrypting the zones)"
for z in 1 2; do echo "zone $z: $(cat /tmp/zone$z.json)"; done
echo
echo "== encryption"
n2 $H policy show
echo "every leg of this page is SRTP: PBX media -> gateway, gateway -> both zones"
for z in 1 2; do
	sox -t raw -r 8000 -e a-law -b 8 -c 1 /tmp/zone$z.alaw "$OUT/zone$z.wav" &&
		sox "$OUT/zone$z.wav" -n spectrogram -o "$OUT/zone$z.png" -t "herald demo: zone $z" &&
		echo "zone $z audio: $OUT/zone$z.wav, spectrogram: $OUT/zone$z.png"
done
