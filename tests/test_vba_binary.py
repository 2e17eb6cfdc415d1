"""The VBA-project writers against the reference readers: oletools' decompressor and olefile."""

from __future__ import annotations

import random

import olefile
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from thidua_xl.addin.cfb import write_compound_file
from thidua_xl.addin.ovba_compression import CHUNK, compress
from thidua_xl.addin.vba_text import decode, vba_string


def _decompressed(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(compress(data))))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3 * CHUNK + 17))
def test_compression_round_trips_through_oletools(data):
    out = _decompressed(data)
    # an incompressible last chunk is stored raw, padded with zeros to 4,096 bytes ([MS-OVBA] §2.4.1.3.10)
    assert out == data or (out[:len(data)] == data and not out[len(data):].strip(b"\0"))


def test_compression_of_source_text_round_trips_and_compresses():
    rng = random.Random(7)
    words = ["Function", "End", "If", "Then", "thidua_score", "XLPy.CallUDF", "\r\n", "    ", "Dim", "As", "String"]
    text = " ".join(rng.choice(words) for _ in range(20000)).encode()
    packed = compress(text)
    assert bytes(decompress_stream(bytearray(packed))) == text and len(packed) < len(text) / 2


def test_compound_file_holds_small_and_large_streams_in_storages():
    rng = random.Random(1)
    streams = {("PROJECT",): b"ID=\"{x}\"\r\n", ("VBA", "dir"): bytes(rng.randrange(256) for _ in range(900)),
               ("VBA", "big"): bytes(rng.randrange(256) for _ in range(70_000)),
               ("VBA", "edge"): b"x" * 4096, ("VBA", "empty"): b""}
    streams |= {("VBA", f"Module{i}"): f"Attribute VB_Name = \"Module{i}\"\r\n".encode() * i for i in range(1, 40)}
    ole = olefile.OleFileIO(write_compound_file(streams), raise_defects=olefile.DEFECT_INCORRECT)
    for path, data in streams.items():
        assert ole.openstream("/".join(path)).read() == data
    assert sorted("/".join(p) for p in ole.listdir()) == sorted("/".join(p) for p in streams)


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=700))
def test_vba_strings_are_ascii_and_decode_to_the_text(text):
    import unicodedata

    expression = vba_string(text)
    expression.encode("ascii")
    assert all(len(line) < 1000 for line in expression.splitlines())
    literals = __import__("re").findall(r'"((?:[^"]|"")*)"', expression)
    assert decode("".join(literals)) == unicodedata.normalize("NFC", text)
