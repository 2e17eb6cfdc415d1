"""Hậu Giang 2023 — "Người dân Hậu Giang nộp dịch vụ công trực tuyến".

Source: Kế hoạch /KH-UBND tỉnh Hậu Giang 2023 (shared/plans/hau-giang-2023-nop-dvctt.txt).
Read next to the plan: Mục III.2.a (cấp huyện), III.2.b (cấp xã), IV (khen thưởng).
Readings of ambiguous lines follow DESIGN.md §6 and are written next to each rule.
"""

from __future__ import annotations

from thidua_xl.rubric import (
    AwardScheme,
    Below,
    Blend,
    Bloc,
    Criterion,
    Figure,
    FromDossiers,
    How,
    Kind,
    Measure,
    RateScore,
    Ratio,
    RollUp,
    Rubric,
    TieBreak,
    Tier,
)

PLAN_ID = "hau-giang-2023"

# Hậu Giang's eight district-level units (đơn vị cấp huyện) and, Mục IV.2.c, the
# number of individuals each may propose: 2 each, Phụng Hiệp 3, Ngã Bảy 1 (16 in all).
DISTRICT_INDIVIDUALS: tuple[tuple[str, int], ...] = (
    ("Thành phố Vị Thanh", 2),
    ("Thành phố Ngã Bảy", 1),
    ("Thị xã Long Mỹ", 2),
    ("Huyện Châu Thành A", 2),
    ("Huyện Châu Thành", 2),
    ("Huyện Phụng Hiệp", 3),
    ("Huyện Vị Thủy", 2),
    ("Huyện Long Mỹ", 2),
)

_SOURCE_DOSSIERS = "Cổng dịch vụ công trực tuyến của tỉnh (hồ sơ toàn trình và một phần)"
_SOURCE_EID = "Số liệu Công an tỉnh cung cấp (thống kê trong năm 2023)"


def _dossier_figures() -> tuple[Figure, ...]:
    return (
        Figure("ho_so_truc_tuyen", "Tổng số hồ sơ TTHC nộp trực tuyến", Kind.COUNT, source=_SOURCE_DOSSIERS,
               noun="hồ sơ trực tuyến"),
        Figure("ho_so_phat_sinh", "Tổng số hồ sơ phát sinh (trực tiếp, trực tuyến)", Kind.COUNT,
               source=_SOURCE_DOSSIERS),
        Figure("tai_khoan_dinh_danh", "Tổng số tài khoản định danh điện tử được cấp (đã kích hoạt)", Kind.COUNT,
               source=_SOURCE_EID, noun="tài khoản định danh điện tử"),
        # A stock, not a flow: over several months the latest count (the e-ID rate's denominator); the accounts
        # issued are summed like the dossiers.
        Figure("nguoi_co_cccd", "Tổng số người dân có căn cước công dân", Kind.COUNT, source=_SOURCE_EID,
               rollup=RollUp(How.LAST, note="số người có CCCD ở tháng cuối của kỳ (số tồn, không cộng dồn)")),
    )


# Columns the dossier export fills (thidua-xl ingest); e-ID figures come from the police, not the portal.
_FROM_DOSSIERS = (
    FromDossiers("ho_so_truc_tuyen", Measure.HO_SO_TRUC_TUYEN_DVCTT_CONG_BO,
                 note="'Hồ sơ xử lý trực tuyến (toàn trình và một phần)': hình thức nộp trực tuyến toàn trình "
                      "hoặc một phần, theo ngày tiếp nhận, của các thủ tục trong danh mục DVCTT đã công bố"),
    FromDossiers("ho_so_phat_sinh", Measure.HO_SO_DVCTT_CONG_BO,
                 note="Mục III.2.a/b: 'b = Tổng số hồ sơ phát sinh (trực tiếp, trực tuyến) của các DVCTT đã công "
                      "bố': hồ sơ tiếp nhận trong kỳ (gồm bưu chính công ích) của các thủ tục trong danh mục "
                      "(--danh-muc); không có danh mục thì mọi hồ sơ — mẫu số lớn hơn, tỷ lệ là cận dưới"),
)

_EID_RATE = Ratio("ty_le_dinh_danh", "Tỷ lệ tài khoản định danh điện tử mức độ 2", "tai_khoan_dinh_danh",
                  "nguoi_co_cccd")

