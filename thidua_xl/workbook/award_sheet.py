"""The printable "Danh sách đề nghị khen thưởng" sheet (Nghị định 30/2020/NĐ-CP layout).

Issuing body and national motto, title, one table per award scheme (STT, đơn
vị, điểm, xếp hạng, hình thức, tiền thưởng, điểm cộng, số cá nhân), totals with
money in words, individuals by quota, the ties left to the council and the
units skipped with their reasons, a signature block, Times New Roman on A4,
and a native bar chart of scores. Plans without awards (766) get their
classification table instead. Computed by the engine from the input sheets;
the sheet is replaced as a whole, never merged into user data.
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..awards import QUOTA, PlanResult, SchemeResult, award_plan
from ..cells import put
from ..columns import AWARD, AWARD_RANK, BONUS, CLASS, COUNCIL, INDIVIDUALS, LEVEL, NOTE, PRIZE, RANK, TOTAL
from ..periods import Cadence, Period, Section, Span, YearResult, has_periods, run_year, score_period
from ..periods import year as year_period
from ..periods.awards import NOBODY
from ..periods.scoring import MOVE
from ..rubric import Rubric
from ..validation import UNIT
from ..vn import fmt_money_full, fmt_number, fold
from .layout import award_sheet_name, fresh_sheet
from .printing import ROW_POINTS, content_width, keep_whole, print_setup
from .reading import OpenpyxlSource, SheetSource, plan_of, read_figures, read_weights

FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADERS = ["STT", "Đơn vị", "Điểm", "Xếp hạng", "Hình thức khen thưởng", "Tiền thưởng (đồng)",
           "Điểm cộng thi đua", "Số cá nhân"]
WIDTHS = [6, 34, 9, 9, 30, 16, 10, 9]
CLASS_WIDTHS = [6, 44, 12, 12, 34, 0, 0, 0]  # no award columns: the classification list of a plan without awards
CHART_UNITS = 30
CM_POINTS = 28.35


def compute(source: SheetSource) -> PlanResult:
    """Score, rank and award the workbook's own figures (a book kept by month: the schemes decided once,
    year-end and cut-off, each on its own figures — see :func:`compute_all`)."""
    return compute_all(source)[0]


def compute_all(source: SheetSource) -> tuple[PlanResult, YearResult | None]:
    """The plan's result and, for a book kept by month ("Kỳ" column), every scheme and review over the year
    — monthly, quarterly, cut-off and year-end — each on its own periods (None for a book of yearly figures)."""
    rubric = read_weights(source, plan_of(source))
    figures = read_figures(source, rubric)
    if not any(has_periods(table) for table in figures.values()):
        return award_plan(rubric, figures), None
    result = run_year(rubric, figures)
    return year_plan(result, figures), result


def year_plan(result: YearResult, figures: dict[str, pd.DataFrame]) -> PlanResult:
    """The year's ranked blocs and the schemes decided once (year-end, cut-off), as a :class:`PlanResult`."""
    rubric = result.rubric
    whole = year_period(result.year)
    blocs = {}
    for bloc in rubric.blocs:
        if bloc.id in figures:
            sub = next((d.subunit_bloc for d in bloc.derived if hasattr(d, "subunit_bloc")), None)
            blocs[bloc.id] = score_period(rubric, bloc, figures[bloc.id], whole, figures.get(sub) if sub else None)
    once = [s for s in result.sections if s.cadence in (Cadence.CUTOFF, Cadence.YEAR_END)]
    schemes = {s.source.id: s.outcomes[0].result for s in once if s.outcomes and s.outcomes[0].result is not None}
    return PlanResult(rubric, blocs, schemes)


