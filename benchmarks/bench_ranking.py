"""Benchmark of the former quadratic paths (issue 18): ties and ranks on large blocs.

* 100,000 units of one bloc, all with the same figures (one 100,000-way tie): score, rank (tie notes) and
  award allocation, seconds each;
* ``rank_values`` (the THIDUA_RANK worksheet function) on 1,000,000 scores, with a separate pool range
  (the path that counted greater values one score at a time).

    .venv/bin/python benchmarks/bench_ranking.py [--units 100000] [--scores 1000000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from thidua_xl import rubrics
from thidua_xl.awards import allocate
from thidua_xl.ranking import rank
from thidua_xl.scoring import score
from thidua_xl.sheet_functions import rank_values


def all_tied(n: int) -> pd.DataFrame:
    """Chau Thanh A's commune bloc, every unit with the same (eligible, 100-point) figures."""
    same = {"co_ke_hoach": "có", "so_thu_tuc_dang_ky": 1, "so_tai_khoan": 1500, "so_ho_so_truc_tuyen": 200,
            "ty_le_giai_quyet": 0.98}
    bloc = rubrics.get("chau-thanh-a-2021").bloc("xa")
    data: dict[str, object] = {"Đơn vị": [f"Xã {i:06d}" for i in range(n)]}
    for f in bloc.figures:
        data[f.id] = [same.get(f.id, 0)] * n
    return pd.DataFrame(data)


def timed(label: str, work):
    start = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--scores", type=int, default=1_000_000)
    args = parser.parse_args()
    rubric = rubrics.get("chau-thanh-a-2021")
    figures = all_tied(args.units)
    scored = timed(f"score {args.units:,} tied units", lambda: score(rubric, "xa", figures))
    ranked = timed("rank + tie notes", lambda: rank(rubric, "xa", scored))
    assert ranked["dong_hang"].all(), "every unit must share the rank"
    longest = ranked["ghi_chu_xep_hang"].str.len().max()
    print(f"  longest tie note: {longest} characters")
    for scheme in rubric.schemes_for("xa"):
        timed(f"allocate '{scheme.id}'", lambda scheme=scheme: allocate(rubric, scheme, ranked))
    rng = np.random.default_rng(1)
    mine = [[float(v)] for v in rng.integers(0, 1000, args.scores)]
    pool = [[float(v)] for v in rng.integers(0, 1000, args.scores)]
    timed(f"rank_values {args.scores:,} scores (own range)", lambda: rank_values(mine))
    timed(f"rank_values {args.scores:,} scores in another pool", lambda: rank_values(mine, pool))


if __name__ == "__main__":
    main()
