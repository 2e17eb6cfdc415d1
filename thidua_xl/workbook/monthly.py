"""The "Theo dõi theo tháng" sheet of a book kept by month: each unit's score, rank and movement per month,
and a line chart of the leading units.

Per bloc, three tables (điểm, hạng, thay đổi hạng so với tháng trước), one row per unit and one column per
month of the year (plus "Cả năm" for score and rank), then the five units leading on the year with their
monthly scores, which a native Excel line chart draws. Every number comes from THIDUA_TREND (the engine's
:func:`~thidua_xl.periods.score_periods`) in hidden columns, shown through plain copies as on the scoring
sheets, so a spreadsheet without the add-in shows the stored values and the chart draws them; the top five
are picked with ordinary functions (RANK.EQ, COUNTIF, INDEX/MATCH) from the shown year scores.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from ..periods import month
from ..rubric import Bloc, Rubric
from ..sheet_periods import YEAR_CHOICE
from .award_sheet import CM_POINTS
from .by_month import subunit_table
from .layout import BlocRanges, weights_range
from .printing import ROW_POINTS, content_width, keep_whole, print_setup
from .template import BOX, HEADER_FILL, _freeze  # the look of every generated sheet

TRACKING = "Theo dõi theo tháng"
TRACK_SPARE = 5     # rows for units added later, below each table
TOP = 5             # units drawn on the chart
FONT = "Times New Roman"
UNIT_WIDTH, MONTH_WIDTH = 30, 8.5
HIDDEN_FROM = 17    # first hidden engine column (Q): A unit + 13 periods, a gap


def write_tracking_sheet(wb, rubric: Rubric, rows: Mapping[str, int], units: Mapping[str, int],
                         year: int | None = None) -> Worksheet:
    """Add the sheet to a book kept by month; ``rows`` are the input rows per bloc, ``units`` how many units
    each bloc has now (TRACK_SPARE rows are added for more)."""

    ws = wb.create_sheet(TRACKING)
    y = year or rubric.year
    periods = [month(y, m).title for m in range(1, 13)]
    widths = [UNIT_WIDTH] + [MONTH_WIDTH] * 13
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, text, font in ((1, f"Theo dõi theo tháng — {rubric.title} — bộ tiêu chí {rubric.version}",
                             Font(name=FONT, bold=True, size=13)),
                            (2, "Điểm và hạng của từng tháng tính trên số liệu riêng của tháng đó; 'Cả năm' trên số "
                                "liệu cả năm. Thay đổi hạng so với tháng trước: ↑ lên, ↓ xuống, = giữ nguyên, 'mới' "
                                "chưa xếp hạng tháng trước.", Font(name=FONT, italic=True, size=11))):
        ws.merge_cells(f"A{row}:N{row}")
        ws[f"A{row}"] = text
        ws[f"A{row}"].font = font
        ws[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 34
    style = _Style(BOX, HEADER_FILL)
    row, blocks = 4, []
    for bloc in rubric.blocs:
        row, found = _bloc_section(ws, rubric, bloc, BlocRanges(bloc, rows[bloc.id], ky=True),
                                   units[bloc.id] + TRACK_SPARE, periods, row, style, subunit_table(rubric, bloc, rows))
        blocks += found
    last = row - 1
    print_setup(ws, rubric.version, f"A1:N{last}", widths, landscape=True)
    keep_whole(ws, blocks, last, widths, landscape=True)
    _freeze(ws, "B4")
    return ws


class _Style:
    def __init__(self, box, fill):
        self.box, self.fill = box, fill

    def header(self, ws: Worksheet, row: int, values: list[str]) -> None:
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = Font(name=FONT, bold=True, size=11)
            cell.fill = self.fill
            cell.border = self.box
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.row_dimensions[row].height = 30


def _bloc_section(ws: Worksheet, rubric: Rubric, bloc: Bloc, ranges: BlocRanges, n: int, periods: list[str],
                  row: int, style: _Style, sub: str) -> tuple[int, list[tuple[int, int]]]:
    """The bloc's three tables, its top five and chart, from ``row``; returns the next free row and the
    blocks to keep on one page."""
    weights = "," + (weights_range(rubric, bloc) if rubric.editable_weights else '""') + sub
    data = f'"{rubric.id}","{bloc.id}",{ranges.data},{ranges.headers}'
    blocks: list[tuple[int, int]] = []
    title = row
    ws.cell(row=row, column=1, value=f"Khối: {bloc.label}").font = Font(name=FONT, bold=True, size=13)
    row += 1
    tables = {}
    for what, title, with_year, number in (("diem", "Điểm", True, "0.00"), ("hang", "Hạng", True, "0"),
                                           ("thay-doi", "Thay đổi hạng so với tháng trước", False, None)):
        header = row
        style.header(ws, header, [title] + periods + ([YEAR_CHOICE] if with_year else []))
        width = 13 if with_year else 12
        first, last = header + 1, header + n
        last_col = get_column_letter(1 + width)
        _engine(ws, first, last, f"=THIDUA_UNITS({data},{n})", width,
                f'=THIDUA_TREND({data},$B${header}:${last_col}${header},"{what}"{weights})')
        for r in range(first, last + 1):
            for col in range(1, 2 + width):
                cell = ws.cell(row=r, column=col)
                cell.border = style.box
                cell.font = Font(name=FONT, size=11)
                cell.alignment = Alignment(horizontal="left" if col == 1 else "center", vertical="top",
                                           wrap_text=col == 1)
                if number and col > 1:
                    cell.number_format = number
        tables[what] = (first, last)
        blocks.append((title if what == "diem" else header, last))  # the bloc's title stays with its first table
        row = last + 2
    row = _top_and_chart(ws, bloc, tables["diem"], periods, row, style, blocks)
    return row + 1, blocks


def _engine(ws: Worksheet, first: int, last: int, units: str, width: int, matrix: str) -> None:
    """Hidden: the row flag, the units and the period matrix; shown: plain copies (as on scoring sheets)."""
    flag, unit = get_column_letter(HIDDEN_FROM), get_column_letter(HIDDEN_FROM + 1)
    start, end = get_column_letter(HIDDEN_FROM + 2), get_column_letter(HIDDEN_FROM + 1 + width)
    ws[f"{unit}{first}"] = ArrayFormula(f"{unit}{first}:{unit}{last}", units)
    ws[f"{start}{first}"] = ArrayFormula(f"{start}{first}:{end}{last}", matrix)
    for r in range(first, last + 1):
        ws[f"{flag}{r}"] = f"=IFERROR(LEN({unit}{r})>0,FALSE)"
        ws[f"A{r}"] = f'=IF(${flag}{r},{unit}{r},"")'
        for k in range(width):
            ws[f"{get_column_letter(2 + k)}{r}"] = f'=IF(${flag}{r},{get_column_letter(HIDDEN_FROM + 2 + k)}{r},"")'
    for col in range(HIDDEN_FROM, HIDDEN_FROM + 2 + 13 + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True


def _top_and_chart(ws: Worksheet, bloc: Bloc, scores: tuple[int, int], periods: list[str], row: int,
                   style: _Style, blocks: list[tuple[int, int]]) -> int:
    """The TOP units on the year score (ties kept apart in table order) with their monthly scores, and the
    line chart drawing them. Returns the next free row."""
    first, last = scores
    order = get_column_letter(HIDDEN_FROM + 16)  # hidden: each unit's place on the year score
    year = f"$N${first}:$N${last}"
    for r in range(first, last + 1):
        ws[f"{order}{r}"] = (f'=IF(ISNUMBER(N{r}),_xlfn.RANK.EQ(N{r},{year})+COUNTIF($N${first}:N{r},N{r})-1,"")')
    top_header = row
    style.header(ws, top_header, [f"{TOP} đơn vị dẫn đầu cả năm"] + periods)
    places = f"${order}${first}:${order}${last}"
    for k in range(1, TOP + 1):
        r = top_header + k
        ws[f"A{r}"] = f'=IFERROR(INDEX($A${first}:$A${last},MATCH({k},{places},0)),"")'
        for col in range(2, 14):
            letter = get_column_letter(col)
            ws[f"{letter}{r}"] = f'=IFERROR(INDEX({letter}${first}:{letter}${last},MATCH({k},{places},0)),"")'
        for col in range(1, 14):
            cell = ws.cell(row=r, column=col)
            cell.border = style.box
            cell.font = Font(name=FONT, size=11)
            cell.number_format = "0.00"
            cell.alignment = Alignment(horizontal="left" if col == 1 else "center", vertical="top",
                                       wrap_text=col == 1)
    chart_row = top_header + TOP + 1
    chart = LineChart()
    chart.title = f"Điểm theo tháng — {TOP} đơn vị dẫn đầu ({bloc.label})"
    chart.style = 10
    chart.y_axis.title = "Điểm"
    chart.x_axis.title = "Tháng"
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.add_data(Reference(ws, min_col=1, max_col=13, min_row=top_header + 1, max_row=top_header + TOP),
                   from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=13, min_row=top_header, max_row=top_header))
    chart.legend.position = "b"
    chart.display_blanks = "gap"
    for series in chart.series:
        series.smooth = False
        series.marker.symbol = "circle"
    chart.width = 0.95 * content_width([UNIT_WIDTH] + [MONTH_WIDTH] * 13) / CM_POINTS
    chart.height = 9.0
    ws.add_chart(chart, f"A{chart_row}")
    rows = math.ceil(chart.height * CM_POINTS / ROW_POINTS)
    blocks.append((top_header, chart_row + rows - 1))
    return chart_row + rows
