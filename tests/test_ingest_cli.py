"""`thidua-xl synth` → `thidua-xl ingest` → `thidua-xl score`, as a secretary runs them."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from ingest_helpers import write_csv
from openpyxl import load_workbook
from typer.testing import CliRunner

from thidua_xl import example_data, rubrics
from thidua_xl.cli import app
from thidua_xl.ingest import UnitDirectory, ingest, load_profile
from thidua_xl.ingest.synthetic import BAD_AT, write_export
from thidua_xl.vn import fold

runner = CliRunner()
TEMPLATES = Path(__file__).resolve().parents[1] / "workbooks"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def book(tmp_path) -> Path:
    copy = tmp_path / "hau-giang-2023.xlsx"
    shutil.copy(TEMPLATES / "hau-giang-2023.xlsx", copy)
    return copy


def test_synthetic_export_into_the_template_then_score(tmp_path, book):
    export = tmp_path / "ho-so.csv"
    made = runner.invoke(app, ["synth", "--plan", "hau-giang-2023", "-n", "3000", "-o", str(export)])
    assert made.exit_code == 0, made.output
    before = _digest(book)
    out = tmp_path / "so-lieu-12.xlsx"
    run = runner.invoke(app, ["ingest", str(export), "--plan", "hau-giang-2023", "--units", str(book), "-o", str(out),
                              "--tu", "2023-01", "--den", "2023-12"])
    assert run.exit_code == 0, run.output
    assert _digest(book) == before                       # the secretary's workbook is never written
    planted = {code: (3000 - at) // 1000 + 1 for code, at in BAD_AT.items()}
    rejects = pd.read_csv(tmp_path / "so-lieu-12-loai-bo.csv", encoding="utf-8-sig")
    assert rejects["Mã lý do"].value_counts().to_dict() == planted
    assert f"loại {sum(planted.values())}." in run.output

    # the sheet cells equal the library's figures for the same file
    rubric = rubrics.get("hau-giang-2023")
    units = UnitDirectory.from_tables(rubric, example_data.load(rubric.id), load_profile())
    expected = ingest(export, rubric, units, load_profile()).bloc_values("xa")
    expected.index = [fold(n) for n in expected.index]
    wb = load_workbook(out)
    ws = wb["Số liệu xã"]
    headers = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(headers)}
    checked = 0
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            continue
        key = fold(row[0])
        assert row[col["Tổng số hồ sơ TTHC nộp trực tuyến"]] == expected.at[key, "ho_so_truc_tuyen"]
        assert row[col["Tổng số hồ sơ phát sinh (trực tiếp, trực tuyến)"]] == expected.at[key, "ho_so_phat_sinh"]
        assert row[col["Số tài khoản khác nhau đã nộp hồ sơ trực tuyến"]] == expected.at[key, "so_tai_khoan_nop"]
        checked += 1
    assert checked == 75
    # police figures typed in the template are kept; THIDUA_* formulas are still there
    template = load_workbook(book)
    label = "Tổng số người dân có căn cước công dân"
    assert ([c.value for c in ws[get_col(ws, label)]] == [c.value for c in template["Số liệu xã"][get_col(
        template["Số liệu xã"], label)]])
    assert any(isinstance(c.value, str) and "THIDUA_SCORE" in c.value or "ArrayFormula" in type(c.value).__name__
               for row in wb["Điểm xã"].iter_rows() for c in row)
    assert {"Tổng hợp hồ sơ", "Hồ sơ theo tháng", "Tóm tắt nhập hồ sơ"} <= set(wb.sheetnames)
    mean_col = get_col(wb["Số liệu huyện"], "Tỷ lệ hồ sơ trực tuyến bình quân các xã")
    assert str(wb["Số liệu huyện"][f"{mean_col}2"].value).startswith('=IF(A2="","",THIDUA_MEAN(')  # formula kept

    for bloc in ("xa", "huyen"):
        scored = runner.invoke(app, ["score", str(out), "--plan", "hau-giang-2023", "--bloc", bloc])
        assert scored.exit_code == 0, scored.output
        assert "chưa được chấm" not in scored.output

    # the template's own THIDUA_SCORE formulas, recalculated headless, give the same totals as `score`
    totals = tmp_path / "diem.csv"
    assert runner.invoke(app, ["score", str(out), "--plan", "hau-giang-2023", "--bloc", "xa", "-o",
                               str(totals)]).exit_code == 0
    expected_total = pd.read_csv(totals, encoding="utf-8-sig").set_index("Đơn vị")["Tổng điểm"]
    recalculated = tmp_path / "tinh-lai.xlsx"
    assert runner.invoke(app, ["recalc", str(out), "-o", str(recalculated)]).exit_code == 0
    sheet = load_workbook(recalculated, data_only=True)["Điểm xã"]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] in expected_total.index]
    assert len(rows) == 75
    for row in rows:
        assert row[2] == pytest.approx(expected_total[row[0]], abs=0.01)


def get_col(ws, header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([c.value for c in ws[1]].index(header) + 1)


def ingest_into_example_folder(tmp_path: Path, plan: str, rows: int | None = None,
                               export: Path | None = None) -> tuple[Path, Path]:
    """Copy the plan's example tables, ingest ``export`` (or ``rows`` synthetic dossiers) into a new folder.

    Returns (the units folder, the output folder); the run must succeed.
    """
    units = tmp_path / "so-lieu"
    shutil.copytree(example_data.folder() / plan, units)
    if export is None:
        export = tmp_path / "ho-so.csv"
        assert runner.invoke(app, ["synth", "--plan", plan, "-n", str(rows), "-o", str(export)]).exit_code == 0
    out = tmp_path / "ket-qua"
    run = runner.invoke(app, ["ingest", str(export), "--plan", plan, "--units", str(units), "-o", str(out)])
    assert run.exit_code == 0, run.output
    return units, out


def test_folder_of_tables_for_ninh_phuoc(tmp_path):
    plan = "ninh-phuoc-2023"
    units, out = ingest_into_example_folder(tmp_path, plan, rows=2000)
    xa = pd.read_csv(out / "xa.csv", encoding="utf-8-sig")
    rubric = rubrics.get(plan)
    rate = xa[rubric.bloc("xa").figure("ty_le_buu_chinh_cong_ich").label]
    assert rate.between(0, 1).all() and rate.nunique() > 1          # filled from the export, per unit
    original = pd.read_csv(units / "xa.csv", encoding="utf-8-sig")
    assert not rate.equals(original[rate.name])                       # not the example figures
    assert (out / "tong_hop_ho_so.csv").exists() and (out / "ho_so_theo_thang.csv").exists()
    scored = runner.invoke(app, ["score", str(out / "xa.csv"), "--plan", plan, "--bloc", "xa"])
    assert scored.exit_code == 0 and "chưa được chấm" not in scored.output, scored.output


def test_two_late_online_dossiers_in_one_month_disqualify_in_phung_hiep(tmp_path):
    plan = "phung-hiep-2023"
    name = example_data.load(plan)["xa"].iloc[0, 0]
    late = [(f"L{i}", f"UBND {name[:1].lower()}{name[1:]}", "Trực tuyến toàn trình", "a", f"0{i}/03/2023",
             f"0{i + 1}/03/2023", f"0{i + 3}/03/2023", "Có", "", "", "Hài lòng") for i in (1, 2)]
    april = [("L9", f"UBND {name}", "Trực tuyến một phần", "b", "01/04/2023", "02/04/2023", "05/04/2023",
              "Có", "", "", "Hài lòng")]
    _, out = ingest_into_example_folder(tmp_path, plan, export=write_csv(tmp_path / "ho-so.csv", late + april))
    xa = pd.read_csv(out / "xa.csv", encoding="utf-8-sig").set_index(rubrics.get(plan).bloc("xa").unit_label)
    assert xa.loc[name, "Số hồ sơ DVCTT trễ hẹn trong tháng nhiều nhất"] == 2   # March: 2, April: 1
    scored = runner.invoke(app, ["score", str(out / "xa.csv"), "--plan", plan, "--bloc", "xa"])
    assert scored.exit_code == 0
    said = " ".join(scored.output.split())  # the list of units not considered, wrapped to the window
    assert f"{name}: Không xét thi đua: từ 02 hồ sơ DVCTT trễ hẹn/01 tháng" in said


def test_synthetic_exports_are_reproducible(tmp_path):
    rubric = rubrics.get("hau-giang-766-2024")
    units = UnitDirectory.from_tables(rubric, example_data.load(rubric.id), load_profile()).units
    a = write_export(tmp_path / "a.csv", units, 5000, seed=7)
    write_export(tmp_path / "b.csv", units, 5000, seed=7)
    write_export(tmp_path / "c.csv", units, 5000, seed=8)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    assert a.rejects == {"ngay_tiep_nhan": 5, "don_vi": 5, "ket_qua_truoc_tiep_nhan": 5, "trung_ma": 5}
    planted = write_export(tmp_path / "d.xlsx", units, 1200, seed=7)
    assert planted.rejects == {"ngay_tiep_nhan": 2, "don_vi": 1, "ket_qua_truoc_tiep_nhan": 1, "trung_ma": 1}
    result = ingest(tmp_path / "d.xlsx", rubric, UnitDirectory(units, load_profile()), load_profile())
    assert result.rows_read == 1200 and result.rejects == planted.rejects


def test_synth_refuses_more_rows_than_a_sheet_holds(tmp_path):
    run = runner.invoke(app, ["synth", "--plan", "ninh-phuoc-2023", "-n", "2000000", "-o", str(tmp_path / "a.xlsx")])
    assert run.exit_code == 2 and "tối đa 1.048.575 hồ sơ" in run.output
    assert not (tmp_path / "a.xlsx").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["khong-co.csv"], "Không tìm thấy tệp"),
    (["{export}", "--profile", "khong-co"], "Không có hồ sơ cột 'khong-co'"),
    (["{export}", "--tu", "2023-1"], "--tu '2023-1' không đúng dạng"),
    (["{legacy}"], "định dạng Excel cũ (.xls)"),
])
def test_cli_errors_are_messages_not_tracebacks(tmp_path, book, args, message):
    export = write_csv(tmp_path / "ho-so.csv", [])
    legacy = tmp_path / "ho-so.xls"
    legacy.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    args = [a.format(export=export, legacy=legacy) for a in args]
    run = runner.invoke(app, ["ingest", *args, "--plan", "hau-giang-2023", "--units", str(book)])
    assert run.exit_code == 2
    assert message in run.output


def test_rejects_file_never_overwrites_the_export(tmp_path, book):
    export = write_csv(tmp_path / "ho-so.csv", [("", "UBND xã Vị Tân", "Trực tiếp", "", "05/01/2023", "10/01/2023",
                                                  "", "", "", "", "")])
    before = export.read_bytes()
    run = runner.invoke(app, ["ingest", str(export), "--plan", "hau-giang-2023", "--units", str(book),
                              "--rejects", str(export), "-o", str(tmp_path / "out.xlsx")])
    assert run.exit_code == 2 and "Không ghi đè tệp đầu vào" in run.output
    assert export.read_bytes() == before
    run = runner.invoke(app, ["ingest", str(export), "--plan", "hau-giang-2023", "--units", str(book),
                              "-o", str(export)])
    assert run.exit_code == 2 and "phải có đuôi .xlsx" in run.output
    assert export.read_bytes() == before
    assert not (tmp_path / "ho-so-loai-bo.csv").exists()  # refused before anything was written


def test_hau_giang_folder_district_table_carries_the_commune_mean(tmp_path):
    plan = "hau-giang-2023"
    _, out = ingest_into_example_folder(tmp_path, plan, rows=4000)
    huyen = pd.read_csv(out / "huyen.csv", encoding="utf-8-sig")
    xa = pd.read_csv(out / "xa.csv", encoding="utf-8-sig")
    xa["rate"] = xa["Tổng số hồ sơ TTHC nộp trực tuyến"] / xa["Tổng số hồ sơ phát sinh (trực tiếp, trực tuyến)"]
    by_hand = xa.groupby("Huyện, thị xã, thành phố")["rate"].mean()
    got = huyen.set_index("Huyện, thị xã, thành phố")["Tỷ lệ hồ sơ trực tuyến bình quân các xã"]
    pd.testing.assert_series_equal(got.sort_index(), by_hand.sort_index(), check_names=False)
    alone = tmp_path / "a.csv"
    with_xa = tmp_path / "b.csv"
    args = ["score", str(out / "huyen.csv"), "--plan", plan, "--bloc", "huyen", "-o"]
    assert runner.invoke(app, [*args, str(alone)]).exit_code == 0
    assert runner.invoke(app, [*args, str(with_xa), "--subunits", str(out / "xa.csv")]).exit_code == 0
    pd.testing.assert_frame_equal(pd.read_csv(alone), pd.read_csv(with_xa))
    assert pd.read_csv(alone)["Tổng điểm"].notna().all()
