"""Write a Compound File Binary (OLE2, [MS-CFB] version 3) from a mapping of stream paths to bytes.

olefile reads compound files but can only overwrite a stream with bytes of the
same length; a VBA project with new modules needs the container written anew.
Version 3 (512-byte sectors), streams under 4,096 bytes in the mini stream,
as Office writes them. The directory of each storage is a binary search tree
ordered the [MS-CFB] way (shorter name first, then upper-cased code units);
every node is black, as in other writers whose files Office opens.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = END_OF_CHAIN
    size: int = 0


def _order(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _tree(entries: list[_Entry]) -> int:
    """Link sorted siblings as a balanced binary search tree; the root's id."""
    if not entries:
        return NOSTREAM
    middle = len(entries) // 2
    node = entries[middle]
    node.left = _tree(entries[:middle])
    node.right = _tree(entries[middle + 1:])
    return node.sid


def _build(streams: Mapping[tuple[str, ...], bytes]) -> list[_Entry]:
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        node = root
        for part in path[:-1]:
            found = next((c for c in node.children if c.name == part and c.kind == STORAGE), None)
            if found is None:
                found = _Entry(part, STORAGE)
                node.children.append(found)
            node = found
        if len(path[-1]) > 31:
            raise ValueError(f"stream name too long: {path[-1]!r}")
        node.children.append(_Entry(path[-1], STREAM, bytes(data)))
    order: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.sid = len(order)
        order.append(entry)
        for c in sorted(entry.children, key=_order):
            number(c)

    number(root)
    for entry in order:
        entry.child = _tree(sorted(entry.children, key=_order))
    return order


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def write_compound_file(streams: Mapping[tuple[str, ...], bytes]) -> bytes:
    """The bytes of a compound file holding ``streams`` ({("VBA", "dir"): b"…", ("PROJECT",): b"…"})."""
    entries = _build(streams)
    root = entries[0]
    # mini stream: every small stream, 64-byte aligned, chained in the mini FAT
    mini = bytearray()
    minifat: list[int] = []
    for e in entries:
        if e.kind != STREAM:
            continue
        e.size = len(e.data)
        if e.size >= MINI_CUTOFF or e.size == 0:
            continue
        e.start = len(mini) // MINI_SECTOR
        count = -(-e.size // MINI_SECTOR)
        minifat += [e.start + i + 1 for i in range(count - 1)] + [END_OF_CHAIN]
        mini += _pad(e.data, MINI_SECTOR)
    root.size = len(mini)
    # regular sectors, in order: directory, mini FAT, mini stream, large streams; FAT sectors last
    body: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        if not data:
            return END_OF_CHAIN
        start = len(fat)
        count = -(-len(data) // SECTOR)
        fat.extend([start + i + 1 for i in range(count - 1)] + [END_OF_CHAIN])
        body.append(_pad(data, SECTOR))
        return start

    directory_sectors = -(-len(entries) // 4)
    dir_start = len(fat)
    fat.extend([dir_start + i + 1 for i in range(directory_sectors - 1)] + [END_OF_CHAIN])
    body.append(b"")  # placeholder: the directory is written once every start sector is known
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_start = place(minifat_bytes)
    root.start = place(bytes(mini))
    for e in entries:
        if e.kind == STREAM and e.size >= MINI_CUTOFF:
            e.start = place(e.data)
    # FAT sectors: enough to describe themselves too
    fat_sectors = 1
    while (len(fat) + fat_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat_start = len(fat)
    fat.extend([FAT_SECTOR] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))
    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\0\0"
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e.kind, 1, e.left, e.right, e.child,
                                 b"\0" * 16, 0, 0, 0, e.start if e.kind != STORAGE else 0,
                                 e.size if e.kind != STORAGE else 0)
    for _ in range(directory_sectors * 4 - len(entries)):
        directory += struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                                 b"\0" * 16, 0, 0, 0, 0, 0)
    body[0] = bytes(directory)
    difat = [fat_start + i for i in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x003E, 3,
                         0xFFFE, 9, 6, b"\0" * 6, 0, fat_sectors, dir_start, 0, MINI_CUTOFF,
                         minifat_start if minifat else END_OF_CHAIN, -(-len(minifat_bytes) // SECTOR),
                         END_OF_CHAIN, 0)
    header += struct.pack("<109I", *difat)
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    return header + b"".join(body) + fat_bytes
