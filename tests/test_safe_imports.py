"""Rubrics load only from the package registry; nothing read from a workbook is evaluated as code."""

from __future__ import annotations

import sys

import pytest
from openpyxl import load_workbook

from thidua_xl import rubrics
from thidua_xl.workbook.book import OpenpyxlBook
from thidua_xl.workbook.macros import build_awards
from thidua_xl.workbook.template import PLAN_CELL, write_template


@pytest.mark.parametrize("plan_id", ["../../etc/passwd", "os", "thidua_xl.cli", "__import__('os').system('x')",
                                     "hau_giang_2023", "examples"])
def test_unknown_or_crafted_plan_ids_are_refused(plan_id):
    with pytest.raises(KeyError, match="Không có kế hoạch"):
        rubrics.get(plan_id)


def test_plan_cell_in_a_workbook_is_looked_up_never_imported_or_evaluated(tmp_path, monkeypatch):
    path = write_template("ninh-phuoc-2023", tmp_path / "np.xlsx")
    wb = load_workbook(path)
    wb["Hướng dẫn"][PLAN_CELL] = "__import__('thidua_xl_pwned')"
    wb.save(path)
    before = set(sys.modules)
    with pytest.raises(KeyError, match="Không có kế hoạch"):
        build_awards(OpenpyxlBook(path))
    assert "thidua_xl_pwned" not in sys.modules and not {m for m in set(sys.modules) - before if "pwned" in m}


def test_formula_text_in_input_is_data_not_code(tmp_path):
    """A unit named like a formula is scored as a name; the engine never evaluates cell text."""
    import pandas as pd

    from thidua_xl.scoring import score

    row = {"Đơn vị": "=1+1", "ty_le_dung_han": 1, "ty_le_ho_so_truc_tuyen": 1, "ty_le_ket_qua_dien_tu": 1,
           "ty_le_hai_long_tthc": 1, "ty_le_buu_chinh_cong_ich": 1}
    out = score(rubrics.get("ninh-phuoc-2023"), "xa", pd.DataFrame([row]))
    assert out["don_vi"].tolist() == ["=1+1"] and out["tong_diem"].tolist() == [100]
