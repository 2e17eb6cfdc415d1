"""Award allocation: walk the ranking, fill tiers, respect caps and quotas.

Rules (DESIGN.md §5):
* places are filled in award-rank order, tier by tier; a tier's minimum
  score leaves its places empty rather than lowering the bar;
* a unit whose group (huyện) already has its cap is skipped, with the reason,
  and the next eligible unit takes the place;
* units sharing a rank that would straddle a tier boundary, overflow the
  last place or overflow a group cap are **flagged for the council**: no
  tier is chosen for them silently, and they use up the places they contest;
* ineligible and disqualified units are never awarded; their reason is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import (
    AWARD,
    AWARD_RANK,
    BLOC,
    BONUS,
    COUNCIL,
    ELIGIBLE,
    ERROR,
    INDIVIDUALS,
    LEVEL,
    NOTE,
    PRIZE,
    REASON,
    TOTAL,
)
from .ranking import NAMES_SHOWN, name_list, rank
from .rubric import AwardScheme, Bloc, Rubric, Tier
from .scoring import score_plan
from .validation import UNIT
from .vn import fmt_money_full, fmt_number, fold

QUOTA = "ca_nhan_theo_chi_tieu"  # the part of so_ca_nhan chosen by quota, not by the unit's place


@dataclass
class SchemeResult:
    """One award scheme's table (every unit of its blocs) and its totals."""

    scheme: AwardScheme
    table: pd.DataFrame

    @property
    def awarded(self) -> pd.DataFrame:
        return self.table[self.table[AWARD] != ""]

    @property
    def flagged(self) -> pd.DataFrame:
        return self.table[self.table[COUNCIL]]

    @property
    def total_prize(self) -> int:
        return int(self.table[PRIZE].sum())

    @property
    def total_individuals(self) -> int:
        """Individuals proposed with the units plus those chosen by quota or by the council."""
        on_rows = int(self.table[INDIVIDUALS].sum())
        quota_on_rows = int(self.table[QUOTA].sum()) if QUOTA in self.table else 0
        return on_rows + max((self.scheme.individuals_total or 0) - quota_on_rows, 0)

    def summary(self) -> str:
        return (f"{self.scheme.label}: {len(self.awarded)} tập thể được đề nghị, "
                f"{len(self.flagged)} trường hợp đồng hạng chờ Hội đồng quyết định, tổng tiền thưởng "
                f"{fmt_money_full(self.total_prize)}, {self.total_individuals} cá nhân.")


def _group_column(rubric: Rubric, scheme: AwardScheme) -> str | None:
    groups = {rubric.bloc(b).group.id for b in scheme.blocs if rubric.bloc(b).group is not None}
    return groups.pop() if len(groups) == 1 else None


def allocate(rubric: Rubric, scheme: AwardScheme | str, ranked: pd.DataFrame) -> SchemeResult:
    """Give each unit of an already ranked table its award (or the reason it has none)."""
    if isinstance(scheme, str):
        scheme = next(s for s in rubric.awards if s.id == scheme)
    group_col = _group_column(rubric, scheme)
    table = ranked.copy()
    table[AWARD] = ""
    table[LEVEL] = ""
    table[PRIZE] = 0
    table[BONUS] = 0.0
    table[INDIVIDUALS] = 0
    table[NOTE] = ""
    table[COUNCIL] = False

    slots: list[Tier] = [t for t in scheme.tiers for _ in range(t.count)][: scheme.slots]
    pos = 0
    per_group: Counter[str] = Counter()
    pool = table[table[ELIGIBLE].astype(bool) & table[AWARD_RANK].notna()]
    pool = pool.sort_values([AWARD_RANK, UNIT], kind="stable")

    for _, members in pool.groupby(AWARD_RANK, sort=True):
        score = float(members[TOTAL].iloc[0])
        while pos < len(slots) and slots[pos].min_score is not None and round(score, 6) < slots[pos].min_score:
            pos += 1
        if pos >= len(slots):
            break
        contenders, contested_cap, places = _apply_cap(scheme, group_col, members, per_group, table)
        if not contenders:
            continue
        span = slots[pos: pos + places]
        straddles = len(span) < len(contenders) or len({t.name for t in span}) > 1
        if straddles or contested_cap:
            _flag(table, contenders, span, contested_cap, scheme)
        else:
            for idx in contenders:
                _give(table, idx, span[0])
        if group_col:
            per_group.update(fold(v) for v in table.loc[contenders, group_col])
        pos += len(span)

    _explain_unawarded(table, scheme)
    _quota_individuals(table, scheme)
    if scheme.other_units_individuals:
        others = table[ELIGIBLE].astype(bool) & (table[AWARD] == "") & ~table[COUNCIL]
        table.loc[others, INDIVIDUALS] = scheme.other_units_individuals
    order = table[AWARD_RANK].fillna(np.inf)
    table = table.assign(_o=order).sort_values(["_o", TOTAL], ascending=[True, False], kind="stable")
    return SchemeResult(scheme, table.drop(columns="_o"))


