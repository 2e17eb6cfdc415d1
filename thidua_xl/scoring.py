"""Scoring: figures → points per criterion, total, eligibility and band.

Vectorised: each rule works on whole numpy columns, so 100,000 units are one
pass per criterion. A unit with bad input gets no score (NaN) and its
Vietnamese error; the others are scored as usual.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .columns import CLASS, ELIGIBLE, ERROR, REASON, TOTAL
from .rubric import AtLeast, Below, Blend, Bloc, Kind, MinTotal, Ratio, Rubric
from .validation import UNIT, Checked, InputError, Problem, check
from .vn import fmt_number, fmt_percent, fold


def _bloc(rubric: Rubric, bloc: Bloc | str) -> Bloc:
    return bloc if isinstance(bloc, Bloc) else rubric.bloc(bloc)


def prepare(rubric: Rubric, bloc: Bloc | str, figures: pd.DataFrame,
            subunits: pd.DataFrame | None = None) -> tuple[Bloc, Checked]:
    """Check a bloc's figures and fill blended figures from the sub-unit bloc."""
    bloc = _bloc(rubric, bloc)
    checked = check(bloc, figures)
    for d in bloc.derived:
        if isinstance(d, Blend) and checked.frame[d.subunit_mean].isna().all():
            _fill_subunit_mean(rubric, bloc, d, checked, subunits)
    require_inputs(bloc, checked)
    return bloc, checked


def subunit_means(values: pd.Series, parents: pd.Series, bad: pd.Series) -> pd.DataFrame:
    """Per parent (folded name): the mean of its sub-units' values, and whether one of them is bad.

    A parent with a bad sub-unit gets no mean: the plan's "bình quân các xã" is never taken over part of
    the communes. Shared by scoring (typed sub-unit sheets) and ingest (sub-units from the export).
    """
    table = pd.DataFrame({"parent": [fold(p) for p in parents], "value": values.to_numpy(dtype=float),
                          "bad": bad.to_numpy(dtype=bool)})
    stats = table.groupby("parent").agg(mean=("value", "mean"), bad=("bad", "any"))
    stats["mean"] = stats["mean"].where(~stats["bad"])
    return stats


