"""A weight typed as text, TRUE or an absurd number is refused the same way by the worksheet functions and by
the award sheet: never skipped (the award sheet would then use the default and disagree with the sheet)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from thidua_xl import rubrics
from thidua_xl.cli import app
from thidua_xl.sheet_functions import score_values
from thidua_xl.workbook.layout import WEIGHTS, weights_rows

ROOT = Path(__file__).resolve().parents[1]
PLAN = "phung-hiep-2023"


@pytest.mark.parametrize("bad", [True, 1e6, "mười", -3])
def test_bad_weight_refused_by_sheet_function_and_award_sheet(tmp_path, bad):
    book = tmp_path / "so.xlsx"
    shutil.copyfile(ROOT / "workbooks" / f"{PLAN}.xlsx", book)
    wb = load_workbook(book)
    ws = wb[WEIGHTS]
    first, _ = weights_rows(rubrics.get(PLAN))["xa"]
    row = next(r for r in ws.iter_rows(min_row=first) if isinstance(r[1].value, int | float) and r[0].value)
    criterion = row[0].value
    row[1].value = bad
    wb.save(book)

    first, last = weights_rows(rubrics.get(PLAN))["xa"]  # the range the template passes to THIDUA_*
    weights = [[c.value for c in r] for r in ws.iter_rows(min_row=first, max_row=last)]
    figures = [["Đơn vị", "ho_so_tre_han_thang_cao_nhat"], ["Xã A", 0]]
    cell = score_values(PLAN, "xa", figures, None, weights)[0][0]
    assert cell.startswith("#THIDUA: ") and f"'{criterion}'" in cell and str(bad) in cell

    result = CliRunner().invoke(app, ["awards", str(book), "-o", str(tmp_path / "kt.xlsx")])
    assert result.exit_code == 2, result.output
    assert f"'{criterion}'" in result.output and "trọng số" in result.output
    assert not (tmp_path / "kt.xlsx").exists()
