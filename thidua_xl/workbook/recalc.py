"""Headless recalculation: evaluate every formula of a workbook without Excel.

The `formulas` package parses and evaluates the workbook (SUM, IF, INDEX/MATCH,
COUNTIF, AVERAGEIF, RANK.EQ … and array formulas); the THIDUA_* functions are
registered into it from :mod:`thidua_xl.sheet_functions`, the same code the
Excel UDFs run. The result is written into a copy of the original workbook
(styles, tables and validations kept; formulas replaced by their values),
atomically, and never over the original.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from .. import sheet_functions as sf
from ..cells import put
from ..tables import atomic_write

FUNCTIONS: dict[str, Callable[..., object]] = {
    "THIDUA_SCORE": sf.score_values,
    "THIDUA_DETAIL": sf.detail_values,
    "THIDUA_EXPLAIN": sf.explain_values,
    "THIDUA_AWARD": sf.award_values,
    "THIDUA_CLASS": sf.class_values,
    "THIDUA_GAP": sf.gap_values,
    "THIDUA_RANK": sf.rank_values,
    "THIDUA_PLANS": sf.plans,
}

_KEY = re.compile(r"^'?\[(?P<book>[^\]]+)\](?P<sheet>.+?)'?!(?P<ref>[A-Z]+\d+(?::[A-Z]+\d+)?)$")


def _plain(value: object) -> object:
    """A `formulas` argument (Ranges, numpy scalars, EMPTY, XlError) as the plain values Excel would pass."""
    import schedula as sh
    from formulas.tokens.operand import XlError

    if hasattr(value, "value") and isinstance(value.value, np.ndarray):
        value = value.value
    if isinstance(value, np.ndarray):
        return [[_plain(v) for v in row] for row in np.atleast_2d(value).tolist()]
    if value is sh.EMPTY:
        return None
    if isinstance(value, XlError):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _adapt(function: Callable[..., object]) -> Callable[..., object]:
    def call(*args: object) -> object:
        return function(*[_plain(a) for a in args])

    call.__name__ = function.__name__
    return call


def register() -> None:
    """Make the THIDUA_* functions known to the `formulas` engine."""
    import formulas

    table = formulas.get_functions()
    for name, function in FUNCTIONS.items():
        table[name] = _adapt(function)


def _cell_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, list):  # a 1×1 array
        value = value[0][0] if value and value[0] else None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def evaluate(path: str | Path) -> dict[tuple[str, str], object]:
    """Every formula cell's value, keyed by (SHEET NAME IN UPPER CASE, cell address)."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    import formulas

    register()
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    values: dict[tuple[str, str], object] = {}
    for key, result in solution.items():
        match = _KEY.match(str(key))
        if match is None:
            continue
        sheet, ref = match["sheet"], match["ref"]
        if ":" not in ref:
            values[(sheet, ref)] = _cell_value(result)
            continue
        array = _plain(result)
        if not isinstance(array, list):
            continue
        min_col, min_row, _, _ = range_boundaries(ref)
        from openpyxl.utils import get_column_letter

        for i, row in enumerate(array):
            for j, value in enumerate(row):
                values.setdefault((sheet, f"{get_column_letter(min_col + j)}{min_row + i}"), _cell_value(value))
    return values


def recalc(book: str | Path, output: str | Path | None = None) -> Path:
    """Write ``output`` (default: BOOK-tinh-lai.xlsx) with every formula replaced by its value."""
    book = Path(book)
    output = Path(output) if output is not None else book.with_name(f"{book.stem}-tinh-lai{book.suffix}")
    values = evaluate(book)
    wb = load_workbook(book)
    for ws in wb.worksheets:
        key = ws.title.upper()
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, ArrayFormula):
                    _fill_array(ws, cell.value, key, values)
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    put(cell, values.get((key, cell.coordinate)))
    return atomic_write(output, lambda tmp: wb.save(tmp), protect=(book,))


def _fill_array(ws, formula: ArrayFormula, key: str, values: dict[tuple[str, str], object]) -> None:
    for row in ws[formula.ref]:
        for cell in row:
            put(cell, values.get((key, cell.coordinate)))
