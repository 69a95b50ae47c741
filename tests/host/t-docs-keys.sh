#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation against the code: fails when they drift apart.
#
# The keys come from heraldd's own table (build/tests/tools/list-keys, linked
# with daemon/config.o and the per-area tables), account keys folded to the
# sip.uN.* pattern the docs use, zone keys to mcast.zoneN.*. Checked:
#   - every key has a row in docs/configuration.md (first cell `key`) and an
#     entry in docs/man/herald.conf.5 (".TP" then ".B key" under KEYS);
#   - in both, its range (integers), every value (one-of keys), its default
#     and whether it is secret are the code's;
#   - every key documented there, and every `area.key` named in backticks in
#     docs/*.md and README.md (area: one of the code's, such as sip or media),
#     is a key of the code;
#   - every option of `heraldd --help` is described under OPTIONS in
#     docs/man/heraldd.8, and every option described there exists.
# No network, no daemon left running: a few seconds.
#
# Prints TAP-style "ok NAME" / "not ok NAME" lines; exits 1 if any failed.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIST_KEYS=${LIST_KEYS:-$ROOT/build/tests/tools/list-keys}
HERALDD=${HERALDD:-$ROOT/build/heraldd}
CONF_MD=$ROOT/docs/configuration.md
MAN5=$ROOT/docs/man/herald.conf.5
MAN8=$ROOT/docs/man/heraldd.8
W=$(mktemp -d /tmp/t-docs-keys.XXXXXX)
. "$ROOT/tests/host/lib.sh"
trap 'rm -rf "$W"' EXIT
PY=$(py_path)

# The KEYS section of herald.conf.5 as "key<TAB>text" lines: each entry's
# paragraph with the roff requests and escapes taken out, so that
# ".BR on ." reads "on." and "ca\-certificates" reads "ca-certificates".
man5_entries()
{
	"$PY" - "$MAN5" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
def text(l):
    if l.startswith('.\\"'):
        return ""
    if l.startswith("."):
        # Font macros carry text; other requests (.ad, .br, .IP) do not.
        req, _, l = l.partition(" ")
        if req not in (".B", ".I", ".BR", ".IR", ".RB", ".RI", ".BI", ".IB"):
            return ""
        l = l.replace('"', "")
    for a, b in (("\\-", "-"), ("\\:", ""), ("\\(aq", "'"), ("\\(dq", '"'), ("\\e", "\\"),
                 ("\\fB", ""), ("\\fI", ""), ("\\fR", ""), ("\\fP", ""), ("\\&", "")):
        l = l.replace(a, b)
    return l
in_keys, key, body = False, None, []
def flush():
    if key:
        t = re.sub(r"\s+", " ", " ".join(body)).strip()
        print(key + "\t" + re.sub(r" ([.,;:)])", r"\1", t))
for i, l in enumerate(lines):
    if l.startswith(".SH"):
        flush(); key = None
        in_keys = l.strip() == ".SH KEYS"
        continue
    if not in_keys:
        continue
    if l.startswith(".TP") or l.startswith(".SS"):
        flush(); key = None; body = []
        if l.startswith(".TP") and i + 1 < len(lines) and lines[i + 1].startswith(".B "):
            key = text(lines[i + 1]).strip()
            lines[i + 1] = '.\\"'
        continue
    if key:
        body.append(text(l))
flush()
EOF
}

# "key<TAB>row" for every table row of configuration.md whose first cell is
# a key-shaped `name` (the status tables have no dots in their first cell).
md_rows()
{
	sed -nE 's/^\| `([a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+)` \|(.*)$/\1\t\3/p' "$CONF_MD"
}

