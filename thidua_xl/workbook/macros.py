"""What the "Thi đua" ribbon buttons do, written once against the :class:`~.book.Book` interface.

* Tính lại — recalculate the workbook.
* Kiểm tra dữ liệu — check every bloc's figures; list problems on the "Kiểm tra dữ liệu" sheet.
* Tạo bảng khen thưởng — (re)build the "Danh sách khen thưởng" sheet.
* Tạo sổ mới từ mẫu — write a new workbook from a plan's template.

A macro never modifies input sheets: it writes or replaces only the sheets it
owns, and says what it did through ``book.status``. Running a macro twice gives
the same sheets (no timestamps, no accumulated rows).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..awards import PlanResult
from ..cells import put
from ..periods import has_periods, read_monthly
from ..scoring import prepare
from ..validation import InputError, Problem
from ..vn import fold
from .award_sheet import compute_all, write_award_sheet
from .book import Book
from .layout import CHECK, award_sheet_name, blend_of, fresh_sheet
from .reading import plan_of, read_figures, read_weights
from .template import FONT, template_path, write_template


def recalculate(book: Book) -> str:
    message = book.recalculate()
    book.status(message)
    return message


def find_problems(book: Book) -> list[tuple[str, Problem]]:
    """Every input problem of every bloc, as (bloc label, problem)."""
    rubric = read_weights(book, plan_of(book))
    figures = read_figures(book, rubric)
    found: list[tuple[str, Problem]] = []
    for bloc in rubric.blocs:
        blend = blend_of(bloc)
        subunits = figures.get(blend.subunit_bloc) if blend is not None else None
        try:
            if has_periods(figures[bloc.id]):  # kept by month: each month checked apart, unreadable Kỳ cells
                monthly = read_monthly(bloc, figures[bloc.id])
                found.extend((bloc.label, p) for p in monthly.problems)
                named = {fold(n): n for n in figures[bloc.id].iloc[:, 0].dropna().astype(str)}
                found.extend((bloc.label, Problem(named.get(unit, unit), "Kỳ", None, message))
                             for unit, messages in monthly.unit_problems.items() for message in messages)
                continue
            _, checked = prepare(rubric, bloc, figures[bloc.id], subunits)
        except InputError as err:
            found.extend((bloc.label, p) for p in err.problems)
            continue
        found.extend((bloc.label, p) for p in checked.problems)
    return found


def _write_check(wb: Workbook, name: str, problems: list[tuple[str, Problem]], version: str) -> None:
    ws = fresh_sheet(wb, name)
    ws["A1"] = f"Kết quả kiểm tra số liệu — bộ tiêu chí {version}"
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    headers = ["STT", "Khối", "Đơn vị", "Cột", "Giá trị", "Vấn đề"]
    for col, (header, width) in enumerate(zip(headers, [6, 24, 30, 36, 16, 90], strict=True), start=1):
        cell = ws.cell(row=2, column=col, value=header)
        cell.font = Font(name=FONT, bold=True)
        ws.column_dimensions[cell.column_letter].width = width
    if not problems:
        ws["A3"] = "Không phát hiện lỗi số liệu."
        return
    for i, (bloc, p) in enumerate(problems, start=1):
        row = [i, bloc, p.unit, p.column, "" if p.value is None else str(p.value), p.message]
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=2 + i, column=col)
            put(cell, value)  # a pasted "=…" value is shown, never evaluated
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def check_data(book: Book) -> list[tuple[str, Problem]]:
    problems = find_problems(book)
    version = plan_of(book).version
    book.replace_sheet(CHECK, lambda wb, name: _write_check(wb, name, problems, version))
    units = len({(b, p.unit) for b, p in problems})
    book.status(f"Kiểm tra dữ liệu: {len(problems)} vấn đề ở {units} đơn vị — xem sheet '{CHECK}'."
                if problems else "Kiểm tra dữ liệu: không phát hiện lỗi.")
    return problems


def build_awards(book: Book) -> PlanResult:
    result, year = compute_all(book)  # a book kept by month: the monthly winners too
    sheet = award_sheet_name(result.rubric)
    book.replace_sheet(sheet, lambda wb, name: write_award_sheet(wb, result, name, year=year))
    flagged = sum(len(s.flagged) for s in result.schemes.values())
    book.status(f"Đã lập sheet '{sheet}': " + "; ".join(s.summary() for s in result.schemes.values())
                + (f" {flagged} đơn vị đồng hạng chờ Hội đồng quyết định." if flagged else ""))
    return result


def new_from_template(plan_id: str, folder: str | Path) -> Path:
    """A fresh workbook for a plan in ``folder`` (never over an existing file)."""
    path = template_path(plan_id, folder)
    n = 1
    while path.exists():
        n += 1
        path = path.with_name(f"{plan_id}-{n}.xlsx")
    return write_template(plan_id, path)
