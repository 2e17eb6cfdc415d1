"""Months, quarters and the year: periodic scoring, monthly awards and the year-end roll-up (engine, no I/O).

DESIGN.md §8 "Periods". A figures table may carry a "Kỳ" column; each row is then one unit's figures for one
month. Everything else is derived from those rows.

**The "Kỳ" column** (:mod:`.period`). Written ``YYYY-MM``; also read: ``2021-3``, ``2021/03``, ``03/2021``,
``3-2021``, ``T3/2021``, ``Tháng 3/2021``, ``tháng 03 năm 2021``, a spreadsheet date on the 1st of a month.
Header "Kỳ" (or "Kỳ báo cáo", "Tháng"; any case, with or without accents). A date on another day
(``2023-12-15``, ``15/12/2023``) is a *dated row*: its month's figures from the 1st up to that day; a plain
``2023-12`` row for the same unit then holds the rest of the month. A cut-off inside a month therefore takes
the dated rows up to it; a month without a dated row counts only for a cut-off on or after its last day.
A cell that is not a month → the unit is left out of every period, with "Đơn vị 'X', cột 'Kỳ': '13/2021'
không phải một tháng (…)". Each month's rows are checked separately (a unit twice in one month is refused).

**Periods** (:class:`Period`, :func:`parse_period`): ``2021-03`` a month's own figures, ``2021-Q1`` a
quarter, ``2021`` the year, ``..2021-03`` year-to-date up to a month, ``..2023-11-30`` year-to-date up to a
date (a cut-off). Builders: :func:`month`, :func:`quarter`, :func:`year`, :func:`to_month`, :func:`to_date`.

**Roll-ups** (declared in the rubric, :class:`~thidua_xl.rubric.RollUp` on ``Figure.rollup``; the kind's
default otherwise, :data:`~thidua_xl.rubric.DEFAULT_ROLLUP`): counts are summed (deductions too), numbers
take the last month's value, yes/no is "có" if it was "có" in at least one month of the period (a plan built
in March stays built), text (a commune's huyện) the last value; a rate typed without its counts is the
unweighted mean of the months — the fallback, named in its description so a sheet can show it. A figure may
declare ``How.MAX`` (Phụng Hiệp: the worst month's late dossiers), ``How.LAST`` (stocks, assessed status),
``How.ALL``, ``How.MIN`` or ``How.RATIO`` (a typed rate recomputed as Σ numerator ÷ Σ denominator of two
count figures). Derived :class:`~thidua_xl.rubric.Ratio` figures are always recomputed from the rolled-up
counts, so "12 months of counts" and "the year's summed counts" score the same.

**Functions**
- :func:`read_monthly` (bloc, table) → :class:`Monthly`: checked rows with their months;
  ``Monthly.periods()`` lists what a period selector offers (months, quarters, the year, year-to-date).
- :func:`rollup` (rubric, bloc, table | Monthly, period) → one row per unit: the rolled-up figures,
  ``ky`` and ``loi_du_lieu`` (a bad cell in a month inside the period, named with its month).
- :func:`rollup_rules` (bloc) → (figure label, roll-up in words, fallback?) for every figure: the rule shown
  next to a period's figures (the fallback mean of a rate typed without counts is flagged).
- :func:`score_period` (rubric, bloc, figures, period) → the ordinary scored and ranked table of that period.
- :func:`score_periods` (rubric, bloc, figures, periods=None, basis=Basis.OWN) → one row per unit and period
  (every month of the data by default; ``Basis.YEAR_TO_DATE`` for year-to-date months), with ``hang``,
  ``hang_ky_truoc`` and ``bien_dong``: "↑2", "↓1", "=" or "mới" (no rank in the previous period); empty in
  the first period. One engine pass per period; the movement is vectorised.
- :func:`runs_on` (scheme, period) / :func:`check_runs_on`: a scheme's cadence
  (:class:`~thidua_xl.rubric.Cadence` on ``AwardScheme.period``: "tháng", "quý", "năm", "mốc ngày") against a
  period; ``award_plan(rubric, figures, period=…)`` allocates only the schemes that run on it.
- :func:`run_year` (rubric, {bloc: table}, year=None) → :class:`YearResult` with one :class:`Section` per
  scheme or published ranking (:class:`~thidua_xl.rubric.PeriodReview`), monthly first, then quarterly,
  cut-off and year-end; ``Section.table()`` is the winners list (schemes) or the ranking with movement
  (reviews) of every period.

**Schemes and periods** (``AwardScheme.period``, ``.basis``, ``.cutoff``, ``Tier.cutoff``): a monthly scheme
runs on each month, on its own figures or year-to-date (Châu Thành A: year-to-date, pooled across both
blocs); a quarterly one on each quarter; a year-end one on the year only; a cut-off scheme on figures up to
each of its dates, its tiers grouped by date and a unit proposed at an earlier date not proposed again
(Ninh Phước: cấp tỉnh on figures up to 30/11/2023, cấp huyện up to 15/12/2023).
"""

from __future__ import annotations

from ..rubric import DEFAULT_ROLLUP, Basis, Cadence, How, PeriodReview, RollUp
from .awards import (
    Outcome,
    Section,
    YearResult,
    allocate_in_period,
    at_cutoff,
    check_runs_on,
    run_year,
    runs_on,
    when,
)
from .period import (
    KY,
    Period,
    PeriodError,
    Span,
    month,
    parse_period,
    quarter,
    read_cell,
    to_date,
    to_month,
    year,
)
from .rollup import rolled, rollup, rollup_rules
from .scoring import MOVE, NEW, PREVIOUS, SAME, monthly_periods, score_period, score_periods, with_movement
from .table import Monthly, has_periods, ky_column, read_monthly

__all__ = [
    "DEFAULT_ROLLUP", "KY", "MOVE", "NEW", "PREVIOUS", "SAME", "Basis", "Cadence", "How", "Monthly", "Outcome",
    "Period", "PeriodError", "PeriodReview", "RollUp", "Section", "Span", "YearResult", "allocate_in_period", "at_cutoff",
    "check_runs_on", "has_periods", "ky_column", "month", "monthly_periods", "parse_period", "quarter",
    "read_cell", "read_monthly", "rolled", "rollup", "rollup_rules", "run_year", "runs_on", "score_period", "score_periods",
    "to_date", "to_month", "when", "with_movement", "year",
]
