"""Ninh Phước 2023 — "Nâng cao chất lượng giải quyết TTHC, dịch vụ công trực tuyến và dịch vụ bưu chính công ích".

Source: Kế hoạch phát động phong trào thi đua của UBND huyện Ninh Phước
(shared/plans/ninh-phuoc-2023-tthc-buu-chinh.txt), Mục II.2 (nội dung), Mục III
(tiêu chuẩn, hình thức, số lượng khen thưởng).

The plan scores units "theo Bộ chỉ số đánh giá" of the province, which is not
given. As DESIGN.md §6 decides, the criteria are the 766-style indicators the
plan names in Mục III.1 — on-time processing, online dossiers, digitised
results, satisfaction — plus the share of dossiers received or returned
through the public postal service (bưu chính công ích). The weights below are
this project's reading (100 points), not the plan's: they are editable on the
workbook's "Trọng số" sheet, and every score is marked "tạm tính theo trọng số
mặc định" until the secretariat enters its own (``Rubric.provisional``). The
766 indicators keep their full-marks thresholds (hồ sơ trực tuyến 50 %, hài
lòng 90 % — theo Cổng DVCQG, see hau_giang_766_2024).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from thidua_xl.rubric import (
    AwardScheme,
    Bloc,
    Cadence,
    Criterion,
    Figure,
    FromDossiers,
    How,
    Improvement,
    Kind,
    Measure,
    RollUp,
    Rubric,
    Tier,
    rate_item,
)
from thidua_xl.rubrics.hau_giang_766_2024 import INDICATOR, criterion_of, dossier_indicators, figure_of

PLAN_ID = "ninh-phuoc-2023"

# Weights (interpretation): Mục II.2.a names on-time processing first and "không có hồ sơ trễ hẹn".
WEIGHTS_766 = {
    "dung_han": 25,          # II.2.a: thời gian giải quyết (trước hạn và đúng hạn)
    "ho_so_truc_tuyen": 20,  # II.2.b, III.1: tỷ lệ cao trong tiếp nhận, giải quyết hồ sơ nộp trực tuyến
    "ket_qua_dien_tu": 20,   # II.2.a, III.1: số hóa kết quả giải quyết TTHC
    "hai_long_tthc": 20,     # II.2.a, III.1: mức độ hài lòng của người dân, doanh nghiệp
}


_DEFAULT = "Giả định: trọng số mặc định của dự án (Kế hoạch chờ Bộ chỉ số của tỉnh)."

# Mục II.2.a "mức độ hài lòng … tăng so với trước khi phát động": the rate before launch, typed when known.
BASELINE = Figure("ty_le_hai_long_truoc_phat_dong", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC trước khi "
                  "phát động", Kind.RATE, required=False,
                  source="Cổng DVCQG — chỉ số 766 của đơn vị ở kỳ trước khi phát động (để trống nếu chưa có)",
                  rollup=RollUp(How.LAST, note="một giá trị cố định, nhắc lại mỗi tháng"))


def _items() -> list[tuple[Figure, Criterion]]:
    """The four 766 indicators with this plan's weights; satisfaction scored as an improvement."""
    items = []
    for ind_id, weight in WEIGHTS_766.items():
        ind = INDICATOR[ind_id]
        criterion = criterion_of(ind, points=weight, clause_prefix="766 — ")
        criterion = replace(criterion, note=f"{_DEFAULT} {criterion.note}")
        if ind_id == "hai_long_tthc":
            criterion = replace(
                criterion, rule=Improvement(f"ty_le_{ind_id}", BASELINE.id, full_at=ind.full_at or 1.0),
                clause="Mục II.2.a: mức độ hài lòng tăng so với trước khi phát động; 766 — Mục II.5.c",
                note=f"{criterion.note} Giả định: tăng so với tỷ lệ trước phát động → điểm tối đa; không tăng "
                     "(hoặc chưa nhập tỷ lệ trước phát động) → tính theo tỷ lệ như chỉ số 766.")
        items.append((figure_of(ind), criterion))
    return items


def _bloc(id: str, label: str) -> Bloc:
    items = _items()
    items.append(rate_item(
        "buu_chinh_cong_ich", "Tỷ lệ hồ sơ tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích", 15,
        clause="Mục III.1, gạch 2: 'hồ sơ tiếp nhận, trả kết quả qua Bưu chính công ích'",
        source="Hệ thống thông tin giải quyết TTHC / Bưu điện huyện",
        note=f"{_DEFAULT} Tỷ lệ × 15 điểm (không có ngưỡng trong Kế hoạch)."))
    figures = (*(f for f, _ in items), BASELINE)
    postal = FromDossiers("ty_le_buu_chinh_cong_ich", Measure.TY_LE_BUU_CHINH,
                          note="hồ sơ nộp qua bưu chính công ích / hồ sơ tiếp nhận (chiều trả kết quả không có "
                               "trong danh sách hồ sơ)")
    return Bloc(id=id, label=label, unit_label="Đơn vị", max_total=100,
                figures=figures, criteria=tuple(c for _, c in items),
                from_dossiers=(*dossier_indicators(figures), postal))


