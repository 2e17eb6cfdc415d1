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
import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

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


def write_cached(path: str | Path, values: Values) -> None:
    """Rewrite the .xlsx at ``path`` with ``values`` as the cached results of its cells."""
    path = Path(path)
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, ref), value in values.items():
        by_sheet.setdefault(sheet, {})[ref] = value
    with zipfile.ZipFile(path) as source:
        parts = {part: by_sheet[name.upper()] for name, part in sheet_parts(source).items()
                 if name.upper() in by_sheet}
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
        with open(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename in parts:
                    root = ET.fromstring(data)
                    _fill_sheet(root, parts[item.filename])
                    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
                target.writestr(item, data)
    shutil.move(tmp, path)
