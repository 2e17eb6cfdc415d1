"""The worksheet functions the fast evaluator knows: the ones the templates write, a few common ones
around them, and the THIDUA_* functions (the same code the Excel add-in runs).

Each takes evaluated arguments (a scalar, or a 2-D object array for a range or an array result) and
follows Excel: aggregates skip the texts and booleans of a range but count those typed as arguments,
errors propagate. A function not listed here sends the book to the general evaluator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .parse import Unsupported
from .rank import rank_eq
from .values import NA, VALUE, Err, as_bool, as_number, as_text, compare, is_number, lift

Function = Callable[..., object]


def _each(args: tuple[object, ...]) -> Iterator[tuple[object, bool]]:
    """Every value of the arguments, with whether it came from a range/array (True) or was typed (False)."""
    for arg in args:
        if isinstance(arg, np.ndarray):
            for value in arg.ravel().tolist():
                yield value, True
        else:
            yield arg, False


def _numbers(args: tuple[object, ...]) -> list[float] | Err:
    out: list[float] = []
    for value, in_range in _each(args):
        if isinstance(value, Err):
            return value
        if in_range:
            if is_number(value):
                out.append(float(value))
        elif value is not None:
            number = as_number(value)
            if isinstance(number, Err):
                return number
            out.append(number)
    return out


def _aggregate(reduce: Callable[[list[float]], object]) -> Function:
    def function(*args: object) -> object:
        numbers = _numbers(args)
        return numbers if isinstance(numbers, Err) else reduce(numbers)

    return function


def _count(*args: object) -> int:
    return sum(1 for v, in_range in _each(args)
               if is_number(v) or (not in_range and not isinstance(v, Err | type(None))
                                   and not isinstance(as_number(v), Err)))


def _counta(*args: object) -> int:
    return sum(1 for v, _ in _each(args) if v is not None)


def _countblank(*args: object) -> int:
    return sum(1 for v, _ in _each(args) if v is None or v == "")


def _logical(combine: Callable[[list[bool]], bool]) -> Function:
    def function(*args: object) -> object:
        seen: list[bool] = []
        for value, in_range in _each(args):
            if isinstance(value, Err):
                return value
            if in_range and not isinstance(value, bool | int | float):
                continue
            flag = as_bool(value)
            if isinstance(flag, Err):
                return flag
            seen.append(flag)
        return combine(seen) if seen else VALUE

    return function


def _if(condition: object, yes: object = True, no: object = False) -> object:
    def pick(c: object, a: object, b: object) -> object:
        flag = as_bool(c)
        return flag if isinstance(flag, Err) else (a if flag else b)

    return lift(pick, condition, yes, no)


def _iferror(value: object, fallback: object) -> object:
    return lift(lambda v, f: f if isinstance(v, Err) else v, value, fallback)


def _round(value: object, digits: object = 0.0) -> object:
    def one(v: object, d: object) -> object:
        x, n = as_number(v), as_number(d)
        if isinstance(x, Err):
            return x
        if isinstance(n, Err):
            return n
        # half away from zero on the 15-digit decimal the cell shows (Excel: ROUND(2.675,2) is 2.68)
        return float(Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-int(n)), rounding=ROUND_HALF_UP))

    return lift(one, value, digits)


def _unary(function: Callable[[float], object]) -> Function:
    def call(value: object) -> object:
        def one(v: object) -> object:
            x = as_number(v)
            return x if isinstance(x, Err) else function(x)

        return lift(one, value)

    return call


def _len(value: object) -> object:
    """LEN: the length of the value's text (a number as Excel writes it, an empty cell 0); errors propagate."""
    def one(v: object) -> object:
        text = as_text(v)
        return text if isinstance(text, Err) else float(len(text))

    return lift(one, value)


_OPERATORS = ("<=", ">=", "<>", "<", ">", "=")


