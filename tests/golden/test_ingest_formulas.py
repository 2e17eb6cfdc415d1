"""Ingest formulas by hand from a small export.

766 (portal formula sheet, DESIGN.md §8): on-time (2.1) = dossiers "đã và đang xử lý" on time or within time ÷
dossiers processed in the period; satisfaction in TTHC (5.4) = (dossiers − rated unsatisfied − complained about
− late) ÷ dossiers. Hậu Giang 2023 Mục III.2.a/b: the online rate's denominator is "hồ sơ phát sinh của các
DVCTT đã công bố" — only the catalogue's procedures (--danh-muc), otherwise every dossier and a lower bound.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.ingest_helpers import HEADERS, hau_giang_units, write_csv
from thidua_xl import rubrics
from thidua_xl.cli import app
from thidua_xl.ingest import UnitDirectory, ingest, load_profile

COMPLAINT = "Phản ánh, kiến nghị"
XA = "UBND xã Hòa An"
ON = "Trực tuyến toàn trình"
# (mã, đơn vị, hình thức, tài khoản, tiếp nhận, hạn, có kết quả, thanh toán, số hóa, kết quả điện tử, đánh giá, PAKN)
DOSSIERS = [
    ("D1", XA, ON, "a1", "02/01/2024", "10/01/2024", "09/01/2024", "", "", "", "Hài lòng", ""),        # early
    ("D2", XA, ON, "a2", "03/01/2024", "12/01/2024", "15/01/2024", "", "", "", "", ""),                # late
    ("D3", XA, "Trực tiếp", "", "20/01/2024", "05/02/2024", "", "", "", "", "", ""),                  # pending, in time
    ("D4", XA, "Trực tiếp", "", "05/01/2024", "20/01/2024", "", "", "", "", "", ""),                  # pending, overdue
    ("D5", XA, ON, "a3", "06/01/2024", "16/01/2024", "16/01/2024", "", "", "", "Không hài lòng", ""),  # on the day
    ("D6", XA, ON, "a4", "07/01/2024", "30/01/2024", "25/01/2024", "", "", "", "", "Có"),             # early, PAKN
]


def _766_units() -> tuple[object, UnitDirectory]:
    rubric = rubrics.get("hau-giang-766-2024")
    tables = {"so_nganh": pd.DataFrame({"Đơn vị": ["Sở Tư pháp"]}), "huyen": pd.DataFrame({"Đơn vị": ["Huyện X"]}),
              "xa": pd.DataFrame({"Đơn vị": ["Xã Hòa An"]})}
    return rubric, UnitDirectory.from_tables(rubric, tables, load_profile())


def test_766_on_time_counts_dossiers_still_being_processed(tmp_path):
    rubric, units = _766_units()
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS, headers=[*HEADERS, COMPLAINT])
    result = ingest(export, rubric, units, load_profile(), first="2024-01", last="2024-01")
    xa = result.bloc_values("xa").loc["Xã Hòa An"]
    # At 31/01: resolved D1 (early), D2 (late), D5 (same day), D6 (early); pending D3 (due 05/02: within time)
    # and D4 (due 20/01: overdue). On time or within time: D1, D5, D6, D3 = 4 of 6 processed.
    assert xa["ty_le_dung_han"] == pytest.approx(4 / 6)
    # 5.4: 6 dossiers − 1 rated unsatisfied (D5) − 1 complained about (D6) − 2 late (D2, D4) = 2 → 2 / 6
    assert xa["ty_le_hai_long_tthc"] == pytest.approx(2 / 6)


def test_766_satisfaction_without_a_complaint_column_counts_none(tmp_path):
    rubric, units = _766_units()
    rows = [d[:-1] for d in DOSSIERS]
    export = write_csv(tmp_path / "ho-so.csv", rows)
    result = ingest(export, rubric, units, load_profile(), first="2024-01", last="2024-01")
    # 6 − 1 unsatisfied − 2 late = 3 → 3 / 6; the summary says the file has no complaint column.
    assert result.bloc_values("xa").loc["Xã Hòa An", "ty_le_hai_long_tthc"] == pytest.approx(3 / 6)
    assert any("phản ánh, kiến nghị về hồ sơ" in line for line in result.summary_lines())


PROCEDURE = "Tên thủ tục hành chính"
HG = [  # Hậu Giang 2023: the procedure column; only 1.001 is a published online service (DVCTT)
    ("X1", XA, ON, "a1", "02/01/2023", "10/01/2023", "05/01/2023", "", "", "", "", "1.001 - Đăng ký khai sinh"),
    ("X2", XA, "Trực tiếp", "", "03/01/2023", "10/01/2023", "05/01/2023", "", "", "", "", "1.001"),
    ("X3", XA, "Trực tiếp", "", "04/01/2023", "10/01/2023", "05/01/2023", "", "", "", "", "2.002 - Cấp phép"),
    ("X4", XA, "Trực tiếp", "", "05/01/2023", "10/01/2023", "06/01/2023", "", "", "", "", "1.0015 - Khác"),
]


def test_hau_giang_2023_online_rate_over_the_published_catalogue(tmp_path):
    rubric, units = hau_giang_units()
    export = write_csv(tmp_path / "ho-so.csv", HG, headers=[*HEADERS, PROCEDURE])
    catalogue = tmp_path / "danh-muc.csv"
    catalogue.write_text("STT,Mã thủ tục,Tên thủ tục\n1,1.001,Đăng ký khai sinh\n", encoding="utf-8")
    from thidua_xl.ingest.catalogue import read_catalogue

    with_list = ingest(export, rubric, units, load_profile(), catalogue=read_catalogue(catalogue))
    # X1 and X2 are 1.001's dossiers (X4 is procedure 1.0015, not 1.001): 1 online of 2 → 50 %
    assert with_list.bloc_values("xa").loc["Xã Hòa An"].tolist()[:2] == [1, 2]
    without = ingest(export, rubric, units, load_profile())
    # all 4 dossiers: 1 online of 4 → 25 %, a lower bound, and the summary says so
    assert without.bloc_values("xa").loc["Xã Hòa An"].tolist()[:2] == [1, 4]
    assert any("cận dưới" in line for line in without.summary_lines())
    assert not any("cận dưới" in line for line in with_list.summary_lines())


def test_danh_muc_option_and_the_summary_sheet(tmp_path):
    book = tmp_path / "hau-giang-2023.xlsx"
    shutil.copy(Path(__file__).resolve().parents[2] / "workbooks" / "hau-giang-2023.xlsx", book)
    export = write_csv(tmp_path / "ho-so.csv", HG, headers=[*HEADERS, PROCEDURE])
    catalogue = tmp_path / "danh-muc.csv"
    catalogue.write_text("Mã thủ tục\n1.001\n", encoding="utf-8")
    runner = CliRunner()
    lines = {}
    for name, extra in (("khong", []), ("co", ["--danh-muc", str(catalogue)])):
        out = tmp_path / f"ket-qua-{name}.xlsx"
        run = runner.invoke(app, ["ingest", str(export), "-p", "hau-giang-2023", "-u", str(book), "-o", str(out),
                                  "--no-progress", *extra])
        assert run.exit_code == 0, run.output
        lines[name] = [r[0] for r in load_workbook(out)["Tóm tắt nhập hồ sơ"].iter_rows(values_only=True)]
    assert any(line and "cận dưới" in line for line in lines["khong"])
    assert any(line and "Danh mục DVCTT đã công bố: 1 thủ tục; 2 hồ sơ" in line for line in lines["co"])
