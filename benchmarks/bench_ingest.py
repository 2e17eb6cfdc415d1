"""Benchmark: 5 million synthetic dossier rows → per-unit monthly figures (run on demand).

Each measurement runs in its own Python process, so its peak memory (max RSS)
is its own:

1. read only: DuckDB parses every column of the CSV (the floor for any reader);
2. ingest: the whole `thidua_xl.ingest.ingest` run (checks, rejects file, monthly and
   account aggregates), memory limit 1 GB (DuckDB gets ¾ of it);
3. optional (--pandas): pandas.read_csv of the same file as text, for the memory contrast.

Reports wall time, rows/s, peak memory and the ratio ingest / read-only. The export is
cached under the system temp folder (same seed → same file).

    .venv/bin/python benchmarks/bench_ingest.py [--rows 5000000] [--pandas]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAN = "hau-giang-766-2024"


def _units():
    from thidua_xl import example_data, rubrics
    from thidua_xl.ingest import UnitDirectory, load_profile

    rubric = rubrics.get(PLAN)
    return rubric, UnitDirectory.from_tables(rubric, example_data.load(PLAN), load_profile())


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: reset at exec, unlike ru_maxrss which Linux carries over)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: Path, memory: str) -> dict:
    """One measurement in this process; returns seconds, peak MB and a check value."""
    start = time.perf_counter()
    cpu = time.process_time()
    if mode == "read":
        import duckdb

        con = duckdb.connect()
        cols = [d[0] for d in con.execute(f"DESCRIBE SELECT * FROM read_csv('{path}', all_varchar = true)").fetchall()]
        total = ", ".join(f'sum(length("{c}"))' for c in cols)
        check = con.execute(f"SELECT count(*), {total} FROM read_csv('{path}', all_varchar = true)").fetchone()[0]
    elif mode == "ingest":
        from thidua_xl.ingest import ingest, load_profile

        rubric, units = _units()
        result = ingest(path, rubric, units, load_profile(), memory_limit=memory,
                        rejects_path=path.with_name("bench-rejects.csv"))
        check = {"rows": result.rows_read, "rejects": result.rejects, "unit_months": len(result.monthly)}
    elif mode == "pandas":
        import pandas as pd

        check = len(pd.read_csv(path, dtype=str, keep_default_na=False))
    else:
        raise SystemExit(f"unknown mode {mode}")
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "peak_mb": _peak_mb(),
            "check": check}


def measure(mode: str, path: Path, memory: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--file", str(path), "--memory", memory],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--memory", default="1GB")
    parser.add_argument("--pandas", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.memory)))
        return

    from thidua_xl.ingest.synthetic import write_export

    path = Path(tempfile.gettempdir()) / f"thidua-bench-{args.rows}.csv"
    _, units = _units()
    if not path.exists():
        start = time.perf_counter()
        planted = write_export(path, units.units, args.rows)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - start:.1f} s; planted rejects {planted.rejects}")
    size = path.stat().st_size / 1e6
    print(f"file: {path} — {args.rows:,} rows, {size:,.0f} MB, {len(units.units)} units")

    read = measure("read", path, args.memory)
    full = measure("ingest", path, args.memory)
    assert read["check"] == args.rows and full["check"]["rows"] == args.rows
    for name, m in (("read only (DuckDB, all columns)", read), ("ingest (checks + figures + rejects)", full)):
        print(f"{name:38s} {m['seconds']:7.2f} s (CPU {m['cpu']:6.2f})  {args.rows / m['seconds']:>12,.0f} rows/s  "
              f"peak {m['peak_mb']:7,.0f} MB")
    print(f"ratio ingest / read only: {full['seconds'] / read['seconds']:.2f}× (CPU {full['cpu'] / read['cpu']:.2f}×); "
          f"target ≤ 2.0× with peak < 1,000 MB: "
          f"{'met' if full['seconds'] / read['seconds'] <= 2 and full['peak_mb'] < 1000 else 'NOT met'}")
    print(f"rejects: {full['check']['rejects']}; unit-months: {full['check']['unit_months']:,}")
    if args.pandas:
        pd_read = measure("pandas", path, args.memory)
        print(f"{'pandas.read_csv (text, for contrast)':38s} {pd_read['seconds']:7.2f} s  "
              f"{args.rows / pd_read['seconds']:>12,.0f} rows/s  peak {pd_read['peak_mb']:7,.0f} MB")


if __name__ == "__main__":
    main()
