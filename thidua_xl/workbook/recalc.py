"""Headless recalculation: evaluate every formula of a workbook without Excel.

Two evaluators, the same THIDUA_* code the Excel UDFs run (:mod:`thidua_xl.sheet_functions`):
:mod:`.calc` first — fast, for the formulas the templates write and the common ones around them —
and, for a book using anything it does not know, the `formulas` package (SUM, IF, INDEX/MATCH,
COUNTIF, AVERAGEIF … and array formulas), given an O(n log n) RANK.EQ/RANK. In both, a bloc is
scored once per recalculation however many THIDUA_* formulas read it (:mod:`thidua_xl.once`).
The result is written into a copy of the original workbook (styles, tables and validations kept),
atomically and never over the original: a live book (every formula kept, with the fresh value stored
next to it) or, for archiving, a values-only copy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from .. import once
from .. import sheet_functions as sf
from ..cells import put
from ..tables import atomic_write
from . import shown
from .cached import write_cached
from .calc import Unsupported, evaluate_book, rank_eq
from .printing import fit_wrapped_rows
from .reading import is_formula
from .xmlbook import NotPlain, XmlBook

FUNCTIONS: dict[str, Callable[..., object]] = {
    "THIDUA_SCORE": sf.score_values,
    "THIDUA_DETAIL": sf.detail_values,
    "THIDUA_EXPLAIN": sf.explain_values,
    "THIDUA_AWARD": sf.award_values,
    "THIDUA_CLASS": sf.class_values,
    "THIDUA_GAP": sf.gap_values,
    "THIDUA_RANK": sf.rank_values,
    "THIDUA_MEAN": sf.subunit_mean_values,
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


def register() -> None:
    """Make the THIDUA_* functions known to the `formulas` engine, and its RANK.EQ/RANK O(n log n)."""
    import formulas

    table = formulas.get_functions()
    for name, function in FUNCTIONS.items():
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


def _cells(ref: str) -> list[list[str]]:
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


def evaluate(path: str | Path, wb=None) -> dict[tuple[str, str], object]:
    """Every formula cell's value, keyed by (SHEET NAME IN UPPER CASE, cell address); ``wb``: the book at
    ``path`` already loaded (saves reading it again).

    An array formula's computed values win over whatever an earlier save left in its range (a stale value,
    or the #NAME? of an application without the add-in, which is read back as a constant)."""
    return _evaluate(load_workbook(path) if wb is None else wb, lambda: Path(path))


def _evaluate(wb, saved: Callable[[], Path]) -> dict[tuple[str, str], object]:
    """The fast evaluator, or the general one over the file ``saved()`` returns (written only if needed)."""
    found = shown.copies(wb)
    skip = shown.skippable(wb, found)
    with once.session():
        try:
            values = evaluate_book(wb, skip, FUNCTIONS)
        except Unsupported:
            values = _evaluate_general(saved(), wb, skip)
    shown.fill(wb, values, found, skip)
    return values


