"""Print setup shared by every sheet a person prints: A4, one page wide, headers repeated, blocks kept whole.

A spreadsheet breaks pages where the height runs out, which can cut a chart or
leave "(Ký tên, đóng dấu)" alone on the next page. We estimate where pages
end (A4 less the margins, at the scale that fits the columns to the width,
with a safety margin so the estimate errs towards an earlier break) and put
a manual break before any block that would straddle one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from .reading import is_formula

A4 = (595.3, 841.9)  # points
MARGIN = 0.5  # inches, left/right
TOP = BOTTOM = 0.75  # inches, leaves room for the header and footer lines
ROW_POINTS = 16.0  # a default row in Times New Roman 12, rounded up
CHAR_PIXELS = 8  # width of one character unit in the workbook's font at 96 dpi, rounded up
SAFETY = 0.9
SMALLEST_SCALE = 0.35  # below this a printed table cannot be read: wider tables go on more pages across


def print_setup(ws: Worksheet, version: str, area: str, widths: Sequence[float], *, landscape: bool,
                title_rows: str | None = None, title_cols: str | None = None) -> None:
    """A4, fit to one page wide (as many pages down as needed), rubric version and page numbers printed.

    A table too wide to read at half size (a plan with twenty criteria and their explanations) is fitted to
    as few pages across as keep it at SMALLEST_SCALE or more, with ``title_cols`` (the unit names) on each."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    usable = (A4[1] if landscape else A4[0]) - 2 * MARGIN * 72
    ws.page_setup.fitToWidth = max(1, math.ceil(content_width(widths) * SMALLEST_SCALE / usable))
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_margins.top, ws.page_margins.bottom = TOP, BOTTOM
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols and ws.page_setup.fitToWidth > 1:
        ws.print_title_cols = title_cols
    ws.oddHeader.right.text = f"Bộ tiêu chí {version}"
    ws.oddFooter.center.text = "Trang &P/&N"


def page_points(widths: Sequence[float], *, landscape: bool) -> float:
    """How many points of rows (at 100 %) fit on one page once the columns are scaled to the page width."""
    width, height = (A4[1], A4[0]) if landscape else A4
    usable_width = width - 2 * MARGIN * 72
    usable_height = height - (TOP + BOTTOM) * 72
    content = content_width(widths)
    scale = min(1.0, usable_width / content) if content else 1.0
    return usable_height / scale * SAFETY


def content_width(widths: Sequence[float]) -> float:
    """The printed width of columns (in character units) in points, at 100 %."""
    return sum((w * CHAR_PIXELS + 5) * 0.75 for w in widths if w)


def row_height(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or ROW_POINTS


def keep_whole(ws: Worksheet, blocks: Sequence[tuple[int, int]], last: int, widths: Sequence[float], *,
               landscape: bool) -> list[int]:
    """Manual page breaks so that no block (first row, last row) straddles a page; returns the rows a new page
    starts at."""
    capacity = page_points(widths, landscape=landscape)
    starts = {first: end for first, end in blocks}
    breaks: list[int] = []
    used, row = 0.0, 1
    while row <= last:
        end = starts.get(row, row)
        height = sum(row_height(ws, r) for r in range(row, end + 1))
        if used and used + height > capacity:
            breaks.append(row)
            used = 0.0
        used += height
        row = end + 1
    ws.row_breaks = RowBreak()
    for start in breaks:
        ws.row_breaks.append(Break(id=start - 1))
    return breaks


LINE_POINTS = 15.0  # one wrapped line of 12-point text
CHARS_PER_UNIT = 1.0  # Vietnamese text in Times New Roman: characters per column-width unit


def fit_wrapped_rows(wb, values: Mapping[tuple[str, str], object]) -> None:
    """Give rows holding wrapped text the height of their longest text, computed values included.

    LibreOffice does not auto-fit rows of a file written by openpyxl, so a wrapped explanation would print
    as its last line. Only rows without a height, or with one set here before (a whole number of lines),
    are sized: a height a person chose is kept."""
    for ws in wb.worksheets:
        key = ws.title.upper()
        by_row: dict[int, list] = {}
        for cell in ws._cells.values():  # the cells that exist (iter_rows would create every gap)
            by_row.setdefault(cell.row, []).append(cell)
        for number in sorted(set(by_row) | set(ws.row_dimensions)):
            current = ws.row_dimensions[number].height
            if current is not None and current % LINE_POINTS:
                continue
            lines = 1
            for cell in by_row.get(number, ()):
                if not (cell.has_style and cell.alignment.wrap_text):
                    continue
                text = values.get((key, cell.coordinate)) if is_formula(cell.value) else cell.value
                if not isinstance(text, str) or not text:
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                per_line = max(int(width * CHARS_PER_UNIT), 1)
                lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line) for part in text.split("\n")))
            wanted = LINE_POINTS * lines if lines > 1 else None
            if wanted != current and not (wanted is None and current == LINE_POINTS):
                ws.row_dimensions[number].height = wanted
