"""Benchmark: one =THIDUA_SCORE call on 10,000 rows passed as Python lists (as xlwings hands them over).

    .venv/bin/python benchmarks/bench_udf.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from udfs.functions import thidua_score

HEADERS = ["Đơn vị", "co_ke_hoach", "so_thu_tuc_dang_ky", "so_tai_khoan", "so_ho_so_truc_tuyen", "ty_le_giai_quyet",
           "bao_cao_tre_1_3_ngay", "bao_cao_tre_qua_3_ngay", "bao_cao_khong_trung_thuc"]


def rows(n: int) -> list[list[object]]:
    rng = np.random.default_rng(7)
    return [[f"Xã {i:05d}", "có" if rng.random() < 0.9 else "không", float(rng.integers(0, 6)),
             float(rng.integers(1200, 2500)), float(rng.integers(100, 400)), float(rng.uniform(0.95, 1.0)),
             float(rng.integers(0, 3)), float(rng.integers(0, 2)), 0.0] for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    data = rows(args.rows)
    thidua_score("chau-thanh-a-2021", "xa", data[:10], [HEADERS])  # warm-up
    times = []
    for _ in range(15):
        start = time.perf_counter()
        out = thidua_score("chau-thanh-a-2021", "xa", data, [HEADERS])
        times.append(time.perf_counter() - start)
    assert len(out) == args.rows and all(isinstance(v[0], float) for v in out)
    best = min(times)
    print(f"THIDUA_SCORE on {args.rows:,} rows: best {best * 1000:.1f} ms, median {sorted(times)[len(times) // 2] * 1000:.1f} ms "
          f"({args.rows / best:,.0f} rows/s); target < 50 ms: {'met' if best < 0.05 else 'NOT met'}")


if __name__ == "__main__":
    main()