def _countif(within: object, criterion: object) -> object:
    """COUNTIF with a number, a text or a comparison ("<>0", ">=90") as the criterion, as LibreOffice and
    Excel count: "<>x" counts every other cell (blanks, errors, booleans too); a typed number matches numbers,
    the text "20" numbers and texts alike (for "=" and "<>"); texts compare without case. Wildcards (* ? ~) or an empty criterion
    go to the general evaluator."""
    if isinstance(criterion, Err):
        return criterion
    if isinstance(criterion, np.ndarray) or criterion is None or isinstance(criterion, bool):
        raise Unsupported("COUNTIF với điều kiện là một vùng, ô trống hoặc TRUE/FALSE")
    op, operand, texts_too, typed = "=", criterion, False, ""
    if isinstance(criterion, str):
        op = next((o for o in _OPERATORS if criterion.startswith(o)), "=")
        operand = typed = criterion[len(op):] if criterion.startswith(op) else criterion
        if any(ch in operand for ch in "*?~") or operand == "":
            raise Unsupported("COUNTIF với ký tự đại diện hoặc điều kiện rỗng")
        number = as_number(operand)
        texts_too = op in ("=", "<>") and not isinstance(number, Err)
        operand = operand if isinstance(number, Err) else number
    values = within.ravel().tolist() if isinstance(within, np.ndarray) else [within]
    numeric = is_number(operand)

    def matches(value: object) -> bool:
        if isinstance(value, Err) or value is None or isinstance(value, bool):
            return False
        if texts_too and isinstance(value, str):
            return value.strip().casefold() == typed.strip().casefold()
        if numeric != is_number(value):  # a number criterion counts numbers, a text one texts
            return False
        a, b = (value, operand) if numeric else (str(value).casefold(), str(operand).casefold())
        return {"=": a == b, "<>": a == b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    hits = sum(1 for v in values if matches(v))
    return float(len(values) - hits if op == "<>" else hits)


def _match(value: object, within: object, kind: object = 1.0) -> object:
    if isinstance(value, np.ndarray) or as_number(kind) != 0:
        raise Unsupported("MATCH chỉ hỗ trợ tìm chính xác (0) một giá trị")
    if isinstance(value, Err):
        return value
    cells = within.ravel().tolist() if isinstance(within, np.ndarray) else [within]
    if isinstance(within, np.ndarray) and 1 not in within.shape:
        return NA
    for i, cell in enumerate(cells, start=1):
        if cell is not None and not isinstance(cell, Err) and compare("=", cell, value) is True:
            return i
    return NA


def _index(array: object, row: object, column: object = None) -> object:
    grid = array if isinstance(array, np.ndarray) else np.asarray([[array]], dtype=object)
    r = as_number(row)
    c = as_number(column) if column is not None else None
    for n in (r, c):
        if isinstance(n, Err):
            return n
    if c is None and grid.shape[0] == 1:
        r, c = 1.0, r
    c = 1.0 if c is None else c
    r, c = int(r), int(c)  # type: ignore[arg-type]
    if r < 1 or c < 1:
        raise Unsupported("INDEX với hàng/cột 0 (cả hàng, cả cột)")
    if r > grid.shape[0] or c > grid.shape[1]:
        return Err("#REF!")
    return grid[r - 1, c - 1]


def _is(test: Callable[[object], bool]) -> Function:
    return lambda value: lift(lambda v: test(v), value)


def _not(value: object) -> object:
    return lift(lambda v: (lambda f: f if isinstance(f, Err) else not f)(as_bool(v)), value)


FUNCTIONS: dict[str, Function] = {
    "IF": _if, "IFERROR": _iferror, "AND": _logical(all), "OR": _logical(any), "NOT": _not,
    "ISNUMBER": _is(is_number), "ISBLANK": _is(lambda v: v is None), "ISTEXT": _is(lambda v: isinstance(v, str)),
    "ISERROR": _is(lambda v: isinstance(v, Err)),
    "SUM": _aggregate(lambda xs: float(math.fsum(xs))), "MAX": _aggregate(lambda xs: max(xs, default=0.0)),
    "MIN": _aggregate(lambda xs: min(xs, default=0.0)),
    "AVERAGE": _aggregate(lambda xs: math.fsum(xs) / len(xs) if xs else Err("#DIV/0!")),
    "COUNT": _count, "COUNTA": _counta, "COUNTBLANK": _countblank,
    "ROUND": _round, "INT": _unary(lambda x: float(math.floor(x))), "ABS": _unary(abs),
    "MATCH": _match, "INDEX": _index, "LEN": _len, "COUNTIF": _countif,
    "NA": lambda: NA, "RANK": rank_eq, "RANK.EQ": rank_eq, "_XLFN.RANK.EQ": rank_eq,
}


def thidua(function: Callable[..., object]) -> Function:
    """A THIDUA_* function over evaluated arguments: ranges handed over as the 2-D lists Excel gives a UDF
    (blank None, an error as its code), the result as an array."""

    def to_udf(value: object) -> object:
        if isinstance(value, np.ndarray):
            return [[to_udf(v) for v in row] for row in value.tolist()]
        return value.code if isinstance(value, Err) else value

    def call(*args: object) -> object:
        result = function(*(None if isinstance(a, Missing) else to_udf(a) for a in args))
        if isinstance(result, list):
            grid = np.empty((len(result), max((len(r) for r in result), default=0)), dtype=object)
            for i, row in enumerate(result):
                for j, v in enumerate(row):
                    grid[i, j] = v
            return grid
        return result

    return call


class Missing:
    """An omitted argument (``=THIDUA_SCORE(a,b,,d)``)."""
