"""Benchmark: what it takes, for every unit of a 10,000-unit bloc (target < 2 s).

Two blocs: Hậu Giang 2023 xã (counts behind rates, the 70 % floor, the account tie-break) and Phụng Hiệp
2023 xã (24 criteria, two disqualifications). Times :func:`thidua_xl.whatif.gaps` (score, rank, search)
plus one sentence per unit, best of three runs.

    .venv/bin/python benchmarks/bench_whatif.py [--units 10000] [--targets hang,giai,dieu-kien]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from thidua_xl import rubrics
from thidua_xl.whatif import gaps


def hau_giang_xa(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    issued = rng.integers(600, 4000, n)
    people = rng.integers(6000, 40000, n)
    online = np.minimum(np.round(issued * rng.uniform(0.6, 1.0, n)), issued).astype(int)
    return pd.DataFrame({
        "Xã, phường, thị trấn": [f"Xã {i:05d}" for i in range(n)],
        "huyen": rng.choice(["Huyện Châu Thành A", "Huyện Phụng Hiệp", "Huyện Vị Thủy", "Huyện Long Mỹ"], n),
        "ho_so_truc_tuyen": online, "ho_so_phat_sinh": issued,
        "tai_khoan_dinh_danh": np.round(people * rng.uniform(0.6, 0.97, n)).astype(int), "nguoi_co_cccd": people,
        "so_tai_khoan_nop": np.round(online * rng.uniform(0.3, 0.95, n)).astype(int),
    })


def phung_hiep_xa(n: int, seed: int = 7) -> pd.DataFrame:
    bloc = rubrics.get("phung-hiep-2023").bloc("xa")
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"Đơn vị": [f"Xã {i:05d}" for i in range(n)]}
    for f in bloc.figures:
        data[f.id] = rng.uniform(0.75, 1.0, n) if f.id.startswith("ty_le_") else rng.integers(0, 3, n)
    return pd.DataFrame(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--targets", default="hang,giai,dieu-kien", help="comma-separated")
    args = parser.parse_args()
    for plan, make in (("hau-giang-2023", hau_giang_xa), ("phung-hiep-2023", phung_hiep_xa)):
        rubric, figures = rubrics.get(plan), make(args.units)
        for target in args.targets.split(","):
            best, result = float("inf"), None
            for _ in range(3):
                start = time.perf_counter()
                result = gaps(rubric, "xa", figures, target)
                sentences = result.sentences()
                best = min(best, time.perf_counter() - start)
            assert result is not None and all(sentences)
            searched = int(result.need.search.sum())
            print(f"{plan} xã, target '{target}': {args.units:,} units ({searched:,} searched, "
                  f"{len(result.pair):,} needing two figures, {len(result.levers)} figures) in {best:.2f} s "
                  "(target < 2 s)")


if __name__ == "__main__":
    main()
