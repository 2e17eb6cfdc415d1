"""The [MS-OVBA] §2.4.1 compression that VBA project streams use (an LZ77 variant in 4,096-byte chunks).

Written here because the one PyPI package for it (ms-ovba-compression 1.0.1)
produces chunks that other readers reject for incompressible data; decoding
is left to oletools, the reference reader, which the tests use to check every
stream this module writes.
"""

from __future__ import annotations

import struct

CHUNK = 4096
CANDIDATES = 64  # earlier positions tried per match: plenty for source text


def _bit_count(difference: int) -> int:
    bits = 4
    while (1 << bits) < difference:
        bits += 1
    return bits


def _compress_chunk(data: bytes) -> bytes:
    """One chunk, compressed; or the raw form (padded to 4,096 bytes) when compression would not fit."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = 0
    while pos < len(data):
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= len(data):
                break
            bits = _bit_count(pos)
            max_length = (0xFFFF >> bits) + 3
            best_len, best_off = 0, 0
            key = data[pos:pos + 3]
            if len(key) == 3:
                for start in reversed(seen.get(key, [])[-CANDIDATES:]):
                    length = 3
                    limit = min(max_length, len(data) - pos)
                    while length < limit and data[start + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - start
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for i in range(pos, pos + step):
                if i + 3 <= len(data):
                    seen.setdefault(data[i:i + 3], []).append(i)
            pos += step
        out[flag_at] = flags
    if len(out) > CHUNK:
        return struct.pack("<H", 0x3FFF) + data.ljust(CHUNK, b"\0")  # raw chunk: size 4096, flag 0
    return struct.pack("<H", 0xB000 | (len(out) + 2 - 3)) + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer: signature byte 0x01, then one chunk per 4,096 bytes of ``data``."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK])
    return bytes(out)
