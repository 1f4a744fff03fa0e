"""A DOCX's parts zipped as zipfile would, with fixed dates, so the same report gives the same bytes."""

from __future__ import annotations

import struct
import zlib

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same report gives the same bytes
SMALL = 4096  # bytes: a part this small is stored, not deflated


def deflated(name: str, data: bytes) -> tuple[bytes, bytes, int, int, int, int]:
    """A part as the zip stores it: name, raw deflate at level 1 (the XML is so repetitive that
    it shrinks nearly as well, much faster), CRC, sizes, method."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return name.encode("utf-8"), packed, zlib.crc32(data), len(packed), len(data), 8


def stored(name: str, data: bytes) -> tuple[bytes, bytes, int, int, int, int]:
    """A part as the zip stores it uncompressed (method 0)."""
    return name.encode("utf-8"), data, zlib.crc32(data), len(data), len(data), 0


_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]


def zip_parts(entries) -> bytes:
    """A zip of deflated parts with fixed dates and 0644, as zipfile would write it."""
    body, directory = [], []
    offset = 0
    for name, packed, crc, size, raw, method in entries:
        flags = 0 if name.isascii() else 0x800
        header = struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            flags,
            method,
            0,
            _DOS_DATE,
            crc,
            size,
            raw,
            len(name),
            0,
        )
        body += [header, name, packed]
        directory.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20 | (3 << 8),
                20,
                flags,
                method,
                0,
                _DOS_DATE,
                crc,
                size,
                raw,
                len(name),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + name
        )
        offset += len(header) + len(name) + size
    central = b"".join(directory)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), offset, 0
    )
    return b"".join(body) + central + end
