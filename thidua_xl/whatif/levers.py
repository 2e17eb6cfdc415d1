"""The figures a unit can change to move up: which way, how far, on what grid, and what each one moves.

A lever is one typed figure. It moves the derived figures built on it (a rate whose numerator it is, a
blend of that rate), the criteria, gates and tie-breaks that read any of those. Its direction comes from the
rules' own ``better`` (never a switch on rule types here). Left out, because a unit does not choose them:
denominators (dossiers received, people with an ID card), the sub-units' mean of a blend, assessed marks
(``Kind.NUMBER``) and names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..rubric import Blend, Bloc, Criterion, Figure, Kind, MinTotal, Ratio, TieBreak
from ..rules import Columns

RATE_STEP = 1e-4  # one hundredth of a percentage point: rates are typed as 88,24 %
UNBOUNDED = 1e9   # a count with no ceiling (accounts, dossiers): searched up to this many


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a key of the changes to try
class Lever:
    """One figure a unit can change, with everything it moves."""

    figure: Figure
    direction: int                            # +1: raise it; −1: lower it
    derived: tuple[Ratio | Blend, ...]        # derived figures it moves, in the bloc's order
    signs: Mapping[str, int]                  # column → +1/−1: does the column grow with the figure?
    criteria: tuple[Criterion, ...]
    conditions: tuple[object, ...]            # Below / AtLeast on a column it moves
    tiebreaks: tuple[TieBreak, ...]
    ceilings: tuple[str, ...]                 # denominators it may not exceed (a numerator ≤ its denominator)

    @property
    def id(self) -> str:
        return self.figure.id

    @property
    def step(self) -> float:
        return RATE_STEP if self.figure.kind is Kind.RATE else 1.0

    @property
    def columns(self) -> frozenset[str]:
        return frozenset((self.id, *(d.id for d in self.derived)))

    @property
    def floor(self) -> float:
        """The smallest "today's value" a relative change is measured against (a count at 0 is not ∞ away)."""
        return 0.01 if self.figure.kind is Kind.RATE else 1.0

    def bound(self, cols: Columns, rows: np.ndarray) -> np.ndarray:
        """How far the figure can go in its direction, per unit."""
        n = len(rows)
        if self.direction < 0:
            return np.zeros(n)
        if self.figure.kind in (Kind.RATE, Kind.YES_NO):
            return np.ones(n)
        ceiling = np.full(n, UNBOUNDED)
        for column in self.ceilings:
            ceiling = np.minimum(ceiling, np.asarray(cols[column], dtype=float)[rows])
        return ceiling

    def invert(self, column: str, value: np.ndarray, cols: Columns) -> np.ndarray:
        """The figure's value that puts ``column`` (the figure or a derived figure it moves) at ``value``."""
        by_id = {d.id: d for d in self.derived}
        while column != self.id:
            d = by_id[column]
            source = next(i for i in d.inputs if i in self.columns)
            value = d.solve(source, value, cols)
            column = source
        return value


def find_levers(bloc: Bloc) -> tuple[Lever, ...]:
    """Every figure of the bloc a unit can change to earn points, pass a gate or win a tie."""
    ratios = [d for d in bloc.derived if isinstance(d, Ratio)]
    numerators = {d.numerator for d in ratios}
    fixed = {d.denominator for d in ratios} - numerators
    fixed |= {d.subunit_mean for d in bloc.derived if isinstance(d, Blend)}
    levers = []
    for f in bloc.figures:
        if f.kind not in (Kind.RATE, Kind.COUNT, Kind.YES_NO) or f.id in fixed:
            continue
        lever = _lever(bloc, f)
        if lever is not None:
            levers.append(lever)
    return tuple(levers)


def _lever(bloc: Bloc, f: Figure) -> Lever | None:
    signs: dict[str, int] = {f.id: 1}
    derived = []
    for d in bloc.derived:
        moved = [i for i in d.inputs if i in signs]
        if moved:
            derived.append(d)
            signs[d.id] = signs[moved[0]] * d.sign(moved[0]) if len(moved) == 1 else 0
    criteria = tuple(c for c in bloc.criteria if set(c.inputs) & signs.keys())
    conditions = tuple(k for k in bloc.eligibility if not isinstance(k, MinTotal) and k.figure in signs)
    tiebreaks = tuple(t for t in bloc.tiebreaks if t.figure in signs)
    ways = {signs[col] * c.rule.better(col) for c in criteria for col in c.inputs if col in signs}
    ways |= {signs[k.figure] * k.better(k.figure) for k in conditions}
    if not ways:  # a figure that only breaks ties (Hậu Giang: accounts that filed online)
        ways = {signs[t.figure] * (1 if t.higher_is_better else -1) for t in tiebreaks}
    ways.discard(0)
    if len(ways) != 1:
        return None  # helps one criterion and hurts another, or moves nothing
    ceilings = tuple(d.denominator for d in derived if isinstance(d, Ratio) and d.numerator == f.id)
    return Lever(f, ways.pop(), tuple(derived), signs, criteria, conditions, tiebreaks, ceilings)