class _Writer:
    """Writes rows top to bottom with the sheet's fonts and borders."""

    def __init__(self, ws: Worksheet, widths: list[float], rubric: Rubric):
        self.ws = ws
        self.widths = widths
        self.rubric = rubric
        self.row = 1

    def text(self, value: str, *, bold: bool = False, italic: bool = False, size: int = 13, span: str = "A:H",
             align: str = "center", underline: bool = False) -> None:
        first, last = span.split(":")
        self.ws.merge_cells(f"{first}{self.row}:{last}{self.row}")
        cell = self.ws[f"{first}{self.row}"]
        put(cell, value)
        cell.font = Font(name=FONT, bold=bold, italic=italic, size=size, underline="single" if underline else None)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        width = sum(self.widths[ord(first) - 65: ord(last) - 64])
        self.ws.row_dimensions[self.row].height = (size + 5) * max(1, math.ceil(len(value) * size / 11 / width))
        self.row += 1

    def table_row(self, values: list[object], *, bold: bool = False) -> None:
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=col)
            put(cell, value)
            cell.font = Font(name=FONT, bold=bold, size=12)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center",
                                       horizontal="left" if col in (2, 5) else "center")
            if col == 6 and isinstance(value, int | float):
                cell.number_format = "#,##0"
            if col == 3 and isinstance(value, float):
                cell.number_format = "0.00"
        # Rows written by openpyxl are not auto-fitted by every reader: size them for the wrapped text.
        lines = max(math.ceil(len(str(v)) / max(self.widths[c] - 2, 4)) for c, v in enumerate(values) if v is not None)
        self.ws.row_dimensions[self.row].height = 17 * max(1, lines)
        self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n


def _header_block(w: _Writer, rubric: Rubric, title: str) -> None:
    issuer = rubric.issuer.upper()
    body, _, place = issuer.partition("ỦY BAN NHÂN DÂN ")
    top = w.row
    w.text("ỦY BAN NHÂN DÂN", bold=False, span="A:C")
    w.text(place or body, bold=True, span="A:C", underline=True)
    w.row = top
    w.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, span="D:H", size=12)
    w.text("Độc lập - Tự do - Hạnh phúc", bold=True, span="D:H", underline=True)
    w.skip()
    w.text(title, bold=True, size=14)
    w.text(rubric.title, bold=True)
    if rubric.awards:
        w.text("(Kèm theo Tờ trình số      /TTr-      ngày      tháng      năm      )", italic=True, size=12)
    w.text(f"Bộ tiêu chí: {rubric.version}", italic=True, size=10)
    if rubric.provisional:
        w.text(f"Điểm {rubric.provisional} — chờ Thường trực Hội đồng xác nhận trọng số (sheet 'Trọng số').",
               bold=True, italic=True, size=12)
    w.skip()


def _awarded_rows(result: SchemeResult, w: _Writer) -> None:
    table = result.table
    awarded = table[(table[AWARD] != "")]
    w.table_row(HEADERS, bold=True)
    for stt, (_, unit) in enumerate(awarded.iterrows(), start=1):
        tier = _award_text(unit[AWARD], unit[LEVEL])
        w.table_row([stt, unit[UNIT], round(float(unit[TOTAL]), 2), int(unit[AWARD_RANK]), tier,
                     int(unit[PRIZE]), float(unit[BONUS]), int(unit[INDIVIDUALS])])
    total_people = int(awarded[INDIVIDUALS].sum())
    w.table_row(["", "Tổng cộng", "", "", f"{len(awarded)} tập thể", result.total_prize, "", total_people],
                bold=True)
    w.text(f"Tổng tiền thưởng: {fmt_money_full(result.total_prize)}.", italic=True, size=12, align="left")


def _award_text(award: str, level: str) -> str:
    """The award with its level in brackets, unless the award's name already says it (Ninh Phước's
    "Bằng khen của Chủ tịch UBND tỉnh" is both)."""
    return f"{award} ({level})" if level and fold(level) not in fold(award) else award


