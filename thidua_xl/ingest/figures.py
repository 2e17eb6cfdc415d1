"""Counts per unit and month → the period's figures: sums, rates, the worst month, account concentration.

Rates are computed from the summed counts of the period (not as a mean of
monthly rates), so a unit with a busy month weighs as the plan's "tổng số
hồ sơ" says. A rate whose denominator is 0, or whose export column is
missing, stays empty — never 0 — and the summary says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..rubric import Measure
from .pipeline import COUNTS

# rate column → (numerator count, denominator count)
RATES: dict[str, tuple[str, str]] = {
    Measure.TY_LE_TRUC_TUYEN: ("ho_so_truc_tuyen", "ho_so_tiep_nhan"),
    Measure.TY_LE_TRUC_TUYEN_DVCTT_CONG_BO: ("ho_so_truc_tuyen_dvctt_cong_bo", "ho_so_dvctt_cong_bo"),
    # 766 formula 2.1: dossiers "đã và đang xử lý" on time or within time / dossiers processed in the period
    Measure.TY_LE_DUNG_HAN: ("ho_so_dung_han_trong_han", "ho_so_da_va_dang_xu_ly"),
    Measure.TY_LE_GIAI_QUYET_TRUC_TUYEN: ("ho_so_truc_tuyen_dung_han", "ho_so_truc_tuyen_da_giai_quyet"),
    Measure.TY_LE_THANH_TOAN: ("ho_so_thanh_toan_truc_tuyen", "ho_so_phai_thanh_toan"),
    Measure.TY_LE_SO_HOA: ("ho_so_so_hoa", "ho_so_tiep_nhan"),
    Measure.TY_LE_KET_QUA_DIEN_TU: ("ho_so_ket_qua_dien_tu", "ho_so_da_giai_quyet"),
    Measure.TY_LE_BUU_CHINH: ("ho_so_buu_chinh", "ho_so_tiep_nhan"),
    Measure.TY_LE_HAI_LONG: ("ho_so_hai_long", "ho_so_danh_gia"),
    # 766 formula 5.4: (dossiers − rated unsatisfied − complained about − late) / dossiers
    Measure.TY_LE_HAI_LONG_TTHC: ("ho_so_khong_bi_tru_hai_long", "ho_so_da_va_dang_xu_ly"),
    "ho_so_moi_tai_khoan": ("ho_so_co_tai_khoan", "tai_khoan_nop"),
    "ty_le_top_tai_khoan": ("ho_so_top_tai_khoan", "ho_so_co_tai_khoan"),
}

LABELS: dict[str, str] = {
    "ho_so_tiep_nhan": "Hồ sơ tiếp nhận",
    "ho_so_truc_tuyen": "Hồ sơ trực tuyến (toàn trình + một phần)",
    "ho_so_toan_trinh": "Trực tuyến toàn trình",
    "ho_so_mot_phan": "Trực tuyến một phần",
    "ho_so_truc_tiep": "Trực tiếp",
    "ho_so_buu_chinh": "Bưu chính công ích",
    "ho_so_truc_tuyen_khong_tai_khoan": "Hồ sơ trực tuyến không ghi tài khoản",
    "ho_so_phai_thanh_toan": "Hồ sơ có nghĩa vụ tài chính",
    "ho_so_thanh_toan_truc_tuyen": "Hồ sơ thanh toán trực tuyến",
    "ho_so_so_hoa": "Hồ sơ đã số hóa",
    "ho_so_danh_gia": "Hồ sơ được đánh giá",
    "ho_so_hai_long": "Đánh giá hài lòng, rất hài lòng",
    "ho_so_phan_anh": "Hồ sơ bị phản ánh, kiến nghị",
    "ho_so_dvctt_cong_bo": "Hồ sơ của DVCTT đã công bố",
    "ho_so_truc_tuyen_dvctt_cong_bo": "Hồ sơ trực tuyến của DVCTT đã công bố",
    Measure.TY_LE_TRUC_TUYEN_DVCTT_CONG_BO: "Tỷ lệ hồ sơ trực tuyến trên hồ sơ của DVCTT đã công bố",
    "ho_so_dang_trong_han": "Hồ sơ chưa có kết quả, còn trong hạn (cuối kỳ)",
    "ho_so_da_va_dang_xu_ly": "Hồ sơ đã và đang xử lý trong kỳ",
    "ho_so_dung_han_trong_han": "Hồ sơ đã và đang xử lý đúng hạn, trong hạn",
    "ho_so_khong_bi_tru_hai_long": "Hồ sơ không bị đánh giá không hài lòng, phản ánh hay trễ hạn",
    Measure.TY_LE_HAI_LONG_TTHC: "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (chỉ số 766)",
    "ho_so_da_giai_quyet": "Hồ sơ đã có kết quả",
    "ho_so_truoc_han": "Trước hạn",
    "ho_so_dung_han": "Đúng hạn",
    "ho_so_tre_han": "Trễ hạn",
    "ho_so_truoc_han_dung_han": "Trước hạn + đúng hạn",
    "ho_so_truc_tuyen_da_giai_quyet": "Hồ sơ trực tuyến đã có kết quả",
    "ho_so_truc_tuyen_dung_han": "Hồ sơ trực tuyến có kết quả trước/đúng hạn",
    "ho_so_tre_han_truc_tuyen": "Hồ sơ trực tuyến trễ hạn",
    "ho_so_ket_qua_dien_tu": "Hồ sơ có kết quả điện tử",
    Measure.TRE_HAN_TRUC_TUYEN_THANG_CAO_NHAT: "Hồ sơ trực tuyến trễ hạn trong tháng nhiều nhất",
    Measure.TAI_KHOAN_NOP: "Số tài khoản khác nhau nộp trực tuyến",
    "ho_so_co_tai_khoan": "Hồ sơ trực tuyến có ghi tài khoản",
    "ho_so_top_tai_khoan": "Hồ sơ từ các tài khoản nộp nhiều nhất",
    Measure.TY_LE_TRUC_TUYEN: "Tỷ lệ hồ sơ trực tuyến",
    Measure.TY_LE_DUNG_HAN: "Tỷ lệ đã và đang xử lý đúng hạn, trong hạn",
    Measure.TY_LE_GIAI_QUYET_TRUC_TUYEN: "Tỷ lệ hồ sơ trực tuyến giải quyết trước/đúng hạn",
    Measure.TY_LE_THANH_TOAN: "Tỷ lệ thanh toán trực tuyến",
    Measure.TY_LE_SO_HOA: "Tỷ lệ số hóa hồ sơ",
    Measure.TY_LE_KET_QUA_DIEN_TU: "Tỷ lệ có kết quả điện tử",
    Measure.TY_LE_BUU_CHINH: "Tỷ lệ bưu chính công ích",
    Measure.TY_LE_HAI_LONG: "Tỷ lệ hài lòng",
    "ho_so_moi_tai_khoan": "Hồ sơ trực tuyến bình quân mỗi tài khoản",
    "ho_so_dang_qua_han": "Hồ sơ quá hạn chưa có kết quả (cuối kỳ)",
    "ho_so_truc_tuyen_dang_qua_han": "Hồ sơ trực tuyến quá hạn chưa có kết quả (cuối kỳ)",
    "ty_le_top_tai_khoan": "Tỷ lệ hồ sơ từ các tài khoản nộp nhiều nhất",
}

ACCOUNT_COUNTS = (Measure.TAI_KHOAN_NOP.value, "ho_so_co_tai_khoan", "ho_so_top_tai_khoan")
PENDING_COUNTS = ("ho_so_dang_qua_han", "ho_so_truc_tuyen_dang_qua_han", "ho_so_dang_trong_han")


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Rate columns from the count columns present; 0 / 0 and missing counts give an empty rate."""
    out = frame.copy()
    if "ho_so_truoc_han" in out:
        out["ho_so_truoc_han_dung_han"] = out["ho_so_truoc_han"] + out["ho_so_dung_han"]
    if "ho_so_dang_trong_han" in out:  # the period's figures (the monthly table has no end-of-period pending)
        within, past = out["ho_so_dang_trong_han"], out["ho_so_dang_qua_han"]
        out["ho_so_da_va_dang_xu_ly"] = out["ho_so_da_giai_quyet"] + within + past
        out["ho_so_dung_han_trong_han"] = out["ho_so_truoc_han_dung_han"] + within
        late = out["ho_so_tre_han"] + past
        unsatisfied = out["ho_so_danh_gia"] - out["ho_so_hai_long"]  # blank without a rating column
        complained = out["ho_so_phan_anh"].fillna(0) if "ho_so_phan_anh" in out else 0  # no column: none counted
        out["ho_so_khong_bi_tru_hai_long"] = (out["ho_so_da_va_dang_xu_ly"] - unsatisfied - complained
                                              - late).clip(lower=0)
    for rate, (num, den) in RATES.items():
        if num in out and den in out:
            d = out[den].astype(float)
            out[str(rate)] = np.where(d > 0, out[num].astype(float) / d.where(d > 0, 1.0), np.nan)
    return out


