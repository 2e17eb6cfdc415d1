"""Periods: a "Kỳ" cell read as a month (or a part of a month up to a date), and the periods asked for.

A row of figures belongs to one month. The "Kỳ" column is written ``YYYY-MM``; the other spellings a
secretariat types are accepted and normalised: ``2021-3``, ``2021/03``, ``03/2021``, ``3-2021``, ``T3/2021``,
``Tháng 3/2021``, ``tháng 03 năm 2021``, and a spreadsheet date on the 1st of a month (a cell formatted as
``mm/yyyy``). A date on another day — ``2023-12-15``, ``15/12/2023`` — is a *dated row*: the figures of its
month from the 1st (or the day after an earlier dated row of that month) up to that day; a plain month row
in the same month then holds the rest of the month. That is how a cut-off inside a month is handled: figures
up to 15/12 take the dated row "2023-12-15" and leave the row "2023-12" out; a month with no dated row is
counted only by a cut-off on or after its last day.

Periods asked for (``--ky``, :func:`parse_period`): ``2021-03`` a month's own figures, ``2021-Q1`` a quarter,
``2021`` the year, ``..2021-03`` year-to-date up to a month, ``..2023-11-30`` year-to-date up to a date.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import numpy as np
import pandas as pd

from ..parsing import is_blank
from ..vn import fold, nfc

KY = "ky"                 # the normalised "Kỳ" column the engine adds to its results


def bare(text: object) -> str:
    """Folded, without diacritics or spaces ("Tháng 3 / 2021" → "thang3/2021"): how a Kỳ cell is matched."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not ch.isspace())


KY_HEADERS = frozenset(bare(h) for h in ("Kỳ", "Kỳ báo cáo", "Tháng", "period"))
ROMAN = ("I", "II", "III", "IV")


class PeriodError(ValueError):
    """A period that cannot be read or used; the message is Vietnamese."""


class Span(StrEnum):
    """What a period covers."""

    MONTH = "tháng"
    QUARTER = "quý"
    YEAR = "năm"
    TO_MONTH = "lũy kế đến tháng"
    TO_DATE = "lũy kế đến ngày"


@dataclass(frozen=True, order=True)
class Period:
    """A stretch of time rows are rolled up over: rows whose month lies in [start, end] and that end by ``end``."""

    end: date
    start: date
    span: Span

    @property
    def key(self) -> str:
        """The short form, as typed after ``--ky``: 2021-03, 2021-Q1, 2021, ..2021-03, ..2023-11-30."""
        y, m = self.end.year, self.end.month
        return {Span.MONTH: f"{y}-{m:02d}", Span.QUARTER: f"{y}-Q{(m - 1) // 3 + 1}", Span.YEAR: f"{y}",
                Span.TO_MONTH: f"..{y}-{m:02d}", Span.TO_DATE: f"..{self.end.isoformat()}"}[self.span]

    @property
    def title(self) -> str:
        """Vietnamese heading: Tháng 3/2021, Quý I/2021, Năm 2021, Lũy kế đến tháng 3/2021, Số liệu đến 30/11/2023."""
        y, m = self.end.year, self.end.month
        return {Span.MONTH: f"Tháng {m}/{y}", Span.QUARTER: f"Quý {ROMAN[(m - 1) // 3]}/{y}",
                Span.YEAR: f"Năm {y}", Span.TO_MONTH: f"Lũy kế đến tháng {m}/{y}",
                Span.TO_DATE: f"Số liệu đến ngày {self.end:%d/%m/%Y}"}[self.span]

    def __str__(self) -> str:
        return self.key

    @property
    def months(self) -> tuple[int, int]:
        """First and last month index (year × 12 + month − 1) covered."""
        return month_index(self.start), month_index(self.end)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month(year: int, m: int) -> Period:
    return Period(_last_day(year, m), date(year, m, 1), Span.MONTH)


def quarter(year: int, q: int) -> Period:
    return Period(_last_day(year, 3 * q), date(year, 3 * q - 2, 1), Span.QUARTER)


