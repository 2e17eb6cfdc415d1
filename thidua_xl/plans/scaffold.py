"""``thidua-xl new-plan``: next year's rubric module, written for a secretary to edit, never run blind.

Two ways to start:

* from a plan (``--from``): a copy of its module with the new id, title and
  year, and at the end of every line that holds a number a comment saying
  which clause of the Kế hoạch that number must match ("khớp Kế hoạch: …"),
  taken from the clause the source module declares. Its example figures are
  copied too, so ``check-plan`` can run the new plan at once;
* from nothing: :data:`SKELETON`, one bloc with two criteria of different
  kinds, a gate and an award scheme, every line explained.

Written files never replace an existing one (the new module, the example
folder): a plan someone has already edited is not lost to a second command.
"""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import tokenize
from datetime import date
from pathlib import Path

from thidua_xl.tables import TableError, atomic_write

from .loader import EXAMPLES, PlanError, module_name, valid_id
from .locate import CLAUSE_WORDS, Number, call_name, numbers

CLAUSE_MARK = "khớp Kế hoạch:"
NO_CLAUSE = "? (ghi mục, khoản của Kế hoạch)"
_YEAR = re.compile(r"(?:19|20)\d\d")


def _check_new_id(plan_id: str) -> None:
    from thidua_xl import rubrics

    if not valid_id(plan_id):
        raise PlanError(f"Mã kế hoạch '{plan_id}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu '-' "
                        "(ví dụ hau-giang-2025).")
    if plan_id in rubrics.available():
        raise PlanError(f"Đã có kế hoạch '{plan_id}' ({rubrics.origin(plan_id)}): chọn mã khác.")


def _lines(source: str) -> list[str]:
    """Physical lines as Python counts them (``str.splitlines`` would also split at U+2028, form feeds…)."""
    return re.split(r"(?<=\n)", source)


def _literal(text: str) -> str:
    """A Python string literal for ``text`` (json's escaping is valid Python; Vietnamese stays readable)."""
    return json.dumps(text, ensure_ascii=False)


def _span(source_lines: list[str], node: ast.AST) -> tuple[int, int]:
    """Character offsets of a node in the source joined by lines (``ast`` gives UTF-8 byte columns)."""
    def offset(line: int, col: int) -> int:
        before = sum(len(s) for s in source_lines[:line - 1])
        return before + len(source_lines[line - 1].encode("utf-8")[:col].decode("utf-8"))

    return offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _rubric_call(tree: ast.Module) -> ast.Call:
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "RUBRIC" for t in node.targets)
                and isinstance(node.value, ast.Call) and call_name(node.value) == "Rubric"):
            return node.value
    raise PlanError("Mô-đun nguồn không có dòng RUBRIC = Rubric(...) ở cấp mô-đun.")


def _constant_of(tree: ast.Module, value: ast.AST) -> ast.AST:
    """The literal behind ``id=PLAN_ID``: the module-level assignment's value, or the value itself."""
    if isinstance(value, ast.Name):
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == value.id
                                                    for t in node.targets):
                return node.value
    return value


def retarget(source: str, plan_id: str, title: str, year: int, plan_file: str) -> str:
    """``source`` with the Rubric's id, title, year and source file replaced (by syntax tree, not by search)."""
    tree = ast.parse(source)
    call = _rubric_call(tree)
    new = {"id": _literal(plan_id), "title": _literal(title), "year": str(year), "source": _literal(plan_file)}
    lines = _lines(source)
    edits = []
    for kw in call.keywords:
        if kw.arg in new:
            target = _constant_of(tree, kw.value) if kw.arg == "id" else kw.value
            edits.append((*_span(lines, target), new[kw.arg]))
    missing = {"id", "title", "year"} - {kw.arg for kw in call.keywords}
    if missing:
        raise PlanError(f"Rubric(...) của mô-đun nguồn không ghi {', '.join(sorted(missing))}=.")
    text = "".join(lines)
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def citation(clause: str) -> str:
    """The reference, not the rule: "Mục III.2.b, dòng 1: tỷ lệ 100 % → …" → "Mục III.2.b, dòng 1";
    a second reference after a colon stays ("…; điểm cộng: Mục IV.4")."""
    parts = clause.split(": ")
    kept = [parts[0]]
    for part in parts[1:]:
        if not CLAUSE_WORDS.match(part):
            break
        kept.append(part)
    return ": ".join(kept).strip()


def _comment(found: list[Number]) -> str:
    clauses = list(dict.fromkeys(citation(n.clause) for n in found if n.clause))
    if all(n.context == "Rubric.year" for n in found):
        return f"# {CLAUSE_MARK} năm thực hiện ghi trong Kế hoạch"
    return f"# {CLAUSE_MARK} " + (" | ".join(clauses) if clauses else NO_CLAUSE)


