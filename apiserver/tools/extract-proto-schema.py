#!/usr/bin/env python3
"""Writes the field table the API server uses to decode Kubernetes protobuf request bodies.

kubectl 1.32 sends built-in objects as application/vnd.kubernetes.protobuf. The wire format's
field numbers live in the FileDescriptorProtos that every Kubernetes Go binary embeds (gzipped);
this script reads them from a kubectl binary and prints one line per message and per field:

  message <full.name> [map]
  <number> <name> <o|r> <type> [<full.type.name>]

Usage: extract-proto-schema.py /usr/bin/kubectl > ../src/main/resources/dev/skiff/apiserver/protobuf/schema.txt
"""
import re
import sys
import zlib

TYPES = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64",
         7: "fixed32", 8: "bool", 9: "string", 11: "message", 12: "bytes", 13: "uint32",
         14: "enum", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64"}


def fields(buf):
    """Yields (number, wiretype, value) of one protobuf message."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(buf, i)
        elif wt == 2:
            n, i = varint(buf, i)
            v, i = buf[i:i + n], i + n
        elif wt == 1:
            v, i = buf[i:i + 8], i + 8
        elif wt == 5:
            v, i = buf[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        yield num, wt, v


def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, i
        shift += 7


def message(desc, scope, out):
    name, flds, nested, is_map = None, [], [], False
    for num, _, v in fields(desc):
        if num == 1:
            name = v.decode()
        elif num == 2:
            flds.append(v)
        elif num == 3:
            nested.append(v)
        elif num == 7:
            is_map = any(n == 7 and val == 1 for n, _, val in fields(v))
    full = scope + "." + name
    out.append("message " + full + (" map" if is_map else ""))
    for f in flds:
        d = {n: v for n, _, v in fields(f)}
        line = "%d %s %s %s" % (d[3], d[1].decode(), "r" if d.get(4) == 3 else "o", TYPES[d[5]])
        if 6 in d:
            line += " " + d[6].decode().lstrip(".")
        out.append(line)
    for n in nested:
        message(n, full, out)


def main(binary):
    data = open(binary, "rb").read()
    out, seen = [], set()
    for m in re.finditer(rb"\x1f\x8b\x08\x00\x00\x00\x00\x00", data):
        try:
            fd = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[m.start():m.start() + 4000000])
        except zlib.error:
            continue
        if b"generated.proto" not in fd[:200]:
            continue
        d = list(fields(fd))
        name = next(v for n, _, v in d if n == 1).decode()
        if name in seen or not name.endswith("generated.proto"):
            continue
        seen.add(name)
        package = next(v for n, _, v in d if n == 2).decode()
        for n, _, v in d:
            if n == 4:
                message(v, package, out)
    print("# Kubernetes protobuf field table, extracted by apiserver/tools/extract-proto-schema.py")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
