#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rig's own network helpers (netns.sh) on this kernel: hosts as network
# namespaces, a veth link and a shared LAN, IPv4 and IPv6 unicast between
# them, multicast (IPv4 and IPv6) from one host to two listeners on the LAN
# through the helper's default multicast route, and the cleanup.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

PY=/usr/bin/python3

# n1 --(link, subnet 1)-- n2 --(lan, subnet 2)-- n3, n4
check "create hosts n1..n4" netns_add 1 2 3 4
check "veth link n1-n2" netns_link 1 2
check "subnet of the link is 1" test "$NETNS_NET" -eq 1
check "LAN of n2, n3, n4" netns_lan 2 3 4
check "subnet of the LAN is 2" test "$NETNS_NET" -eq 2
check "n2 is a router" netns_forwarding 2
for i in 2 3 4; do
	check "n$i multicast route via lan2" netns_mcast_route "$i" lan2
done
check "n1 default routes via n2" sh -c "ip -n herald-n1 route add default via $(addr4 1 2) &&
	ip -n herald-n1 -6 route add default via $(addr6 1 2)"
for i in 3 4; do
	check "n$i default routes via n2" sh -c "ip -n herald-n$i route add default via $(addr4 2 2) &&
		ip -n herald-n$i -6 route add default via $(addr6 2 2)"
done

check "n1 -> n2 IPv4 on the link" netns_ping 1 "$(addr4 1 2)"
check "n1 -> n2 IPv6 on the link" netns_ping 1 "$(addr6 1 2)"
check "n3 -> n4 IPv4 on the LAN" netns_ping 3 "$(addr4 2 4)"
check "n4 -> n3 IPv6 on the LAN" netns_ping 4 "$(addr6 2 3)"
check "n1 -> n3 IPv4 routed by n2" netns_ping 1 "$(addr4 2 3)"
check "n1 -> n4 IPv6 routed by n2" netns_ping 1 "$(addr6 2 4)"
check_fails "n1 cannot reach a host that does not exist" netns_ping 1 "$(addr4 2 99)"

# Multicast: n2 sends to a group on the LAN by its default multicast
# route; n3 and n4 join the group on theirs and print the first datagram.
LISTEN_PY='
import socket, struct, sys
group, port = sys.argv[1], int(sys.argv[2])
v6 = ":" in group
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((group, port))
if v6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                 socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", 0))
else:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(group) + struct.pack("=I", socket.INADDR_ANY))
s.settimeout(30)
print(s.recv(200).decode(), flush=True)
'
# Sends for up to 15 s: the listeners may still be starting.
SEND_PY='
import socket, sys, time
group, port, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET6 if ":" in group else socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(50):
    s.sendto(text.encode(), (group, port))
    time.sleep(0.3)
'

for group in 239.1.2.3 ff05::1:3; do
	n3 "$PY" -c "$LISTEN_PY" "$group" 5004 >/tmp/mc3 2>&1 &
	l3=$!
	n4 "$PY" -c "$LISTEN_PY" "$group" 5004 >/tmp/mc4 2>&1 &
	l4=$!
	n2 "$PY" -c "$SEND_PY" "$group" 5004 "page to $group" &
	sender=$!
	wait "$l3"
	wait "$l4"
	kill "$sender" 2>/dev/null
	wait "$sender" 2>/dev/null
	for i in 3 4; do
		check "n$i received multicast to $group" grep -qx "page to $group" /tmp/mc$i
		diag "n$i: $(cat /tmp/mc$i)"
	done
done

# The same group is not received where it is not routed: n1 is on the other
# side of n2, which does not route multicast.
n1 "$PY" -c "$LISTEN_PY" 239.1.2.3 5004 >/tmp/mc1 2>&1 &
l1=$!
timeout 3 ip netns exec herald-n2 "$PY" -c "$SEND_PY" 239.1.2.3 5004 "page to 239.1.2.3"
kill "$l1" 2>/dev/null
wait "$l1" 2>/dev/null
check_fails "n1 (not on the LAN) received nothing" grep -q page /tmp/mc1

netns_cleanup
check "cleanup removed the namespaces" sh -c '! ip netns list | grep -q herald-'
tap_done
