"""Benchmark: 10,000 communes × 12 months × 24 criteria (Phụng Hiệp xã), scored per month and rolled up.

The periodic run is what a secretariat's year costs: check the long table month by month
(:func:`thidua_xl.periods.read_monthly`), then score and rank each of the 12 months on its own figures and the
year on the rolled-up figures (13 periods), plus the movement between months. It is compared with scoring
and ranking the yearly table once (check + points + rank). Target: ≤ 15× — twelve months cost no more than
fifteen single runs. Also reported: twelve year-to-date months (each rolls up a growing part of the year).

    .venv/bin/python benchmarks/bench_periods.py [--units 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from thidua_xl import rubrics
from thidua_xl.periods import Basis, read_monthly, score_period, score_periods
from thidua_xl.ranking import rank
from thidua_xl.scoring import score

PLAN, BLOC = "phung-hiep-2023", "xa"


def synthetic_months(n: int, seed: int = 1) -> pd.DataFrame:
    """One row per commune and month: rates in 0,3–1, late dossiers and report delays 0–2 (a monthly count)."""
    bloc = rubrics.get(PLAN).bloc(BLOC)
    rng = np.random.default_rng(seed)
    names = np.array([f"Xã {i:06d}" for i in range(n)], dtype=object)
    frames = []
    for m in range(1, 13):
        data: dict[str, object] = {"Kỳ": f"2023-{m:02d}", "Đơn vị": names}
        for f in bloc.figures:
            data[f.id] = rng.uniform(0.3, 1.0, n) if f.id.startswith("ty_le_") else rng.integers(0, 2, n)
        frames.append(pd.DataFrame(data))
    return pd.concat(frames, ignore_index=True)


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rubric = rubrics.get(PLAN)
    bloc = rubric.bloc(BLOC)
    months = synthetic_months(args.units)
    yearly = score_period(rubric, bloc, months.head(200), "2023")  # warm-up
    year_table = read_monthly(bloc, months)
    # The yearly table a secretariat would type: the year's roll-up, as raw figures.
    yearly = score_period(rubric, bloc, year_table, "2023")[["don_vi", *bloc.figure_ids]]

    once, single = best_of(args.repeat, lambda: rank(rubric, bloc, score(rubric, bloc, yearly)))

    def periodic() -> tuple[pd.DataFrame, pd.DataFrame]:
        monthly = read_monthly(bloc, months)
        by_month = score_periods(rubric, bloc, monthly)        # 12 months, own figures, with movement
        year = score_period(rubric, bloc, monthly, "2023")      # the year, rolled up
        return by_month, year

    twelve, (by_month, year) = best_of(args.repeat, periodic)
    ytd, by_ytd = best_of(args.repeat, lambda: score_periods(rubric, bloc, months, basis=Basis.YEAR_TO_DATE))

    assert len(by_month) == 12 * args.units and by_month["tong_diem"].notna().all()
    assert np.allclose(year.set_index("don_vi")["tong_diem"], single.set_index("don_vi")["tong_diem"]), \
        "the year rolled up and the yearly table disagree"
    rows = len(months)
    criteria = len(bloc.criteria)
    print(f"Yearly table once: {args.units:,} units × {criteria} criteria (check + score + rank) in {once:.3f} s "
          f"= {args.units / once:,.0f} units/s")
    print(f"Periodic: {args.units:,} units × 12 months × {criteria} criteria = {rows:,} rows — checked by month, "
          f"12 months scored and ranked with movement, the year rolled up and ranked — in {twelve:.3f} s "
          f"= {rows / twelve:,.0f} rows/s")
    print(f"Ratio periodic / yearly once: {twelve / once:.1f}× (target ≤ 15×)")
    print(f"Twelve year-to-date months (check + 12 roll-ups of 1–12 months + movement): {ytd:.3f} s "
          f"= {rows / ytd:,.0f} rows/s, {ytd / once:.1f}× the yearly run ({len(by_ytd):,} result rows)")


if __name__ == "__main__":
    main()
