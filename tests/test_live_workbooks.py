"""Live workbooks seen through LibreOffice: numbers on open, and template → LibreOffice save → recalc.

LibreOffice has no THIDUA_* functions: what it shows on open is what the book
stores. A book saved by it comes back with #NAME? stored in every THIDUA_*
array; `thidua-xl recalc` must give the engine's values again, keep every
formula, and leave no error anywhere.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.office import CSV_ALL_SHEETS, convert, sheet_csv
from thidua_xl import example_data, rubrics
from thidua_xl.awards import award_plan
from thidua_xl.columns import TOTAL
from thidua_xl.validation import UNIT
from thidua_xl.workbook.cached import ERRORS
from thidua_xl.workbook.layout import GUIDE, score_sheet
from thidua_xl.workbook.reading import is_formula
from thidua_xl.workbook.recalc import recalc
from thidua_xl.workbook.template import template_path, write_template

ROOT = Path(__file__).resolve().parents[1]
PLANS = rubrics.available()


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """Each plan's template, the same book saved by LibreOffice, and that one recalculated headless."""
    folder = tmp_path_factory.mktemp("live")
    books = {plan: write_template(plan, folder / f"{plan}.xlsx") for plan in PLANS}
    convert(list(books.values()), "xlsx", folder / "lo", folder / "profile")
    return {plan: (book, folder / "lo" / book.name, recalc(folder / "lo" / book.name, folder / f"{plan}-re.xlsx"))
            for plan, book in books.items()}


@pytest.fixture(scope="module")
def committed_csv(tmp_path_factory):
    """The committed templates as LibreOffice shows them on open, one CSV per sheet."""
    folder = tmp_path_factory.mktemp("shown")
    convert([template_path(plan, ROOT / "workbooks") for plan in PLANS], CSV_ALL_SHEETS, folder / "csv",
            folder / "profile")
    return folder / "csv"


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _visible_table(rows: list[list[object]]) -> dict[str, list[object]]:
    """A scoring sheet's shown table (header on row 2, up to the first blank header), units only."""
    headers = [h for h in rows[1]]
    width = headers.index(None) if None in headers else (headers.index("") if "" in headers else len(headers))
    body = [r for r in rows[2:] if r and r[0] not in (None, "")]
    return {str(h): [r[i] if i < len(r) else None for r in body] for i, h in enumerate(headers[:width])}


def _assert_engine_numbers(plan: str, table_of) -> None:
    rubric = rubrics.get(plan)
    engine = award_plan(rubric, example_data.load(plan))
    for bloc in rubric.blocs:
        table = table_of(score_sheet(bloc))
        expected = engine.blocs[bloc.id]
        assert table["Đơn vị"] == expected[UNIT].tolist(), f"{plan}/{bloc.id}: units"
        for label in ("Tổng điểm", "Tổng (chi tiết)"):
            assert [_number(v) for v in table[label]] == pytest.approx(expected[TOTAL].tolist()), f"{bloc.id} {label}"
        assert [_number(v) for v in table["Hạng (RANK.EQ)"]] == expected["hang"].astype(float).tolist()
        # With tie-breaks a unit ranks within its RANK.EQ group: rank.eq <= rank < rank.eq + units on its score.
        for eq, tb, total in zip(expected["hang"], table["Hạng (tiêu chí phụ)"], expected[TOTAL], strict=True):
            assert eq <= _number(tb) < eq + int((expected[TOTAL] == total).sum()), f"{bloc.id}: tie-break rank"
        shown = [v for col in table.values() for v in col]
        assert not [v for v in shown if isinstance(v, str) and v in ERRORS], f"{plan}/{bloc.id}: error shown"
        assert all(str(v).startswith("Tổng") for v in table["Kết luận"]), f"{plan}/{bloc.id}: verdicts"


def _values(path: Path) -> dict[tuple[str, str], object]:
    wb = load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value not in (None, "")}


def _formulas(path: Path) -> dict[str, int]:
    wb = load_workbook(path)
    return {ws.title: sum(1 for row in ws.iter_rows() for c in row if is_formula(c.value)) for ws in wb.worksheets}


