"""A huyện spelled in another Unicode form on the xã sheet: the scoring sheet and the award sheet agree."""

from __future__ import annotations

import unicodedata

import pytest
from openpyxl import load_workbook

from thidua_xl import example_data
from thidua_xl.columns import AWARD, TOTAL
from thidua_xl.validation import UNIT
from thidua_xl.workbook.award_sheet import compute
from thidua_xl.workbook.reading import OpenpyxlSource
from thidua_xl.workbook.recalc import recalc
from thidua_xl.workbook.template import write_template

PLAN = "hau-giang-2023"
GROUP = "Huyện, thị xã, thành phố"
DISTRICT = "Huyện Châu Thành A"


def _sheet(path, name: str) -> dict[str, list[object]]:
    rows = list(load_workbook(path, data_only=True)[name].iter_rows(values_only=True))
    header, body = rows[0] if name.startswith("Số liệu") else rows[1], rows[1:] if name.startswith("Số") else rows[2:]
    body = [r for r in body if r[0] not in (None, "")]
    return {str(h): [r[i] for r in body] for i, h in enumerate(header) if h}


@pytest.mark.parametrize("form", ["NFD", "NFC"])
def test_district_mean_matches_whatever_the_composition(form, tmp_path):
    figures = example_data.load(PLAN)
    xa = figures["xa"].copy()
    ours = xa[GROUP] == DISTRICT
    assert ours.sum() >= 2
    xa.loc[ours, GROUP] = unicodedata.normalize(form, DISTRICT)
    assert (unicodedata.normalize(form, DISTRICT) == DISTRICT) == (form == "NFC")
    figures["xa"] = xa
    book = write_template(PLAN, tmp_path / "hg.xlsx", figures)
    for path in (book, recalc(book, tmp_path / "hg-re.xlsx")):
        award = compute(OpenpyxlSource(load_workbook(path)))  # what the award sheet is built from
        engine = award.blocs["huyen"].set_index(UNIT)
        inputs = _sheet(path, "Số liệu huyện")
        mean = inputs[next(h for h in inputs if "bình quân" in h.lower())]
        expected = engine["ty_le_truc_tuyen_xa_binh_quan"]
        assert mean == pytest.approx(expected.tolist()), "the sheet's mean is the engine's"
        assert isinstance(mean[inputs[next(iter(inputs))].index(DISTRICT)], float), f"{DISTRICT} keeps its mean"
        scores = _sheet(path, "Điểm huyện")
        assert scores["Đơn vị"] == engine.index.tolist()
        assert scores["Tổng điểm"] == pytest.approx(engine[TOTAL].tolist())
        assert scores["Hạng (RANK.EQ)"] == engine["hang"].astype(int).tolist()
        scheme = next(s for s in award.schemes.values() if s.scheme.blocs == ("huyen",))
        prizes = scheme.table.set_index(UNIT)[AWARD]
        for unit, shown in zip(scores["Đơn vị"], scores["Khen thưởng"], strict=True):
            if prizes[unit]:
                assert shown == prizes[unit], unit


def test_mean_function_matches_names_and_refuses_a_partial_mean():
    from thidua_xl.sheet_functions import subunit_mean_values

    header = list(example_data.load(PLAN)["xa"].columns)
    nfd = unicodedata.normalize("NFD", DISTRICT)
    rows = [["Xã A", nfd, 50, 100, 10, 10, 5], ["Xã B", DISTRICT.upper(), 100, 100, 10, 10, 5],
            ["Xã C", "Huyện Phụng Hiệp", 30, 100, 10, 10, 5], ["Xã D", "Huyện Phụng Hiệp", "nhiều", 100, 10, 10, 5]]
    out = subunit_mean_values(PLAN, "huyen", [[DISTRICT], [None], ["Huyện Phụng Hiệp"], ["Huyện Khác"]], rows,
                              [header])
    assert out[0] == [pytest.approx(0.75)] and out[1] == [""] and out[3] == [""]
    assert out[2][0].startswith("#THIDUA:") and "Huyện Phụng Hiệp" in out[2][0]
    assert subunit_mean_values(PLAN, "xa", [[DISTRICT]], rows, [header])[0][0].startswith("#THIDUA:")
