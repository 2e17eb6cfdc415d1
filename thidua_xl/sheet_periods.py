"""The period side of the worksheet functions: figures kept by month and the optional period argument.

A figures range whose header row has a "Kỳ" column holds one row per unit and month (README "Sổ theo
tháng"). The THIDUA_* functions then give one row per unit — every unit of the range, in the order it first
appears — for the period chosen in their trailing argument: a month ("Tháng 3/2021" or 2021-03), a quarter
("Quý I/2021", 2021-Q1), year-to-date ("Lũy kế đến tháng 3/2021", ..2021-03) or "Cả năm" (the default).
A unit without a row in the chosen period gets a blank row. A range without "Kỳ" is a year's figures, as
before periods existed: "Cả năm" (or nothing) scores it, a month is refused with a message.

The engine does the work (:mod:`thidua_xl.periods`); this module only reads Excel-shaped values and words
the periods as the sheet shows them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .periods import (
    Period,
    PeriodError,
    Span,
    month,
    parse_period,
    quarter,
    read_monthly,
    rolled,
    score_periods,
    to_date,
    to_month,
    year,
)
from .periods.period import KY_HEADERS, bare
from .periods.scoring import MOVE
from .periods.table import Monthly
from .ranges import UdfError, as_2d, to_frame
from .rubric import Blend, Bloc, Rubric
from .validation import UNIT, Checked, Problem, clean_names, map_headers
from .vn import fold

YEAR_CHOICE = "Cả năm"


def ky_position(header_row: Sequence[object]) -> int | None:
    """Where the "Kỳ" column is in a header row (None: a year's figures, one row per unit)."""
    found = [i for i, h in enumerate(header_row) if h is not None and bare(h) in KY_HEADERS]
    return found[0] if found else None


def absent(value: object) -> bool:
    """An optional range left out: omitted, an empty text, or only blank cells."""
    return value is None or all(v is None or (isinstance(v, str) and not v.strip()) for row in as_2d(value) for v in row)


def capacity(rows: object) -> int | None:
    """A row count argument (a positive whole number), or None when left out."""
    cell = _scalar(rows)
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float) or cell < 1 or not float(cell).is_integer():
        raise UdfError(f"số dòng '{cell}' phải là số nguyên dương")
    return int(cell)


def blank_period(period: object) -> bool:
    cell = _scalar(period)
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _scalar(value: object) -> object:
    """A period argument given as a 1×1 range is its cell."""
    if isinstance(value, list | tuple):
        rows = as_2d(value)
        return rows[0][0] if rows and rows[0] else None
    return value


@dataclass
class LongTable:
    """A bloc's range kept by month: the checked monthly rows and the units in order of first appearance."""

    bloc: Bloc
    monthly: Monthly
    units: list[str]      # names as first typed (clean spaces, NFC)
    keys: list[str]       # folded names, the engine's unit keys
    groups: list[object]  # the group column's last value per unit (Hậu Giang's huyện), or None
    key: tuple | None = None  # the cells it was read from (caching), None if they cannot be hashed

    def position(self, names: pd.Series) -> list[int]:
        """Each engine row's place in :attr:`units`."""
        where = {k: i for i, k in enumerate(self.keys)}
        return [where[fold(n)] for n in names.tolist()]

    def months(self) -> list[Period]:
        return self.monthly.months()

    def periods(self) -> list[Period]:
        return self.monthly.periods()

    def resolve(self, period: object) -> Period:
        """The sheet's period text (or an engine short form, or a date) as a :class:`Period`."""
        return resolve(period, self.periods())


# A sheet passes the same range to every THIDUA_* column of a bloc (a dozen calls per recalculation): the
# checked monthly table and the period scores are kept for the last few ranges seen, keyed by their cells.
_CACHE_SIZE = 8
_long_cache: dict[tuple, LongTable] = {}
_trend_cache: dict[tuple, pd.DataFrame] = {}


def _remember(cache: dict, key: tuple, make):
    if key not in cache:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = make()
    return cache[key]


def _frozen(value: object) -> tuple:
    return tuple(tuple(row) for row in as_2d(value))


def read_long(bloc: Bloc, figures: object, headers: object = None) -> LongTable | None:
    """The range as a table kept by month, or None when its header row has no "Kỳ" column."""
    rows = as_2d(figures)
    header_row = (as_2d(headers)[0] if as_2d(headers) else []) if headers is not None else (rows[0] if rows else [])
    at = ky_position(header_row)
    if at is None:
        return None
    try:
        key = (repr(bloc), _frozen(figures), _frozen(headers))
    except TypeError:  # an unhashable cell: no caching
        return _read_long(bloc, figures, headers, rows, header_row, at)
    table = _remember(_long_cache, key, lambda: _read_long(bloc, figures, headers, rows, header_row, at))
    table.key = key
    return table


