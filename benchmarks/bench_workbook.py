"""Benchmarks for workbooks (run on demand).

1. Template with 10,000 units (Châu Thành A, xã bloc filled, synthetic figures), every formula's value
   computed and stored (a live book).
2. Headless recalc (`thidua-xl recalc`) of a 1,000-unit template, live and --values-only.
3. The same 1,000 units with the rubric written as native Excel formulas (IF/INT/SUM/RANK.EQ),
   recalculated by LibreOffice headless (`soffice --convert-to xlsx`), and by the `formulas` engine —
   to compare the THIDUA_* path with a native-formula sheet.

    .venv/bin/python benchmarks/bench_workbook.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from thidua_xl import rubrics
from thidua_xl.workbook.recalc import evaluate, recalc
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


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.2f} s")
    return elapsed


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    big = figures(10_000)
    timed("Template with 10,000 units", lambda: write_template(PLAN, folder / "big.xlsx", big))
    write_template(PLAN, folder / "k.xlsx", figures(1_000))
    ours = timed("thidua-xl recalc, 1,000-unit template (THIDUA_* + ordinary formulas), live",
                 lambda: recalc(folder / "k.xlsx", folder / "k-out.xlsx"))
    timed("thidua-xl recalc --values-only, same template",
          lambda: recalc(folder / "k.xlsx", folder / "k-values.xlsx", values_only=True))
    native = native_formulas(1_000, folder / "native.xlsx")
    formulas_native = timed("formulas engine, same 1,000 units as native formulas", lambda: evaluate(native))
    soffice = shutil.which("soffice")
    if soffice:
        out = folder / "lo"
        lo = timed("LibreOffice headless recalc of the native-formula workbook (incl. start-up)", lambda: subprocess.run(
            [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to", "xlsx",
             "--outdir", str(out), str(native)],
            check=True, capture_output=True))
        print(f"Ratio thidua-xl recalc / LibreOffice native: {ours / lo:.2f}; "
              f"formulas native / LibreOffice native: {formulas_native / lo:.2f}")
    else:
        print("LibreOffice not installed: no comparison")


if __name__ == "__main__":
    main()
