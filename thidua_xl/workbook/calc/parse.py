"""Formula text → expression tree, for the formulas the fast evaluator understands.

A regular-expression tokenizer and a precedence parser (Excel's: comparison <
& < + - < * / < ^ < unary minus < %). Cell references are kept relative to the
formula's cell, so the thousand row formulas of one column (``=IF(OR(C2="",…``
on row 3, ``C3`` on row 4 …) share one tree, parsed once. Anything outside the
grammar (defined names, table references, whole-column ranges, array constants,
other books) raises :class:`Unsupported`, and the whole book goes to the general
evaluator instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openpyxl.utils.cell import column_index_from_string


class Unsupported(Exception):
    """A formula or book the fast evaluator does not handle (the general evaluator will)."""


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<func>[A-Za-z_][A-Za-z0-9_.]*\()
  | (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*)!)?
        (?P<c1>\$?[A-Z]{1,3})(?P<r1>\$?\d+)(?::(?P<c2>\$?[A-Z]{1,3})(?P<r2>\$?\d+))?)(?![\w(!])
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<bool>TRUE|FALSE)(?![\w(])
  | (?P<err>\#NULL!|\#DIV/0!|\#VALUE!|\#REF!|\#NAME\?|\#NUM!|\#N/A)
  | (?P<op><>|<=|>=|[-+*/^&=<>%])
  | (?P<punct>[(),])
""", re.VERBOSE)

_INFIX = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}
_PREFIX = 6  # unary minus binds tighter than ^ in Excel (=-2^2 is 4)


def _axis(text: str, letters: bool) -> tuple[bool, int]:
    absolute = text.startswith("$")
    text = text.lstrip("$")
    return absolute, column_index_from_string(text) if letters else int(text)


def tokens(formula: str, row: int, col: int) -> tuple[tuple, ...]:
    """The tokens of ``formula`` (without "="), references made relative to (row, col) unless absolute."""
    out: list[tuple] = []
    position = 0
    while position < len(formula):
        match = _TOKEN.match(formula, position)
        if match is None:
            raise Unsupported(f"không đọc được công thức từ ký tự {position + 1}: {formula}")
        position = match.end()
        kind = match.lastgroup
        if kind == "ws":
            continue
        if kind in ("ref", "sheet", "c1", "r1", "c2", "r2"):
            sheet = match["sheet"]
            if sheet is not None:
                if "[" in sheet:
                    raise Unsupported("tham chiếu sang sổ khác")
                sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
            corners = []
            for c, r in ((match["c1"], match["r1"]), (match["c2"] or match["c1"], match["r2"] or match["r1"])):
                (cabs, cn), (rabs, rn) = _axis(c, True), _axis(r, False)
                corners += [(rabs, rn if rabs else rn - row), (cabs, cn if cabs else cn - col)]
            out.append(("ref", sheet.upper() if sheet else None, tuple(corners), match["c2"] is not None))
        elif kind == "str":
            out.append(("str", match.group()[1:-1].replace('""', '"')))
        elif kind == "func":
            out.append(("func", match.group()[:-1].upper()))
        elif kind == "num":
            out.append(("num", float(match.group())))
        elif kind == "bool":
            out.append(("bool", match.group() == "TRUE"))
        else:
            out.append((kind, match.group()))
    return tuple(out)


class _Parser:
    def __init__(self, toks: tuple[tuple, ...]):
        self.toks, self.i = toks, 0

    def peek(self) -> tuple | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple:
        tok = self.peek()
        if tok is None:
            raise Unsupported("công thức dừng giữa chừng")
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok[0] != "punct" or tok[1] != text:
            raise Unsupported(f"thiếu '{text}'")

    def expression(self, floor: int = 0) -> tuple:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok[0] != "op":
                return left
            if tok[1] == "%":
                self.i += 1
                left = ("pct", left)
                continue
            level = _INFIX.get(tok[1])
            if level is None or level <= floor:
                return left
            self.i += 1
            # left-associative, ^ included (Excel: =2^3^2 is 64)
            left = ("op", tok[1], left, self.expression(level))

    def unary(self) -> tuple:
        tok = self.take()
        kind = tok[0]
        if kind == "op" and tok[1] in "+-":
            operand = self.unary_power()
            return ("neg", operand) if tok[1] == "-" else ("pos", operand)
        if kind in ("num", "str", "bool", "ref"):
            return tok
        if kind == "err":
            return ("errlit", tok[1])
        if kind == "func":
            args: list[tuple] = []
            if self.peek() == ("punct", ")"):
                self.i += 1
                return ("call", tok[1], tuple(args))
            while True:
                nxt = self.peek()
                if nxt in (("punct", ","), ("punct", ")")):
                    args.append(("missing",))
                else:
                    args.append(self.expression())
                sep = self.take()
                if sep == ("punct", ")"):
                    return ("call", tok[1], tuple(args))
                if sep != ("punct", ","):
                    raise Unsupported("thiếu dấu phẩy giữa các đối số")
        if tok == ("punct", "("):
            inner = self.expression()
            self.expect(")")
            return inner
        raise Unsupported(f"không hiểu '{tok[1]}'")

    def unary_power(self) -> tuple:
        """The operand of a unary sign: a primary with its % and ^ (=-2^2 is 4: the sign applies first)."""
        operand = self.unary()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] == "%":
            self.i += 1
            operand = ("pct", operand)
        return operand


@lru_cache(maxsize=4096)
def tree(toks: tuple[tuple, ...]) -> tuple:
    """The expression tree of a token sequence (cached: a column's row formulas share their tokens)."""
    parser = _Parser(toks)
    node = parser.expression()
    if parser.peek() is not None:
        raise Unsupported(f"thừa '{parser.peek()[1]}' cuối công thức")
    return node


def parse(formula: str, row: int, col: int) -> tuple:
    """The tree of ``formula`` ("=…") written in the cell at (row, col); raises :class:`Unsupported`."""
    return tree(tokens(formula[1:] if formula.startswith("=") else formula, row, col))
