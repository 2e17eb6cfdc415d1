"""Châu Thành A 2021 — tạo tài khoản và nộp hồ sơ DVCTT mức độ 3, 4.

Source: Kế hoạch /KH-UBND huyện Châu Thành A 2021
(shared/plans/chau-thanh-a-2021-dvc-muc-do-3-4.txt), "Cách tính điểm thi đua"
(I. Phòng, ban, ngành huyện; II. Các xã, thị trấn), "Lưu ý", Mục III Khen thưởng.
The two blocs have the same five lines; only the dossier minimum differs
(150 for phòng ban, 200 for xã), so one function builds both.
"""

from __future__ import annotations

from thidua_xl.rubric import (
    AwardScheme,
    Basis,
    Bloc,
    Cadence,
    Criterion,
    Deductions,
    Event,
    Figure,
    FromDossiers,
    How,
    Kind,
    Measure,
    MinTotal,
    RollUp,
    Rubric,
    StepBonus,
    TieBreak,
    Tier,
    YesNo,
)

PLAN_ID = "chau-thanh-a-2021"

_REPORTS = "Phòng Nội vụ và Văn phòng HĐND và UBND huyện (báo cáo trước ngày 25 hàng tháng)"
_PORTAL = "Cổng dịch vụ công trực tuyến tỉnh"

FIGURES: tuple[Figure, ...] = (
    Figure("co_ke_hoach", "Có Kế hoạch thực hiện dịch vụ công trực tuyến", Kind.YES_NO),
    # Registered procedures are a status (how many are registered at the end of the period), not a flow: over
    # several months the last month's count; accounts, dossiers and report faults are summed (kind default).
    Figure("so_thu_tuc_dang_ky", "Số thủ tục đăng ký giải quyết mức độ 3, 4", Kind.COUNT, source=_PORTAL,
           noun="thủ tục đăng ký", rollup=RollUp(How.LAST, note="số thủ tục đã đăng ký ở tháng cuối của kỳ")),
    Figure("so_tai_khoan", "Số tài khoản DVCTT tạo được", Kind.COUNT, source=_PORTAL, noun="tài khoản"),
    Figure("so_ho_so_truc_tuyen", "Số hồ sơ DVCTT mức độ 3, 4 tiếp nhận", Kind.COUNT, source=_PORTAL,
           noun="hồ sơ trực tuyến"),
    Figure("ty_le_giai_quyet", "Tỷ lệ giải quyết hồ sơ DVCTT", Kind.RATE, source=_PORTAL),
    Figure("bao_cao_tre_1_3_ngay", "Số lần báo cáo trễ từ 01 đến 03 ngày", Kind.COUNT, source=_REPORTS,
           noun="báo cáo trễ 01–03 ngày"),
    Figure("bao_cao_tre_qua_3_ngay", "Số lần báo cáo trễ quá 03 ngày hoặc không báo cáo", Kind.COUNT,
           source=_REPORTS, noun="báo cáo trễ quá 03 ngày (hoặc không báo cáo)"),
    Figure("bao_cao_khong_trung_thuc", "Số lần báo cáo không trung thực", Kind.COUNT, source=_REPORTS,
           noun="báo cáo không trung thực"),
    Figure("thanh_tich_noi_bat", "Điểm thành tích nổi bật (tỉnh, huyện công nhận)", Kind.NUMBER,
           required=False, source="Thường trực Hội đồng TĐKT chấm — chỉ dùng khi bằng điểm"),
)


# Columns the dossier export fills (thidua-xl ingest); accounts created, registered procedures and reports
# are not in a dossier list and stay typed.
FROM_DOSSIERS = (
    FromDossiers("so_ho_so_truc_tuyen", Measure.HO_SO_TRUC_TUYEN,
                 note="'Hồ sơ DVCTT mức độ 3, 4': hồ sơ nộp trực tuyến toàn trình (mức 4) hoặc một phần (mức 3)"),
    FromDossiers("ty_le_giai_quyet", Measure.TY_LE_GIAI_QUYET_TRUC_TUYEN,
                 note="Cách đọc: 'giải quyết hồ sơ DVCTT đạt 98 %' = hồ sơ trực tuyến có kết quả trước hạn hoặc "
                      "đúng hạn / hồ sơ trực tuyến đã có kết quả trong kỳ"),
)


