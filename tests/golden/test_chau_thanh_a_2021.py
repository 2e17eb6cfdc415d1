"""Châu Thành A 2021 by hand: "Cách tính điểm thi đua" II (xã), "Lưu ý", Mục III (awards)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import evaluate
from thidua_xl import rubrics
from thidua_xl.awards import award_plan


def unit(name, plan, procs, accounts, dossiers, rate, late=0, missing=0, untrue=0, merit=None):
    row = {"Đơn vị": name, "co_ke_hoach": plan, "so_thu_tuc_dang_ky": procs, "so_tai_khoan": accounts,
           "so_ho_so_truc_tuyen": dossiers, "ty_le_giai_quyet": rate, "bao_cao_tre_1_3_ngay": late,
           "bao_cao_tre_qua_3_ngay": missing, "bao_cao_khong_trung_thuc": untrue}
    if merit is not None:
        row["thanh_tich_noi_bat"] = merit
    return row


XA = [
    # 10 + (15 + 2×5) + (35 + 2×5) + (30 + 3×5) + (10 + 1×5) − (2×2 + 1×5) = 131
    unit("Xã A", "có", 3, 1732, 260, "99,5%", late=2, missing=1),
    # 0 + (−5) + 35 + 30 + 10 = 70 → below the 90-point gate
    unit("Xã B", "không", 0, 1500, 200, "98%"),
    # 10 + 15 + (35 + 5) + 30 + (10 + 2×5) − 2 = 113
    unit("Xã C", "có", 1, 1600, 219, "100%", untrue=1),
    # 10 + (15 + 5) + 35 + (30 + 2×5) + 10 = 115, merit 3
    unit("Xã D", "có", 2, 1500, 240, "98%", merit=3),
    # 10 + (15 + 5) + 35 + (30 + 2×5) + (10 + 5) − 5 = 115, merit 5
    unit("Xã E", "có", 2, 1599, 259, "99%", missing=1, merit=5),
]


@pytest.fixture(scope="module")
def xa():
    return evaluate("chau-thanh-a-2021", "xa", XA, scheme="xa")


def test_points(xa):
    assert xa["tong_diem"].to_dict() == {"Xã A": 131, "Xã B": 70, "Xã C": 113, "Xã D": 115, "Xã E": 115}
    assert xa.loc["Xã A", "tru_diem_bao_cao"] == -9
    assert xa.loc["Xã A", "tai_khoan"] == 45


def test_gate_below_ninety(xa):
    assert not xa.loc["Xã B", "du_dieu_kien"] and pd.isna(xa.loc["Xã B", "hang_xet_thuong"])
    assert "tổng 70 điểm < 90" in xa.loc["Xã B", "ghi_chu"]


def test_merit_tiebreak_and_year_end_awards(xa):
    assert xa.loc["Xã D", "hang"] == xa.loc["Xã E", "hang"] == 2
    assert xa.loc[["Xã A", "Xã E", "Xã D"], "hinh_thuc"].tolist() == ["Hạng Nhất", "Hạng Nhì", "Hạng Ba"]
    assert xa.loc[["Xã A", "Xã E", "Xã D"], "tien_thuong"].tolist() == [10_000_000, 7_000_000, 5_000_000]
    assert xa.loc[["Xã A", "Xã E", "Xã D"], "diem_cong"].tolist() == [15, 10, 5]
    assert xa.loc[["Xã A", "Xã E", "Xã D"], "so_ca_nhan"].tolist() == [5, 4, 3]
    assert xa.loc["Xã C", "hinh_thuc"] == ""


def test_year_end_commune_level_is_a_form_the_plan_names(xa):
    # Mục III.1 names one collective form: "Giấy khen của Chủ tịch UBND huyện" (III.1.a adds money and points).
    assert xa.loc[["Xã A", "Xã E", "Xã D"], "cap_khen"].tolist() == ["Giấy khen của Chủ tịch UBND huyện"] * 3


def test_unresolved_merit_tie_is_left_to_the_council():
    rows = [unit("Xã D", "có", 2, 1500, 240, "98%", merit=3), unit("Xã E", "có", 2, 1599, 259, "99%", missing=1,
                                                                    merit=3),
            unit("Xã A", "có", 3, 1732, 260, "99,5%", late=2, missing=1)]
    out = evaluate("chau-thanh-a-2021", "xa", rows, scheme="xa")
    # D and E share rank 2 for Nhì/Ba: flagged, neither gets a tier by itself.
    assert out.loc[["Xã D", "Xã E"], "can_hoi_dong_quyet"].all()
    assert out.loc[["Xã D", "Xã E"], "hinh_thuc"].tolist() == ["", ""]
    assert "Hạng Nhì / Hạng Ba" in out.loc["Xã D", "ghi_chu"]


def test_monthly_award_pools_both_blocs():
    # Phòng ban minimum is 150 dossiers: 10 + 15 + 35 + 30 + 10 = 100.
    office = unit("Phòng Nội vụ", "có", 1, 1500, 150, "98%")
    figures = {"xa": pd.DataFrame(XA), "phong_ban": pd.DataFrame([office])}
    result = award_plan(rubrics.get("chau-thanh-a-2021"), figures, period="..2021-12")  # a month's YTD figures
    assert result.blocs["phong_ban"].set_index("don_vi").loc["Phòng Nội vụ", "tong_diem"] == 100
    monthly = result.schemes["thang"].table.set_index("don_vi")
    assert monthly.index[monthly["hinh_thuc"] != ""].tolist() == ["Xã A"]
    assert monthly.loc["Xã A", "tien_thuong"] == 1_000_000
    # The same figures as the campaign's whole (no "Kỳ"): the year-end schemes run, the monthly one waits
    # for the months (issue 13: a year-end book named a "monthly" winner).
    campaign = award_plan(rubrics.get("chau-thanh-a-2021"), figures)
    assert "thang" not in campaign.schemes and [s.id for s in campaign.waiting] == ["thang"]
    assert "cột 'Kỳ'" in campaign.waiting_note()
    offices = campaign.schemes["phong_ban"]
    assert offices.total_individuals == 15