XA = Bloc(
    id="xa",
    label="Cấp xã",
    unit_label="Xã, phường, thị trấn",
    group=Figure("huyen", "Huyện, thị xã, thành phố", Kind.TEXT,
                 choices=tuple(name for name, _ in DISTRICT_INDIVIDUALS)),
    max_total=100,
    figures=(
        *_dossier_figures(),
        Figure("so_tai_khoan_nop", "Số tài khoản khác nhau đã nộp hồ sơ trực tuyến", Kind.COUNT, required=False,
               source="Cổng dịch vụ công (tài khoản nộp hồ sơ) — chỉ dùng khi bằng điểm",
               noun="tài khoản nộp hồ sơ",
               # Distinct accounts do not add up over months (one account may submit in several): the sum is an
               # upper bound, said with it; `thidua-xl ingest` over the whole period counts them exactly.
               rollup=RollUp(How.SUM, note="cộng các tháng — một tài khoản nộp ở nhiều tháng được đếm nhiều lần; "
                                           "số chính xác của cả kỳ lấy từ thidua-xl ingest")),
    ),
    derived=(
        Ratio("ty_le_truc_tuyen", "Tỷ lệ hồ sơ trực tuyến", "ho_so_truc_tuyen", "ho_so_phat_sinh"),
        _EID_RATE,
        Ratio("ty_le_tai_khoan_nop", "Số tài khoản nộp trên số hồ sơ trực tuyến", "so_tai_khoan_nop",
              "ho_so_truc_tuyen", required=False),
    ),
    criteria=(
        Criterion(
            "xa_dvctt", "Tỷ lệ hồ sơ xử lý trực tuyến (toàn trình và một phần) trên tổng số hồ sơ phát sinh", 60,
            RateScore("ty_le_truc_tuyen", full_at=1.0),
            clause="Mục III.2.b, dòng 1: tỷ lệ 100 % → điểm tối đa; < 100 % → tỷ lệ × điểm tối đa"),
        Criterion(
            "xa_dinh_danh", "Cấp tài khoản định danh điện tử mức độ 2 của người dân", 40,
            RateScore("ty_le_dinh_danh", full_at=0.9),
            clause="Mục III.2.b, dòng 2: tỷ lệ ≥ 90 % → điểm tối đa; < 90 % → tỷ lệ × điểm tối đa",
            note="'Tỷ lệ * 40 >= 90%' đọc là 'tỷ lệ ≥ 90 %' (DESIGN.md §6)."),
    ),
    eligibility=(
        Below("ty_le_truc_tuyen", 0.70, "Không xét điểm thi đua",
              clause="Mục III.2.b, dòng 1: 'Tỷ lệ < 70 %: không xét điểm thi đua'"),
    ),
    from_dossiers=(
        *_FROM_DOSSIERS,
        FromDossiers("so_tai_khoan_nop", Measure.TAI_KHOAN_NOP,
                     note="Số tài khoản khác nhau đã nộp hồ sơ trực tuyến của xã trong kỳ (hồ sơ không ghi tài "
                          "khoản không tính); cơ sở của tiêu chí phụ 'hồ sơ trên một vài tài khoản'"),
    ),
    tiebreaks=(
        TieBreak("ty_le_tai_khoan_nop", higher_is_better=True,
                 label="hồ sơ trực tuyến phát sinh trên nhiều tài khoản hơn (ít nộp thay qua vài tài khoản)",
                 clause="Mục III.2.b, cơ sở chấm điểm: đơn vị bằng điểm mà hồ sơ phát sinh trên một vài tài "
                        "khoản (lặp đi lặp lại) thì xếp sau"),
    ),
)