def _people(result: SchemeResult, w: _Writer) -> None:
    scheme = result.scheme
    unawarded = result.table[result.table[AWARD] == ""]
    others = int(unawarded[INDIVIDUALS].sum() - unawarded.get(QUOTA, pd.Series(0)).sum())  # quota ones listed below
    if others:
        w.text(f"Cá nhân của các đơn vị còn lại: {others} người ({scheme.other_units_individuals} cá nhân/đơn vị).",
               size=12, align="left")
    if scheme.individual_quotas:
        w.text(f"Cá nhân xét chọn theo chỉ tiêu ({scheme.individuals_total} người):", bold=True, size=12,
               align="left")
        w.table_row(["STT", "Đơn vị cấp huyện", "", "", "Số cá nhân", "", "", ""], bold=True)
        for stt, (group, quota) in enumerate(scheme.individual_quotas, start=1):
            w.table_row([stt, group, "", "", quota, "", "", ""])
    elif scheme.individuals_total:
        w.text(f"Cá nhân: {scheme.individuals_total} người do Hội đồng xét chọn.", size=12, align="left")


def _exceptions(result: SchemeResult, w: _Writer) -> None:
    table = result.table
    flagged = table[table[COUNCIL]]
    if not flagged.empty:
        w.text("Trường hợp đồng hạng đề nghị Hội đồng Thi đua – Khen thưởng quyết định:", bold=True, size=12,
               align="left")
        for _, unit in flagged.iterrows():
            w.text(f"- {unit[UNIT]} ({fmt_number(unit[TOTAL])} điểm): {unit[NOTE]}", size=12, align="left")
    skipped = table[(table[AWARD] == "") & ~table[COUNCIL] & (table[NOTE] != "")]
    if not skipped.empty:
        w.text("Đơn vị không được xét hoặc được chuyển suất (có lý do):", bold=True, size=12, align="left")
        for _, unit in skipped.iterrows():
            w.text(f"- {unit[UNIT]}: {unit[NOTE]}", size=11, align="left")


def _classification(result: PlanResult, w: _Writer) -> None:
    for bloc_id, frame in result.blocs.items():
        bloc = result.rubric.bloc(bloc_id)
        w.text(f"Kết quả xếp loại — {bloc.label}", bold=True, align="left")
        w.table_row(["STT", "Đơn vị", "Điểm", "Xếp hạng", "Xếp loại"], bold=True)
        ordered = frame.sort_values(RANK, kind="stable")
        for stt, (_, unit) in enumerate(ordered.iterrows(), start=1):
            scored = pd.notna(unit[TOTAL])
            w.table_row([stt, unit[UNIT], round(float(unit[TOTAL]), 2) if scored else "",
                         int(unit[RANK]) if scored else "", unit.get(CLASS, "") or unit.get("loi_du_lieu", "")])
        w.skip()


def _signature(w: _Writer, rubric: Rubric) -> tuple[int, int]:
    """The "Nơi nhận" and signature block; returns its first and last row (printed on one page)."""
    w.skip()
    top = w.row
    w.text("Nơi nhận:", bold=True, italic=True, size=12, span="A:C", align="left")
    w.text("- Như trên;", size=11, span="A:C", align="left")
    w.text("- Lưu: VT.", size=11, span="A:C", align="left")
    w.row = top
    w.text("TM. ỦY BAN NHÂN DÂN", bold=True, span="E:H")
    w.text("CHỦ TỊCH", bold=True, span="E:H")
    w.text("(Ký tên, đóng dấu)", italic=True, span="E:H", size=11)
    w.skip(3)
    return top, w.row - 1


