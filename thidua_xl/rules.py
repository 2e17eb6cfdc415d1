"""The rule kinds found in the plans (DESIGN.md §3), each vectorised over all units.

A rule turns input columns (numpy arrays, rates as fractions) into points.
It also explains one unit's points in a Vietnamese sentence and describes
itself for the "Hướng dẫn" sheet. No rule ever evaluates text as code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .vn import fmt_number, fmt_percent

# Rates are compared after rounding to this many decimals, so that 0.9 typed
# as 90 % (0.8999999999) still reaches a 90 % threshold.
_DECIMALS = 9

Columns = Mapping[str, np.ndarray]
Values = Mapping[str, float]


class Rule(Protocol):
    """What every rule kind offers to the scoring engine."""

    @property
    def inputs(self) -> tuple[str, ...]: ...

    def points(self, cols: Columns, max_points: float) -> np.ndarray: ...

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str: ...

    def describe(self, max_points: float) -> str: ...

    def better(self, column: str) -> int: ...

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray: ...


# The inverse of a rule (what "what it takes" asks): ``better(column)`` is +1 when more of the column never
# lowers the points and −1 when it never raises them; ``needed(column, points, …)`` is, per unit, the least
# (+1) or greatest (−1) value of the column that earns at least ``points`` with the rule's other inputs as
# they are — −inf/+inf when any value does, NaN when none does.
_ANY = {1: -np.inf, -1: np.inf}


def _rate_needed(points: np.ndarray, max_points: float, full_at: float, scale: float) -> np.ndarray:
    """The least rate earning ``points`` under "full marks from ``full_at``, else rate ÷ scale × max" (NaN
    above the maximum); shared by every rate rule's inverse."""
    below = points * scale / max_points if max_points > 0 else np.full_like(points, np.inf)
    return np.where(points <= max_points + 1e-9, np.minimum(below, full_at), np.nan)


def _r(x: np.ndarray | float) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), _DECIMALS)


@dataclass(frozen=True)
class RateScore:
    """Ratio with a full-marks threshold.

    rate ≥ ``full_at`` → the maximum; below it, ``rate × max`` (Hậu Giang 2023:
    "Tỷ lệ < 90 %: Tỷ lệ × điểm tối đa") or, with ``relative_to_target``,
    ``rate / full_at × max`` (766 index: "tỷ lệ × điểm tối đa / 80 %").
    """

    rate: str
    full_at: float = 1.0
    relative_to_target: bool = False

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.rate,)

    def points(self, cols: Columns, max_points: float) -> np.ndarray:
        rate = _r(cols[self.rate])
        scale = self.full_at if self.relative_to_target else 1.0
        return np.where(rate >= _r(self.full_at), max_points, rate / scale * max_points)

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str:
        rate = values[self.rate]
        if round(rate, _DECIMALS) >= round(self.full_at, _DECIMALS):
            return (f"{label} {fmt_percent(rate)} ≥ {fmt_percent(self.full_at)} → "
                    f"điểm tối đa {fmt_number(max_points)} điểm")
        if self.relative_to_target:
            return (f"{label} {fmt_percent(rate)} < {fmt_percent(self.full_at)} → "
                    f"{fmt_percent(rate)} ÷ {fmt_percent(self.full_at)} × {fmt_number(max_points)} "
                    f"= {fmt_number(points)} điểm")
        return (f"{label} {fmt_percent(rate)} < {fmt_percent(self.full_at)} → "
                f"{fmt_number(rate, 4)} × {fmt_number(max_points)} = {fmt_number(points)} điểm")

    def better(self, column: str) -> int:
        return 1

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        scale = self.full_at if self.relative_to_target else 1.0
        return np.where(points <= 0, _ANY[1], _rate_needed(points, max_points, self.full_at, scale))

    def describe(self, max_points: float) -> str:
        below = (f"tỷ lệ ÷ {fmt_percent(self.full_at)} × {fmt_number(max_points)}"
                 if self.relative_to_target else f"tỷ lệ × {fmt_number(max_points)}")
        return f"Từ {fmt_percent(self.full_at)}: {fmt_number(max_points)} điểm; dưới đó: {below}."


