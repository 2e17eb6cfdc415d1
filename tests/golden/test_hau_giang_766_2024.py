"""766 index by hand, from the national portal's formulas (DESIGN.md §8 "766 index — sources").

Points: công khai 6/4/2/6; tiến độ 20; DVCTT 4/4/4 (assumed split of 12); thanh toán 2/2/6; số hóa
6/4/2/2/4/2+2; hài lòng 6/6/6. Full marks from: hồ sơ trực tuyến 50 %, số hóa hồ sơ 80 %, tái sử dụng 80 %,
hài lòng TTHC 90 %, TTHC cung cấp DVCTT 80 %, DVCTT có phát sinh hồ sơ 80 % (Nghị quyết 76/NQ-CP),
thanh toán 80/80/100 %; below T: rate ÷ T × points; the others rate × points.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import evaluate
from thidua_xl import rubrics
from thidua_xl.rubrics.hau_giang_766_2024 import BANDS, GROUP_MAXIMA, INDICATORS
from thidua_xl.scoring import explain, score

PLAN = "hau-giang-766-2024"


def unit(bloc: str, name: str, rate: float, **overrides: object) -> dict:
    """Every figure the bloc asks for typed at ``rate``."""
    row: dict = {"Đơn vị": name}
    row.update({f.id: rate for f in rubrics.get(PLAN).bloc(bloc).figures})
    row.update(overrides)
    return row


# A sở at 60 % everywhere, indicator by indicator (points from the portal's formula sheet):
SO_60 = {
    "cong_bo_dung_han": 0.6 * 6,             # 3,6
    "cong_khai_dung_han": 4,                 # 1.b province only → không áp dụng → full 4
    "cong_khai_day_du": 2,                   # 1.c province only → full 2
    "dong_bo_dvcqg": 0.6 * 6,                # 3,6
    "dung_han": 0.6 * 20,                    # 12
    "cung_cap_dvctt": 0.6 / 0.8 * 4,         # 3
    "dvctt_phat_sinh": 0.6 / 0.8 * 4,        # 3 (NQ 76 target 80 %, not 100 %)
    "ho_so_truc_tuyen": 4,                   # 60 % ≥ 50 % → full
    "tthc_thanh_toan": 0.6 / 0.8 * 2,        # 1,5
    "tthc_tich_hop_thanh_toan": 0.6 / 0.8 * 2,  # 1,5
    "ho_so_thanh_toan": 0.6 * 6,             # 3,6
    "ket_qua_dien_tu": 0.6 * 6,              # 3,6
    "so_hoa_ho_so": 0.6 / 0.8 * 4,           # 3
    "tai_su_dung": 0.6 / 0.8 * 2,            # 1,5
    "chung_thuc_dien_tu": 2,                 # II.4.d: not a sở's service → full 2
    "dong_bo_kho_ho_so": 0.6 * 4,            # 2,4
    "dan_cu_tthc": 0.6 * 2,                  # 1,2
    "dan_cu_ho_so": 0.6 * 2,                 # 1,2
    "pakn_dung_han": 0.6 * 6,                # 3,6
    "hai_long_pakn": 0.6 * 6,                # 3,6
    "hai_long_tthc": 0.6 / 0.9 * 6,          # 4
}
# 3,6 + 4 + 2 + 3,6 + 12 + 3 + 3 + 4 + 1,5 + 1,5 + 3,6 + 3,6 + 3 + 1,5 + 2 + 2,4 + 1,2 + 1,2 + 3,6 + 3,6 + 4 = 67,9


def test_points_per_indicator_from_the_portal():
    out = evaluate(PLAN, "so_nganh", [unit("so_nganh", "Sở A", 0.6)])
    for criterion, points in SO_60.items():
        assert out.loc["Sở A", criterion] == pytest.approx(points), criterion
    assert out.loc["Sở A", "tong_diem"] == pytest.approx(67.9)
    assert out.loc["Sở A", "xep_loai"] == "Khá"


def test_group_maxima_sum_to_100():
    by_group: dict[str, float] = {}
    for ind in INDICATORS:
        by_group[ind.group] = by_group.get(ind.group, 0) + ind.points
    assert by_group == GROUP_MAXIMA and sum(by_group.values()) == 100
    for bloc in rubrics.get(PLAN).blocs:
        assert bloc.standard_total() == 100


def test_chung_thuc_applies_to_xa_and_pakn_not_applicable_scores_full():
    rows = [unit("xa", "Xã A", 0.6),
            unit("xa", "Xã B", 0.6, ty_le_pakn_dung_han="không áp dụng", ty_le_hai_long_pakn="Không áp dụng")]
    out = evaluate(PLAN, "xa", rows)
    # Xã A: as the sở, but chứng thực is a commune's service: 0,6 × 2 = 1,2 instead of 2 → 67,9 − 0,8 = 67,1
    assert out.loc["Xã A", "chung_thuc_dien_tu"] == pytest.approx(1.2)
    assert out.loc["Xã A", "tong_diem"] == pytest.approx(67.1)
    # Xã B had no PAKN: both PAKN indicators full (6 + 6 instead of 3,6 + 3,6) → 67,1 + 4,8 = 71,9 → Tốt
    assert out.loc["Xã B", ["pakn_dung_han", "hai_long_pakn"]].tolist() == [6, 6]
    assert out.loc["Xã B", "tong_diem"] == pytest.approx(71.9)
    assert out.loc["Xã B", "xep_loai"] == "Tốt"
    assert out.loc["Xã B", "loi_du_lieu"] == ""


def test_not_applicable_is_shown_and_never_a_typed_zero():
    rubric = rubrics.get(PLAN)
    rows = pd.DataFrame([unit("so_nganh", "Sở A", 0.6, ty_le_hai_long_pakn="không áp dụng")])
    lines = explain(rubric, "so_nganh", rows).set_index("tieu_chi")["giai_thich"]
    assert "không áp dụng" in lines["Tỷ lệ TTHC được cập nhật, công khai đúng hạn"]
    assert "không áp dụng" in lines["Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính"]
    assert "không áp dụng" in lines["Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị"]
    # An indicator that applies cannot be waved off: "không áp dụng" there is an input error, not 0 or full.
    bad = score(rubric, "so_nganh", pd.DataFrame([unit("so_nganh", "Sở B", 0.6, ty_le_dong_bo_dvcqg="không áp dụng")]))
    assert bad["loi_du_lieu"].iloc[0] and pd.isna(bad["tong_diem"].iloc[0])
    # 1.b, 1.c and chứng thực are not asked of a sở at all.
    asked = set(rubric.bloc("so_nganh").figure_ids)
    assert not {"ty_le_cong_khai_dung_han", "ty_le_cong_khai_day_du", "ty_le_chung_thuc_dien_tu"} & asked


def test_bands_ninety_confirmed_others_marked_assumptions():
    # Published: 83,61 = Tốt, 90,96 = Xuất sắc (Báo Lâm Đồng 07/2024).
    assert BANDS.classify(83.61) == "Tốt" and BANDS.classify(90.96) == "Xuất sắc"
    rubric = rubrics.get(PLAN)
    assert any("70 / 50 / 30" in a for a in rubric.assumptions)
    for bloc in rubric.blocs:
        for c in bloc.criteria:
            assert "theo Cổng DVCQG" in c.note or "giả định" in c.note or "Nghị quyết 76" in c.note, c.id


def test_points_editable_like_phung_hiep():
    rubric = rubrics.get(PLAN)
    # The secretariat moves 2 points from công bố (6 → 4) to đồng bộ (6 → 8); a sở at 0 % and 100 % on them:
    custom = rubric.with_weights("so_nganh", {"cong_bo_dung_han": 4, "dong_bo_dvcqg": 8})
    row = unit("so_nganh", "Sở A", 0.6, ty_le_cong_bo_dung_han=0.0, ty_le_dong_bo_dvcqg=1.0)
    # default: 67,9 − 3,6 − 3,6 + 0 × 6 + 1 × 6 = 66,7; custom: 67,9 − 3,6 − 3,6 + 0 × 4 + 1 × 8 = 68,7
    assert score(rubric, "so_nganh", pd.DataFrame([row]))["tong_diem"].iloc[0] == pytest.approx(66.7)
    assert score(custom, "so_nganh", pd.DataFrame([row]))["tong_diem"].iloc[0] == pytest.approx(68.7)


def test_points_and_thresholds_editable_on_the_weights_sheet():
    """The workbook's 'Trọng số' sheet carries each indicator's points, its full-marks threshold and its source;
    edits there change the score (award sheet path and worksheet functions alike)."""
    from thidua_xl import sheet_functions as sf
    from thidua_xl.workbook.reading import OpenpyxlSource, read_weights
    from thidua_xl.workbook.template import build_template

    rubric = rubrics.get(PLAN)
    wb = build_template(rubric, {b.id: pd.DataFrame() for b in rubric.blocs}, spare_rows=1)
    ws = wb["Trọng số"]
    rows = {(r[0].value, r[3].value): r for r in ws.iter_rows(min_row=3) if r[0].value}
    online = rows[("ho_so_truc_tuyen", "Sở, ban, ngành tỉnh")]
    assert online[1].value == 4 and online[4].value == 0.5          # 4 points, full from 50 % (Cổng DVCQG)
    assert "theo Cổng DVCQG" in online[5].value
    assert "giả định" in rows[("cung_cap_dvctt", "Sở, ban, ngành tỉnh")][5].value  # the 4/4/4 split
    online[4].value = "100%"                                           # the secretariat raises the bar
    edited = read_weights(OpenpyxlSource(wb), rubric)
    row = pd.DataFrame([unit("so_nganh", "Sở A", 0.6)])
    # 67,9 had 4 full points for 60 % online; from 100 %: 0,6 × 4 = 2,4 → 67,9 − 1,6 = 66,3
    assert score(edited, "so_nganh", row)["tong_diem"].iloc[0] == pytest.approx(66.3)
    # The same through THIDUA_SCORE's weights range (id, điểm chuẩn, nội dung, khối, ngưỡng).
    table = [list(row.columns)] + row.values.tolist()
    weights = [[c.id, c.max_points, c.label, "", 1.0 if c.id == "ho_so_truc_tuyen" else None]
               for c in rubric.bloc("so_nganh").criteria]
    assert sf.score_values(PLAN, "so_nganh", table, None, weights) == [[66.3]]


def test_band_cut_offs_editable_on_the_weights_sheet():
    """Only the 90 cut is confirmed; 70 / 50 / 30 sit on the weights sheet (H:I) for the council to change."""
    from thidua_xl import sheet_functions as sf
    from thidua_xl.workbook.reading import OpenpyxlSource, read_weights
    from thidua_xl.workbook.template import build_template

    rubric = rubrics.get(PLAN)
    wb = build_template(rubric, {b.id: pd.DataFrame() for b in rubric.blocs}, spare_rows=1)
    ws = wb["Trọng số"]
    cells = {r[7].value: r[8] for r in ws.iter_rows(min_row=3) if r[3].value == "Sở, ban, ngành tỉnh" and r[7].value}
    assert {k: c.value for k, c in cells.items()} == {"Xuất sắc": 90, "Tốt": 70, "Khá": 50, "Trung bình": 30,
                                                      "Yếu": 0}
    row = pd.DataFrame([unit("so_nganh", "Sở A", 0.6)])            # 67,9: Khá with 70 for Tốt
    assert score(rubric, "so_nganh", row)["xep_loai"].iloc[0] == "Khá"
    cells["Tốt"].value = 65                                         # the council lowers Tốt to 65
    edited = read_weights(OpenpyxlSource(wb), rubric)
    assert score(edited, "so_nganh", row)["xep_loai"].iloc[0] == "Tốt"   # 67,9 ≥ 65
    first = next(i for i, r in enumerate(ws.iter_rows(min_row=1), start=1) if r[3].value == "Sở, ban, ngành tỉnh")
    last = first + len(rubric.bloc("so_nganh").criteria) - 1
    weights = [[c.value for c in r] for r in ws.iter_rows(min_row=first, max_row=last, max_col=9)]
    table = [list(row.columns)] + row.values.tolist()
    assert sf.class_values(PLAN, "so_nganh", table, None, weights) == [["Tốt"]]