def _chart(ws: Worksheet, result: PlanResult, anchor_row: int, width_cm: float) -> int:
    """A horizontal bar chart of the main bloc's scores, highest first, every unit named, value axis from 0.

    Its data sits in columns J:K, outside the print area. Returns how many rows the chart covers."""
    bloc_id = next(iter(result.schemes.values())).scheme.blocs[0] if result.schemes else next(iter(result.blocs))
    frame = result.blocs[bloc_id]
    scored = frame[frame[TOTAL].notna()].sort_values(TOTAL, ascending=False).head(CHART_UNITS)
    ws["J1"], ws["K1"] = "Đơn vị", "Điểm"
    for i, (_, unit) in enumerate(scored.iterrows(), start=2):
        put(ws.cell(row=i, column=10), unit[UNIT])
        ws.cell(row=i, column=11, value=round(float(unit[TOTAL]), 2))
    if scored.empty:
        return 0
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    label = result.rubric.bloc(bloc_id).label
    chart.title = f"Điểm thi đua — {label}" + (f" ({CHART_UNITS} đơn vị cao nhất)" if len(frame) > CHART_UNITS else "")
    chart.y_axis.title = "Điểm (trục từ 0)"
    n = len(scored)
    chart.add_data(Reference(ws, min_col=11, min_row=1, max_row=1 + n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=10, min_row=2, max_row=1 + n))
    chart.x_axis.scaling.orientation = "maxMin"  # highest score on top
    chart.x_axis.tickLblSkip = 1  # every unit named
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0  # a 1–2 point gap looks like what it is
    chart.legend = None
    chart.gapWidth = 40
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False, showLegendKey=False,
                                     showPercent=False)
    series = chart.series[0]
    series.graphicalProperties.solidFill = "2F5597"
    series.graphicalProperties.line.solidFill = "2F5597"
    chart.height = 3.0 + 0.6 * n
    chart.width = width_cm
    ws.add_chart(chart, f"A{anchor_row}")
    return math.ceil(chart.height * CM_POINTS / ROW_POINTS)


def _periodic(section: Section, w: _Writer) -> None:
    """A scheme run each month or quarter: one line per period with its winners (or why none); a published
    ranking (review): each period's first three per bloc with their movement, or its classification."""
    if section.outcomes and section.outcomes[0].result is not None:
        w.table_row(["STT", "Đơn vị", "Điểm", "Kỳ", "Hình thức khen thưởng", "Tiền thưởng (đồng)", "", ""],
                    bold=True)
        total = 0
        for stt, outcome in enumerate(section.outcomes, start=1):
            result = outcome.result
            awarded = result.table[result.table[AWARD] != ""]
            if awarded.empty:
                flagged = result.table[result.table[COUNCIL]]
                why = ("Đồng hạng — chờ Hội đồng quyết định: " + ", ".join(flagged[UNIT]) if not flagged.empty
                       else NOBODY)
                w.table_row([stt, why, "", _short(outcome.period), "", "", "", ""])
            for _, unit in awarded.iterrows():
                w.table_row([stt, unit[UNIT], round(float(unit[TOTAL]), 2), _short(outcome.period),
                             _award_text(unit[AWARD], unit[LEVEL]), int(unit[PRIZE]), "", ""])
                total += int(unit[PRIZE])
        w.text(f"Tổng tiền thưởng các kỳ: {fmt_money_full(total)}.", italic=True, size=12, align="left")
        return
    for outcome in section.outcomes:
        for bloc_id, table in outcome.tables.items():
            bloc = w.rubric.bloc(bloc_id)
            if CLASS in table and table[CLASS].astype(str).str.len().gt(0).any():
                counts = table[CLASS][table[CLASS] != ""].value_counts()
                text = ", ".join(f"{name}: {n}" for name, n in counts.items())
            else:
                top = table[table[RANK].notna()].sort_values(RANK, kind="stable").head(3)
                text = "; ".join(f"{int(u[RANK])}. {u[UNIT]} ({fmt_number(u[TOTAL])} điểm"
                                 + (f", {u[MOVE]}" if u.get(MOVE) else "") + ")" for _, u in top.iterrows())
            w.text(f"- {outcome.period.title} — {bloc.label}: {text or 'chưa có đơn vị được xếp hạng'}.", size=11,
                   align="left")


def _short(period: Period) -> str:
    """A period in a narrow column: the month awarded ("Tháng 8/2021", year-to-date said in the heading)."""
    if period.span in (Span.MONTH, Span.TO_MONTH):
        return f"Tháng {period.end.month}/{period.end.year}"
    return period.title