def year(y: int) -> Period:
    return Period(date(y, 12, 31), date(y, 1, 1), Span.YEAR)


def to_month(y: int, m: int) -> Period:
    """Year-to-date up to the end of month ``m``."""
    return Period(_last_day(y, m), date(y, 1, 1), Span.TO_MONTH)


def to_date(day: date) -> Period:
    """Year-to-date up to and including ``day`` (a cut-off)."""
    return Period(day, date(day.year, 1, 1), Span.TO_DATE)


_SPEC = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), lambda g: month(int(g[0]), int(g[1]))),
    (re.compile(r"^(\d{4})-?q([1-4])$"), lambda g: quarter(int(g[0]), int(g[1]))),
    (re.compile(r"^(\d{4})$"), lambda g: year(int(g[0]))),
    (re.compile(r"^\.\.(\d{4})-(\d{1,2})$"), lambda g: to_month(int(g[0]), int(g[1]))),
    (re.compile(r"^\.\.(\d{4})-(\d{1,2})-(\d{1,2})$"), lambda g: to_date(date(int(g[0]), int(g[1]), int(g[2])))),
]
SPEC_HELP = ("2021-03 (tháng), 2021-Q1 (quý), 2021 (năm), ..2021-03 (lũy kế đến tháng), "
             "..2023-11-30 (lũy kế đến ngày)")


def parse_period(text: str | Period) -> Period:
    """A period from its short form (see the module docstring); anything else is a :class:`PeriodError`."""
    if isinstance(text, Period):
        return text
    key = bare(text)
    for pattern, build in _SPEC:
        found = pattern.match(key)
        if found:
            try:
                return build(found.groups())
            except ValueError:
                break
    raise PeriodError(f"Kỳ '{nfc(text)}' không đọc được: nhập {SPEC_HELP}.")


# A "Kỳ" cell: month forms (→ day None) and date forms (→ a dated row).
_MONTH_CELL = [
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?:t|thang)?\.?(?P<m>\d{1,2})(?:[-/.]|nam)(?P<y>\d{4})$"),
]
_DATE_CELL = [
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
]
CELL_HELP = ("nhập tháng dạng 2021-03 (hoặc 03/2021, T3/2021), hay một ngày 2023-12-15 cho số liệu từ đầu "
             "tháng đến ngày đó")


def read_cell(value: object) -> tuple[int, date] | None:
    """A "Kỳ" cell → (month index, the last day its figures cover); None if it cannot be read."""
    if isinstance(value, datetime | pd.Timestamp):
        value = value.date()
    if isinstance(value, date):
        if value.day == 1:  # a spreadsheet month cell (mm/yyyy) holds the 1st of the month
            return month_index(value), _last_day(value.year, value.month)
        return month_index(value), value
    if is_blank(value) or not isinstance(value, str):
        return None
    key = bare(value)
    try:
        for pattern in _MONTH_CELL:
            found = pattern.match(key)
            if found:
                y, m = int(found["y"]), int(found["m"])
                return month_index(date(y, m, 1)), _last_day(y, m)
        for pattern in _DATE_CELL:
            found = pattern.match(key)
            if found:
                day = date(int(found["y"]), int(found["m"]), int(found["d"]))
                return month_index(day), day
    except ValueError:
        return None
    return None


def cell_key(month_idx: int, end: date) -> str:
    """The normalised "Kỳ" of a row: ``YYYY-MM``, or ``YYYY-MM-DD`` for a dated row."""
    y, m = divmod(month_idx, 12)
    whole = end == _last_day(y, m + 1)
    return f"{y}-{m + 1:02d}" if whole else end.isoformat()


def month_of_index(idx: int) -> Period:
    y, m = divmod(int(idx), 12)
    return month(y, m + 1)


def covered(months: np.ndarray, ends: np.ndarray, period: Period) -> np.ndarray:
    """Rows (month index, end day as datetime64[D]) a period takes: month in range and ended by the period's end."""
    first, last = period.months
    return (months >= first) & (months <= last) & (ends <= np.datetime64(period.end, "D"))
