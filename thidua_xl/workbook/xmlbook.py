"""A saved .xlsx read straight from its XML, for the live recalculation of a file.

openpyxl builds an object per cell to load a book and serialises them all again to save it: two thirds
of a recalculation's time on a large book. A live recalc only needs each cell's value or formula, the
wrap flag of its style, the column widths and row heights — and writes back the file it read with new
cached values (and row heights) in place, every other byte kept. :class:`XmlBook` offers the few
openpyxl names the evaluators, :mod:`.shown` and :func:`.printing.fit_wrapped_rows` use (``worksheets``,
``ws._cells``, ``wb[sheet][ref]``, ``row_dimensions``/``column_dimensions``). A book it does not read
(dates read as numbers, shapes of XML it does not expect) raises :class:`NotPlain`, and the caller
goes through openpyxl instead.
"""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from .cached import MAIN, sheet_parts

_ROW = re.compile(r'<row r="([0-9]+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]{1,3})([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ATTR = re.compile(r'\s([A-Za-z:]+)="([^"]*)"')
_S = re.compile(r'\ss="([0-9]+)"')
_TYPE = re.compile(r'\st="([A-Za-z]+)"')
_F = re.compile(r"<f(\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_V = re.compile(r"<v>(.*?)</v>", re.S)
_T = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>|<t\s*/>", re.S)
_COL = re.compile(r"<col\s([^>]*?)/?>")
_NAME = re.compile(r'<definedName\b[^>]*?\bname="([^"]*)"[^>]*>(.*?)</definedName>', re.S)


class _Name:
    """A defined name's formula text, under openpyxl's attribute name."""

    def __init__(self, text: str):
        self.attr_text = text


class NotPlain(Exception):
    """A book this reader does not take: the caller loads it with openpyxl."""


class Cell:
    __slots__ = ("row", "column", "value", "data_type", "wrap")

    def __init__(self, row: int, column: int, value: object, data_type: str, wrap: bool):
        self.row, self.column, self.value, self.data_type, self.wrap = row, column, value, data_type, wrap

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def column_letter(self) -> str:
        return get_column_letter(self.column)

    @property
    def has_style(self) -> bool:
        return self.wrap

    @property
    def alignment(self):
        return self  # ``cell.alignment.wrap_text``

    @property
    def wrap_text(self) -> bool:
        return self.wrap


class _Dimension:
    __slots__ = ("height", "width")

    def __init__(self, height: float | None = None, width: float | None = None):
        self.height, self.width = height, width


class _Dimensions(dict):
    """``row_dimensions[n]`` / ``column_dimensions[letter]``: created on first use, as openpyxl's."""

    def __missing__(self, key):
        self[key] = _Dimension()
        return self[key]


class Sheet:
    def __init__(self, title: str, part: str):
        self.title, self.part = title, part
        self._cells: dict[tuple[int, int], Cell] = {}
        self.row_dimensions = _Dimensions()
        self.column_dimensions = _Dimensions()

    def __getitem__(self, ref: str) -> tuple[tuple[Cell, ...], ...]:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        return tuple(tuple(self._cells.get((r, c)) or Cell(r, c, None, "n", False)
                           for c in range(min_col, max_col + 1)) for r in range(min_row, max_row + 1))


class XmlBook:
    """The cells of every worksheet of ``path`` (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as archive:
            names = set(archive.namelist())
            strings = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
            wraps, dates = _styles(archive) if "xl/styles.xml" in names else (set(), set())
            self.worksheets = []
            for title, part in sheet_parts(archive).items():
                if part not in names or not part.startswith("xl/worksheets/"):
                    raise NotPlain(f"sheet '{title}' is not a worksheet")
                sheet = Sheet(title, part)
                _read_sheet(sheet, archive.read(part).decode("utf-8"), strings, wraps, dates)
                self.worksheets.append(sheet)
            book = archive.read("xl/workbook.xml").decode("utf-8")
        self.defined_names = {unescape(name): _Name(unescape(text)) for name, text in _NAME.findall(book)}
        self.sheetnames = [ws.title for ws in self.worksheets]
        self.heights = {ws.title: {n: d.height for n, d in ws.row_dimensions.items()} for ws in self.worksheets}

    def __getitem__(self, title: str) -> Sheet:
        return next(ws for ws in self.worksheets if ws.title == title)

    def changed_heights(self) -> dict[str, dict[int, float | None]]:
        """Per sheet part, the rows whose height was changed since reading."""
        out: dict[str, dict[int, float | None]] = {}
        for ws in self.worksheets:
            before = self.heights[ws.title]
            changed = {n: d.height for n, d in ws.row_dimensions.items() if d.height != before.get(n)}
            if changed:
                out[ws.part] = changed
        return out


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared strings: each item's text, or its runs' texts joined (phonetic runs left out)."""
    text, run = f"{{{MAIN}}}t", f"{{{MAIN}}}r"
    out = []
    for si in ET.fromstring(archive.read("xl/sharedStrings.xml")).iter(f"{{{MAIN}}}si"):
        parts = []
        for child in si:
            if child.tag == text:
                parts.append(child.text or "")
            elif child.tag == run:
                found = child.find(text)
                parts.append((found.text or "") if found is not None else "")
        out.append("".join(parts))
    return out


def _styles(archive: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """The cell style indexes that wrap text, and those that show a number as a date."""
    root = ET.fromstring(archive.read("xl/styles.xml"))
    formats = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in root.iter(f"{{{MAIN}}}numFmt")}
    wraps, dates = set(), set()
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else []):
        alignment = xf.find(f"{{{MAIN}}}alignment")
        if alignment is not None and alignment.get("wrapText") in ("1", "true"):
            wraps.add(i)
        number = int(xf.get("numFmtId", "0"))
        code = formats.get(number, BUILTIN_FORMATS.get(number, "General"))
        if is_date_format(code):
            dates.add(i)
    return wraps, dates


