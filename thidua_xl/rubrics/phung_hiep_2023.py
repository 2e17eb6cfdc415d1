"""Phụng Hiệp 2023 — "Người dân Phụng Hiệp tham gia chuyển đổi số, phát triển kinh tế số, xã hội số".

Source: Kế hoạch số 167/KH-UBND huyện Phụng Hiệp 2023
(shared/plans/phung-hiep-2023-chuyen-doi-so.txt, OCR text without diacritics;
labels below are the plan's wording with diacritics restored).

The points of each criterion are in appendices 1 and 2, which were not given
(Mục III "Thang điểm thi đua"). As DESIGN.md §6 decides, the points come from
an editable weights table: the default splits 200 points (xã) and 100 points
(phòng ban) evenly, and ``RUBRIC.with_weights(bloc, {...})`` applies the
secretariat's own table (the workbook's "Trọng số" sheet).

How a criterion is scored (interpretation, recorded here as the plan asks):
* a line with a target rate ("đạt 80 %", "đạt 50 %", "98 %", "100 % …") takes
  the unit's actual rate: full weight from the target, proportionally below;
* a line the plan scores all or nothing takes a yes/no: criterion (18) "Có từ
  02 sản phẩm lên sàn TMĐT … (nếu đơn vị nào có sẽ được tròn điểm phần này)"
  → có: the full weight, không: 0 (DESIGN.md §6);
* every other line takes the secretariat's assessed completion (mức độ hoàn
  thành, 0–100 %): points = completion × weight.
"""

from __future__ import annotations

from dataclasses import replace

from thidua_xl.rubric import (
    AtLeast,
    AwardScheme,
    Bloc,
    Cadence,
    Criterion,
    Figure,
    FromDossiers,
    How,
    Kind,
    Measure,
    PeriodReview,
    RollUp,
    Rubric,
    Tier,
    YesNo,
    rate_item,
)

PLAN_ID = "phung-hiep-2023"

_DONE = "Mức độ hoàn thành (0–100 %) do Thường trực Ban Chỉ đạo huyện đánh giá"
ALL_OR_NOTHING = "tròn điểm"  # the plan's "được tròn điểm phần này": có → full weight, không → 0
_RATE = "Tỷ lệ thực tế của đơn vị"