def _bloc(id: str, label: str, dossier_minimum: int, part: str) -> Bloc:
    return Bloc(
        id=id,
        label=label,
        unit_label="Đơn vị",
        max_total=100,
        figures=FIGURES,
        from_dossiers=FROM_DOSSIERS,
        criteria=(
            Criterion("ke_hoach", "Xây dựng Kế hoạch thực hiện dịch vụ công trực tuyến", 10,
                      YesNo("co_ke_hoach"),
                      clause=f"Cách tính điểm, {part}, dòng 1: không xây dựng Kế hoạch không tính điểm"),
            Criterion("thu_tuc", "Rà soát, đăng ký TTHC giải quyết mức độ 3, 4", 15,
                      StepBonus("so_thu_tuc_dang_ky", minimum=1, step=1, per_step=5, below=-5, unit=" thủ tục"),
                      clause=f"Cách tính điểm, {part}, dòng 2: đạt 1 thủ tục; không đăng ký trừ 5 điểm; "
                             "cứ tăng 1 thủ tục cộng 5 điểm, không giới hạn"),
            Criterion("tai_khoan", "Tuyên truyền, vận động tạo tài khoản DVCTT", 35,
                      StepBonus("so_tai_khoan", minimum=1500, step=100, per_step=5, unit=" tài khoản"),
                      clause=f"Cách tính điểm, {part}, dòng 3: đạt 1.500 tài khoản; dưới 1.500 không tính "
                             "điểm; cứ tăng 100 tài khoản cộng 5 điểm, không giới hạn"),
            Criterion("ho_so", "Tiếp nhận hồ sơ DVCTT mức độ 3, 4", 30,
                      StepBonus("so_ho_so_truc_tuyen", minimum=dossier_minimum, step=20, per_step=5,
                                unit=" hồ sơ"),
                      clause=f"Cách tính điểm, {part}, dòng 4: đạt {dossier_minimum} hồ sơ; dưới "
                             f"{dossier_minimum} không tính điểm; cứ tăng 20 hồ sơ cộng 5 điểm, không giới hạn"),
            Criterion("giai_quyet", "Giải quyết hồ sơ DVCTT", 10,
                      StepBonus("ty_le_giai_quyet", minimum=0.98, step=0.01, per_step=5, is_rate=True),
                      clause=f"Cách tính điểm, {part}, dòng 5: đạt 98 %; dưới 98 % không tính điểm; cứ "
                             "tăng 1 % cộng 5 điểm",
                      note="'Cứ tăng 1 %' tính theo điểm phần trăm nguyên: 99,5 % → +5; 100 % → +10 "
                           "(DESIGN.md §6)."),
            Criterion("tru_diem_bao_cao", "Trừ điểm chế độ báo cáo", 0,
                      Deductions((
                          Event("bao_cao_tre_1_3_ngay", -2, "báo cáo trễ 01–03 ngày"),
                          Event("bao_cao_tre_qua_3_ngay", -5, "báo cáo trễ quá 03 ngày hoặc không báo cáo"),
                          Event("bao_cao_khong_trung_thuc", -2, "báo cáo không trung thực"),
                      )),
                      clause="Lưu ý, gạch đầu dòng 1: trễ 01–03 ngày trừ 2 điểm/lần; quá 03 ngày hoặc không "
                             "báo cáo trừ 5 điểm/lần; không trung thực trừ 2 điểm/lần"),
        ),
        eligibility=(
            MinTotal(90, "Chưa đạt 90 điểm, không được tính thi đua",
                     clause="Lưu ý, gạch đầu dòng 3: phải đạt từ 90 điểm trở lên mới được tính thi đua"),
        ),
        tiebreaks=(
            TieBreak("thanh_tich_noi_bat", higher_is_better=True,
                     label="khâu tổ chức thực hiện, kết quả nổi bật được tỉnh, huyện công nhận",
                     clause="Lưu ý, gạch đầu dòng 2: bằng điểm xét khâu tổ chức thực hiện và kết quả nổi bật"),
        ),
    )


