"""Changes said in the unit's own terms: "thêm 37 hồ sơ trực tuyến (tỷ lệ 88,2 % → 90 %)", "giảm 1 báo cáo
trễ 01–03 ngày (2 → 1)", "nâng 'Tỷ lệ …' từ 84,1 % lên 90 %"."""

from __future__ import annotations

from collections.abc import Mapping

from ..rubric import Kind, Ratio
from ..vn import fmt_number, fmt_percent
from .levers import Lever


def change_text(lever: Lever, before: float, after: float, row: Mapping[str, float]) -> str:
    """One figure's change as a short Vietnamese phrase (``row``: the unit's other figures, for its rate)."""
    f = lever.figure
    up = after > before
    if f.kind is Kind.YES_NO:
        return f"chuyển '{f.label}' sang '{'có' if after >= 0.5 else 'không'}'"
    if f.kind is Kind.RATE:
        if up:
            return f"nâng '{f.label}' từ {fmt_percent(before)} lên {fmt_percent(after)}"
        return f"hạ '{f.label}' từ {fmt_percent(before)} xuống {fmt_percent(after)}"
    amount = fmt_number(abs(after - before), 0)
    verb = "thêm" if up else "giảm"
    core = f"{verb} {amount} {f.noun}" if f.noun else f"{'tăng' if up else 'giảm'} '{f.label}' {amount}"
    ratio = next((d for d in lever.derived if isinstance(d, Ratio) and d.numerator == f.id), None)
    if ratio is not None and row.get(ratio.denominator, 0) > 0:
        den = row[ratio.denominator]
        return f"{core} (tỷ lệ {fmt_percent(before / den)} → {fmt_percent(after / den)})"
    return f"{core} ({fmt_number(before, 0)} → {fmt_number(after, 0)})"