# (stt, label as in Mục II.4.2.1, target rate, None for an assessed completion, or ALL_OR_NOTHING)
XA_CRITERIA: tuple[tuple[int, str, float | str | None], ...] = (
    (1, "Quyết định thành lập Ban Chỉ đạo, Tổ công nghệ số cộng đồng; văn bản chỉ đạo của Đảng ủy; Kế hoạch "
        "chuyển đổi số; Kế hoạch phát động thi đua; Quyết định phân công cán bộ phụ trách CNTT và ATTT", None),
    (2, "Báo cáo định kỳ, tháng, đột xuất qua hệ thống quản lý văn bản đúng, đủ, kịp thời", None),
    (3, "Báo cáo thực hiện kế hoạch hành động hằng năm của xã, thị trấn về chuyển đổi số", None),
    (4, "Tỷ lệ công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số", None),
    (5, "Tỷ lệ người dân được bồi dưỡng, tập huấn kỹ năng số", None),
    (6, "Tỷ lệ hộ gia đình và người dân có tài khoản Mobile money hoặc Internet Banking", None),
    (7, "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến (toàn trình và một phần)", None),
    (8, "Tỷ lệ hồ sơ xử lý trực tuyến (toàn trình và một phần) đạt 80 %", 0.80),
    (9, "Tỷ lệ văn bản đi có ký số và phát hành trên môi trường mạng", None),
    (10, "Sử dụng chứng thư số đảm bảo quy định về an toàn bảo mật", None),
    (11, "Thực hiện chế độ báo cáo định kỳ trên Hệ thống thông tin báo cáo của Văn phòng Chính phủ", None),
    (12, "100 % cán bộ, công chức, viên chức, người hoạt động không chuyên trách cấp xã có tài khoản DVCTT "
         "(nộp 3 hồ sơ/tháng/cán bộ theo Công văn 264/UBND-CNTT)", 1.0),
    (13, "Số lượng hồ sơ nộp trực tuyến", None),
    (14, "Tỷ lệ hồ sơ thanh toán trực tuyến đạt 50 %", 0.50),
    (15, "Triển khai số hóa hồ sơ giải quyết thủ tục hành chính", None),
    (16, "Tạo kênh kết nối thông tin thuận tiện cho người dân, doanh nghiệp (trang Zalo OA)", None),
    (17, "100 % hộ kinh doanh cá thể, HTX, doanh nghiệp có tài khoản Mobile money và mã QR thanh toán", 1.0),
    (18, "Có từ 02 sản phẩm lên sàn thương mại điện tử để quảng bá, bán hàng", ALL_OR_NOTHING),
    (19, "100 % cán bộ, công chức sử dụng hộp thư điện tử công vụ", 1.0),
    (20, "Tỷ lệ người dân và doanh nghiệp rất hài lòng và hài lòng về giải quyết TTHC đạt 98 %", 0.98),
    (21, "Đài truyền thanh xã, thị trấn có bản tin về chuyển đổi số ít nhất 1 lần/tuần", None),
    (22, "Mỗi tháng có ít nhất 03 tin bài tuyên truyền về chuyển đổi số gửi Phòng Văn hóa và Thông tin", None),
    (23, "Kịp thời trả lời phản ánh, kiến nghị của người dân trên Hậu Giang App đúng thời gian quy định", None),
    (24, "Có 01 mô hình ứng dụng sáng kiến mới về chuyển đổi số thực hiện có hiệu quả trong năm 2023", None),
)

# (stt, label as in Mục II.4.2.2, target rate or None)
PHONG_BAN_CRITERIA: tuple[tuple[int, str, float | None], ...] = (
    (1, "Có quyết định phân công cán bộ phụ trách CNTT và ATTT; có kế hoạch thực hiện chuyển đổi số", None),
    (2, "Báo cáo định kỳ, tháng, đột xuất qua đường quản lý văn bản đúng, đủ, kịp thời", None),
    (3, "Tỷ lệ công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số", None),
    (4, "Cử cán bộ tham gia Tổ hỗ trợ hướng dẫn công nghệ số cộng đồng đầy đủ theo kế hoạch", None),
    (5, "100 % cán bộ, công chức, viên chức, người lao động có tài khoản DVCTT và Mobile money hoặc "
        "Internet Banking", 1.0),
    (6, "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến (toàn trình và một phần)", None),
    (7, "Tỷ lệ hồ sơ xử lý trực tuyến (toàn trình và một phần) đạt từ 80 %", 0.80),
    (8, "Số lượng hồ sơ nộp trực tuyến", None),
    (9, "Tỷ lệ văn bản đi có ký số và phát hành trên môi trường mạng", None),
    (10, "Sử dụng chứng thư số đảm bảo quy định về an toàn bảo mật", None),
    (11, "Thực hiện chế độ báo cáo định kỳ trên Hệ thống thông tin báo cáo của Văn phòng Chính phủ", None),
    (12, "100 % cán bộ, công chức, viên chức có tài khoản DVCTT (nộp 3 hồ sơ/tháng/cán bộ theo "
         "Công văn 264/UBND-CNTT)", 1.0),
    (13, "100 % cán bộ, công chức sử dụng hộp thư điện tử công vụ", 1.0),
    (14, "Tỷ lệ người dân và doanh nghiệp rất hài lòng và hài lòng về giải quyết TTHC từ 98 %", 0.98),
    (15, "Mỗi tháng có ít nhất 01 tin bài tuyên truyền về chuyển đổi số gửi Phòng Văn hóa và Thông tin", None),
    (16, "Có mô hình ứng dụng sáng kiến mới về chuyển đổi số thực hiện có hiệu quả trong năm 2023", None),
)

