#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw generic netlink request to the herald family and print the
kernel's answer, so that tests reach the module's policies and extended acks
without heraldctl's own checks in between.

  nlraw.py [--uid N] [--dump] CMD ATTRS

CMD is a HERALD_CMD_* name without the prefix (NEW_OUTPUT, GET_STREAM, ...).
ATTRS is a Python literal: a list of attributes, each a tuple
  (NAME, TYPE[, VALUE])
where NAME is a uapi constant without "HERALD_" (A_OUTPUT, OUTPUT_A_LABEL,
A_KEY, ...) or a number, TYPE one of u8 u16 u32 u64 str (NUL-terminated)
bytes (VALUE: hex string) flag nest (VALUE: a list of attributes). Names
and numbers come from uapi/linux/herald.h, parsed here.

Prints one JSON line: error (0 for an ACK, else -errno), errname, msg (the
extack NLMSGERR_ATTR_MSG, or null), offset (NLMSGERR_ATTR_OFFS, or null),
replies (data messages received before the ACK). --uid drops to that user
(and its capabilities) before opening the socket. Exit status 0 when the
exchange completed, 2 on usage or transport errors.

  nlraw.py --batch < REQUESTS

sends many requests from one process: under TCG a Python start costs
seconds, a request microseconds. The input is records ended by \x1e (ASCII
record separator), each the arguments of one request as above, each ended by
\x1f (unit separator); a newline before a record is ignored. Each request
runs in a child of its own (so --uid and errors stay its own); its answer is
printed as one JSON line, in input order ({} when it could not be sent).
"""
import ast
import errno
import json
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLA_F_NESTED = 0x8000

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "uapi", "linux", "herald.h")


def uapi_names(path):
    """HERALD_* enum constants and #defines with a number, by name."""
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    names = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\};", text, re.S):
        value = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)\s*(?:=\s*(\w+))?$", item)
            if not m:
                continue
            if m.group(2) is not None:
                value = int(m.group(2), 0) if m.group(2)[0].isdigit() else names[m.group(2)]
            else:
                value += 1
            names[m.group(1)] = value
    return names


def die(msg):
    sys.stderr.write("nlraw: %s\n" % msg)
    sys.exit(2)


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def encode(attrs, names):
    out = b""
    for a in attrs:
        if not isinstance(a, tuple) or len(a) not in (2, 3):
            die("attribute %r: want (NAME, TYPE[, VALUE])" % (a,))
        name, kind = a[0], a[1]
        value = a[2] if len(a) == 3 else None
        if isinstance(name, int):
            atype = name
        elif "HERALD_" + name in names:
            atype = names["HERALD_" + name]
        else:
            die("unknown attribute name %s" % name)
        if kind == "u8":
            payload = struct.pack("=B", value)
        elif kind == "u16":
            payload = struct.pack("=H", value)
        elif kind == "u32":
            payload = struct.pack("=I", value)
        elif kind == "u64":
            payload = struct.pack("=Q", value)
        elif kind == "str":
            payload = value.encode() + b"\0"
        elif kind == "bytes":
            payload = bytes.fromhex(value)
        elif kind == "flag":
            payload = b""
        elif kind == "nest":
            payload = encode(value, names)
            atype |= NLA_F_NESTED
        else:
            die("unknown attribute type %s" % kind)
        out += attr(atype, payload)
    return out


def parse_attrs(data):
    attrs = {}
    while len(data) >= 4:
        alen, atype = struct.unpack("=HH", data[:4])
        if alen < 4:
            break
        attrs[atype & 0x3fff] = data[4:alen]
        data = data[(alen + 3) & ~3:]
    return attrs


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, version, payload, flags):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, flags, self.seq, 0) + body
        self.sk.send(msg)
        replies = []
        while True:
            data = self.sk.recv(65536)
            while len(data) >= 16:
                mlen, mtype, mflags, mseq, _ = struct.unpack("=IHHII", data[:16])
                if mlen < 16:
                    return {"error": -errno.EBADMSG, "msg": "short message", "offset": None,
                            "replies": replies}
                body = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if mseq != self.seq:
                    continue
                if mtype == NLMSG_DONE:
                    return {"error": 0, "msg": None, "offset": None, "replies": replies}
                if mtype == NLMSG_ERROR:
                    err = struct.unpack("=i", body[:4])[0]
                    res = {"error": err, "msg": None, "offset": None, "replies": replies}
                    if mflags & NLM_F_ACK_TLVS:
                        # after the error: the request's header (capped) or
                        # the whole request, then the TLVs
                        inner_len = struct.unpack("=I", body[4:8])[0]
                        skip = 4 + (16 if mflags & NLM_F_CAPPED else (inner_len + 3) & ~3)
                        tlv = parse_attrs(body[skip:])
                        if NLMSGERR_ATTR_MSG in tlv:
                            res["msg"] = tlv[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
                        if NLMSGERR_ATTR_OFFS in tlv:
                            res["offset"] = struct.unpack("=I", tlv[NLMSGERR_ATTR_OFFS])[0]
                    return res
                replies.append(len(body))


def batch(text):
    for record in text.split("\x1e"):
        args = record.lstrip("\n").split("\x1f")[:-1]
        if not args:
            continue
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                code = main(args)
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 2
            sys.stdout.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            print("{}")
    return 0


def main(argv):
    uid, dump = None, False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--uid" and len(argv) > 1:
            uid = int(argv[1])
            argv = argv[2:]
        elif argv[0] == "--dump":
            dump = True
            argv = argv[1:]
        else:
            die("usage: nlraw.py [--uid N] [--dump] CMD ATTRS")
    if len(argv) != 2:
        die("usage: nlraw.py [--uid N] [--dump] CMD ATTRS")
    names = uapi_names(HEADER)
    cmd = names.get("HERALD_CMD_" + argv[0])
    if cmd is None:
        die("unknown command %s" % argv[0])
    payload = encode(ast.literal_eval(argv[1]), names)
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    g = Genl()
    # The family id: CTRL_CMD_GETFAMILY answers with CTRL_ATTR_FAMILY_ID.
    g.seq += 1
    body = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + \
        attr(CTRL_ATTR_FAMILY_NAME, b"herald\0")
    g.sk.send(struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST, g.seq, 0) + body)
    data = g.sk.recv(65536)
    mlen, mtype = struct.unpack("=IH", data[:6])
    if mtype == NLMSG_ERROR:
        die("herald family not found: %d" % struct.unpack("=i", data[16:20])[0])
    fam = parse_attrs(data[20:mlen]).get(CTRL_ATTR_FAMILY_ID)
    if fam is None:
        die("no family id in the controller's answer")
    family = struct.unpack("=H", fam)[0]
    flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
    res = g.request(family, cmd, 1, payload, flags)  # HERALD_GENL_VERSION
    res["errname"] = errno.errorcode.get(-res["error"], str(res["error"])) if res["error"] else "OK"
    res["replies"] = len(res["replies"])
    print(json.dumps(res, sort_keys=True, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--batch"]:
        sys.exit(batch(sys.stdin.read()))
    sys.exit(main(sys.argv[1:]))
