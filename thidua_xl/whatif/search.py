"""The smallest change of one figure (or two) that reaches a unit's target, for all units at once.

Each search starts from the rule's exact inverse (``needed`` on the criterion, ``solve`` back through a rate
or blend, a gate's threshold) and checks it on the vectorised scorer: the value must reach the target and
one step less must not. Where the inverse does not settle it (a figure moving several criteria, a tie-break,
a gate on the total) a bisection over the figure's grid does, in whole numbers for counts and hundredths of
a percentage point for rates — so every answer is exact by construction, never off by a rounding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..rubric import Bloc, Criterion
from ..scoring import round_total
from .levers import UNBOUNDED, Lever
from .targets import Need

PAIR_LEVELS = 8        # values of the first figure tried for a pair; the second is then solved exactly
MAX_PAIRS = 40         # pairs searched per unit group, those with the most headroom first


class Rows(Mapping[str, np.ndarray]):
    """The bloc's columns for some units, with some columns replaced (what a rule reads)."""

    def __init__(self, cols: Mapping[str, np.ndarray], rows: np.ndarray):
        self._cols, self._rows, self._own = cols, rows, {}  # type: ignore[var-annotated]

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._own:
            self._own[key] = self._cols[key][self._rows]
        return self._own[key]

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        self._own[key] = value

    def __iter__(self) -> Iterator[str]:
        return iter(self._cols)

    def __len__(self) -> int:
        return len(self._cols)


