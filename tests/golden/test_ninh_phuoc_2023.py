"""Ninh Phước 2023 by hand: 25/20/20/20/15 weights (module's reading), Mục III.2 quotas and levels."""

from __future__ import annotations

import pytest

from tests.conftest import evaluate


def unit(name, on_time, online, digital, satisfied, postal):
    return {"Đơn vị": name, "ty_le_dung_han": on_time, "ty_le_ho_so_truc_tuyen": online,
            "ty_le_ket_qua_dien_tu": digital, "ty_le_hai_long_tthc": satisfied, "ty_le_buu_chinh_cong_ich": postal}


def test_commune_awards_with_tie_at_the_province_boundary():
    rows = [
        unit("Xã A", 1.0, 0.8, 0.9, 1.0, 0.4),    # 25 + 16 + 18 + 20 + 6 = 85
        unit("Xã B", 1.0, 0.8, 0.9, 1.0, 0.4),    # 85 — tied with A for the one Bằng khen
        unit("Xã C", 0.9, 0.6, 0.8, 0.95, 0.2),   # 22,5 + 12 + 16 + 19 + 3 = 72,5
        unit("Xã D", 0.8, 0.5, 0.5, 0.9, 0.1),    # 20 + 10 + 10 + 18 + 1,5 = 59,5
        *[unit(f"Xã E{i}", 0.5, 0.5, 0.5, 0.5, 0.5) for i in range(6)],  # 50 each
    ]
    out = evaluate("ninh-phuoc-2023", "xa", rows, scheme="xa")
    assert out.loc[["Xã A", "Xã C", "Xã D", "Xã E0"], "tong_diem"].tolist() == pytest.approx([85, 72.5, 59.5, 50])
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
