# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# kam_proxy_cfg DIR PORT MODDIR [TLSPORT]: write DIR/kamailio.cfg, Kamailio
# as the registrar (users 1000 and 1001, passwords s3cret-1000 and
# s3cret-1001, MD5 digest, users in an htable) and the proxy of page calls
# to them, on TCP and UDP 127.0.0.1:PORT (and TLS on TLSPORT, with
# DIR/server.crt and DIR/server.key), its control socket DIR/ctl.sock.
# Sourced by tests/host/t-sip-call.sh (bash), tests/vm/t-sip-call.sh and
# tests/vm/t-sip-calls.sh (sh).
#
# Every final response the registered UA sends over TCP or TLS is logged as
# "herald-reply STATUS METHOD ... retry-after=[..] warning=[..]": the
# caller may see another status (a 503 becomes 500 upstream, RFC 3261
# 16.7 step 6).
kam_proxy_cfg()
{
	_tls=
	if [ -n "${4:-}" ]; then
		printf '%s\n' "[server:default]" "method = TLSv1.2+" "verify_certificate = no" \
			"require_certificate = no" "private_key = $1/server.key" \
			"certificate = $1/server.crt" > "$1/tls.cfg"
		_tls="enable_tls=yes
listen=tls:127.0.0.1:$4
loadmodule \"tls.so\"
modparam(\"tls\", \"config\", \"$1/tls.cfg\")"
	fi
cat > "$1/kamailio.cfg" <<EOF
#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=1
tcp_children=1
auto_aliases=no
listen=tcp:127.0.0.1:$2
listen=udp:127.0.0.1:$2
mpath="$3/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "htable.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "ctl.so"
loadmodule "xlog.so"
$_tls
modparam("ctl", "binrpc", "unix:$1/ctl.sock")
modparam("htable", "htable", "users=>size=4;")
modparam("usrloc", "db_mode", 0)

event_route[htable:mod-init] {
	\$sht(users=>1000) = "s3cret-1000";
	\$sht(users=>1001) = "s3cret-1001";
}

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (is_method("REGISTER")) {
		if (!pv_www_authenticate("\$td", "\$sht(users=>\$fU)", "0")) {
			www_challenge("\$td", "1");
			exit;
		}
		if (!save("location"))
			sl_reply_error();
		exit;
	}
	# Within a dialog: along the recorded route. The ACK of a refused
	# INVITE belongs to tm, which ACKs the next hop itself.
	if (has_totag()) {
		if (loose_route()) {
			t_relay();
			exit;
		}
		if (is_method("ACK")) {
			if (t_check_trans())
				t_relay();
			exit;
		}
	}
	# New requests (and stray in-dialog ones, to see heraldd's 481): to
	# the registered contact. Record-Route keeps Kamailio on the path, as
	# heraldd takes requests on its flow to the proxy only.
	if (is_method("INVITE|OPTIONS|BYE"))
		record_route();
	if (!lookup("location")) {
		sl_send_reply("404", "Not Registered");
		exit;
	}
	t_relay();
}

# What heraldd answers, as it sent it: the caller may get something else
# (a 503 becomes 500 upstream, RFC 3261 16.7 step 6).
onreply_route {
	if (\$rs >= 200 && \$si == "127.0.0.1" && (\$proto == "tcp" || \$proto == "tls"))
		xlog("L_NOTICE", "herald-reply \$rs \$rm from \$si:\$sp retry-after=[\$hdr(Retry-After)] warning=[\$hdr(Warning)] proto=\$proto\n");
}
EOF
}
