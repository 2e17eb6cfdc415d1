"""Books kept by month (issue 13): the period selector, "Theo dõi theo tháng" and its chart, the award sheet's
monthly winners — against the engine (:mod:`thidua_xl.periods`) and as LibreOffice shows them.

One Châu Thành A book (13 communes, 15 offices, 12 months) is built once; LibreOffice runs twice for the
whole module (every sheet to CSV for several books at once, and the book to PDF for the chart).
"""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import LineChart
from openpyxl.worksheet.formula import ArrayFormula

from tests.office import CSV_ALL_SHEETS, convert, sheet_csv
from thidua_xl import example_data, rubrics
from thidua_xl import sheet_functions as sf
from thidua_xl.columns import AWARD, RANK, TOTAL
from thidua_xl.periods import run_year, score_period, score_periods
from thidua_xl.periods.awards import NOBODY
from thidua_xl.periods.scoring import MOVE
from thidua_xl.validation import UNIT
from thidua_xl.workbook.award_sheet import build_award_book
from thidua_xl.workbook.cached import ERRORS
from thidua_xl.workbook.layout import AWARDS, input_sheet, score_sheet
from thidua_xl.workbook.monthly import TOP, TRACKING
from thidua_xl.workbook.reading import is_formula
from thidua_xl.workbook.recalc import recalc
from thidua_xl.workbook.template import write_template

