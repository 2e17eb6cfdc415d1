"""Bad rows are counted by reason, written to the rejects file with line, unit, column and value, never counted."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from ingest_helpers import hau_giang_units, write_csv
from test_ingest_figures import DOSSIERS

from thidua_xl.ingest import ProfileError, UnitDirectory, ingest, load_profile, profile_from_dict
from thidua_xl.rubric import FromDossiers, Measure, RubricError

GOOD = "UBND xã Hòa An"
BAD = [
    ("", GOOD, "Trực tiếp", "", "01/03/2023", "05/03/2023", "", "", "", "", ""),                 # line 12
    ("A01", GOOD, "Trực tiếp", "", "01/03/2023", "05/03/2023", "", "", "", "", ""),              # 13: dup of line 2
    ("X01", "UBND xã Không Có", "Trực tiếp", "", "01/03/2023", "05/03/2023", "", "", "", "", ""),
    ("X02", GOOD, "Qua mạng", "", "01/03/2023", "05/03/2023", "", "", "", "", ""),
    ("X03", GOOD, "Trực tiếp", "", "32/01/2023", "05/03/2023", "", "", "", "", ""),
    ("X04", GOOD, "Trực tiếp", "", "01/03/2023", "abc", "", "", "", "", ""),
    ("X05", GOOD, "Trực tiếp", "", "01/03/2023", "05/03/2023", "2023/13/01", "", "", "", ""),
    ("X06", GOOD, "Trực tiếp", "", "01/03/2023", "05/03/2023", "28/02/2023", "", "", "", ""),
    ("X07", GOOD, "Trực tiếp", "", "01/03/2023", "05/03/2023", "", "Chưa rõ", "", "", ""),
    ("X08", GOOD, "Trực tiếp", "", "01/03/2023", "05/03/2023", "", "", "", "", "=cmd|' /C calc'!A0"),
]
EXPECTED = {"thieu_ma": 1, "trung_ma": 1, "don_vi": 1, "hinh_thuc_nop": 1, "ngay_tiep_nhan": 1, "han_xu_ly": 1,
            "ngay_co_ket_qua": 1, "ket_qua_truoc_tiep_nhan": 1, "thanh_toan": 1, "danh_gia": 1}


@pytest.fixture
def run(tmp_path):
    rubric, units = hau_giang_units()
    export = write_csv(tmp_path / "ho-so.csv", DOSSIERS + BAD)
    rejects = tmp_path / "loai-bo.csv"
    return ingest(export, rubric, units, load_profile(), rejects_path=rejects), rejects


def test_every_reason_counted_once(run):
    result, _ = run
    assert result.rejects == EXPECTED
    assert result.rows_read == len(DOSSIERS) + len(BAD)
    assert any("ngày có kết quả không đọc được: 1" in line for line in result.summary_lines())


def test_rejected_rows_change_no_figure(run):
    result, _ = run
    hoa_an = next(u.id for u in result.units if u.name == "Xã Hòa An")
    f = result.figures.set_index("unit_id").loc[hoa_an]
    assert (f["ho_so_tiep_nhan"], f["ho_so_truc_tuyen"], f["ho_so_da_giai_quyet"]) == (5, 3, 4)  # as without them
    assert set(result.monthly["thang"]) == {"2023-01", "2023-02"}  # no March row: all March dossiers were bad


def test_rejects_file_names_line_unit_column_and_value(run):
    _, path = run
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # opens in Excel with its diacritics
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_code = {r["Mã lý do"]: r for r in rows}
    assert [int(r["Dòng"]) for r in rows] == list(range(12, 22))  # file lines (header is line 1)
    assert by_code["trung_ma"]["Lý do"] == ("Dòng 13, hồ sơ 'A01', đơn vị 'UBND xã Hòa An': trùng mã hồ sơ với "
                                             "dòng 2 (giữ dòng đầu)")
    assert "cột 'Ngày tiếp nhận' = '32/01/2023' không phải ngày hợp lệ" in by_code["ngay_tiep_nhan"]["Lý do"]
    assert "cột 'Ngày hẹn trả' = 'abc'" in by_code["han_xu_ly"]["Lý do"]
    assert "cột 'Hình thức nộp' = 'Qua mạng' không rõ (cần: 'Trực tuyến toàn trình'" in by_code["hinh_thuc_nop"][
        "Lý do"]
    assert "'UBND xã Không Có'" in by_code["don_vi"]["Lý do"]
    assert "ngày có kết quả 28/02/2023 trước ngày tiếp nhận 01/03/2023" in by_code["ket_qua_truoc_tiep_nhan"]["Lý do"]
    assert by_code["thieu_ma"]["Lý do"].startswith("Dòng 12, đơn vị 'UBND xã Hòa An': cột 'Mã hồ sơ' trống")
    assert by_code["danh_gia"]["Đánh giá hài lòng"].startswith("'=")  # a formula-looking value stays text
    assert by_code["thanh_toan"]["Thanh toán trực tuyến"] == "Chưa rõ"  # the export's own value, kept


def test_same_commune_name_in_two_districts_needs_the_huyen_column(tmp_path):
    rubric, units = hau_giang_units(extra_xa=(("Xã Tân Bình", "Huyện Long Mỹ"),))
    rows = [("T1", "UBND xã Tân Bình", "Trực tiếp", "", "05/01/2023", "10/01/2023", "", "", "", "", "")]
    result = ingest(write_csv(tmp_path / "a.csv", rows), rubric, units, load_profile(),
                    rejects_path=tmp_path / "r.csv")
    assert result.rejects == {"don_vi": 1}
    assert "trùng tên ở nhiều nơi (Huyện Phụng Hiệp, Huyện Long Mỹ)" in (tmp_path / "r.csv").read_text("utf-8-sig")
    from ingest_helpers import HEADERS

    with_huyen = write_csv(tmp_path / "b.csv", [(*rows[0], "UBND huyện Long Mỹ")], headers=[*HEADERS, "Huyện"])
    result = ingest(with_huyen, rubric, units, load_profile())
    long_my = next(u.id for u in result.units if u.group == "Huyện Long Mỹ")
    assert result.rejected == 0 and result.figures.set_index("unit_id").loc[long_my, "ho_so_tiep_nhan"] == 1


def test_unit_names_match_across_prefixes_abbreviations_and_composition():
    _, units = hau_giang_units()
    for name in ("Xã Hòa An", "UBND xã Hoà An", "Ủy ban nhân dân  XÃ HÒA AN", "Bộ phận một cửa UBND xã Hòa An"):
        assert units.find(name).name == "Xã Hòa An"
    assert units.find("UBND H. Phụng Hiệp").name == "Huyện Phụng Hiệp"
    assert units.find("Xã Hòa Anh") == "không có trong danh sách đơn vị của kế hoạch"


def test_profile_errors_are_vietnamese(tmp_path):
    bad = tmp_path / "x.toml"
    bad.write_text("[cot\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="sai cú pháp TOML"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="Không có hồ sơ cột 'khong-co'"):
        load_profile("khong-co")
    with pytest.raises(ProfileError, match="thiếu tên cột cho: .*ngày tiếp nhận"):
        profile_from_dict({"cot": {"ma_ho_so": "Mã", "don_vi": "Đơn vị", "hinh_thuc_nop": "H", "han_xu_ly": "Hạn",
                             "ngay_co_ket_qua": "KQ"}})
    cols = {"ma_ho_so": "Mã", "don_vi": "Đơn vị", "hinh_thuc_nop": "H", "ngay_tiep_nhan": "N", "han_xu_ly": "Hạn",
            "ngay_co_ket_qua": "KQ"}
    with pytest.raises(ProfileError, match="nằm ở hai mã"):
        profile_from_dict({"cot": cols, "gia_tri": {"hinh_thuc_nop": {
            "toan_trinh": ["Trực tuyến"], "mot_phan": ["trực tuyến"], "truc_tiep": [], "buu_chinh": []}}})


def test_a_rubric_cannot_fill_an_undeclared_column():
    from dataclasses import replace

    from thidua_xl import rubrics

    bloc = rubrics.get("hau-giang-2023").bloc("xa")
    with pytest.raises(RubricError, match="cột lấy từ hồ sơ không khai báo 'khong_co'"):
        replace(bloc, from_dossiers=(FromDossiers("khong_co", Measure.TY_LE_DUNG_HAN),))._validate()


def test_a_subunit_mean_needs_a_bloc_with_a_group():
    from dataclasses import replace

    from thidua_xl import rubrics

    rubric = rubrics.get("hau-giang-2023")
    huyen = replace(rubric.bloc("huyen"), from_dossiers=(
        FromDossiers("ty_le_truc_tuyen_xa_binh_quan", Measure.TY_LE_TRUC_TUYEN, of_subunits="huyen"),))
    with pytest.raises(RubricError, match="lấy bình quân khối 'huyen'"):
        replace(rubric, blocs=(huyen, rubric.bloc("xa")))


def test_directory_from_tables_skips_blank_names():
    rubric, _ = hau_giang_units()
    tables = {"xa": pd.DataFrame({"Đơn vị": ["Xã A", None, "  "], "Huyện, thị xã, thành phố": ["H", None, None]})}
    assert [u.name for u in UnitDirectory.from_tables(rubric, tables, load_profile()).units] == ["Xã A"]


def test_malformed_lines_are_rejects_and_later_lines_keep_their_numbers(tmp_path):
    """An unquoted comma in a name adds a cell; an unclosed quote; bad bytes — set aside, the rest read."""
    from ingest_helpers import HEADERS

    rubric, units = hau_giang_units()
    good = "{n},B{n},UBND xã Tân Bình,Trực tiếp,,05/01/2023,10/01/2023,09/01/2023,,,,"
    lines = [",".join(HEADERS),
             good.format(n=1),                                                                      # line 2
             "2,B2,UBND xã Tân Bình, Phụng Hiệp,Trực tiếp,,05/01/2023,10/01/2023,09/01/2023,Có,Có,Có,Hài lòng",
             good.format(n=3),                                                                      # 4
             "4,B4,UBND xã Không Có,Trực tiếp,,05/01/2023,10/01/2023,,,,,",                         # 5: unknown unit
             good.format(n=5)]                                                                      # 6
    export = tmp_path / "ho-so.csv"
    export.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8") + b"7,B7,UBND x\xe3 T\xe2n,Tr\xe1,,,,,,,,\r\n"
                       + good.format(n=8).encode("utf-8") + b"\r\n")                             # 7: bad bytes, 8
    rejects = tmp_path / "r.csv"
    result = ingest(export, rubric, units, load_profile(), rejects_path=rejects)
    assert result.rows_read == 7
    assert result.rejects == {"cau_truc": 2, "don_vi": 1}
    tan_binh = next(u.id for u in result.units if u.name == "Xã Tân Bình")
    assert result.figures.set_index("unit_id").loc[tan_binh, "ho_so_tiep_nhan"] == 4   # B1, B3, B5, B8
    table = pd.read_csv(rejects, encoding="utf-8-sig")
    assert table["Dòng"].tolist() == [3, 5, 7]
    assert table["Lý do"][0].startswith("Dòng 3: nhiều ô hơn dòng tiêu đề")
    assert "'UBND xã Không Có'" in table["Lý do"][1] and table["Lý do"][1].startswith("Dòng 5,")
    assert table["Lý do"][2].startswith("Dòng 7: có ký tự không đọc được")
