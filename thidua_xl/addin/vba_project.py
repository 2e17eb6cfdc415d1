"""Rewrite a VBA project (``vbaProject.bin``, [MS-OVBA]) with new module sources.

Why: xlwings' own route puts the UDF wrappers into a workbook's VBA project
through Excel's object model, which needs Excel, "Trust access to the VBA
project object model" and a macro-enabled *active* workbook. Writing the
project ourselves puts the wrappers and the ribbon callbacks into the add-in
at build time, so a secretary only loads one file.

The project is written source-only, as [MS-OVBA] §2.3.4.1 prescribes for a
writer: ``_VBA_PROJECT`` version 0xFFFF and no performance cache, module
streams holding just the compressed source at offset 0. Excel then compiles
the modules from source on first load (xlwings' quickstart add-in ships in
the same form).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import olefile
from oletools.olevba import decompress_stream

from .cfb import write_compound_file
from .ovba_compression import compress

# dir-stream record ids ([MS-OVBA] §2.3.4.2)
PROJECTVERSION = 0x0009
PROJECTMODULES = 0x000F
PROJECTCOOKIE = 0x0013
MODULENAME = 0x0019
MODULENAMEUNICODE = 0x0047
MODULESTREAMNAME = 0x001A
MODULESTREAMNAMEUNICODE = 0x0032
MODULEDOCSTRING = 0x001C
MODULEDOCSTRINGUNICODE = 0x0048
MODULEOFFSET = 0x0031
MODULEHELPCONTEXT = 0x001E
MODULECOOKIE = 0x002C
MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_OTHER = 0x0022  # document and class modules
MODULE_TERMINATOR = 0x002B
DIR_TERMINATOR = 0x0010
PROJECTCODEPAGE = 0x0003

Record = tuple[int, bytes]


@dataclass
class Module:
    """One VBA module: its name, whether it is a standard module, and its source (attributes included)."""

    name: str
    source: str
    procedural: bool = True
    records: list[Record] = field(default_factory=list)  # the template's own records, kept for doc/class modules


def parse_records(data: bytes) -> list[Record]:
    """The dir stream as (id, payload) records; PROJECTVERSION is the one record longer than its size field."""
    records: list[Record] = []
    pos = 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if rid == PROJECTVERSION:
            size = 6
        records.append((rid, data[pos:pos + size]))
        pos += size
        if rid == DIR_TERMINATOR:
            break
    return records


def pack_records(records: list[Record]) -> bytes:
    out = bytearray()
    for rid, payload in records:
        size = 4 if rid == PROJECTVERSION else len(payload)
        out += struct.pack("<HI", rid, size) + payload
    return bytes(out)


def decompress(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(data)))


@dataclass
class VbaProject:
    """A VBA project read from a template: project-level records, PROJECT text and its modules."""

    head: list[Record]
    project_text: str
    modules: list[Module]
    codepage: str
    version_stream: bytes

    @classmethod
    def read(cls, data: bytes) -> VbaProject:
        ole = olefile.OleFileIO(data)
        try:
            records = parse_records(decompress(ole.openstream("VBA/dir").read()))
            codepage = next(struct.unpack("<H", p)[0] for r, p in records if r == PROJECTCODEPAGE)
            encoding = f"cp{codepage}"
            first = next(i for i, (r, _) in enumerate(records) if r == MODULENAME)
            head = [r for r in records[:first] if r[0] not in (PROJECTMODULES, PROJECTCOOKIE)]
            modules: list[Module] = []
            current: list[Record] = []
            for rid, payload in records[first:]:
                if rid == DIR_TERMINATOR:
                    break
                current.append((rid, payload))
                if rid != MODULE_TERMINATOR:
                    continue
                fields = dict(current)
                stream = fields[MODULESTREAMNAME].decode(encoding)
                offset = struct.unpack("<I", fields[MODULEOFFSET])[0]
                raw = ole.openstream(f"VBA/{stream}").read()[offset:]
                modules.append(Module(name=fields[MODULENAME].decode(encoding),
                                      source=decompress(raw).decode(encoding),
                                      procedural=MODULETYPE_PROCEDURAL in fields, records=current))
                current = []
            project_text = ole.openstream("PROJECT").read().decode(encoding)
            version_stream = ole.openstream("VBA/_VBA_PROJECT").read()[:7]
        finally:
            ole.close()
        return cls(head, project_text, modules, encoding, version_stream)

    def module(self, name: str) -> Module:
        return next(m for m in self.modules if m.name == name)

    def remove(self, name: str) -> None:
        self.modules = [m for m in self.modules if m.name != name]

    def add(self, name: str, source: str) -> None:
        """A new standard module (replacing one of the same name)."""
        self.remove(name)
        self.modules.append(Module(name=name, source=source, procedural=True))

    # ------------------------------------------------------------------ writing
    def _module_records(self, module: Module) -> list[Record]:
        enc = self.codepage
        name, uname = module.name.encode(enc), module.name.encode("utf-16-le")
        kept = dict(module.records)
        records: list[Record] = [
            (MODULENAME, name), (MODULENAMEUNICODE, uname),
            (MODULESTREAMNAME, name), (MODULESTREAMNAMEUNICODE, uname),
            (MODULEDOCSTRING, kept.get(MODULEDOCSTRING, b"")),
            (MODULEDOCSTRINGUNICODE, kept.get(MODULEDOCSTRINGUNICODE, b"")),
            (MODULEOFFSET, struct.pack("<I", 0)),
            (MODULEHELPCONTEXT, kept.get(MODULEHELPCONTEXT, struct.pack("<I", 0))),
            (MODULECOOKIE, struct.pack("<H", 0xFFFF)),
            (MODULETYPE_PROCEDURAL if module.procedural else MODULETYPE_OTHER, b""),
        ]
        records += [(r, p) for r, p in module.records if r in (0x0025, 0x0028)]  # read-only, private
        records.append((MODULE_TERMINATOR, b""))
        return records

    def _project_text(self) -> str:
        """The PROJECT stream with one line per module, in the template's order and form."""
        lines = self.project_text.split("\r\n")
        kinds = ("Document=", "Module=", "Class=", "BaseClass=")
        documents = {line.split("=", 1)[1].split("/", 1)[0]: line for line in lines if line.startswith(kinds)}
        out: list[str] = []
        inserted = False
        for line in lines:
            if line.startswith(kinds):
                if not inserted:
                    for m in self.modules:
                        out.append(documents.get(m.name) or f"Module={m.name}")
                    inserted = True
                continue
            if line.startswith("[Workspace]"):
                out.append(line)
                out += [f"{m.name}=0, 0, 0, 0, C" for m in self.modules]
                break
            out.append(line)
        return "\r\n".join(out) + "\r\n"

    def _project_wm(self) -> bytes:
        out = bytearray()
        for m in self.modules:
            out += m.name.encode(self.codepage) + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
        return bytes(out + b"\0\0")

    def to_bytes(self) -> bytes:
        records = list(self.head)
        records += [(PROJECTMODULES, struct.pack("<H", len(self.modules))),
                    (PROJECTCOOKIE, struct.pack("<H", 0xFFFF))]
        for m in self.modules:
            records += self._module_records(m)
        dir_stream = pack_records(records) + struct.pack("<HI", DIR_TERMINATOR, 0)
        streams = {
            ("PROJECT",): self._project_text().encode(self.codepage),
            ("PROJECTwm",): self._project_wm(),
            ("VBA", "_VBA_PROJECT"): self.version_stream,
            ("VBA", "dir"): compress(dir_stream),
        }
        for m in self.modules:
            streams[("VBA", m.name)] = compress(m.source.replace("\r\n", "\n").replace("\n", "\r\n")
                                                .encode(self.codepage))
        return write_compound_file(streams)
