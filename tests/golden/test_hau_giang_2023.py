"""Hậu Giang 2023 by hand: Mục III.2.a/b (points), Lưu ý (≤ 2 xã/huyện), Mục IV (awards)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import evaluate

PH, VT, LM = "Huyện Phụng Hiệp", "Huyện Vị Thủy", "Huyện Long Mỹ"


def xa(name, district, online, eid, accounts=None):
    row = {"Xã, phường, thị trấn": name, "Huyện, thị xã, thành phố": district, "ho_so_truc_tuyen": online,
           "ho_so_phat_sinh": 500, "tai_khoan_dinh_danh": eid, "nguoi_co_cccd": 10_000}
    if accounts is not None:
        row["so_tai_khoan_nop"] = accounts
    return row


XA = [
    xa("Xã Một", PH, 500, 9_000, accounts=400),   # 100 % → 60; 90 % → 40 (III.2.b)         = 100
    xa("Xã Hai", PH, 500, 9_500, accounts=50),    # 100 % → 60; 95 % → 40                    = 100, fewer accounts
    xa("Xã Ba", PH, 450, 8_000),                  # 90 % → 0,9 × 60 = 54; 80 % → 0,8 × 40 = 32 = 86
    xa("Xã Bốn", VT, 400, 8_500),                 # 80 % → 48; 85 % → 34                     = 82
    xa("Xã Năm", LM, 340, 9_000),                 # 68 % → 40,8; 90 % → 40 = 80,8 — < 70 %: not considered
    xa("Xã Sáu", LM, 375, 7_000),                 # 75 % → 45; 70 % → 28                     = 73
]


@pytest.fixture(scope="module")
def communes():
    return evaluate("hau-giang-2023", "xa", XA, scheme="xa")


def test_commune_points(communes):
    assert communes["tong_diem"].to_dict() == pytest.approx(
        {"Xã Một": 100, "Xã Hai": 100, "Xã Ba": 54 + 32, "Xã Bốn": 48 + 34, "Xã Năm": 40.8 + 40, "Xã Sáu": 45 + 28})


def test_account_concentration_tiebreak(communes):
    # III.2.b "Cơ sở chấm điểm": equal scores, dossiers from a few accounts → ranked after.
    assert communes.loc["Xã Một", "hang"] == communes.loc["Xã Hai", "hang"] == 1
    assert communes.loc["Xã Một", "hang_xet_thuong"] == 1
    assert communes.loc["Xã Hai", "hang_xet_thuong"] == 2


def test_seventy_percent_floor(communes):
    assert not communes.loc["Xã Năm", "du_dieu_kien"]
    assert pd.isna(communes.loc["Xã Năm", "hang_xet_thuong"])
    assert "68 % < 70 %" in communes.loc["Xã Năm", "ly_do_khong_xet"]
    assert communes.loc["Xã Năm", "hinh_thuc"] == ""


def test_third_commune_of_a_district_is_skipped_for_the_next(communes):
    # Lưu ý Mục III: mỗi huyện không quá 02 xã — Xã Ba (3rd of Phụng Hiệp) gives its place to Xã Bốn.
    assert communes.loc["Xã Ba", "hinh_thuc"] == ""
    assert "đã đủ 2 đơn vị" in communes.loc["Xã Ba", "ghi_chu"]
    awarded = communes.index[communes["hinh_thuc"] != ""].tolist()
    assert awarded == ["Xã Một", "Xã Hai", "Xã Bốn", "Xã Sáu"]
    assert set(communes.loc[awarded, "cap_khen"]) == {"Bằng khen của Chủ tịch UBND tỉnh Hậu Giang"}


DISTRICTS = [
    {"Huyện, thị xã, thành phố": PH, "ho_so_truc_tuyen": 900, "ho_so_phat_sinh": 1000,
     "tai_khoan_dinh_danh": 70_000, "nguoi_co_cccd": 100_000},
    {"Huyện, thị xã, thành phố": VT, "ho_so_truc_tuyen": 700, "ho_so_phat_sinh": 1000,
     "tai_khoan_dinh_danh": 85_000, "nguoi_co_cccd": 100_000},
    {"Huyện, thị xã, thành phố": LM, "ho_so_truc_tuyen": 800, "ho_so_phat_sinh": 1000,
     "tai_khoan_dinh_danh": 90_000, "nguoi_co_cccd": 100_000},
]


def test_district_blend_and_awards():
    out = evaluate("hau-giang-2023", "huyen", DISTRICTS, scheme="huyen", subunits=pd.DataFrame(XA))
    # Phụng Hiệp: (90 % + (100 + 100 + 90)/3 %) / 2 = 93,33 % ≥ 90 % → 60; e-ID 70 % → 0,7 × 40 = 28 → 88
    # Long Mỹ: (80 % + (68 + 75)/2 %) / 2 = 75,75 % → 45,45; e-ID 90 % ≥ 80 % → 40 → 85,45
    # Vị Thủy: (70 % + 80 %) / 2 = 75 % → 45; e-ID 85 % → 40 → 85
    assert out["tong_diem"].to_dict() == pytest.approx({PH: 88, LM: 85.45, VT: 85})
    assert out.loc[[PH, LM, VT], "hinh_thuc"].tolist() == ["Hạng Nhất", "Hạng Nhì", "Hạng Ba"]
    assert out.loc[[PH, LM, VT], "tien_thuong"].tolist() == [20_000_000, 15_000_000, 10_000_000]
    assert out.loc[[PH, LM, VT], "diem_cong"].tolist() == [3, 2, 1]


def test_district_individual_quotas_sum_to_sixteen():
    from thidua_xl import rubrics

    scheme = next(s for s in rubrics.get("hau-giang-2023").awards if s.id == "huyen")
    quotas = dict(scheme.individual_quotas)
    assert len(quotas) == 8 and sum(quotas.values()) == 16
    assert quotas["Huyện Phụng Hiệp"] == 3 and quotas["Thành phố Ngã Bảy"] == 1


def test_score_output_has_the_award_columns_and_the_district_quotas(tmp_path):
    """`score -o` writes what the award decision needs; each district shows its Mục IV.2.c quota (not 0)."""
    from typer.testing import CliRunner

    from thidua_xl.cli import app

    pd.DataFrame(DISTRICTS).to_csv(tmp_path / "huyen.csv", index=False)
    pd.DataFrame(XA).to_csv(tmp_path / "xa.csv", index=False)
    out = tmp_path / "ket-qua.csv"
    result = CliRunner().invoke(app, ["score", str(tmp_path / "huyen.csv"), "-p", "hau-giang-2023", "-b", "huyen",
                                      "--subunits", str(tmp_path / "xa.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False).set_index("Đơn vị")
    # Totals as in test_district_blend_and_awards: 88 > 85,45 > 85 → Nhất, Nhì, Ba (Mục IV.2.a: 20/15/10 triệu,
    # +3/+2/+1 điểm KT-XH); individuals by quota (Mục IV.2.c): Phụng Hiệp 3, Long Mỹ 2, Vị Thủy 2.
    assert table.loc[[PH, LM, VT], "Hình thức khen thưởng"].tolist() == ["Hạng Nhất", "Hạng Nhì", "Hạng Ba"]
    assert table.loc[[PH, LM, VT], "Tiền thưởng (đồng)"].tolist() == [20_000_000, 15_000_000, 10_000_000]
    assert table.loc[[PH, LM, VT], "Tiền thưởng bằng chữ"].tolist() == [
        "Hai mươi triệu đồng", "Mười lăm triệu đồng", "Mười triệu đồng"]
    assert table.loc[[PH, LM, VT], "Điểm cộng thi đua"].tolist() == [3, 2, 1]
    assert table.loc[[PH, LM, VT], "Số cá nhân"].tolist() == [3, 2, 2]
    assert table.loc[PH, "Cấp khen"] == "Bằng khen của Chủ tịch UBND tỉnh Hậu Giang"
    assert "Cần Hội đồng quyết định" in table.columns and "Ghi chú" in table.columns


def test_demo_shows_the_sixteen_individuals_by_district(tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from thidua_xl.cli import app

    out = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(app, ["demo", "hau-giang-2023", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Khen thưởng cấp huyện"].iter_rows(values_only=True))
    col = rows[0].index("Số cá nhân")
    people = {r[0]: r[col] for r in rows[1:]}
    # Mục IV.2.c: 2 each, Phụng Hiệp 3, Ngã Bảy 1 → 6 × 2 + 3 + 1 = 16
    assert people["Huyện Phụng Hiệp"] == 3 and people["Thành phố Ngã Bảy"] == 1
    assert sum(people.values()) == 16
    assert "Huyện Phụng Hiệp" in result.output  # printed although it has no prize
