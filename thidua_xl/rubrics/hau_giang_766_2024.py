"""Hậu Giang 2024 — cải thiện các chỉ số theo Quyết định 766/QĐ-TTg (Bộ chỉ số phục vụ người dân, doanh nghiệp).

Source: Kế hoạch /KH-UBND tỉnh Hậu Giang 2024 (shared/plans/hau-giang-2024-chi-so-766.txt),
Mục II "Nội dung thực hiện" — five groups and the indicators listed under each.

Points and formulas (DESIGN.md §8 "766 index — sources"): the text of the decision's appendix
could not be read; the national portal's own implementation is the default, as published in its
formula sheet and formula description ("Công thức 766.xlsx", "Mô tả công thức tính chỉ số 766.docx",
reproduced in the public repository ChippedTopaz/qd766: docs/metrics.m0.json,
web/src/formula-document.ts, web/src/formula-maximums.ts). Every number below says where it comes
from: "theo Cổng DVCQG", "theo Nghị quyết 76/NQ-CP", or "giả định" (an assumption to confirm).

* Group maxima 18 / 20 / 22 (12 DVCTT + 10 thanh toán) / 22 / 18 = 100 — Sở Nội vụ Nam Định 2022; confirmed.
* Below a full-marks threshold T an indicator scores ``rate ÷ T × points`` (the portal's notes: "Dưới 80 %
  tính theo công thức: tỷ lệ × điểm tối đa / 80 %"); without a threshold, ``rate × points``.
* Applicability (DESIGN.md §8 "Not applicable ≠ zero"): an indicator that does not apply to a bloc is shown
  "không áp dụng" and scored its maximum, as the portal does; the PAKN indicators take "không áp dụng" per
  unit when the unit had no PAKN in the period (the portal's full marks for "no PAKN").
* Points and thresholds are editable on the workbook's "Trọng số" sheet (``editable_weights``).
* Bands: the names are confirmed; only the 90 cut fits published results (83,61 = Tốt, 90,96 = Xuất sắc,
  Báo Lâm Đồng 07/2024); 70 / 50 / 30 are assumptions.
Results are published monthly (Mục IV.1.d).
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua_xl.rubric import (
    Bands,
    Basis,
    Bloc,
    Cadence,
    Criterion,
    Figure,
    FromDossiers,
    Kind,
    Measure,
    NotApplicable,
    PeriodReview,
    RateScore,
    Rubric,
)
from thidua_xl.vn import fmt_percent

PLAN_ID = "hau-giang-766-2024"

PORTAL = "theo Cổng DVCQG"
NQ76 = "theo Nghị quyết 76/NQ-CP (mục tiêu 2021–2025: 80 %)"
ASSUMED = "giả định"
_SOURCE = "Cổng Dịch vụ công quốc gia — Bộ chỉ số 766 (kỳ tháng)"

ALL = ("so_nganh", "huyen", "xa")
PROVINCE_ONLY: tuple[str, ...] = ()  # published only for the province as a whole (formula 1.2, 1.3)


@dataclass(frozen=True)
class Indicator:
    """One line of Mục II, with the source of its points and of its full-marks threshold."""

    id: str
    label: str
    points: float
    full_at: float | None          # None: no threshold, rate × points
    group: str
    clause: str
    points_source: str
    threshold_source: str
    applies_to: tuple[str, ...] = ALL
    not_applicable_reason: str = ""
    may_not_apply: bool = False    # a unit may type "không áp dụng" (no PAKN in the period)
    note: str = ""

    def describe_sources(self) -> str:
        threshold = (f"đạt {fmt_percent(self.full_at)} là tối đa" if self.full_at is not None
                     else "không có ngưỡng (tỷ lệ × điểm)")
        return f"Điểm {self.points:g}: {self.points_source}; {threshold}: {self.threshold_source}."


_G1, _G2, _G3A, _G3B, _G4, _G5 = ("1. Công khai, minh bạch", "2. Tiến độ, kết quả giải quyết",
                                   "3a. Dịch vụ công trực tuyến", "3b. Thanh toán trực tuyến", "4. Số hóa hồ sơ",
                                   "5. Mức độ hài lòng")
_NO_T = "công thức của Cổng không nêu ngưỡng — giả định tỷ lệ × điểm"
_PROVINCE_REASON = "Cổng DVCQG chỉ công bố chỉ tiêu này cho cấp tỉnh (công thức 1.2, 1.3)"
_PAKN = "Đơn vị không có PAKN trong kỳ: nhập 'không áp dụng' → điểm tối đa (cách tính của Cổng DVCQG)."

INDICATORS: tuple[Indicator, ...] = (
    Indicator("cong_bo_dung_han", "Tỷ lệ TTHC công bố đúng hạn", 6, None, _G1, "Mục II.1.a", PORTAL, _NO_T),
    Indicator("cong_khai_dung_han", "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", 4, None, _G1, "Mục II.1.b",
              PORTAL, _NO_T, applies_to=PROVINCE_ONLY, not_applicable_reason=_PROVINCE_REASON),
    Indicator("cong_khai_day_du", "Tỷ lệ TTHC được công khai có đầy đủ các nội dung quy định", 2, None, _G1,
              "Mục II.1.c", PORTAL, _NO_T, applies_to=PROVINCE_ONLY, not_applicable_reason=_PROVINCE_REASON),
    Indicator("dong_bo_dvcqg", "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", 6, None, _G1, "Mục II.1.d",
              PORTAL, _NO_T),
    Indicator("dung_han", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", 20, None, _G2, "Mục II.2", PORTAL,
              "theo Cổng DVCQG (20 × tỷ lệ hồ sơ đã và đang xử lý đúng hạn, trong hạn)"),
    Indicator("cung_cap_dvctt", "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 4, 0.8, _G3A,
              "Mục II.3.a, gạch 1", ASSUMED + " (nhóm 12 điểm chia đều)", PORTAL),
    Indicator("dvctt_phat_sinh", "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ", 4, 0.8, _G3A,
              "Mục II.3.a, gạch 2", ASSUMED + " (nhóm 12 điểm chia đều)", NQ76,
              note="Kế hoạch dẫn 'mục tiêu trong từng giai đoạn tại Nghị quyết 76/NQ-CP': 80 % cho 2023–2024."),
    Indicator("ho_so_truc_tuyen", "Tỷ lệ hồ sơ TTHC theo hình thức nộp hồ sơ trực tuyến", 4, 0.5, _G3A,
              "Mục II.3.a, gạch 3", ASSUMED + " (nhóm 12 điểm chia đều)", PORTAL),
    Indicator("tthc_thanh_toan", "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", 2, 0.8, _G3B,
              "Mục II.3.b, gạch 1", PORTAL, PORTAL),
    Indicator("tthc_tich_hop_thanh_toan", "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính được tích hợp thanh toán "
              "trực tuyến trên Cổng Dịch vụ công quốc gia", 2, 0.8, _G3B, "Mục II.3.b, gạch 2", PORTAL, PORTAL),
    Indicator("ho_so_thanh_toan", "Tỷ lệ hồ sơ thanh toán trực tuyến", 6, 1.0, _G3B, "Mục II.3.b, gạch 3",
              PORTAL, PORTAL),
    Indicator("ket_qua_dien_tu", "Tỷ lệ hồ sơ TTHC có cấp kết quả giải quyết TTHC điện tử", 6, None, _G4,
              "Mục II.4.a", PORTAL, _NO_T),
    Indicator("so_hoa_ho_so", "Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ", 4, 0.8, _G4, "Mục II.4.b", PORTAL, PORTAL),
    Indicator("tai_su_dung", "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", 2, 0.8, _G4, "Mục II.4.c",
              PORTAL, PORTAL),
    Indicator("chung_thuc_dien_tu", "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính", 2, None,
              _G4, "Mục II.4.d", PORTAL, _NO_T, applies_to=("huyen", "xa"),
              not_applicable_reason="Mục II.4.d: chỉ xã, phường, thị trấn và Phòng Tư pháp cấp huyện cung cấp",
              note="Khối huyện: UBND huyện được chấm vì Phòng Tư pháp của huyện cung cấp dịch vụ này (Mục II.4.d); "
                   "sở, ngành: không áp dụng → điểm tối đa."),
    Indicator("dong_bo_kho_ho_so", "Tỷ lệ hồ sơ TTHC được số hóa có kết nối, đồng bộ với danh mục hồ sơ cá nhân, "
              "tổ chức trên Cổng Dịch vụ công quốc gia", 4, None, _G4, "Mục II.4.đ", PORTAL, _NO_T),
    Indicator("dan_cu_tthc", "Ứng dụng dữ liệu dân cư: tỷ lệ TTHC có kết nối, chia sẻ dữ liệu dân cư", 2, None,
              _G4, "Mục II.4.e (công thức 4.5a)", PORTAL, _NO_T),
    Indicator("dan_cu_ho_so", "Ứng dụng dữ liệu dân cư: tỷ lệ hồ sơ sử dụng thông tin từ Cơ sở dữ liệu quốc gia "
              "về dân cư", 2, None, _G4, "Mục II.4.e (công thức 4.5b)", PORTAL, _NO_T),
    Indicator("pakn_dung_han", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", 6, None, _G5, "Mục II.5.a", PORTAL,
              _NO_T, may_not_apply=True, note=_PAKN),
    Indicator("hai_long_pakn", "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", 6, None, _G5, "Mục II.5.b",
              PORTAL, _NO_T, may_not_apply=True, note=_PAKN),
    Indicator("hai_long_tthc", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", 6, 0.9, _G5, "Mục II.5.c",
              PORTAL, PORTAL,
              note="Tỷ lệ = (hồ sơ − hồ sơ bị đánh giá không hài lòng − hồ sơ bị phản ánh − hồ sơ trễ hạn) ÷ hồ sơ "
                   "(công thức 5.4 của Cổng)."),
)

INDICATOR = {i.id: i for i in INDICATORS}

GROUP_MAXIMA = {_G1: 18, _G2: 20, _G3A: 12, _G3B: 10, _G4: 22, _G5: 18}

BANDS = Bands(((90, "Xuất sắc"), (70, "Tốt"), (50, "Khá"), (30, "Trung bình"), (0, "Yếu")),
              clause="Tên loại theo Bộ chỉ số 766; mức 90 khớp kết quả công bố (83,61 = Tốt, 90,96 = Xuất sắc — "
                     "Báo Lâm Đồng 07/2024); mức 70 / 50 / 30 là giả định")


def figure_of(ind: Indicator) -> Figure:
    """The typed rate of an indicator (column ``ty_le_<id>``)."""
    return Figure(f"ty_le_{ind.id}", ind.label, Kind.RATE, source=_SOURCE, may_not_apply=ind.may_not_apply)


def criterion_of(ind: Indicator, applies: bool = True, points: float | None = None,
                 clause_prefix: str = "") -> Criterion:
    """The indicator as a criterion: the rate rule, or "không áp dụng" (full marks) where it does not apply."""
    rule = (RateScore(f"ty_le_{ind.id}", full_at=ind.full_at or 1.0, relative_to_target=True)
            if applies else NotApplicable(ind.not_applicable_reason))
    note = " ".join(t for t in (ind.describe_sources(), ind.note) if t)
    return Criterion(ind.id, ind.label, ind.points if points is None else points, rule,
                     clause=f"{clause_prefix}{ind.clause} ({ind.group})", note=note)


# Indicators a dossier list gives (thidua-xl ingest), with the formula read from the portal's description.
# The others (công khai, đồng bộ, PAKN, dữ liệu dân cư…) come from the portal's index page and stay typed.
DOSSIER_INDICATORS: tuple[FromDossiers, ...] = (
    FromDossiers("ty_le_dung_han", Measure.TY_LE_DUNG_HAN,
                 note="hồ sơ đã và đang xử lý đúng hạn, trong hạn / hồ sơ được tiếp nhận, xử lý trong kỳ "
                      "(công thức 2.1: hồ sơ chưa có kết quả tính đến cuối kỳ — còn hạn là đúng hạn, quá hạn là "
                      "trễ hạn)"),
    FromDossiers("ty_le_ho_so_truc_tuyen", Measure.TY_LE_TRUC_TUYEN,
                 note="hồ sơ nộp trực tuyến (toàn trình, một phần) / hồ sơ tiếp nhận trong kỳ"),
    FromDossiers("ty_le_ho_so_thanh_toan", Measure.TY_LE_THANH_TOAN,
                 note="hồ sơ thanh toán trực tuyến / hồ sơ có nghĩa vụ tài chính"),
    FromDossiers("ty_le_ket_qua_dien_tu", Measure.TY_LE_KET_QUA_DIEN_TU,
                 note="hồ sơ có kết quả điện tử / hồ sơ đã có kết quả (cần cột 'kết quả điện tử' trong tệp)"),
    FromDossiers("ty_le_so_hoa_ho_so", Measure.TY_LE_SO_HOA, note="hồ sơ đã số hóa / hồ sơ tiếp nhận"),
    FromDossiers("ty_le_hai_long_tthc", Measure.TY_LE_HAI_LONG_TTHC,
                 note="(hồ sơ − đánh giá không hài lòng − bị phản ánh − trễ hạn) / hồ sơ đã và đang xử lý trong "
                      "kỳ (công thức 5.4 của Cổng)"),
)


def dossier_indicators(figures: tuple[Figure, ...]) -> tuple[FromDossiers, ...]:
    """The export-filled indicators among a bloc's figures (Ninh Phước uses a subset)."""
    ids = {f.id for f in figures}
    return tuple(d for d in DOSSIER_INDICATORS if d.figure in ids)


