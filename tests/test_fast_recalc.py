"""The fast evaluator (workbook/calc) against the general one (the `formulas` package), and what it relies on.

Every committed template is evaluated by both: the same value in every formula cell. A book with a
formula the fast evaluator does not know still recalculates (through `formulas`). Within one recalc a
bloc is scored once; the text pass writing cached values gives the same file content as the tree one.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from thidua_xl import once, rubrics, scoring
from thidua_xl.workbook import cached, shown
from thidua_xl.workbook.calc import Unsupported, evaluate_book
from thidua_xl.workbook.calc.parse import parse
from thidua_xl.workbook.recalc import FUNCTIONS, _evaluate_general, evaluate, formula_cells, recalc
from thidua_xl.workbook.template import template_path

ROOT = Path(__file__).resolve().parents[1]


def _same(a: object, b: object) -> bool:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) if numbers else (a == b and type(a) is type(b))


@pytest.mark.parametrize("plan", [*rubrics.available(), "chau-thanh-a-2021-theo-thang", "ninh-phuoc-2023-theo-thang"])
def test_fast_evaluator_equals_the_formulas_package_on_every_template(plan):
    path = ROOT / "workbooks" / f"{plan}.xlsx" if plan.endswith("-theo-thang") else template_path(plan, ROOT / "workbooks")
    wb = load_workbook(path)
    skip = shown.skippable(wb, shown.copies(wb))
    with once.session():
        fast = evaluate_book(wb, skip, FUNCTIONS)
    with once.session():
        general = _evaluate_general(path, wb, skip)
    cells = {(sheet, c) for sheet, found in formula_cells(wb).items() for c in found} - skip
    assert len(cells) > 100
    differ = {k: (fast.get(k), general.get(k)) for k in cells if not _same(fast.get(k), general.get(k))}
    assert not differ


@pytest.mark.parametrize("plan", rubrics.available())
def test_books_kept_by_month_stay_on_the_fast_evaluator(plan):
    """Every function the monthly books write (LEN, COUNTIF, THIDUA_UNITS/TREND/PERIODS …) is known to the fast
    evaluator: a fall-back would cost 10× the time (and the general one cannot fit THIDUA_UNITS' second
    column into a one-column range)."""
    wb = load_workbook(ROOT / "workbooks" / f"{plan}-theo-thang.xlsx")
    with once.session():
        values = evaluate_book(wb, shown.skippable(wb, shown.copies(wb)), FUNCTIONS)
    assert not [v for v in values.values() if str(v) == "#VALUE!"]


def test_a_formula_it_does_not_know_goes_to_the_formulas_package(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 2, 3, 4
    ws["B1"] = "=SUMPRODUCT(A1:A3,A1:A3)"  # not in the fast evaluator's table
    ws["B2"] = "=B1+RANK(A2,A1:A3)"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    with pytest.raises(Unsupported):
        evaluate_book(load_workbook(path), set(), FUNCTIONS)
    values = evaluate(path)
    assert values[("SHEET", "B1")] == 29 and values[("SHEET", "B2")] == 31
    out = load_workbook(recalc(path, tmp_path / "out.xlsx"), data_only=True).active
    assert out["B2"].value == 31 and load_workbook(tmp_path / "out.xlsx").active["B1"].value.startswith("=SUMPRODUCT")


@pytest.mark.parametrize(("formula", "expected"), [
    ("=-2^2", 4.0), ("=2^3^2", 64.0), ("=1+2*3-4/2", 5.0), ("=(1+2)*3", 9.0), ("=50%*4", 2.0),
    ('="a"&1&TRUE', "a1TRUE"), ('=IF("x"="X",1,0)', 1), ("=1/0", "#DIV/0!"), ('=IFERROR(1/0,"")', ""),
    ('=IF(A1="","trống",A1)', "trống"), ("=A1=0", True), ('=COUNTBLANK(A1:B2)', 4), ("=ROUND(2.675,2)", 2.68),
    ('=INDEX(C1:C3,MATCH("y",D1:D3,0))', 20), ("=MAX(C1:C3)+MIN(C1:C3)+SUM(C1:C3)+COUNT(C1:D3)", 103.0),
    ('=AND(C1>5,OR(C2<0,C3=30))', True), ("=ISNUMBER(D1)", False), ("=INT(-1.5)", -2.0),
    ("=LEN(D1)+LEN(C1)+LEN(A1)", 3.0), ("=COUNTIF(C1:C3,20)", 1.0), ('=COUNTIF(C1:C3,">=20")', 2.0),
    ('=COUNTIF(C1:D3,"<>20")', 5.0), ('=COUNTIF(D1:D3,"Y")', 1.0), ("=COUNTIF(C1:C2,C2)", 1.0),
    ('=COUNTIF(C1:D4,"<>20")', 7.0),  # blanks count for "<>" (LibreOffice: 4 of 10, err, blank, "20", 20, TRUE)
])
def test_the_fast_evaluator_follows_excel(tmp_path, formula, expected):
    wb = Workbook()
    ws = wb.active
    for r, (c, d) in enumerate([(10, "x"), (20, "y"), (30, "z")], start=1):
        ws.cell(r, 3, c)
        ws.cell(r, 4, d)
    ws["E1"] = formula
    values = evaluate_book(wb, set(), FUNCTIONS)
    assert _same(values[("SHEET", "E1")], expected)


def test_relative_references_share_one_parse_per_column():
    """=C2/D2 on row 3 and =C3/D3 on row 4: one tree, the row offset kept relative."""
    assert parse("=IF(C2=\"\",\"\",C2/D2)", 3, 11) is parse("=IF(C3=\"\",\"\",C3/D3)", 4, 11)
    assert parse("=$C$2", 3, 1) is not parse("=$C$3", 4, 1)


def test_a_bloc_is_scored_once_per_recalc(tmp_path, monkeypatch):
    """Six THIDUA_* columns over the same figures: one scoring of each bloc, not one per formula."""
    calls: list[str] = []
    real = scoring.score

    def counting(rubric, bloc, *args, **kwargs):
        calls.append(bloc if isinstance(bloc, str) else bloc.id)
        return real(rubric, bloc, *args, **kwargs)

    import thidua_xl.sheet_functions as sf

    monkeypatch.setattr(sf, "score", counting)
    plan = "chau-thanh-a-2021"
    recalc(template_path(plan, ROOT / "workbooks"), tmp_path / "out.xlsx")
    assert sorted(calls) == sorted(b.id for b in rubrics.get(plan).blocs)
    calls.clear()
    headers = [["Đơn vị", "co_ke_hoach", "so_thu_tuc_dang_ky", "so_tai_khoan", "so_ho_so_truc_tuyen",
                "ty_le_giai_quyet", "bao_cao_tre_1_3_ngay", "bao_cao_tre_qua_3_ngay", "bao_cao_khong_trung_thuc"]]
    for _ in range(2):
        assert isinstance(sf.score_values(plan, "xa", [["Xã A", "có", 1, 1500, 200, 0.99, 0, 0, 0]], headers)[0][0],
                          float)
    assert len(calls) == 2  # outside a recalc (Excel after an edit) nothing is remembered


def test_cached_values_text_pass_equals_the_tree_pass(tmp_path, monkeypatch):
    book = template_path("hau-giang-2023", ROOT / "workbooks")
    wb = load_workbook(book)
    values = evaluate(book, wb)
    wanted = {(s, c): values.get((s, c)) for s, cells in formula_cells(wb).items() for c in cells}
    text, tree = tmp_path / "text.xlsx", tmp_path / "tree.xlsx"
    wb.save(text)
    shutil.copy(text, tree)
    cached.write_cached(text, wanted)
    monkeypatch.setattr(cached, "_fill_text", lambda xml, values, heights=None: None)
    cached.write_cached(tree, wanted)
    a, b = load_workbook(text, data_only=True), load_workbook(tree, data_only=True)
    for left, right in zip(a.worksheets, b.worksheets, strict=True):
        assert {k: (c.value, c.data_type) for k, c in left._cells.items()} == \
               {k: (c.value, c.data_type) for k, c in right._cells.items()}


def test_countif_counts_as_libreoffice_does():
    """A column of 10, #DIV/0!, blank, the text "20", 20 and TRUE: LibreOffice 7.4 counts 4, 1, 2, 2 (checked
    by converting the same book to CSV with soffice)."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A4"], ws["A5"], ws["A6"] = 10, "=1/0", "20", 20, True
    ws["B1"], ws["B2"] = '=COUNTIF(A1:A6,"<>20")', "=COUNTIF(A1:A6,20)"
    ws["B3"], ws["B4"] = '=COUNTIF(A1:A6,"20")', '=COUNTIF(A1:A6,">5")'
    values = evaluate_book(wb, set(), FUNCTIONS)
    assert [values[("SHEET", f"B{r}")] for r in range(1, 5)] == [4, 1, 2, 2]
