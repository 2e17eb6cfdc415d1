"""Benchmarks for workbooks (run on demand): template, headless recalc, and LibreOffice on the same units.

For each size (default 1,000 / 10,000 / 50,000 units of the Châu Thành A xã bloc, synthetic figures):

1. the template with every formula's value computed and stored (a live book: ``write_template``);
2. ``thidua-xl recalc`` of that book, in this process and as the command (Python start-up included);
3. the same units with the rubric written as native formulas (IF/INT/SUM/RANK.EQ), recalculated by
   LibreOffice headless (``soffice --convert-to xlsx``, its start-up included, profile warmed first).

Prints wall and CPU seconds (best of ``--repeat``), the ratios to LibreOffice and the time per unit
(linear growth keeps it flat). ``--formulas`` adds the `formulas` package on the native workbook.

    .venv/bin/python benchmarks/bench_workbook.py [--units 1000 10000 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from thidua_xl import rubrics
from thidua_xl.workbook.recalc import recalc
from thidua_xl.workbook.template import write_template

PLAN = "chau-thanh-a-2021"


def figures(n: int) -> dict[str, pd.DataFrame]:
    bloc = rubrics.get(PLAN).bloc("xa")
    rng = np.random.default_rng(3)
    data = {
        bloc.unit_label: [f"Xã {i:05d}" for i in range(n)],
        "co_ke_hoach": np.where(rng.random(n) < 0.9, "có", "không"),
        "so_thu_tuc_dang_ky": rng.integers(0, 6, n), "so_tai_khoan": rng.integers(1200, 2500, n),
        "so_ho_so_truc_tuyen": rng.integers(100, 400, n), "ty_le_giai_quyet": np.round(rng.uniform(95, 100, n), 2),
        "bao_cao_tre_1_3_ngay": rng.integers(0, 3, n), "bao_cao_tre_qua_3_ngay": rng.integers(0, 2, n),
        "bao_cao_khong_trung_thuc": rng.integers(0, 1, n), "thanh_tich_noi_bat": rng.integers(0, 10, n),
    }
    frame = pd.DataFrame(data).rename(columns={f.id: f.label for f in bloc.figures})
    return {"xa": frame, "phong_ban": frame.head(0)}


def native_formulas(n: int, path: Path) -> Path:
    """The Châu Thành A xã rubric as plain Excel formulas over the same figures."""
    frame = figures(n)["xa"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(list(frame.columns) + ["Kế hoạch", "Thủ tục", "Tài khoản", "Hồ sơ", "Giải quyết", "Trừ", "Tổng",
                                     "Hạng"])
    last = n + 1
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        ws.append(list(row) + [
            f'=IF(B{r}="có",10,0)', f"=IF(C{r}>=1,15+INT(C{r}-1)*5,-5)",
            f"=IF(D{r}>=1500,35+INT((D{r}-1500)/100)*5,0)", f"=IF(E{r}>=200,30+INT((E{r}-200)/20)*5,0)",
            f"=IF(F{r}>=98,10+INT(ROUND(F{r}-98,9))*5,0)", f"=-2*G{r}-5*H{r}-2*I{r}", f"=SUM(K{r}:P{r})",
            f"=_xlfn.RANK.EQ(Q{r},$Q$2:$Q${last})"])
    wb.save(path)
    return path


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``repeat`` runs (the machine may be shared)."""
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        fn()
        runs.append((time.perf_counter() - wall, _cpu() - cpu))
    return min(runs)


def libreoffice(folder: Path) -> Callable[[Path], None] | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    profile = (folder / "lo-profile").as_uri()

    def convert(book: Path) -> None:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(folder / "lo"), str(book)], check=True, capture_output=True)

    return convert


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement up to 10,000 units (1 above)")
    parser.add_argument("--formulas", action="store_true", help="also the formulas package on the native book")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    lo = libreoffice(folder)
    if lo is not None:
        lo(native_formulas(10, folder / "warm.xlsx"))  # LibreOffice's first start writes its profile: not timed
    rows = []
    for n in args.units:
        repeat = args.repeat if n <= 10_000 else 1
        book, out = folder / f"t{n}.xlsx", folder / f"t{n}-out.xlsx"
        start = time.perf_counter()
        write_template(PLAN, book, figures(n))
        made = time.perf_counter() - start
        ours = best(lambda b=book, o=out: recalc(b, o), repeat)
        command = best(lambda b=book, o=out: subprocess.run(
            [sys.executable, "-m", "thidua_xl", "recalc", str(b), "-o", str(o)], check=True, capture_output=True),
            repeat)
        native = native_formulas(n, folder / f"native{n}.xlsx")
        theirs = best(lambda b=native: lo(b), repeat) if lo is not None else None
        rows.append((n, made, ours, command, theirs))
        print(f"{n:>7,} units: template {made:6.1f} s | recalc in-process {ours[0]:6.2f} s (CPU {ours[1]:6.2f}) | "
              f"command {command[0]:6.2f} s (CPU {command[1]:6.2f})", end="")
        if theirs is not None:
            print(f" | LibreOffice {theirs[0]:6.2f} s (CPU {theirs[1]:6.2f}) | ratio in-process "
                  f"{ours[0] / theirs[0]:.2f}×, command {command[0] / theirs[0]:.2f}× "
                  f"(CPU {command[1] / theirs[1]:.2f}×)")
        else:
            print(" | LibreOffice not installed: no comparison")
        if args.formulas:
            from openpyxl import load_workbook

            from thidua_xl.workbook.recalc import _evaluate_general

            wall = best(lambda b=native: _evaluate_general(b, load_workbook(b), set()), 1)[0]
            print(f"         formulas package on the native book: {wall:.2f} s")
    print("\nPer unit (flat = linear):")
    for n, made, ours, _command, theirs in rows:
        lo_ms = f", LibreOffice {theirs[0] / n * 1000:.2f} ms" if theirs else ""
        print(f"{n:>7,} units: template {made / n * 1000:.2f} ms, recalc {ours[0] / n * 1000:.2f} ms{lo_ms}")


if __name__ == "__main__":
    main()
