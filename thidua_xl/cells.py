"""Writing values into cells so that imported text can never become a formula.

Text typed or pasted by users (a unit name, a bad cell value shown back in an
error list) may start with "=", "+", "-" or "@"; written naively through
openpyxl it would become a formula (CSV/formula injection). :func:`put` keeps
it as text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")


def put(cell, value: object) -> None:
    """Set ``cell.value``; text that looks like a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