def _apply_cap(scheme: AwardScheme, group_col: str | None, members: pd.DataFrame,
               per_group: Counter[str], table: pd.DataFrame) -> tuple[list[object], bool, int]:
    """Units of a tied rank group still under the per-group cap, and how many places they can take."""
    if scheme.per_group_cap is None or group_col is None:
        return list(members.index), False, len(members)
    contenders: list[object] = []
    contested = False
    places = 0
    by_group: dict[str, list[object]] = {}
    for idx, group in zip(members.index, members[group_col], strict=True):
        by_group.setdefault(fold(group), []).append(idx)
    for key, units in by_group.items():
        room = scheme.per_group_cap - per_group[key]
        if room <= 0:
            for idx in units:
                table.at[idx, NOTE] = (f"Không xét: {table.at[idx, group_col]} đã đủ "
                                       f"{scheme.per_group_cap} đơn vị được khen (giới hạn "
                                       f"{scheme.per_group_cap} đơn vị/đơn vị cấp trên); suất chuyển cho "
                                       "đơn vị xếp kế tiếp.")
            continue
        if len(units) > room:
            contested = True
        contenders.extend(units)
        places += min(len(units), room)
    return contenders, contested, places


def _quota_individuals(table: pd.DataFrame, scheme: AwardScheme) -> None:
    """Individuals chosen by a unit's own quota (Hậu Giang 2023: 16 by district, Mục IV.2.c) shown on its row,
    whatever its place: they are not tied to the ranking."""
    if not scheme.individual_quotas:
        return
    quotas = {fold(name): n for name, n in scheme.individual_quotas}
    table[QUOTA] = table[UNIT].map(lambda k: quotas.get(fold(k), 0)).astype(int)
    table[INDIVIDUALS] = table[INDIVIDUALS] + table[QUOTA]


def _give(table: pd.DataFrame, idx: object, tier: Tier) -> None:
    table.at[idx, AWARD] = tier.name
    table.at[idx, LEVEL] = tier.level
    table.at[idx, PRIZE] = tier.prize
    table.at[idx, BONUS] = tier.bonus_points
    table.at[idx, INDIVIDUALS] = tier.individuals


def _flag(table: pd.DataFrame, contenders: list[object], span: list[Tier], contested_cap: bool,
          scheme: AwardScheme) -> None:
    names = name_list(table.loc[contenders[:NAMES_SHOWN], UNIT].tolist(), len(contenders))
    tiers = " / ".join(dict.fromkeys(t.name for t in span)) or "không còn suất"
    why = (f"vượt giới hạn {scheme.per_group_cap} đơn vị/đơn vị cấp trên" if contested_cap
           else f"{len(contenders)} đơn vị cho {len(span)} suất")
    note = (f"Đồng hạng {int(table.at[contenders[0], AWARD_RANK])} với điểm "
            f"{fmt_number(table.at[contenders[0], TOTAL])}: {names} — {why} ({tiers}). "
            "Đề nghị Hội đồng Thi đua – Khen thưởng quyết định.")
    table.loc[contenders, COUNCIL] = True
    table.loc[contenders, NOTE] = note


def _explain_unawarded(table: pd.DataFrame, scheme: AwardScheme) -> None:
    """Why a unit has no award: its input error, or why it is not considered (whole columns at once)."""
    todo = (table[AWARD] == "") & (table[NOTE] == "")
    error = table[ERROR].fillna("").astype(str) if ERROR in table else pd.Series("", index=table.index)
    has_error = todo & (error != "")
    table.loc[has_error, NOTE] = "Chưa chấm: " + error[has_error]
    ineligible = todo & ~has_error & ~table[ELIGIBLE].astype(bool)
    table.loc[ineligible, NOTE] = "Không xét khen thưởng: " + table.loc[ineligible, REASON].astype(str)


@dataclass
class PlanResult:
    """Everything a plan produces: ranked blocs and the result of each award scheme."""

    rubric: Rubric
    blocs: dict[str, pd.DataFrame]
    schemes: dict[str, SchemeResult]


def pooled(rubric: Rubric, scheme: AwardScheme, ranked: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The scheme's blocs in one ranked table (one bloc: its own table; several: pooled and ranked anew)."""
    if len(scheme.blocs) == 1:
        return ranked[scheme.blocs[0]]
    frames = [ranked[b].assign(**{BLOC: rubric.bloc(b).label}) for b in scheme.blocs if b in ranked]
    table = pd.concat(frames, ignore_index=True)
    first: Bloc = rubric.bloc(scheme.blocs[0])
    same = all(rubric.bloc(b).tiebreaks == first.tiebreaks for b in scheme.blocs)
    return rank(rubric, first, table, tiebreaks=first.tiebreaks if same else ())


def award_plan(rubric: Rubric, figures_by_bloc: Mapping[str, pd.DataFrame], period: object = None) -> PlanResult:
    """Score, rank and award every bloc and scheme of a plan in one call.

    ``period`` says which period the figures are (a :class:`thidua_xl.periods.Period` or its short form
    "2021", "2021-03", "..2021-03"): only the schemes that run on it are allocated — a monthly scheme never on
    the year, a year-end scheme never on a month, a cut-off scheme only its tiers of that date (its result
    keyed ``<id>@<date>``; :func:`thidua_xl.periods.run_year` also leaves out units proposed at an earlier
    cut-off). None (a table without "Kỳ", as before periods existed):
    every scheme runs on the figures given.
    """
    scored = score_plan(rubric, figures_by_bloc)
    ranked = {bid: rank(rubric, bid, frame) for bid, frame in scored.items()}
    chosen = list(rubric.awards)
    if period is not None:
        from .periods import (  # the periods package builds on this module
            Cadence,
            at_cutoff,
            parse_period,
            runs_on,
        )

        period = parse_period(period)
        chosen = [at_cutoff(s, period.end) if s.period is Cadence.CUTOFF else s
                  for s in chosen if runs_on(s, period)]
    schemes = {
        s.id: allocate(rubric, s, pooled(rubric, s, ranked))
        for s in chosen if all(b in ranked for b in s.blocs)
    }
    return PlanResult(rubric, ranked, schemes)
