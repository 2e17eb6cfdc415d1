"""``thidua-xl score --ky``, ``demo --thang`` and ``awards FOLDER --plan`` as a user runs them."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from thidua_xl import example_data, rubrics
from thidua_xl.cli import app
from thidua_xl.periods import score_period

runner = CliRunner()
CTA = example_data.folder() / "chau-thanh-a-2021"


def _score(*args: str):
    return runner.invoke(app, ["score", str(CTA / "xa_thang.csv"), "--plan", "chau-thanh-a-2021", "--bloc", "xa",
                               *args])


def test_score_one_month_writes_that_months_table(tmp_path):
    out = tmp_path / "thang3.csv"
    result = _score("--ky", "2021-03", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    expected = score_period(rubrics.get("chau-thanh-a-2021"), "xa", example_data.load("chau-thanh-a-2021",
                                                                                      months=True)["xa"], "2021-03")
    assert (table["Kỳ"] == "2021-03").all() and len(table) == 13
    assert table["Tổng điểm"].tolist() == expected["tong_diem"].tolist()
    # The year-end prize is not given on a month: said, not silently skipped.
    assert "xét cuối năm: không chạy trên số liệu tháng 3/2021" in result.output


def test_score_the_year_gives_the_year_end_awards():
    result = _score("--ky", "2021")
    assert result.exit_code == 0, result.output
    assert "Hạng Nhất" in result.output and "Năm 2021" in result.output


def test_score_all_months_one_row_per_unit_and_month_with_movement(tmp_path):
    out = tmp_path / "cac-thang.xlsx"
    result = _score("--ky", "all", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_excel(out, sheet_name="Theo kỳ")
    assert len(table) == 13 * 12 and sorted(set(table["Kỳ"])) == [f"2021-{m:02d}" for m in range(1, 13)]
    january = table[table["Kỳ"] == "2021-01"]
    assert january["Biến động"].isna().all()  # no previous month
    later = table[table["Kỳ"] != "2021-01"]["Biến động"].astype(str)
    assert later.str.fullmatch(r"↑\d+|↓\d+|=|mới").all()


def test_score_year_to_date_months():
    result = _score("--ky", "..all")
    assert result.exit_code == 0, result.output
    assert "..2021-12" in result.output and "Biến động" in result.output


def test_score_ky_refuses_a_table_without_ky_and_a_bad_period():
    plain = runner.invoke(app, ["score", str(CTA / "xa.csv"), "--plan", "chau-thanh-a-2021", "--bloc", "xa",
                                "--ky", "2021-03"])
    assert plain.exit_code == 2 and "không có cột 'Kỳ'" in plain.output
    bad = _score("--ky", "quý 5")
    assert bad.exit_code == 2 and "Kỳ 'quý 5' không đọc được" in bad.output


def test_score_ky_names_a_bad_month_cell(tmp_path):
    rows = pd.read_csv(CTA / "xa_thang.csv", encoding="utf-8-sig", dtype=str)
    rows.loc[5, "Kỳ"] = "13/2021"
    path = tmp_path / "xa.csv"
    rows.to_csv(path, index=False, encoding="utf-8-sig")
    result = runner.invoke(app, ["score", str(path), "--plan", "chau-thanh-a-2021", "--bloc", "xa", "--ky", "2021"])
    assert result.exit_code == 0, result.output
    unit = rows.loc[5, "Đơn vị"]
    assert f"Đơn vị '{unit}', cột 'Kỳ': '13/2021' không phải một tháng" in result.output


def test_demo_months_lists_each_kind_under_its_heading():
    result = runner.invoke(app, ["demo", "chau-thanh-a-2021", "--thang"])
    assert result.exit_code == 0, result.output
    out = result.output
    monthly, year_end = out.index("HẰNG THÁNG"), out.index("CUỐI NĂM")
    assert monthly < year_end
    # Twelve monthly lines (year-to-date), then the year-end lists; no monthly prize under the year-end heading.
    assert all(f"\n{m}/2021 " in out[monthly:year_end] for m in range(1, 13))
    assert "số liệu lũy kế từ đầu năm" in out[monthly:year_end]
    assert "Tập thể tiêu biểu nhất tháng" not in out[year_end:] and "Hạng Nhất" in out[year_end:]


def test_awards_folder_lists_cutoff_and_quarterly_sections(tmp_path):
    result = runner.invoke(app, ["awards", str(example_data.folder() / "ninh-phuoc-2023"), "--plan",
                                 "ninh-phuoc-2023", "-o", str(tmp_path / "np.xlsx")])
    assert result.exit_code == 0, result.output
    assert "THEO NGÀY CHỐT" in result.output and "số liệu đến ngày 30/11/2023" in result.output
    assert "số liệu đến ngày 15/12/2023" in result.output
    assert len(pd.ExcelFile(tmp_path / "np.xlsx").sheet_names) == 4
    ph = runner.invoke(app, ["demo", "phung-hiep-2023", "--thang"])
    assert ph.exit_code == 0 and "HẰNG QUÝ" in ph.output and "Quý IV/2023" in ph.output


def test_awards_folder_needs_a_plan():
    result = runner.invoke(app, ["awards", str(example_data.folder() / "ninh-phuoc-2023")])
    assert result.exit_code == 2 and "là một thư mục" in result.output


def test_a_table_of_months_without_ky_says_what_to_type():
    result = _score()
    assert result.exit_code == 2 and "--ky 2021 (cả năm)" in result.output


def test_one_unit_of_one_month_is_explained_on_that_months_figures():
    expected = score_period(rubrics.get("chau-thanh-a-2021"), "xa",
                            example_data.load("chau-thanh-a-2021", months=True)["xa"], "2021-03").set_index("don_vi")
    result = runner.invoke(app, ["score", str(CTA / "xa_thang.csv"), "-p", "chau-thanh-a-2021", "-b", "xa",
                                 "--ky", "2021-03", "--unit", "xã tân hòa"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    total = f"{expected.loc['Xã Tân Hòa', 'tong_diem']:.2f}".replace(".", ",")
    assert f"Tổng điểm {total}" in result.output and "Xã Tân Hòa" in result.output
    assert "tài khoản" in result.output and "Xếp hạng —" not in result.output   # the block, not the tables
    every = _score("--ky", "all", "--explain")
    assert every.exit_code == 0 and "chọn kỳ" in every.output
