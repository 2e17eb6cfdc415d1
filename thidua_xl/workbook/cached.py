"""Cached values next to formulas in a saved .xlsx, so any application shows numbers on open.

openpyxl writes a cell either as a formula or as a value and drops cached
results on save. A spreadsheet opened without the add-in (LibreOffice, a
colleague's Excel, a viewer) shows the cached ``<v>`` of each formula cell, so
after openpyxl has saved a book we write the values the headless evaluator
computed into the sheet XML: ``<v>`` inside each formula's ``<c>``, and plain
values in the other cells of an array formula's range (which is how Excel and
LibreOffice store them). Nothing else in the file changes.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})

ET.register_namespace("", MAIN)
ET.register_namespace("r", REL)

Values = Mapping[tuple[str, str], object]  # (SHEET NAME IN UPPER CASE, "A1") -> value


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the package."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    parts: dict[str, str] = {}
    for sheet in book.iter(_q("sheet")):
        target = targets.get(sheet.get(f"{{{REL}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = path
    return parts


def _set_value(cell: ET.Element, value: object) -> None:
    """Give a cell (formula or array member) its cached value, replacing any earlier one."""
    for old in cell.findall(_q("v")) + cell.findall(_q("is")):
        cell.remove(old)
    cell.attrib.pop("t", None)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return
    v = ET.SubElement(cell, _q("v"))
    if isinstance(value, bool):
        cell.set("t", "b")
        v.text = "1" if value else "0"
    elif isinstance(value, int | float):
        v.text = repr(float(value)) if isinstance(value, float) else str(value)
    elif isinstance(value, str) and value in ERRORS:
        cell.set("t", "e")
        v.text = value
    else:
        cell.set("t", "str")
        v.text = str(value)


def _column(ref: str) -> int:
    return column_index_from_string(coordinate_from_string(ref)[0])


def _fill_sheet(root: ET.Element, values: Mapping[str, object]) -> None:
    """Write ``values`` (cell address -> value) into a worksheet element; missing rows/cells are created."""
    data = root.find(_q("sheetData"))
    if data is None:
        return
    rows = {int(r.get("r", "0")): r for r in data.findall(_q("row"))}
    wanted = dict(values)
    for row in rows.values():
        for cell in row.findall(_q("c")):
            ref = cell.get("r", "")
            if ref in wanted:
                _set_value(cell, wanted.pop(ref))
    created: set[int] = set()
    for ref, value in wanted.items():
        if value is None:
            continue
        number = coordinate_from_string(ref)[1]
        row = rows.get(number)
        if row is None:
            row = rows[number] = ET.Element(_q("row"), {"r": str(number)})
        cell = ET.SubElement(row, _q("c"), {"r": ref})
        _set_value(cell, value)
        created.add(number)
    if not created:
        return
    for number in created:  # cells in column order within each touched row
        row = rows[number]
        cells = sorted(row.findall(_q("c")), key=lambda c: _column(c.get("r", "A1")))
        for cell in row.findall(_q("c")):
            row.remove(cell)
        others = list(row)
        for child in others:
            row.remove(child)
        row.extend(cells + others)
    for row in data.findall(_q("row")):
        data.remove(row)
    data.extend(rows[n] for n in sorted(rows))


_ROW = re.compile(r'<row r="([0-9]+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]{1,3})([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_OLD_VALUE = re.compile(r"<v>.*?</v>|<v\s*/>|<is>.*?</is>", re.S)
_TYPE = re.compile(r'\st="[^"]*"')


def _value_xml(value: object) -> tuple[str, str]:
    """(type attribute, ``<v>`` element) of a cached value, as :func:`_set_value` writes them."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "", ""
    if isinstance(value, bool):
        return ' t="b"', f"<v>{1 if value else 0}</v>"
    if isinstance(value, int | float):
        return "", f"<v>{repr(float(value)) if isinstance(value, float) else value}</v>"
    if isinstance(value, str) and value in ERRORS:
        return ' t="e"', f"<v>{escape(value)}</v>"
    return ' t="str"', f"<v>{escape(str(value))}</v>"


class _Missing(Exception):
    """A value whose row is not in the sheet: left to the tree version, which creates rows."""


_HEIGHT = re.compile(r'\s(?:ht|customHeight)="[^"]*"')


def _row_attributes(attributes: str, height: float | None) -> str:
    """A row's attributes with ``height`` (None: no height of its own), as openpyxl writes them."""
    attributes = _HEIGHT.sub("", attributes)
    return attributes if height is None else f'{attributes} ht="{height:g}" customHeight="1"'


