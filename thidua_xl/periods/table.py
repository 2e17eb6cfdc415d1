"""A figures table with a "Kỳ" column, checked month by month.

The whole table is checked at once (:func:`thidua_xl.validation.check`), as a yearly table is — a rate column
typed 85 in one month and 0,85 in another is refused as ambiguous, like any mixed column — except that a
unit appears once per Kỳ: typed twice in the same month it is refused, twelve months are expected. A row whose "Kỳ" cannot be read belongs to no period: its unit is
then left out of every period (never scored on part of its figures), with a message naming the unit, the
column and the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..rubric import Bloc
from ..validation import UNIT, InputError, Problem, check, header_positions
from ..vn import fold, fold_all, nfc
from .period import (
    CELL_HELP,
    KY,
    KY_HEADERS,
    Period,
    bare,
    cell_key,
    month_of_index,
    quarter,
    read_cell,
    to_month,
    year,
)

MONTH = "_thang"    # month index (year × 12 + month − 1) of each row
KEY = "_khoa"       # the folded unit name (how rows of one unit are found)
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

    def periods(self) -> list[Period]:
        """Every period the data can be scored on, as a selector lists them: each month, each quarter, the
        year, then year-to-date up to each month."""
        months = self.months()
        quarters = sorted({quarter(p.end.year, (p.end.month - 1) // 3 + 1) for p in months})
        return [*months, *quarters, *(year(y) for y in self.years()),
                *(to_month(p.end.year, p.end.month) for p in months)]


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
    codes, cells = pd.factorize(raw[column], use_na_sentinel=True)
    found = [read_cell(c) for c in cells.tolist()] + [None]  # each distinct Kỳ read once; last: a blank cell
    ok = np.array([f is not None for f in found])[codes]
    months = np.array([f[0] if f else -1 for f in found], dtype=np.int64)[codes]
    ends = np.array([np.datetime64(f[1], "D") if f else np.datetime64("NaT") for f in found],
                    dtype="datetime64[D]")[codes]
    keys = np.array([cell_key(*f) if f else None for f in found], dtype=object)[codes]
    unit_problems = _unreadable(bloc, raw, column, ~ok)
    if not ok.any():
        raise InputError([Problem("(cả bảng)", "Kỳ", None, f"Không dòng nào có kỳ đọc được ({CELL_HELP}).")])
    # One check of the whole table; a unit may appear once per Kỳ (a row without a readable Kỳ: alone).
    within = np.where(ok, keys, np.arange(len(raw)).astype(str))
    checked = check(bloc, raw.drop(columns=[column]), within=within)
    kept = np.flatnonzero(ok)
    position = np.full(len(raw), -1)
    position[kept] = np.arange(len(kept))
    frame = checked.frame if len(kept) == len(raw) else checked.frame.iloc[kept].reset_index(drop=True)
    frame[KY] = keys[kept]
    frame[MONTH] = months[kept]
    frame[END] = ends[kept]
    frame[KEY] = unit_keys(frame).to_numpy()
    problems = [p if p.row is None else Problem(p.unit, p.column, p.value, f"Kỳ {keys[p.row]}: {p.message}",
                                                int(position[p.row]))
                for p in checked.problems if p.row is None or ok[p.row]]
    return Monthly(bloc, frame, problems, unit_problems,
                   {fid: mask[kept] for fid, mask in checked.not_applicable.items()})


def _unreadable(bloc: Bloc, raw: pd.DataFrame, column: object, bad: np.ndarray) -> dict[str, list[str]]:
    """Units (folded name) with a row whose Kỳ cannot be read, and the message for each such row."""
    out: dict[str, list[str]] = {}
    if not bad.any():
        return out
    unit_col = _unit_column(bloc, raw)
    for row in np.flatnonzero(bad).tolist():
        name = nfc(raw[unit_col].iloc[row]) if unit_col is not None else ""
        unit = " ".join(name.split()) or f"(dòng số liệu {row + 1})"
        cell = raw[column].iloc[row]
        shown = "" if cell is None or cell != cell else nfc(cell)
        out.setdefault(fold(unit), []).append(
            f"Đơn vị '{unit}', cột 'Kỳ': '{shown}' không phải một tháng ({CELL_HELP}).")
    return out


def _unit_column(bloc: Bloc, raw: pd.DataFrame) -> object | None:
    where = header_positions(bloc, raw.columns).get(UNIT)
    return raw.columns[where[0]] if where else None


def unit_keys(frame: pd.DataFrame) -> pd.Series:
    """The folded unit name rows are grouped by (composition, case and spacing do not split a unit); each
    distinct name folded once."""
    if KEY in frame:
        return frame[KEY]
    codes, uniques = pd.factorize(frame[UNIT], use_na_sentinel=True)
    folded = np.array([*fold_all(pd.Series(uniques, dtype=object)).tolist(), ""], dtype=object)
    return pd.Series(folded[codes], index=frame.index, dtype=object)
