"""One value as a person reads it in a Vietnamese document.

Machine outputs (CSV, JSON, XLSX) keep plain numbers; only what is printed for a person goes through here.
A missing value is an empty cell, never "nan", "None" or "<NA>".
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from ..vn import fmt_date, fmt_number

Kind = Literal["unit", "text", "points", "money", "count", "number", "rank", "rate", "percent", "yes_no",
               "movement", "date"]
NUMERIC: frozenset[str] = frozenset({"points", "money", "count", "number", "rank", "rate", "percent"})


def missing(value: object) -> bool:
    """None, NaN, pandas' NA/NaT, or an empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def points(value: object) -> str:
    """A score with its two decimals kept, so that a column lines up: 176,00 ; 8,33."""
    return "" if missing(value) else fmt_number(float(value), 2, trim=False)  # type: ignore[arg-type]


def money(value: object) -> str:
    """10000000 → "10.000.000 đ"; no prize → ""."""
    if missing(value) or float(value) == 0:  # type: ignore[arg-type]
        return ""
    return f"{fmt_number(round(float(value)), 0)} đ"  # type: ignore[arg-type]


def count(value: object) -> str:
    """A whole number with dots for thousands: 1.480."""
    return "" if missing(value) else fmt_number(round(float(value)), 0)  # type: ignore[arg-type]


def rate(value: object) -> str:
    """A rate stored as a fraction: 0.9631 → "96,31 %"."""
    return "" if missing(value) else f"{fmt_number(float(value) * 100, 2, trim=False)} %"  # type: ignore[arg-type]


def percent(value: object) -> str:
    """A number already in percent: 3.06 → "3,06 %"."""
    return "" if missing(value) else f"{fmt_number(float(value), 2, trim=False)} %"  # type: ignore[arg-type]


def text(value: object) -> str:
    return "" if missing(value) else str(value)


def cell(value: object, kind: str) -> str:
    """``value`` as printed in a column of the given kind."""
    if kind == "points":
        return points(value)
    if kind == "money":
        return money(value)
    if kind in ("count", "rank"):
        return count(value)
    if kind == "rate":
        return rate(value)
    if kind == "percent":
        return percent(value)
    if kind == "number":
        return "" if missing(value) else fmt_number(float(value), 2)  # type: ignore[arg-type]
    if kind == "yes_no":
        return "" if missing(value) else ("có" if float(value) else "không")  # type: ignore[arg-type]
    if kind == "date":
        return "" if missing(value) else fmt_date(value)
    return text(value)