PHONG_BAN = _bloc("phong_ban", "Phòng, ban, ngành huyện", 150, "I")
XA = _bloc("xa", "Xã, thị trấn", 200, "II")

# Mục III names one form for every collective award: "Giấy khen của Chủ tịch UBND huyện" (monthly, and
# the year-end ranks, whose prize and KT-XH points come with it; III.1.a gives no other form).
_DISTRICT = "Giấy khen của Chủ tịch UBND huyện"

RUBRIC = Rubric(
    id=PLAN_ID,
    title="Thi đua tạo tài khoản và nộp hồ sơ trên Cổng DVCTT mức độ 3, 4 huyện Châu Thành A năm 2021",
    issuer="Ủy ban nhân dân huyện Châu Thành A",
    year=2021,
    source="chau-thanh-a-2021-dvc-muc-do-3-4.txt",
    blocs=(PHONG_BAN, XA),
    awards=(
        AwardScheme(
            # Reading (DESIGN.md §6): "hàng tháng 01 tập thể tiêu biểu nhất" — one collective of the two blocs
            # together, each month; the plan states its thresholds (1.500 tài khoản, 150/200 hồ sơ, 90 điểm)
            # only once, as campaign totals, so a month is judged on its year-to-date figures (Jan–month),
            # not on the month alone. Runs only on monthly periods; the year-end schemes below only on the year.
            id="thang", label="Khen thưởng đột xuất hàng tháng", blocs=("phong_ban", "xa"),
            period=Cadence.MONTHLY, basis=Basis.YEAR_TO_DATE,
            clause="Mục III.1: hàng tháng 01 tập thể tiêu biểu nhất, tiền thưởng 1.000.000 đ",
            tiers=(Tier("Tập thể tiêu biểu nhất tháng", 1, prize=1_000_000, level=_DISTRICT),),
            note="Xét chung hai khối, trên số liệu lũy kế từ đầu năm đến hết tháng (Kế hoạch chỉ nêu chỉ tiêu "
                 "cả đợt); vẫn áp dụng điều kiện từ 90 điểm.",
        ),
        AwardScheme(
            id="xa", label="Khen thưởng cuối năm — xã, thị trấn", blocs=("xa",),
            clause="Mục III.1.a (cuối năm)",
            tiers=(
                Tier("Hạng Nhất", 1, prize=10_000_000, bonus_points=15, individuals=5, level=_DISTRICT),
                Tier("Hạng Nhì", 1, prize=7_000_000, bonus_points=10, individuals=4, level=_DISTRICT),
                Tier("Hạng Ba", 1, prize=5_000_000, bonus_points=5, individuals=3, level=_DISTRICT),
            ),
            note="Điểm cộng vào thành tích KT-XH năm 2021; cá nhân đề nghị Chủ tịch UBND huyện tặng Giấy khen.",
        ),
        AwardScheme(
            id="phong_ban", label="Khen thưởng cuối năm — phòng, ban, ngành huyện", blocs=("phong_ban",),
            clause="Mục III.1.b: 07 tập thể và 15 cá nhân",
            tiers=(Tier("Giấy khen tập thể", 7, level=_DISTRICT),),
            individuals_total=15,
            note="15 cá nhân do Hội đồng xét chọn trong các phòng, ban, ngành (không gắn với thứ hạng).",
        ),
    ),
    notes=("Đơn vị phải đạt từ 90 điểm trở lên mới được tính thi đua.",),
    assumptions=(
        "'Cứ tăng 1 %' tính theo điểm phần trăm nguyên (99,5 % → +5) — cách đọc",
        "Khen thưởng tháng: xét chung hai khối, trên số liệu lũy kế đến tháng — cách đọc",
        "Hình thức khen tập thể xã cuối năm: Giấy khen của Chủ tịch UBND huyện (Mục III chỉ nêu hình thức này)",
    ),
)
