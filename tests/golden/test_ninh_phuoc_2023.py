"""Ninh Phước 2023 by hand: 25/20/20/20/15 default weights (the module's reading, editable, provisional), the
766 thresholds the plan's indicators keep (hồ sơ trực tuyến full from 50 %, hài lòng from 90 % — Cổng DVCQG),
Mục II.2.a "hài lòng tăng so với trước khi phát động", Mục III.2 quotas and levels."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from tests.conftest import evaluate
from thidua_xl import rubrics
from thidua_xl.awards import award_plan
from thidua_xl.scoring import explain, score
from thidua_xl.workbook.award_sheet import write_award_sheet


def unit(name, on_time, online, digital, satisfied, postal, before=None):
    row = {"Đơn vị": name, "ty_le_dung_han": on_time, "ty_le_ho_so_truc_tuyen": online,
           "ty_le_ket_qua_dien_tu": digital, "ty_le_hai_long_tthc": satisfied, "ty_le_buu_chinh_cong_ich": postal}
    if before is not None:
        row["ty_le_hai_long_truoc_phat_dong"] = before
    return row


def test_commune_awards_with_tie_at_the_province_boundary():
    rows = [
        unit("Xã A", 1.0, 0.8, 0.9, 1.0, 0.4),    # 25 + 20 (80 % ≥ 50 %) + 0,9 × 20 + 20 + 0,4 × 15 = 89
        unit("Xã B", 1.0, 0.8, 0.9, 1.0, 0.4),    # 89 — tied with A for the one Bằng khen
        unit("Xã C", 0.9, 0.6, 0.8, 0.95, 0.2),   # 22,5 + 20 + 16 + 20 (95 % ≥ 90 %) + 3 = 81,5
        unit("Xã D", 0.8, 0.5, 0.5, 0.9, 0.1),    # 20 + 20 + 10 + 20 + 1,5 = 71,5
        # 12,5 + 20 + 10 + 0,5 ÷ 0,9 × 20 (= 11,111…) + 7,5 = 61,111… → 61,11 each
        *[unit(f"Xã E{i}", 0.5, 0.5, 0.5, 0.5, 0.5) for i in range(6)],
    ]
    out = evaluate("ninh-phuoc-2023", "xa", rows, scheme="xa")
    assert out.loc[["Xã A", "Xã C", "Xã D", "Xã E0"], "tong_diem"].tolist() == [89, 81.5, 71.5, 61.11]
    # A and B straddle the boundary between the single provincial Bằng khen and the district Giấy khen.
    assert out.loc[["Xã A", "Xã B"], "can_hoi_dong_quyet"].all()
    assert "Bằng khen của Chủ tịch UBND tỉnh / Giấy khen của Chủ tịch UBND huyện" in out.loc["Xã A", "ghi_chu"]
    giay_khen = out.index[out["hinh_thuc"] == "Giấy khen của Chủ tịch UBND huyện"].tolist()
    # 8 places (1 + 7); A and B use two; C, D and four of the six tied E units would need 6 places for 8 units:
    assert giay_khen[:2] == ["Xã C", "Xã D"]
    assert out.loc[[f"Xã E{i}" for i in range(6)], "can_hoi_dong_quyet"].all()
    assert (out.loc[giay_khen, "so_ca_nhan"] == 1).all()


def test_department_quota_is_four_plus_one():
    rows = [unit(f"Phòng {i}", 1.0 - i / 20, 0.8, 0.8, 0.8, 0.5) for i in range(8)]
    out = evaluate("ninh-phuoc-2023", "phong_ban", rows, scheme="phong_ban")
    assert out.loc["Phòng 0", "cap_khen"] == "Bằng khen của Chủ tịch UBND tỉnh"
    assert (out["cap_khen"] == "Giấy khen của Chủ tịch UBND huyện").sum() == 4
    assert out.loc[["Phòng 5", "Phòng 6", "Phòng 7"], "hinh_thuc"].tolist() == ["", "", ""]


def test_satisfaction_scored_against_the_rate_before_launch():
    rows = [
        unit("Xã Tăng", 1.0, 0.5, 1.0, 0.85, 1.0, before=0.80),     # 85 % > 80 % before → full 20 → 100
        unit("Xã Giữ", 1.0, 0.5, 1.0, 0.85, 1.0, before="85%"),     # not above → 0,85 ÷ 0,9 × 20 = 18,888… → 98,89
        unit("Xã Chưa", 1.0, 0.5, 1.0, 0.85, 1.0),                  # no baseline typed → 18,89 → 98,89
    ]
    out = evaluate("ninh-phuoc-2023", "xa", rows)
    assert out["hai_long_tthc"].to_dict() == pytest.approx({"Xã Tăng": 20, "Xã Giữ": 0.85 / 0.9 * 20,
                                                            "Xã Chưa": 0.85 / 0.9 * 20})
    assert out["tong_diem"].to_dict() == {"Xã Tăng": 100, "Xã Giữ": 98.89, "Xã Chưa": 98.89}


def test_weights_editable_and_every_score_marked_provisional():
    rubric = rubrics.get("ninh-phuoc-2023")
    assert rubric.editable_weights and rubric.provisional == "tạm tính theo trọng số mặc định"
    rows = pd.DataFrame([unit("Xã A", 1.0, 0.8, 0.9, 1.0, 0.4)])
    total_line = explain(rubric, "xa", rows)["giai_thich"].iloc[-1]
    assert "tạm tính theo trọng số mặc định" in total_line
    # The council's own weights 30/20/20/20/10: 30 + 20 + 18 + 20 + 0,4 × 10 = 92, no longer provisional.
    own = rubric.with_weights("xa", {"dung_han": 30, "buu_chinh_cong_ich": 10})
    assert score(own, "xa", rows)["tong_diem"].iloc[0] == 92
    assert own.provisional == ""
    assert "tạm tính" not in explain(own, "xa", rows)["giai_thich"].iloc[-1]
    # The award sheet says it too.
    wb = Workbook()
    write_award_sheet(wb, award_plan(rubric, {"xa": rows}))
    texts = [c.value for row in wb["Danh sách khen thưởng"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("tạm tính theo trọng số mặc định" in t for t in texts)
