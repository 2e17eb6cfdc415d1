"""Ninh Phước 2023 — "Nâng cao chất lượng giải quyết TTHC, dịch vụ công trực tuyến và dịch vụ bưu chính công ích".

Source: Kế hoạch phát động phong trào thi đua của UBND huyện Ninh Phước
(shared/plans/ninh-phuoc-2023-tthc-buu-chinh.txt), Mục II.2 (nội dung), Mục III
(tiêu chuẩn, hình thức, số lượng khen thưởng).

The plan scores units "theo Bộ chỉ số đánh giá" of the province, which is not
given. As DESIGN.md §6 decides, the criteria are the 766-style indicators the
plan names in Mục III.1 — on-time processing, online dossiers, digitised
results, satisfaction — plus the share of dossiers received or returned
through the public postal service (bưu chính công ích). The weights below are
this project's reading (100 points), to be replaced when the province's index
is issued.
"""

from __future__ import annotations

from thidua_xl.rubric import AwardScheme, Bloc, FromDossiers, Measure, Rubric, Tier, rate_item
from thidua_xl.rubrics.hau_giang_766_2024 import dossier_indicators, indicator_items

PLAN_ID = "ninh-phuoc-2023"

# Weights (interpretation): Mục II.2.a names on-time processing first and "không có hồ sơ trễ hẹn".
WEIGHTS_766 = {
    "dung_han": 25,          # II.2.a: thời gian giải quyết (trước hạn và đúng hạn)
    "ho_so_truc_tuyen": 20,  # II.2.b, III.1: tỷ lệ cao trong tiếp nhận, giải quyết hồ sơ nộp trực tuyến
    "ket_qua_dien_tu": 20,   # II.2.a, III.1: số hóa kết quả giải quyết TTHC
    "hai_long_tthc": 20,     # II.2.a, III.1: mức độ hài lòng của người dân, doanh nghiệp
}


def _bloc(id: str, label: str) -> Bloc:
    items = indicator_items(WEIGHTS_766, clause_prefix="766 — ")
    items.append(rate_item(
        "buu_chinh_cong_ich", "Tỷ lệ hồ sơ tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích", 15,
        clause="Mục III.1, gạch 2: 'hồ sơ tiếp nhận, trả kết quả qua Bưu chính công ích'",
        source="Hệ thống thông tin giải quyết TTHC / Bưu điện huyện",
        note="Tỷ lệ × 15 điểm (không có ngưỡng trong Kế hoạch)."))
    figures = tuple(f for f, _ in items)
    postal = FromDossiers("ty_le_buu_chinh_cong_ich", Measure.TY_LE_BUU_CHINH,
                          note="hồ sơ nộp qua bưu chính công ích / hồ sơ tiếp nhận (chiều trả kết quả không có "
                               "trong danh sách hồ sơ)")
    return Bloc(id=id, label=label, unit_label="Đơn vị", max_total=100,
                figures=figures, criteria=tuple(c for _, c in items),
                from_dossiers=(*dossier_indicators(figures), postal))


_PROVINCE = "Bằng khen của Chủ tịch UBND tỉnh"
_DISTRICT = "Giấy khen của Chủ tịch UBND huyện"


def _scheme(bloc_id: str, label: str, district_count: int, clause: str) -> AwardScheme:
    return AwardScheme(
        id=bloc_id, label=label, blocs=(bloc_id,), clause=clause,
        tiers=(
            Tier("Bằng khen của Chủ tịch UBND tỉnh", 1, individuals=1, level=_PROVINCE),
            Tier("Giấy khen của Chủ tịch UBND huyện", district_count, individuals=1, level=_DISTRICT),
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
    notes=("Cấp tỉnh: 02 tập thể và 02 cá nhân; cấp huyện: 11 tập thể và 11 cá nhân (Mục III.2).",),
)
