"""The answer for a bloc: per unit, the options that reach its target, as sentences and as a table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..columns import AWARD_RANK, HEADERS, TOTAL
from ..ranges import MAX_CELL_TEXT, fit_text, text_units
from ..rubric import Bloc
from ..validation import UNIT
from ..vn import fold
from .levers import Lever
from .search import relative
from .targets import Need, Target, TargetError
from .text import change_text


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