# Every `area.name` in backticks in the user docs, area being one of the
# code's; names with a '*' (sip.*) stand for a group and are left out.
named_keys()
{
	local areas=$1

	grep -ohE '`[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+`' "$ROOT"/docs/*.md "$ROOT/README.md" |
		tr -d '`' | grep -E "^($areas)\." | sort -u
}

if ! "$LIST_KEYS" -l > "$W/keys.long" 2> "$W/lk.err" || ! [ -s "$W/keys.long" ]; then
	not_ok "list-keys prints the key table" "$(head -c 200 "$W/lk.err")"
	tap_done
	exit
fi
ok "list-keys prints the key table ($(wc -l < "$W/keys.long") keys and patterns)"
cut -f1 "$W/keys.long" > "$W/keys"
# Names as heraldd takes them (sip.u2.user) are right in the docs too.
{ cat "$W/keys"; "$LIST_KEYS"; } | sort -u > "$W/keys.any"
man5_entries > "$W/man5"
md_rows > "$W/md"
[ -s "$W/man5" ] || not_ok "herald.conf.5 has key entries under KEYS"
[ -s "$W/md" ] || not_ok "configuration.md has key rows"

# in_text TEXT WORD: WORD appears in TEXT as a word of its own (ends at a
# blank, punctuation or the end), compared literally.
in_text()
{
	local t=" $1 " w=$2 a b

	for a in ' ' '(' '`'; do
		for b in ' ' . ',' ';' : ')' '`'; do
			[[ $t == *"$a$w$b"* ]] && return 0
		done
	done
	return 1
}

# Both documents by key, read once: a process per key is slow on a busy host.
declare -A MAN5_TEXT MD_ROW
while IFS=$'\t' read -r k t; do MAN5_TEXT[$k]=$t; done < "$W/man5"
while IFS=$'\t' read -r k t; do MD_ROW[$k]=$t; done < "$W/md"

while IFS=$'\t' read -r key type range def secret; do
	m5=${MAN5_TEXT[$key]-}
	md=${MD_ROW[$key]-}
	why=()

	# herald.conf.5
	if [ -z "${MAN5_TEXT[$key]+set}" ]; then
		not_ok "$key: entry in herald.conf.5"
	else
		case $type in
		int)	in_text "$m5" "${range%..*} to ${range#*..}" || why+=("range ${range%..*} to ${range#*..}") ;;
		enum)	for v in ${range//|/ }; do in_text "$m5" "$v" || why+=("value $v"); done ;;
		bool)	in_text "$m5" Boolean || why+=("type Boolean") ;;
		string)	in_text "$m5" "at most $range bytes" || why+=("at most $range bytes") ;;
		esac
		if [ "$def" = - ]; then
			in_text "$m5" "Default: none" || why+=("Default: none")
		else
			in_text "$m5" "Default: $def" || why+=("Default: $def")
		fi
		if [ "$secret" = secret ]; then
			in_text "$m5" "Secret" || why+=("Secret")
		else
			! in_text "$m5" "Secret" || why+=("marked Secret but is not")
		fi
		if [ ${#why[@]} -eq 0 ]; then ok "$key: herald.conf.5 entry matches the code"
		else not_ok "$key: herald.conf.5 entry matches the code" "wants ${why[*]}"; fi
	fi

	# configuration.md
	why=()
	if [ -z "${MD_ROW[$key]+set}" ]; then
		not_ok "$key: row in configuration.md"
		continue
	fi
	case $type in
	int)	in_text "$md" "$range" || why+=("range $range") ;;
	enum)	for v in ${range//|/ }; do in_text "$md" "\`$v\`" || why+=("value \`$v\`"); done ;;
	bool)	in_text "$md" "\`on\`/\`off\`" || why+=("\`on\`/\`off\`") ;;
	esac
	[ "$def" = - ] || in_text "$md" "\`$def\`" || why+=("default \`$def\`")
	if [ "$secret" = secret ]; then
		in_text "$md" "*secret*" || why+=("*secret*")
	else
		! in_text "$md" "*secret*" || why+=("marked *secret* but is not")
	fi
	if [ ${#why[@]} -eq 0 ]; then ok "$key: configuration.md row matches the code"
	else not_ok "$key: configuration.md row matches the code" "wants ${why[*]}"; fi
done < "$W/keys.long"

# How many accounts sip.uN stands for.
maxn=$("$LIST_KEYS" | sed -nE 's/^sip\.u([0-9]+)\..*/\1/p' | sort -n | tail -1)
check "configuration.md: accounts N = 1..$maxn" grep -qF "N = 1..$maxn" "$CONF_MD"
check "herald.conf.5: accounts N = 1 to $maxn" grep -qxF "= 1 to $maxn." "$MAN5"
# And how many zones mcast.zoneN stands for.
maxz=$("$LIST_KEYS" | sed -nE 's/^mcast\.zone([0-9]+)\..*/\1/p' | sort -n | tail -1)
check "configuration.md: zones N = 1..$maxz" grep -qF "Zones N = 1..$maxz" "$CONF_MD"
check "herald.conf.5: zones N = 1 to $maxz" grep -qxF "= 1 to $maxz." "$MAN5"

# The other way: nothing documented that the code does not have.
check_known()
{
	local what=$1 file=$2 k bad=()

	while read -r k; do
		grep -qxF "$k" "$W/keys.any" || bad+=("$k")
	done < "$file"
	if [ ${#bad[@]} -eq 0 ]; then ok "$what: every key named is the code's"
	else not_ok "$what: every key named is the code's" "unknown: ${bad[*]}"; fi
}
cut -f1 "$W/man5" > "$W/man5.keys"
check_known "herald.conf.5 entries" "$W/man5.keys"
cut -f1 "$W/md" > "$W/md.keys"
check_known "configuration.md rows" "$W/md.keys"
areas=$(cut -d. -f1 "$W/keys.any" | sort -u | paste -sd'|')
named_keys "$areas" > "$W/named"
check_known "\`keys\` named in docs/*.md and README.md" "$W/named"

# heraldd's options against heraldd.8's OPTIONS section.
if ! "$HERALDD" --help > "$W/help" 2>&1; then
	not_ok "heraldd --help" "$(head -c 200 "$W/help")"
else
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN8" > "$W/man8.opts"
	grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' "$W/help" | tr -d ' ,' | sort -u > "$W/help.opts"
	[ -s "$W/help.opts" ] || not_ok "heraldd --help lists options"
	while read -r o; do
		check "heraldd $o: described in heraldd.8" grep -qF -- "${o//-/\\-}" "$W/man8.opts"
	done < "$W/help.opts"
	# Options heraldd.8 describes: the words of its .TP headings.
	grep -A1 '^\.TP' "$W/man8.opts" | grep -oE '\\-(\\-)?[A-Za-z](\\-|[A-Za-z])*' |
		sed 's/\\-/-/g' | sort -u > "$W/man8.list"
	bad=()
	while read -r o; do
		grep -qxF -- "$o" "$W/help.opts" || bad+=("$o")
	done < "$W/man8.list"
	if [ ${#bad[@]} -eq 0 ]; then ok "heraldd.8: every option described exists"
	else not_ok "heraldd.8: every option described exists" "not in --help: ${bad[*]}"; fi
fi

tap_done
