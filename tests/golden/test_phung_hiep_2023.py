"""Phụng Hiệp 2023 by hand: default weights 200/24 per xã criterion (DESIGN.md §6), Mục IV.1–2."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import evaluate
from thidua_xl import rubrics
from thidua_xl.awards import allocate
from thidua_xl.ranking import rank
from thidua_xl.scoring import score

W = 200 / 24  # default weight of each of the 24 commune criteria
TARGETS = {8: 0.80, 12: 1.0, 14: 0.50, 17: 1.0, 19: 1.0, 20: 0.98}


def commune(name, level, late_dossiers=0, late_report_days=0, products="có", **overrides):
    """A commune at ``level`` of completion on every line (target lines: level × target); line (18) is yes/no."""
    row = {"Đơn vị": name, "ho_so_tre_han_thang_cao_nhat": late_dossiers,
           "so_ngay_tre_bao_cao_cao_nhat": late_report_days, "co_tc18": products}
    for stt in range(1, 25):
        if stt != 18:
            row[f"ty_le_tc{stt:02d}"] = level * TARGETS.get(stt, 1.0)
    row.update(overrides)
    return row


# Line (18) "có" gives its whole W (all or nothing); the 23 other lines level × W. Totals half-up to 2 decimals.
ROWS = [
    commune("Xã Một", 1.0),                                   # 24 × 200/24 = 200
    commune("Xã Hai", 1.0, ty_le_tc08=0.60),                  # 23 × W + 0,60/0,80 × W = 197,9166… → 197,92
    commune("Xã Ba", 1.0, late_dossiers=2),                   # 200, but ≥ 2 late dossiers/month: not considered
    commune("Xã Bốn", 0.85),                                  # 23 × 0,85 × W + W = 20,55 × W = 171,25 → Khuyến khích
    commune("Xã Năm", 0.80),                                  # 23 × 0,8 × W + W = 19,4 × W = 161,666… → 161,67
    commune("Xã Sáu", 0.75),                                  # 18,25 × W = 152,083… → 152,08: no prize
    commune("Xã Bảy", 1.0, late_report_days=3),               # report 3 days late: not considered
]


@pytest.fixture(scope="module")
def xa():
    return evaluate("phung-hiep-2023", "xa", ROWS, scheme="xa")


def test_points(xa):
    assert xa["tong_diem"].to_dict() == {
        "Xã Một": 200, "Xã Hai": 197.92, "Xã Ba": 200, "Xã Bốn": 171.25, "Xã Năm": 161.67, "Xã Sáu": 152.08,
        "Xã Bảy": 200}


def test_disqualifications(xa):
    assert not xa.loc["Xã Ba", "du_dieu_kien"] and not xa.loc["Xã Bảy", "du_dieu_kien"]
    assert "trễ hẹn" in xa.loc["Xã Ba", "ly_do_khong_xet"]
    assert "trễ 03 ngày" in xa.loc["Xã Bảy", "ly_do_khong_xet"]
    assert xa.loc["Xã Ba", "tong_diem"] == 200  # keeps its score
    assert xa.loc[["Xã Ba", "Xã Bảy"], "hinh_thuc"].tolist() == ["", ""]


def test_tiers_thresholds_and_khuyen_khich_band(xa):
    assert xa.loc["Xã Một", "hinh_thuc"] == "Giải Nhất" and xa.loc["Xã Một", "tien_thuong"] == 10_000_000
    assert xa.loc["Xã Hai", "hinh_thuc"] == "Giải Nhì" and xa.loc["Xã Hai", "diem_cong"] == 7
    # No third commune reaches 180: Giải Ba stays empty; 171,25 and 161,67 are Khuyến khích (160 – < 180).
    assert "Giải Ba" not in set(xa["hinh_thuc"])
    assert xa.loc[["Xã Bốn", "Xã Năm"], "hinh_thuc"].tolist() == ["Giải Khuyến khích"] * 2
    assert xa.loc[["Xã Bốn", "Xã Năm"], "tien_thuong"].tolist() == [2_000_000] * 2
    assert xa.loc["Xã Sáu", "hinh_thuc"] == ""
    assert xa["so_ca_nhan"].to_dict() == {"Xã Một": 10, "Xã Hai": 7, "Xã Bốn": 3, "Xã Năm": 3, "Xã Sáu": 2,
                                          "Xã Ba": 0, "Xã Bảy": 0}


def test_editable_weights_change_points():
    rubric = rubrics.get("phung-hiep-2023")
    weights = {f"tc{i:02d}": 5.0 for i in range(1, 25)}
    weights["tc08"] = 85.0  # 23 × 5 + 85 = 200
    custom = rubric.with_weights("xa", weights)
    out = score(custom, "xa", pd.DataFrame([commune("Xã Hai", 1.0, ty_le_tc08=0.40)])).set_index("don_vi")
    assert out.loc["Xã Hai", "tong_diem"] == 23 * 5 + 0.40 / 0.80 * 85  # 115 + 42,5 = 157,5
    assert custom.fingerprint() != rubric.fingerprint()


def test_department_bloc_thresholds():
    rubric = rubrics.get("phung-hiep-2023")
    targets = {5: 1.0, 7: 0.8, 12: 1.0, 13: 1.0, 14: 0.98}

    def office(name, level):
        row = {"Đơn vị": name, "ho_so_tre_han_thang_cao_nhat": 0, "so_ngay_tre_bao_cao_cao_nhat": 0}
        row.update({f"ty_le_tc{i:02d}": level * targets.get(i, 1.0) for i in range(1, 17)})
        return row

    rows = [office("Phòng A", 0.9), office("Phòng B", 0.8), office("Phòng C", 0.6)]  # 90, 80, 60 points
    ranked = rank(rubric, "phong_ban", score(rubric, "phong_ban", pd.DataFrame(rows)))
    out = allocate(rubric, "phong_ban", ranked).table.set_index("don_vi")
    assert out["tong_diem"].to_dict() == pytest.approx({"Phòng A": 90, "Phòng B": 80, "Phòng C": 60})
    assert out["hinh_thuc"].to_dict() == {"Phòng A": "Giải Nhất", "Phòng B": "Khuyến khích", "Phòng C": ""}
    assert out.loc["Phòng A", "tien_thuong"] == 5_000_000


def test_criterion_18_is_all_or_nothing():
    # (18) "Có từ 02 sản phẩm lên sàn TMĐT … nếu đơn vị nào có sẽ được tròn điểm phần này": có → W, không → 0.
    rows = [commune("Xã Có", 1.0), commune("Xã Không", 1.0, products="không")]
    out = evaluate("phung-hiep-2023", "xa", rows)
    assert out.loc["Xã Có", "tc18"] == pytest.approx(W)
    assert out.loc["Xã Không", "tc18"] == 0
    assert out["tong_diem"].to_dict() == {"Xã Có": 200, "Xã Không": 191.67}  # 23 × W = 191,666…
    # A completion fraction is not a reading of this line: 50 % is refused, never half the points.
    half = score(rubrics.get("phung-hiep-2023"), "xa", pd.DataFrame([commune("Xã Nửa", 1.0, products="50%")]))
    assert half["loi_du_lieu"].iloc[0] and pd.isna(half["tong_diem"].iloc[0])


def test_khuyen_khich_reading_printed_under_the_award_table():
    from openpyxl import Workbook

    from thidua_xl.awards import award_plan
    from thidua_xl.workbook.award_sheet import write_award_sheet

    # Four communes ≥ 180 (200; 23,54 × W = 196,17; 23,08 × W = 192,33; 190): the fourth is outside the top three and takes a Khuyến khích place.
    rows = [commune("Xã Một", 1.0), commune("Xã Hai", 0.98), commune("Xã Ba", 0.96),
            commune("Xã Bốn", 1.0, ty_le_tc01=0.0, ty_le_tc02=0.8)]  # 200 − W − 0,2 × W = 190
    result = award_plan(rubrics.get("phung-hiep-2023"), {"xa": pd.DataFrame(rows)})
    table = result.schemes["xa"].table.set_index("don_vi")
    assert table.loc["Xã Bốn", "hinh_thuc"] == "Giải Khuyến khích"
    wb = Workbook()
    write_award_sheet(wb, result)
    texts = [c.value for row in wb["Danh sách khen thưởng"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Cách hiểu áp dụng: Khuyến khích: từ 160 điểm (đơn vị từ 180 điểm") for t in texts)
