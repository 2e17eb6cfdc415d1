"""Hậu Giang 2024 — cải thiện các chỉ số theo Quyết định 766/QĐ-TTg (Bộ chỉ số phục vụ người dân, doanh nghiệp).

Source: Kế hoạch /KH-UBND tỉnh Hậu Giang 2024 (shared/plans/hau-giang-2024-chi-so-766.txt),
Mục II "Nội dung thực hiện" — five groups and the indicators listed under each.
Points and formulas: Quyết định 766/QĐ-TTg ngày 23/6/2022, Phụ lục (Bộ chỉ số), as
published with the decision and implemented on the Cổng Dịch vụ công quốc gia.

What was confirmed and what is assumed (DESIGN.md §6 asks to mark it):
* Group maxima 18 / 20 / 22 (12 dịch vụ công trực tuyến + 10 thanh toán trực
  tuyến) / 22 / 18 = 100 — Phụ lục QĐ 766; confirmed.
* Thanh toán trực tuyến: 2 + 2 + 6 points; the two "Tỷ lệ TTHC …" indicators
  reach full points at 80 %, "Tỷ lệ hồ sơ thanh toán trực tuyến" at 100 % —
  the DVCQG formula notes ("đạt từ 80 % trở lên: điểm tối đa; dưới 80 %:
  tỷ lệ × điểm tối đa / 80 %"); confirmed from the published formula notes.
* "Tỷ lệ TTHC cung cấp DVCTT": full points from 80 % (same notes); confirmed.
* ASSUMPTION — split of a group's points between its indicators where the
  appendix could not be consulted here: equal shares (công khai 4/4/4/6 with
  the synchronisation rate weighted as the group's main data indicator; số hóa
  4/4/4/3/3/4; hài lòng 6/6/6; DVCTT 4/4/4), each proportional to its rate.
* Classification bands (Mục IV of the decision, as applied on the DVCQG):
  Xuất sắc ≥ 90; Tốt 70–< 90; Khá 50–< 70; Trung bình 30–< 50; Yếu < 30 —
  ASSUMPTION to confirm against the appendix in force.
The same indicators apply to the three blocs (sở/ban/ngành, huyện, xã), as the
DVCQG publishes them for each level; results are monthly (Mục IV.1.d).
"""

from __future__ import annotations

from thidua_xl.rubric import Bands, Bloc, Criterion, Figure, FromDossiers, Measure, Rubric, rate_item

PLAN_ID = "hau-giang-766-2024"

_PORTAL = "Cổng Dịch vụ công quốc gia — Bộ chỉ số 766 (kỳ tháng)"
_ASSUMED = "Giả định: điểm thành phần chia đều trong nhóm (chưa đối chiếu được Phụ lục QĐ 766)."