def _number(text: str) -> int | float:
    """As openpyxl reads a number: whole numbers written without a point or exponent are ints."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _read_sheet(sheet: Sheet, xml: str, strings: list[str], wraps: set[int], dates: set[int]) -> None:
    head, _, body = xml.partition("<sheetData")
    if not _ or "<sheetData" in body[1:]:
        raise NotPlain("no single sheetData")
    for attrs in _COL.findall(head):
        found = dict(_ATTR.findall(" " + attrs))
        if "width" in found:
            for c in range(int(found.get("min", "1")), int(found.get("max", found.get("min", "1"))) + 1):
                sheet.column_dimensions[get_column_letter(c)].width = float(found["width"])
    shared: dict[str, tuple[str, int, int]] = {}
    cells = sheet._cells
    rows = list(_ROW.finditer(body))
    if len(rows) != body.count("<row "):
        raise NotPlain("a row this reader does not parse")
    for row in rows:
        number = int(row.group(1))
        found = dict(_ATTR.findall(row.group(2)))
        if "ht" in found:
            sheet.row_dimensions[number].height = float(found["ht"])
        content = row.group(3) or ""
        matches = list(_CELL.finditer(content))
        if len(matches) != content.count("<c "):
            raise NotPlain(f"row {number}: a cell this reader does not parse")
        for cell in matches:
            column, attrs = column_index_from_string(cell.group(1)), cell.group(3)
            style = int(found.group(1)) if (found := _S.search(attrs)) else 0
            kind = found.group(1) if (found := _TYPE.search(attrs)) else "n"
            inner = cell.group(4) or ""
            formula = _F.search(inner) if "<f" in inner else None
            if formula is not None:
                cells[(number, column)] = Cell(number, column, _formula(formula, number, column, shared), "f",
                                               style in wraps)
                continue
            text = _V.search(inner)
            value: object = None
            if kind == "inlineStr":
                value, kind = "".join(unescape(t or "") for t in _T.findall(inner)), "s"
            elif text is not None and text.group(1):  # an empty <v></v> is no value, as openpyxl reads it
                raw = unescape(text.group(1)) if "&" in text.group(1) else text.group(1)
                if kind == "s":
                    value = strings[int(raw)]
                elif kind == "str":
                    value, kind = raw, "s"
                elif kind == "b":
                    value = raw.strip() in ("1", "true")
                elif kind == "e":
                    value = raw
                elif kind == "n":
                    if style in dates:
                        raise NotPlain("a date cell")
                    value = _number(raw)
                else:
                    raise NotPlain(f"cell type {kind}")
            cells[(number, column)] = Cell(number, column, value, kind, style in wraps)


def _formula(found: re.Match, row: int, column: int, shared: dict[str, tuple[str, int, int]]) -> object:
    attrs = dict(_ATTR.findall(found.group(1) or ""))
    text = unescape(found.group(2) or "")
    kind = attrs.get("t", "normal")
    if kind == "array":
        return ArrayFormula(attrs.get("ref", f"{get_column_letter(column)}{row}"), f"={text}")
    if kind == "shared":
        index = attrs.get("si", "")
        if text:
            shared[index] = (text, row, column)
        elif index in shared:
            master, r0, c0 = shared[index]
            origin = f"{get_column_letter(c0)}{r0}"
            return Translator(f"={master}", origin).translate_formula(f"{get_column_letter(column)}{row}")
        else:
            raise NotPlain("a shared formula before its master")
    elif kind != "normal":
        raise NotPlain(f"formula type {kind}")
    return f"={text}"