DISQUALIFICATIONS = (
    AtLeast("ho_so_tre_han_thang_cao_nhat", 2,
            "Không xét thi đua: từ 02 hồ sơ DVCTT trễ hẹn/01 tháng",
            clause="Mục IV.1, Lưu ý, gạch 1"),
    AtLeast("so_ngay_tre_bao_cao_cao_nhat", 3, "Không xét thi đua: báo cáo định kỳ trễ 03 ngày",
            clause="Mục IV.1, Lưu ý, gạch 2"),
)

# Mục IV.1 Lưu ý: "trễ hẹn từ 02 hồ sơ trở lên/01 tháng" — a unit with 2 late dossiers in ANY month is not
# considered for the year. On a monthly row the figure is that month's count; over a quarter or the year it
# rolls up as the MAXIMUM of the months (never their sum: 1 late dossier in each of twelve months is not
# "2 in a month"), so the year's AtLeast(2) below disqualifies exactly the units with one bad month. Same for
# the report delay ("trễ 03 ngày"): the worst report of the period.
_WORST_MONTH = RollUp(How.MAX, note="tháng nhiều nhất trong kỳ (Mục IV.1: từ 02 hồ sơ trễ hẹn/01 tháng)")
DISQUALIFICATION_FIGURES = (
    Figure("ho_so_tre_han_thang_cao_nhat", "Số hồ sơ DVCTT trễ hẹn trong tháng nhiều nhất", Kind.COUNT,
           source="Hệ thống thông tin giải quyết TTHC — tháng có nhiều hồ sơ trễ hẹn nhất trong năm",
           noun="hồ sơ trễ hẹn trong tháng nhiều nhất", rollup=_WORST_MONTH),
    Figure("so_ngay_tre_bao_cao_cao_nhat", "Số ngày trễ báo cáo định kỳ nhiều nhất", Kind.COUNT,
           source="Phòng Văn hóa và Thông tin (báo cáo trước ngày 15 hằng tháng)", noun="ngày trễ báo cáo",
           rollup=RollUp(How.MAX, note="báo cáo trễ nhiều ngày nhất trong kỳ")),
)
# An assessed completion (mức độ hoàn thành) is the Ban Chỉ đạo's view of the work done so far: over several
# months it is the latest assessment, not an average of earlier ones.
_ASSESSED = RollUp(How.LAST, note="đánh giá mức độ hoàn thành mới nhất trong kỳ")

_LATE = FromDossiers("ho_so_tre_han_thang_cao_nhat", Measure.TRE_HAN_TRUC_TUYEN_THANG_CAO_NHAT,
                     note="'02 hồ sơ DVCTT trễ hẹn/01 tháng': hồ sơ nộp trực tuyến có kết quả sau hạn, đếm theo "
                          "tháng có kết quả; lấy tháng nhiều nhất trong kỳ")

# Lines whose rate the dossier export gives (thidua-xl ingest); the other lines are assessed completions.
XA_FROM_DOSSIERS = (
    FromDossiers("ty_le_tc08", Measure.TY_LE_TRUC_TUYEN, note="(8) hồ sơ trực tuyến / hồ sơ tiếp nhận"),
    FromDossiers("ty_le_tc14", Measure.TY_LE_THANH_TOAN,
                 note="(14) hồ sơ thanh toán trực tuyến / hồ sơ có nghĩa vụ tài chính"),
    FromDossiers("ty_le_tc20", Measure.TY_LE_HAI_LONG,
                 note="(20) đánh giá 'hài lòng' hoặc 'rất hài lòng' / hồ sơ được đánh giá"),
    _LATE,
)
PHONG_BAN_FROM_DOSSIERS = (
    FromDossiers("ty_le_tc07", Measure.TY_LE_TRUC_TUYEN, note="(7) hồ sơ trực tuyến / hồ sơ tiếp nhận"),
    FromDossiers("ty_le_tc14", Measure.TY_LE_HAI_LONG,
                 note="(14) đánh giá 'hài lòng' hoặc 'rất hài lòng' / hồ sơ được đánh giá"),
    _LATE,
)