def _read_long(bloc: Bloc, figures: object, headers: object, rows: list[list[object]], header_row: list[object],
               at: int) -> LongTable:
    frame, kept, _ = to_frame(bloc, figures, headers)
    body = rows if headers is not None else rows[1:]
    frame.insert(1, str(header_row[at]), [body[i][at] if at < len(body[i]) else None for i in kept])
    header_of = {fid: h for h, fid in map_headers(bloc, frame.columns).items()}
    names = clean_names(frame[header_of.get(UNIT, frame.columns[0])])
    units, keys, groups = [], [], []
    seen: dict[str, int] = {}
    group_col = header_of.get(bloc.group.id) if bloc.group is not None else None
    for i, name in enumerate(names.tolist()):
        key = fold(name)
        if not key:
            continue
        if key not in seen:
            seen[key] = len(units)
            units.append(name)
            keys.append(key)
            groups.append(None)
        if group_col is not None and frame[group_col].iloc[i] not in (None, ""):
            groups[seen[key]] = frame[group_col].iloc[i]
    return LongTable(bloc, read_monthly(bloc, frame), units, keys, groups)


def _offered(periods: Sequence[Period]) -> list[Period]:
    """The engine's periods of the data (:meth:`Monthly.periods`) in the selector's order: the latest year first
    (the default), then its months, quarters and year-to-date; an earlier year only as a whole."""
    years = sorted((p for p in periods if p.span is Span.YEAR), reverse=True)
    latest = years[0].end.year if years else None  # earlier years: only as a whole (the list stays one screen)
    return years[:1] + [p for p in periods if p not in years[:1] and (p.end.year == latest or p in years)]


def choice_text(period: Period, periods: Sequence[Period]) -> str:
    """How the sheet words a period: "Cả năm" for the data's latest year, else the engine's title."""
    years = [p for p in periods if p.span is Span.YEAR]
    return YEAR_CHOICE if years and period == max(years) else period.title


def choices(periods: Sequence[Period], cutoffs: Sequence[dt.date] = ()) -> list[str]:
    """The selector's list; a plan's cut-off dates (Ninh Phước's 30/11 and 15/12/2023) after the data's periods."""
    return [choice_text(p, periods) for p in _offered(periods)] + [to_date(d).title for d in cutoffs]


CUTOFF_TITLE = re.compile(r"đến ngày\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})", re.IGNORECASE)


def resolve(period: object, periods: Sequence[Period]) -> Period:
    """A period argument: blank or "Cả năm" (the data's latest year), a title the selector lists, an
    engine short form (2021-03, 2021-Q1, ..2021-03), a year number, or a date (its month). ``periods``: the
    data's (:meth:`Monthly.periods`)."""
    cell = _scalar(period)
    latest = max((p.end.year for p in periods), default=None)
    if blank_period(cell) or (isinstance(cell, str) and fold(cell) == fold(YEAR_CHOICE)):
        if latest is None:
            raise UdfError("số liệu chưa có tháng nào (cột 'Kỳ' trống)")
        return year(latest)
    if isinstance(cell, bool):
        raise UdfError(f"kỳ '{cell}' không đọc được")
    if isinstance(cell, int | float):
        if float(cell).is_integer() and 1900 < cell < 3000:
            return year(int(cell))
        raise UdfError(f"kỳ '{cell}' không đọc được: chọn trong danh sách của ô kỳ (ví dụ 'Tháng 3/2021')")
    if isinstance(cell, dt.datetime | dt.date):
        return month(cell.year, cell.month)
    text = str(cell)
    for candidate in periods:
        if bare(text) in (bare(candidate.title), bare(candidate.key)):
            return candidate
    day = CUTOFF_TITLE.search(text)
    if day:  # "Số liệu đến ngày 30/11/2023", as the selector lists a plan's cut-off dates
        try:
            return to_date(dt.date(int(day["y"]), int(day["m"]), int(day["d"])))
        except ValueError:
            pass
    try:
        return parse_period(text)
    except PeriodError as err:
        raise UdfError(f"{err} Hoặc chọn 'Cả năm', 'Tháng 3/2021', 'Quý I/2021', 'Lũy kế đến tháng 3/2021'.") from err


def year_only(period: object) -> None:
    """A range without "Kỳ" holds a year's figures: only "Cả năm" (or no period) applies to it."""
    cell = _scalar(period)
    if blank_period(cell) or (isinstance(cell, str) and fold(cell) == fold(YEAR_CHOICE)):
        return
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        return  # the year itself
    raise UdfError(f"kỳ '{cell}': vùng số liệu không có cột 'Kỳ' (số liệu cả năm, mỗi đơn vị một dòng) — thêm "
                   "cột 'Kỳ' (ví dụ 2021-03) để tính theo tháng, hoặc chọn 'Cả năm'")


