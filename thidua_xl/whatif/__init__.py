"""What it takes: per unit, the smallest change of one figure (or two) that reaches the next rank, the next
prize, the gate it fails, or a given score.

    >>> from thidua_xl import example_data, rubrics
    >>> from thidua_xl.whatif import gaps
    >>> result = gaps(rubrics.get("hau-giang-2023"), "xa", example_data.load("hau-giang-2023")["xa"], "dieu-kien")
    >>> result.sentence(0)  # doctest: +SKIP

The engine (no I/O): :mod:`.levers` (what can change), :mod:`.targets` (what to reach), :mod:`.search`
(exact inverse, then bisection on the vectorised scorer), :mod:`.text` (sentences).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..columns import AWARD_RANK, HEADERS, TOTAL
from ..ranges import MAX_CELL_TEXT, fit_text, text_units
from ..ranking import rank
from ..rubric import Bloc, Rubric
from ..scoring import score
from ..validation import UNIT
from ..vn import fmt_number, fold
from .levers import Lever, find_levers
from .search import MAX_PAIRS, Evaluator, furthest, relative, solve, solve_pair
from .targets import GATE, PRIZE, RANK, SCORE, Need, Target, TargetError, build, parse_target
from .text import change_text

__all__ = ["GATE", "PRIZE", "RANK", "SCORE", "Gaps", "Option", "Target", "TargetError", "gaps", "parse_target"]


@dataclass(frozen=True)
class Option:
    """One way to reach the target: one or two figures changed."""

    levers: tuple[Lever, ...]
    before: tuple[float, ...]
    after: tuple[float, ...]
    total_after: float
    size: float   # sum of relative changes: how the options are ordered

    def text(self, row: Mapping[str, float]) -> str:
        return " và ".join(change_text(lv, b, a, row) for lv, b, a in zip(self.levers, self.before, self.after,
                                                                           strict=True))


@dataclass
class Gaps:
    """The answer for every unit of a bloc (arrays inside; options built per unit on demand)."""

    bloc: Bloc
    target: Target
    ranked: pd.DataFrame
    need: Need
    levers: tuple[Lever, ...]
    single: np.ndarray        # (units, levers): the lever's new value, NaN where it alone cannot reach
    single_total: np.ndarray  # (units, levers): the total after that change
    sizes: np.ndarray         # (units, levers): that change relative to today's value
    cols: dict[str, np.ndarray]
    pair: dict[int, tuple[int, int, float, float, float]]  # unit → (lever a, lever b, a's value, b's value, total)
    why: dict[int, str]       # unit → why nothing within one or two figures reaches it

    def _row(self, i: int) -> Mapping[str, float]:
        return _Row(self.cols, i)

    def _options(self, i: int) -> Iterator[Option]:
        """Unit ``i``'s options, smallest relative change first, each built only when asked for."""
        row = self._row(i)
        ks = np.flatnonzero(~np.isnan(self.single[i]))
        order: list[tuple[float, int]] = sorted(zip(self.sizes[i, ks].tolist(), ks.tolist(), strict=True))
        if i in self.pair:
            a, b, va, vb, _ = self.pair[i]
            la, lb = self.levers[a], self.levers[b]
            size = float(relative(la, np.array(row[la.id]), np.array(va)) + relative(lb, np.array(row[lb.id]),
                                                                                      np.array(vb)))
            order = sorted([*order, (size, -1)])
        for size, k in order:
            if k < 0:
                a, b, va, vb, total = self.pair[i]
                la, lb = self.levers[a], self.levers[b]
                yield Option((la, lb), (row[la.id], row[lb.id]), (va, vb), total, size)
            else:
                lv = self.levers[k]
                yield Option((lv,), (row[lv.id],), (float(self.single[i, k]),), float(self.single_total[i, k]), size)

    def options(self, i: int) -> list[Option]:
        """Unit ``i``'s ways to reach its target, smallest relative change first."""
        return list(self._options(i))

    def sentence(self, i: int, limit: int = MAX_CELL_TEXT) -> str:
        """One short Vietnamese sentence: the target, then the smallest changes that reach it (as many as fit)."""
        need = self.need
        if not need.search[i]:
            return need.message[i]
        options = self._options(i)
        first = next(options, None)
        if first is None:
            return fit_text(f"{need.phrase[i]}: không đạt được — {self.why.get(i, '')}", limit)
        row = self._row(i)
        text = f"{need.phrase[i]}: {first.text(row)}"
        if text_units(text) > limit:
            return fit_text(text, limit)
        for option in options:
            longer = f"{text}; hoặc {option.text(row)}"
            if text_units(longer) > limit:
                break
            text = longer
        return text

    def sentences(self) -> list[str]:
        return [self.sentence(i) for i in range(len(self.ranked))]

    def table(self, unit: str | None = None) -> pd.DataFrame:
        """One row per unit and option (the CLI's table), Vietnamese headers."""
        rows = []
        wanted = fold(unit) if unit else None
        names = self.ranked[UNIT].tolist()
        for i, name in enumerate(names):
            if wanted is not None and fold(name) != wanted:
                continue
            base = {HEADERS[UNIT]: name, HEADERS[TOTAL]: _round(self.ranked[TOTAL].iloc[i]),
                    HEADERS[AWARD_RANK]: _int(self.ranked[AWARD_RANK].iloc[i])}
            if not self.need.search[i]:
                rows.append(base | {"Mục tiêu": "", "Phương án": None, "Cần làm": self.need.message[i]})
                continue
            options = self.options(i)
            if not options:
                rows.append(base | {"Mục tiêu": self.need.phrase[i], "Phương án": None,
                                    "Cần làm": f"Không đạt được — {self.why.get(i, '')}"})
            row = self._row(i)
            for k, o in enumerate(options, start=1):
                rows.append(base | {"Mục tiêu": self.need.phrase[i], "Phương án": k, "Cần làm": o.text(row),
                                    "Số số liệu thay đổi": len(o.levers),
                                    "Mức thay đổi (%)": round(100 * o.size, 2),
                                    "Tổng điểm sau thay đổi": _round(o.total_after)})
        if wanted is not None and not rows:
            raise TargetError(f"không có đơn vị '{unit}' trong khối '{self.bloc.label}'")
        columns = [HEADERS[UNIT], HEADERS[TOTAL], HEADERS[AWARD_RANK], "Mục tiêu", "Phương án", "Cần làm",
                   "Số số liệu thay đổi", "Mức thay đổi (%)", "Tổng điểm sau thay đổi"]
        return pd.DataFrame(rows, columns=columns).astype({"Phương án": "Int64", "Số số liệu thay đổi": "Int64",
                                                           HEADERS[AWARD_RANK]: "Int64"})


class _Row(Mapping[str, float]):
    """One unit's figures, read from the bloc's columns only when a sentence needs them."""

    def __init__(self, cols: dict[str, np.ndarray], i: int):
        self._cols, self._i = cols, i

    def __getitem__(self, key: str) -> float:
        return float(self._cols[key][self._i])

    def __iter__(self) -> Iterator[str]:
        return iter(self._cols)

    def __len__(self) -> int:
        return len(self._cols)


def _round(value: object) -> float | None:
    v = float(value)  # type: ignore[arg-type]
    return None if np.isnan(v) else round(v, 2)


def _int(value: object) -> int | None:
    v = float(value)  # type: ignore[arg-type]
    return None if np.isnan(v) else int(v)


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
