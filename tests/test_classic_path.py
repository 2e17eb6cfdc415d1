"""Every THIDUA_* formula of the shipped templates, called the way classic Excel calls it through xlwings.

xlwings' COM path hands a UDF 2-D tuples of cell values (floats for numbers,
None for blanks). Classic Excel shows #VALUE! over a whole returned array if
one string in it is longer than 255 characters, so no returned text may be;
and the values must be what the headless recalculation writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from thidua_xl import rubrics
from thidua_xl.ranges import MAX_CELL_TEXT, text_units
from thidua_xl.workbook.recalc import evaluate
from udfs import functions

ROOT = Path(__file__).resolve().parents[1]
CALL = re.compile(r"^=(THIDUA_[A-Z]+)\((.*)\)$")
REF = re.compile(r"^(?:(?:'(?P<q>(?:[^']|'')+)'|(?P<s>[^'!]+))!)?(?P<ref>\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$")


def _split(args: str) -> list[str]:
    out, depth, quote, current = [], 0, False, ""
    for ch in args:
        if ch == '"':
            quote = not quote
        if not quote and ch in "(":
            depth += 1
        if not quote and ch in ")":
            depth -= 1
        if ch == "," and not quote and depth == 0:
            out.append(current)
            current = ""
            continue
        current += ch
    return [*out, current]


def _classic(value: object) -> object:
    """A cell value as xlwings' COM converter passes it: numbers as floats, blanks as None."""
    if value == "" or value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _formulas(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                text = value.text if isinstance(value, ArrayFormula) else value
                if isinstance(text, str) and text.startswith("=THIDUA_"):
                    ref = value.ref if isinstance(value, ArrayFormula) else cell.coordinate
                    yield ws, ref, text


@pytest.mark.parametrize("plan", [r.id for r in rubrics.all_rubrics()])
def test_template_formulas_through_the_classic_path(plan):
    path = ROOT / "workbooks" / f"{plan}.xlsx"
    computed = evaluate(path)
    wb = load_workbook(path)

    def cell_value(sheet: str, coordinate: str) -> object:
        key = (sheet.upper(), coordinate)
        return computed[key] if key in computed else wb[sheet][coordinate].value

    def argument(text: str, sheet: str) -> object:
        if text.startswith('"'):
            return text[1:-1].replace('""', '"')
        match = REF.match(text)
        assert match, f"unexpected argument {text!r}"
        name = (match["q"] or "").replace("''", "'") or match["s"] or sheet
        min_col, min_row, max_col, max_row = range_boundaries(match["ref"].replace("$", ""))
        return tuple(tuple(_classic(cell_value(name, f"{get_column_letter(c)}{r}")) for c in range(min_col, max_col + 1))
                     for r in range(min_row, max_row + 1))

    calls = 0
    for ws, ref, text in _formulas(wb):
        name, args = CALL.match(text).groups()
        result = getattr(functions, name.lower())(*[argument(a.strip(), ws.title) for a in _split(args)])
        min_col, min_row, _, _ = range_boundaries(ref)
        for i, row in enumerate(result):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    assert text_units(value) <= MAX_CELL_TEXT, f"{ws.title}!{ref}: {len(value)} characters"
                expected = computed.get((ws.title.upper(), f"{get_column_letter(min_col + j)}{min_row + i}"))
                if isinstance(value, float):
                    assert expected == pytest.approx(value), (ws.title, ref, i, j)
                else:
                    assert (expected or "") == (value or ""), (ws.title, ref, i, j)
        calls += 1
    assert calls >= 5