_PROVINCE = "Bằng khen của Chủ tịch UBND tỉnh"
_DISTRICT = "Giấy khen của Chủ tịch UBND huyện"


# Mục IV "Tuyến trình khen thưởng": dossiers for the province's Bằng khen reach the Văn phòng before 30/11/2023
# (then Phòng Nội vụ 03/12, the province 05/12); dossiers for the district's Giấy khen before 15/12/2023 —
# although the campaign runs to 31/12 (Mục II.3). Reading: the province level is decided on the figures up to
# 30/11/2023, the district level on the figures up to 15/12/2023, and the collective proposed to the province
# is not proposed again at district level (the district places go to the next units, as on a single table).
# With monthly figures, 30/11 is the end of November (January–November); 15/12 takes January–November plus a
# dated row "2023-12-15" (figures of 1–15 December) when the secretariat types one — a whole-month "2023-12"
# row ends after the cut-off and is not counted (thidua_xl.periods.period). On one table without "Kỳ" both
# levels are decided on the figures given, as before.
PROVINCE_CUTOFF = date(2023, 11, 30)  # khớp Kế hoạch: Mục IV, gạch 1 (hồ sơ đề nghị Tỉnh trước 30/11/2023)
DISTRICT_CUTOFF = date(2023, 12, 15)  # khớp Kế hoạch: Mục IV, gạch 2 (hồ sơ đề nghị Huyện trước 15/12/2023)


def _scheme(bloc_id: str, label: str, district_count: int, clause: str) -> AwardScheme:
    return AwardScheme(
        id=bloc_id, label=label, blocs=(bloc_id,), clause=clause, period=Cadence.CUTOFF,
        tiers=(
            Tier("Bằng khen của Chủ tịch UBND tỉnh", 1, individuals=1, level=_PROVINCE, cutoff=PROVINCE_CUTOFF),
            Tier("Giấy khen của Chủ tịch UBND huyện", district_count, individuals=1, level=_DISTRICT,
                 cutoff=DISTRICT_CUTOFF),
        ),
        note="Tập thể có điểm cao nhất được đề nghị cấp tỉnh; các tập thể kế tiếp được khen cấp huyện "
             "(mỗi tập thể kèm 01 cá nhân). Số lượng là mức tối đa ('không quá').",
    )


RUBRIC = Rubric(
    id=PLAN_ID,
    title="Phong trào thi đua “Nâng cao chất lượng giải quyết thủ tục hành chính, dịch vụ công trực tuyến và "
          "dịch vụ bưu chính công ích” trên địa bàn huyện Ninh Phước",
    issuer="Ủy ban nhân dân huyện Ninh Phước",
    year=2023,
    source="ninh-phuoc-2023-tthc-buu-chinh.txt",
    blocs=(_bloc("phong_ban", "Cơ quan, đơn vị trực thuộc UBND huyện"), _bloc("xa", "UBND các xã, thị trấn")),
    awards=(
        _scheme("phong_ban", "Khen thưởng cơ quan, đơn vị trực thuộc UBND huyện", 4,
                "Mục III.2: cấp tỉnh ≤ 01 tập thể cấp huyện + 01 cá nhân; cấp huyện ≤ 04 phòng, ban + 01 cá "
                "nhân/tập thể"),
        _scheme("xa", "Khen thưởng UBND các xã, thị trấn", 7,
                "Mục III.2: cấp tỉnh ≤ 01 xã + 01 cá nhân; cấp huyện ≤ 07 xã + 01 cá nhân/tập thể"),
    ),
    notes=("Cấp tỉnh: 02 tập thể và 02 cá nhân; cấp huyện: 11 tập thể và 11 cá nhân (Mục III.2).",
           "Trọng số 25/20/20/20/15 là mặc định của dự án, không phải của Kế hoạch: điểm là tạm tính cho đến khi "
           "Thường trực Hội đồng nhập trọng số của mình ở sheet 'Trọng số'."),
    editable_weights=True,
    weights_note="Trọng số mặc định 25/20/20/20/15 do dự án đề xuất (Kế hoạch chờ Bộ chỉ số của tỉnh): điểm "
                 "là TẠM TÍNH cho đến khi Thường trực Hội đồng sửa cột 'Điểm chuẩn' theo trọng số được duyệt.",
    provisional="tạm tính theo trọng số mặc định",
    assumptions=(
        "Trọng số 25 / 20 / 20 / 20 / 15 (đúng hạn / trực tuyến / kết quả điện tử / hài lòng / bưu chính) — giả "
        "định của dự án, sửa ở sheet 'Trọng số'",
        "Bưu chính công ích: tỷ lệ × 15 điểm, không có ngưỡng — giả định",
        "Hài lòng 'tăng so với trước khi phát động': tăng → điểm tối đa; không tăng → tính theo tỷ lệ — giả định",
        "Ngưỡng 766: hồ sơ trực tuyến 50 %, hài lòng 90 % — theo Cổng DVCQG",
    ),
)