# (id, label as in the plan, points, full-marks rate, group, clause, note)
INDICATORS: tuple[tuple[str, str, float, float, str, str, str], ...] = (
    ("cong_bo_dung_han", "Tỷ lệ TTHC công bố đúng hạn", 4, 1.0,
     "1. Công khai, minh bạch", "Mục II.1.a", _ASSUMED),
    ("cong_khai_dung_han", "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", 4, 1.0,
     "1. Công khai, minh bạch", "Mục II.1.b", _ASSUMED),
    ("cong_khai_day_du", "Tỷ lệ TTHC được công khai có đầy đủ các nội dung quy định", 4, 1.0,
     "1. Công khai, minh bạch", "Mục II.1.c", _ASSUMED),
    ("dong_bo_dvcqg", "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", 6, 1.0,
     "1. Công khai, minh bạch", "Mục II.1.d", _ASSUMED),
    ("dung_han", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", 20, 1.0,
     "2. Tiến độ, kết quả giải quyết", "Mục II.2",
     "Cả nhóm 20 điểm tính theo tỷ lệ hồ sơ xử lý trước hạn, đúng hạn."),
    ("cung_cap_dvctt", "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 4, 0.8,
     "3a. Dịch vụ công trực tuyến", "Mục II.3.a, gạch 1", "Đạt từ 80 %: điểm tối đa. " + _ASSUMED),
    ("dvctt_phat_sinh", "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ", 4, 1.0,
     "3a. Dịch vụ công trực tuyến", "Mục II.3.a, gạch 2", _ASSUMED),
    ("ho_so_truc_tuyen", "Tỷ lệ hồ sơ TTHC theo hình thức nộp hồ sơ trực tuyến", 4, 1.0,
     "3a. Dịch vụ công trực tuyến", "Mục II.3.a, gạch 3", _ASSUMED),
    ("tthc_thanh_toan", "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", 2, 0.8,
     "3b. Thanh toán trực tuyến", "Mục II.3.b, gạch 1", "Đạt từ 80 %: điểm tối đa."),
    ("tthc_tich_hop_thanh_toan", "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính được tích hợp thanh toán trực tuyến "
     "trên Cổng Dịch vụ công quốc gia", 2, 0.8, "3b. Thanh toán trực tuyến", "Mục II.3.b, gạch 2",
     "Đạt từ 80 %: điểm tối đa."),
    ("ho_so_thanh_toan", "Tỷ lệ hồ sơ thanh toán trực tuyến", 6, 1.0,
     "3b. Thanh toán trực tuyến", "Mục II.3.b, gạch 3", ""),
    ("ket_qua_dien_tu", "Tỷ lệ hồ sơ TTHC có cấp kết quả giải quyết TTHC điện tử", 4, 1.0,
     "4. Số hóa hồ sơ", "Mục II.4.a", _ASSUMED),
    ("so_hoa_ho_so", "Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ", 4, 1.0,
     "4. Số hóa hồ sơ", "Mục II.4.b", _ASSUMED),
    ("tai_su_dung", "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", 4, 1.0,
     "4. Số hóa hồ sơ", "Mục II.4.c", _ASSUMED),
    ("chung_thuc_dien_tu", "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính", 3, 1.0,
     "4. Số hóa hồ sơ", "Mục II.4.d", _ASSUMED),
    ("dong_bo_kho_ho_so", "Tỷ lệ hồ sơ TTHC được số hóa có kết nối, đồng bộ với danh mục hồ sơ cá nhân, tổ "
     "chức trên Cổng Dịch vụ công quốc gia", 3, 1.0, "4. Số hóa hồ sơ", "Mục II.4.đ", _ASSUMED),
    ("du_lieu_dan_cu", "Ứng dụng dữ liệu dân cư trong giải quyết TTHC, cung cấp dịch vụ công", 4, 1.0,
     "4. Số hóa hồ sơ", "Mục II.4.e", _ASSUMED),
    ("pakn_dung_han", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", 6, 1.0,
     "5. Mức độ hài lòng", "Mục II.5.a", _ASSUMED),
    ("hai_long_pakn", "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", 6, 1.0,
     "5. Mức độ hài lòng", "Mục II.5.b", _ASSUMED),
    ("hai_long_tthc", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", 6, 1.0,
     "5. Mức độ hài lòng", "Mục II.5.c", _ASSUMED),
)

GROUP_MAXIMA = {
    "1. Công khai, minh bạch": 18,
    "2. Tiến độ, kết quả giải quyết": 20,
    "3a. Dịch vụ công trực tuyến": 12,
    "3b. Thanh toán trực tuyến": 10,
    "4. Số hóa hồ sơ": 22,
    "5. Mức độ hài lòng": 18,
}

BANDS = Bands(((90, "Xuất sắc"), (70, "Tốt"), (50, "Khá"), (30, "Trung bình"), (0, "Yếu")),
              clause="Xếp loại theo Bộ chỉ số 766 (giả định cần đối chiếu Phụ lục)")


