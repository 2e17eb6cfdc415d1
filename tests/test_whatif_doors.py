"""THIDUA_GAP and 'thidua-xl whatif' as a user meets them: Excel-shaped lists, headless recalc, the command."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from typer.testing import CliRunner

from thidua_xl import example_data, rubrics
from thidua_xl.cli import app
from thidua_xl.ranges import ERROR_PREFIX, text_units
from thidua_xl.sheet_functions import gap_values
from thidua_xl.workbook.recalc import FUNCTIONS, evaluate
from udfs.functions import thidua_gap

runner = CliRunner()
H = ["Đơn vị", "Có Kế hoạch thực hiện dịch vụ công trực tuyến", "so_thu_tuc_dang_ky", "so_tai_khoan",
     "so_ho_so_truc_tuyen", "ty_le_giai_quyet", "bao_cao_tre_1_3_ngay", "bao_cao_tre_qua_3_ngay",
     "bao_cao_khong_trung_thuc"]
A = ["Xã A", "có", 3.0, 1732.0, 260.0, 0.995, 2.0, 1.0, 0.0]      # 131 points
B = ["Xã B", "có", 1.0, "abc", 200.0, 0.98, 0.0, 0.0, 0.0]        # text in a number cell
C = ["Xã C", "có", 1.0, 1480.0, 200.0, 0.98, 0.0, 0.0, 0.0]       # 65 points: below the 90-point gate


def _excel_rows(frame: pd.DataFrame) -> list[list[object]]:
    """A table as xlwings hands it over: header row first, floats for numbers, None for blanks."""
    rows = [[str(c) for c in frame.columns]]
    for values in frame.itertuples(index=False):
        rows.append([None if pd.isna(v) else (float(v) if isinstance(v, int | float) else v) for v in values])
    return rows


def test_gap_spills_one_sentence_per_unit_errors_in_place_blanks_blank():
    out = thidua_gap("chau-thanh-a-2021", "xa", [H, A, B, C, [None] * 9])
    assert out[0] == ["Đang đứng đầu khối (131 điểm)."]
    assert out[1][0].startswith(f"{ERROR_PREFIX}Đơn vị 'Xã B', cột 'Số tài khoản DVCTT tạo được': 'abc'")
    assert out[2] == ["Đủ điều kiện xét (tổng từ 90 điểm, hiện 65): thêm 20 tài khoản (1.480 → 1.500); hoặc thêm "
                      "100 hồ sơ trực tuyến (200 → 300); hoặc thêm 5 thủ tục đăng ký (1 → 6)"]
    assert out[3] == [""]


def test_gap_target_from_a_cell_a_number_or_a_word():
    assert thidua_gap("chau-thanh-a-2021", "xa", [H, C], None, [[100.0]])[0][0].startswith(
        "Đạt 100 điểm (hiện 65): thêm 20 tài khoản (1.480 → 1.500)")
    assert thidua_gap("chau-thanh-a-2021", "xa", [H, A, C], None, "điều kiện")[0] == ["Đã đủ điều kiện xét khen thưởng."]
    bad = thidua_gap("chau-thanh-a-2021", "xa", [H, A], None, "hạng ba")
    assert bad == [[f"{ERROR_PREFIX}mục tiêu 'hạng ba' không hợp lệ — dùng 'hang', 'giai', 'dieu-kien' hoặc một số "
                    "điểm (ví dụ 90)"]]


@pytest.mark.parametrize("plan", rubrics.available())
def test_gap_texts_fit_one_classic_excel_cell_for_every_example_unit(plan):
    rubric = rubrics.get(plan)
    data = example_data.load(plan)
    for bloc in rubric.blocs:
        weights = [[c.id, c.max_points] for c in bloc.criteria] if rubric.editable_weights else None
        for target in ("giai",):  # the longest phrases (tiers, bands); every target's length: test_whatif
            out = gap_values(plan, bloc.id, _excel_rows(data[bloc.id]), None, target, weights)
            texts = [row[0] for row in out]
            assert len(texts) == len(data[bloc.id]) and all(isinstance(t, str) and t for t in texts)
            assert max(text_units(t) for t in texts) <= 255
            if bloc.derived and any(hasattr(d, "subunit_bloc") for d in bloc.derived):
                continue  # the blended rate needs the communes' sheet: each unit says so in its cell
            assert not any(t.startswith(ERROR_PREFIX) for t in texts), texts


def test_headless_recalc_evaluates_thidua_gap_like_excel(tmp_path):
    assert FUNCTIONS["THIDUA_GAP"] is gap_values
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    for row in (H, A, C):
        ws.append(row)
    ws["K2"] = ArrayFormula("K2:K3", '=THIDUA_GAP("chau-thanh-a-2021","xa",A2:I3,A1:I1,"dieu-kien")')
    book = tmp_path / "gap.xlsx"
    wb.save(book)
    values = evaluate(book)
    expected = gap_values("chau-thanh-a-2021", "xa", [A, C], [H], "dieu-kien")
    assert [values[("SỐ LIỆU", "K2")], values[("SỐ LIỆU", "K3")]] == [row[0] for row in expected]
    assert values[("SỐ LIỆU", "K3")].startswith("Đủ điều kiện xét (tổng từ 90 điểm, hiện 65): thêm 20 tài khoản")


def test_whatif_command_writes_a_table_and_filters_one_unit(tmp_path):
    folder = example_data.folder() / "hau-giang-2023"
    out = tmp_path / "can-gi.csv"
    result = runner.invoke(app, ["whatif", str(folder / "xa.csv"), "--plan", "hau-giang-2023", "--bloc", "xa",
                                 "--target", "giai", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert set(table["Đơn vị"]) == set(example_data.load("hau-giang-2023")["xa"]["Xã, phường, thị trấn"])
    assert table["Cần làm"].notna().all() and table["Cần làm"].str.len().gt(0).all()
    one = runner.invoke(app, ["whatif", str(folder / "xa.csv"), "-p", "hau-giang-2023", "-b", "xa",
                              "--unit", "phường  i"])
    assert one.exit_code == 0, one.output
    assert "Phường I " in one.output and "Phường III" not in one.output


def test_whatif_command_blended_district_rate_with_its_communes(tmp_path):
    folder = example_data.folder() / "hau-giang-2023"
    out = tmp_path / "huyen.xlsx"
    result = runner.invoke(app, ["whatif", str(folder / "huyen.csv"), "-p", "hau-giang-2023", "-b", "huyen",
                                 "--subunits", str(folder / "xa.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_excel(out, sheet_name="Cần gì để lên hạng")
    assert table["Cần làm"].str.contains("hồ sơ trực tuyến").any()


@pytest.mark.parametrize(("args", "message"), [
    (["--target", "nhat"], "mục tiêu 'nhat' không hợp lệ"),
    (["--unit", "Xã Không Có"], "không có đơn vị 'Xã Không Có' trong khối 'Cấp xã'"),
    (["--bloc", "tinh"], "Kế hoạch 'hau-giang-2023' không có khối 'tinh'"),
])
def test_whatif_command_refuses_with_a_vietnamese_message_and_exit_2(args, message):
    file = example_data.folder() / "hau-giang-2023" / "xa.csv"
    base = ["whatif", str(file), "--plan", "hau-giang-2023"]
    result = runner.invoke(app, base + (args if "--bloc" in args else ["--bloc", "xa", *args]))
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_whatif_command_never_writes_over_its_input(tmp_path):
    file = tmp_path / "xa.csv"
    file.write_bytes((example_data.folder() / "chau-thanh-a-2021" / "xa.csv").read_bytes())
    result = runner.invoke(app, ["whatif", str(file), "-p", "chau-thanh-a-2021", "-b", "xa", "-o", str(file)])
    assert result.exit_code == 2 and "Không ghi đè tệp đầu vào" in result.output
