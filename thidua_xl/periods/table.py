"""A figures table with a "Kỳ" column, checked month by month.

Each month's rows are checked on their own (:func:`thidua_xl.validation.check`), so a unit typed twice in
the same month is refused while the same unit in twelve months is expected, and a rate column may be typed
as 85 in one month and 0,85 in another. A row whose "Kỳ" cannot be read belongs to no period: its unit is
then left out of every period (never scored on part of its figures), with a message naming the unit, the
column and the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..rubric import Bloc
from ..validation import UNIT, InputError, Problem, check, clean_names, header_positions
from ..vn import fold, fold_all, nfc
from .period import CELL_HELP, KY, KY_HEADERS, Period, bare, cell_key, month_of_index, read_cell

MONTH = "_thang"    # month index (year × 12 + month − 1) of each row
END = "_den_ngay"   # last day each row covers (datetime64[D])


@dataclass
class Monthly:
    """A bloc's figures over months: one checked numeric row per input row, with its month.

    ``frame`` holds the unit, the group, every figure (floats; rates as fractions), :data:`KY` (the
    normalised Kỳ), :data:`MONTH` and :data:`END`. ``problems`` name rows of ``frame``; ``unit_problems`` take
    a unit (folded name) out of every period. ``not_applicable`` marks cells typed "không áp dụng".
    """

    bloc: Bloc
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    unit_problems: dict[str, list[str]] = field(default_factory=dict)
    not_applicable: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def bad_rows(self) -> np.ndarray:
        bad = np.zeros(len(self.frame), dtype=bool)
        bad[[p.row for p in self.problems if p.row is not None]] = True
        return bad

    def months(self) -> list[Period]:
        """Every month that has a row, in order."""
        return [month_of_index(m) for m in sorted(set(self.frame[MONTH].tolist()))]

    def years(self) -> list[int]:
        return sorted({int(m) // 12 for m in self.frame[MONTH].tolist()})


def ky_column(raw: pd.DataFrame) -> object | None:
    """The table's "Kỳ" column (header "Kỳ", "Kỳ báo cáo", "Tháng", any case or accents), or None."""
    found = [c for c in raw.columns if bare(c) in KY_HEADERS]
    if len(found) > 1:
        raise InputError([Problem("(cả bảng)", "Kỳ", None, "Bảng có hai cột kỳ ("
                                  + ", ".join(f"'{nfc(c)}'" for c in found) + ") — hãy giữ một cột.")])
    return found[0] if found else None


def has_periods(raw: pd.DataFrame) -> bool:
    return ky_column(raw) is not None


def read_monthly(bloc: Bloc, raw: pd.DataFrame) -> Monthly:
    """Check a long table (one row per unit and month); see the module docstring."""
    raw = raw.reset_index(drop=True)
    column = ky_column(raw)
    if column is None:
        raise InputError([Problem("(cả bảng)", "Kỳ", None, "Bảng không có cột 'Kỳ' (tháng của mỗi dòng, ví dụ "
                                  "2021-03): không tính được theo tháng.")])
    cells = raw[column]
    names = clean_names(raw[_unit_column(bloc, raw)]) if _unit_column(bloc, raw) is not None else None
    parsed = {}
    months = np.full(len(raw), -1, dtype=np.int64)
    ends = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[D]")
    keys = np.empty(len(raw), dtype=object)
    unit_problems: dict[str, list[str]] = {}
    for row, cell in enumerate(cells.tolist()):
        token = (type(cell), cell if cell == cell else "nan")
        if token not in parsed:
            parsed[token] = read_cell(cell)
        found = parsed[token]
        if found is None:
            unit = names.iloc[row] if names is not None and names.iloc[row] else f"(dòng số liệu {row + 1})"
            shown = "" if cell is None or cell != cell else nfc(cell)
            unit_problems.setdefault(fold(unit), []).append(
                f"Đơn vị '{unit}', cột 'Kỳ': '{shown}' không phải một tháng ({CELL_HELP}).")
            continue
        months[row], ends[row] = found[0], np.datetime64(found[1], "D")
        keys[row] = cell_key(*found)
    body = raw.drop(columns=[column])
    frames, problems, not_applicable = [], [], {}
    for key in dict.fromkeys(k for k in keys if k is not None):
        rows = np.flatnonzero(keys == key)
        checked = check(bloc, body.iloc[rows])  # a missing column raises InputError for the whole table
        chunk = checked.frame.set_axis(rows)
        frames.append(chunk)
        problems += [_at(p, int(rows[p.row]), key) if p.row is not None else p for p in checked.problems]
        for fid, mask in checked.not_applicable.items():
            not_applicable.setdefault(fid, np.zeros(len(raw), dtype=bool))[rows[mask]] = True
    if not frames:
        raise InputError([Problem("(cả bảng)", "Kỳ", None, "Không dòng nào có kỳ đọc được ("
                                  + CELL_HELP + ").")] + [Problem(u, "Kỳ", None, m[0]) for u, m in
                                                          list(unit_problems.items())[:1]])
    frame = pd.concat(frames).sort_index()
    kept = frame.index.to_numpy()
    position = np.full(len(raw), -1)
    position[kept] = np.arange(len(kept))
    frame = frame.reset_index(drop=True)
    frame[KY] = keys[kept]
    frame[MONTH] = months[kept]
    frame[END] = ends[kept]
    problems = [p if p.row is None else Problem(p.unit, p.column, p.value, p.message, int(position[p.row]))
                for p in problems]
    return Monthly(bloc, frame, problems, unit_problems, {k: v[kept] for k, v in not_applicable.items()})


def _unit_column(bloc: Bloc, raw: pd.DataFrame) -> object | None:
    where = header_positions(bloc, raw.columns).get(UNIT)
    return raw.columns[where[0]] if where else None


def _at(p: Problem, row: int, key: str) -> Problem:
    return Problem(p.unit, p.column, p.value, f"Kỳ {key}: {p.message}", row)


def unit_keys(frame: pd.DataFrame) -> pd.Series:
    """The folded unit name rows are grouped by (composition, case and spacing do not split a unit)."""
    return fold_all(frame[UNIT])
