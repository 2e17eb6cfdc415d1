"""What each unit is aiming at: the next rank, the next prize, the gate it fails, or a given score.

A target is reduced, per unit, to arrays the search can test in one vectorised pass: a least total, whether
the unit must be eligible, and a rival whose ranking key (total, then the plan's tie-breaks) it must beat
strictly — reaching a tie is not reaching the rank unless a tie-break wins it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..awards import allocate
from ..columns import AWARD, AWARD_RANK, CLASS, COUNCIL, ELIGIBLE, ERROR, TOTAL
from ..rubric import AtLeast, Below, Bloc, MinTotal, Rubric
from ..scoring import shown
from ..validation import UNIT
from ..vn import fmt_number, fold

RANK, PRIZE, GATE, SCORE, BAND = "hang", "giai", "dieu-kien", "diem", "xep-loai"
_WORDS = {RANK: ("hang", "hạng"), PRIZE: ("giai", "giải", "giai thuong", "giải thưởng"),
          GATE: ("dieu-kien", "dieu kien", "điều kiện", "điều-kiện", "dieukien")}


class TargetError(ValueError):
    """A target that is not one of hang / giai / dieu-kien / a score (message in Vietnamese)."""


@dataclass(frozen=True)
class Target:
    kind: str
    score: float | None = None


def parse_target(value: object) -> Target:
    """'hang' (default), 'giai', 'dieu-kien' or a score such as 90 or '92,5'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Target(RANK)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isnan(value):
            return Target(RANK)
        return Target(SCORE, float(value))
    key = fold(value)
    for kind, words in _WORDS.items():
        if key in words:
            return Target(kind)
    try:
        return Target(SCORE, float(key.replace(",", ".")))
    except ValueError:
        raise TargetError(f"mục tiêu '{value}' không hợp lệ — dùng 'hang', 'giai', 'dieu-kien' hoặc một số điểm "
                          "(ví dụ 90)") from None


