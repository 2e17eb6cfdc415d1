"""A workbook per plan that a secretary can use on day one.

Sheets: "Hướng dẫn" (what to fill, where figures come from, the plan's rules in
brief), per bloc an input sheet (an Excel table with the plan's columns and data
validation, pre-filled with the example units) and a scoring sheet whose cells
call =THIDUA_SCORE / =THIDUA_RANK / =THIDUA_DETAIL …, and for plans with
editable weights a "Trọng số" sheet. The rubric version is stamped on every
sheet so a workbook always says which rules produced its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .. import example_data, rubrics
from ..cells import put
from ..periods import ky_column
from ..rubric import Bloc, Kind, Ratio, Rubric
from ..tables import atomic_write
from ..validation import map_headers
from ..vn import fmt_money_full, fmt_number
from .layout import (
    GUIDE,
    KY,
    PLAN_CELL,
    SPARE_ROWS,
    VERSION_CELL,
    WEIGHTS,
    BlocRanges,
    blend_of,
    input_columns,
    input_headers,
    input_letter,
    input_sheet,
    quoted,
    score_sheet,
    weights_range,
    weights_rows,
)
from .printing import print_setup
from .recalc import save_live

FONT = "Times New Roman"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _header(ws: Worksheet, row: int, values: list[str], widths: list[float] | None = None) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if widths:
            ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]


def _freeze(ws: Worksheet, cell: str) -> None:
    """Freeze panes with explicit selections, so the sheet XML is the same after Excel or openpyxl re-saves it."""
    ws.freeze_panes = cell
    ws.column_dimensions.max_outline = 0  # what openpyxl writes after a round trip
    for selection in ws.sheet_view.selection:
        selection.activeCell = selection.activeCell or "A1"
        selection.sqref = selection.sqref or "A1"


def _stamp(ws: Worksheet, rubric: Rubric, columns: int, title_rows: str | None = None) -> None:
    """Print setup (A4 landscape, one page wide, header rows and unit names repeated) with the rubric version on
    every page."""
    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    widths = [ws.column_dimensions[x].width or 8.43 for x in letters]
    print_setup(ws, rubric.version, f"A1:{letters[-1]}{ws.max_row}", widths, landscape=True, title_rows=title_rows,
                title_cols="A:A" if title_rows else None)


# ---------------------------------------------------------------- guide sheet
def _guide(wb: Workbook, rubric: Rubric, rows_by_bloc: Mapping[str, int], ky: bool = False) -> None:
    ws = wb.active
    ws.title = GUIDE
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 70
    for col in "CDEF":
        ws.column_dimensions[col].width = 22
    lines: list[tuple[str, object]] = [
        (rubric.title, ""),
        ("Cơ quan ban hành", rubric.issuer),
        ("Mã kế hoạch", rubric.id),
        ("Phiên bản bộ tiêu chí", rubric.version),
        ("Văn bản gốc", rubric.source),
        ("", ""),
        ("Cách dùng", "1. Dán số liệu từng tháng vào các sheet 'Số liệu …' (mỗi dòng một đơn vị; giữ nguyên dòng "
                      "tiêu đề). Tỷ lệ nhập 85 hoặc 0,85 hoặc 85% — thống nhất trong một cột."),
        ("", "2. Sheet 'Điểm …' tự tính bằng =THIDUA_SCORE, =THIDUA_RANK, =THIDUA_DETAIL (Excel có xlwings) "
             "hoặc chạy 'thidua-xl recalc' khi không có Excel."),
        ("", "3. Nút 'Tạo bảng khen thưởng' (tab Thi đua) hoặc 'thidua-xl awards' lập danh sách đề nghị khen "
             "thưởng; không sheet số liệu nào bị sửa."),
    ]
    if ky:
        lines.append(("Sổ theo tháng", MONTHLY_GUIDE))
    for note in rubric.notes:
        lines.append(("Lưu ý", note))
    for i, (a, b) in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=a).font = Font(name=FONT, bold=bool(a))
        ws.cell(row=i, column=2, value=b).font = Font(name=FONT)
        ws.cell(row=i, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    row = len(lines) + 2
    for bloc in rubric.blocs:
        row = _guide_bloc(ws, rubric, bloc, row, rows_by_bloc[bloc.id], ky) + 1
    for scheme in rubric.awards:
        ws.cell(row=row, column=1, value=f"Khen thưởng: {scheme.label}").font = Font(name=FONT, bold=True)
        ws.cell(row=row, column=2, value=f"{scheme.clause}. {scheme.note}".strip()).font = Font(name=FONT)
        row += 1
        for tier in scheme.tiers:
            text = (f"{tier.count} suất" + (f", từ {fmt_number(tier.min_score)} điểm" if tier.min_score else "")
                    + (f", {fmt_money_full(tier.prize)}" if tier.prize else "")
                    + (f", cộng {fmt_number(tier.bonus_points)} điểm thi đua" if tier.bonus_points else "")
                    + (f", {tier.individuals} cá nhân" if tier.individuals else "")
                    + (f" — {tier.level}" if tier.level else ""))
            ws.cell(row=row, column=1, value=tier.name).font = Font(name=FONT)
            ws.cell(row=row, column=2, value=text).font = Font(name=FONT)
            row += 1
        if scheme.per_group_cap:
            ws.cell(row=row, column=2, value=f"Mỗi đơn vị cấp trên không quá {scheme.per_group_cap} đơn vị "
                                             "được khen.").font = Font(name=FONT)
            row += 1
        for group, quota in scheme.individual_quotas:
            ws.cell(row=row, column=1, value=group).font = Font(name=FONT)
            ws.cell(row=row, column=2, value=f"{quota} cá nhân").font = Font(name=FONT)
            row += 1
        row += 1
    _stamp(ws, rubric, 6)


def _guide_bloc(ws: Worksheet, rubric: Rubric, bloc: Bloc, row: int, rows: int, ky: bool = False) -> int:
    ws.cell(row=row, column=1, value=f"Khối: {bloc.label}").font = Font(name=FONT, bold=True, size=12)
    row += 1
    _header(ws, row, ["Tiêu chí", "Cách chấm", "Điểm chuẩn", "Căn cứ", "Ghi chú"])
    row += 1
    for c in bloc.criteria:
        values = [c.label, c.rule.describe(c.max_points), c.max_points, c.clause, c.note]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = Font(name=FONT)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BOX
        row += 1
    for cond in bloc.eligibility:
        ws.cell(row=row, column=1, value="Điều kiện xét").font = Font(name=FONT, italic=True)
        ws.cell(row=row, column=2, value=f"{cond.reason} — {cond.clause}").font = Font(name=FONT)
        row += 1
    for tb in bloc.tiebreaks:
        ws.cell(row=row, column=1, value="Khi bằng điểm").font = Font(name=FONT, italic=True)
        ws.cell(row=row, column=2, value=f"{tb.label} — {tb.clause}").font = Font(name=FONT)
        row += 1
    sheet = quoted(score_sheet(bloc))
    labels = _score_columns(rubric, bloc, ky)
    # Kept by month, the engine column holds #N/A below the last unit (the period functions give one row per
    # unit): the summary reads the shown totals instead, blank there.
    shift = 0 if ky else _EngineColumns.offset_for(labels)
    unit, tot = "A", get_column_letter(labels.index("Tổng điểm") + 1 + shift)
    units = f"{sheet}!${unit}$3:${unit}${2 + rows}"
    totals = f"{sheet}!${tot}$3:${tot}${2 + rows}"
    summary = [
        ("Số đơn vị đã chấm điểm", f"=COUNT({totals})"),
        ("Điểm cao nhất", f"=MAX({totals})"),
        ("Đơn vị dẫn đầu", f"=INDEX({units},MATCH(MAX({totals}),{totals},0))"),
        ("Tổng điểm cả khối", f"=SUM({totals})"),
    ]
    for label, formula in summary:
        ws.cell(row=row, column=1, value=label).font = Font(name=FONT, italic=True)
        ws.cell(row=row, column=2, value=formula).font = Font(name=FONT)
        if label in ("Điểm cao nhất", "Tổng điểm cả khối"):
            ws.cell(row=row, column=2).number_format = "0.00"
            ws.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        row += 1
    return row


# -------------------------------------------------------------- weights sheet
def _weights(wb: Workbook, rubric: Rubric) -> None:
    ws = wb.create_sheet(WEIGHTS)
    ws["A1"] = rubric.weights_note or ("Điểm chuẩn từng nội dung — sửa cột 'Điểm chuẩn' theo phụ lục thang điểm "
                                       "của Kế hoạch. Mặc định chia đều vì phụ lục không kèm theo Kế hoạch.")
    ws["A1"].font = Font(name=FONT, italic=True)
    _header(ws, 2, ["Mã tiêu chí", "Điểm chuẩn", "Nội dung", "Khối", "Ngưỡng điểm tối đa", "Căn cứ", "",
                    "Xếp loại", "Từ điểm"], [12, 12, 90, 30, 14, 60, 2, 14, 10])
    positions = weights_rows(rubric)
    for bloc in rubric.blocs:
        first, last = positions[bloc.id]
        for row, (low, name) in zip(range(first, last + 1), bloc.bands.bands if bloc.bands else (), strict=False):
            ws.cell(row=row, column=8, value=name).font = Font(name=FONT)   # a cut-off the council may change
            ws.cell(row=row, column=9, value=low).font = Font(name=FONT)
        for row, c in zip(range(first, last + 1), bloc.criteria, strict=True):
            # 15 significant digits, as every spreadsheet stores them: a default of 100/12 written in full
            # would come back changed after any save and move an explanation's rounding.
            weight = float(f"{c.max_points:.15g}")
            threshold = getattr(c.rule, "full_at", None)  # rate rules: editable full-marks threshold
            for col, value in enumerate([c.id, weight, c.label, bloc.label, threshold, c.note], start=1):
                ws.cell(row=row, column=col, value=value).font = Font(name=FONT)
            ws.cell(row=row, column=5).number_format = "0%"
        ws.cell(row=last + 1, column=1, value="Tổng").font = Font(name=FONT, bold=True)
        ws.cell(row=last + 1, column=2, value=f"=SUM(B{first}:B{last})").font = Font(name=FONT, bold=True)
    check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
                           showErrorMessage=True, errorTitle="Trọng số", error="Điểm chuẩn là số không âm.")
    ws.add_data_validation(check)
    check.add(f"B3:B{max(last for _, last in positions.values())}")
    _stamp(ws, rubric, 4, "2:2")


# ---------------------------------------------------------------- input sheet
def _validation_for(kind: Kind) -> DataValidation | None:
    if kind is Kind.RATE:
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                              showErrorMessage=True, errorTitle="Tỷ lệ",
                              error="Tỷ lệ từ 0 đến 100 (85 hoặc 0,85 hoặc 85%).")
    if kind is Kind.COUNT:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorTitle="Số lượng", error="Nhập số nguyên không âm.")
    if kind is Kind.YES_NO:
        return DataValidation(type="list", formula1='"có,không"', allow_blank=True, showErrorMessage=True,
                              errorTitle="Có/không", error="Chọn 'có' hoặc 'không'.")
    return None


def _input(wb: Workbook, rubric: Rubric, bloc: Bloc, figures: pd.DataFrame, rows: Mapping[str, int],
           ky: bool = False) -> None:
    ws = wb.create_sheet(input_sheet(bloc))
    columns = input_columns(bloc, ky)
    headers = input_headers(bloc, ky)
    _header(ws, 1, headers, [34] + [18] * (len(headers) - 1))
    ws.row_dimensions[1].height = 60
    mapping = map_headers(bloc, figures.columns)
    by_id = {v: k for k, v in mapping.items()}
    if ky and (found := ky_column(figures)) is not None:
        by_id[KY.id] = found
    blend = blend_of(bloc)
    for col, figure in enumerate(columns, start=1):
        key = "don_vi" if figure is None else figure.id
        if figure is KY:
            _ky_column(ws, col, 1 + rows[bloc.id])
        if blend is not None and figure is not None and figure.id == blend.subunit_mean:
            if not ky:  # kept by month, the functions compute it from the sub-unit sheet over the period chosen
                _blend_formulas(ws, rubric, bloc, col, rows)
            continue
        if key not in by_id:
            continue
        for row, value in enumerate(figures[by_id[key]].tolist(), start=2):
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                put(ws.cell(row=row, column=col), value)
    last_col = get_column_letter(len(columns))
    table = Table(displayName=f"SoLieu_{bloc.id}", ref=f"A1:{last_col}{1 + rows[bloc.id]}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    # Named here, not by openpyxl's writer (which creates every cell of the table's range to read the header):
    # a book saved again after loading then has exactly the same sheet.
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    ws.add_table(table)
    for col, figure in enumerate(columns, start=1):
        # a figure that may be "không áp dụng" takes that text: no numeric validation on its column
        dv = _validation_for(figure.kind) if figure is not None and not figure.may_not_apply else None
        if dv is not None:
            ws.add_data_validation(dv)
            letter = get_column_letter(col)
            dv.add(f"{letter}2:{letter}{1 + rows[bloc.id]}")
    _freeze(ws, "C2" if ky else "B2")
    _stamp(ws, rubric, len(columns), "1:1")


def _ky_column(ws: Worksheet, col: int, last: int) -> None:
    """The month column: text cells (a typed 2021-03 stays a month, not a date) and a prompt saying how."""
    letter = get_column_letter(col)
    ws.column_dimensions[letter].width = 12
    for row in range(2, last + 1):
        ws.cell(row=row, column=col).number_format = "@"
    hint = DataValidation(allow_blank=True, showInputMessage=True, promptTitle="Kỳ",
                          prompt="Tháng của dòng: 2021-03 (hoặc 03/2021, T3/2021); 2023-12-15 cho số liệu từ đầu "
                                 "tháng đến ngày đó.")
    ws.add_data_validation(hint)
    hint.add(f"{letter}2:{letter}{last}")


def _blend_formulas(ws: Worksheet, rubric: Rubric, bloc: Bloc, col: int, rows: Mapping[str, int]) -> None:
    """The sub-unit mean (e.g. bình quân các xã) computed by the engine from the sub-unit input sheet, one plain
    formula per row (an Excel table cannot hold an array formula). A native AVERAGEIF would compare names
    code point by code point: a huyện typed in another Unicode form on the xã sheet would lose its mean."""
    blend = blend_of(bloc)
    assert blend is not None
    sub = BlocRanges(rubric.bloc(blend.subunit_bloc), rows[blend.subunit_bloc])
    for row in range(2, 2 + rows[bloc.id]):
        mean = f'THIDUA_MEAN("{rubric.id}","{bloc.id}",A{row},{sub.data},{sub.headers})'
        ws.cell(row=row, column=col, value=f'=IF(A{row}="","",{mean})')


# -------------------------------------------------------------- scoring sheet
def _helpers(rubric: Rubric, bloc: Bloc) -> list[Ratio]:
    """Derived ratios the sheet needs as helper columns: tie-break figures and blended sub-unit rates."""
    wanted = {tb.figure for tb in bloc.tiebreaks}
    for other in rubric.blocs:
        blend = blend_of(other)
        if blend is not None and blend.subunit_bloc == bloc.id:
            wanted.add(blend.subunit_figure)
    return [d for d in bloc.derived if isinstance(d, Ratio) and d.id in wanted]


GAP = "Cần gì để lên hạng"
MONTHLY_SUFFIX = "-theo-thang"  # workbooks/<plan>-theo-thang.xlsx: the template kept by month
MONTHLY_GUIDE = ("Mỗi dòng của sheet 'Số liệu …' là số liệu một đơn vị trong một tháng (cột 'Kỳ', ví dụ 2021-03; "
                 "tháng mới dán tiếp bên dưới). Ô B1 của mỗi sheet 'Điểm …' chọn kỳ xét: Cả năm, một tháng, một quý "
                 "hoặc lũy kế đến một tháng; sheet 'Theo dõi theo tháng' cho điểm, hạng và thay đổi hạng từng tháng.")


MOVE = "Thay đổi hạng"


def _score_columns(rubric: Rubric, bloc: Bloc, ky: bool = False) -> list[str]:
    """The scoring sheet's columns. Kept by month, the rank is the engine's rank of the period chosen, with
    its movement since the period before; tie-break helpers (per input row) do not apply."""
    cols = ["Đơn vị"] + ([bloc.group.label] if bloc.group is not None else [])
    cols += ["Tổng điểm", "Hạng (RANK.EQ)", MOVE] if ky else ["Tổng điểm", "Hạng (tiêu chí phụ)", "Hạng (RANK.EQ)"]
    if bloc.bands is not None:
        cols.append("Xếp loại")
    if any(len(s.blocs) == 1 for s in rubric.schemes_for(bloc.id)):
        cols.append("Khen thưởng")
    cols.append(GAP)
    cols += [c.label for c in bloc.criteria] + ["Tổng (chi tiết)"]
    cols += [] if ky else [f"[phụ] {d.label}" for d in _helpers(rubric, bloc)]
    cols += [f"Giải thích: {c.label}" for c in bloc.criteria] + ["Kết luận"]
    return cols


def _helper_letter(rubric: Rubric, bloc: Bloc, ratio_id: str) -> str:
    labels = _score_columns(rubric, bloc)
    label = f"[phụ] {bloc.label_of(ratio_id)}"
    return get_column_letter(labels.index(label) + 1)


def _score(wb: Workbook, rubric: Rubric, bloc: Bloc, rows: int) -> None:
    ws = wb.create_sheet(score_sheet(bloc))
    ranges = BlocRanges(bloc, rows)
    labels = _score_columns(rubric, bloc)
    ws["A1"] = f"{bloc.label} — {rubric.title} — bộ tiêu chí {rubric.version}"
    ws["A1"].font = Font(name=FONT, bold=True)
    wide = {"Khen thưởng": 32, "Xếp loại": 16, GAP: 30} | ({bloc.group.label: 22} if bloc.group is not None else {})
    widths = [34] + [wide.get(label, 14) for label in labels[1:len(labels) - len(bloc.criteria) - 1]]
    _header(ws, 2, labels, widths + [40] * (len(bloc.criteria) + 1))
    ws.row_dimensions[2].height = 75
    first, last = 3, 2 + rows
    letter = {label: get_column_letter(i + 1) for i, label in enumerate(labels)}
    src = quoted(input_sheet(bloc))
    # One array formula per column (not one formula per row): Excel and the headless engine
    # both evaluate a column in one go, and a 10,000-unit sheet stays small.
    for col in ("A", "B") if bloc.group is not None else ("A",):
        source = f"{src}!{col}2:{col}{last - 1}"
        ws[f"{col}{first}"] = ArrayFormula(f"{col}{first}:{col}{last}", f'=IF({source}="","",{source})')
    weights = f",{weights_range(rubric, bloc)}" if rubric.editable_weights else ""
    args = f'"{rubric.id}","{bloc.id}",{ranges.data},{ranges.headers}{weights}'
    engine = _EngineColumns(ws, labels, first, last, ranges)
    engine.array("Tổng điểm", f"=THIDUA_SCORE({args})")
    total = engine.range("Tổng điểm")  # formulas read the engine columns, never the shown copies
    tiebreaks = []
    for tb in bloc.tiebreaks:
        helper = f"[phụ] {bloc.label_of(tb.figure)}"
        tiebreaks.append(f"${letter[helper]}${first}:${letter[helper]}${last}" if helper in letter
                         else ranges.column(tb.figure))
    rank_args = total + ("," + total + "," + ",".join(tiebreaks) if tiebreaks else "")
    engine.array("Hạng (tiêu chí phụ)", f"=THIDUA_RANK({rank_args})")
    engine.array("Hạng (RANK.EQ)", f'=IF(ISNUMBER({total}),_xlfn.RANK.EQ({total},{total}),"")')
    if "Xếp loại" in letter:
        engine.array("Xếp loại", f"=THIDUA_CLASS({args})")
    if "Khen thưởng" in letter:
        engine.array("Khen thưởng", f"=THIDUA_AWARD({args})")
    # What it takes to pass the unit just above (tie-breaks included): one sentence per unit (issue 17).
    engine.array(GAP, f'=THIDUA_GAP("{rubric.id}","{bloc.id}",{ranges.data},{ranges.headers},"hang"{weights})')
    engine.array(bloc.criteria[0].label, f"=THIDUA_DETAIL({args})", width=len(bloc.criteria) + 1)
    for d in _helpers(rubric, bloc):
        col = letter[f"[phụ] {d.label}"]
        num, den = input_letter(bloc, d.numerator), input_letter(bloc, d.denominator)
        for r in range(first, last + 1):
            ws[f"{col}{r}"] = (f'=IF(OR({src}!{num}{r - 1}="",{src}!{den}{r - 1}=""),"",'
                               f'IFERROR({src}!{num}{r - 1}/{src}!{den}{r - 1},""))')
    # One explanation cell per criterion: classic Excel turns a whole UDF array into #VALUE! when one
    # string in it exceeds 255 characters, and a unit's full explanation is longer than that.
    engine.array(f"Giải thích: {bloc.criteria[0].label}", f"=THIDUA_EXPLAIN({args})",
                 width=len(bloc.criteria) + 1)
    _formats(ws, labels, first, last)
    _freeze(ws, "B3")
    _stamp(ws, rubric, len(labels), "1:2")


def _formats(ws: Worksheet, labels: list[str], first: int, last: int) -> None:
    """Points at two decimals, ranks as whole numbers, helper ratios as percentages, texts wrapped; all at the
    top of their row, level with the first line of the explanations."""
    text = {"Đơn vị", "Xếp loại", "Khen thưởng", GAP, MOVE, labels[1] if labels[1] != "Tổng điểm" else "Đơn vị"}
    for col, label in enumerate(labels, start=1):
        wrap = label in text or label.startswith(("Giải thích: ", "Kết luận"))
        number = (None if wrap else "0.00%" if label.startswith("[phụ] ") else "0" if label.startswith("Hạng")
                  else "0.00")
        for r in range(first, last + 1):
            cell = ws.cell(row=r, column=col)
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if number:
                cell.number_format = number


class _EngineColumns:
    """THIDUA_* array formulas in hidden columns right of the table, shown through plain references.

    A spreadsheet always recomputes array formulas on open (LibreOffice ignores their stored results) and
    shows #NAME? without the add-in; a plain formula keeps its stored result. So each visible cell is
    ``=<engine cell>`` and carries the engine's value, while the array formulas themselves (one call per
    column, as Excel with the add-in needs) sit in the hidden columns, labelled, next to the table. An
    empty stored text counts as no stored result, so a row without figures shows "" through a flag column
    (does the input row hold anything?) instead of asking the engine.
    """

    def __init__(self, ws: Worksheet, labels: list[str], first: int, last: int, ranges: BlocRanges,
                 units: str | None = None):
        self.ws, self.labels, self.first, self.last = ws, labels, first, last
        self.offset = self.offset_for(labels)
        self.flag = get_column_letter(1 + self.offset)
        self._hide(1, "(tính) Dòng có số liệu")
        if units is not None:
            self._units(units, ranges.bloc)
            return
        sheet = quoted(input_sheet(ranges.bloc))
        for r in range(first, last + 1):
            # Not COUNTA: it counts a formula giving "" (the district mean of an empty row) as data.
            width = len(input_columns(ranges.bloc))
            ws[f"{self.flag}{r}"] = f"=COUNTBLANK({sheet}!A{r - 1}:{ranges.last_col}{r - 1})<{width}"

    def _units(self, formula: str, bloc: Bloc) -> None:
        """Kept by month, a row is a unit (THIDUA_UNITS, with its group) rather than an input row: the units
        sit in hidden columns after the engine columns and the flag says whether the row has one."""
        width = 2 if bloc.group is not None else 1
        col = len(self.labels) + 1 + self.offset
        start, end = get_column_letter(col), get_column_letter(col + width - 1)
        self.ws[f"{start}{self.first}"] = ArrayFormula(f"{start}{self.first}:{end}{self.last}", formula)
        for k in range(width):
            hidden = get_column_letter(col + k)
            self.ws.cell(row=2, column=col + k, value=f"(tính) {self.labels[k]}")
            self.ws.column_dimensions[hidden].hidden = True
            self.ws.column_dimensions[hidden].outlineLevel = 1
            for r in range(self.first, self.last + 1):
                self.ws[f"{get_column_letter(k + 1)}{r}"] = f'=IF(${self.flag}{r},{hidden}{r},"")'
        for r in range(self.first, self.last + 1):
            self.ws[f"{self.flag}{r}"] = f"=IFERROR(LEN({start}{r})>0,FALSE)"

    def _hide(self, col: int, label: str) -> str:
        letter = get_column_letter(col + self.offset)
        self.ws.cell(row=2, column=col + self.offset, value=label)
        self.ws.column_dimensions[letter].hidden = True
        self.ws.column_dimensions[letter].outlineLevel = 1
        return letter

    @staticmethod
    def offset_for(labels: list[str]) -> int:
        return len(labels) + 1  # one empty column between the table and the engine columns

    def range(self, label: str) -> str:
        """The absolute range of an engine column (what other formulas should read)."""
        letter = get_column_letter(self.labels.index(label) + 1 + self.offset)
        return f"${letter}${self.first}:${letter}${self.last}"

    def array(self, label: str, formula: str, width: int = 1) -> None:
        start = self.labels.index(label) + 1
        engine = get_column_letter(start + self.offset)
        end = get_column_letter(start + self.offset + width - 1)
        self.ws[f"{engine}{self.first}"] = ArrayFormula(f"{engine}{self.first}:{end}{self.last}", formula)
        for col in range(start, start + width):
            hidden = self._hide(col, f"(tính) {self.labels[col - 1]}")
            visible = get_column_letter(col)
            for r in range(self.first, self.last + 1):
                self.ws[f"{visible}{r}"] = f'=IF(${self.flag}{r},{hidden}{r},"")'


# -------------------------------------------------------------------- builder
def build_template(rubric: Rubric | str, figures: Mapping[str, pd.DataFrame] | None = None,
                   spare_rows: int = SPARE_ROWS, *, by_month: bool = False) -> Workbook:
    """The workbook for a plan, pre-filled with ``figures`` (default: the bundled example).

    ``by_month`` (or figures with a "Kỳ" column): a book kept by month — one input row per unit and month,
    a period selector on each scoring sheet and the "Theo dõi theo tháng" sheet (default figures: the
    bundled 12 months)."""
    from .by_month import score_sheet_by_month, unit_count, year_of  # they build on this module's helpers

    rubric = rubrics.get(rubric) if isinstance(rubric, str) else rubric
    if figures is None:
        figures = example_data.load(rubric.id, months=by_month)
    figures = dict(figures)
    ky = by_month or any(ky_column(f) is not None for f in figures.values())
    rows = {b.id: len(figures.get(b.id, ())) + spare_rows for b in rubric.blocs}
    scored = {b.id: unit_count(figures.get(b.id), b) + spare_rows for b in rubric.blocs} if ky else rows
    wb = Workbook()
    wb._named_styles["Normal"].font = Font(name=FONT, size=12)  # every cell defaults to Times New Roman
    _guide(wb, rubric, scored, ky)
    ws = wb[GUIDE]
    ws[PLAN_CELL], ws[VERSION_CELL] = rubric.id, rubric.version
    if rubric.editable_weights:
        _weights(wb, rubric)
    empty = pd.DataFrame()
    for bloc in rubric.blocs:
        _input(wb, rubric, bloc, figures.get(bloc.id, empty), rows, ky)
    for bloc in rubric.blocs:
        if ky:
            score_sheet_by_month(wb, rubric, bloc, rows, scored[bloc.id])
        else:
            _score(wb, rubric, bloc, rows[bloc.id])
    if ky:
        from .monthly import write_tracking_sheet

        write_tracking_sheet(wb, rubric, rows, {b.id: scored[b.id] - spare_rows for b in rubric.blocs},
                             year_of(figures))
    wb.properties.title = rubric.title
    wb.properties.keywords = rubric.version
    wb.properties.creator = "thidua_xl"
    return wb


def write_template(plan_id: str, path: str | Path, figures: Mapping[str, pd.DataFrame] | None = None, *,
                   by_month: bool = False) -> Path:
    wb = build_template(plan_id, figures, by_month=by_month)
    return atomic_write(path, lambda tmp: save_live(wb, tmp))


def template_path(plan_id: str, folder: str | Path = "workbooks", *, by_month: bool = False) -> Path:
    return Path(folder) / f"{plan_id}{MONTHLY_SUFFIX if by_month else ''}.xlsx"
