#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of heraldd's assisted provisioning against a real HTTPS server:
# nginx (Debian's nginx-light) on 127.0.0.1, run by this script with its own
# prefix in a temporary directory, requiring a client certificate signed by
# a test CA made here with openssl. heraldd runs in the foreground with
# --status-file; every check reads that JSON file (and nginx's access log).
#
# Covered: a good fetch of the account, group and device layers; locks across
# layers; 304 Not Modified; an invalid file rejected whole; a wrong and a
# missing client certificate; an untrusted server certificate; the server
# unreachable at start (the cache runs); a group/world-readable file with a
# secret refused; secrets never in the status file or the log. After each
# failure the previous configuration must still be the running one.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERALDD=${HERALDD:-$ROOT/build/heraldd}
NGINX=${NGINX:-/usr/sbin/nginx}
W=$(mktemp -d /tmp/t-provision.XXXXXX)
PIDS=()
. "$ROOT/tests/host/lib.sh"

cleanup()
{
	local p

	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -n "${KEEP:-}" ] && { echo "# kept $W"; return; }
	rm -rf "$W"
}
trap cleanup EXIT

# st EXPR: a Python expression over the status file, bound to d.
st()
{
	python3 - "$W/status.json" "$1" <<'EOF' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2], {"d": d})
print(v if not isinstance(v, bool) else ("True" if v else "False"))
EOF
}

# wait_st EXPR [SECONDS]: until EXPR is true over the status file.
wait_st()
{
	local i

	for ((i = 0; i < ${2:-15} * 10; i++)); do
		[ "$(st "$1")" = True ] && return 0
		sleep 0.1
	done
	echo "# timed out waiting for: $1"
	echo "# status: $(tr -d '\n' < "$W/status.json" 2>/dev/null)"
	return 1
}

# The value and origin of one setting, and the locks that were listed.
val() { st "d['settings']['values']['$1']['value']"; }
from() { st "d['settings']['values']['$1']['from']"; }
locked() { st "sorted((x['key'], x['layer'], x['locked_by']) for x in d['settings']['locked'])"; }
fetches() { st "d['provisioning']['fetches']"; }

free_port()
{
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ ! -x "$HERALDD" ] || [ ! -x "$NGINX" ] || ! command -v openssl >/dev/null; then
	echo "not ok setup # heraldd ($HERALDD), nginx or openssl missing"
	exit 1
fi

# ---- a test CA, a rogue CA and their certificates ---------------------------
pki()
{
	local name=$1 ca=$2 subj=$3 ext=$4

	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$W/$name.key" -out "$W/$name.csr" -subj "$subj" 2>/dev/null &&
	openssl x509 -req -in "$W/$name.csr" -CA "$W/$ca.crt" -CAkey "$W/$ca.key" \
		-CAcreateserial -days 2 -out "$W/$name.crt" \
		-extfile <(printf '%s\n' "$ext") 2>/dev/null
}
for ca in ca rogue-ca; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$W/$ca.key" -out "$W/$ca.crt" -days 2 -subj "/CN=herald $ca" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign 2>/dev/null
done
srv="subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
cli="extendedKeyUsage=clientAuth"
if ! { pki server ca /CN=127.0.0.1 "$srv" && pki rogue-server rogue-ca /CN=127.0.0.1 "$srv" &&
	pki device ca /CN=device-000000000000 "$cli" &&
	pki rogue-device rogue-ca /CN=device-000000000000 "$cli"; }; then
	echo "not ok setup # openssl could not make the test certificates"
	exit 1