PLAN = "chau-thanh-a-2021"
RUBRIC = rubrics.get(PLAN)
MONTHS = example_data.load(PLAN, months=True)
XA = score_sheet(RUBRIC.bloc("xa"))
ACCOUNTS = RUBRIC.bloc("xa").figure("so_tai_khoan").label


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The book kept by month; the same with the selector on March, recalculated; its award book; a copy whose
    engine cells are plain values and whose native formulas have no stored result (LibreOffice computes them)."""
    folder = tmp_path_factory.mktemp("theo-thang")
    book = write_template(PLAN, folder / "so.xlsx", by_month=True)
    wb = load_workbook(book)
    wb[XA]["B1"] = "Tháng 3/2021"
    wb.save(folder / "thang3.xlsx")
    march = recalc(folder / "thang3.xlsx", folder / "thang3-tinh-lai.xlsx")
    awards, _ = build_award_book(book, folder / "khen.xlsx", separate=True)
    native = _native_only(book, folder / "goc.xlsx")
    convert([book, native], CSV_ALL_SHEETS, folder / "csv", folder / "profile")
    convert([book], "pdf", folder / "pdf", folder / "profile")
    return {"book": book, "march": march, "awards": awards, "csv": folder / "csv", "pdf": folder / "pdf" / "so.pdf"}


def _native_only(book: Path, out: Path) -> Path:
    """The book with every THIDUA_* cell (and every array member) as its stored value and the native formulas
    without a stored result, so LibreOffice computes those on open."""
    formulas, values = load_workbook(book), load_workbook(book, data_only=True)
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                if isinstance(text, str) and "THIDUA_" in text:
                    cell.value = values[ws.title][cell.coordinate].value
                elif isinstance(cell.value, ArrayFormula):
                    ref = cell.value.ref
                    for line in ws[ref]:
                        for member in line:
                            if member.coordinate != cell.coordinate:
                                member.value = None
    formulas.save(out)
    return out


def _table(ws, first: int, width: int) -> dict[str, list[object]]:
    """A tracking table: unit → the values of its ``width`` period columns (rows from ``first`` down to a blank)."""
    out = {}
    for row in ws.iter_rows(min_row=first, max_col=1 + width, values_only=True):
        if row[0] in (None, ""):
            break
        out[row[0]] = list(row[1:])
    return out


def _tables(ws, label: str) -> list[int]:
    """First data rows of the tables whose header (column A) is ``label``."""
    return [c.row + 1 for c in ws["A"] if c.value == label]


def _scores(path: Path, sheet: str) -> dict[str, float]:
    ws = load_workbook(path, data_only=True)[sheet]
    headers = [c.value for c in ws[2]]
    total = headers.index("Tổng điểm")
    return {r[0]: r[total] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}


def _engine(period: str, bloc: str = "xa"):
    table = score_period(RUBRIC, bloc, MONTHS[bloc], period)
    return dict(zip(table[UNIT], table[TOTAL], strict=True))


def test_period_selector_changes_the_scores(books):
    year, march = _scores(books["book"], XA), _scores(books["march"], XA)
    assert year == pytest.approx(_engine("2021"))
    assert march == pytest.approx(_engine("2021-03"))
    assert year != pytest.approx(march)
    ws = load_workbook(books["book"])[XA]
    choices = next(dv for dv in ws.data_validations.dataValidation if "B1" in str(dv.sqref))
    listed = [c.value for row in load_workbook(books["book"], data_only=True)[XA][choices.formula1.replace("$", "")]
              for c in row if c.value]
    assert listed[:2] == ["Cả năm", "Tháng 1/2021"] and "Quý I/2021" in listed and "Lũy kế đến tháng 3/2021" in listed
    assert ws[f"{_engine_column(ws, 'Tổng điểm')}3"].value.text.endswith(",$B$1)")  # the selector, last argument


def _engine_column(ws, label: str) -> str:
    return next(c.column_letter for c in ws[2] if c.value == f"(tính) {label}")


def test_march_movement_on_the_scoring_sheet(books):
    ws = load_workbook(books["march"], data_only=True)[XA]
    headers = [c.value for c in ws[2]]
    moves = {r[0]: r[headers.index("Thay đổi hạng")] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    long = score_periods(RUBRIC, "xa", MONTHS["xa"], ["2021-02", "2021-03"])
    expected = {u: m for u, m, k in zip(long[UNIT], long[MOVE], long["ky"], strict=True) if k == "2021-03"}
    assert moves == expected
    assert set(moves.values()) - {"="} and all(re.fullmatch(r"[↑↓]\d+|=|mới", m) for m in moves.values())


def test_tracking_sheet_equals_score_periods(books):
    ws = load_workbook(books["book"], data_only=True)[TRACKING]
    periods = [f"2021-{m:02d}" for m in range(1, 13)]
    for bloc, first in zip(RUBRIC.blocs, _tables(ws, "Điểm"), strict=True):
        long = score_periods(RUBRIC, bloc.id, MONTHS[bloc.id], [*periods, "2021"])
        shown = _table(ws, first, 13)
        ranks = _table(ws, _tables(ws, "Hạng")[RUBRIC.blocs.index(bloc)], 13)
        assert len(shown) == long[UNIT].nunique()
        for unit, rows in long.groupby(UNIT, sort=False):
            by_period = dict(zip(rows["ky"], rows.to_dict("records"), strict=True))
            assert shown[unit] == pytest.approx([by_period[p][TOTAL] for p in [*periods, "2021"]]), unit
            assert ranks[unit] == [by_period[p][RANK] for p in [*periods, "2021"]], unit
        moves = _table(ws, _tables(ws, "Thay đổi hạng so với tháng trước")[RUBRIC.blocs.index(bloc)], 12)
        long = score_periods(RUBRIC, bloc.id, MONTHS[bloc.id], periods)
        for unit, rows in long.groupby(UNIT, sort=False):
            assert [m or None for m in moves[unit]] == [m or None for m in rows[MOVE]], unit


def test_chart_of_the_leaders_is_in_the_book(books):
    ws = load_workbook(books["book"])[TRACKING]
    charts = [c for c in ws._charts if isinstance(c, LineChart)]
    assert len(charts) == len(RUBRIC.blocs)
    values = load_workbook(books["book"], data_only=True)[TRACKING]
    year_scores = _engine("2021", "phong_ban")
    leaders = sorted(year_scores, key=lambda u: -year_scores[u])[:TOP]
    top = _tables(values, f"{TOP} đơn vị dẫn đầu cả năm")[0]
    assert [values[f"A{top + k}"].value for k in range(TOP)] == leaders
    chart = charts[0]
    assert len(chart.series) == TOP
    assert chart.series[0].tx.strRef.f.replace("$", "").endswith(f"!A{top}")


def test_libreoffice_shows_numbers_and_draws_the_chart_on_one_page(books):
    for sheet in (XA, TRACKING, input_sheet(RUBRIC.bloc("xa"))):
        rows = sheet_csv(books["csv"], "so", sheet)
        shown = [c for row in rows for c in row[:14]]
        assert not [c for c in shown if c in ERRORS or c.startswith("Err:")], sheet
    rows = sheet_csv(books["csv"], "so", XA)
    shown = {r[0]: float(r[1]) for r in rows[2:] if r and r[0]}
    assert shown == pytest.approx(_engine("2021"))
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", books["pdf"]], capture_output=True,
                                                            text=True).stdout)[1])
    texts = [" ".join(subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), books["pdf"], "-"],
                                     capture_output=True, text=True).stdout.split()) for p in range(1, pages + 1)]
    title = "Điểm theo tháng — 5 đơn vị dẫn đầu (Phòng, ban, ngành huyện)"
    on = [i for i, t in enumerate(texts) if title in t]
    assert len(on) == 1, "the chart is drawn once, its title on one page"
    page = texts[on[0]]
    assert "Tháng 12/2021" in page and "Công an huyện" in page  # axis and legend on the title's page: not cut
    png = books["pdf"].with_name("chart")
    subprocess.run(["pdftoppm", "-f", str(on[0] + 1), "-l", str(on[0] + 1), "-r", "40", "-png", books["pdf"], png],
                   check=True)
    image = next(books["pdf"].parent.glob("chart*.png"))
    assert _coloured_pixels(image) > 500, "the line chart's coloured lines are drawn"


def _coloured_pixels(path: Path) -> int:
    """How many clearly coloured (not grey) pixels an image has: drawn chart lines."""
    import struct
    import zlib

    data = path.read_bytes()
    width, height, depth, kind = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and kind in (2, 6), "pdftoppm writes 8-bit RGB"
    chunks, pos = b"", 8
    while pos < len(data):
        length, name = struct.unpack(">I4s", data[pos:pos + 8])
        if name == b"IDAT":
            chunks += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, size = zlib.decompress(chunks), 3 if kind == 2 else 4
    stride, previous, count = width * size, bytearray(width * size), 0
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        current = bytearray(line[1:])
        for x in range(stride):
            left = current[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            current[x] = (current[x] + [0, left, up, (left + up) // 2, _paeth(left, up, corner)][line[0]]) & 255
        for x in range(0, stride, size):
            r, g, b = current[x:x + 3]
            count += max(r, g, b) - min(r, g, b) > 60
        previous = current
    return count


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def test_recalc_equals_libreoffice_on_the_native_formulas(books):
    """Ranks, row flags, shown copies and the top five: LibreOffice computes them itself (no stored value)."""
    ours = load_workbook(books["book"], data_only=True)
    formulas = load_workbook(books["book"])
    checked = 0
    for sheet in (XA, TRACKING):
        rows = sheet_csv(books["csv"], "goc", sheet)
        for row in formulas[sheet].iter_rows(max_col=14):
            for cell in row:
                if not is_formula(cell.value) or "THIDUA_" in str(getattr(cell.value, "text", cell.value)):
                    continue
                theirs = rows[cell.row - 1][cell.column - 1] if cell.row <= len(rows) else ""
                mine = ours[sheet][cell.coordinate].value
                if mine in (None, ""):
                    # an engine cell left blank reads as 0 once it is a plain empty cell (this copy's doing)
                    assert theirs in ("", "0"), (sheet, cell.coordinate)
                    continue
                if isinstance(mine, int | float) and not isinstance(mine, bool):
                    assert math.isclose(float(theirs), mine, abs_tol=0.006), (sheet, cell.coordinate)
                else:
                    assert theirs == ("" if mine is None else str(mine)), (sheet, cell.coordinate)
                checked += 1
    assert checked > 500


def test_award_sheet_lists_the_monthly_winners_and_the_year_on_year_figures(books):
    ws = load_workbook(books["awards"], data_only=True)[AWARDS]
    text = [[c for c in row if c not in (None, "")] for row in ws.iter_rows(values_only=True)]
    year = run_year(RUBRIC, MONTHS)
    monthly = year.sections[0].table()
    monthly = monthly[monthly[UNIT] != ""]  # the engine's line for a month without a winner
    winners = [(r[1], r[3]) for r in text if len(r) >= 5 and isinstance(r[0], int) and str(r[3]).startswith("Tháng")]
    assert winners == [(u, f"Tháng {int(k[-2:])}/2021") for u, k in zip(monthly[UNIT], monthly["ky"], strict=True)]
    assert 0 < len(winners) < 12
    assert sum(1 for r in text if r and r[1:2] == [NOBODY]) == 12 - len(monthly)
    assert any("lũy kế" in str(c) for r in text for c in r), "the reading (year-to-date) is printed"
    end = next(s for s in year.sections if s.source.id == "xa").outcomes[0].result.table
    awarded = end[end[AWARD] != ""]
    assert all(any(r[:2] == [i, u] for r in text) for i, u in enumerate(awarded[UNIT], start=1))
    monthly_awards = sum(1 for r in text for c in r if str(c).startswith("Tập thể tiêu biểu nhất tháng"))
    assert monthly_awards == len(monthly), "the monthly award appears only in its own section"


def test_sheet_functions_on_a_yearly_range_behave_as_before():
    figures = example_data.load(PLAN)["xa"]
    rows = [list(figures.columns)] + figures.astype(object).where(figures.notna(), None).values.tolist()
    before = sf.score_values(PLAN, "xa", rows)
    assert sf.score_values(PLAN, "xa", rows, None, None, "Cả năm") == before
    assert sf.score_values(PLAN, "xa", rows, None, "", "") == before
    refused = sf.score_values(PLAN, "xa", rows, None, None, "Tháng 3/2021")
    assert refused[0][0].startswith("#THIDUA: ") and "không có cột 'Kỳ'" in refused[0][0]
    assert sf.periods_values(PLAN, "xa", rows) == [["Cả năm"]]


def test_sheet_functions_on_a_range_kept_by_month():
    table = MONTHS["xa"]
    rows = [list(table.columns)] + table.astype(object).where(table.notna(), None).values.tolist()
    units = [r[0] for r in sf.units_values(PLAN, "xa", rows)]
    assert units == list(dict.fromkeys(table["Đơn vị"]))
    assert [r[0] for r in sf.score_values(PLAN, "xa", rows, None, None, "2021-Q1")] == pytest.approx(
        [_engine("2021-Q1")[u] for u in units])
    ytd = sf.score_values(PLAN, "xa", rows, None, None, "Lũy kế đến tháng 3/2021")
    assert [r[0] for r in ytd] == pytest.approx([_engine("..2021-03")[u] for u in units])
    bad = sf.score_values(PLAN, "xa", rows, None, None, "Tháng 13/2021")
    assert bad[0][0].startswith("#THIDUA: ")
    trend = sf.period_values(PLAN, "xa", rows, None, [["2021-01", "2021-02"]], "hang")
    assert [len(r) for r in trend] == [2] * len(units) and all(isinstance(v, int) for r in trend for v in r)


@pytest.mark.parametrize("plan", rubrics.available())
def test_committed_monthly_templates_match_the_generator(plan):
    from tests.test_workbooks import _content
    from thidua_xl.workbook.template import build_template, template_path

    committed = template_path(plan, Path(__file__).resolve().parents[1] / "workbooks", by_month=True)
    assert committed.exists(), f"run 'thidua-xl template {plan} --theo-thang'"
    assert _content(load_workbook(committed)) == _content(build_template(plan, by_month=True)), \
        f"{committed.name} drifted from the generator: run 'thidua-xl template {plan} --theo-thang'"


def test_ninh_phuoc_cutoffs_in_the_selector_and_the_award_column():
    plan = "ninh-phuoc-2023"
    table = example_data.load(plan, months=True)["xa"]
    rows = [list(table.columns)] + table.astype(object).where(table.notna(), None).values.tolist()
    listed = [r[0] for r in sf.periods_values(plan, "xa", rows)]
    assert listed[-2:] == ["Số liệu đến ngày 30/11/2023", "Số liệu đến ngày 15/12/2023"]
    units = [r[0] for r in sf.units_values(plan, "xa", rows)]
    year = run_year(rubrics.get(plan), example_data.load(plan, months=True))
    for day in ("30/11/2023", "15/12/2023"):
        shown = dict(zip(units, (r[0] for r in sf.award_values(plan, "xa", rows, None, "", f"Số liệu đến ngày {day}")),
                         strict=True))
        section = next(s for s in year.sections if s.source.id.startswith("xa@") and day in s.heading)
        awarded = section.outcomes[0].result.awarded
        assert {u for u, text in shown.items() if text in set(awarded[AWARD])} == set(awarded[UNIT]), day
    on_year = sf.award_values(plan, "xa", rows, None, "", "Cả năm")[0][0]
    assert "ngày chốt 30/11/2023, 15/12/2023" in on_year


def test_check_data_on_a_book_kept_by_month():
    """'Kiểm tra dữ liệu' checks each month apart (a unit in twelve months is expected) and names a bad Kỳ."""
    from thidua_xl.workbook.macros import find_problems
    from thidua_xl.workbook.reading import OpenpyxlSource
    from thidua_xl.workbook.template import template_path

    wb = load_workbook(template_path(PLAN, Path(__file__).resolve().parents[1] / "workbooks", by_month=True))
    assert find_problems(OpenpyxlSource(wb)) == []
    ws = wb[input_sheet(RUBRIC.bloc("xa"))]
    ws["B5"], ws["E6"] = "13/2021", "abc"
    problems = [p for _, p in find_problems(OpenpyxlSource(wb))]
    assert [(p.unit, p.column) for p in problems] == [(ws["A6"].value, ACCOUNTS), (ws["A5"].value, "Kỳ")]
    assert "'13/2021' không phải một tháng" in problems[1].message



def test_ribbon_buttons_on_a_book_kept_by_month(tmp_path):
    """'Kiểm tra dữ liệu' and 'Tạo bảng khen thưởng' (headless book): no problem reported, the award sheet has
    the monthly section before the year-end ones; the input sheets are left as they were."""
    import shutil

    from thidua_xl.workbook import macros
    from thidua_xl.workbook.book import OpenpyxlBook
    from thidua_xl.workbook.template import template_path

    path = shutil.copy(template_path(PLAN, Path(__file__).resolve().parents[1] / "workbooks", by_month=True),
                       tmp_path / "so.xlsx")
    book = OpenpyxlBook(path)
    assert macros.check_data(book) == []
    inputs = {b.id: [list(r) for r in book.values(input_sheet(b))] for b in RUBRIC.blocs}
    macros.build_awards(book)
    headings = [str(r[0]) for r in book.values(AWARDS) if r and isinstance(r[0], str) and r[0][:3] in ("I. ", "II.")]
    assert headings[0].startswith("I. KHEN THƯỞNG ĐỘT XUẤT HÀNG THÁNG")
    assert headings[1].startswith("II. KHEN THƯỞNG CUỐI NĂM")
    assert {b.id: [list(r) for r in book.values(input_sheet(b))] for b in RUBRIC.blocs} == inputs


def test_more_units_than_the_sheet_holds_is_said_not_cut(tmp_path):
    """Two months, one spare row; two new units typed in March: the scoring sheet's last row says how many units
    are not shown (never a silently shorter ranking)."""
    tables = {b: t[t["Kỳ"].isin(["2021-01", "2021-02"])] for b, t in MONTHS.items()}
    from thidua_xl.workbook.template import build_template

    book = tmp_path / "so.xlsx"
    build_template(PLAN, tables, spare_rows=1).save(book)  # room for 13 + 1 communes
    wb = load_workbook(book)
    ws = wb[input_sheet(RUBRIC.bloc("xa"))]
    for row, name in ((2, "Xã Mới Một"), (3, "Xã Mới Hai")):  # re-typed as two new units of March
        ws[f"A{row}"], ws[f"B{row}"] = name, "2021-03"
    wb.save(book)
    shown = load_workbook(recalc(book, tmp_path / "re.xlsx"), data_only=True)[XA]
    column = [c.value for c in shown["A"][2:] if c.value]
    assert column[-1].startswith("#THIDUA: số liệu có 15 đơn vị nhưng bảng chỉ có")