def _bloc(id: str, label: str) -> Bloc:
    figures = tuple(figure_of(i) for i in INDICATORS if id in i.applies_to)
    return Bloc(id=id, label=label, unit_label="Đơn vị", max_total=100, bands=BANDS, figures=figures,
                criteria=tuple(criterion_of(i, id in i.applies_to) for i in INDICATORS), from_dossiers=dossier_indicators(figures))


def assumptions() -> tuple[str, ...]:
    """Every number of this module that is not from a cited source."""
    lines = [f"{i.label}: điểm {i.points:g} — {i.points_source}" for i in INDICATORS if ASSUMED in i.points_source]
    lines += [f"{i.label}: không có ngưỡng, tỷ lệ × điểm (công thức của Cổng không nêu ngưỡng)"
              for i in INDICATORS if i.full_at is None and i.applies_to and i.id != "dung_han"]
    lines.append("Xếp loại: mức 70 / 50 / 30 điểm (Tốt / Khá / Trung bình) — giả định; mức 90 khớp kết quả công bố")
    return tuple(lines)


BLOCS = (_bloc("so_nganh", "Sở, ban, ngành tỉnh"), _bloc("huyen", "UBND huyện, thị xã, thành phố"),
         _bloc("xa", "UBND xã, phường, thị trấn"))

