"""The scoring sheet of a book kept by month ("Kỳ" column, README "Sổ theo tháng"): a period selector that every
THIDUA_* column takes as its last argument, one row per unit, the period's rank and its movement.

Built with the template's own helpers (:mod:`.template`): same look, same hidden engine columns shown through
plain copies, so a spreadsheet without the add-in shows the stored values.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from ..periods import ky_column, read_cell
from ..rubric import Bloc, Rubric
from ..validation import map_headers
from ..vn import fold
from .layout import PERIOD_CHOICE, BlocRanges, blend_of, score_sheet, weights_range
from .template import (
    BOX,
    FONT,
    GAP,
    MOVE,
    _EngineColumns,
    _formats,
    _freeze,
    _header,
    _score_columns,
    _stamp,
)

PERIOD_LIST = 40  # rows of the hidden period list: the year, 12 months, 4 quarters, 11 year-to-date, cut-offs


def subunit_table(rubric: Rubric, bloc: Bloc, rows: Mapping[str, int]) -> str:
    """``,<sub-unit table>`` for a blended bloc kept by month (its functions' last argument), else ""."""
    blend = blend_of(bloc)
    if blend is None:
        return ""
    return "," + BlocRanges(rubric.bloc(blend.subunit_bloc), rows[blend.subunit_bloc], ky=True).table


def score_sheet_by_month(wb: Workbook, rubric: Rubric, bloc: Bloc, rows_of: Mapping[str, int], units: int) -> None:
    """The scoring sheet of a book kept by month: a period selector (B1) that every THIDUA_* column takes as
    its last argument, one row per unit (THIDUA_UNITS), the rank of the period and its movement."""
    ws = wb.create_sheet(score_sheet(bloc))
    ranges = BlocRanges(bloc, rows_of[bloc.id], ky=True)
    labels = _score_columns(rubric, bloc, ky=True)
    first, last = 3, 2 + units
    selector = SELECTOR
    ws["C1"] = f"{bloc.label} — {rubric.title} — bộ tiêu chí {rubric.version}"
    ws["C1"].font = Font(name=FONT, bold=True)
    wide = {"Khen thưởng": 32, "Xếp loại": 16, GAP: 30} | ({bloc.group.label: 22} if bloc.group is not None else {})
    widths = [34] + [wide.get(label, 14) for label in labels[1:len(labels) - len(bloc.criteria) - 1]]
    widths[1] = max(widths[1], 22)  # the selector's column: "Lũy kế đến tháng 12/2021" fits
    _header(ws, 2, labels, widths + [40] * (len(bloc.criteria) + 1))
    ws.row_dimensions[2].height = 75
    # no weights: an empty text, not an empty argument (which the headless evaluator reads as 0)
    weights = weights_range(rubric, bloc) if rubric.editable_weights else '""'
    data = f'"{rubric.id}","{bloc.id}",{ranges.data},{ranges.headers}'
    sub = subunit_table(rubric, bloc, rows_of)
    args = f"{data},{weights},{selector}{sub}"
    engine = _EngineColumns(ws, labels, first, last, ranges, units=f"=THIDUA_UNITS({data},{last - first + 1})")
    engine.array("Tổng điểm", f"=THIDUA_SCORE({args})")
    total = get_column_letter(labels.index("Tổng điểm") + 1)
    shown_total = f"${total}${first}:${total}${last}"
    # over the shown totals: the engine column holds #N/A below the last unit, which RANK.EQ would spread
    engine.array("Hạng (RANK.EQ)",
                 f'=IF(ISNUMBER({shown_total}),_xlfn.RANK.EQ({shown_total},{shown_total}),"")')
    engine.array(MOVE, f'=THIDUA_TREND({data},{selector},"thay-doi",{weights}{sub})')
    if "Xếp loại" in labels:
        engine.array("Xếp loại", f"=THIDUA_CLASS({args})")
    if "Khen thưởng" in labels:
        engine.array("Khen thưởng", f"=THIDUA_AWARD({args})")
    engine.array(GAP, f'=THIDUA_GAP({data},"hang",{weights},{selector}{sub})')
    engine.array(bloc.criteria[0].label, f"=THIDUA_DETAIL({args})", width=len(bloc.criteria) + 1)
    engine.array(f"Giải thích: {bloc.criteria[0].label}", f"=THIDUA_EXPLAIN({args})",
                 width=len(bloc.criteria) + 1)
    _formats(ws, labels, first, last)
    for r in range(first, last + 1):
        ws.cell(row=r, column=labels.index(MOVE) + 1).alignment = Alignment(horizontal="center", vertical="top")
    period_selector(ws, rubric, bloc, ranges, first)
    _freeze(ws, "B3")
    _stamp(ws, rubric, len(labels), "1:2")


SELECTOR = "$B$1"


def period_selector(ws: Worksheet, rubric: Rubric, bloc: Bloc, ranges: BlocRanges, first: int) -> None:
    """A1 "Kỳ xét:", B1 the period (default "Cả năm"), validated against the periods present in the input
    sheet (THIDUA_PERIODS in hidden columns right of everything, shown through plain copies so any
    spreadsheet lists them)."""
    ws["A1"] = "Kỳ xét (chọn ở ô bên):"
    ws["A1"].font = Font(name=FONT, bold=True)
    ws["A1"].alignment = Alignment(horizontal="right")
    ws["B1"] = PERIOD_CHOICE
    ws["B1"].font = Font(name=FONT, bold=True, color="C00000")
    ws["B1"].fill = PatternFill("solid", fgColor="FFF2CC")
    ws["B1"].border = BOX
    ws["B1"].alignment = Alignment(horizontal="center")
    col = ws.max_column + 2
    engine, flag, shown = (get_column_letter(col + i) for i in range(3))
    last = first + PERIOD_LIST - 1
    ws.cell(row=first - 1, column=col, value="(tính) Các kỳ")
    ws[f"{engine}{first}"] = ArrayFormula(
        f"{engine}{first}:{engine}{last}", f'=THIDUA_PERIODS("{rubric.id}","{bloc.id}",{ranges.data},{ranges.headers})')
    for r in range(first, last + 1):
        ws[f"{flag}{r}"] = f"=IFERROR(LEN({engine}{r})>0,FALSE)"
        ws[f"{shown}{r}"] = f'=IF(${flag}{r},{engine}{r},"")'
    for letter in (engine, flag, shown):
        ws.column_dimensions[letter].hidden = True
    choice = DataValidation(type="list", formula1=f"${shown}${first}:${shown}${last}", allow_blank=True,
                            showErrorMessage=True, errorStyle="warning", errorTitle="Kỳ xét",
                            error="Kỳ không có trong danh sách: nhập 'Cả năm', 'Tháng 3/2021', 'Quý I/2021', "
                                  "'Lũy kế đến tháng 3/2021' hoặc 2021-03.",
                            showInputMessage=True, promptTitle="Kỳ xét",
                            prompt="Chọn kỳ: cả năm, một tháng, một quý hoặc lũy kế đến một tháng.")
    ws.add_data_validation(choice)
    choice.add(SELECTOR.replace("$", ""))


def year_of(figures: Mapping[str, pd.DataFrame]) -> int | None:
    """The latest year the figures' "Kỳ" cells name (None: no readable month)."""
    years = [found[1].year for table in figures.values() if (column := ky_column(table)) is not None
             for cell in table[column].tolist() if (found := read_cell(cell)) is not None]
    return max(years) if years else None


def unit_count(figures: pd.DataFrame | None, bloc: Bloc) -> int:
    """How many units a table kept by month names (each once, names compared folded)."""
    if figures is None or figures.empty:
        return 0
    unit = next((h for h, fid in map_headers(bloc, figures.columns).items() if fid == "don_vi"), figures.columns[0])
    return len({fold(n) for n in figures[unit].tolist() if n is not None and str(n).strip()})
