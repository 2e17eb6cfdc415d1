"""Finding the line of a plan module that an error or a number belongs to (by reading its syntax tree).

A rubric checks itself when ``Rubric(...)`` is built, so Python's traceback
points at that one statement whatever is wrong. The secretary needs the line
to change: the bloc's ``max_total`` when points do not add up, the scheme's
``individuals_total`` when quotas do not, the place an undeclared column is
used. The messages of :class:`~thidua_xl.rubric.RubricError` quote the names
involved; this module looks those names up in the module's source.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from thidua_xl.rubric import RubricError

_QUOTED = re.compile(r"'([^']+)'")
# How a plan's clauses are cited ("Mục III.2.b", "Điều 5", "Khoản 2", "Phụ lục I", "Điểm a").
CLAUSE_WORDS = re.compile(r"(Mục|Điều|Khoản|Phụ lục|Điểm|Phần|Chương) [0-9IVXa-zđ]")


def call_name(node: ast.AST) -> str:
    """``Criterion`` for ``Criterion(...)`` and ``rubric.Criterion(...)``; '' for anything else."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return ""


def _names_itself(call: ast.Call, ident: str) -> bool:
    """The call's ``id=``/``label=``/first argument is the string ``ident``."""
    values = [k.value for k in call.keywords if k.arg in ("id", "label", "name")] + call.args[:1]
    return any(isinstance(v, ast.Constant) and v.value == ident for v in values)


def calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and call_name(node) == name:
            yield node


def named_call(tree: ast.AST, name: str, ident: str) -> ast.Call | None:
    """The ``name(...)`` call whose id/label/first argument is ``ident`` — or the only such call."""
    found = list(calls(tree, name))
    return next((c for c in found if _names_itself(c, ident)), found[0] if len(found) == 1 else None)


def _keyword(call: ast.Call, arg: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == arg), None)


def keyword_line(path: Path, name: str, arg: str, ident: str | None = None) -> int | None:
    """Line of ``arg=`` in the ``name(...)`` call naming ``ident`` (or the only/first such call)."""
    tree = ast.parse(Path(path).read_bytes(), str(path))
    return _keyword_line(tree, name, arg, ident)


def _keyword_line(tree: ast.AST, name: str, arg: str, ident: str | None) -> int | None:
    found = [c for c in calls(tree, name) if _keyword(c, arg) is not None]
    if ident is not None:
        named = [c for c in found if _names_itself(c, ident)]
        found = named or found
    if not found:
        return None
    kw = _keyword(found[0], arg)
    return kw.value.lineno if kw is not None else None


def _string_line(tree: ast.AST, text: str) -> int | None:
    """First line where the string ``text`` is used as a value (not a docstring or clause)."""
    hits = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == text]
    return min((n.lineno for n in hits), default=None)


def rubric_error_line(tree: ast.AST, message: str) -> int | None:
    """The line a :class:`RubricError` is about, from the names its message quotes."""
    quoted = _QUOTED.findall(message)
    if "thang điểm" in message and quoted:
        return _keyword_line(tree, "Bloc", "max_total", quoted[0])
    if "chỉ tiêu cá nhân" in message and quoted:
        return _keyword_line(tree, "AwardScheme", "individuals_total", quoted[0])
    if "điểm chuẩn âm" in message and len(quoted) > 1:
        return _keyword_line(tree, "Criterion", "max_points", quoted[1]) or _string_line(tree, quoted[1])
    for text in reversed(quoted):
        line = _string_line(tree, text)
        if line is not None:
            return line
    return None


# What the usual Python errors in a hand-edited rubric mean, for a secretary (Python's own text follows).
_PYTHON_ERRORS: tuple[tuple[type[BaseException], str], ...] = (
    (NameError, "tên chưa khai báo — gõ sai tên, hoặc chưa có trong danh sách 'from thidua_xl.rubric import'"),
    (ImportError, "không nhập được"),
    (TypeError, "sai tham số — thiếu, thừa hoặc sai tên một mục trong ngoặc"),
    (AttributeError, "không có thuộc tính này — gõ sai tên"),
)


def describe_error(err: BaseException, path: Path) -> str:
    """One Vietnamese line: file, line, what is wrong."""
    from .loader import error_line

    if isinstance(err, SyntaxError):
        where = f"{path}, dòng {err.lineno}"
        return f"{where}: lỗi cú pháp Python — {err.msg}" + (f": {err.text.strip()}" if err.text else "")
    line = None
    if isinstance(err, RubricError):
        try:
            line = rubric_error_line(ast.parse(path.read_bytes(), str(path)), str(err))
        except SyntaxError:  # pragma: no cover - it ran, so it parses
            line = None
        what = f"bộ tiêu chí không hợp lệ — {err}"
    else:
        kind = next((text for cls, text in _PYTHON_ERRORS if isinstance(err, cls)), "lỗi khi chạy mô-đun")
        what = f"{kind} ({type(err).__name__}: {err})"
    line = line or error_line(err, path)
    where = f"{path}, dòng {line}" if line else str(path)
    return f"{where}: {what}"


@dataclass(frozen=True)
class Number:
    """A number written in the module, with the clause of the plan it must match (if the module says)."""

    line: int
    value: float
    context: str      # e.g. "Criterion.max_points", "Tier", "max_total"
    clause: str       # the enclosing call's clause=, or ''


def _clause_of(call: ast.Call) -> str:
    kw = _keyword(call, "clause")
    if kw is None:
        return ""
    if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
        return kw.value.value
    if isinstance(kw.value, ast.JoinedStr):  # f-string: its literal parts
        return "".join(v.value for v in kw.value.values if isinstance(v, ast.Constant)).strip()
    return "(điều khoản tính khi chạy)"


def numbers(tree: ast.AST) -> list[Number]:
    """Every int/float literal of the module, with its nearest enclosing call's name, keyword and clause."""
    out: list[Number] = []

    def literal(node: ast.AST) -> float | None:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = literal(node.operand)
            return None if inner is None else -inner
        return None

    def visit(node: ast.AST, chain: tuple[ast.Call, ...], keyword: str, row_clause: str = "") -> None:
        value = literal(node)
        if value is not None:
            clause = next((c for c in (_clause_of(call) for call in reversed(chain)) if c), row_clause)
            where = call_name(chain[-1]) if chain else ""
            context = f"{where}.{keyword}" if where and keyword else where or keyword
            out.append(Number(node.lineno, value, context, clause))
            return
        if isinstance(node, ast.Call):
            chain = (*chain, node)
            for arg in node.args:
                visit(arg, chain, "", row_clause)
            for kw in node.keywords:
                visit(kw.value, chain, kw.arg or "", row_clause)
            return
        if isinstance(node, ast.Tuple):  # a table row such as (id, label, points, …, "Mục II.1.a", note)
            row_clause = next((e.value for e in node.elts if isinstance(e, ast.Constant)
                               and isinstance(e.value, str) and CLAUSE_WORDS.match(e.value)), row_clause)
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and not chain:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            keyword = target.id if isinstance(target, ast.Name) else keyword
        for child in ast.iter_child_nodes(node):
            visit(child, chain, keyword, row_clause)

    visit(tree, (), "")
    return sorted(out, key=lambda n: n.line)
