# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# A page call heard end to end, in the guest: the pieces shared by
# tests/vm/t-sip-page.sh (which checks it) and tests/vm/demo.sh (`make
# demo`, which shows it). Sourced after netns.sh; POSIX sh.
#
#   baresip --UDP--> Kamailio --TLS--> heraldd --netlink--> herald.ko
#      |                                                     | stream (SRTP) -> sink
#      +------------- SRTP (AES_CM_128_HMAC_SHA1_80) -------->+        |
#                                                             snd-aloop playback
#                                                   arecord <- snd-aloop capture
#
# Everything runs in namespace herald-n2 (function n2), on its loopback:
# the caller, the registrar and heraldd, as on one LAN host. The caller's
# audio is a WAV file (baresip's aufile source): it hangs up (BYE) when the
# file ends, so the page is as long as the file.
#
# Set W (work directory) before sourcing. Functions, each 0 or 1:
#   page_prereq             the tools are installed (not ok names the missing one)
#   page_card               sets CARD: snd-aloop's card index (for arecord and
#                           /proc/asound; heraldd names the card by its id)
#   page_certs              a test CA and a certificate for 127.0.0.1 ($W/ca.crt,
#                           $W/server.crt, .key), EC P-256: quick under TCG
#   page_kamailio           Kamailio registrar/proxy: UDP/TCP $P_KAM, TLS $P_TLS
#   page_heraldd LINES...   heraldd registered over TLS as 1000, its sink on
#                           snd-aloop by id (audio.card = Loopback; audio.*:
#                           48 kHz, 20 ms periods, 8 of them,
#                           target delay $PAGE_DELAY ms), plus LINES; log
#                           $W/heraldd.log, status $W/status.json; sets HD
#   page_registered         the status file says "Successful" and Kamailio
#                           holds the TLS binding
#   page_signal SECONDS     the page: $W/page.wav (8 kHz mono): 1 s of
#                           silence, SECONDS of three tones that are no
#                           harmonics of each other, 0.5 s of silence; and
#                           sox's own PCMU decode of the tones at 48 kHz,
#                           $W/ref48.raw.
#                           The lead-in is what a talker's first breath is:
#                           baresip starts its media while still busy with the
#                           call's set-up, and on a slow guest its first
#                           packets come in a burst after a stall
#   page_dial               baresip dials 1000 through Kamailio with
#                           mediaenc=srtp-mand, PCMU, the WAV as source; sets BS
#   page_record SECONDS     arecord on the loopback's capture side to
#                           $W/cap.raw (48 kHz mono S16); sets AREC
#   stream_json / sink_json heraldctl -j stream|sink show in n2
# (wait_for, bounded in time, is netns.sh's.)

P_KAM=25060 P_TLS=25061 P_BS=25070 P_MEDIA=26000
# The sink's target delay: the most the module takes. baresip, a userspace
# sender in a TCG guest on a busy host, stalls for hundreds of ms at times.
PAGE_DELAY=${PAGE_DELAY:-500}
T=$VM_TOP/build/tests/tools
H=$HERALDCTL

page_prereq() {
	for _t in kamailio kamcmd baresip openssl sox arecord python3; do
		command -v $_t >/dev/null || { not_ok "prerequisites" "$_t missing (make deps)"; return 1; }
	done
	[ -x "$VM_TOP/build/heraldd" ] || { not_ok "prerequisites" "heraldd not built"; return 1; }
}

page_card() {
	CARD=$(sed -n 's/^ *\([0-9]*\) \[Loopback *\].*/\1/p' /proc/asound/cards | head -n 1)
	[ -n "$CARD" ]
}

page_certs() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$W/ca.key" -out "$W/ca.crt" -days 2 -subj "/CN=herald test CA" 2>/dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$W/server.key" -out "$W/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1\n' >"$W/server.ext" &&
	openssl x509 -req -in "$W/server.csr" -CA "$W/ca.crt" -CAkey "$W/ca.key" -CAcreateserial \
		-out "$W/server.crt" -days 2 -extfile "$W/server.ext" 2>/dev/null
}

page_kamailio() {
	_moddir=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/tm.so$' | head -1)")
	if [ ! -f "$_moddir/tls.so" ]; then
		_tls=$(dpkg -L kamailio-tls-modules 2>/dev/null | grep '/tls.so$' | head -1)
		[ -n "$_tls" ] && _moddir=$(dirname "$_tls")
	fi
	. "$VM_TOP/tests/host/kam-proxy.sh"
	kam_proxy_cfg "$W" $P_KAM "$_moddir" $P_TLS
	n2 kamailio -f "$W/kamailio.cfg" -P "$W/kam.pid" -Y "$W" -m 32 -M 8 -E >>"$W/kamailio.log" 2>&1
	wait_for 30 sh -c "[ -S $W/ctl.sock ] && [ -s $W/kam.pid ]"
}