def _yes_no_item(stt: int, text: str, weight: float, section: str, total: float) -> tuple[Figure, Criterion]:
    figure = Figure(f"co_tc{stt:02d}", f"({stt}) Có / không", Kind.YES_NO,
                    source="Thường trực Ban Chỉ đạo huyện (có danh sách kèm theo)")
    return figure, Criterion(
        f"tc{stt:02d}", f"({stt}) {text}", weight, YesNo(figure.id),
        clause=f"Mục II.4.2.{section}, nội dung ({stt}): 'nếu đơn vị nào có sẽ được tròn điểm phần này'",
        note=f"Có: tròn điểm; không: 0 (không tính theo mức độ hoàn thành). Điểm chuẩn lấy từ bảng trọng số; "
             f"mặc định chia đều {total:g} điểm.")


def _rolled(target: float | str | None, item: tuple[Figure, Criterion]) -> tuple[Figure, Criterion]:
    """An assessed line (no target rate) rolls up as the latest assessment; a measured rate keeps its default."""
    figure, criterion = item
    return (replace(figure, rollup=_ASSESSED), criterion) if target is None else item


def _bloc(id: str, label: str, lines: tuple[tuple[int, str, float | str | None], ...], total: float,
          section: str, from_dossiers: tuple[FromDossiers, ...]) -> Bloc:
    weight = total / len(lines)
    items = [
        _yes_no_item(stt, text, weight, section, total) if target == ALL_OR_NOTHING else _rolled(target, rate_item(
            f"tc{stt:02d}", f"({stt}) {text}", weight,
            clause=f"Mục II.4.2.{section}, nội dung ({stt})",
            full_at=float(target) if target is not None else 1.0,
            figure_label=f"({stt}) {'Tỷ lệ đạt được' if target is not None else 'Mức độ hoàn thành'}",
            source=_RATE if target is not None else _DONE,
            note="Điểm chuẩn lấy từ bảng trọng số (phụ lục không kèm theo Kế hoạch); mặc định chia đều "
                 f"{total:g} điểm."))
        for stt, text, target in lines
    ]
    return Bloc(
        id=id, label=label, unit_label="Đơn vị", max_total=total,
        figures=tuple(f for f, _ in items) + DISQUALIFICATION_FIGURES,
        criteria=tuple(c for _, c in items),
        eligibility=DISQUALIFICATIONS,
        from_dossiers=from_dossiers,
    )


XA = _bloc("xa", "Khối thi đua các xã, thị trấn", XA_CRITERIA, 200, "1", XA_FROM_DOSSIERS)
PHONG_BAN = _bloc("phong_ban", "Khối thi đua phòng, ban ngành huyện", PHONG_BAN_CRITERIA, 100, "2",
                  PHONG_BAN_FROM_DOSSIERS)

_DISTRICT = "Giải thưởng của UBND huyện; cá nhân: Giấy khen của Chủ tịch UBND huyện"

