"""Excel ranges (lists of lists, None for blanks) ↔ engine DataFrames, and cell error texts."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .rubric import Bloc
from .validation import UNIT, map_headers

ERROR_PREFIX = "#THIDUA: "
# Classic Excel turns a UDF's *whole* returned array into #VALUE! when any string in it is longer than
# 255 characters (xlwings issue #456), so no text leaves a worksheet function longer than this.
MAX_CELL_TEXT = 255
MORE_PROBLEMS = " … (còn {n} lỗi nữa — bấm 'Kiểm tra dữ liệu' để xem đủ)"


class UdfError(ValueError):
    """Raised inside a UDF; shown in the cell as ``#THIDUA: message``."""


def text_units(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def fit_text(text: str, limit: int = MAX_CELL_TEXT) -> str:
    """``text`` cut at a word boundary with '…' so that it fits one classic-Excel UDF cell."""
    if text_units(text) <= limit:
        return text
    cut = text[: limit - 1]
    while text_units(cut) > limit - 1:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—-") + "…"


def cell_error(message: object) -> str:
    """'#THIDUA: …' for a cell: the first problems in full (each names unit, column and value), then how
    many more there are — never longer than one cell can carry."""
    text = str(message).strip().replace("\n", "; ")
    if text.startswith(ERROR_PREFIX):
        text = text[len(ERROR_PREFIX):]
    full = f"{ERROR_PREFIX}{text}"
    if text_units(full) <= MAX_CELL_TEXT:
        return full
    parts = [p for p in text.split("; ") if p]
    kept: list[str] = []
    for i, part in enumerate(parts):
        tail = MORE_PROBLEMS.format(n=len(parts) - i - 1) if i < len(parts) - 1 else ""
        candidate = f"{ERROR_PREFIX}{'; '.join([*kept, part])}{tail}"
        if text_units(candidate) > MAX_CELL_TEXT:
            break
        kept.append(part)
    if not kept:
        rest = MORE_PROBLEMS.format(n=len(parts) - 1) if len(parts) > 1 else ""
        return fit_text(f"{ERROR_PREFIX}{parts[0] if parts else text}", MAX_CELL_TEXT - text_units(rest)) + rest
    rest = MORE_PROBLEMS.format(n=len(parts) - len(kept)) if len(kept) < len(parts) else ""
    return f"{ERROR_PREFIX}{'; '.join(kept)}{rest}"


def fit_cells(rows: list[list[object]]) -> list[list[object]]:
    """Every text of a returned array within the classic-Excel limit (errors keep their short form)."""
    for row in rows:
        for j, value in enumerate(row):
            if isinstance(value, str) and text_units(value) > MAX_CELL_TEXT:
                row[j] = cell_error(value) if value.startswith(ERROR_PREFIX) else fit_text(value)
    return rows


def as_2d(value: object) -> list[list[object]]:
    """Whatever Excel passed (scalar, 1-D row, 2-D block) as a 2-D list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        if not value:
            return []
        if all(isinstance(v, list | tuple) for v in value):
            return [list(v) for v in value]
        return [list(value)]
    return [[value]]


def as_column(value: object) -> list[object]:
    """A range of scores (one column or one row) as a flat list."""
    rows = as_2d(value)
    if len(rows) == 1:
        return rows[0]
    return [r[0] if r else None for r in rows]


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def _is_blank_row(row: list[object]) -> bool:
    if row and not _blank(row[0]):  # fast path: a unit name in the first cell
        return False
    return all(_blank(v) for v in row)


def to_frame(bloc: Bloc, figures: object, headers: object = None) -> tuple[pd.DataFrame, list[int], int]:
    """Rows of figures with their header row (given, or the first row) as a DataFrame.

    Blank rows at the end of a table (a range selected larger than the data) are
    ignored; a table without a unit-name column gets "Dòng 1", "Dòng 2", ….
    Returns the frame, the positions of its rows among the data rows, and the
    number of data rows (so results can be spilled back row for row).
    """
    rows = as_2d(figures)
    header_row: Sequence[object]
    if headers is None:
        if not rows:
            raise UdfError("vùng số liệu trống")
        header_row, rows = rows[0], rows[1:]
    else:
        header_row = as_2d(headers)[0] if as_2d(headers) else []
    header_row = ["" if h is None else str(h) for h in header_row]
    mapping = map_headers(bloc, header_row)
    if not mapping:
        raise UdfError(f"không nhận ra cột nào của khối '{bloc.label}' trong dòng tiêu đề — chọn cả dòng tiêu đề "
                       "hoặc nhập đối số headers")
    width = len(header_row)
    total_rows = len(rows)
    kept = [i for i, row in enumerate(rows) if not _is_blank_row(row)]
    rows = [rows[i] for i in kept]
    for i, row in enumerate(rows):
        if len(row) != width:
            raise UdfError(f"dòng {kept[i] + 1} có {len(row)} ô nhưng tiêu đề có {width} cột")
    first = {h: i for i, h in reversed(list(enumerate(header_row))) if h in mapping}  # first column per header
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    frame = pd.DataFrame({h: pd.Series(columns[i], dtype=object) for h, i in first.items()})
    if UNIT not in set(mapping.values()):
        frame.insert(0, "Đơn vị", [f"Dòng {i + 1}" for i in kept])
    return frame, kept, total_rows