def in_period(monthly: pd.DataFrame, first: str | None, last: str | None) -> pd.DataFrame:
    keep = pd.Series(True, index=monthly.index)
    if first:
        keep &= monthly["thang"] >= first
    if last:
        keep &= monthly["thang"] <= last
    return monthly[keep]


def period_figures(unit_ids: list[int], monthly: pd.DataFrame, per_unit: pd.DataFrame,
                   fields: tuple[str, ...]) -> pd.DataFrame:
    """One row per unit (every unit of the plan, even one without dossiers): counts, worst month, rates."""
    counts = list(COUNTS)
    index = pd.Index(unit_ids, name="unit_id")
    sums = monthly.groupby("unit_id")[counts].sum().reindex(index, fill_value=0)
    worst = monthly.groupby("unit_id")["ho_so_tre_han_truc_tuyen"].max().reindex(index, fill_value=0)
    sums[Measure.TRE_HAN_TRUC_TUYEN_THANG_CAO_NHAT.value] = worst
    extra = per_unit.set_index("unit_id")[[*ACCOUNT_COUNTS, *PENDING_COUNTS]].reindex(index).fillna(0)
    table = pd.concat([sums, extra], axis=1).astype("float64")
    for count, needs in COUNTS.items():
        if needs is not None and needs not in fields:
            table[count] = np.nan
    if "tai_khoan" not in fields:
        table[list(ACCOUNT_COUNTS)] = np.nan
    return add_rates(table).reset_index()