@pytest.mark.parametrize("plan", PLANS)
def test_libreoffice_save_then_recalc_gives_the_engine_values_live(plan, round_trip):
    template, saved, again = round_trip[plan]
    stale = [v for v in _values(saved).values() if v == "#NAME?"]
    assert stale, "LibreOffice stores #NAME? for THIDUA_* arrays: the case recalc must repair"
    rows = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
            for ws in load_workbook(again, data_only=True).worksheets}
    _assert_engine_numbers(plan, lambda sheet: _visible_table(rows[sheet]))
    errors = [(k, v) for k, v in _values(again).items() if isinstance(v, str) and v in ERRORS]
    assert not errors, f"errors left after recalc: {errors[:5]}"
    # Every formula is still there, and every stored value is the one the template was written with.
    assert _formulas(again) == _formulas(template)
    before, after = _values(template), _values(again)
    assert after.keys() == before.keys()
    for key, value in before.items():
        if isinstance(value, float):
            assert math.isclose(after[key], value, rel_tol=1e-9, abs_tol=1e-9), key
        else:
            assert after[key] == value, key


@pytest.mark.parametrize("plan", PLANS)
def test_xml_reader_reads_a_libreoffice_book_as_openpyxl_does(plan, round_trip):
    """The live recalc reads a saved book straight from its XML (shared strings, shared formulas, LibreOffice's
    own layout): every cell's value or formula as openpyxl reads it."""
    from openpyxl.worksheet.formula import ArrayFormula

    from thidua_xl.workbook.xmlbook import XmlBook

    _, saved, _ = round_trip[plan]

    def plain(value):
        return (value.ref, value.text) if isinstance(value, ArrayFormula) else value

    ours = XmlBook(saved)
    theirs = load_workbook(saved)
    for mine, other in zip(ours.worksheets, theirs.worksheets, strict=True):
        assert mine.title == other.title
        got = {k: plain(c.value) for k, c in mine._cells.items() if c.value is not None}
        want = {k: plain(c.value) for k, c in other._cells.items() if c.value is not None}
        assert got == want, mine.title


@pytest.mark.parametrize("plan", PLANS)
def test_committed_template_shows_the_engine_numbers_in_libreoffice(plan, committed_csv):
    _assert_engine_numbers(plan, lambda sheet: _visible_table(sheet_csv(committed_csv, plan, sheet)))
    guide = sheet_csv(committed_csv, plan, GUIDE)
    assert not [c for row in guide for c in row if c in ERRORS]
    counts = [int(row[1]) for row in guide if row and row[0] == "Số đơn vị đã chấm điểm"]
    engine = award_plan(rubrics.get(plan), example_data.load(plan))
    assert counts == [len(engine.blocs[b.id]) for b in rubrics.get(plan).blocs]


def test_values_only_recalc_from_the_command_line(round_trip, tmp_path):
    """`thidua-xl recalc --values-only`: an archive copy, every formula replaced by the engine's value."""
    from typer.testing import CliRunner

    from thidua_xl.cli import app

    plan = "hau-giang-2023"
    _, saved, _ = round_trip[plan]
    out = tmp_path / "luu-tru.xlsx"
    done = CliRunner().invoke(app, ["recalc", str(saved), "-o", str(out), "--values-only"])
    assert done.exit_code == 0, done.output
    assert not any(_formulas(out).values())
    rows = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in load_workbook(out).worksheets}
    _assert_engine_numbers(plan, lambda sheet: _visible_table(rows[sheet]))
    assert not [v for v in _values(out).values() if isinstance(v, str) and v in ERRORS]


def test_a_users_formula_over_the_shown_cells_is_evaluated(tmp_path):
    """The shown copies are filled in without the evaluator only while no other formula reads them."""
    plan = "chau-thanh-a-2021"
    book = write_template(plan, tmp_path / "so.xlsx")
    wb = load_workbook(book)
    sheet = score_sheet(rubrics.get(plan).bloc("xa"))
    flag = next(c.column_letter for c in wb[sheet][2] if c.value == "(tính) Dòng có số liệu")
    total = next(c.column_letter for c in wb[sheet][2] if c.value == "Tổng điểm")
    last = wb[sheet].max_row
    # A user's own check: the shown totals, and the row flags the shown cells read.
    wb[GUIDE]["H1"] = f"=SUM('{sheet}'!{total}3:{total}{last})+COUNTIF('{sheet}'!{flag}3:{flag}{last},TRUE)"
    wb.save(book)
    again = load_workbook(recalc(book, tmp_path / "re.xlsx"), data_only=True)
    engine = award_plan(rubrics.get(plan), example_data.load(plan)).blocs["xa"]
    assert again[GUIDE]["H1"].value == pytest.approx(engine[TOTAL].sum() + len(engine))
