"""Writing values into cells so that imported text can never become a formula.

Text typed or pasted by users (a unit name, a bad cell value shown back in an
error list, a header of their export) may start with a character a spreadsheet
reads as the start of a formula (CSV/formula injection, OWASP): "=", "+", "-",
"@", a tab, a carriage return or line feed, or the full-width forms "＝＋－＠".
:func:`put` keeps such text as text in .xlsx; :func:`csv_text` prefixes it
with an apostrophe for CSV, where a cell has no type. Control characters that
.xlsx cannot hold are dropped rather than failing the whole save.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# The same set as a SQL/regex character class (for outputs written by DuckDB).
FORMULA_START_CLASS = "[=+\\-@\\t\\r\\n\uff1d\uff0b\uff0d\uff20]"
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV cell (or header) that a spreadsheet will show as text, never evaluate."""
    return f"'{value}" if looks_like_formula(value) else value


def put(cell, value: object) -> None:
    """Set ``cell.value``; text that looks like a formula stays text, illegal control characters are dropped."""
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("", value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