@dataclass(frozen=True)
class StepBonus:
    """A minimum that earns the standard points, then an unlimited step bonus.

    value ≥ ``minimum`` → ``max + ⌊(value − minimum) / step⌋ × per_step``;
    below the minimum → ``below`` (0, or a penalty such as −5). Only whole
    steps count (Châu Thành A 2021: "+5 per further 1 %" counts whole points).
    """

    figure: str
    minimum: float
    step: float
    per_step: float
    below: float = 0.0
    unit: str = ""
    is_rate: bool = False

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.figure,)

    def _steps(self, value: np.ndarray) -> np.ndarray:
        return np.floor(_r((_r(value) - self.minimum) / self.step))

    def points(self, cols: Columns, max_points: float) -> np.ndarray:
        value = _r(cols[self.figure])
        reached = value >= _r(self.minimum)
        bonus = np.where(reached, self._steps(value), 0.0) * self.per_step
        return np.where(reached, max_points + bonus, self.below)

    def _fmt(self, value: float) -> str:
        return fmt_percent(value) if self.is_rate else f"{fmt_number(value)}{self.unit}"

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str:
        value = values[self.figure]
        if round(value, _DECIMALS) < round(self.minimum, _DECIMALS):
            return f"{label} {self._fmt(value)} < {self._fmt(self.minimum)} → {fmt_number(points)} điểm"
        steps = int(self._steps(np.array([value]))[0])
        return (f"{label} {self._fmt(value)} ≥ {self._fmt(self.minimum)} → {fmt_number(max_points)} "
                f"+ {steps} × {fmt_number(self.per_step)} = {fmt_number(points)} điểm")

    def better(self, column: str) -> int:
        return 1

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        steps = np.maximum(np.ceil(np.round((points - max_points) / self.per_step, 9)), 0.0)
        value = self.minimum + steps * self.step
        return np.where(points <= self.below, _ANY[1], value)

    def describe(self, max_points: float) -> str:
        below = "không tính điểm" if self.below == 0 else f"{fmt_number(self.below)} điểm"
        return (f"Đạt {self._fmt(self.minimum)}: {fmt_number(max_points)} điểm; cứ thêm "
                f"{self._fmt(self.step)} cộng {fmt_number(self.per_step)} điểm, không giới hạn; "
                f"dưới {self._fmt(self.minimum)}: {below}.")


@dataclass(frozen=True)
class YesNo:
    """Yes/no: done → ``yes`` points (the maximum unless given); not done → ``no``."""

    figure: str
    no: float = 0.0
    yes: float | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.figure,)

    def points(self, cols: Columns, max_points: float) -> np.ndarray:
        yes = max_points if self.yes is None else self.yes
        return np.where(np.asarray(cols[self.figure], dtype=float) >= 0.5, yes, self.no)

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str:
        done = "có" if values[self.figure] >= 0.5 else "không"
        return f"{label}: {done} → {fmt_number(points)} điểm"

    def better(self, column: str) -> int:
        return 1 if (self.yes if self.yes is not None else np.inf) >= self.no else -1

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        yes = max_points if self.yes is None else self.yes
        if yes >= self.no:
            return np.where(points <= self.no, _ANY[1], np.where(points <= yes, 1.0, np.nan))
        return np.where(points <= yes, _ANY[-1], np.where(points <= self.no, 0.0, np.nan))

    def describe(self, max_points: float) -> str:
        yes = max_points if self.yes is None else self.yes
        no = "không tính điểm" if self.no == 0 else f"{fmt_number(self.no)} điểm"
        return f"Có: {fmt_number(yes)} điểm; không: {no}."


@dataclass(frozen=True)
class Event:
    """One kind of event that costs points each time it happens."""

    figure: str
    per_event: float  # negative: points taken off per event
    label: str


@dataclass(frozen=True)
class Deductions:
    """Per-event deductions: Σ count × per_event (e.g. late report −2 each)."""

    events: tuple[Event, ...]

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(e.figure for e in self.events)

    def points(self, cols: Columns, max_points: float) -> np.ndarray:
        total = np.zeros_like(np.asarray(cols[self.events[0].figure], dtype=float))
        for event in self.events:
            total = total + np.asarray(cols[event.figure], dtype=float) * event.per_event
        return total

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str:
        parts = [f"{fmt_number(values[e.figure])} × ({fmt_number(e.per_event)}) {e.label}"
                 for e in self.events if values[e.figure]]
        if not parts:
            return f"{label}: không có → 0 điểm"
        return f"{label}: {' + '.join(parts)} = {fmt_number(points)} điểm"

    def _per_event(self, column: str) -> float:
        return sum(e.per_event for e in self.events if e.figure == column)

    def better(self, column: str) -> int:
        return -1 if self._per_event(column) < 0 else 1

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray:
        per_event = self._per_event(column)
        count = np.asarray(cols[column], dtype=float)
        others = self.points(cols, max_points) - count * per_event
        points = np.asarray(points, dtype=float)
        if per_event == 0:
            return np.where(others >= points, _ANY[1], np.nan)
        value = (points - others) / per_event  # count × per_event ≥ points − others
        if per_event < 0:
            return np.where(value < 0, np.nan, value)
        return np.where(value <= 0, _ANY[1], value)

    def describe(self, max_points: float) -> str:
        return "; ".join(f"{e.label}: {fmt_number(e.per_event)} điểm/lần" for e in self.events) + "."


