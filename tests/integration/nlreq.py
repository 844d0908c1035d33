#!/usr/bin/env python3
"""Decode the last netlink request of a given type from an strace capture
(strace -f -qq -e trace=sendmsg,sendto -e write=all -o FILE CMD) into one line
per attribute, so two programs' requests can be compared attribute by
attribute with diff. Siblings are sorted by attribute type (order carries no
meaning to the kernel); nested attributes are decoded where the kernel nests.

usage: nlreq.py TRACE MSGTYPE [KIND]   (KIND: netem/tbf for TCA_OPTIONS)
"""
import struct
import sys

FAMILY_HDR = {16: 16, 17: 16, 19: 16, 20: 8, 21: 8, 24: 12, 25: 12, 36: 20, 37: 20}


def blobs(path):
    cur, out = None, []
    for line in open(path, errors="replace"):
        if line.startswith(" | "):
            hexpart = line[10:59]
            cur.extend(bytes.fromhex(hexpart.replace(" ", "")))
        elif line.startswith(" * "):
            continue
        else:
            cur = bytearray()
            out.append(cur)
    return [b for b in out if b]


def messages(blob):
    off = 0
    while off + 16 <= len(blob):
        ln, typ, flags, _seq, _pid = struct.unpack_from("=IHHII", blob, off)
        if ln < 16:
            break
        yield typ, flags, bytes(blob[off + 16:off + ln])
        off += (ln + 3) & ~3


def nest_rule(msgtype, path, kind):
    """Header length of a nested attribute's payload, or None for a leaf."""
    if msgtype in (16, 17, 19):
        if path in ("18", "26", "18.2") or (path.startswith("26.") and path.count(".") == 1):
            return 0
        if path == "18.2.1" and kind == "veth":
            return 16
        if path.startswith("18.2.1.") and kind == "veth":
            return nest_rule(msgtype, path[len("18.2.1."):], kind)
    if msgtype in (36, 37) and path == "2":
        return {"netem": 24, "tbf": 0}.get(kind)
    return None


def attrs(data, msgtype, prefix, kind, out):
    off, items = 0, []
    while off + 4 <= len(data):
        ln, typ = struct.unpack_from("=HH", data, off)
        if ln < 4:
            break
        items.append((typ & 0x3FFF, data[off + 4:off + ln]))
        off += (ln + 3) & ~3
    for typ, payload in sorted(items, key=lambda t: t[0]):
        path = f"{prefix}{typ}"
        hdr = nest_rule(msgtype, path, kind)
        if hdr is None:
            out.append(f"{path} = {payload.hex()}")
            continue
        if hdr:
            out.append(f"{path} header = {payload[:hdr].hex()}")
        attrs(payload[hdr:], msgtype, path + ".", kind, out)


def main():
    path, msgtype = sys.argv[1], int(sys.argv[2])
    kind = sys.argv[3] if len(sys.argv) > 3 else "veth"
    found = None
    for blob in blobs(path):
        for typ, flags, body in messages(blob):
            if typ == msgtype:
                found = (flags, body)
    if not found:
        print(f"no message of type {msgtype} in {path}")
        return 1
    flags, body = found
    hdr = FAMILY_HDR.get(msgtype, 0)
    out = [f"type {msgtype} flags {flags:#x}", f"family header = {body[:hdr].hex()}"]
    attrs(body[hdr:], msgtype, "", kind, out)
    print("\n".join(out))
    return 0


sys.exit(main())
