"""766 index by hand: group maxima 18/20/12+10/22/18, 80 % targets, classification bands."""

from __future__ import annotations

import pytest

from tests.conftest import evaluate
from thidua_xl import rubrics
from thidua_xl.rubrics.hau_giang_766_2024 import GROUP_MAXIMA, INDICATORS

EIGHTY = {"cung_cap_dvctt", "tthc_thanh_toan", "tthc_tich_hop_thanh_toan"}  # 4 + 2 + 2 = 8 points


def unit(name, rate):
    return {"Đơn vị": name, **{f"ty_le_{i[0]}": rate for i in INDICATORS}}


def test_group_maxima_sum_to_100():
    by_group: dict[str, float] = {}
    for _, _, points, _, group, _, _ in INDICATORS:
        by_group[group] = by_group.get(group, 0) + points
    assert by_group == GROUP_MAXIMA and sum(by_group.values()) == 100
    for bloc in rubrics.get("hau-giang-766-2024").blocs:
        assert bloc.standard_total() == 100


def test_points_and_bands():
    rows = [unit("Sở A", 1.0), unit("Sở B", 0.9), unit("Sở C", 0.7), unit("Sở D", 0.5), unit("Sở E", 0.3),
            unit("Sở G", 0.2)]
    out = evaluate("hau-giang-766-2024", "so_nganh", rows)
    expected = {
        "Sở A": 100,
        "Sở B": 8 + 92 * 0.9,               # 80 %-target indicators full; the rest rate × points = 90,8
        "Sở C": 0.7 / 0.8 * 8 + 92 * 0.7,   # 7 + 64,4 = 71,4
        "Sở D": 0.5 / 0.8 * 8 + 92 * 0.5,   # 5 + 46 = 51
        "Sở E": 0.3 / 0.8 * 8 + 92 * 0.3,   # 3 + 27,6 = 30,6
        "Sở G": 0.2 / 0.8 * 8 + 92 * 0.2,   # 2 + 18,4 = 20,4
    }
    assert out["tong_diem"].to_dict() == pytest.approx(expected)
    assert out["xep_loai"].to_dict() == {"Sở A": "Xuất sắc", "Sở B": "Xuất sắc", "Sở C": "Tốt", "Sở D": "Khá",
                                         "Sở E": "Trung bình", "Sở G": "Yếu"}
    assert out["hang"].to_dict() == {"Sở A": 1, "Sở B": 2, "Sở C": 3, "Sở D": 4, "Sở E": 5, "Sở G": 6}