page_heraldd() {
	# It holds a password: heraldd refuses a secret others can read.
	(umask 077; printf '%s\n' "log.level = debug" "sip.proxy = 127.0.0.1:$P_TLS" \
		"sip.transport = tls" "sip.tls.ca = $W/ca.crt" \
		"sip.u1.user = 1000" "sip.u1.password = s3cret-1000" "media.srtp = required" \
		"media.port_min = $P_MEDIA" "media.port_max = $((P_MEDIA + 10))" \
		"audio.card = Loopback" "audio.device = 0" "audio.rate = 48000" "audio.period_ms = 20" \
		"audio.periods = 8" "audio.delay_ms = $PAGE_DELAY" "audio.volume_db = 0" \
		"audio.label = speaker" "$@" >"$W/heraldd.conf")
	# ip netns exec execs the program: $! is heraldd's own pid, for SIGTERM.
	ip netns exec herald-n2 "$VM_TOP/build/heraldd" -f -c "$W/heraldd.conf" --status-file "$W/status.json" \
		>"$W/heraldd.log" 2>&1 &
	HD=$!
}

_reg_status() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["registration"]["accounts"][0]["status"])' \
		"$W/status.json" 2>/dev/null
}

page_registered() {
	[ "$(_reg_status)" = Successful ] &&
		n2 kamcmd -s "unix:$W/ctl.sock" ul.dump 2>/dev/null |
			grep -q 'sip:1000@127.0.0.1:[0-9]*;transport=tls'
}

page_signal() {
	sox -n -r 8000 -c 1 -b 16 -e signed "$W/t1.wav" synth "$1" sine 350 vol 0.3 &&
	sox -n -r 8000 -c 1 -b 16 -e signed "$W/t2.wav" synth "$1" sine 1170 vol 0.3 &&
	sox -n -r 8000 -c 1 -b 16 -e signed "$W/t3.wav" synth "$1" sine 2630 vol 0.3 &&
	sox -m -v 1 "$W/t1.wav" -v 1 "$W/t2.wav" -v 1 "$W/t3.wav" "$W/tones.wav" &&
	sox -n -r 8000 -c 1 -b 16 -e signed "$W/lead.wav" trim 0 1 &&
	sox -n -r 8000 -c 1 -b 16 -e signed "$W/tail.wav" trim 0 0.5 &&
	sox "$W/lead.wav" "$W/tones.wav" "$W/tail.wav" "$W/page.wav" &&
	# The reference is the tones alone: pcm-corr aligns on their onset.
	sox "$W/tones.wav" -t raw -e mu-law -b 8 -r 8000 -c 1 "$W/page.ul" &&
	sox -t raw -e mu-law -b 8 -r 8000 -c 1 "$W/page.ul" -t raw -e signed -b 16 -r 48000 -c 1 \
		"$W/ref48.raw"
}

# baresip 1.0: no terminal UI (stdin /dev/null), its address 127.0.0.1
# (else it looks for the default route's interface, which the namespace
# has not: "net_interface lo" fails, an address works), RTP ports of its own; the
# account offers RTP/SAVP only (srtp-mand) with PCMU; -t bounds its life.
page_dial() {
	mkdir -p "$W/baresip"
	printf '%s\n' "poll_method epoll" "net_interface 127.0.0.1" "sip_listen 127.0.0.1:$P_BS" \
		"module_path /usr/lib/baresip/modules" "module g711.so" "module aufile.so" \
		"module srtp.so" "module account.so" "module menu.so" \
		"audio_source aufile,$W/page.wav" "ausrc_srate 8000" "ausrc_channels 1" \
		"rtp_ports $((P_BS + 2))-$((P_BS + 8))" >"$W/baresip/config"
	echo '<sip:caller@127.0.0.1>;regint=0;mediaenc=srtp-mand;audio_codecs=PCMU' \
		>"$W/baresip/accounts"
	ip netns exec herald-n2 baresip -f "$W/baresip" -e "/dial sip:1000@127.0.0.1:$P_KAM" -t 120 \
		</dev/null >"$W/baresip.out" 2>&1 &
	BS=$!
}

page_record() {
	arecord -q -D "hw:$CARD,1,0" -f S16_LE -r 48000 -c 1 --period-size=960 --buffer-size=96000 \
		-d "$1" -t raw "$W/cap.raw" 2>"$W/arecord.err" &
	AREC=$!
}

# band_db RAW LOW-HIGH: the peak of the 50 ms RMS (dB FS) of a 48 kHz raw
# file in that band: a tone's level wherever in the file it sounds.
band_db() {
	sox -t raw -r 48000 -e signed -b 16 -c 1 "$1" -n sinc "$2" stats 2>&1 |
		sed -n 's/^RMS Pk dB *//p'
}

stream_json() { n2 "$H" -j stream show 2>/dev/null; }
sink_json() { n2 "$H" -j sink show 2>/dev/null; }