HUYEN = Bloc(
    id="huyen",
    label="Cấp huyện",
    unit_label="Huyện, thị xã, thành phố",
    max_total=100,
    units=tuple(name for name, _ in DISTRICT_INDIVIDUALS),
    figures=(
        *_dossier_figures(),
        Figure("ty_le_truc_tuyen_xa_binh_quan", "Tỷ lệ hồ sơ trực tuyến bình quân các xã", Kind.RATE,
               required=False, source="Tự tính từ khối cấp xã nếu để trống"),
    ),
    derived=(
        Ratio("ty_le_truc_tuyen_tai_huyen", "Tỷ lệ hồ sơ trực tuyến tại huyện", "ho_so_truc_tuyen",
              "ho_so_phat_sinh"),
        Blend("ty_le_dvctt_huyen", "Tỷ lệ DVCTT của huyện (tại huyện + bình quân các xã) / 2",
              own="ty_le_truc_tuyen_tai_huyen", subunit_mean="ty_le_truc_tuyen_xa_binh_quan",
              subunit_bloc="xa", subunit_figure="ty_le_truc_tuyen"),
        _EID_RATE,
    ),
    # The district's own one-stop dossiers, and the mean of its communes' online rates (the roll-up).
    from_dossiers=(
        *_FROM_DOSSIERS,
        FromDossiers("ty_le_truc_tuyen_xa_binh_quan", Measure.TY_LE_TRUC_TUYEN_DVCTT_CONG_BO, of_subunits="xa",
                     note="'số liệu các xã (số bình quân các xã)': trung bình cộng tỷ lệ hồ sơ trực tuyến của "
                          "các xã thuộc huyện; một xã không tính được tỷ lệ thì để trống (như khi chấm)"),
    ),
    criteria=(
        Criterion(
            "huyen_dvctt", "Tỷ lệ hồ sơ xử lý trực tuyến (toàn trình và một phần) trên tổng số hồ sơ phát sinh", 60,
            RateScore("ty_le_dvctt_huyen", full_at=0.9),
            clause="Mục III.2.a, dòng 1: tỷ lệ ≥ 90 % → điểm tối đa; < 90 % → tỷ lệ × điểm tối đa",
            note="'Tỷ lệ * 60 >= 90%' đọc là 'tỷ lệ ≥ 90 %'. Tỷ lệ của huyện = (số liệu tại huyện + bình quân "
                 "tỷ lệ các xã) / 2, theo 'Điểm DVCTT của huyện' (DESIGN.md §6)."),
        Criterion(
            "huyen_dinh_danh", "Cấp tài khoản định danh điện tử mức độ 2 của người dân", 40,
            RateScore("ty_le_dinh_danh", full_at=0.8),
            clause="Mục III.2.a, dòng 2: tỷ lệ ≥ 80 % → điểm tối đa; < 80 % → tỷ lệ × điểm tối đa",
            note="'Tỷ lệ * 40 >= 80%' đọc là 'tỷ lệ ≥ 80 %'."),
    ),
)

_PROVINCE = "Bằng khen của Chủ tịch UBND tỉnh Hậu Giang"

RUBRIC = Rubric(
    id=PLAN_ID,
    title="Phong trào thi đua “Người dân Hậu Giang nộp dịch vụ công trực tuyến” năm 2023",
    issuer="Ủy ban nhân dân tỉnh Hậu Giang",
    year=2023,
    source="hau-giang-2023-nop-dvctt.txt",
    blocs=(HUYEN, XA),
    awards=(
        AwardScheme(
            id="huyen", label="Khen thưởng cấp huyện", blocs=("huyen",),
            clause="Mục IV.1 và IV.2.a; điểm cộng thi đua KT-XH: Mục IV.4",
            tiers=(
                Tier("Hạng Nhất", 1, prize=20_000_000, bonus_points=3, level=_PROVINCE),
                Tier("Hạng Nhì", 1, prize=15_000_000, bonus_points=2, level=_PROVINCE),
                Tier("Hạng Ba", 1, prize=10_000_000, bonus_points=1, level=_PROVINCE),
            ),
            individuals_total=16,
            individual_quotas=DISTRICT_INDIVIDUALS,
            note="16 cá nhân xét chọn theo chỉ tiêu từng huyện (Mục IV.2.c), không gắn với thứ hạng.",
        ),
        AwardScheme(
            id="xa", label="Khen thưởng cấp xã", blocs=("xa",),
            clause="Mục IV.2.b (07 tập thể); Lưu ý Mục III: mỗi huyện không quá 02 xã",
            tiers=(Tier("Bằng khen tập thể tiêu biểu", 7, level=_PROVINCE),),
            per_group_cap=2,
        ),
    ),
    assumptions=(
        "'Tỷ lệ * 60 >= 90%' đọc là 'tỷ lệ ≥ 90 %' (tương tự 80 %, 90 % cho định danh) — cách đọc",
        "Tỷ lệ hồ sơ trực tuyến nhập từ tệp hồ sơ: không có danh mục DVCTT đã công bố (--danh-muc) thì mẫu số là "
        "mọi hồ sơ, tỷ lệ là cận dưới",
    ),
    notes=(
        "Xếp hạng cấp huyện Nhất, Nhì, Ba từ điểm cao đến thấp; cấp xã khen theo thứ hạng (Mục IV.1).",
        "Xã có tỷ lệ hồ sơ trực tuyến dưới 70 % không được xét; mỗi huyện không quá 2 xã được khen.",
    ),
)
