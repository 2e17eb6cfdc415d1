"""Reading a thidua_xl workbook back: which plan, the figures of each bloc, the weights.

Works on an openpyxl workbook (headless) or on anything offering the small
:class:`SheetSource` protocol (the xlwings book in :mod:`udfs.book`).
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from .. import rubrics
from ..parsing import parse_threshold, weight_problem
from ..rubric import Rubric
from ..tables import TableError
from ..vn import fold
from .layout import GUIDE, PLAN_CELL, WEIGHTS, input_sheet, input_sheet_names


class SheetSource(Protocol):
    """What the readers need from a workbook: sheet names and a sheet's used cell values."""

    def sheet_names(self) -> list[str]: ...

    def values(self, sheet: str) -> list[list[object]]: ...


class OpenpyxlSource:
    """:class:`SheetSource` over an openpyxl workbook; formula cells read as blank."""

    def __init__(self, wb) -> None:
        self.wb = wb

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def values(self, sheet: str) -> list[list[object]]:
        rows = []
        for row in self.wb[sheet].iter_rows(values_only=True):
            rows.append([None if is_formula(v) else v for v in row])
        return rows


def is_formula(value: object) -> bool:
    """A cell value openpyxl read as a formula (plain or array), not a typed value."""
    from openpyxl.worksheet.formula import ArrayFormula

    return isinstance(value, ArrayFormula) or (isinstance(value, str) and value.startswith("="))


def find_sheet(source: SheetSource, name: str) -> str | None:
    """The sheet called ``name``, whatever its case/composition (a renamed sheet is not guessed)."""
    return next((s for s in source.sheet_names() if fold(s) == fold(name)), None)


def plan_of(source: SheetSource) -> Rubric:
    """The plan a workbook was made for (the guide sheet's plan cell)."""
    guide = find_sheet(source, GUIDE)
    if guide is None:
        raise KeyError(f"Sổ này không có sheet '{GUIDE}' nên không biết thuộc kế hoạch nào — hãy tạo sổ từ mẫu "
                       "('Tạo sổ mới từ mẫu' hoặc 'thidua-xl template').")
    col = ord(PLAN_CELL[0]) - ord("A")
    row = int(PLAN_CELL[1:]) - 1
    rows = source.values(guide)
    plan = rows[row][col] if len(rows) > row and len(rows[row]) > col else None
    return rubrics.get(str(plan))


def _table(rows: list[list[object]]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame()
    headers = ["" if h is None else str(h) for h in rows[0]]
    body = [r for r in rows[1:] if any(v is not None and str(v).strip() for v in r)]
    return pd.DataFrame(body, columns=headers, dtype=object) if body else pd.DataFrame(columns=headers)


def read_figures(source: SheetSource, rubric: Rubric) -> dict[str, pd.DataFrame]:
    """Each bloc's input sheet as a DataFrame (blank rows dropped); a missing sheet is an error."""
    out: dict[str, pd.DataFrame] = {}
    for bloc in rubric.blocs:
        name = next((found for want in input_sheet_names(bloc) if (found := find_sheet(source, want))), None)
        if name is None:
            raise KeyError(f"Không tìm thấy sheet '{input_sheet(bloc)}' (số liệu khối {bloc.label}); sheet có thể "
                           "đã bị đổi tên — đặt lại đúng tên.")
        out[bloc.id] = _table(source.values(name))
    return out


def read_weights(source: SheetSource, rubric: Rubric) -> Rubric:
    """The rubric with the workbook's weights sheet applied (plans with editable weights only)."""
    if not rubric.editable_weights:
        return rubric
    name = find_sheet(source, WEIGHTS)
    if name is None:
        return rubric
    rows = source.values(name)
    for bloc in rubric.blocs:
        ids = set(bloc.criterion_ids)
        mine = [r for r in rows if len(r) > 3 and r[0] in ids and fold(r[3]) == fold(bloc.label)]
        defaults = {c.id: c.max_points for c in bloc.criteria}
        for r in mine:  # a text, boolean or absurd weight is refused, never skipped (the sheet would disagree)
            problem = weight_problem(r[1]) if r[1] is not None else None
            if problem:
                raise TableError(f"Sheet '{name}': trọng số của tiêu chí '{r[0]}' ({bloc.label}) {problem} "
                                 f"(giá trị '{r[1]}').")
        table = {str(r[0]): _as_stored(float(r[1]), defaults[str(r[0])]) for r in mine if r[1] is not None}
        thresholds = {str(r[0]): t for r in mine if len(r) > 4 and (t := parse_threshold(r[4])) is not None}
        bands = {str(r[7]): float(r[8]) for r in mine if len(r) > 8 and r[7] and isinstance(r[8], int | float)}
        if table or thresholds or bands:
            rubric = rubric.with_weights(bloc.id, table, thresholds, bands)
    return rubric


def _as_stored(value: float, default: float) -> float:
    """The plan's own weight when the sheet holds it as a spreadsheet stores it (15 significant digits): a book
    with default weights keeps the plan's rubric version after any save."""
    return default if f"{value:.15g}" == f"{default:.15g}" else value


def position(ref: str) -> tuple[int, int]:
    """(row, column) of a cell address like "AB12" (no "$"): the fast path for tens of thousands of cells."""
    from openpyxl.utils.cell import column_index_from_string

    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]), column_index_from_string(letters)