RUBRIC = Rubric(
    id=PLAN_ID,
    title="Phong trào thi đua “Người dân Phụng Hiệp tham gia chuyển đổi số, phát triển kinh tế số, xã hội số” "
          "năm 2023",
    issuer="Ủy ban nhân dân huyện Phụng Hiệp",
    year=2023,
    source="phung-hiep-2023-chuyen-doi-so.txt",
    blocs=(XA, PHONG_BAN),
    editable_weights=True,
    assumptions=(
        "Điểm chuẩn từng nội dung: chia đều 200 điểm (xã) và 100 điểm (phòng ban) — phụ lục 1, 2 không kèm theo "
        "Kế hoạch; sửa ở sheet 'Trọng số'",
        "Nội dung không nêu tỷ lệ: điểm = mức độ hoàn thành (0–100 %) × điểm chuẩn — cách đọc của dự án",
        "Khuyến khích: đơn vị từ 160 điểm (phòng ban 70) ngoài ba giải đầu, kể cả đơn vị trên 180 (85) — cách đọc",
        "Khuyến khích phòng ban: 02 suất, không tiền thưởng — giả định (Kế hoạch không nêu)",
    ),
    awards=(
        AwardScheme(
            id="xa", label="Khen thưởng khối các xã, thị trấn", blocs=("xa",),
            clause="Mục IV.1 (điều kiện điểm) và IV.2.a (cơ cấu khen thưởng)",
            tiers=(
                Tier("Giải Nhất", 1, min_score=180, prize=10_000_000, bonus_points=10, individuals=10,
                     level=_DISTRICT),
                Tier("Giải Nhì", 1, min_score=180, prize=7_000_000, bonus_points=7, individuals=7, level=_DISTRICT),
                Tier("Giải Ba", 1, min_score=180, prize=5_000_000, bonus_points=6, individuals=5, level=_DISTRICT),
                Tier("Giải Khuyến khích", 2, min_score=160, prize=2_000_000, bonus_points=2, individuals=3,
                     level=_DISTRICT),
            ),
            other_units_individuals=2,
            note="Khuyến khích: từ 160 điểm (đơn vị từ 180 điểm không còn giải Nhất–Ba cũng được xét "
                 "khuyến khích). Các đơn vị còn lại (đủ điều kiện): 02 cá nhân/đơn vị.",
        ),
        AwardScheme(
            id="phong_ban", label="Khen thưởng khối phòng, ban ngành huyện", blocs=("phong_ban",),
            clause="Mục IV.1 (điều kiện điểm) và IV.2.b (cơ cấu khen thưởng)",
            tiers=(
                Tier("Giải Nhất", 1, min_score=85, prize=5_000_000, level=_DISTRICT),
                Tier("Giải Nhì", 1, min_score=85, prize=4_000_000, level=_DISTRICT),
                Tier("Giải Ba", 1, min_score=85, prize=3_000_000, level=_DISTRICT),
                Tier("Khuyến khích", 2, min_score=70, level=_DISTRICT),
            ),
            individuals_total=10,
            note="Giả định: Kế hoạch cho xét khuyến khích từ 70 đến dưới 85 điểm nhưng không nêu số lượng và "
                 "tiền thưởng; lấy 02 suất như khối xã, không có tiền thưởng. 10 cá nhân do Ban Chỉ đạo "
                 "huyện xét đề xuất.",
        ),
    ),
    # Mục I.2: "định kỳ hàng quý đánh giá kết quả … thực hiện khen thưởng kịp thời": each quarter's ranking of
    # both blocs on the quarter's own figures (late dossiers: the worst month of the quarter). The plan gives
    # no quarterly prize, so this is a published ranking; the year's awards below run on the whole year.
    reviews=tuple(
        PeriodReview(id=f"quy_{b.id}", label=f"Đánh giá hằng quý — {b.label}", blocs=(b.id,),
                     period=Cadence.QUARTERLY, clause="Mục I.2: định kỳ hàng quý đánh giá kết quả",
                     note="Xếp hạng theo số liệu của quý (trễ hẹn: tháng nhiều nhất trong quý); Kế hoạch không nêu "
                          "giải thưởng quý.")
        for b in (XA, PHONG_BAN)),
    notes=(
        "Trọng số từng nội dung sửa được ở sheet 'Trọng số'; mặc định chia đều 200 điểm (xã), 100 điểm "
        "(phòng ban) vì phụ lục 1, 2 không kèm theo Kế hoạch.",
        "Không xét thi đua: từ 02 hồ sơ trễ hẹn/01 tháng; báo cáo định kỳ trễ 03 ngày.",
    ),
)
