"""Benchmark: score 100,000 synthetic units × 24 criteria (Phụng Hiệp xã bloc).

Reports units/second for the vectorised engine (checks + points + eligibility)
and the ratio against a naive per-row loop over the same rubric (each rule
called on one unit at a time, as a DataFrame.apply would). The naive loop is
timed on a sample and reported per unit, so the run stays short.

    .venv/bin/python benchmarks/bench_scoring.py [--units 100000] [--naive-sample 5000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from thidua_xl import rubrics
from thidua_xl.rubric import Kind
from thidua_xl.scoring import score


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    rubric = rubrics.get("phung-hiep-2023")
    bloc = rubric.bloc("xa")
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"Đơn vị": [f"Xã {i:06d}" for i in range(n)]}
    for f in bloc.figures:
        if f.kind is Kind.RATE:
            data[f.id] = rng.uniform(0.3, 1.0, n)
        elif f.kind is Kind.YES_NO:
            data[f.id] = rng.integers(0, 2, n)
        else:
            data[f.id] = rng.integers(0, 3, n)
    return pd.DataFrame(data)


def naive(figures: pd.DataFrame) -> list[float]:
    """Per-row loop over the same rubric: one unit at a time through every rule."""
    bloc = rubrics.get("phung-hiep-2023").bloc("xa")
    totals = []
    for _, row in figures.iterrows():
        cols = {f.id: np.array([float(row[f.id])]) for f in bloc.figures}
        total = sum(float(c.rule.points(cols, c.max_points)[0]) for c in bloc.criteria)
        excluded = any(float(row[cond.figure]) >= cond.threshold for cond in bloc.eligibility)
        totals.append(total if not excluded else -total)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=5_000)
    args = parser.parse_args()
    rubric = rubrics.get("phung-hiep-2023")
    figures = synthetic(args.units)
    score(rubric, "xa", figures.head(100))  # warm-up (imports, caches)

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = score(rubric, "xa", figures)
        best = min(best, time.perf_counter() - start)
    assert result["tong_diem"].notna().all()

    sample = figures.head(args.naive_sample)
    start = time.perf_counter()
    naive_totals = naive(sample)
    naive_per_unit = (time.perf_counter() - start) / len(sample)
    engine = np.abs(score(rubric, "xa", sample)["tong_diem"].to_numpy())
    assert np.allclose(np.abs(naive_totals), engine, atol=0.005), "naive loop and engine disagree"  # totals are shown to 2 decimals

    print(f"Vectorised: {args.units:,} units × {len(rubric.bloc('xa').criteria)} criteria in {best:.3f} s "
          f"= {args.units / best:,.0f} units/s")
    print(f"Naive per-row loop: {1 / naive_per_unit:,.0f} units/s "
          f"(≈ {naive_per_unit * args.units:.1f} s for {args.units:,} units, from a {len(sample):,}-unit sample)")
    ratio = naive_per_unit * args.units / best
    print(f"Ratio: {ratio:.0f}× faster; targets ≥ 50× and < 1 s: "
          f"{'met' if ratio >= 50 and best < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
