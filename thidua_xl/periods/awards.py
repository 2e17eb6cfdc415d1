"""Award schemes and published rankings bound to periods, over a year of monthly figures.

A scheme runs only on the periods its cadence allows (:func:`runs_on`): a monthly scheme on a month (its
own figures, or year-to-date up to it), a quarterly one on a quarter, a year-end one on the year, a cut-off
one on figures up to one of its dates. :func:`run_year` runs a whole plan over the months of a year and
returns one section per scheme or review, in the order a secretariat reads them: monthly, quarterly,
cut-off, year-end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from ..awards import SchemeResult, allocate, pooled
from ..columns import AWARD, BLOC, CLASS, COUNCIL, ELIGIBLE, LEVEL, NOTE, PRIZE, RANK, REASON, TOTAL
from ..ranking import rank
from ..rubric import AwardScheme, Basis, Cadence, PeriodReview, Rubric
from ..validation import UNIT
from .period import KY, Period, PeriodError, Span, month, parse_period, quarter, to_date, to_month, year
from .scoring import MOVE, score_period, with_movement
from .table import Monthly, read_monthly, unit_keys

TITLE = "ten_ky"
NOBODY = "Không có đơn vị đủ điều kiện (điều kiện xét, điểm tối thiểu của giải) trong kỳ này."
SPANS = {
    Cadence.MONTHLY: (Span.MONTH, Span.TO_MONTH),
    Cadence.QUARTERLY: (Span.QUARTER, Span.TO_MONTH),  # year-to-date: only at a quarter's end
    Cadence.YEAR_END: (Span.YEAR,),
    Cadence.CUTOFF: (Span.TO_DATE, Span.TO_MONTH),
}


def runs_on(scheme: AwardScheme | PeriodReview, period: Period | str) -> bool:
    """Whether ``scheme`` may run on ``period`` (a cut-off scheme: only on figures up to one of its dates)."""
    period = parse_period(period)
    if period.span not in SPANS[scheme.period]:
        return False
    if scheme.period is Cadence.CUTOFF:
        return isinstance(scheme, AwardScheme) and period.end in scheme.cutoffs()
    if scheme.period is Cadence.QUARTERLY and period.span is Span.TO_MONTH:
        return period.end.month % 3 == 0
    return True


def at_cutoff(scheme: AwardScheme, day: date) -> AwardScheme:
    """A cut-off scheme reduced to the tiers decided on ``day`` (its other tiers close on other dates)."""
    tiers = tuple(t for t in scheme.tiers if (t.cutoff or scheme.cutoff) == day)
    levels = " / ".join(dict.fromkeys(t.level or t.name for t in tiers))
    return replace(scheme, id=f"{scheme.id}@{day.isoformat()}", tiers=tiers, label=f"{scheme.label} — {levels}",
                   cutoff=day)


def when(scheme: AwardScheme | PeriodReview) -> str:
    """When a scheme runs, in words: "tháng, lũy kế từ đầu năm", "mốc ngày 30/11/2023, 15/12/2023", "năm"."""
    if isinstance(scheme, AwardScheme) and scheme.period is Cadence.CUTOFF:
        return f"{scheme.period} " + ", ".join(f"{d:%d/%m/%Y}" for d in scheme.cutoffs())
    if scheme.period in (Cadence.MONTHLY, Cadence.QUARTERLY):
        return f"{scheme.period}, {scheme.basis}"
    return str(scheme.period)


def check_runs_on(scheme: AwardScheme | PeriodReview, period: Period | str) -> Period:
    """``period`` parsed, or a :class:`PeriodError` saying when the scheme runs."""
    period = parse_period(period)
    if not runs_on(scheme, period):
        when = {Cadence.MONTHLY: "hằng tháng", Cadence.QUARTERLY: "hằng quý", Cadence.YEAR_END: "cuối năm",
                Cadence.CUTOFF: "theo ngày chốt " + ", ".join(
                    f"{d:%d/%m/%Y}" for d in getattr(scheme, "cutoffs", tuple)())}[scheme.period]
        raise PeriodError(f"'{scheme.label}' xét {when}: không chạy trên số liệu {period.title.lower()} "
                          f"(kỳ {period.key}).")
    return period


def allocate_in_period(rubric: Rubric, scheme: AwardScheme, ranked: Mapping[str, pd.DataFrame],
                       period: Period | str) -> SchemeResult:
    """:func:`~thidua_xl.awards.allocate` on the blocs' tables of ``period``, refused outside the scheme's cadence."""
    check_runs_on(scheme, period)
    return allocate(rubric, scheme, pooled(rubric, scheme, ranked))


@dataclass
class Outcome:
    """One run of a scheme (``result``) or of a review (``tables``, ranked per bloc) on one period."""

    period: Period
    result: SchemeResult | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class Section:
    """A scheme or a review over its periods, under its own heading."""

    heading: str
    cadence: Cadence
    source: AwardScheme | PeriodReview
    reading: str
    outcomes: list[Outcome]

    def table(self) -> pd.DataFrame:
        """Scheme: the units awarded (or flagged for the council) in each period. Review: every unit's
        score, rank, movement and class in each period."""
        frames = []
        for o in self.outcomes:
            if o.result is not None:
                t = o.result.table
                t = t[(t[AWARD] != "") | t[COUNCIL]]
                cols = [c for c in (UNIT, BLOC, TOTAL, AWARD, LEVEL, PRIZE, NOTE) if c in t]
                if t.empty:  # the period still shows, saying why nobody is named
                    t = pd.DataFrame({UNIT: [""], NOTE: [NOBODY]})
                    cols = [UNIT, NOTE]
                frames.append(t[cols].assign(**{KY: o.period.key, TITLE: o.period.title}))
            else:
                for bid, t in o.tables.items():
                    cols = [c for c in (UNIT, TOTAL, RANK, MOVE, CLASS, ELIGIBLE, REASON) if c in t]
                    frames.append(t[cols].assign(**{KY: o.period.key, TITLE: o.period.title, BLOC: bid}))
        if not frames:
            return pd.DataFrame(columns=[KY, TITLE, UNIT])
        out = pd.concat(frames, ignore_index=True)
        return out[[KY, TITLE, *[c for c in out.columns if c not in (KY, TITLE)]]]


@dataclass
class YearResult:
    """Every section of a plan's year: monthly, quarterly, cut-off and year-end."""

    rubric: Rubric
    year: int
    months: list[Period]
    sections: list[Section]

    def of(self, cadence: Cadence) -> list[Section]:
        return [s for s in self.sections if s.cadence is cadence]