def write_award_sheet(wb, result: PlanResult | None = None, name: str | None = None,
                      year: YearResult | None = None) -> Worksheet:
    """Replace (or create) the award sheet of an openpyxl workbook; other sheets are not touched.

    A book kept by month (``year``, computed when ``result`` is not given): the schemes and reviews run each
    month or quarter come first, one line per period, then the schemes decided once (cut-off, year-end) in
    full, on their own figures only."""
    if result is None:
        result, year = compute_all(OpenpyxlSource(wb))
    rubric = result.rubric
    ws = fresh_sheet(wb, name or award_sheet_name(rubric))
    widths = WIDTHS if result.schemes else CLASS_WIDTHS
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        ws.column_dimensions[get_column_letter(col)].hidden = width == 0
    w = _Writer(ws, widths, rubric)
    _header_block(w, rubric, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" if result.schemes else "KẾT QUẢ XẾP LOẠI")
    if not result.schemes:
        _classification(result, w)
    periodic = [s for s in (year.sections if year is not None else ())
                if s.cadence in (Cadence.MONTHLY, Cadence.QUARTERLY)]
    heads: list[tuple[int, int]] = []  # a section's title, clause, table header and first row: one page
    for number, section in enumerate(periodic, start=1):
        start = w.row
        w.text(f"{_roman(number)}. {section.heading.upper()}", bold=True, align="left")
        w.text(f"Căn cứ: {section.source.clause}.", italic=True, size=11, align="left")
        _periodic(section, w)
        heads.append((start, min(start + 3, w.row - 1)))
        if section.reading:
            w.text(f"Cách hiểu áp dụng: {section.reading}", italic=True, size=11, align="left")
        w.skip()
    for number, scheme_result in enumerate(result.schemes.values(), start=len(periodic) + 1):
        scheme = scheme_result.scheme
        period = (f" (kỳ {scheme.period})" if scheme.period not in ("năm", "mốc ngày") else
                  f" (số liệu đến ngày {scheme.cutoff:%d/%m/%Y})" if scheme.cutoff else
                  f" (cả năm {year.year})" if year is not None else "")
        start = w.row
        w.text(f"{_roman(number)}. {scheme.label.upper()}{period}", bold=True, align="left")
        w.text(f"Căn cứ: {scheme.clause}.", italic=True, size=11, align="left")
        _awarded_rows(scheme_result, w)
        heads.append((start, min(start + 3, w.row - 1)))
        if scheme.note:  # how the plan's words were read (e.g. Phụng Hiệp's Khuyến khích), under the table
            w.text(f"Cách hiểu áp dụng: {scheme.note}", italic=True, size=11, align="left")
        _people(scheme_result, w)
        _exceptions(scheme_result, w)
        w.skip()
    signature = _signature(w, rubric)
    chart_row = w.row
    last = chart_row + max(_chart(ws, result, chart_row, 0.95 * content_width(widths) / CM_POINTS), 1) - 1
    print_setup(ws, rubric.version, f"A1:H{last}", widths, landscape=False)
    keep_whole(ws, [*heads, signature, (chart_row, last)], last, widths, landscape=False)
    return ws


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"][n - 1]


def build_award_book(book, output=None, *, separate: bool = False, periods: list | None = None):
    """Write BOOK-khen-thuong.xlsx: the book with its award sheet (or, ``separate``, the sheet alone).

    ``periods``, a list, receives the book's :class:`YearResult` (None for yearly figures) for the caller to
    print the monthly and quarterly sections."""
    from pathlib import Path

    from openpyxl import Workbook, load_workbook

    from ..tables import atomic_write

    book = Path(book)
    output = Path(output) if output else book.with_name(f"{book.stem}-khen-thuong.xlsx")
    wb = load_workbook(book)
    result, year = compute_all(OpenpyxlSource(wb))
    if periods is not None:
        periods.append(year)
    target = Workbook() if separate else wb
    write_award_sheet(target, result, year=year)
    if separate:
        del target[target.sheetnames[0]]
    from .recalc import save_live  # the book's formulas keep values a reader without the add-in sees

    return atomic_write(output, lambda tmp: save_live(target, tmp), protect=(book,)), result


__all__ = ["build_award_book", "compute", "compute_all", "write_award_sheet", "year_plan"]