def subunit_stats(rubric: Rubric, blend: Blend, subunits: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`subunit_means` of a blend's figure over the sub-unit bloc's typed figures (None: no groups)."""
    sub_bloc = rubric.bloc(blend.subunit_bloc)
    if sub_bloc.group is None:
        return None
    sub = check(sub_bloc, subunits)
    return subunit_means(sub.frame[blend.subunit_figure], sub.frame[sub_bloc.group.id],
                         pd.Series(sub.frame.index.isin(list(sub.bad_rows)), index=sub.frame.index))


def _fill_subunit_mean(rubric: Rubric, bloc: Bloc, blend: Blend, checked: Checked,
                       subunits: pd.DataFrame | None) -> None:
    """Mean of the sub-units' figure per parent unit; a parent with a bad sub-unit gets no mean."""
    frame = checked.frame
    stats = subunit_stats(rubric, blend, subunits) if subunits is not None else None
    if stats is None:
        return
    sub_bloc = rubric.bloc(blend.subunit_bloc)
    parents = frame[UNIT].map(fold)
    frame[blend.subunit_mean] = parents.map(stats["mean"]).astype(float)
    bad_parent = parents.map(stats["bad"]).fillna(False).astype(bool)
    frame[blend.id] = (frame[blend.own] + frame[blend.subunit_mean]) / 2
    for row in np.flatnonzero(bad_parent.to_numpy()):
        unit = frame[UNIT].iloc[row]
        checked.problems.append(Problem(
            unit, bloc.label_of(blend.subunit_mean), None,
            f"Đơn vị '{unit}': có {sub_bloc.label.lower()} trực thuộc bị lỗi số liệu nên chưa tính được "
            f"'{bloc.label_of(blend.subunit_mean)}' — sửa số liệu khối {sub_bloc.label} trước.", int(row)))


def round_total(total: np.ndarray | float) -> np.ndarray:
    """Half-up to 2 decimals, as the sheet prints and the council checks by hand (DESIGN.md §8 Precision).

    ``np.round`` rounds half to even on binary floats (97.605 → 97.6); here the value is first cleaned to
    6 decimals of its hundredths, so 97.605 stored as 97.60499999… still goes up to 97.61, and halves go
    away from zero (−2.345 → −2.35).
    """
    value = np.asarray(total, dtype=float)
    hundredths = np.round(np.abs(value) * 100, 6)
    return np.sign(value) * np.floor(hundredths + 0.5) / 100


def not_applicable_rows(bloc: Bloc, checked: Checked, criterion_inputs: tuple[str, ...]) -> np.ndarray:
    """Rows where one of a criterion's inputs was typed "không áp dụng"."""
    mask = np.zeros(len(checked.frame), dtype=bool)
    for col in criterion_inputs:
        if col in checked.not_applicable:
            mask |= checked.not_applicable[col]
    return mask


def require_inputs(bloc: Bloc, checked: Checked) -> None:
    """Any criterion input still missing for an otherwise good unit is a problem, never a 0."""
    frame, bad = checked.frame, checked.bad_rows
    needed = dict.fromkeys(col for c in bloc.criteria for col in c.inputs)
    for col in needed:
        missing = frame[col].isna().to_numpy() & ~checked.not_applicable.get(col, np.zeros(len(frame), bool))
        for row in np.flatnonzero(missing):
            if int(row) in bad:
                continue
            unit = frame[UNIT].iloc[row]
            checked.problems.append(Problem(
                unit, bloc.label_of(col), None,
                f"Đơn vị '{unit}': thiếu số liệu '{bloc.label_of(col)}'.", int(row)))
            bad.add(int(row))


def score(rubric: Rubric, bloc: Bloc | str, figures: pd.DataFrame, *,
          subunits: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit: figures, points per criterion, total, eligibility, band, error.

    Raises :class:`InputError` only when the whole table is unusable (a
    required column missing); a bad cell only takes its own unit out.
    """
    bloc, checked = prepare(rubric, bloc, figures, subunits)
    return score_checked(bloc, checked)


def score_checked(bloc: Bloc, checked: Checked) -> pd.DataFrame:
    """Score already checked figures (shared by :func:`score` and the UDFs)."""
    if checked.blocking:
        raise InputError(checked.blocking)
    frame = checked.frame
    valid = ~frame.index.isin(list(checked.bad_rows))
    cols = {c: frame[c].to_numpy(dtype=float) for c in bloc.known_columns}
    out = frame.copy()
    total = np.zeros(len(frame))
    for criterion in bloc.criteria:
        points = np.asarray(criterion.rule.points(cols, criterion.max_points), dtype=float)
        # "không áp dụng" for this unit: the maximum, as the portal scores it (DESIGN.md §8).
        points = np.where(not_applicable_rows(bloc, checked, criterion.inputs), criterion.max_points, points)
        points = np.where(valid, points, np.nan)
        out[criterion.id] = points
        total = total + points
    total = round_total(total)
    out[TOTAL] = total
    eligible, reasons = _eligibility(bloc, cols, total, valid)
    out[ELIGIBLE] = eligible
    out[REASON] = reasons
    if bloc.bands is not None:
        out[CLASS] = [bloc.bands.classify(t) if ok else "" for t, ok in zip(total, valid, strict=True)]
    errors = checked.messages_by_row()
    out[ERROR] = [errors.get(row, "") for row in range(len(frame))]
    return out


def _eligibility(bloc: Bloc, cols: Mapping[str, np.ndarray], total: np.ndarray,
                 valid: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Which units may be ranked for awards, and why not (with the unit's own value)."""
    reasons: list[list[str]] = [[] for _ in range(len(total))]
    excluded = np.zeros(len(total), dtype=bool)
    for cond in bloc.eligibility:
        values = total if isinstance(cond, MinTotal) else cols[cond.figure]
        mask = cond.fails(cols, total) & valid
        excluded |= mask
        rows = np.flatnonzero(mask)
        texts = {v: _reason(bloc, cond, float(v)) for v in np.unique(values[rows])}
        for row in rows:
            reasons[row].append(texts[values[row]])
    text = ["; ".join(r) if ok else "Lỗi số liệu — chưa chấm điểm" for r, ok in zip(reasons, valid, strict=True)]
    return valid & ~excluded, text


def _reason(bloc: Bloc, cond: MinTotal | Below | AtLeast, value: float) -> str:
    if isinstance(cond, MinTotal):
        return f"{cond.reason} (tổng {fmt_number(value)} điểm < {fmt_number(cond.minimum)})"
    label = bloc.label_of(cond.figure)
    sign = "<" if isinstance(cond, Below) else "≥"
    return (f"{cond.reason} ({label} {shown(bloc, cond.figure, value)} {sign} "
            f"{shown(bloc, cond.figure, cond.threshold)})")


def shown(bloc: Bloc, column: str, value: float) -> str:
    is_rate = any(d.id == column for d in bloc.derived if isinstance(d, Ratio | Blend)) or (
        column in bloc.figure_ids and bloc.figure(column).kind is Kind.RATE)
    return fmt_percent(value) if is_rate else fmt_number(value)


def explain(rubric: Rubric, bloc: Bloc | str, figures: pd.DataFrame, *,
            subunits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit, a short Vietnamese sentence per criterion, then total and eligibility.

    ``dong`` is the unit's 0-based row in ``figures`` (names may repeat in bad input).
    """
    bloc, checked = prepare(rubric, bloc, figures, subunits)
    return explain_checked(rubric, bloc, checked)


def explain_checked(rubric: Rubric, bloc: Bloc, checked: Checked) -> pd.DataFrame:
    """:func:`explain` on figures already checked (e.g. a period's roll-up, :mod:`thidua_xl.periods`)."""
    scored = score_checked(bloc, checked)
    rows: list[dict[str, object]] = []
    waived = {c.id: not_applicable_rows(bloc, checked, c.inputs) for c in bloc.criteria}
    # Columns as lists once: reading a DataFrame cell by cell cost seconds per thousand units.
    errors, column = scored[ERROR].tolist(), {c: scored[c].tolist() for c in bloc.known_columns}
    points_of = {c.id: scored[c.id].tolist() for c in bloc.criteria}
    totals, eligible, reasons = scored[TOTAL].tolist(), scored[ELIGIBLE].tolist(), scored[REASON].tolist()
    for i, unit in enumerate(scored[UNIT]):
        if errors[i]:
            rows.append({"dong": i, UNIT: unit, "tieu_chi": "Lỗi số liệu", "diem": np.nan,
                         "giai_thich": errors[i]})
            continue
        values = {c: float(column[c][i]) for c in bloc.known_columns}
        for criterion in bloc.criteria:
            points = float(points_of[criterion.id][i])
            if waived[criterion.id][i]:
                text = (f"{criterion.label}: không áp dụng với đơn vị → điểm tối đa "
                        f"{fmt_number(criterion.max_points)} điểm")
            else:
                text = criterion.rule.explain(values, points, criterion.label, criterion.max_points)
            rows.append({"dong": i, UNIT: unit, "tieu_chi": criterion.label, "diem": points, "giai_thich": text})
        verdict = "đủ điều kiện xét khen thưởng" if eligible[i] else reasons[i]
        mark = f" ({rubric.provisional})" if rubric.provisional else ""
        rows.append({"dong": i, UNIT: unit, "tieu_chi": "Tổng điểm", "diem": float(totals[i]),
                     "giai_thich": f"Tổng {fmt_number(totals[i])} điểm{mark} — {verdict}"})
    return pd.DataFrame(rows, columns=["dong", UNIT, "tieu_chi", "diem", "giai_thich"])


def subunit_order(rubric: Rubric) -> list[Bloc]:
    """Blocs ordered so that a bloc's sub-unit bloc is scored before it."""
    needs = {b.id: {d.subunit_bloc for d in b.derived if isinstance(d, Blend)} for b in rubric.blocs}
    ordered: list[Bloc] = []
    while len(ordered) < len(rubric.blocs):
        for b in rubric.blocs:
            if b not in ordered and needs[b.id] <= {o.id for o in ordered}:
                ordered.append(b)
    return ordered


def score_plan(rubric: Rubric, figures_by_bloc: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Score every bloc given; blended figures take their sub-units from the same input."""
    given = {rubric.bloc(k).id: v for k, v in figures_by_bloc.items()}
    out: dict[str, pd.DataFrame] = {}
    for bloc in subunit_order(rubric):
        if bloc.id not in given:
            continue
        sub_id = next((d.subunit_bloc for d in bloc.derived if isinstance(d, Blend)), None)
        out[bloc.id] = score(rubric, bloc, given[bloc.id], subunits=given.get(sub_id) if sub_id else None)
    return out
