"""The general headless evaluator: the `formulas` package over a whole workbook.

Used for a book the fast evaluator (:mod:`.calc`) does not take — a formula with a function it does not
know, a defined name, a table reference. It knows most of Excel (SUM, IF, INDEX/MATCH, COUNTIF,
AVERAGEIF … and array formulas); the THIDUA_* functions are registered into its function table, with an
O(n log n) RANK.EQ/RANK in place of its own, which re-reads the whole range for every cell.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from .calc import rank_eq

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


def _rank(number: object, ref: object, order: object = 0) -> object:
    """:func:`.calc.rank_eq` on `formulas` arguments (errors kept as errors, not as their text)."""
    import schedula as sh
    from formulas.functions import Array
    from formulas.tokens.operand import Error, XlError

    from .calc.values import Err

    def ours(value: object) -> object:
        if hasattr(value, "value") and isinstance(value.value, np.ndarray):
            value = value.value
        if isinstance(value, np.ndarray):
            return np.frompyfunc(ours, 1, 1)(value).astype(object)
        if value is sh.EMPTY:
            return None
        if isinstance(value, XlError):
            return Err(str(value))
        return value.item() if isinstance(value, np.generic) else value

    def theirs(value: object) -> object:
        return Error.errors[value.code] if isinstance(value, Err) else value

    result = rank_eq(ours(number), ours(ref), ours(order))
    if isinstance(result, np.ndarray):
        return np.frompyfunc(theirs, 1, 1)(result).astype(object).view(Array)
    return theirs(result)


def register(functions: Mapping[str, Callable[..., object]]) -> None:
    """Make the THIDUA_* ``functions`` known to the `formulas` engine, and its RANK.EQ/RANK O(n log n)."""
    import formulas

    table = formulas.get_functions()
    for name, function in functions.items():
        table[name] = _adapt(function)
    for name in ("RANK", "RANK.EQ", "_XLFN.RANK.EQ"):
        table[name] = _rank


def _cell_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, list):  # a 1×1 array
        value = value[0][0] if value and value[0] else None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def array_ranges(ws) -> list[str]:
    """The ranges of a sheet's array formulas."""
    return [c.value.ref or c.coordinate for c in list(ws._cells.values()) if isinstance(c.value, ArrayFormula)]


def cell_grid(ref: str) -> list[list[str]]:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return [[f"{get_column_letter(c)}{r}" for c in range(min_col, max_col + 1)] for r in range(min_row, max_row + 1)]


def _model(skip: set[tuple[str, str]]):
    """A `formulas` model that leaves the ``skip`` cells out (they are evaluated by :mod:`.shown`), and
    reads a formula it cannot parse (a pasted DDE link, a function it does not know) as an empty cell
    instead of failing the whole book."""
    import formulas
    from formulas.errors import FormulaError

    class Model(formulas.ExcelModel):
        def compile_cell(self, cell, context, references, formula_references):
            if (context.get("sheet", "").upper(), cell.coordinate) not in skip:
                try:
                    return super().compile_cell(cell, context, references, formula_references)
                except FormulaError:
                    pass
            return self._compile_cell(cell.coordinate, None, context, False, references)

    return Model()



class EngineError(Exception):
    """A formula of the book the `formulas` package cannot evaluate (its own error, as text): importing
    this class does not import the package (seconds of start-up a fast recalculation never needs)."""


def evaluate_general(path: str | Path, wb, skip: set[tuple[str, str]],
                     functions: Mapping[str, Callable[..., object]]) -> dict[tuple[str, str], object]:
    """The `formulas` package over the book at ``path`` (``wb``: the same book, loaded), leaving out the
    ``skip`` cells (filled by :mod:`.shown`); its errors come back as :class:`EngineError`."""
    from formulas.errors import BaseError

    os.environ.setdefault("TQDM_DISABLE", "1")
    register(functions)
    outputs = {(ws.title.upper(), ref) for ws in wb.worksheets for ref in array_ranges(ws)}
    try:
        solution = _model(skip).loads(str(path)).finish().calculate()
    except BaseError as err:
        raise EngineError(str(err) or type(err).__name__) from err
    values: dict[tuple[str, str], object] = {}
    computed: dict[tuple[str, str], object] = {}
    for key, result in solution.items():
        match = _KEY.match(str(key))
        if match is None:
            continue
        sheet, ref = match["sheet"].upper(), match["ref"]
        if (sheet, ref) in outputs or (sheet, f"{ref}:{ref}") in outputs:
            array = _plain(result)
            for cells, row in zip(cell_grid(ref), array if isinstance(array, list) else [[array]], strict=False):
                for cell, value in zip(cells, row, strict=False):
                    computed[(sheet, cell)] = _cell_value(value)
        elif ":" not in ref and (sheet, ref) not in skip:
            values[(sheet, ref)] = _cell_value(result)
    values.update(computed)
    return values