fi
chmod 600 "$W"/*.key

# ---- nginx: one port with the real server certificate, one with a rogue one --
PORT=$(free_port)
RPORT=$(free_port)
if [ "$PORT" -le 20000 ] || [ "$RPORT" -le 20000 ] || [ "$PORT" = "$RPORT" ]; then
	echo "not ok setup # no free ports above 20000 ($PORT, $RPORT)"
	exit 1
fi
N=$W/nginx
mkdir -p "$N/tmp" "$W/www/prov"
server_block()
{
	cat <<EOF
	server {
		listen 127.0.0.1:$1 ssl;
		ssl_certificate $W/$2.crt;
		ssl_certificate_key $W/$2.key;
		ssl_protocols TLSv1.2 TLSv1.3;
		ssl_client_certificate $W/ca.crt;
		ssl_verify_client on;
		root $W/www;
	}
EOF
}
cat > "$N/nginx.conf" <<EOF
daemon off;
master_process off;
pid $N/nginx.pid;
error_log $N/error.log info;
events { worker_connections 64; }
http {
	access_log $N/access.log combined;
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	default_type text/plain;
$(server_block "$PORT" server)
$(server_block "$RPORT" rogue-server)
}
EOF
"$NGINX" -e "$N/error.log" -p "$N" -c "$N/nginx.conf" &
PIDS+=($!)
for ((i = 0; i < 50; i++)); do
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" \
		2>/dev/null && break
	sleep 0.1
done

# Each served file gets its own modification time, so nginx's ETag
# (mtime-size) changes with every rewrite even within one second.
STAMP=$(($(date +%s) - 1000))
serve()
{
	printf '%b' "$2" > "$W/www/prov/$1"
	STAMP=$((STAMP + 1))
	touch -d "@$STAMP" "$W/www/prov/$1"
}

# The account locks log.level and names the group; the group locks the
# interval; device and local files try to change both.
serve herald.conf "# account\nlock log.level = debug\nprovision.group = floor2\n"
serve floor2.conf "log.level = error\nlock provision.interval = 2\n"
serve 000000000000.conf "# device\nlog.level = warning\nprovision.interval = 5\n"

local_conf()
{
	cat > "$W/local.conf" <<EOF
log.level = info
provision.url = https://127.0.0.1:${1:-$PORT}/prov
provision.ca = $W/ca.crt
provision.cert = $W/${2:-device}.crt
provision.key = $W/${2:-device}.key
provision.key_password = s3cretpass
provision.cache_dir = $W/cache
provision.mac_interface = lo
EOF
	chmod 600 "$W/local.conf"
}

start_heraldd()
{
	rm -f "$W/status.json"
	"$HERALDD" -f -c "$W/local.conf" --status-file "$W/status.json" >>"$W/heraldd.log" 2>&1 &
	HPID=$!
	PIDS+=($HPID)
}

stop_heraldd()
{
	kill "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
}

# ---- a good fetch, with locks ---------------------------------------------------
local_conf
start_heraldd
check "good fetch: Provisioned from the server" \
	wait_st "d['provisioning']['status'] == 'Provisioned' and d['provisioning']['source'] == 'server'"
check "account, group and device files fetched with the client certificate" \
	eval '[ "$(grep -c "\"GET /prov/\(herald\|floor2\|000000000000\).conf HTTP/1.1\" 200" "$N/access.log")" = 3 ]'
check "account lock holds against group, device and local" \
	eval '[ "$(val log.level)" = debug ] && [ "$(from log.level)" = account ] &&
		[ "$(st "d[\"settings\"][\"values\"][\"log.level\"][\"locked_by\"]")" = account ]'
check "group lock holds against the device; group value from the group file" \
	eval '[ "$(val provision.interval)" = 2 ] && [ "$(from provision.interval)" = group ] &&
		[ "$(val provision.group)" = floor2 ] && [ "$(from provision.group)" = account ]'
check "every ignored change listed with the layer that locked it" \
	eval '[ "$(locked)" = "[('"'log.level', 'device', 'account'"'), ('"'log.level', 'group', 'account'"'), ('"'log.level', 'local', 'account'"'), ('"'provision.interval', 'device', 'group'"')]" ]'
check "locked changes logged with file:line, without values" \
	eval 'grep -q "000000000000.conf:2: log.level is locked by account; the device layer.s value is ignored" "$W/heraldd.log" &&
		grep -q "local.conf:1: log.level is locked by account; the local layer.s value is ignored" "$W/heraldd.log"'
check "cache written mode 0600" \
	eval '[ "$(stat -c %a "$W/cache/account.conf" "$W/cache/group.conf" "$W/cache/device.conf" | sort -u)" = 600 ]'

# ---- 304 Not Modified ------------------------------------------------------------
n=$(fetches)
check "next round (provision.interval = 2 from the group): 304 for all three files" \
	eval 'wait_st "d[\"provisioning\"][\"not_modified\"] >= 3 and d[\"provisioning\"][\"fetches\"] >= $((n + 3))" &&
		[ "$(grep -c "\" 304 " "$N/access.log")" -ge 3 ] &&
		grep -q "provisioning: not modified" "$W/heraldd.log"'
check "304: still Provisioned, same values" \
	eval '[ "$(st "d[\"provisioning\"][\"status\"]")" = Provisioned ] && [ "$(val log.level)" = debug ]'

# ---- an invalid file is rejected whole --------------------------------------------
# The first line alone would be valid and would change log.syslog.
serve 000000000000.conf "log.syslog = on\nbogus.key = 1\n"
check "invalid device file: Assisted Provisioning Failed, file:line and reason" \
	wait_st "d['provisioning']['status'] == 'Assisted Provisioning Failed' and d['provisioning']['reason'] == 'invalid file: https://127.0.0.1:$PORT/prov/000000000000.conf:2: unknown key \"bogus.key\"'"
check "invalid file: none of it applied, the old configuration runs" \
	eval '[ "$(val log.syslog)" = off ] && [ "$(val provision.interval)" = 2 ] && kill -0 $HPID'
serve 000000000000.conf "# device\nlog.level = warning\nprovision.interval = 5\n"
check "valid again: Provisioned" \
	wait_st "d['provisioning']['status'] == 'Provisioned'"

# From here the server offers a changed account file; while fetches fail,
# the running configuration must keep floor2.
serve herald.conf "lock log.level = debug\nprovision.group = floor3\n"
serve floor3.conf "log.level = debug\n"

# ---- a wrong client certificate (signed by another CA) ----------------------------
local_conf "$PORT" rogue-device
kill -HUP $HPID
check "wrong client certificate: Assisted Provisioning Failed, HTTP status 400" \
	wait_st "d['provisioning']['status'] == 'Assisted Provisioning Failed' and d['provisioning']['reason'].startswith('HTTP status 400')"
check "wrong client certificate: old configuration still running" \
	eval '[ "$(val provision.group)" = floor2 ] && [ "$(val log.level)" = debug ] && kill -0 $HPID'

# ---- no client certificate -----------------------------------------------------------
local_conf "$PORT" missing
kill -HUP $HPID
check "missing client certificate: Assisted Provisioning Failed, no certificate" \
	wait_st "d['provisioning']['status'] == 'Assisted Provisioning Failed' and d['provisioning']['reason'] == 'no certificate: $W/missing.crt: No such file or directory'"
check "missing client certificate: old configuration still running" \
	eval '[ "$(val provision.group)" = floor2 ] && kill -0 $HPID'

# ---- a server certificate from a CA we do not trust ----------------------------------
local_conf "$RPORT"
kill -HUP $HPID
check "untrusted server certificate: Assisted Provisioning Failed, TLS failure" \
	wait_st "d['provisioning']['status'] == 'Assisted Provisioning Failed' and d['provisioning']['reason'].startswith('TLS failure: ')"
check "untrusted server: old configuration still running, new account file never fetched" \
	eval '[ "$(val provision.group)" = floor2 ] && kill -0 $HPID &&
		! grep -q "floor3" "$N/access.log"'

# ---- unreachable at start: the cache runs ---------------------------------------------
stop_heraldd
DEAD=$(free_port)
local_conf "$DEAD"
start_heraldd
check "unreachable at start: the cached files run" \
	wait_st "d['provisioning']['status'] == 'Assisted Provisioning Failed' and d['provisioning']['reason'].startswith('unreachable: ') and d['provisioning']['source'] == 'cache'"
check "unreachable at start: cached values and locks" \
	eval '[ "$(val provision.group)" = floor2 ] && [ "$(from log.level)" = account ] &&
		[ "$(val provision.interval)" = 2 ]'

# ---- back to the good server: the new account file applies ----------------------------
local_conf
kill -HUP $HPID
check "server back: Provisioned with the new group" \
	wait_st "d['provisioning']['status'] == 'Provisioned' and d['settings']['values']['provision.group']['value'] == 'floor3'"
check "group file of the new group fetched, the old group's cache dropped" \
	eval 'grep -q "GET /prov/floor3.conf HTTP/1.1\" 200" "$N/access.log" &&
		grep -q floor3 "$W/cache/group.meta" && ! grep -q "lock provision.interval" "$W/cache/group.conf"'
stop_heraldd

# ---- a cache that no longer validates is not used, and dropped -------------------------
printf 'bogus.key = 1\n' > "$W/cache/device.conf"
local_conf "$DEAD"
start_heraldd
check "invalid cache at start: not applied, dropped, defaults + local run" \
	eval 'wait_st "d[\"provisioning\"][\"reason\"].startswith(\"unreachable: \")" &&
		[ "$(st "d[\"provisioning\"][\"source\"]")" = "" ] && [ "$(val provision.group)" = "" ] &&
		[ "$(val log.level)" = info ] && [ ! -e "$W/cache/account.conf" ] &&
		grep -q "cached files not used: https://.*/000000000000.conf:1: unknown key" "$W/heraldd.log"'
stop_heraldd
local_conf

# ---- secrets ----------------------------------------------------------------------------
check "secret shown as (hidden), never in the status file or the log" \
	eval '[ "$(val provision.key_password)" = "(hidden)" ] &&
		! grep -q s3cretpass "$W/status.json" "$W/heraldd.log"'
chmod 644 "$W/local.conf"
out=$("$HERALDD" --check-config -c "$W/local.conf" 2>&1)
rc=$?
check "a group/world-readable file holding a secret is refused" \
	eval '[ $rc -ne 0 ] && echo "$out" | grep -q "local.conf:6: holds a secret (provision.key_password) but is readable by group or others (mode 0644); refused" &&
		! echo "$out" | grep -q s3cretpass'
chmod 600 "$W/local.conf"
check "the same file mode 0600 passes --check-config" \
	eval '"$HERALDD" --check-config -c "$W/local.conf" >/dev/null'

tap_done
