"""Cell values and Excel's coercions for the fast evaluator.

A value is None (blank), bool, int/float, str or :class:`Err`; an array is a
2-D numpy object array of those. Scalar operations follow Excel (blank is 0 or
"", text compares case-blind, number < text < boolean, division by zero is
#DIV/0!); :func:`lift` applies one element by element when an argument is an
array, with numpy broadcasting (a column against one value).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .parse import Unsupported


@dataclass(frozen=True)
class Err:
    """A spreadsheet error value (#N/A, #VALUE!, #DIV/0! …), distinct from a text that reads the same."""

    code: str

    def __str__(self) -> str:
        return self.code


NA, VALUE, DIV0, NUM = Err("#N/A"), Err("#VALUE!"), Err("#DIV/0!"), Err("#NUM!")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def as_number(value: object) -> float | Err:
    """A scalar as a number the way Excel coerces one (blank 0, TRUE 1, numeric text), else #VALUE!."""
    if isinstance(value, Err):
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return VALUE
    return VALUE


def as_bool(value: object) -> bool | Err:
    if isinstance(value, Err):
        return value
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str) and value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    return VALUE


def as_text(value: object) -> str | Err:
    if isinstance(value, Err):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return str(value)


def _rank(value: object) -> tuple[int, object]:
    """Excel's order across types: numbers, then texts (case-blind), then booleans."""
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, str):
        return 1, value.casefold()
    return 0, float(value)  # type: ignore[arg-type]


_COMPARE = {"=": operator.eq, "<>": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le,
            ">=": operator.ge}


def compare(op: str, a: object, b: object) -> bool | Err:
    if isinstance(a, Err):
        return a
    if isinstance(b, Err):
        return b
    if a is None:  # a blank takes the other side's type
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0.0
    return _COMPARE[op](_rank(a), _rank(b))


def _arith(op: str, a: object, b: object) -> float | Err:
    x, y = as_number(a), as_number(b)
    if isinstance(x, Err):
        return x
    if isinstance(y, Err):
        return y
    if op == "+":
        result = x + y
    elif op == "-":
        result = x - y
    elif op == "*":
        result = x * y
    elif op == "/":
        if y == 0:
            return DIV0
        result = x / y
    else:
        try:
            result = float(x ** y)
        except (OverflowError, ZeroDivisionError, TypeError):
            return NUM
        if isinstance(result, complex):
            return NUM
    return result if math.isfinite(result) else NUM


def binary(op: str, a: object, b: object) -> object:
    if op in _COMPARE:
        return compare(op, a, b)
    if op == "&":
        x, y = as_text(a), as_text(b)
        return x if isinstance(x, Err) else y if isinstance(y, Err) else x + y
    return _arith(op, a, b)


def lift(function: Callable[..., object], *args: object) -> object:
    """``function`` on scalars, or element by element when an argument is an array (numpy broadcasting)."""
    if not any(isinstance(a, np.ndarray) for a in args):
        return function(*args)
    try:
        out = np.frompyfunc(function, len(args), 1)(*args)
    except ValueError as err:  # shapes that do not broadcast: Excel pads with #N/A, not handled here
        raise Unsupported(f"hai mảng khác kích thước: {err}") from err
    return np.asarray(out, dtype=object).reshape(np.broadcast_shapes(*(np.shape(a) for a in args)))


def plain(value: object) -> object:
    """A computed value as it is stored in a cell: errors as their code, NaN as blank, numpy types unwrapped."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Err):
        return value.code
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
