#!/usr/bin/env python3
"""Extracts the uncompressed ELF vmlinux from a bzImage (xz, gzip or zstd payload).

    extract-vmlinux.py BZIMAGE OUT

Under qemu's software emulation, booting the ELF directly (PVH) skips the slow decompressor.
"""

import lzma
import subprocess
import sys
import zlib


def try_xz(data: bytes, off: int) -> bytes | None:
    try:
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[off:])
    except lzma.LZMAError:
        return None


def try_gz(data: bytes, off: int) -> bytes | None:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[off:])
    except zlib.error:
        return None


def try_zstd(data: bytes, off: int) -> bytes | None:
    try:
        proc = subprocess.run(["zstd", "-dc"], input=data[off:], capture_output=True, check=False)
    except OSError:
        return None
    return proc.stdout or None


def main(image: str, out: str) -> int:
    with open(image, "rb") as f:
        data = f.read()
    for magic, extract in ((b"\xfd7zXZ\x00", try_xz), (b"\x1f\x8b\x08", try_gz), (b"\x28\xb5\x2f\xfd", try_zstd)):
        off = data.find(magic)
        while off != -1:
            elf = extract(data, off)
            if elf and elf[:4] == b"\x7fELF":
                with open(out, "wb") as f:
                    f.write(elf)
                print(f"extracted {len(elf)} bytes from offset {off}")
                return 0
            off = data.find(magic, off + 1)
    print("no ELF payload found", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
