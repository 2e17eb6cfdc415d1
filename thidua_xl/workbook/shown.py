"""The shown copies of engine cells (``=IF($Fn,Xn,"")``) on scoring sheets, evaluated without `formulas`.

A scoring sheet shows each THIDUA_* result through a plain formula reading a
hidden engine column (see ``template._EngineColumns``). They are most of a
book's formulas and trivial, while the `formulas` package spends about a
millisecond compiling each one; so the evaluator skips every such copy that no
other formula reads and this module fills them in from the values it computed.
A copy another formula reads (a user's own SUM over the shown totals) is left
to the evaluator, so nothing depends on this shortcut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token, TokenizerError
from openpyxl.utils.cell import range_boundaries

COPY = re.compile(r'^=IF\(\$(?P<flag>[A-Z]{1,3})(?P<row>\d+),(?P<engine>[A-Z]{1,3})(?P=row),""\)$')

Key = tuple[str, str]  # (SHEET NAME IN UPPER CASE, "A1")


def copies(wb) -> dict[Key, tuple[str, str]]:
    """Every shown copy of the workbook: cell -> (flag cell, engine cell), all on the same sheet."""
    found: dict[Key, tuple[str, str]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                match = COPY.match(cell.value) if isinstance(cell.value, str) else None
                if match:
                    found[(ws.title.upper(), cell.coordinate)] = (f"{match['flag']}{match['row']}",
                                                                 f"{match['engine']}{match['row']}")
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


def skippable(wb, found: Mapping[Key, tuple[str, str]]) -> set[Key]:
    """The copies no other formula reads (all of them in a book made by the template)."""
    from openpyxl.worksheet.formula import ArrayFormula

    read: list[tuple[str, tuple[int, int, int, int]]] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
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
        col, row, _, _ = range_boundaries(f"{ref}:{ref}")
        if not any(c1 <= col <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in by_sheet.get(sheet, ())):
            free.add(key)
    return free


def fill(values: dict[Key, object], found: Mapping[Key, tuple[str, str]], keys: set[Key]) -> None:
    """Give each skipped copy the value its formula gives: the engine cell when the flag is true, else ""."""
    for key in keys:
        sheet = key[0]
        flag, engine = found[key]
        shown = values.get((sheet, flag))
        values[key] = values.get((sheet, engine)) if isinstance(shown, bool | int | float) and shown else ""
