"""``thidua-xl diff-plan A B``: what changed between two rubrics, in the words a council uses.

Matched by id (blocs, criteria, schemes) or name (tiers, quota groups), so a
renamed label shows as a change and a new criterion as an addition. Only what
changes a score, a rank or an award is compared — the things the version hash
stamped on every sheet covers — plus the title and year.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from thidua_xl.rubric import AtLeast, AwardScheme, Below, Bloc, Criterion, MinTotal, Rubric, Tier
from thidua_xl.vn import fmt_money, fmt_number, fmt_percent

# Vietnamese names of the fields a council reads (rule kinds and tiers); others show their code name.
FIELD_NAMES = {
    "full_at": "ngưỡng tròn điểm", "relative_to_target": "tính theo tỷ lệ so với ngưỡng", "rate": "cột tỷ lệ",
    "figure": "cột", "minimum": "mức tối thiểu", "step": "mỗi bước", "per_step": "điểm mỗi bước",
    "below": "điểm khi dưới mức tối thiểu", "no": "điểm khi không", "yes": "điểm khi có", "events": "các lỗi bị trừ",
    "count": "số giải", "min_score": "điểm tối thiểu", "prize": "tiền thưởng", "bonus_points": "điểm cộng thi đua",
    "individuals": "số cá nhân", "level": "hình thức", "max_points": "điểm chuẩn", "label": "tên", "clause": "mục",
    "per_group_cap": "số tập thể tối đa mỗi nhóm", "max_collectives": "số tập thể tối đa",
    "individuals_total": "tổng số cá nhân", "period": "kỳ xét", "blocs": "khối", "unit": "đơn vị tính",
    "is_rate": "là tỷ lệ", "max_total": "thang điểm", "unit_label": "cột tên đơn vị", "kind": "loại",
    "required": "bắt buộc", "scale": "cách đọc tỷ lệ", "choices": "giá trị cho phép", "numerator": "tử số",
    "denominator": "mẫu số", "basis": "số liệu xét", "cutoff": "ngày chốt",
}
_RATE_FIELDS = {"full_at"}


def _show(name: str, value: Any) -> str:
    if value is None:
        return "không có"
    if isinstance(value, bool):
        return "có" if value else "không"
    if name == "year":
        return str(value)
    if name in _RATE_FIELDS and isinstance(value, (int, float)):
        return fmt_percent(value)
    if name == "prize" and isinstance(value, (int, float)):
        return fmt_money(value)
    if isinstance(value, (int, float)):
        return fmt_number(value)
    if isinstance(value, tuple):
        return ", ".join(_show(name, v) for v in value) or "không có"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if is_dataclass(value):
        return getattr(value, "label", None) or type(value).__name__
    return str(value)


def _fields(old: Any, new: Any, skip: tuple[str, ...] = ()) -> list[str]:
    """'tên: cũ → mới' for every differing field of two dataclasses of the same kind."""
    if type(old) is not type(new):
        return [f"loại quy tắc: {type(old).__name__} → {type(new).__name__}"]
    out = []
    for f in fields(old):
        if f.name in skip:
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            out.append(f"{FIELD_NAMES.get(f.name, f.name)}: {_show(f.name, a)} → {_show(f.name, b)}")
    return out


def _by(items: tuple, key: str = "id") -> dict[str, Any]:
    return {getattr(i, key): i for i in items}


def _added_removed(old: dict, new: dict, what: str, describe) -> list[str]:  # noqa: ANN001
    out = [f"+ Thêm {what} {describe(new[k])}" for k in new if k not in old]
    out += [f"- Bỏ {what} {describe(old[k])}" for k in old if k not in new]
    return out


def _criterion(c: Criterion) -> str:
    return f"'{c.id}' — {c.label}: {fmt_number(c.max_points)} điểm. {c.rule.describe(c.max_points)}"


def _condition_key(cond: MinTotal | Below | AtLeast) -> tuple[str, str]:
    return (type(cond).__name__, getattr(cond, "figure", ""))


def _condition(bloc: Bloc, cond: MinTotal | Below | AtLeast) -> str:
    if isinstance(cond, MinTotal):
        return f"tổng điểm dưới {fmt_number(cond.minimum)} → {cond.reason}"
    sign = "<" if isinstance(cond, Below) else "≥"
    rate = cond.threshold <= 1 and any(d.id == cond.figure for d in bloc.derived)
    value = fmt_percent(cond.threshold) if rate else fmt_number(cond.threshold)
    return f"{bloc.label_of(cond.figure)} {sign} {value} → {cond.reason}"


def _bloc(old: Bloc, new: Bloc) -> list[str]:
    out = [f"  {line}" for line in _fields(old, new, skip=("figures", "criteria", "derived", "eligibility",
                                                              "tiebreaks", "units", "from_dossiers", "group",
                                                              "bands", "id"))]
    oc, nc = _by(old.criteria), _by(new.criteria)
    out += [f"  {line}" for line in _added_removed(oc, nc, "tiêu chí", _criterion)]
    for cid in [k for k in nc if k in oc]:
        a, b = oc[cid], nc[cid]
        changes = _fields(a, b, skip=("rule", "note", "id")) + _fields(a.rule, b.rule)
        if changes:
            out.append(f"  ~ Tiêu chí '{cid}' ({b.label}): " + "; ".join(changes))
    of, nf = _by(old.figures), _by(new.figures)
    out += [f"  {line}" for line in _added_removed(of, nf, "cột số liệu", lambda f: f"'{f.id}' — {f.label}")]
    for fid in [k for k in nf if k in of]:
        changes = _fields(of[fid], nf[fid], skip=("id", "source", "aliases", "rollup"))  # roll-up: _rollups
        if changes:
            out.append(f"  ~ Cột '{fid}': " + "; ".join(changes))
    od, nd = _by(old.derived), _by(new.derived)
    out += [f"  {line}" for line in _added_removed(od, nd, "chỉ số tính", lambda d: f"'{d.id}' — {d.label}")]
    for did in [k for k in nd if k in od]:
        changes = _fields(od[did], nd[did], skip=("id",))
        if changes:
            out.append(f"  ~ Chỉ số '{did}': " + "; ".join(changes))
    oe = {_condition_key(c): c for c in old.eligibility}
    ne = {_condition_key(c): c for c in new.eligibility}
    out += [f"  {line}" for line in _added_removed(oe, ne, "điều kiện", lambda c: _condition(new, c)
                                                    if c in new.eligibility else _condition(old, c))]
    for key in [k for k in ne if k in oe]:
        if oe[key] != ne[key]:
            out.append(f"  ~ Điều kiện: {_condition(old, oe[key])}  ⇒  {_condition(new, ne[key])}")
    if old.tiebreaks != new.tiebreaks:
        show = lambda b: "; ".join(f"{b.label_of(t.figure)} ({t.label})" for t in b.tiebreaks) or "không có"  # noqa: E731
        out.append(f"  ~ Khi bằng điểm: {show(old)}  ⇒  {show(new)}")
    out += [f"  + Thêm đơn vị {u}" for u in new.units if u not in old.units]
    out += [f"  - Bỏ đơn vị {u}" for u in old.units if u not in new.units]
    if old.group != new.group and old.group is not None and new.group is not None:
        out += [f"  + Thêm nhóm {g}" for g in new.group.choices if g not in old.group.choices]
        out += [f"  - Bỏ nhóm {g}" for g in old.group.choices if g not in new.group.choices]
    if old.bands != new.bands:
        show_bands = lambda b: "; ".join(f"từ {fmt_number(m)} {n}" for m, n in b.bands.bands) if b.bands else "không"  # noqa: E731
        out.append(f"  ~ Xếp loại: {show_bands(old)}  ⇒  {show_bands(new)}")
    return out


def _tier(t: Tier) -> str:
    money = f", {fmt_money(t.prize)}" if t.prize else ""
    return f"'{t.name}': {t.count} giải{money}"


def _scheme(old: AwardScheme, new: AwardScheme) -> list[str]:
    out = [f"  {line}" for line in _fields(old, new, skip=("tiers", "individual_quotas", "id", "note"))]
    ot, nt = _by(old.tiers, "name"), _by(new.tiers, "name")
    out += [f"  {line}" for line in _added_removed(ot, nt, "hạng", _tier)]
    for name in [k for k in nt if k in ot]:
        changes = _fields(ot[name], nt[name], skip=("name",))
        if changes:
            out.append(f"  ~ Hạng '{name}': " + "; ".join(changes))
    oq, nq = dict(old.individual_quotas), dict(new.individual_quotas)
    for group in dict.fromkeys([*oq, *nq]):
        if oq.get(group) != nq.get(group):
            out.append(f"  ~ Chỉ tiêu cá nhân {group}: {oq.get(group, 0)} → {nq.get(group, 0)}")
    return out


def _rollups(old: Bloc, new: Bloc) -> list[str]:
    """Figures whose roll-up over months changed (a table with a "Kỳ" column scores differently)."""
    before = {f.id: f.roll for f in old.figures}
    return [f"  ~ Cộng dồn theo kỳ '{f.label}': {before[f.id].describe()} → {f.roll.describe()}"
            for f in new.figures if f.id in before and before[f.id] != f.roll]


def diff(old: Rubric, new: Rubric) -> list[str]:
    """Vietnamese lines saying what changed from ``old`` to ``new`` (empty when nothing that scores did)."""
    out = []
    for name in ("title", "issuer", "year"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(f"{ {'title': 'Tên phong trào', 'issuer': 'Cơ quan ban hành', 'year': 'Năm'}[name]}: "
                       f"{_show(name, a)} → {_show(name, b)}")
    ob, nb = _by(old.blocs), _by(new.blocs)
    out += _added_removed(ob, nb, "khối", lambda b: f"'{b.id}' — {b.label} ({len(b.criteria)} tiêu chí)")
    for bid in [b for b in nb if b in ob]:
        lines = _bloc(ob[bid], nb[bid]) + _rollups(ob[bid], nb[bid])
        if lines:
            out += [f"Khối '{bid}' — {nb[bid].label}:", *lines]
    os_, ns = _by(old.awards), _by(new.awards)
    out += _added_removed(os_, ns, "khen thưởng", lambda s: f"'{s.id}' — {s.label}")
    for sid in [s for s in ns if s in os_]:
        lines = _scheme(os_[sid], ns[sid])
        if lines:
            out += [f"Khen thưởng '{sid}' — {ns[sid].label}:", *lines]
    return out


def report(old: Rubric, new: Rubric) -> str:
    """The whole comparison, headed by both versions."""
    lines = diff(old, new)
    head = [f"So sánh {old.version} → {new.version}"]
    if old.fingerprint() == new.fingerprint():
        head.append("Điểm, xếp hạng và khen thưởng không đổi (cùng phiên bản bộ tiêu chí).")
    return "\n".join(head + (lines or ["Không có thay đổi."]))
