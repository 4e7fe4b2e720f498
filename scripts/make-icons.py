#!/usr/bin/env python3
"""Draws Duken's PNG icons (public/icon-192.png, public/icon-512.png) with the standard library
only: a cloth on the brand colour with three people's notes. Run once when the design changes;
the PNGs are committed. public/icon.svg is the same design as a vector."""
import struct
import zlib
from pathlib import Path

BRAND = (0x1F, 0x4E, 0x5F)
PAPER = (0xF7, 0xF5, 0xF0)
DOTS = [(0xE0, 0x7A, 0x5F), (0x81, 0xB2, 0x9A), (0xF2, 0xCC, 0x8F)]


def pixel(x, y):
    # Coordinates in a 512-unit design space, as in icon.svg.
    if 96 <= x < 416 and 128 <= y < 384:
        for i, cx in enumerate((176, 256, 336)):
            if (x - cx) ** 2 + (y - 208) ** 2 <= 28 ** 2:
                return DOTS[i]
        if 144 <= x < 368 and 280 <= y < 304:
            return BRAND
        if 144 <= x < 304 and 320 <= y < 344:
            return (0x79, 0x95, 0x9F)
        return PAPER
    return BRAND


def png(size):
    rows = bytearray()
    for py in range(size):
        rows.append(0)
        for px in range(size):
            rows.extend(pixel((px + 0.5) * 512 / size, (py + 0.5) * 512 / size))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    public = Path(__file__).resolve().parent.parent / "public"
    for size in (192, 512):
        (public / f"icon-{size}.png").write_bytes(png(size))
