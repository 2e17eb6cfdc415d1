"""Scoring and ranking period by period, with each unit's movement since the previous period.

One pass of the ordinary engine per period (roll-up → :func:`~thidua_xl.scoring.score_checked` →
:func:`~thidua_xl.ranking.rank`); the movement column is computed for all rows at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..columns import RANK
from ..ranking import rank
from ..rubric import Basis, Blend, Bloc, Rubric
from ..scoring import score_checked
from ..validation import UNIT
from .period import KY, Period, Span, parse_period, to_month
from .rollup import rolled
from .table import Monthly, read_monthly, unit_keys

PREVIOUS = "hang_ky_truoc"
MOVE = "bien_dong"
NEW = "mới"
SAME = "="


def score_period(rubric: Rubric, bloc: Bloc | str, figures: Monthly | pd.DataFrame, period: Period | str,
                 subunits: Monthly | pd.DataFrame | None = None) -> pd.DataFrame:
    """One period: the ordinary scored and ranked table (``ky`` added), from the rolled-up figures."""
    bloc, monthly, sub = _inputs(rubric, bloc, figures, subunits)
    period = parse_period(period)
    table = rank(rubric, bloc, score_checked(bloc, rolled(rubric, monthly, period, sub)))
    table.insert(1, KY, period.key)
    return table


def monthly_periods(monthly: Monthly, basis: Basis = Basis.OWN) -> list[Period]:
    """Every month of the data: its own figures, or year-to-date up to it."""
    months = monthly.months()
    if basis is Basis.YEAR_TO_DATE:
        return [to_month(p.end.year, p.end.month) for p in months]
    return months


def score_periods(rubric: Rubric, bloc: Bloc | str, figures: Monthly | pd.DataFrame,
                  periods: Sequence[Period | str] | None = None, *, basis: Basis = Basis.OWN,
                  subunits: Monthly | pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit and period (every month of the data when ``periods`` is None), with score, rank,
    the rank of the previous period in the list and the movement: ↑2, ↓1, "=" or "mới" (no rank in the
    previous period); empty for the first period and for a unit without a rank."""
    bloc, monthly, sub = _inputs(rubric, bloc, figures, subunits)
    chosen = [parse_period(p) for p in periods] if periods is not None else monthly_periods(monthly, basis)
    tables = [score_period(rubric, bloc, monthly, p, sub) for p in chosen]
    if not tables:
        return pd.DataFrame(columns=[UNIT, KY, RANK, PREVIOUS, MOVE])
    return with_movement(pd.concat(tables, ignore_index=True), [p.key for p in chosen])


def with_movement(table: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Add :data:`PREVIOUS` and :data:`MOVE` to a long table of ranked periods (``ky`` in ``order``); the
    table itself gains the columns (callers pass a table they just built) and is returned."""
    out = table
    step = {key: i for i, key in enumerate(order)}
    codes, kys = pd.factorize(out[KY])
    pos = np.array([step[k] for k in kys.tolist()], dtype=np.int64)[codes]
    unit, _ = pd.factorize(unit_keys(out))
    grid = np.full((len(order) + 1, unit.max() + 1 if len(unit) else 0), np.nan)  # row 0: before the first
    current = out[RANK].to_numpy(dtype=float)
    grid[pos + 1, unit] = current
    previous = grid[pos, unit]
    out[PREVIOUS] = previous
    delta = np.nan_to_num(previous - current).astype(np.int64)
    steps, which = np.unique(delta, return_inverse=True)  # each distinct move written once
    words = np.array([f"↑{d}" if d > 0 else f"↓{-d}" if d < 0 else SAME for d in steps.tolist()], dtype=object)
    text = words[which.reshape(-1)] if len(delta) else np.array([], dtype=object)
    text[np.isnan(previous)] = NEW
    text[np.isnan(current) | (pos == 0)] = ""
    out[MOVE] = text
    return out


def _inputs(rubric: Rubric, bloc: Bloc | str, figures: Monthly | pd.DataFrame,
            subunits: Monthly | pd.DataFrame | None) -> tuple[Bloc, Monthly, Monthly | None]:
    bloc = bloc if isinstance(bloc, Bloc) else rubric.bloc(bloc)
    monthly = figures if isinstance(figures, Monthly) else read_monthly(bloc, figures)
    if isinstance(subunits, pd.DataFrame):
        sub_id = next((d.subunit_bloc for d in bloc.derived if isinstance(d, Blend)), None)
        subunits = read_monthly(rubric.bloc(sub_id), subunits) if sub_id else None
    return bloc, monthly, subunits


def is_monthly(period: Period) -> bool:
    return period.span in (Span.MONTH, Span.TO_MONTH)
