"""Rolling a bloc's monthly rows up to one row per unit for a period (vectorised: one groupby per roll-up kind).

Each figure rolls up by its declared :class:`~thidua_xl.rubric.RollUp` (or its kind's default): counts summed,
"worst month" figures by their maximum, stocks and assessed status by the last row, yes/no by "có ở ít nhất
một kỳ", rates typed without counts by the mean of the months; derived rates (:class:`~thidua_xl.rubric.Ratio`)
are recomputed from the rolled-up counts. A unit with a bad row inside the period gets no row values — its
error names the month — so a roll-up never silently leaves a month out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..rubric import Blend, Bloc, How, Rubric
from ..scoring import require_inputs, subunit_means
from ..validation import UNIT, Checked, Problem, derive
from ..vn import fold
from .period import KY, Period, covered, parse_period
from .table import END, MONTH, Monthly, unit_keys

_AGG = {How.SUM: "sum", How.MAX: "max", How.MIN: "min", How.MEAN: "mean", How.ANY: "max", How.ALL: "min",
        How.LAST: "last"}


def rolled(rubric: Rubric, monthly: Monthly, period: Period | str,
           subunits: Monthly | None = None) -> Checked:
    """The bloc's figures for ``period``, one row per unit that has a row in it, checked (ready to score)."""
    period = parse_period(period)
    bloc = monthly.bloc
    frame = monthly.frame
    take = covered(frame[MONTH].to_numpy(), frame[END].to_numpy(), period)
    rows = frame[take]
    bad = monthly.bad_rows[take]
    order = np.argsort(rows[END].to_numpy(), kind="stable")  # LAST = the row that ends latest
    rows, bad = rows.iloc[order], bad[order]
    keys = unit_keys(rows)
    by_how: dict[How, list[str]] = {}
    for f in bloc.figures:
        by_how.setdefault(f.roll.how, []).append(f.id)
    named = [UNIT] + ([bloc.group.id] if bloc.group is not None else [])
    if not keys.duplicated().any():  # one row per unit (a month's own figures): every roll-up is that row
        out = rows[named + list(bloc.figure_ids)].set_axis(keys.to_numpy())
        sums = out
    else:
        groups = rows.groupby(keys.to_numpy(), sort=False)
        out = groups[named].last()
        for how, cols in by_how.items():
            if how is not How.RATIO:
                agg = groups[cols]
                out[cols] = (agg.sum(min_count=1) if how is How.SUM else getattr(agg, _AGG[how])())[cols]
        counts = {c for fid in by_how.get(How.RATIO, []) for c in (bloc.figure(fid).roll.numerator,
                                                                     bloc.figure(fid).roll.denominator)}
        sums = groups[sorted(counts)].sum(min_count=1) if counts else out
    for fid in by_how.get(How.RATIO, []):
        roll = bloc.figure(fid).roll
        with np.errstate(divide="ignore", invalid="ignore"):
            out[fid] = (sums[roll.numerator] / sums[roll.denominator]).where(sums[roll.denominator] > 0)
    not_applicable = {}
    for fid, mask in monthly.not_applicable.items():
        flags = pd.Series(mask[take][order], index=rows.index).groupby(keys.to_numpy(), sort=False).min()
        not_applicable[fid] = flags.reindex(out.index).fillna(False).to_numpy(dtype=bool)
    where = {k: i for i, k in enumerate(out.index.tolist())}  # the groups are the folded unit names
    out = out.reset_index(drop=True)
    problems = _problems(monthly, rows, bad, keys, out, where)
    for d in bloc.derived:
        values, found = derive(bloc, d, out)
        out[d.id] = values
        problems += found
    checked = Checked(out, problems, not_applicable)
    if subunits is not None:
        _fill_blends(rubric, bloc, checked, subunits, period)
    require_inputs(bloc, checked)
    return checked


def rollup(rubric: Rubric, bloc: Bloc | str, figures: Monthly | pd.DataFrame, period: Period | str,
           subunits: Monthly | pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit with its figures rolled up over ``period`` (plus ``ky`` and ``loi_du_lieu``)."""
    from .table import read_monthly

    bloc = bloc if isinstance(bloc, Bloc) else rubric.bloc(bloc)
    monthly = figures if isinstance(figures, Monthly) else read_monthly(bloc, figures)
    if isinstance(subunits, pd.DataFrame):
        subunits = read_monthly(rubric.bloc(_sub_bloc(bloc)), subunits)
    checked = rolled(rubric, monthly, period, subunits)
    out = checked.frame.copy()
    errors = checked.messages_by_row()
    out[KY] = parse_period(period).key
    out["loi_du_lieu"] = [errors.get(i, "") for i in range(len(out))]
    return out


def rollup_rules(bloc: Bloc) -> list[tuple[str, str, bool]]:
    """(figure label, how it rolls up, whether this is the fallback for a rate typed without counts) for every
    figure: what a sheet or the CLI shows next to a period's figures."""
    return [(f.label, f.roll.describe(), f.rollup is None and f.roll.how is How.MEAN) for f in bloc.figures]


def _sub_bloc(bloc: Bloc) -> str:
    return next(d.subunit_bloc for d in bloc.derived if isinstance(d, Blend))


def _problems(monthly: Monthly, rows: pd.DataFrame, bad: np.ndarray, keys: pd.Series, out: pd.DataFrame,
              where: dict[str, int]) -> list[Problem]:
    """The rows' problems moved onto their unit's rolled-up row; a unit with an unreadable Kỳ is bad too."""
    problems: list[Problem] = []
    if bad.any():
        positions = set(rows.index[bad].tolist())
        for p in monthly.problems:
            if p.row in positions:
                problems.append(Problem(p.unit, p.column, p.value, p.message, where[keys.at[p.row]]))
    for key, messages in monthly.unit_problems.items():
        if key in where:
            problems += [Problem(out[UNIT].iloc[where[key]], "Kỳ", None, m, where[key]) for m in messages]
    return problems


def _fill_blends(rubric: Rubric, bloc: Bloc, checked: Checked, subunits: Monthly, period: Period) -> None:
    """Hậu Giang's "bình quân các xã" for the period: the mean over the sub-units' rolled-up figures."""
    for d in bloc.derived:
        if not isinstance(d, Blend) or not checked.frame[d.subunit_mean].isna().all():
            continue
        sub_bloc = rubric.bloc(d.subunit_bloc)
        if sub_bloc.group is None:
            continue
        sub = rolled(rubric, subunits, period)
        bad = pd.Series(sub.frame.index.isin(list(sub.bad_rows)), index=sub.frame.index)
        stats = subunit_means(sub.frame[d.subunit_figure], sub.frame[sub_bloc.group.id], bad)
        frame = checked.frame
        parents = frame[UNIT].map(fold)
        frame[d.subunit_mean] = parents.map(stats["mean"]).astype(float)
        frame[d.id] = (frame[d.own] + frame[d.subunit_mean]) / 2
        for row in np.flatnonzero(parents.map(stats["bad"]).fillna(False).astype(bool).to_numpy()):
            unit = frame[UNIT].iloc[row]
            checked.problems.append(Problem(unit, bloc.label_of(d.subunit_mean), None, (
                f"Đơn vị '{unit}': có {sub_bloc.label.lower()} trực thuộc bị lỗi số liệu kỳ {period.key} nên chưa "
                f"tính được '{bloc.label_of(d.subunit_mean)}'."), int(row)))