@dataclass(frozen=True)
class NotApplicable:
    """An indicator that does not apply to a whole bloc: shown "không áp dụng", scored full marks.

    DESIGN.md §8 "Not applicable ≠ zero": the national portal gives an indicator that does not apply to
    a unit's level its full points, so a not-applicable line is never a typed 0.
    """

    reason: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return ()

    def points(self, cols: Columns, max_points: float) -> np.ndarray:
        n = len(next(iter(cols.values()))) if cols else 0
        return np.full(n, float(max_points))

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str:
        return f"{label}: không áp dụng ({self.reason}) → điểm tối đa {fmt_number(max_points)} điểm"

    def better(self, column: str) -> int:
        return 1

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray:
        points = np.asarray(points, dtype=float)  # no input: full marks whatever any figure is
        return np.where(points <= max_points + 1e-9, _ANY[1], np.nan)

    def describe(self, max_points: float) -> str:
        return f"Không áp dụng ({self.reason}): tính điểm tối đa {fmt_number(max_points)} điểm."


@dataclass(frozen=True)
class Improvement:
    """A rate that must rise above its level before the campaign (a baseline figure, optional per unit).

    Ninh Phước Mục II.2.a: "mức độ hài lòng … tăng so với trước khi phát động". Baseline given: a rate
    above it (or at ``full_at``) earns the maximum; a rate not above it earns ``rate ÷ full_at × max``,
    as it would without a baseline. No baseline typed: ``rate ÷ full_at × max`` (capped at the maximum).
    """

    rate: str
    baseline: str
    full_at: float = 1.0

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.rate,)

    def points(self, cols: Columns, max_points: float) -> np.ndarray:
        rate = _r(cols[self.rate])
        base = _r(cols[self.baseline]) if self.baseline in cols else np.full(len(rate), np.nan)
        plain = np.where(rate >= _r(self.full_at), max_points, rate / self.full_at * max_points)
        rose = ~np.isnan(base) & (rate > base)
        return np.where(rose, max_points, plain)

    def explain(self, values: Values, points: float, label: str, max_points: float) -> str:
        rate, base = values[self.rate], values.get(self.baseline, float("nan"))
        if base == base and round(rate, _DECIMALS) > round(base, _DECIMALS):
            return (f"{label} {fmt_percent(rate)} tăng so với trước khi phát động ({fmt_percent(base)}) → "
                    f"điểm tối đa {fmt_number(max_points)} điểm")
        before = ("không tăng so với trước khi phát động " + f"({fmt_percent(base)})" if base == base
                  else "chưa có tỷ lệ trước khi phát động")
        return (f"{label} {fmt_percent(rate)}, {before} → {fmt_percent(rate)} ÷ {fmt_percent(self.full_at)} × "
                f"{fmt_number(max_points)} = {fmt_number(points)} điểm")

    def better(self, column: str) -> int:
        return 1

    def needed(self, column: str, points: np.ndarray, cols: Columns, max_points: float) -> np.ndarray:
        """The plain rate inverse, or just above the baseline when one is typed (a rise earns the maximum)."""
        points = np.asarray(points, dtype=float)
        plain = _rate_needed(points, max_points, self.full_at, self.full_at)
        base = np.asarray(cols[self.baseline], dtype=float) if self.baseline in cols else np.full(len(points), np.nan)
        above = np.where(np.isnan(base) | (points > max_points + 1e-9), np.nan, base + 10.0 ** -_DECIMALS)
        need = np.fmin(plain, above)
        return np.where(points <= 0, _ANY[1], need)

    def describe(self, max_points: float) -> str:
        return (f"Tăng so với tỷ lệ trước khi phát động (hoặc đạt {fmt_percent(self.full_at)}): "
                f"{fmt_number(max_points)} điểm; không tăng hoặc chưa có tỷ lệ trước phát động: tỷ lệ ÷ "
                f"{fmt_percent(self.full_at)} × {fmt_number(max_points)}.")
