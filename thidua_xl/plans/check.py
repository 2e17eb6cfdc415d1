"""``thidua-xl check-plan``: read a rubric module back to its author, in Vietnamese, and say if it holds.

The report is what a council member checks against the Kế hoạch: each bloc's
criteria with their points and rule, the sum against the declared maximum,
gates, tie-breaks, award schemes (counts, money, individual quotas and whether
they add up), the units, the numbers that cite no clause, and a run on the
example figures next to the module. Problems — anything that would score
wrongly or refuse to load — make the plan inconsistent; each names its line.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from thidua_xl.periods import rollup_rules, when
from thidua_xl.rubric import (
    AtLeast,
    AwardScheme,
    Below,
    Bloc,
    Kind,
    MinTotal,
    RateScore,
    Rubric,
    StepBonus,
)
from thidua_xl.vn import fmt_money_full, fmt_number, fmt_percent

from .loader import PlanError, load_file, valid_id
from .locate import named_call, numbers
from .scaffold import CLAUSE_MARK, NO_CLAUSE


@dataclass
class Report:
    """The lines to print, and the problems (with their module line) that make the plan inconsistent."""

    path: Path
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.problems

    def text(self) -> str:
        out = list(self.lines)
        if self.warnings:
            out += ["", "Cần xem lại (không làm sai điểm):", *(f"  - {w}" for w in self.warnings)]
        if self.problems:
            out += ["", f"KHÔNG NHẤT QUÁN — {len(self.problems)} lỗi:", *(f"  - {p}" for p in self.problems)]
        else:
            out += ["", "Nhất quán: bộ tiêu chí dùng được."]
        return "\n".join(out)


class _Lines:
    """Where each named item (criterion, tier, scheme…) is written in the module."""

    def __init__(self, tree: ast.AST) -> None:
        self.tree = tree

    def of(self, kind: str, ident: str, arg: str | None = None) -> int | None:
        call = named_call(self.tree, kind, ident)
        if call is None:
            return None
        kw = next((k for k in call.keywords if k.arg == arg), None) if arg else None
        return kw.value.lineno if kw is not None else call.lineno

    def at(self, kind: str, ident: str, arg: str | None = None) -> str:
        line = self.of(kind, ident, arg)
        return f"[dòng {line}] " if line else ""


def _commented_lines(source: str) -> dict[int, str]:
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string
    return out


def _condition(bloc: Bloc, cond: MinTotal | Below | AtLeast) -> str:
    if isinstance(cond, MinTotal):
        return f"tổng điểm dưới {fmt_number(cond.minimum)} → {cond.reason} ({cond.clause})"
    label = bloc.label_of(cond.figure)
    value = _value(bloc, cond.figure, cond.threshold)
    sign = "<" if isinstance(cond, Below) else "≥"
    return f"{label} {sign} {value} → {cond.reason} ({cond.clause})"


def _is_rate(bloc: Bloc, column: str) -> bool:
    """Derived figures (ratios, blends) are rates; typed figures say so by their kind."""
    return any(d.id == column for d in bloc.derived) or any(
        f.id == column and f.kind is Kind.RATE for f in bloc.figures)


def _value(bloc: Bloc, column: str, value: float) -> str:
    return fmt_percent(value) if _is_rate(bloc, column) else fmt_number(value)


def _bloc_section(report: Report, rubric: Rubric, bloc: Bloc, where: _Lines) -> None:
    report.lines += ["", f"Khối '{bloc.id}' — {bloc.label} (cột tên đơn vị: {bloc.unit_label})"]
    for c in bloc.criteria:
        report.lines.append(f"  {where.at('Criterion', c.id)}{c.id} — {c.label}: {fmt_number(c.max_points)} điểm. "
                            f"{c.rule.describe(c.max_points)} ({c.clause or 'chưa ghi mục'})")
        if not c.clause:
            report.warnings.append(f"{where.at('Criterion', c.id)}tiêu chí '{c.id}' chưa ghi mục của Kế hoạch")
        if isinstance(c.rule, RateScore) and c.rule.full_at > 1:
            report.problems.append(f"{where.at('Criterion', c.id)}tiêu chí '{c.id}': ngưỡng tròn điểm "
                                   f"{fmt_number(c.rule.full_at)} lớn hơn 1 — tỷ lệ viết dạng phân số "
                                   f"(90 % là 0.9)")
    total = bloc.standard_total()
    if bloc.max_total is None:
        report.lines.append(f"  Tổng điểm chuẩn: {fmt_number(total)} (khối không khai báo thang điểm max_total)")
    else:  # a mismatch cannot get here: the rubric refuses to build (see describe_error)
        report.lines.append(f"  Tổng điểm chuẩn: {fmt_number(total)} = thang điểm {fmt_number(bloc.max_total)} ✓")
    for cond in bloc.eligibility:
        report.lines.append(f"  Điều kiện xét: {_condition(bloc, cond)}")
        if isinstance(cond, (Below, AtLeast)) and _is_rate(bloc, cond.figure) and cond.threshold > 1:
            report.problems.append(f"khối '{bloc.id}': ngưỡng {fmt_number(cond.threshold)} của "
                                   f"'{bloc.label_of(cond.figure)}' lớn hơn 1 — tỷ lệ viết dạng phân số")
    if not bloc.eligibility:
        report.lines.append("  Điều kiện xét: không có")
    for tb in bloc.tiebreaks:
        better = "cao hơn" if tb.higher_is_better else "thấp hơn"
        report.lines.append(f"  Khi bằng điểm: {bloc.label_of(tb.figure)} {better} xếp trên — {tb.label} ({tb.clause})")
    if bloc.units:
        report.lines.append(f"  Đơn vị theo Kế hoạch ({len(bloc.units)}): {', '.join(bloc.units)}")
    if bloc.group is not None:
        choices = f": {', '.join(bloc.group.choices)}" if bloc.group.choices else ""
        report.lines.append(f"  Nhóm ({bloc.group.label}){choices}")
    if bloc.bands is not None:
        report.lines.append("  Xếp loại: " + "; ".join(f"từ {fmt_number(m)} {n}" for m, n in bloc.bands.bands))
    by_rule: dict[str, list[str]] = {}
    for label, how, _ in rollup_rules(bloc):
        by_rule.setdefault(how, []).append(label)
    report.lines.append("  Cộng dồn theo kỳ (bảng có cột 'Kỳ'):")
    report.lines += [f"    {how}: {', '.join(labels)}" for how, labels in by_rule.items()]


def _scheme_section(report: Report, rubric: Rubric, where: _Lines) -> None:
    for s in rubric.awards:
        blocs = ", ".join(rubric.bloc(b).label for b in s.blocs)
        report.lines += ["", f"Khen thưởng '{s.id}' — {s.label} ({blocs}; kỳ: {when(s)}; {s.clause})"]
        money = 0
        for t in s.tiers:
            parts = [f"{t.count} giải"]
            if t.min_score is not None:
                parts.append(f"từ {fmt_number(t.min_score)} điểm")
            if t.prize:
                parts.append(f"{fmt_money_full(t.prize)} mỗi giải")
            if t.bonus_points:
                parts.append(f"cộng {fmt_number(t.bonus_points)} điểm thi đua")
            if t.individuals:
                parts.append(f"{t.individuals} cá nhân")
            if t.level:
                parts.append(t.level)
            report.lines.append(f"  {where.at('Tier', t.name)}{t.name}: {'; '.join(parts)}")
            money += t.prize * t.count
            # A minimum above the scale can never be reached (unless a step bonus has no ceiling).
            top = max((rubric.bloc(b).max_total or rubric.bloc(b).standard_total() for b in s.blocs), default=0)
            unbounded = any(isinstance(c.rule, StepBonus) for b in s.blocs for c in rubric.bloc(b).criteria)
            if t.min_score is not None and t.min_score > top and not unbounded:
                report.problems.append(f"{where.at('Tier', t.name)}'{t.name}': điểm tối thiểu "
                                       f"{fmt_number(t.min_score)} vượt thang điểm {fmt_number(top)}")
        report.lines.append(f"  Tổng: {s.slots} tập thể, tiền thưởng tối đa {fmt_money_full(money)}")
        if s.per_group_cap is not None:
            report.lines.append(f"  Mỗi nhóm không quá {s.per_group_cap} tập thể")
        _quotas(report, rubric, s, where)


def _quotas(report: Report, rubric: Rubric, s: AwardScheme, where: _Lines) -> None:
    if s.individuals_total is None and not s.individual_quotas:
        return
    quota_sum = sum(n for _, n in s.individual_quotas)
    if s.individual_quotas:
        line = where.at("AwardScheme", s.id, "individual_quotas")
        report.lines.append("  Chỉ tiêu cá nhân: " + ", ".join(f"{g} {n}" for g, n in s.individual_quotas)
                            + f" — cộng {quota_sum}")
        known = set()
        for b in s.blocs:
            bloc = rubric.bloc(b)
            known |= set(bloc.units) | (set(bloc.group.choices) if bloc.group is not None else set())
        unknown = [g for g, _ in s.individual_quotas if known and g not in known]
        if unknown:
            report.problems.append(f"{line}khen thưởng '{s.id}': chỉ tiêu cá nhân cho đơn vị không có trong Kế "
                                   f"hoạch: {', '.join(unknown)}")
    if s.individuals_total is not None:
        ok = not s.individual_quotas or quota_sum == s.individuals_total
        report.lines.append(f"  Tổng số cá nhân: {s.individuals_total}"
                            + ("" if not s.individual_quotas else (" ✓ khớp chỉ tiêu" if ok else " ✗")))


def _unclaused(report: Report, tree: ast.AST, source: str) -> None:
    comments = _commented_lines(source)
    missing = []
    for n in numbers(tree):
        comment = comments.get(n.line, "")
        if n.context == "Rubric.year" or n.clause or (comment and NO_CLAUSE not in comment):
            continue
        missing.append(f"dòng {n.line}: {fmt_number(n.value)}" + (f" ({n.context})" if n.context else ""))
    report.lines += ["", f"Số chưa ghi mục của Kế hoạch ({len(missing)}): " + ("không có" if not missing else "")]
    report.lines += [f"  {m}" for m in missing]
    if missing:
        report.warnings.append(f"{len(missing)} con số chưa ghi mục của Kế hoạch (ghi vào clause= hoặc chú thích "
                               f"'# {CLAUSE_MARK} …' cuối dòng)")


def _examples(report: Report, rubric: Rubric, folder: Path) -> None:
    from thidua_xl.awards import award_plan
    from thidua_xl.columns import ERROR, TOTAL

    report.lines += ["", f"Chạy thử trên số liệu ví dụ ({folder}):"]
    frames = {}
    for bloc in rubric.blocs:
        path = folder / f"{bloc.id}.csv"
        if path.is_file():
            frames[bloc.id] = pd.read_csv(path, encoding="utf-8-sig", dtype={bloc.unit_label: str})
    if not frames:
        report.warnings.append(f"không có số liệu ví dụ trong {folder} (mỗi khối một tệp <mã khối>.csv)")
        report.lines.append("  (không có tệp)")
        return
    try:
        result = award_plan(rubric, frames)
    except (KeyError, ValueError) as err:
        report.problems.append(f"số liệu ví dụ không chấm được: {err.args[0] if err.args else err}")
        return
    for bloc_id, table in result.blocs.items():
        bad = table[table[ERROR] != ""]
        best = table[table[ERROR] == ""].sort_values(TOTAL, ascending=False).head(3)
        unit = "don_vi"
        tops = ", ".join(f"{r[unit]} {fmt_number(r[TOTAL])}" for _, r in best.iterrows())
        report.lines.append(f"  Khối '{bloc_id}': {len(table)} đơn vị, {len(bad)} lỗi số liệu; cao nhất: {tops}")
        for msg in bad[ERROR].head(5):
            report.problems.append(f"số liệu ví dụ, khối '{bloc_id}': {msg}")
    for sr in result.schemes.values():
        report.lines.append(f"  {sr.summary()}")


def check_file(path: str | Path) -> Report:
    """Build the module at ``path`` and report on it; never raises for a broken module (it is a problem)."""
    path = Path(path).resolve()
    report = Report(path, lines=[f"Tệp: {path}"])
    plan_id = path.stem.replace("_", "-")
    if path.suffix != ".py" or not valid_id(plan_id) or path.stem != plan_id.replace("-", "_"):
        report.problems.append(f"{path.name}: tên tệp phải là mã kế hoạch với '-' thay bằng '_' và đuôi .py "
                               "(ví dụ hau_giang_2025.py cho mã hau-giang-2025)")
        return report
    try:
        loaded = load_file(path, expected_id=plan_id)
    except PlanError as err:
        report.problems.append(str(err))
        return report
    rubric = loaded.rubric
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    where = _Lines(tree)
    report.lines += [f"Kế hoạch '{rubric.id}' — {rubric.title}", f"{rubric.issuer}, năm {rubric.year}; "
                     f"phiên bản bộ tiêu chí {rubric.version}"]
    if not rubric.source:
        report.warnings.append(f"{_Lines(tree).at('Rubric', rubric.id, 'source')}chưa ghi văn bản Kế hoạch (source=: "
                               "số, ngày hoặc tên tệp của Kế hoạch)")
    _duplicate(report, rubric.id, path)
    for bloc in rubric.blocs:
        _bloc_section(report, rubric, bloc, where)
    _scheme_section(report, rubric, where)
    _unclaused(report, tree, source)
    _examples(report, rubric, loaded.examples)
    return report


def _duplicate(report: Report, plan_id: str, path: Path) -> None:
    from thidua_xl import rubrics

    try:
        known = rubrics.available()
        other = rubrics.origin(plan_id) if plan_id in known else None
    except PlanError as err:
        report.problems.append(str(err))
        return
    if other is not None and other.resolve() != path:
        report.problems.append(f"mã kế hoạch '{plan_id}' đã có ở {other}: hai nơi cùng mã sẽ bị từ chối khi nạp")
