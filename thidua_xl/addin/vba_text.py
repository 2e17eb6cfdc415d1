"""VBA source text that shows Vietnamese whatever the Windows code page.

The VBA editor stores module source in the project's ANSI code page (1252 in
xlwings' template), which has no Vietnamese letters; a literal with diacritics
would arrive as '?'. Text is therefore written as an ASCII literal with
``\\uXXXX`` escapes, decoded at run time by the module's ``U`` function
(``U_FUNCTION``): one short literal per text, unlike a chain of ``ChrW`` calls,
which hits VBA's "expression too complex" and 1,023-character line limits.
"""

from __future__ import annotations

import unicodedata

PIECE = 300  # characters of escaped literal per source line (VBA allows 1,023 per line)

U_FUNCTION = """Private Function U(ByVal s As String) As String
    ' Decodes the \\uXXXX escapes of a text written in ASCII (see thidua_xl/addin/vba_text.py).
    Dim i As Long, out As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\\u" Then
            out = out & ChrW(CLng("&H" & Mid$(s, i + 2, 4)))
            i = i + 6
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    U = out
End Function
"""


def _units(text: str) -> list[str]:
    """``text`` as ASCII literal units: a character, a doubled quote or a \\uXXXX escape (never split)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        code = ord(ch)
        if code > 0xFFFF:
            raise ValueError(f"ký tự ngoài BMP không dùng được trong VBA: {ch!r}")
        if ch == '"':
            out.append('""')
        elif 32 <= code < 127 and ch != "\\":
            out.append(ch)
        else:
            out.append(f"\\u{code:04X}")
    return out


def decode(literal: str) -> str:
    """What VBA and ``U`` make of a literal's content at run time (for tests)."""
    out, i = [], 0
    literal = literal.replace('""', '"')
    while i < len(literal):
        if literal.startswith("\\u", i):
            out.append(chr(int(literal[i + 2:i + 6], 16)))
            i += 6
        else:
            out.append(literal[i])
            i += 1
    return "".join(out)


def vba_string(text: str) -> str:
    """A VBA expression for ``text``: a plain literal if ASCII, else U("…") split over continuation lines."""
    units = _units(text)
    if all(len(u) < 6 for u in units):
        return '"' + "".join(units) + '"'
    pieces, piece = [], ""
    for unit in units:
        if len(piece) + len(unit) > PIECE:
            pieces.append(piece)
            piece = ""
        piece += unit
    pieces.append(piece)
    return "U(" + " & _\n        ".join(f'"{p}"' for p in pieces) + ")"


def crlf(text: str) -> str:
    """VBA module text as the VBA editor writes it: CRLF line ends."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