def _fill_text(xml: str, values: Mapping[str, object], heights: Mapping[int, float | None] | None = None
               ) -> str | None:
    """:func:`_fill_sheet` on the sheet's text in one pass, every other byte kept (the tree round trip took
    seconds on a large sheet), and rows given new ``heights``; None when the text is not in the expected
    shape (then the tree version runs)."""
    by_row: dict[int, dict[str, object]] = {}
    for ref, value in values.items():
        letters = ref.rstrip("0123456789")
        by_row.setdefault(int(ref[len(letters):]), {})[letters] = value
    heights = dict(heights or {})

    def row(match: re.Match) -> str:
        wanted = by_row.pop(int(match.group(1)), None)
        attributes = match.group(2)
        if int(match.group(1)) in heights:
            attributes = _row_attributes(attributes, heights.pop(int(match.group(1))))
        if not wanted:
            if attributes == match.group(2):
                return match.group(0)
            return f'<row r="{match.group(1)}"{attributes}' + (f">{match.group(3)}</row>" if match.group(3)
                                                                is not None else "/>")
        number, body = match.group(1), match.group(3) or ""

        def cell(found: re.Match) -> str:
            letters = found.group(1)
            if letters not in wanted:
                return found.group(0)
            kind, v = _value_xml(wanted.pop(letters))
            inner = _OLD_VALUE.sub("", found.group(4) or "")
            return f'<c r="{letters}{number}"{_TYPE.sub("", found.group(3))}{kind}>{inner}{v}</c>'

        body = _CELL.sub(cell, body)
        missing = [(letters, value) for letters, value in wanted.items() if value is not None]
        if missing:  # cells to add, in column order: only in a row made of cells alone
            cells = [(column_index_from_string(c.group(1)), c.group(0)) for c in _CELL.finditer(body)]
            if "".join(text for _, text in cells) != body:
                raise _Missing
            for letters, value in missing:
                kind, v = _value_xml(value)
                cells.append((column_index_from_string(letters), f'<c r="{letters}{number}"{kind}>{v}</c>'))
            cells.sort(key=lambda c: c[0])
            body = "".join(text for _, text in cells)
        return f'<row r="{number}"{attributes}>{body}</row>'

    head, sep, rest = xml.partition("<sheetData")
    try:
        out = head + sep + _ROW.sub(row, rest)
    except _Missing:
        return None
    left = any(v is not None for cells in by_row.values() for v in cells.values()) or bool(heights)
    return None if left else out


_CALC = re.compile(r"<calcPr\b[^>]*?(/>|>.*?</calcPr>)", re.S)
_AFTER_CALC = re.compile(r"<(?:oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|webPublishing|"
                         r"fileRecoveryPr|webPublishObjects|extLst)\b|</workbook>")


def shown_as_stored(xml: str) -> str:
    """workbook.xml with ``<calcPr calcId="191029" fullCalcOnLoad="0"/>``: opened, the book shows the stored
    values (a forced full recalculation would turn every THIDUA_* cell into #NAME? without the add-in)."""
    calc = '<calcPr calcId="191029" fullCalcOnLoad="0" />'
    if _CALC.search(xml):
        return _CALC.sub(calc, xml, count=1)
    found = _AFTER_CALC.search(xml)
    return xml if found is None else xml[:found.start()] + calc + xml[found.start():]


def _heights_tree(root: ET.Element, heights: Mapping[int, float | None]) -> None:
    for row in root.iter(_q("row")):
        number = int(row.get("r", "0"))
        if number in heights:
            row.attrib.pop("ht", None)
            row.attrib.pop("customHeight", None)
            if heights[number] is not None:
                row.set("ht", f"{heights[number]:g}")
                row.set("customHeight", "1")


def write_cached(path: str | Path, values: Values, *, source: str | Path | None = None,
                 heights: Mapping[str, Mapping[int, float | None]] | None = None) -> None:
    """Rewrite the .xlsx at ``path`` with ``values`` as the cached results of its cells.

    ``source``: read that file instead and write the result to ``path`` (a live recalculation of a file:
    its bytes kept but for the cached values, the row ``heights`` given per sheet part, and the
    calculation settings that show the stored values on open)."""
    path = Path(path)
    heights = heights or {}
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, ref), value in values.items():
        by_sheet.setdefault(sheet, {})[ref] = value
    with zipfile.ZipFile(source or path) as original:
        parts = {part: by_sheet.get(name.upper(), {}) for name, part in sheet_parts(original).items()
                 if name.upper() in by_sheet or part in heights}
        # Reading another file: write ``path`` itself (the caller's temporary file); rewriting ``path``: a
        # temporary file beside it, moved over it once complete and removed if anything fails.
        if source is not None:
            _rewrite(original, path, parts, heights, True)
            return
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            _rewrite(original, Path(tmp), parts, heights, False)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    shutil.move(tmp, path)


def _rewrite(original: zipfile.ZipFile, path: Path, parts: Mapping[str, Mapping[str, object]],
             heights: Mapping[str, Mapping[int, float | None]], calculation: bool) -> None:
    """Copy ``original`` to ``path`` with the ``parts`` (sheet part → values) and ``heights`` applied, and with
    ``calculation`` the settings that show the stored values on open."""
    with open(path, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as target:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename in parts:
                rows = heights.get(item.filename, {})
                try:
                    text = _fill_text(data.decode("utf-8"), parts[item.filename], rows)
                except UnicodeDecodeError:
                    text = None
                if text is not None:
                    data = text.encode("utf-8")
                else:
                    root = ET.fromstring(data)
                    _fill_sheet(root, parts[item.filename])
                    _heights_tree(root, rows)
                    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
            elif item.filename == "xl/workbook.xml" and calculation:
                data = shown_as_stored(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
