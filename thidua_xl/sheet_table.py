"""One worksheet as a table, built from the cells that exist — not from the sheet's declared size.

Why: a sheet touched at XFD1 or A1048576 (a stray space, a format dragged to the end) declares a
16,384 × 1,048,576 range; reading it as a rectangle takes minutes and gigabytes (pandas does). Here the
sheet XML is streamed once (openpyxl's own parser, read-only) and only non-blank cells are kept, so time
and memory follow the cells present. Headers are kept as written, repeated ones included (validation
compares repeated columns instead of silently using one), and nothing is converted: a number too large
for a float stays what openpyxl read, for validation to refuse with the unit and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


UNCOMPUTED = "\x00uncomputed"  # value of a formula cell saved without its result (never a real cell text)


def sparse_rows(ws, wb) -> Iterator[tuple[int, list[dict[str, object]]]]:
    """(row number, the row's cells as openpyxl's parser gives them) for every row present in the XML of a
    read-only sheet; cells absent from the file are never made up. Reading values (``data_only``), a formula
    cell saved without its result has the value :data:`UNCOMPUTED` rather than looking blank."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if self.data_only and cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = UNCOMPUTED
            return cell

    with ws._get_source() as src:
        parser = Parser(src, ws._shared_strings, data_only=wb.data_only, epoch=wb.epoch,
                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        yield from parser.parse()


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """The sheet's table: the first row holding anything is the header; blank rows and columns are dropped.

    A formula cell saved without its result (a book written by a program, never opened in Excel) is read as
    blank and listed in ``attrs["uncomputed"]`` so the command can say which cells it read that way."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows: dict[int, dict[int, object]] = {}
        uncomputed: list[str] = []
        for idx, cells in sparse_rows(wb[sheet], wb):
            for c in cells:
                if c["value"] == UNCOMPUTED:
                    uncomputed.append(f"{get_column_letter(c['column'])}{idx}")
            kept = {c["column"]: c["value"] for c in cells if not _blank(c["value"]) and c["value"] != UNCOMPUTED}
            if kept:
                rows[idx] = kept
    finally:
        wb.close()
    if not rows:
        return pd.DataFrame()
    order = sorted(rows)
    header_row = rows[order[0]]
    columns = sorted({col for cells in rows.values() for col in cells})
    headers = [str(header_row[c]) if c in header_row else f"(cột {c} không tên)" for c in columns]
    body = [[rows[r].get(c) for c in columns] for r in order[1:]]
    table = pd.DataFrame(body, columns=headers, dtype=object)
    table.attrs["uncomputed"] = uncomputed  # formula cells read as blank: the command says so
    return table


def check_extent(path: Path, limit: int = 2_000_000, cells: Iterable[tuple[str, Iterable[tuple[int, int]]]] | None = None
                 ) -> None:
    """Refuse a workbook whose cells span more than ``limit`` cells (rows × columns) in some sheet they fill
    less than half of — a stray cell at XFD1048576 — naming the sheet and that cell, since commands that load
    the whole book would walk the whole rectangle. Streams each sheet once; blank but formatted cells count (openpyxl loads them).
    ``cells``: per sheet title, the (row, column) of every cell, when the book is already read."""
    if cells is not None:
        for title, positions in cells:
            _refuse_far(path, title, positions, limit)
        return
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            if hasattr(ws, "_get_source"):
                _refuse_far(path, ws.title, ((idx, c["column"]) for idx, cells in sparse_rows(ws, wb) for c in cells),
                            limit)
    finally:
        wb.close()


def _refuse_far(path: Path, title: str, positions: Iterable[tuple[int, int]], limit: int) -> None:
    from openpyxl.utils import get_column_letter

    from .tables import TableError

    lowest, widest = (0, 0), (0, 0)  # (row, column) of the cell farthest down / farthest right
    count = 0
    for idx, column in positions:
        count += 1
        if idx > lowest[0]:
            lowest = (idx, column)
        if column > widest[1]:
            widest = (idx, column)
    # A sheet at least half full is data (a 50,000-unit scoring sheet spans 2 million cells), not a stray cell.
    if lowest[0] * widest[1] > max(limit, 2 * count):
        far = dict.fromkeys(f"{get_column_letter(col)}{row}" for row, col in (lowest, widest))
        raise TableError(
            f"Sổ '{path.name}', sheet '{title}': có ô ở rất xa vùng số liệu ({', '.join(far)}), làm "
            f"sheet rộng tới {get_column_letter(widest[1])}{lowest[0]} — quá lớn để xử lý. Hãy mở sổ, bấm "
            "Ctrl+End để tới ô đó, xóa các hàng/cột thừa (kể cả ô chỉ có định dạng) rồi lưu lại.")
