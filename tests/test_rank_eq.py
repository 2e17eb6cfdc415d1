"""RANK.EQ / RANK of both headless evaluators against LibreOffice on the same columns.

One column with ties, blanks (0 is in it, so a blank's rank is defined), texts and negative numbers; one
with errors (the first error answers every number) — each cell ranked against its own column, descending
(default) and ascending, as a plain formula per row and as one array formula.
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from tests.office import convert
from thidua_xl import once
from thidua_xl.workbook import shown
from thidua_xl.workbook.calc import evaluate_book, rank_eq
from thidua_xl.workbook.calc.values import Err
from thidua_xl.workbook.recalc import FUNCTIONS, _evaluate_general, evaluate

PLAIN = [5, 3, 5, None, "abc", 7.5, -1, 3, 0, None, 2.5, 5, "x y", 12, 0]
WITH_ERRORS = [5, 3, "=1/0", 4, "=NA()", 1, None, "x"]


def _book(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    n, m = len(PLAIN), len(WITH_ERRORS)
    for i, value in enumerate(PLAIN, start=1):
        ws.cell(i, 1, value)
        ws.cell(i, 2, f"=_xlfn.RANK.EQ(A{i},$A$1:$A${n})")
        ws.cell(i, 3, f"=RANK(A{i},$A$1:$A${n},1)")
    ws["D1"] = ArrayFormula(f"D1:D{n}", f"=_xlfn.RANK.EQ(A1:A{n},A1:A{n})")
    for i, value in enumerate(WITH_ERRORS, start=1):
        ws.cell(i, 5, value)
        ws.cell(i, 6, f"=_xlfn.RANK.EQ(E{i},$E$1:$E${m})")
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rank")
    ours = _book(folder / "rank.xlsx")
    convert([ours], "xlsx", folder / "lo", folder / "profile")
    lo = load_workbook(folder / "lo" / "rank.xlsx", data_only=True).active
    return ours, {c.coordinate: c.value for row in lo.iter_rows() for c in row}


def _formula_cells(path):
    ws = load_workbook(path).active
    cells = [c.coordinate for row in ws.iter_rows(min_col=2, max_col=6) for c in row
             if c.column != 5 and c.row <= (len(PLAIN) if c.column < 5 else len(WITH_ERRORS))]
    return [c for c in cells if c[0] in "BCDF"]


def _same(ours, theirs):
    if isinstance(theirs, int | float) and not isinstance(theirs, bool):
        return isinstance(ours, int | float) and float(ours) == float(theirs)
    return ours == theirs


def test_fast_evaluator_ranks_as_libreoffice(books):
    path, lo = books
    wb = load_workbook(path)
    with once.session():
        values = evaluate_book(wb, set(), FUNCTIONS)  # raises if the book needed the general evaluator
    assert values == evaluate(path)
    cells = _formula_cells(path)
    assert len(cells) == 3 * len(PLAIN) + len(WITH_ERRORS)
    wrong = {c: (values.get(("XẾP HẠNG", c)), lo[c]) for c in cells if not _same(values.get(("XẾP HẠNG", c)), lo[c])}
    assert not wrong
    assert lo["F1"] == "#DIV/0!" and lo["F5"] == "#N/A" and lo["F8"] == "#VALUE!"  # the cases are exercised
    assert lo["B1"] == lo["B3"] == lo["B12"] == 3 and lo["B5"] == "#VALUE!"


def test_formulas_package_ranks_as_libreoffice(books):
    """The general evaluator (a book the fast one does not take) uses the same RANK.EQ, through its table."""
    path, lo = books
    wb = load_workbook(path)
    with once.session():
        values = _evaluate_general(path, wb, shown.skippable(wb, shown.copies(wb)))
    wrong = {c: (values.get(("XẾP HẠNG", c)), lo[c]) for c in _formula_cells(path)
             if not _same(values.get(("XẾP HẠNG", c)), lo[c])}
    assert not wrong
    assert FUNCTIONS  # the THIDUA_* table is registered alongside


def test_number_missing_from_the_range_is_na_as_in_excel():
    """Excel: #N/A when the number is not in the range (LibreOffice ranks one between min and max instead)."""
    assert rank_eq(4, [[5], [3], [5]]) == Err("#N/A")
    assert rank_eq(5, [[5], [3], [True], ["7"]]) == 1.0  # booleans and texts in the range do not count
    assert rank_eq(3, [[5], [3], [5]], 1) == 1.0 and rank_eq(5, [[5], [3], [5]], 1) == 2.0