def indicator_items(selected: dict[str, float] | None = None, clause_prefix: str = "") -> list[
        tuple[Figure, Criterion]]:
    """The 766 indicators as (figure, criterion) pairs; ``selected`` re-weights a subset (Ninh Phước)."""
    items = []
    for id, label, points, full_at, group, clause, note in INDICATORS:
        if selected is not None and id not in selected:
            continue
        weight = points if selected is None else selected[id]
        items.append(rate_item(id, label, weight, clause=f"{clause_prefix}{clause} ({group})",
                               full_at=full_at, note=note, source=_PORTAL))
    return items

# Indicators a dossier list gives (thidua-xl ingest), with the formula read from the DVCQG notes.
# The others (công khai, đồng bộ, PAKN, dữ liệu dân cư…) come from the portal's index page and stay typed.
DOSSIER_INDICATORS: tuple[FromDossiers, ...] = (
    FromDossiers("ty_le_dung_han", Measure.TY_LE_DUNG_HAN,
                 note="hồ sơ có kết quả trước hạn hoặc đúng hạn / hồ sơ đã có kết quả trong kỳ (so theo ngày)"),
    FromDossiers("ty_le_ho_so_truc_tuyen", Measure.TY_LE_TRUC_TUYEN,
                 note="hồ sơ nộp trực tuyến (toàn trình, một phần) / hồ sơ tiếp nhận trong kỳ"),
    FromDossiers("ty_le_ho_so_thanh_toan", Measure.TY_LE_THANH_TOAN,
                 note="hồ sơ thanh toán trực tuyến / hồ sơ có nghĩa vụ tài chính"),
    FromDossiers("ty_le_ket_qua_dien_tu", Measure.TY_LE_KET_QUA_DIEN_TU,
                 note="hồ sơ có kết quả điện tử / hồ sơ đã có kết quả (cần cột 'kết quả điện tử' trong tệp)"),
    FromDossiers("ty_le_so_hoa_ho_so", Measure.TY_LE_SO_HOA, note="hồ sơ đã số hóa / hồ sơ tiếp nhận"),
    FromDossiers("ty_le_hai_long_tthc", Measure.TY_LE_HAI_LONG,
                 note="đánh giá 'hài lòng' hoặc 'rất hài lòng' / hồ sơ được đánh giá"),
)


def dossier_indicators(figures: tuple[Figure, ...]) -> tuple[FromDossiers, ...]:
    """The export-filled indicators among a bloc's figures (Ninh Phước uses a subset)."""
    ids = {f.id for f in figures}
    return tuple(d for d in DOSSIER_INDICATORS if d.figure in ids)


def _bloc(id: str, label: str) -> Bloc:
    items = indicator_items()
    figures = tuple(f for f, _ in items)
    return Bloc(id=id, label=label, unit_label="Đơn vị", max_total=100, bands=BANDS,
                figures=figures, criteria=tuple(c for _, c in items), from_dossiers=dossier_indicators(figures))


RUBRIC = Rubric(
    id=PLAN_ID,
    title="Cải thiện, nâng cao hiệu quả thực hiện các chỉ số theo Quyết định số 766/QĐ-TTg trên địa bàn tỉnh "
          "Hậu Giang năm 2024",
    issuer="Ủy ban nhân dân tỉnh Hậu Giang",
    year=2024,
    source="hau-giang-2024-chi-so-766.txt",
    blocs=(_bloc("so_nganh", "Sở, ban, ngành tỉnh"), _bloc("huyen", "UBND huyện, thị xã, thành phố"),
           _bloc("xa", "UBND xã, phường, thị trấn")),
    awards=(),
    notes=("Kết quả công khai hằng tháng (Mục IV.1.d); xếp loại theo thang Xuất sắc / Tốt / Khá / Trung bình / Yếu.",
           "Kế hoạch không quy định khen thưởng; bảng kết quả dùng để đánh giá mức độ hoàn thành nhiệm vụ."),
)