def _evaluate_general(path: str | Path, wb, skip: set[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """The `formulas` package over the whole book (any formula it knows)."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    register()
    outputs = {(ws.title.upper(), ref) for ws in wb.worksheets for ref in array_ranges(ws)}
    solution = _model(skip).loads(str(path)).finish().calculate()
    values: dict[tuple[str, str], object] = {}
    computed: dict[tuple[str, str], object] = {}
    for key, result in solution.items():
        match = _KEY.match(str(key))
        if match is None:
            continue
        sheet, ref = match["sheet"].upper(), match["ref"]
        if (sheet, ref) in outputs or (sheet, f"{ref}:{ref}") in outputs:
            array = _plain(result)
            for cells, row in zip(_cells(ref), array if isinstance(array, list) else [[array]], strict=False):
                for cell, value in zip(cells, row, strict=False):
                    computed[(sheet, cell)] = _cell_value(value)
        elif ":" not in ref and (sheet, ref) not in skip:
            values[(sheet, ref)] = _cell_value(result)
    values.update(computed)
    return values


def formula_cells(wb) -> dict[str, list[str]]:
    """Per sheet (UPPER CASE), every cell holding a formula or inside an array formula's range."""
    out: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        cells = [c.coordinate for c in list(ws._cells.values())
                 if is_formula(c.value) and not isinstance(c.value, ArrayFormula)]
        cells += [cell for ref in array_ranges(ws) for row in _cells(ref) for cell in row]
        out[ws.title.upper()] = cells
    return out


def clear_array_members(wb) -> None:
    """Empty the non-anchor cells of every array range: what an earlier save left there is not input."""
    for ws in wb.worksheets:
        for ref in array_ranges(ws):
            min_col, min_row, max_col, max_row = range_boundaries(ref)
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    cell = ws._cells.get((r, c))  # a cell that does not exist is empty already
                    if cell is not None and not isinstance(cell.value, ArrayFormula):
                        cell.value = None


def save_live(wb, path: Path) -> None:
    """Save ``wb`` to ``path`` keeping its formulas, each with a freshly computed cached value."""
    clear_array_members(wb)
    # Shown on open as stored: no forced full recalculation, which would turn every THIDUA_* cell into #NAME?
    # in an Excel without the add-in (with it, Excel recalculates what a change makes dirty).
    wb.calculation.fullCalcOnLoad = False
    wb.calculation.calcId = 191029

    def saved() -> Path:  # only the general evaluator reads the book from a file
        wb.save(path)
        return path

    values = _evaluate(wb, saved)
    fit_wrapped_rows(wb, values)
    wb.save(path)
    write_cached(path, {(sheet, cell): values.get((sheet, cell))
                        for sheet, cells in formula_cells(wb).items() for cell in cells})


def _recalc_file(read: XmlBook, book: Path, path: Path) -> None:
    """:func:`save_live` for a book read from its file: the same file written again with fresh cached values
    and row heights, without openpyxl loading and saving every cell (see :mod:`.xmlbook`)."""
    values = _evaluate(read, lambda: book)
    fit_wrapped_rows(read, values)
    write_cached(path, {(sheet, cell): values.get((sheet, cell))
                        for sheet, cells in formula_cells(read).items() for cell in cells},
                 source=book, heights=read.changed_heights())


def recalc(book: str | Path, output: str | Path | None = None, *, values_only: bool = False) -> Path:
    """Write ``output`` (default: BOOK-tinh-lai.xlsx): every formula kept with a fresh cached value (a live
    book), or, ``values_only``, every formula replaced by its value (an archive copy)."""
    from ..xlsxfile import refuse_external_links

    book = Path(book)
    output = Path(output) if output is not None else book.with_name(f"{book.stem}-tinh-lai{book.suffix}")
    if not values_only:
        try:
            read = XmlBook(book)
        except NotPlain:
            read = None
        if read is not None:
            refuse_external_links(book, read)  # every door (CLI, macros, library) refuses a book reading others
            return atomic_write(output, lambda tmp: _recalc_file(read, book, tmp), protect=(book,))
    wb = load_workbook(book)
    refuse_external_links(book, wb)
    if not values_only:
        return atomic_write(output, lambda tmp: save_live(wb, tmp), protect=(book,))
    values = evaluate(book, wb)
    for ws in wb.worksheets:
        key = ws.title.upper()
        for cell in list(ws._cells.values()):
            if isinstance(cell.value, ArrayFormula):
                _fill_array(ws, cell.value, key, values)
            elif is_formula(cell.value):
                put(cell, values.get((key, cell.coordinate)))
    return atomic_write(output, lambda tmp: wb.save(tmp), protect=(book,))


def _fill_array(ws, formula: ArrayFormula, key: str, values: Mapping[tuple[str, str], object]) -> None:
    for row in ws[formula.ref]:
        for cell in row:
            put(cell, values.get((key, cell.coordinate)))
