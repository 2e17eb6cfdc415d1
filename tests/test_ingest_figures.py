"""Per-unit figures from a hand-made export, each computed by hand in the comments."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from ingest_helpers import HEADERS, hau_giang_units, write_csv

from thidua_xl.ingest import ExportError, ingest, load_profile

NFD_HOA_AN = unicodedata.normalize("NFD", "UBND xã Hòa An")

# (mã, đơn vị, hình thức, tài khoản, tiếp nhận, hạn, có kết quả, thanh toán, số hóa, kết quả điện tử, đánh giá)
DOSSIERS = [
    # Xã Hòa An — five dossiers, three names for the same office
    ("A01", "UBND xã Hòa An", "Trực tuyến toàn trình", "acc1", "05/01/2023 08:00:00", "10/01/2023 17:00:00",
     "09/01/2023 10:00:00", "Có", "Đã số hóa", "Có", "Rất hài lòng"),                   # early
    ("A02", "UBND xã Hoà An", "Trực tuyến một phần", "acc1", "20/01/2023", "25/01/2023", "25/01/2023 16:00",
     "Không", "Chưa số hóa", "", "Hài lòng"),                                            # on time (same day)
    ("A03", NFD_HOA_AN, "Trực tiếp", "", "31/01/2023", "05/02/2023", "08/02/2023", "", "Đã số hóa", "Có",
     "Không hài lòng"),                                                                  # late, result in Feb
    ("A04", "UBND xã Hòa An", "Bưu chính công ích", "", "02/02/2023", "10/02/2023", "", "", "", "", ""),  # pending
    ("A05", "ubnd  XÃ HÒA AN", "Trực tuyến toàn trình", "acc2", "03/02/2023", "06/02/2023", "07/02/2023", "Có",
     "Đã số hóa", "Có", ""),                                                             # late online, Feb
    # Xã Tân Bình — three online dossiers, all through one account (written in two cases)
    ("B01", "UBND xã Tân Bình", "Trực tuyến toàn trình", "ACC9", "10/01/2023", "15/01/2023", "12/01/2023", "",
     "Đã số hóa", "Có", "Hài lòng"),
    ("B02", "UBND xã Tân Bình", "Trực tuyến toàn trình", "acc9", "11/01/2023", "16/01/2023", "13/01/2023", "",
     "Đã số hóa", "Có", ""),
    ("B03", "UBND xã Tân Bình", "Trực tuyến một phần", "acc9 ", "12/01/2023", "17/01/2023", "17/01/2023", "",
     "Đã số hóa", "Có", ""),
    # Huyện Phụng Hiệp's own one-stop office ("H." spelled out by the profile)
    ("C01", "UBND huyện Phụng Hiệp", "Trực tiếp", "", "15/01/2023", "20/01/2023", "19/01/2023", "", "", "", ""),
    ("C02", "UBND H. Phụng Hiệp", "Trực tuyến toàn trình", "acc5", "16/01/2023", "20/01/2023", "19/01/2023", "",
     "", "", ""),
]


@pytest.fixture
def result(tmp_path):
    rubric, units = hau_giang_units()
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS)
    return ingest(export, rubric, units, load_profile())


def _unit(result, name: str) -> pd.Series:
    by_name = {u.name: u.id for u in result.units}
    return result.figures.set_index("unit_id").loc[by_name[name]]


def test_hoa_an_counts_and_rates(result):
    f = _unit(result, "Xã Hòa An")
    assert result.rejected == 0
    assert f["ho_so_tiep_nhan"] == 5                      # A01–A05, whatever the name's composition
    assert f["ho_so_truc_tuyen"] == 3                     # A01, A02, A05
    assert f["ho_so_buu_chinh"] == 1 and f["ty_le_buu_chinh"] == pytest.approx(1 / 5)
    assert (f["ho_so_da_giai_quyet"], f["ho_so_truoc_han"], f["ho_so_dung_han"], f["ho_so_tre_han"]) == (4, 1, 1, 2)
    # 766 formula 2.1, "đã và đang xử lý": A01 early + A02 same day + A04 still within its due date (10/02) at the
    # export's last day (08/02) / (4 resolved + A04 pending) = 3 / 5
    assert f["ty_le_dung_han"] == pytest.approx(3 / 5)
    assert f["ty_le_giai_quyet_truc_tuyen"] == pytest.approx(2 / 3)  # online resolved: A01, A02 ok; A05 late
    assert f["ty_le_thanh_toan"] == pytest.approx(2 / 3)  # fee on A01 (Có), A02 (Không), A05 (Có)
    assert f["ty_le_so_hoa"] == pytest.approx(3 / 5)      # A01, A03, A05
    assert f["ty_le_ket_qua_dien_tu"] == pytest.approx(3 / 4)  # A01, A03, A05 of 4 resolved
    assert f["ty_le_hai_long"] == pytest.approx(2 / 3)    # rated A01, A02, A03; A03 not satisfied
    assert f["tre_han_truc_tuyen_thang_cao_nhat"] == 1    # A05 in February
    # accounts: acc1 ×2, acc2 ×1 → 2 accounts, 1.5 dossiers each, top account 2/3 of online dossiers
    assert (f["tai_khoan_nop"], f["ho_so_moi_tai_khoan"]) == (2, 1.5)
    assert f["ty_le_top_tai_khoan"] == pytest.approx(1.0)  # top 3 accounts hold all
    assert f["ho_so_truc_tuyen_khong_tai_khoan"] == 0
    assert f["ho_so_dang_qua_han"] == 0  # at the last receipt day (03/02) A04 is not yet due


def test_concentrated_commune_and_top_share(tmp_path):
    rubric, units = hau_giang_units()
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS)
    result = ingest(export, rubric, units, load_profile(), top=1)
    tan_binh = _unit(result, "Xã Tân Bình")
    assert (tan_binh["ho_so_truc_tuyen"], tan_binh["tai_khoan_nop"]) == (3, 1)  # ACC9 = acc9 = "acc9 "
    assert tan_binh["ho_so_moi_tai_khoan"] == 3
    assert _unit(result, "Xã Hòa An")["ty_le_top_tai_khoan"] == pytest.approx(2 / 3)  # acc1's 2 of 3


def test_monthly_split_by_receipt_and_result_month(result):
    hoa_an = next(u.id for u in result.units if u.name == "Xã Hòa An")
    m = result.monthly[result.monthly["unit_id"] == hoa_an].set_index("thang")
    assert m.loc["2023-01", "ho_so_tiep_nhan"] == 3 and m.loc["2023-02", "ho_so_tiep_nhan"] == 2
    assert m.loc["2023-01", "ho_so_da_giai_quyet"] == 2 and m.loc["2023-02", "ho_so_da_giai_quyet"] == 2
    assert m.loc["2023-02", "ho_so_tre_han"] == 2 and m.loc["2023-02", "ho_so_tre_han_truc_tuyen"] == 1


def test_plan_columns_and_district_rollup(result):
    xa = result.bloc_values("xa")
    assert list(xa.columns) == ["ho_so_truc_tuyen", "ho_so_phat_sinh", "so_tai_khoan_nop"]
    assert xa.loc["Xã Hòa An"].tolist() == [3, 5, 2]
    assert xa.loc["Xã Tân Bình"].tolist() == [3, 3, 1]
    # the district's own dossiers, and the mean of its communes' online rates: (3/5 + 3/3) / 2
    assert result.bloc_values("huyen").loc["Huyện Phụng Hiệp"].tolist() == pytest.approx([1, 2, 0.8])
    table = result.summary_table().set_index("Đơn vị")
    whole = table.loc["Toàn huyện Phụng Hiệp (cấp huyện và cấp xã)"]
    assert (whole["Hồ sơ tiếp nhận"], whole["Hồ sơ trực tuyến (toàn trình + một phần)"]) == (10, 7)
    assert whole["Tỷ lệ hồ sơ trực tuyến"] == pytest.approx(0.7)


def test_period_limits_counts_and_accounts(tmp_path):
    rubric, units = hau_giang_units()
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS)
    result = ingest(export, rubric, units, load_profile(), first="2023-02", last="2023-02")
    f = _unit(result, "Xã Hòa An")
    assert f["ho_so_tiep_nhan"] == 2                       # A04, A05 received in February
    assert f["ho_so_da_giai_quyet"] == 2                   # A03, A05 resolved in February
    assert f["tai_khoan_nop"] == 1                         # only acc2 filed in February
    assert set(result.monthly["thang"]) == {"2023-02"}    # the monthly sheet shows the period only
    assert f["ho_so_dang_qua_han"] == 1                    # A04: due 10/02, no result by 28/02
    assert any("Đến ngày 28/02/2023: 1 hồ sơ đã quá hạn" in line for line in result.summary_lines())
    assert _unit(result, "Xã Tân Bình")["ho_so_tiep_nhan"] == 0
    assert pd.isna(_unit(result, "Xã Tân Bình")["ty_le_truc_tuyen"])  # 0 / 0 is blank, not 0
    assert any("Xã Tân Bình" in line for line in result.summary_lines())


def test_missing_optional_columns_leave_figures_blank(tmp_path):
    rubric, units = hau_giang_units()
    keep = [h for h in HEADERS if h not in ("Thanh toán trực tuyến", "Tài khoản nộp hồ sơ")]
    rows = [tuple(v for h, v in zip(HEADERS[1:], d, strict=True) if h in keep) for d in DOSSIERS]
    export = write_csv(tmp_path / "ho-so.csv", rows, headers=keep)
    result = ingest(export, rubric, units, load_profile())
    f = _unit(result, "Xã Hòa An")
    assert pd.isna(f["ty_le_thanh_toan"]) and pd.isna(f["tai_khoan_nop"])
    assert f["ty_le_dung_han"] == pytest.approx(3 / 5)  # as in test_hoa_an_counts_and_rates
    assert any("thanh toán trực tuyến" in line and "tài khoản nộp" in line for line in result.summary_lines())


def test_windows_1258_semicolon_and_xlsx_exports_give_the_same_figures(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    rubric, units = hau_giang_units()
    base = ingest(write_csv(tmp_path / "a.csv", DOSSIERS), rubric, units, load_profile()).figures
    legacy = write_csv(tmp_path / "b.csv", DOSSIERS[:2] + DOSSIERS[3:], delimiter=";", encoding="cp1258")
    other = ingest(legacy, rubric, units, load_profile()).figures
    assert other.set_index("unit_id").loc[:, "ho_so_tiep_nhan"].sum() == base["ho_so_tiep_nhan"].sum() - 1

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for i, d in enumerate(DOSSIERS, start=1):
        cells = list(d)
        for k in (4, 5, 6):  # real date cells, as Excel exports them
            text = cells[k]
            if text:
                day = text.split()[0]
                cells[k] = dt.datetime.strptime(day, "%d/%m/%Y")
        ws.append([i, *cells])
        if i == 3:
            ws.append([None] * len(HEADERS))  # a blank row inside the sheet is skipped, not a reject
    wb.save(tmp_path / "c.xlsx")
    from_xlsx = ingest(tmp_path / "c.xlsx", rubric, units, load_profile())
    assert from_xlsx.rejected == 0
    cols = ["ho_so_tiep_nhan", "ho_so_truc_tuyen", "ho_so_tre_han", "tai_khoan_nop", "ty_le_hai_long"]
    pd.testing.assert_frame_equal(from_xlsx.figures[cols], base[cols])


def test_missing_required_column_names_it(tmp_path):
    rubric, units = hau_giang_units()
    headers = [h if h != "Ngày hẹn trả" else "Hạn trả (ngày)" for h in HEADERS]
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS, headers=headers)
    with pytest.raises(ExportError, match="thiếu cột: hạn xử lý .*'Ngày hẹn trả'.*'Hạn trả \\(ngày\\)'"):
        ingest(export, rubric, units, load_profile())


def test_bad_period_options(tmp_path):
    rubric, units = hau_giang_units()
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS)
    with pytest.raises(ExportError, match="--tu '2023-13'"):
        ingest(export, rubric, units, load_profile(), first="2023-13")
    with pytest.raises(ExportError, match="tháng đầu 2023-05 sau tháng cuối 2023-02"):
        ingest(export, rubric, units, load_profile(), first="2023-05", last="2023-02")


def test_another_provinces_export_through_a_dict_profile(tmp_path):
    """Other column names, ISO dates, tab-separated, its own words for the submission form."""
    from thidua_xl.ingest import UnitDirectory, profile_from_dict

    profile = profile_from_dict({
        "ho_so": {"phan_cach": "tab"},
        "cot": {"ma_ho_so": "Số biên nhận", "don_vi": "Nơi tiếp nhận", "hinh_thuc_nop": "Kênh",
                "ngay_tiep_nhan": "Nhận lúc", "han_xu_ly": "Hẹn trả", "ngay_co_ket_qua": "Trả lúc"},
        "ngay": {"dinh_dang": ["%Y-%m-%d %H:%M"]},
        "gia_tri": {"hinh_thuc_nop": {"toan_trinh": ["DVC mức 4"], "mot_phan": ["DVC mức 3"],
                                      "truc_tiep": ["Quầy"], "buu_chinh": ["VNPost"]}},
        "don_vi": {"bo_tien_to": ["Một cửa"]},
    })
    rubric, _ = hau_giang_units()
    units = UnitDirectory(hau_giang_units()[1].units, profile)
    rows = [("S1", "Một cửa Xã Hòa An", "DVC mức 4", "2023-01-05 08:00", "2023-01-09 17:00", "2023-01-06 09:00"),
            ("S2", "Một cửa Xã Hòa An", "Quầy", "2023-01-06 08:00", "2023-01-09 17:00", "2023-01-10 09:00"),
            ("S3", "Một cửa Xã Hòa An", "VNPost", "2023-01-07 08:00", "2023-01-09 17:00", "")]
    export = write_csv(tmp_path / "khac.tsv", rows, delimiter="\t",
                       headers=["STT", "Số biên nhận", "Nơi tiếp nhận", "Kênh", "Nhận lúc", "Hẹn trả", "Trả lúc"])
    result = ingest(export, rubric, units, profile)
    f = _unit(result, "Xã Hòa An")
    assert result.rejected == 0
    assert (f["ho_so_tiep_nhan"], f["ho_so_truc_tuyen"], f["ho_so_buu_chinh"]) == (3, 1, 1)
    # S1 early, S2 late (result 10/01, the export's last day), S3 due 09/01 and still pending on 10/01: 1 / 3
    assert f["ty_le_dung_han"] == pytest.approx(1 / 3)
    assert pd.isna(f["ty_le_thanh_toan"]) and pd.isna(f["tai_khoan_nop"])  # columns this export lacks


def test_duckdb_counts_match_an_independent_pandas_count(tmp_path):
    """20,000 synthetic dossiers: every unit's counts recomputed row by row in pandas."""
    from thidua_xl import example_data, rubrics
    from thidua_xl.ingest import UnitDirectory
    from thidua_xl.ingest.synthetic import write_export

    rubric = rubrics.get("hau-giang-766-2024")
    units = UnitDirectory.from_tables(rubric, example_data.load(rubric.id), load_profile())
    export = tmp_path / "ho-so.csv"
    write_export(export, units.units, 20_000, seed=11, bad_rows=False)
    result = ingest(export, rubric, units, load_profile())
    assert result.rejected == 0

    raw = pd.read_csv(export, dtype=str, keep_default_na=False)
    raw["unit"] = [units.find(n).id for n in raw["Đơn vị tiếp nhận"]]
    day = {c: pd.to_datetime(raw[c], format="%d/%m/%Y %H:%M:%S", errors="coerce").dt.normalize()
           for c in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả")}
    online = raw["Hình thức nộp"].str.startswith("Trực tuyến")
    done = day["Ngày có kết quả"].notna()
    by_hand = pd.DataFrame({
        "ho_so_tiep_nhan": raw.groupby("unit").size(),
        "ho_so_truc_tuyen": online.groupby(raw["unit"]).sum(),
        "ho_so_buu_chinh": (raw["Hình thức nộp"] == "Bưu chính công ích").groupby(raw["unit"]).sum(),
        "ho_so_da_giai_quyet": done.groupby(raw["unit"]).sum(),
        "ho_so_tre_han": (day["Ngày có kết quả"] > day["Ngày hẹn trả"]).groupby(raw["unit"]).sum(),
        "ho_so_thanh_toan_truc_tuyen": (raw["Thanh toán trực tuyến"] == "Có").groupby(raw["unit"]).sum(),
        "ho_so_hai_long": raw["Đánh giá hài lòng"].isin(["Hài lòng", "Rất hài lòng"]).groupby(raw["unit"]).sum(),
        "tai_khoan_nop": raw[online].groupby("unit")["Tài khoản nộp hồ sơ"].nunique(),
    }).astype(float)
    got = result.figures.set_index("unit_id").loc[by_hand.index, by_hand.columns]
    pd.testing.assert_frame_equal(got, by_hand, check_names=False)