RUBRIC = Rubric(
    id=PLAN_ID,
    title="Cải thiện, nâng cao hiệu quả thực hiện các chỉ số theo Quyết định số 766/QĐ-TTg trên địa bàn tỉnh "
          "Hậu Giang năm 2024",
    issuer="Ủy ban nhân dân tỉnh Hậu Giang",
    year=2024,
    source="hau-giang-2024-chi-so-766.txt",
    blocs=BLOCS,
    awards=(),
    # Mục IV.1.d "công khai hàng tháng kết quả Bộ chỉ số": each month's classification on that month's own
    # figures (the portal publishes a month's index from the month's dossiers), per bloc.
    reviews=tuple(
        PeriodReview(id=f"thang_{b.id}", label=f"Kết quả Bộ chỉ số hằng tháng — {b.label}", blocs=(b.id,),
                     period=Cadence.MONTHLY, basis=Basis.OWN, clause="Mục IV.1.d: công khai hàng tháng",
                     note="Xếp loại theo số liệu của từng tháng (không lũy kế).")
        for b in BLOCS),
    editable_weights=True,
    weights_note="Điểm chuẩn từng chỉ số theo cách tính của Cổng Dịch vụ công quốc gia (xem cột 'Ghi chú' ở sheet "
                 "Hướng dẫn: số nào theo Cổng DVCQG, số nào là giả định). Sửa cột 'Điểm chuẩn' khi có Phụ lục "
                 "QĐ 766 chính thức.",
    assumptions=assumptions(),
    notes=("Kết quả công khai hằng tháng (Mục IV.1.d); xếp loại theo thang Xuất sắc / Tốt / Khá / Trung bình / Yếu.",
           "Chỉ số không áp dụng cho khối (ví dụ chứng thực bản sao điện tử với sở, ngành) hoặc đơn vị không có "
           "PAKN trong kỳ (nhập 'không áp dụng') được tính điểm tối đa như Cổng DVCQG, không bao giờ là 0.",
           "Kế hoạch không quy định khen thưởng; bảng kết quả dùng để đánh giá mức độ hoàn thành nhiệm vụ."),
)
