"""Input checks: every problem names the unit, the column and the value, in Vietnamese."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from thidua_xl import rubrics
from thidua_xl.scoring import score
from thidua_xl.validation import InputError

CTA = rubrics.get("chau-thanh-a-2021")


def cta_row(name="Xã A", **over):
    row = {"Đơn vị": name, "co_ke_hoach": "có", "so_thu_tuc_dang_ky": 1, "so_tai_khoan": 1500,
           "so_ho_so_truc_tuyen": 200, "ty_le_giai_quyet": 0.98, "bao_cao_tre_1_3_ngay": 0,
           "bao_cao_tre_qua_3_ngay": 0, "bao_cao_khong_trung_thuc": 0}
    row.update(over)
    return row


def scored(*rows):
    return score(CTA, "xa", pd.DataFrame(list(rows))).set_index("don_vi")


def test_headers_by_label_or_id_any_order_any_case():
    df = pd.DataFrame([cta_row()]).rename(columns={"so_tai_khoan": "  SỐ TÀI KHOẢN dvctt TẠO ĐƯỢC "})
    df = df[list(reversed(df.columns))]
    assert scored(*df.to_dict("records")).loc["Xã A", "tong_diem"] == 100


def test_missing_column_is_a_blocking_error():
    df = pd.DataFrame([cta_row()]).drop(columns=["so_tai_khoan"])
    with pytest.raises(InputError, match="Thiếu cột 'Số tài khoản DVCTT tạo được'"):
        score(CTA, "xa", df)


def test_text_in_number_cell_takes_only_that_unit_out():
    out = scored(cta_row("Xã A", so_tai_khoan="abc"), cta_row("Xã B"))
    assert np.isnan(out.loc["Xã A", "tong_diem"])
    assert out.loc["Xã A", "loi_du_lieu"] == (
        "Đơn vị 'Xã A', cột 'Số tài khoản DVCTT tạo được': 'abc' không phải số (giá trị 'abc').")
    assert out.loc["Xã B", "tong_diem"] == 100
    assert not out.loc["Xã A", "du_dieu_kien"]


@pytest.mark.parametrize("typed, expected", [
    ([0.985, 0.99], [0.985, 0.99]),       # fractions
    ([98.5, 99], [0.985, 0.99]),          # percents
    (["98,5%", "99 %"], [0.985, 0.99]),   # text with % and decimal comma
    (["98,5", "99"], [0.985, 0.99]),      # Vietnamese decimal comma, percent scale inferred
])
def test_rates_are_read_unambiguously(typed, expected):
    out = scored(cta_row("Xã A", ty_le_giai_quyet=typed[0]), cta_row("Xã B", ty_le_giai_quyet=typed[1]))
    assert out["ty_le_giai_quyet"].tolist() == pytest.approx(expected)


def test_mixed_fraction_and_percent_is_refused_as_ambiguous():
    out = scored(cta_row("Xã A", ty_le_giai_quyet=0.99), cta_row("Xã B", ty_le_giai_quyet=99))
    assert "không rõ là phần trăm hay tỷ lệ" in out.loc["Xã A", "loi_du_lieu"]
    assert out.loc["Xã B", "loi_du_lieu"] == ""


@pytest.mark.parametrize("value, message", [
    ("105%", "tỷ lệ lớn hơn 100 %"),
    (-0.5, "tỷ lệ âm"),
])
def test_rate_out_of_range(value, message):
    out = scored(cta_row("Xã A", ty_le_giai_quyet=value), cta_row("Xã B"))
    assert message in out.loc["Xã A", "loi_du_lieu"]
    assert "Tỷ lệ giải quyết hồ sơ DVCTT" in out.loc["Xã A", "loi_du_lieu"]


def test_negative_and_fractional_counts():
    out = scored(cta_row("Xã A", so_tai_khoan=-3), cta_row("Xã B", so_tai_khoan=1500.5), cta_row("Xã C"))
    assert "số âm" in out.loc["Xã A", "loi_du_lieu"]
    assert "không phải số nguyên" in out.loc["Xã B", "loi_du_lieu"]


def test_vietnamese_thousands_separator_in_text():
    out = scored(cta_row("Xã A", so_tai_khoan="1.732"))
    assert out.loc["Xã A", "tai_khoan"] == 45


def test_numerator_above_denominator():
    hg = rubrics.get("hau-giang-2023")
    row = {"Xã, phường, thị trấn": "Xã A", "huyen": "Huyện Vị Thủy", "ho_so_truc_tuyen": 120,
           "ho_so_phat_sinh": 100, "tai_khoan_dinh_danh": 10, "nguoi_co_cccd": 20}
    out = score(hg, "xa", pd.DataFrame([row])).set_index("don_vi")
    assert out.loc["Xã A", "loi_du_lieu"] == (
        "Đơn vị 'Xã A', cột 'Tổng số hồ sơ TTHC nộp trực tuyến': 120 lớn hơn 'Tổng số hồ sơ phát sinh "
        "(trực tiếp, trực tuyến)' = 100 — tử số không thể vượt mẫu số.")


def test_duplicate_units_after_nfc_space_and_case_folding():
    nfd = unicodedata.normalize("NFD", "Xã Hòa An")
    out = score(CTA, "xa", pd.DataFrame([cta_row("Xã Hòa An"), cta_row(f" {nfd.upper()}  "), cta_row("Xã B")]))
    assert out["loi_du_lieu"].str.contains("bị trùng tên").tolist() == [True, True, False]
    assert out["tong_diem"].isna().tolist() == [True, True, False]


def test_blank_required_cell():
    out = scored(cta_row("Xã A", so_tai_khoan=None), cta_row("Xã B"))
    assert "ô trống" in out.loc["Xã A", "loi_du_lieu"]


def test_yes_no_words():
    out = scored(cta_row("Xã A", co_ke_hoach="Không"), cta_row("Xã B", co_ke_hoach="x"),
                 cta_row("Xã C", co_ke_hoach="chắc vậy"))
    assert out.loc["Xã A", "ke_hoach"] == 0 and out.loc["Xã B", "ke_hoach"] == 10
    assert "không phải có/không" in out.loc["Xã C", "loi_du_lieu"]
