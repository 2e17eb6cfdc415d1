"""Twelve months of example figures per plan, consistent with the yearly example (synthetic, seeded).

``examples/<plan>/<bloc>_thang.csv`` carries a "Kỳ" column and one row per unit and month. Each figure is
split so that rolling the months up by the figure's own rule gives back the yearly table exactly: counts
summed are split into whole monthly parts (a numerator never above its denominator in any month), stocks
and assessed rates grow to the year's value in December, the worst-month figures have the year's value in
one month and no more in the others, a rate averaged over the months varies around the year's value by
pairs of opposite steps, yes/no is "có" from some month on when the year says "có". Ninh Phước's December
is typed in two rows — "2023-12-15" (1–15 December, before the district cut-off) and "2023-12" (the rest)
— to show how a cut-off inside a month is fed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rubric import Blend, Bloc, How, Kind, Ratio, Rubric

KY_HEADER = "Kỳ"
SPLIT_DECEMBER = {"ninh-phuoc-2023": 15}  # plan → the day December is split at (a cut-off inside the month)


def row_keys(rubric: Rubric) -> list[str]:
    """The "Kỳ" of each row of a unit: the twelve months, December split where the plan has a cut-off in it."""
    y = rubric.year
    keys = [f"{y}-{m:02d}" for m in range(1, 13)]
    day = SPLIT_DECEMBER.get(rubric.id)
    return keys[:-1] + [f"{y}-12-{day:02d}", keys[-1]] if day else keys


def split_year(rubric: Rubric, bloc: Bloc, yearly: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The monthly rows of one bloc, from its yearly table (headers as in the yearly CSV)."""
    rng = np.random.default_rng(seed)
    keys = row_keys(rubric)
    k = len(keys)
    labels = {f.id: f.label for f in bloc.figures}
    blended = {d.subunit_mean for d in bloc.derived if isinstance(d, Blend)}
    parts: dict[str, np.ndarray] = {}  # figure id → (n, k) monthly values
    ratios = {d.numerator: d.denominator for d in bloc.derived if isinstance(d, Ratio)}
    order = sorted((f for f in bloc.figures if f.label in yearly and f.id not in blended),
                   key=lambda f: f.id in ratios)  # denominators before their numerators
    for f in order:
        column = yearly[f.label]
        if f.kind is Kind.YES_NO:
            parts[f.id] = _yes_no(column, k, rng)
        elif f.kind is Kind.RATE:
            parts[f.id] = _rates(column, f.roll.how, k, rng)
        else:
            total = pd.to_numeric(column).to_numpy()
            how = f.roll.how
            if how is How.SUM and f.id in ratios and ratios[f.id] in parts:
                parts[f.id] = _within(total.astype(int), parts[ratios[f.id]], rng)
            elif how is How.SUM and f.kind is Kind.COUNT:
                parts[f.id] = _counts(total.astype(int), k, rng)
            elif how is How.MAX:
                parts[f.id] = _worst(total.astype(int), k, rng)
            else:  # LAST: a stock or a mark, the year's value by the last row
                parts[f.id] = _growing(total, k, f.kind is Kind.COUNT)
    rows = []
    unit_col = bloc.unit_label
    for j, key in enumerate(keys):
        frame = pd.DataFrame({KY_HEADER: key, unit_col: yearly[unit_col].to_numpy()})
        if bloc.group is not None and bloc.group.label in yearly:
            frame[bloc.group.label] = yearly[bloc.group.label].to_numpy()
        for f in order:
            frame[labels[f.id]] = parts[f.id][:, j]
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True)
    return out[[KY_HEADER, *[c for c in yearly.columns if c in out.columns]]]


def _counts(total: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Whole monthly parts summing to ``total`` (uneven months, as real activity is)."""
    weights = rng.uniform(0.5, 1.5, (len(total), k))
    return np.stack([rng.multinomial(t, w / w.sum()) for t, w in zip(total, weights, strict=True)])


def _within(total: np.ndarray, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A numerator's monthly parts: never above its denominator's part of the same month."""
    return np.stack([rng.multivariate_hypergeometric(b, t) for t, b in zip(total, base, strict=True)])


def _worst(total: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The year's value in one month, no more in the others (the worst month is the year's figure)."""
    out = np.stack([rng.integers(0, t + 1, k) if t > 0 else np.zeros(k, dtype=int) for t in total])
    out[np.arange(len(total)), rng.integers(0, k, len(total))] = total
    return out


def _growing(total: np.ndarray, k: int, whole: bool) -> np.ndarray:
    """Growing to the year's value in the last row (from half of it)."""
    share = 0.5 + 0.5 * np.arange(1, k + 1) / k
    out = np.asarray(total, dtype=float)[:, None] * share[None, :]
    return np.round(out).astype(int) if whole else np.round(out, 2)


def _rates(column: pd.Series, how: How, k: int, rng: np.random.Generator) -> np.ndarray:
    """Rates in percent with 2 decimals; "không áp dụng" kept in every month."""
    text = column.astype(object)
    applies = pd.to_numeric(text, errors="coerce").notna().to_numpy()
    value = pd.to_numeric(text, errors="coerce").to_numpy()
    out = np.empty((len(column), k), dtype=object)
    out[~applies] = np.array(text[~applies].tolist(), dtype=object)[:, None] if (~applies).any() else None
    cents = np.round(value[applies] * 100).astype(int)  # hundredths of a percent
    if how is How.LAST:
        out[applies] = _growing(cents, k, True) / 100
        return out
    room = np.minimum(np.minimum(cents, 10_000 - cents), 300)  # at most ±3 pp, never below 0 or above 100 %
    steps = np.floor(rng.uniform(0, 1, (len(cents), k // 2)) * (room[:, None] + 1)).astype(int)
    noise = np.zeros((len(cents), k), dtype=int)
    noise[:, 0:2 * (k // 2):2], noise[:, 1:2 * (k // 2):2] = steps, -steps  # opposite pairs: the mean is kept
    perm = np.argsort(rng.uniform(size=(len(cents), k)), axis=1)
    noise = np.take_along_axis(noise, perm, axis=1)
    out[applies] = (cents[:, None] + noise) / 100
    return out


def _yes_no(column: pd.Series, k: int, rng: np.random.Generator) -> np.ndarray:
    """"có" from a random month on when the year says "có" (rolled up: có in at least one month)."""
    yes = column.astype(str).str.strip().str.lower().isin(["có", "co", "1", "x", "yes"]).to_numpy()
    start = rng.integers(0, k, len(column))
    out = np.where(np.arange(k)[None, :] >= start[:, None], "có", "không")
    out[~yes] = "không"
    return out.astype(object)