def annotate(source: str) -> str:
    """Append a "khớp Kế hoạch: <clause>" comment to every line holding a number (not inside a string,
    not a line that already has a comment)."""
    by_line: dict[int, list[Number]] = {}
    for n in numbers(ast.parse(source)):
        by_line.setdefault(n.line, []).append(n)
    commented, ends = set(), set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            commented.add(tok.start[0])
        elif tok.type in (tokenize.NL, tokenize.NEWLINE):
            ends.add(tok.start[0])
    lines = _lines(source)
    for line, found in by_line.items():
        if line in commented or line not in ends:
            continue
        text = lines[line - 1]
        body, newline = text.rstrip("\r\n"), text[len(text.rstrip("\r\n")):]
        lines[line - 1] = f"{body}  {_comment(found)}{newline}"
    return "".join(lines)


_HEADER_START = "# Kế hoạch '"


def _without_header(source: str) -> str:
    """A module made by this command again (next year's from this year's) keeps one header, the new one."""
    lines = _lines(source)
    if lines and lines[0].startswith(_HEADER_START) and "thidua-xl new-plan" in lines[0]:
        return "".join(lines[len(_header("", "").splitlines()):])
    return source


def _header(source_id: str, plan_id: str) -> str:
    return (f"{_HEADER_START}{plan_id}': chép từ '{source_id}' bằng 'thidua-xl new-plan' ngày {date.today():%d/%m/%Y}.\n"
            f"# Mỗi dòng có số ghi '{CLAUSE_MARK} …' là mục của Kế hoạch cũ: đối chiếu với Kế hoạch mới, sửa số\n"
            "# và sửa chú thích cho đúng mục mới. Kiểm tra: thidua-xl check-plan <tệp này>\n")


def _targets(folder: Path, plan_id: str) -> tuple[Path, Path]:
    """The module and the example folder a new plan gets — refused, before anything is written, if either exists."""
    module, examples = Path(folder) / f"{module_name(plan_id)}.py", Path(folder) / EXAMPLES / plan_id
    for path in (module, examples):
        if path.exists():
            raise PlanError(f"Đã có '{path}': không ghi đè. Xóa hoặc đổi tên nó nếu muốn tạo lại.")
    return module, examples


def _write_new(path: Path, text: str, encoding: str = "utf-8") -> Path:
    try:
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline="\n"))
    except (TableError, OSError) as err:
        raise PlanError(str(err)) from err


def _copy_examples(source: Path, target: Path) -> list[Path]:
    """The yearly example tables; the monthly ones (``<khối>_thang.csv``) carry last year's months in "Kỳ"
    and are left behind (``thidua-xl examples`` makes them for a shipped plan)."""
    from thidua_xl.example_data import MONTHS_SUFFIX

    return [atomic_write(target / csv.name, lambda tmp, csv=csv: shutil.copyfile(csv, tmp))
            for csv in sorted(source.glob("*.csv")) if not csv.stem.endswith(MONTHS_SUFFIX)]


def _default_year(plan_id: str) -> int:
    """The last year written in the id (``hau-giang-2025`` → 2025), else this year."""
    found = _YEAR.findall(plan_id)
    return int(found[-1]) if found else date.today().year


def new_from(source_id: str, plan_id: str, folder: Path, title: str | None = None,
             year: int | None = None) -> list[Path]:
    """Copy plan ``source_id`` as ``plan_id`` into ``folder``; the files written (module first)."""
    from thidua_xl import rubrics

    _check_new_id(plan_id)
    source = rubrics.get(source_id)
    origin = rubrics.origin(source.id)
    year = year or _default_year(plan_id)
    if title is None:  # last year's title with this year (said once, at the end, if it did not say it)
        title = (source.title.replace(str(source.year), str(year)) if str(source.year) in source.title
                 else f"{source.title} năm {year}")
    module, examples = _targets(folder, plan_id)
    text = retarget(_without_header(origin.read_text(encoding="utf-8")), plan_id, title, year, plan_file="")
    written = _write_new(module, _header(source.id, plan_id) + annotate(text))
    return [written, *_copy_examples(origin.parent / EXAMPLES / source.id, examples)]


def new_skeleton(plan_id: str, folder: Path, title: str | None = None, year: int | None = None) -> list[Path]:
    """A commented skeleton module and its example figures; the files written (module first)."""
    from .skeleton import EXAMPLE_CSV, SKELETON

    _check_new_id(plan_id)
    module, examples = _targets(folder, plan_id)
    year = year or _default_year(plan_id)
    text = SKELETON.format(plan_id=plan_id, title=_literal(title or f"Phong trào thi đua năm {year}"), year=year)
    # The CSV with a BOM, as the shipped examples: Excel then opens the diacritics right.
    return [_write_new(module, text), _write_new(examples / "don_vi.csv", EXAMPLE_CSV, encoding="utf-8-sig")]
