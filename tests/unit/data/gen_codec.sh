#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates the codec reference files next to this script. Run by hand;
# the unit tests only read the results (and, if sox/ffmpeg are installed,
# also compare against them afresh at run time). Made with SoX 14.4.2 and
# FFmpeg 5.1 (Debian 12).
#
#   g711_ulaw.s16, g711_alaw.s16  every code 0..255 decoded by SoX,
#                                 256 signed 16-bit little-endian samples
#   g722_ref.g722                 0.25 s at 16 kHz encoded by FFmpeg (64 kbit/s):
#                                 0.15 s of a 200 Hz..4.3 kHz chirp plus a 5.5 kHz
#                                 tone, then 0.1 s of a full-scale 300 Hz square
#   g722_ref.s16                  that stream decoded by FFmpeg, s16le
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

i=0
while [ $i -lt 256 ]; do
	printf "\\$(printf %o $i)"
	i=$((i + 1))
done > "$tmp/all256.raw"
[ "$(wc -c < "$tmp/all256.raw")" = 256 ]
sox -t raw -r 8000 -e mu-law -b 8 -c 1 "$tmp/all256.raw" -t raw -e signed -b 16 -L g711_ulaw.s16
sox -t raw -r 8000 -e a-law -b 8 -c 1 "$tmp/all256.raw" -t raw -e signed -b 16 -L g711_alaw.s16

q="-hide_banner -loglevel error -y"
ffmpeg $q -f lavfi \
	-i "aevalsrc=if(lt(t\,0.15)\,0.5*sin(2*PI*(200+13600*t)*t)+0.2*sin(2*PI*5500*t)\,0.999*sgn(sin(2*PI*300*t))):s=16000:d=0.25" \
	-f s16le -ac 1 "$tmp/in.s16"
ffmpeg $q -f s16le -ar 16000 -ac 1 -i "$tmp/in.s16" -c:a g722 -f g722 g722_ref.g722
ffmpeg $q -f g722 -i g722_ref.g722 -f s16le g722_ref.s16
