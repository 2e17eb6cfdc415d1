"""Evaluate every formula of a workbook (openpyxl's, or :class:`..xmlbook.XmlBook`) with the fast evaluator.

Cells are evaluated on demand, each once: a formula asks for the cells and
ranges it reads, which are computed first (a cycle, a reference to an
unsupported cell value or formula raises :class:`Unsupported`). An array
formula is evaluated once and its result spread over its range as Excel does
(a single value fills the range, a row or column is repeated, cells beyond the
result get #N/A).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping

import numpy as np
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from ..reading import position
from .functions import FUNCTIONS, Missing, thidua
from .parse import Unsupported, parse
from .values import NA, Err, as_bool, as_number, binary, lift, plain

Key = tuple[str, str]  # (SHEET NAME IN UPPER CASE, "A1")
MAX_RANGE = 5_000_000  # cells; a larger range (a whole column) goes to the general evaluator


def _coordinate(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


class Book:
    """A workbook's formulas and computed values; ``skip``: cells left out (filled by :mod:`..shown`), ``udfs``:
    the THIDUA_* functions by name."""

    def __init__(self, wb, skip: set[Key], udfs: Mapping[str, Callable[..., object]]):
        self.sheets = {ws.title.upper(): ws._cells for ws in wb.worksheets}
        self.functions = dict(FUNCTIONS) | {name: thidua(f) for name, f in udfs.items()}
        self.formulas: dict[tuple[str, int, int], str] = {}
        self.anchors: dict[tuple[str, int, int], tuple[str, tuple[int, int, int, int]]] = {}
        self.members: dict[tuple[str, int, int], tuple[str, int, int]] = {}
        self.values: dict[tuple[str, int, int], object] = {}
        self.busy: set[tuple[str, int, int]] = set()
        self.ranges: dict[tuple[str, int, int, int, int], np.ndarray] = {}
        skipped = {(sheet, *position(ref)) for sheet, ref in skip}
        for ws in wb.worksheets:
            name = ws.title.upper()
            for (r, c), cell in ws._cells.items():
                value = cell.value
                if isinstance(value, ArrayFormula):
                    c1, r1, c2, r2 = range_boundaries(value.ref or _coordinate(r, c))
                    if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_RANGE:
                        raise Unsupported(f"mảng {value.ref} quá lớn")
                    self.anchors[(name, r, c)] = (value.text or "", (r1, c1, r2, c2))
                    for rr in range(r1, r2 + 1):
                        for cc in range(c1, c2 + 1):
                            self.members[(name, rr, cc)] = (name, r, c)
                elif (isinstance(value, str) and value.startswith("=") and cell.data_type == "f"
                      and (name, r, c) not in skipped):
                    self.formulas[(name, r, c)] = value

    # ---------------------------------------------------------------- cells
    def cell(self, sheet: str, r: int, c: int) -> object:
        key = (sheet, r, c)
        if key in self.values:
            return self.values[key]
        if key in self.members:
            self._array(self.members[key])
            return self.values.get(key)
        if key in self.formulas:
            return self._formula(key)
        cell = self.sheets[sheet].get((r, c))
        return _constant(cell.value) if cell is not None else None

    def _enter(self, key: tuple[str, int, int]) -> None:
        if key in self.busy:
            raise Unsupported(f"vòng tham chiếu ở {key[0]}!{_coordinate(key[1], key[2])}")
        self.busy.add(key)

    def _formula(self, key: tuple[str, int, int]) -> object:
        self._enter(key)
        sheet, r, c = key
        value = self.eval(parse(self.formulas[key], r, c), sheet, r, c)
        if isinstance(value, np.ndarray):
            if value.size != 1:
                raise Unsupported("công thức thường trả về cả một vùng (giao ngầm định)")
            value = value.ravel()[0]
        self.busy.discard(key)
        self.values[key] = value
        return value

    def _array(self, anchor: tuple[str, int, int]) -> None:
        if anchor in self.values:
            return
        self._enter(anchor)
        sheet, r, c = anchor
        text, (r1, c1, r2, c2) = self.anchors[anchor]
        result = self.eval(parse(text, r, c), sheet, r, c)
        grid = result if isinstance(result, np.ndarray) else np.asarray([[result]], dtype=object)
        rows, cols = grid.shape
        for i in range(r2 - r1 + 1):
            for j in range(c2 - c1 + 1):
                ii = 0 if rows == 1 else i
                jj = 0 if cols == 1 else j
                value = grid[ii, jj] if ii < rows and jj < cols else NA
                self.values[(sheet, r1 + i, c1 + j)] = value
        self.values[anchor] = self.values[(sheet, r1, c1)]
        self.busy.discard(anchor)

    def range(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> np.ndarray:
        key = (sheet, r1, c1, r2, c2)
        if key in self.ranges:
            return self.ranges[key]
        if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_RANGE:
            raise Unsupported("vùng quá lớn")
        grid = np.empty((r2 - r1 + 1, c2 - c1 + 1), dtype=object)
        cells = self.sheets[sheet]
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                key3 = (sheet, r, c)
                if key3 in self.values or key3 in self.members or key3 in self.formulas:
                    grid[r - r1, c - c1] = self.cell(sheet, r, c)
                else:
                    cell = cells.get((r, c))
                    grid[r - r1, c - c1] = _constant(cell.value) if cell is not None else None
        self.ranges[key] = grid
        return grid

    # ----------------------------------------------------------- expressions
    def eval(self, node: tuple, sheet: str, row: int, col: int) -> object:
        kind = node[0]
        if kind == "ref":
            target = node[1] or sheet
            if target not in self.sheets:
                raise Unsupported(f"không có sheet '{target}'")
            (ra1, r1), (ca1, c1), (ra2, r2), (ca2, c2) = node[2]
            r1, c1 = (r1 if ra1 else row + r1), (c1 if ca1 else col + c1)
            r2, c2 = (r2 if ra2 else row + r2), (c2 if ca2 else col + c2)
            if min(r1, c1, r2, c2) < 1:
                return Err("#REF!")
            if not node[3]:
                return self.cell(target, r1, c1)
            r1, r2 = sorted((r1, r2))
            c1, c2 = sorted((c1, c2))
            return self.range(target, r1, c1, r2, c2)
        if kind in ("num", "str", "bool"):
            return node[1]
        if kind == "errlit":
            return Err(node[1])
        if kind == "op":
            a = self.eval(node[2], sheet, row, col)
            b = self.eval(node[3], sheet, row, col)
            op = node[1]
            return lift(lambda x, y: binary(op, x, y), a, b)
        if kind == "neg":
            return lift(lambda x: (lambda n: n if isinstance(n, Err) else -n)(as_number(x)),
                        self.eval(node[1], sheet, row, col))
        if kind == "pos":
            return self.eval(node[1], sheet, row, col)
        if kind == "pct":
            return lift(lambda x: (lambda n: n if isinstance(n, Err) else n / 100)(as_number(x)),
                        self.eval(node[1], sheet, row, col))
        if kind == "call" and node[1] in ("IF", "IFERROR") and len(node[2]) in (2, 3):
            lazy = self._lazy(node, sheet, row, col)
            if lazy is not _ALL:
                return lazy
        if kind == "call":
            function = self.functions.get(node[1])
            if function is None:
                raise Unsupported(f"hàm {node[1]}")
            args = [Missing() if a == ("missing",) else self.eval(a, sheet, row, col) for a in node[2]]
            if any(isinstance(a, Missing) for a in args) and not node[1].startswith("THIDUA_"):
                raise Unsupported(f"đối số bỏ trống trong {node[1]}")
            try:
                return function(*args)
            except TypeError as err:  # wrong number of arguments
                raise Unsupported(f"{node[1]}: {err}") from err
        raise Unsupported(f"không hiểu {kind}")

    def _lazy(self, node: tuple, sheet: str, row: int, col: int) -> object:
        """IF and IFERROR with a single value first: only the branch taken is evaluated, as in Excel (a
        THIDUA_MEAN of a blank row behind =IF(A2="","",…) is never called)."""
        name, args = node[1], node[2]
        if ("missing",) in args:
            return _ALL
        first = self.eval(args[0], sheet, row, col)
        if isinstance(first, np.ndarray):
            return _ALL
        if name == "IFERROR":
            return self.eval(args[1], sheet, row, col) if isinstance(first, Err) else first
        flag = as_bool(first)
        if isinstance(flag, Err):
            return flag
        if flag:
            return self.eval(args[1], sheet, row, col)
        return self.eval(args[2], sheet, row, col) if len(args) == 3 else False


_ALL = object()  # "evaluate every argument" (an array condition)


def _constant(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise Unsupported("ô ngày giờ")
    raise Unsupported(f"giá trị ô kiểu {type(value).__name__}")


def evaluate_book(wb, skip: set[Key], udfs: Mapping[str, Callable[..., object]]) -> dict[Key, object]:
    """Every formula cell's and array member's value, keyed by (SHEET NAME IN UPPER CASE, address)."""
    book = Book(wb, skip, udfs)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        for anchor in book.anchors:
            book._array(anchor)
        for key in book.formulas:
            if key not in book.values:
                book._formula(key)
    except RecursionError as err:
        raise Unsupported("chuỗi tham chiếu quá dài") from err
    finally:
        sys.setrecursionlimit(limit)
    return {(sheet, _coordinate(r, c)): plain(v) for (sheet, r, c), v in book.values.items()}