class Evaluator:
    """Re-scores chosen units with some figures changed; only what those figures move is recomputed."""

    def __init__(self, bloc: Bloc, cols: Mapping[str, np.ndarray], points: Mapping[str, np.ndarray],
                 total: np.ndarray, need: Need):
        self.bloc, self.cols, self.points, self.total, self.need = bloc, cols, points, total, need
        # The unrounded sum: a change moves it, and only then is it rounded half-up to 2 decimals as the
        # scorer does (rounded totals plus raw deltas would be off by up to half a hundredth).
        self.raw = np.sum([np.asarray(points[c.id], dtype=float) for c in bloc.criteria], axis=0)

    def outcome(self, rows: np.ndarray, changes: Mapping[Lever, np.ndarray]
                ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """New totals, eligibility and signed tie-break values of ``rows``."""
        sub = Rows(self.cols, rows)
        moved: set[str] = set()
        criteria: dict[str, Criterion] = {}
        for lever, value in changes.items():
            sub[lever.id] = value
            moved |= lever.columns
            criteria.update((c.id, c) for c in lever.criteria)
        for d in self.bloc.derived:
            if d.id in moved:
                sub[d.id] = d.value(sub)
        raw = self.raw[rows].copy()
        for c in criteria.values():
            raw += np.asarray(c.rule.points(sub, c.max_points), dtype=float) - self.points[c.id][rows]
        total = round_total(raw)
        fails = np.zeros(len(rows), dtype=bool)
        for cond in self.bloc.eligibility:
            fails |= cond.fails(sub, total)
        keys = [sub[t.figure] * (1 if t.higher_is_better else -1) for t in self.bloc.tiebreaks]
        return total, ~fails, keys

    def reaches(self, rows: np.ndarray, changes: Mapping[Lever, np.ndarray]) -> np.ndarray:
        total, eligible, keys = self.outcome(rows, changes)
        return self.need.reaches(rows, total, eligible, keys)


@dataclass(frozen=True)
class Grid:
    """A lever's values for some units as whole steps away from today's value, in its direction."""

    lever: Lever
    base: np.ndarray     # today's value in steps (rounded towards the direction's start)
    reach: np.ndarray    # how many steps it can go

    @classmethod
    def of(cls, lever: Lever, cols: Mapping[str, np.ndarray], rows: np.ndarray) -> Grid:
        now = np.asarray(cols[lever.id], dtype=float)[rows] / lever.step
        bound = lever.bound(cols, rows) / lever.step
        if lever.direction > 0:
            base = np.floor(now + 1e-6)
            reach = np.floor(np.minimum(bound, UNBOUNDED) + 1e-6) - base
        else:
            base = np.ceil(now - 1e-6)
            reach = base - np.ceil(bound - 1e-6)
        return cls(lever, base, np.maximum(reach, 0))

    def value(self, steps: np.ndarray, at: np.ndarray | slice = slice(None)) -> np.ndarray:
        return np.round((self.base[at] + self.lever.direction * steps) * self.lever.step, 6)

    def steps_to(self, value: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Steps to the first grid value at or beyond ``value`` in the lever's direction."""
        scaled = np.asarray(value, dtype=float) / self.lever.step
        with np.errstate(invalid="ignore"):
            if self.lever.direction > 0:
                return np.ceil(scaled - 1e-6) - self.base[at]
            return self.base[at] - np.floor(scaled + 1e-6)


def hint(ev: Evaluator, lever: Lever, rows: np.ndarray) -> np.ndarray:
    """The value the rules' inverses say reaches the target (NaN: they cannot say; ±inf: any value)."""
    need, sub = ev.need, Rows(ev.cols, rows)
    parts: list[np.ndarray] = []
    if len(lever.criteria) == 1 and not lever.tiebreaks:
        c = lever.criteria[0]
        column = next(col for col in c.inputs if col in lever.columns)
        wanted = np.fmax(need.min_total[rows], need.rival_total[rows])
        points = wanted - (ev.total[rows] - ev.points[c.id][rows])
        parts.append(lever.invert(column, c.rule.needed(column, points, sub, c.max_points), sub))
    elif lever.criteria or lever.tiebreaks:
        return np.full(len(rows), np.nan)
    for cond in lever.conditions:
        failing = need.eligible[rows] & cond.fails(sub, ev.total[rows])
        at = np.where(failing, cond.needed(cond.figure), -np.inf * lever.direction)
        parts.append(lever.invert(cond.figure, at, sub))
    if not parts:
        return np.full(len(rows), np.nan)
    stacked = np.vstack(parts)
    combined = stacked.max(axis=0) if lever.direction > 0 else stacked.min(axis=0)
    return np.where(np.isnan(stacked).any(axis=0), np.nan, combined)


def solve(ev: Evaluator, lever: Lever, rows: np.ndarray,
          fixed: Mapping[Lever, np.ndarray] | None = None) -> np.ndarray:
    """Per unit of ``rows``: the least change of ``lever`` (others as in ``fixed``) that reaches the target,
    as the figure's new value; NaN where even its furthest value does not."""
    fixed = fixed or {}
    grid = Grid.of(lever, ev.cols, rows)
    result = np.full(len(rows), np.nan)

    def test(at: np.ndarray, steps: np.ndarray) -> np.ndarray:
        changes = {k: v[at] for k, v in fixed.items()}
        changes[lever] = grid.value(steps, at)
        return ev.reaches(rows[at], changes)

    live = np.flatnonzero(grid.reach >= 1)
    if not len(live):
        return result
    hi = grid.reach[live].copy()
    ok = test(live, hi)
    live, hi = live[ok], hi[ok]
    lo = np.zeros(len(live))
    if not fixed:
        guess = grid.steps_to(hint(ev, lever, rows[live]), live)
        guess = np.where(np.isnan(guess), hi, np.clip(np.nan_to_num(guess, posinf=np.inf, neginf=1), 1, hi))
        good = test(live, guess)
        hi = np.where(good, guess, hi)
        lo = np.where(good, lo, guess)
        below = good & (hi - 1 > lo)
        if below.any():
            at = np.flatnonzero(below)
            fails = ~test(live[at], hi[at] - 1)
            lo[at] = np.where(fails, hi[at] - 1, lo[at])
            hi[at] = np.where(fails, hi[at], hi[at] - 1)
    while True:
        open_ = np.flatnonzero(hi - lo > 1)
        if not len(open_):
            break
        mid = np.floor((lo[open_] + hi[open_]) / 2)
        good = test(live[open_], mid)
        hi[open_] = np.where(good, mid, hi[open_])
        lo[open_] = np.where(good, lo[open_], mid)
    result[live] = grid.value(hi, live)
    return result


def relative(lever: Lever, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Size of a change relative to today's value (a count at 0 measured against 1, a rate against 1 %)."""
    return np.abs(after - before) / np.maximum(np.abs(before), lever.floor)


def solve_pair(ev: Evaluator, a: Lever, b: Lever, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best two-figure change: ``a`` tried at a few values, ``b`` solved exactly for each, the smallest
    sum of relative sizes kept, then ``a`` solved exactly for that ``b`` — so one step less of either fails."""
    ga = Grid.of(a, ev.cols, rows)
    now_a, now_b = ev.cols[a.id][rows], ev.cols[b.id][rows]
    best = np.full(len(rows), np.inf)
    best_b = np.full(len(rows), np.nan)
    for level in np.linspace(1 / PAIR_LEVELS, 1, PAIR_LEVELS):
        steps = np.maximum(np.ceil(_spread(ga.reach, level)), 1)
        va = ga.value(steps)
        vb = solve(ev, b, rows, {a: va})
        cost = relative(a, now_a, va) + relative(b, now_b, vb)
        better = cost < best
        best = np.where(better, cost, best)
        best_b = np.where(better, vb, best_b)
    found = ~np.isnan(best_b)
    va = np.full(len(rows), np.nan)
    if found.any():
        at = np.flatnonzero(found)
        va[at] = solve(ev, a, rows[at], {b: best_b[at]})
    return va, np.where(np.isnan(va), np.nan, best_b)


def _spread(reach: np.ndarray, level: float) -> np.ndarray:
    """A share of the way to the furthest value: linear for bounded figures, geometric for unbounded counts."""
    unbounded = reach >= UNBOUNDED / 10
    return np.where(unbounded, np.power(2.0, 20 * level), reach * level)


def furthest(ev: Evaluator, levers: Sequence[Lever], rows: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every lever at its furthest value at once: the best the unit could do (total, eligible, reaches)."""
    grids = [Grid.of(lv, ev.cols, rows) for lv in levers]
    changes = {g.lever: g.value(g.reach) for g in grids}
    total, eligible, keys = ev.outcome(rows, changes)
    return total, eligible, ev.need.reaches(rows, total, eligible, keys)