@dataclass
class Need:
    """Per unit: what reaching the target means, and the phrase that names it.

    ``search`` marks the units a change is looked for; the others carry their ``message`` (already there,
    nothing to aim at, or an input error).
    """

    min_total: np.ndarray
    eligible: np.ndarray
    rival_total: np.ndarray
    rival_keys: np.ndarray      # (units, tie-breaks): the rival's signed tie-break values
    phrase: list[str]
    search: np.ndarray
    message: list[str]
    error: np.ndarray
    aim: list[str]              # per unit: hang / giai / dieu-kien / diem / xep-loai ("" when not searched)
    rival: np.ndarray           # per unit: the row of the unit to pass (−1: none)

    def reaches(self, rows: np.ndarray, total: np.ndarray, eligible: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
        """Whether new totals/eligibility/tie-break values reach each unit's target."""
        t = np.round(total, 6)
        ok = t >= np.round(self.min_total[rows], 6)
        ok &= ~self.eligible[rows] | eligible
        rival = self.rival_total[rows]
        win = t > rival
        level = t == rival
        for j, mine in enumerate(keys):
            a, b = np.round(mine, 6), self.rival_keys[rows, j]
            decided = level & ~np.isnan(a) & ~np.isnan(b) & (a != b)
            win |= decided & (a > b)
            level &= ~decided
        return ok & (np.isnan(rival) | win)


def signed_keys(bloc: Bloc, frame: pd.DataFrame) -> np.ndarray:
    """Tie-break values with "higher is better" for all (as ranking compares them), rounded like ranking."""
    keys = [frame[t.figure].to_numpy(dtype=float) * (1 if t.higher_is_better else -1) for t in bloc.tiebreaks]
    return np.round(np.column_stack(keys), 6) if keys else np.empty((len(frame), 0))


def build(rubric: Rubric, bloc: Bloc, ranked: pd.DataFrame, target: Target) -> Need:
    """Each unit's target as arrays (``ranked``: :func:`thidua_xl.ranking.rank` output, index 0..n−1)."""
    n = len(ranked)
    need = Need(np.full(n, -np.inf), np.zeros(n, dtype=bool), np.full(n, np.nan),
                np.full((n, len(bloc.tiebreaks)), np.nan), [""] * n, np.zeros(n, dtype=bool), [""] * n,
                np.zeros(n, dtype=bool), [""] * n, np.full(n, -1))
    errors = ranked[ERROR].to_numpy(dtype=object)
    need.error = errors != ""
    for i in np.flatnonzero(need.error):
        need.message[i] = str(errors[i])
    valid = ~need.error
    eligible = ranked[ELIGIBLE].to_numpy(dtype=bool) & valid
    total = np.round(ranked[TOTAL].to_numpy(dtype=float), 6)
    if target.kind == SCORE:
        _score(need, valid, total, float(target.score))  # type: ignore[arg-type]
        return need
    _gate(bloc, ranked, need, valid, eligible, only_gate=target.kind == GATE)
    if target.kind == RANK:
        _rank(bloc, ranked, need, eligible, total)
    elif target.kind == PRIZE:
        _prize(rubric, bloc, ranked, need, valid, eligible, total)
    return need


def _score(need: Need, valid: np.ndarray, total: np.ndarray, wanted: float) -> None:
    for i in np.flatnonzero(valid):
        if total[i] >= round(wanted, 6):
            need.message[i] = f"Đã đạt {fmt_number(wanted)} điểm (hiện {fmt_number(total[i])} điểm)."
        else:
            need.search[i] = True
            need.aim[i] = SCORE
            need.min_total[i] = wanted
            need.phrase[i] = f"Đạt {fmt_number(wanted)} điểm (hiện {fmt_number(total[i])})"


def _gate(bloc: Bloc, ranked: pd.DataFrame, need: Need, valid: np.ndarray, eligible: np.ndarray, *,
          only_gate: bool) -> None:
    """Ineligible units aim at the gate first, whatever the target (a rank needs eligibility)."""
    cols = {c: ranked[c].to_numpy(dtype=float) for c in bloc.known_columns}
    total = ranked[TOTAL].to_numpy(dtype=float)
    failing = [(cond, cond.fails(cols, total)) for cond in bloc.eligibility]
    for i in np.flatnonzero(valid):
        if eligible[i]:
            if only_gate:
                need.message[i] = ("Đã đủ điều kiện xét khen thưởng." if bloc.eligibility
                                   else "Khối này không có điều kiện loại trừ.")
            continue
        need.search[i] = True
        need.aim[i] = GATE
        need.eligible[i] = True
        gates = "; ".join(_gate_text(bloc, cond, cols, total, i) for cond, mask in failing if mask[i])
        need.phrase[i] = f"Đủ điều kiện xét ({gates})"


def _gate_text(bloc: Bloc, cond: object, cols: dict[str, np.ndarray], total: np.ndarray, i: int) -> str:
    """A failed gate in a few words, with the unit's value: "tổng từ 90 điểm, hiện 68"."""
    if isinstance(cond, MinTotal):
        return f"tổng từ {fmt_number(cond.minimum)} điểm, hiện {fmt_number(total[i])}"
    assert isinstance(cond, Below | AtLeast)
    rule = "từ" if isinstance(cond, Below) else "dưới"
    return (f"{bloc.label_of(cond.figure).lower()} {rule} {shown(bloc, cond.figure, cond.threshold)}, "
            f"hiện {shown(bloc, cond.figure, cols[cond.figure][i])}")


def _just_above(ranks: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """For each unit, the unit of ``pool`` placed just above it (−1 if none): the last with a smaller rank."""
    members = np.flatnonzero(pool)
    if not len(members):
        return np.full(len(ranks), -1)
    order = members[np.argsort(ranks[members], kind="stable")]
    at = np.searchsorted(ranks[order], ranks, side="left") - 1
    return np.where(at >= 0, order[np.clip(at, 0, None)], -1)


def _set_rival(need: Need, i: int, j: int, total: np.ndarray, keys: np.ndarray) -> None:
    need.rival[i] = j
    need.rival_total[i] = total[j]
    need.rival_keys[i] = keys[j]


def _rank(bloc: Bloc, ranked: pd.DataFrame, need: Need, eligible: np.ndarray, total: np.ndarray) -> None:
    ranks = ranked[AWARD_RANK].to_numpy(dtype=float)
    names = ranked[UNIT].to_numpy(dtype=object)
    keys = signed_keys(bloc, ranked)
    above = _just_above(np.where(eligible, ranks, np.inf), eligible)
    for i in np.flatnonzero(eligible):
        j = above[i]
        if j < 0:
            need.message[i] = f"Đang đứng đầu khối ({fmt_number(total[i])} điểm)."
            continue
        need.search[i] = True
        need.aim[i] = RANK
        need.eligible[i] = True
        _set_rival(need, i, j, total, keys)
        need.phrase[i] = f"Lên hạng {int(ranks[j])} (vượt {names[j]}, {fmt_number(total[j])} điểm)"


def _prize(rubric: Rubric, bloc: Bloc, ranked: pd.DataFrame, need: Need, valid: np.ndarray,
           eligible: np.ndarray, total: np.ndarray) -> None:
    schemes = [s for s in rubric.schemes_for(bloc.id) if len(s.blocs) == 1]
    if not schemes:
        if bloc.bands is None:
            raise TargetError(f"khối '{bloc.label}' không có giải thưởng hay xếp loại để làm mục tiêu — dùng "
                              "'hang', 'dieu-kien' hoặc một số điểm")
        _band(bloc, ranked, need, valid, total)
        return
    scheme = schemes[0]
    table = allocate(rubric, scheme, ranked).table.sort_index()
    awards = table[AWARD].to_numpy(dtype=object)
    council = table[COUNCIL].to_numpy(dtype=bool)
    ranks = table[AWARD_RANK].to_numpy(dtype=float)
    names = table[UNIT].to_numpy(dtype=object)
    keys = signed_keys(bloc, table)
    tier_of = {t.name: k for k, t in enumerate(scheme.tiers)}
    lowest: dict[int, int] = {}      # tier → its lowest-placed holder
    council_peer: dict[float, list[int]] = {}
    for j in np.argsort(ranks, kind="stable"):
        if awards[j] in tier_of:
            lowest[tier_of[awards[j]]] = int(j)
        if council[j]:
            council_peer.setdefault(ranks[j], []).append(int(j))
    full_groups = _full_groups(bloc, scheme.per_group_cap, table, awards, ranks)
    for i in np.flatnonzero(eligible):
        current = tier_of.get(awards[i])
        if current == 0:
            need.message[i] = f"Đã đạt {scheme.tiers[0].name} (giải cao nhất)."
            continue
        wanted = len(scheme.tiers) - 1 if current is None else current - 1
        tier = scheme.tiers[wanted]
        rivals = [lowest[wanted]] if wanted in lowest else []
        if council[i]:  # tied at a boundary: win the tie outright instead of waiting for the council
            rivals += [j for j in council_peer[ranks[i]] if j != i][:1]
        if current is None and full_groups:
            mate = full_groups.get(fold(table[bloc.group.id].iloc[i]))  # type: ignore[union-attr]
            if mate is not None:  # its huyện has used its cap: it must pass the lowest of them
                rivals.append(mate)
        need.search[i] = True
        need.aim[i] = PRIZE
        need.eligible[i] = True
        if tier.min_score is not None:
            need.min_total[i] = tier.min_score
        phrase = f"Đạt {tier.name}"
        if rivals:
            j = min(rivals, key=lambda r: ranks[r])  # passing the better placed passes both
            _set_rival(need, i, j, total, keys)
            phrase += f" (vượt {names[j]}, {fmt_number(total[j])} điểm)"
        elif tier.min_score is not None:
            phrase += f" (từ {fmt_number(tier.min_score)} điểm)"
        need.phrase[i] = phrase


def _full_groups(bloc: Bloc, cap: int | None, table: pd.DataFrame, awards: np.ndarray,
                 ranks: np.ndarray) -> dict[str, int]:
    """Groups (huyện) that have used their cap of awards: group → its lowest-placed awarded unit."""
    if cap is None or bloc.group is None:
        return {}
    count: dict[str, int] = {}
    last: dict[str, int] = {}
    for j in np.argsort(ranks, kind="stable"):
        if awards[j]:
            key = fold(table[bloc.group.id].iloc[j])
            count[key] = count.get(key, 0) + 1
            last[key] = int(j)
    return {key: last[key] for key, k in count.items() if k >= cap}


def _band(bloc: Bloc, ranked: pd.DataFrame, need: Need, valid: np.ndarray, total: np.ndarray) -> None:
    bands = bloc.bands.bands  # type: ignore[union-attr]
    names = [name for _, name in bands]
    classes = ranked[CLASS].to_numpy(dtype=object)
    for i in np.flatnonzero(valid):
        current = names.index(classes[i]) if classes[i] in names else len(names) - 1
        if current == 0:
            need.message[i] = f"Đã đạt xếp loại cao nhất ({names[0]})."
            continue
        minimum, name = bands[current - 1]
        need.search[i] = True
        need.aim[i] = BAND
        need.min_total[i] = minimum
        need.phrase[i] = f"Xếp loại {name} (từ {fmt_number(minimum)} điểm)"