class _Ranked:
    """Ranked tables per (bloc, period), each computed once however many schemes and reviews use it."""

    def __init__(self, rubric: Rubric, monthly: Mapping[str, Monthly]):
        self.rubric, self.monthly, self.cache = rubric, monthly, {}

    def get(self, bloc_id: str, period: Period) -> pd.DataFrame:
        key = (bloc_id, period.key)
        if key not in self.cache:
            bloc = self.rubric.bloc(bloc_id)
            sub = next((d.subunit_bloc for d in bloc.derived if hasattr(d, "subunit_bloc")), None)
            self.cache[key] = score_period(self.rubric, bloc, self.monthly[bloc_id], period,
                                           self.monthly.get(sub) if sub else None)
        return self.cache[key]

    def blocs(self, blocs: tuple[str, ...], period: Period) -> dict[str, pd.DataFrame]:
        return {b: self.get(b, period) for b in blocs if b in self.monthly}


def _periods(cadence: Cadence, basis: Basis, y: int, months: list[Period]) -> list[Period]:
    had = sorted({p.end.month for p in months if p.end.year == y})
    if cadence is Cadence.MONTHLY:
        return [to_month(y, m) if basis is Basis.YEAR_TO_DATE else month(y, m) for m in had]
    if cadence is Cadence.QUARTERLY:
        quarters = sorted({(m - 1) // 3 + 1 for m in had})
        return [to_month(y, 3 * q) if basis is Basis.YEAR_TO_DATE else quarter(y, q) for q in quarters]
    return [year(y)]


def _heading(item: AwardScheme | PeriodReview, basis: Basis) -> str:
    """"Khen thưởng … (mỗi tháng, số liệu lũy kế từ đầu năm)"."""
    each = "tháng" if item.period is Cadence.MONTHLY else "quý"
    figures = "số liệu lũy kế từ đầu năm" if basis is Basis.YEAR_TO_DATE else f"số liệu của từng {each}"
    return f"{item.label} (mỗi {each}, {figures})"


def run_year(rubric: Rubric, figures_by_bloc: Mapping[str, pd.DataFrame | Monthly], year_: int | None = None,
             ) -> YearResult:
    """Run every scheme and review of a plan over a year of monthly figures (tables with a "Kỳ" column)."""
    monthly = {rubric.bloc(k).id: v if isinstance(v, Monthly) else read_monthly(rubric.bloc(k), v)
               for k, v in figures_by_bloc.items()}
    months = sorted({p for m in monthly.values() for p in m.months()})
    if not months:
        raise PeriodError("Không có tháng nào trong số liệu.")
    y = year_ if year_ is not None else max(p.end.year for p in months)
    ranked = _Ranked(rubric, monthly)
    sections: list[Section] = []
    items: list[AwardScheme | PeriodReview] = [*rubric.awards, *rubric.reviews]
    order = (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.CUTOFF, Cadence.YEAR_END)
    for cadence in order:
        for item in (i for i in items if i.period is cadence and all(b in monthly for b in i.blocs)):
            if cadence is Cadence.CUTOFF:
                sections += _cutoff_sections(rubric, item, ranked)
                continue
            basis = item.basis if cadence in (Cadence.MONTHLY, Cadence.QUARTERLY) else Basis.YEAR_TO_DATE
            outcomes = []
            for period in _periods(cadence, basis, y, months):
                tables = ranked.blocs(item.blocs, period)
                if isinstance(item, AwardScheme):
                    outcomes.append(Outcome(period, result=allocate_in_period(rubric, item, tables, period)))
                else:
                    outcomes.append(Outcome(period, tables=tables))
            if isinstance(item, PeriodReview):
                _review_movement(outcomes)
            reading = item.note or ""
            sections.append(Section(_heading(item, basis) if cadence is not Cadence.YEAR_END
                                    else f"{item.label} — cuối năm {y}", cadence, item, reading, outcomes))
    return YearResult(rubric, y, [p for p in months if p.end.year == y], sections)


def _review_movement(outcomes: list[Outcome]) -> None:
    """Each review table gains the movement since the review's previous period."""
    order = [o.period.key for o in outcomes]
    for bid in {b for o in outcomes for b in o.tables}:
        long = pd.concat([o.tables[bid].assign(_o=i) for i, o in enumerate(outcomes) if bid in o.tables],
                         ignore_index=True)
        moved = with_movement(long, order)
        for i, o in enumerate(outcomes):
            if bid in o.tables:
                part = moved[moved["_o"] == i].drop(columns="_o")
                o.tables[bid] = part.set_axis(o.tables[bid].index)


def _cutoff_sections(rubric: Rubric, scheme: AwardScheme, ranked: _Ranked) -> list[Section]:
    """One section per cut-off date: its tiers, on figures up to that date; units proposed at an earlier
    cut-off are not proposed again (Ninh Phước: the unit sent to the province is not also on the district list)."""
    sections: list[Section] = []
    taken: set[str] = set()
    for day in scheme.cutoffs():
        part = at_cutoff(scheme, day)
        period = to_date(day)
        tables = {b: _without(rubric, b, t, taken) for b, t in ranked.blocs(scheme.blocs, period).items()}
        result = allocate_in_period(rubric, part, tables, period)
        taken |= set(unit_keys(result.awarded))
        sections.append(Section(f"{part.label} (số liệu đến ngày {_d(day)})", Cadence.CUTOFF, part,
                                scheme.note, [Outcome(period, result=result)]))
    return sections


def _without(rubric: Rubric, bloc_id: str, table: pd.DataFrame, taken: set[str]) -> pd.DataFrame:
    """``table`` re-ranked with the units already proposed at an earlier cut-off out of the award ranking."""
    if not taken:
        return table
    out = table.copy()
    gone = unit_keys(out).isin(taken).to_numpy() & out[ELIGIBLE].astype(bool).to_numpy()
    out.loc[gone, ELIGIBLE] = False
    out.loc[gone, REASON] = "Đã được đề nghị ở mức khen cao hơn (ngày chốt trước)"
    return rank(rubric, bloc_id, out)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"
