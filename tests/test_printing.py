"""What a person prints: each plan's award sheet and a scoring sheet rendered to PDF by LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from tests.office import convert
from thidua_xl import rubrics
from thidua_xl.columns import AWARD, TOTAL
from thidua_xl.validation import UNIT
from thidua_xl.workbook.award_sheet import CHART_UNITS, build_award_book
from thidua_xl.workbook.layout import award_sheet_name, score_sheet
from thidua_xl.workbook.template import template_path

ROOT = Path(__file__).resolve().parents[1]
PLANS = rubrics.available()
SCORING_PLAN = "hau-giang-2023"  # its xã sheet: the longest scoring sheet with explanations


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each plan's award sheet alone (from the committed template) and one whole template, as PDF."""
    folder = tmp_path_factory.mktemp("print")
    books = {plan: build_award_book(template_path(plan, ROOT / "workbooks"), folder / f"{plan}-khen.xlsx",
                                    separate=True) for plan in PLANS}
    scoring = template_path(SCORING_PLAN, ROOT / "workbooks")
    convert([path for path, _ in books.values()] + [scoring], "pdf", folder / "pdf", folder / "profile")
    return books, folder / "pdf"


def _pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext inserts a form feed between pages)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    return text.split("\f")[:-1]


def _one_page(pages: list[str], *needles: str) -> int:
    """The single page holding every needle (fails when they are spread over pages)."""
    holding = [i for i, page in enumerate(pages) if all(n in page for n in needles)]
    assert holding, f"no page holds all of {needles[:4]}…: split across a page break"
    return holding[0]


@pytest.mark.parametrize("plan", PLANS)
def test_award_sheet_prints_whole_blocks_and_the_engine_result(plan, printed):
    books, folder = printed
    path, result = books[plan]
    pages = _pages(folder / f"{plan}-khen.pdf")
    ws = load_workbook(path)[award_sheet_name(result.rubric)]
    # Our page breaks are the only ones: LibreOffice needed none of its own.
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(pages) == len(breaks) + 1
    assert len(pages) <= 4
    # Signature block and chart each on one page, and no break inside them (from the sheet itself).
    _one_page(pages, "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "(Ký tên, đóng dấu)")
    signature = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Nơi nhận:")
    chart_row = ws._charts[0].anchor._from.row + 1
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    area_end = range_boundaries(area.split("!")[-1].replace("$", ""))[3]
    assert area_end > chart_row, "the chart is inside the print area"
    # A break after row b starts a page at b + 1; the block's three lines are rows signature … signature + 2.
    assert not [b for b in breaks if signature <= b < signature + 2], "break inside the signature block"
    assert not [b for b in breaks if chart_row <= b < area_end], "break inside the chart"
    main = result.blocs[next(iter(result.schemes.values())).scheme.blocs[0] if result.schemes
                        else next(iter(result.blocs))]
    charted = main[main[TOTAL].notna()].sort_values(TOTAL, ascending=False).head(CHART_UNITS)
    _one_page(pages, "Điểm thi đua —", "(trục từ 0)", *charted[UNIT].tolist())  # every unit named on it
    text = "\n".join(pages)
    for scheme in result.schemes.values():
        for _, unit in scheme.awarded.iterrows():
            assert unit[UNIT] in text and unit[AWARD] in text
        assert f"Tổng tiền thưởng: {scheme.total_prize:,} đồng".replace(",", ".") in text
    if not result.schemes:
        assert "KẾT QUẢ XẾP LOẠI" in text and "DANH SÁCH ĐỀ NGHỊ" not in text
        assert "Tiền thưởng" not in text and "Hình thức khen thưởng" not in text
        for frame in result.blocs.values():
            for unit in frame[UNIT]:
                assert unit in text
    assert "(Bằng khen của Chủ tịch UBND tỉnh (Bằng khen" not in text.replace("\n", " ")
    assert "Bằng khen của Chủ tịch UBND tỉnh (Bằng khen của Chủ tịch UBND tỉnh)" not in " ".join(text.split())


def test_scoring_sheet_prints_one_page_wide_with_headers_and_two_decimals(printed):
    _, folder = printed
    rubric = rubrics.get(SCORING_PLAN)
    bloc = rubric.bloc("xa")
    ws = load_workbook(template_path(SCORING_PLAN, ROOT / "workbooks"), data_only=True)[score_sheet(bloc)]
    title = str(ws["A1"].value)[:40]
    pages = [p for p in _pages(folder / f"{SCORING_PLAN}.pdf") if title in p]
    units = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    assert 1 < len(pages) <= len(units) // 5, "one page wide: a few pages down, no strips of columns"
    for page in pages:  # header rows repeated, and the last column on every page
        assert "Tổng điểm" in page and "Kết luận" in page
    text = "\n".join(pages)
    for row in units:
        assert row[0] in text and f"{row[2]:.2f}" in text, f"{row[0]}: total at two decimals"
    assert "#NAME?" not in text and "#VALUE!" not in text


def test_a_section_title_never_ends_a_page_without_its_table(tmp_path):
    """Châu Thành A kept by month: the monthly winners fill most of page 1; the year-end section that follows
    starts on a new page with its title, clause, table header and first row together (it used to leave its
    title and header alone at the bottom of page 1)."""
    import re

    book = Path(__file__).resolve().parents[1] / "workbooks" / "chau-thanh-a-2021-theo-thang.xlsx"
    written, result = build_award_book(book, tmp_path / "out.xlsx", separate=True)
    ws = load_workbook(written)[award_sheet_name(result.rubric)]
    titles = [r for r in range(1, ws.max_row + 1)
              if isinstance(ws.cell(r, 1).value, str) and re.match(r"^[IVX]+\. ", ws.cell(r, 1).value)]
    breaks = [b.id + 1 for b in ws.row_breaks.brk]  # the first row of each new page
    assert len(titles) >= 3 and breaks
    assert not [(t, b) for t in titles for b in breaks if t < b <= t + 3], (titles, breaks)
    assert any(b in titles for b in breaks)  # the break moved a whole section to the next page
