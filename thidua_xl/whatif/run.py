"""The driver: score and rank a bloc, build each unit's target, search every figure, then pairs."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ..columns import TOTAL
from ..ranking import rank
from ..rubric import Bloc, Rubric
from ..scoring import score
from ..vn import fmt_number
from .levers import Lever, find_levers
from .result import Gaps
from .search import MAX_PAIRS, Evaluator, furthest, relative, solve, solve_pair
from .targets import Target, build, parse_target


def gaps(rubric: Rubric, bloc: Bloc | str, figures: pd.DataFrame, target: object = None, *,
         subunits: pd.DataFrame | None = None) -> Gaps:
    """Score, rank and, for every unit, find what it takes to reach ``target`` ('hang', 'giai',
    'dieu-kien' or a score). Raises :class:`TargetError` for a target the bloc cannot have."""
    the_bloc = bloc if isinstance(bloc, Bloc) else rubric.bloc(bloc)
    spec = target if isinstance(target, Target) else parse_target(target)
    ranked = rank(rubric, the_bloc, score(rubric, the_bloc, figures, subunits=subunits)).reset_index(drop=True)
    return gaps_of(rubric, the_bloc, ranked, spec)


def gaps_of(rubric: Rubric, bloc: Bloc, ranked: pd.DataFrame, target: Target) -> Gaps:
    """:func:`gaps` on an already scored and ranked bloc."""
    need = build(rubric, bloc, ranked, target)
    cols = {c: ranked[c].to_numpy(dtype=float) for c in bloc.known_columns}
    points = {c.id: ranked[c.id].to_numpy(dtype=float) for c in bloc.criteria}
    ev = Evaluator(bloc, cols, points, ranked[TOTAL].to_numpy(dtype=float), need)
    levers = find_levers(bloc)
    rows = np.flatnonzero(need.search)
    n = len(ranked)
    single = np.full((n, len(levers)), np.nan)
    single_total = np.full((n, len(levers)), np.nan)
    sizes = np.full((n, len(levers)), np.nan)
    for k, lever in enumerate(levers):
        values = solve(ev, lever, rows)
        single[rows, k] = values
        sizes[rows, k] = relative(lever, cols[lever.id][rows], values)
        hit = ~np.isnan(values)
        if hit.any():
            single_total[rows[hit], k] = ev.outcome(rows[hit], {lever: values[hit]})[0]
    pair, why = _pairs(ev, levers, rows[np.isnan(single[rows]).all(axis=1)] if len(levers) else rows)
    return Gaps(bloc, target, ranked, need, levers, single, single_total, sizes, cols, pair, why)


def _pairs(ev: Evaluator, levers: tuple[Lever, ...], rows: np.ndarray
           ) -> tuple[dict[int, tuple[int, int, float, float, float]], dict[int, str]]:
    """Two-figure changes for the units no single figure serves; and why, for those none serves."""
    pair: dict[int, tuple[int, int, float, float, float]] = {}
    why: dict[int, str] = {}
    if not len(rows):
        return pair, why
    total_max, eligible_max, reachable = furthest(ev, levers, rows) if levers else (
        ev.total[rows], np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool))
    for i, t, ok, can in zip(rows, total_max, eligible_max, reachable, strict=True):
        if not levers:
            why[int(i)] = "khối không có số liệu nào đơn vị tự thay đổi được"
        elif not can and ev.need.eligible[i] and not ok:
            why[int(i)] = "kể cả khi mọi số liệu đạt mức tốt nhất vẫn chưa đủ điều kiện xét"
        elif not can:
            why[int(i)] = f"kể cả khi mọi số liệu đạt mức tốt nhất, tổng chỉ {fmt_number(t)} điểm"
        else:
            why[int(i)] = "cần thay đổi từ ba số liệu trở lên"
    open_rows = rows[reachable]
    if not len(open_rows):
        return pair, why
    # Every pair is checked at its furthest values (one vectorised pass each); the exact search runs on the
    # feasible pairs with the most headroom first: figures behind a gate, then those adding the most points.
    gain = np.vstack([furthest(ev, (lv,), open_rows)[0] for lv in levers]) - ev.total[open_rows]
    headroom = np.where([bool(lv.conditions) for lv in levers], np.inf, np.nanmean(gain, axis=1))
    best_cost = np.full(len(open_rows), np.inf)
    choice: dict[int, tuple[int, int, float, float]] = {}
    candidates = sorted(combinations(range(len(levers)), 2), key=lambda ab: -(headroom[ab[0]] + headroom[ab[1]]))
    searched = 0
    for a, b in candidates:
        if searched >= MAX_PAIRS:
            break
        la, lb = levers[a], levers[b]
        both = furthest(ev, (la, lb), open_rows)[2]
        if not both.any():
            continue
        searched += 1
        at = np.flatnonzero(both)
        va, vb = solve_pair(ev, la, lb, open_rows[at])
        now_a, now_b = ev.cols[la.id][open_rows[at]], ev.cols[lb.id][open_rows[at]]
        cost = relative(la, now_a, va) + relative(lb, now_b, vb)
        for j, c, x, y in zip(at, cost, va, vb, strict=True):
            if not np.isnan(c) and c < best_cost[j]:
                best_cost[j] = c
                choice[int(j)] = (a, b, float(x), float(y))
    by_pair: dict[tuple[int, int], list[int]] = {}
    for j, (a, b, _, _) in choice.items():
        by_pair.setdefault((a, b), []).append(j)
    for (a, b), js in by_pair.items():  # the totals after each pair's change, one pass per pair
        at = np.array(js)
        xs, ys = np.array([choice[j][2] for j in js]), np.array([choice[j][3] for j in js])
        totals = ev.outcome(open_rows[at], {levers[a]: xs, levers[b]: ys})[0]
        for j, x, y, total in zip(js, xs, ys, totals, strict=True):
            i = int(open_rows[j])
            pair[i] = (a, b, float(x), float(y), float(total))
            why.pop(i, None)
    return pair, why