def previous(period: Period) -> Period | None:
    """The period a movement is counted from: the month, quarter or year-to-date before (none for the year)."""
    y, m = period.end.year, period.end.month
    if period.span.value == "tháng" and m > 1:
        return month(y, m - 1)
    if period.span.value == "lũy kế đến tháng" and m > 1:
        return to_month(y, m - 1)
    if period.span.value == "quý" and m > 3:
        return quarter(y, (m - 1) // 3)
    return None


def checked_for(rubric: Rubric, table: LongTable, period: Period, subunits: LongTable | None = None) -> Checked:
    """The units' figures rolled up over ``period`` (the engine's roll-up), ready to score; with the sub-unit
    bloc's months, a blank "bình quân các xã" column is their mean over the period, as the engine computes it."""
    checked = rolled(rubric, table.monthly, period, subunits.monthly if subunits is not None else None)
    return _with_unreadable(table, checked)


def _with_unreadable(table: LongTable, checked: Checked) -> Checked:
    """A unit whose every row has an unreadable "Kỳ" has no row in any period: it gets one, with the message
    naming its cell, instead of a blank line on the sheet."""
    have = {fold(u) for u in checked.frame[UNIT]}
    lost = [(i, k) for i, k in enumerate(table.keys) if k not in have and k in table.monthly.unit_problems]
    if not lost:
        return checked
    extra = pd.DataFrame({UNIT: [table.units[i] for i, _ in lost]})
    frame = pd.concat([checked.frame, extra], ignore_index=True)
    problems = list(checked.problems)
    for n, (i, key) in enumerate(lost, start=len(checked.frame)):
        problems += [Problem(table.units[i], "Kỳ", None, m, n) for m in table.monthly.unit_problems[key]]
    padded = {f: list(v) + [False] * len(lost) for f, v in checked.not_applicable.items()}
    return Checked(frame, problems, {f: pd.Series(v).to_numpy(dtype=bool) for f, v in padded.items()})


def _sub_bloc(rubric: Rubric, bloc: Bloc) -> Bloc | None:
    blend = next((d for d in bloc.derived if isinstance(d, Blend)), None)
    return rubric.bloc(blend.subunit_bloc) if blend is not None else None


def subunits_of(rubric: Rubric, bloc: Bloc, subunits: object) -> LongTable | None:
    """The sub-unit range (with its header row) of a blended bloc kept by month; None if not given."""
    sub = _sub_bloc(rubric, bloc)
    if sub is None or absent(subunits):
        return None
    table = read_long(sub, subunits)
    if table is None:
        raise UdfError(f"vùng số liệu {sub.label.lower()} (đối số cuối) không có cột 'Kỳ' như vùng số liệu chính")
    return table


def yearly_subunits(rubric: Rubric, bloc: Bloc, subunits: object) -> pd.DataFrame | None:
    """The sub-unit range of a blended bloc of yearly figures, as a table; None if not given."""
    sub = _sub_bloc(rubric, bloc)
    if sub is None or absent(subunits):
        return None
    return to_frame(sub, subunits)[0]


def periods_of(table: LongTable, periods: object) -> list[Period]:
    """The period argument of THIDUA_PERIOD: one cell or a row of cells (blank cells skipped); default:
    every month of the data."""
    cells = [v for row in as_2d(periods) for v in row] if periods is not None else []
    if not cells or all(blank_period(c) for c in cells):
        return table.months()
    return [table.resolve(c) for c in cells if not blank_period(c)]


WHAT = {"diem": "điểm", "hang": "hạng", "thay-doi": "thay đổi hạng"}


def trend(rubric: Rubric, table: LongTable, periods: list[Period], what: object,
          subunits: object = None) -> list[list[object]]:
    """Per unit (rows) and period (columns): the score, the rank or the movement since the previous period
    of the list (↑2, ↓1, =, mới) — the engine's :func:`~thidua_xl.periods.score_periods`."""
    from .columns import ERROR, RANK, TOTAL
    from .ranges import cell_error

    key = bare(_scalar(what) or "diem").replace("-", "").replace("_", "")
    key = {"diem": "diem", "hang": "hang", "thaydoi": "thay-doi", "biendong": "thay-doi"}.get(key)
    if key is None:
        raise UdfError(f"đối số thứ 6 '{_scalar(what)}' không có: dùng \"diem\", \"hang\" hoặc \"thay-doi\"")
    sub = subunits_of(rubric, table.bloc, subunits)

    def scores() -> pd.DataFrame:
        return score_periods(rubric, table.bloc, table.monthly, periods,
                             subunits=sub.monthly if sub is not None else None)

    keys = (table.key, None if sub is None else sub.key)
    long = (scores() if None in keys[: 1 + (sub is not None)] else
            _remember(_trend_cache, (keys, rubric.fingerprint(), tuple(p.key for p in periods)), scores))
    out: list[list[object]] = [[""] * len(periods) for _ in table.units]
    column = {p.key: j for j, p in enumerate(periods)}
    rows = table.position(long[UNIT])
    for i, record in zip(rows, long.to_dict("records"), strict=True):
        j = column[record["ky"]]
        if record.get(ERROR):
            out[i][j] = cell_error(record[ERROR]) if key == "diem" else ""
        elif key == "diem":
            out[i][j] = float(record[TOTAL]) if pd.notna(record[TOTAL]) else ""
        elif key == "hang":
            out[i][j] = int(record[RANK]) if pd.notna(record[RANK]) else ""
        else:
            out[i][j] = record[MOVE] or ""
    return out
