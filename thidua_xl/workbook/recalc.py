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

import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from .. import once
from .. import sheet_functions as sf
from ..cells import put
from ..tables import atomic_write
from . import shown
from .cached import write_cached
from .calc import Unsupported, evaluate_book
from .general import array_ranges, cell_grid, evaluate_general
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
    "THIDUA_UNITS": sf.units_values,     # figures kept by month (issue 13)
    "THIDUA_PERIODS": sf.periods_values,
    "THIDUA_TREND": sf.period_values,
}


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
            values = evaluate_general(saved(), wb, skip, FUNCTIONS)
    shown.fill(wb, values, found, skip)
    return values


def _evaluate_general(path: str | Path, wb, skip: set[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """The general evaluator with the THIDUA_* functions (tests compare it with the fast one)."""
    return evaluate_general(path, wb, skip, FUNCTIONS)


def formula_cells(wb) -> dict[str, list[str]]:
    """Per sheet (UPPER CASE), every cell holding a formula or inside an array formula's range."""
    out: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        cells = [c.coordinate for c in list(ws._cells.values())
                 if is_formula(c.value) and not isinstance(c.value, ArrayFormula)]
        cells += [cell for ref in array_ranges(ws) for row in cell_grid(ref) for cell in row]
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
    from ..xlsxfile import check_readable, refuse_external_links

    book = Path(book)
    output = Path(output) if output is not None else book.with_name(f"{book.stem}-tinh-lai{book.suffix}")
    if not values_only:
        try:
            read = XmlBook(book)
        except (NotPlain, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, ET.ParseError):
            read = None  # openpyxl reads it, or says what is wrong with it
        if read is not None:
            # every door (CLI, macros, library) refuses a stray far cell and a book reading other books
            check_readable(book, cells=[(ws.title, ws._cells.keys()) for ws in read.worksheets])
            refuse_external_links(book, read)
            return atomic_write(output, lambda tmp: _recalc_file(read, book, tmp), protect=(book,))
    check_readable(book)
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
