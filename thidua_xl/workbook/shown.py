"""The shown copies of engine cells (``=IF($Fn,Xn,"")``) and their row flags
(``=COUNTBLANK('Số liệu xã'!A2:G2)<7``) on scoring sheets, evaluated without `formulas`.

A scoring sheet shows each THIDUA_* result through a plain formula reading a
hidden engine column (see ``template._EngineColumns``). They are most of a
book's formulas and trivial, while the `formulas` package spends milliseconds
on each one; so the evaluator skips every such cell that no other formula
reads and this module fills them in from the values it computed.
A copy another formula reads (a user's own SUM over the shown totals) is left
to the evaluator, so nothing depends on this shortcut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token, TokenizerError
from openpyxl.utils.cell import range_boundaries

from .reading import is_formula, position

COPY = re.compile(r'^=IF\(\$(?P<flag>[A-Z]{1,3})(?P<row>\d+),(?P<engine>[A-Z]{1,3})(?P=row),""\)$')
FLAG = re.compile(r"^=COUNTBLANK\((?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!(]+))!(?P<ref>[A-Z]{1,3}\d+:[A-Z]{1,3}\d+)\)"
                  r"<(?P<width>\d+)$")

Key = tuple[str, str]  # (SHEET NAME IN UPPER CASE, "A1")


def copies(wb) -> dict[Key, tuple]:
    """Every shown copy and row flag of the workbook.

    A copy maps to ("copy", flag cell, engine cell) on its own sheet; a flag to ("flag", SHEET, range, width)."""
    found: dict[Key, tuple] = {}
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):  # the cells that exist: iter_rows would create every gap
            if not isinstance(cell.value, str) or not cell.value.startswith("="):
                continue
            key = (ws.title.upper(), cell.coordinate)
            if match := COPY.match(cell.value):
                found[key] = ("copy", f"{match['flag']}{match['row']}", f"{match['engine']}{match['row']}")
            elif match := FLAG.match(cell.value):
                sheet = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"]
                if sheet in wb.sheetnames:
                    found[key] = ("flag", sheet, match["ref"], int(match["width"]))
    return found


def _read_ranges(sheet: str, formula: str) -> list[tuple[str, tuple[int, int, int, int]]] | None:
    """The ranges a formula reads as (SHEET, bounds); None when one cannot be resolved (a name, INDIRECT)."""
    out = []
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError:
        return None
    for token in tokens:
        if token.type == Token.FUNC and token.value.upper().startswith(("INDIRECT(", "OFFSET(")):
            return None
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        where, _, ref = token.value.rpartition("!")
        target = where.strip("'").replace("''", "'").upper() if where else sheet
        try:
            bounds = range_boundaries(ref.replace("$", ""))
        except ValueError:
            return None
        if "[" in where:
            continue  # another workbook
        out.append((target, tuple(b if b is not None else (1 if i < 2 else 1 << 20) for i, b in enumerate(bounds))))
    return out


def skippable(wb, found: Mapping[Key, tuple]) -> set[Key]:
    """The copies and flags no other formula reads (all of them in a book made by the template); a flag read
    only by copies counts as unread, since the copies are filled in here as well."""
    from openpyxl.worksheet.formula import ArrayFormula

    read: list[tuple[str, tuple[int, int, int, int]]] = []
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):
            value = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
            if not isinstance(value, str) or not value.startswith("=") or (ws.title.upper(), cell.coordinate) in found:
                continue
            ranges = _read_ranges(ws.title.upper(), value)
            if ranges is None:
                return set()
            read.extend(ranges)
    by_sheet: dict[str, list[tuple[int, int, int, int]]] = {}
    for sheet, bounds in read:
        by_sheet.setdefault(sheet, []).append(bounds)
    free: set[Key] = set()
    for key in found:
        sheet, ref = key
        row, col = position(ref)
        if not any(c1 <= col <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in by_sheet.get(sheet, ())):
            free.add(key)
    # A copy left to the evaluator reads its flag there too.
    free -= {(key[0], found[key][1]) for key in found if found[key][0] == "copy" and key not in free}
    return free


def fill(wb, values: dict[Key, object], found: Mapping[Key, tuple], keys: set[Key]) -> None:
    """Give each skipped cell the value its formula gives: a flag is whether its input row holds anything
    (COUNTBLANK counts "" as blank), a copy the engine cell when its flag is true, else ""."""
    for key in keys:
        kind, sheet, ref, width = found[key] if found[key][0] == "flag" else (None,) * 4
        if kind == "flag":
            cells = [c for row in wb[sheet][ref] for c in row]
            upper = sheet.upper()
            blank = sum(1 for c in cells
                        if (values.get((upper, c.coordinate)) if is_formula(c.value) else c.value) in (None, ""))
            values[key] = blank < width
    for key in keys:
        if found[key][0] == "copy":
            _, flag, engine = found[key]
            shown = values.get((key[0], flag))
            values[key] = values.get((key[0], engine)) if isinstance(shown, bool | int | float) and shown else ""
