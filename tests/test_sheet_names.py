"""Sheet tabs in the words a person reads; books made with the older bloc-id names keep working."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from thidua_xl import example_data, rubrics
from thidua_xl.awards import award_plan
from thidua_xl.columns import TOTAL
from thidua_xl.tables import read_table
from thidua_xl.validation import UNIT
from thidua_xl.workbook.award_sheet import build_award_book
from thidua_xl.workbook.layout import input_sheet, score_sheet
from thidua_xl.workbook.recalc import recalc
from thidua_xl.workbook.template import write_template

PLAN = "hau-giang-2023"


def test_template_tabs_are_vietnamese_words():
    rubric = rubrics.get(PLAN)
    assert [input_sheet(b) for b in rubric.blocs] == ["Số liệu huyện", "Số liệu xã"]
    assert [score_sheet(b) for b in rubric.blocs] == ["Điểm huyện", "Điểm xã"]
    assert score_sheet(rubrics.get("chau-thanh-a-2021").bloc("phong_ban")) == "Điểm phòng ban"


@pytest.fixture(scope="module")
def old_book(tmp_path_factory):
    """The template as the earlier generator named it: 'Số liệu xa', 'Điểm huyen' … in tabs and formulas."""
    folder = tmp_path_factory.mktemp("old")
    path = write_template(PLAN, folder / "new.xlsx")
    wb = load_workbook(path)
    renames = {}
    for bloc in rubrics.get(PLAN).blocs:
        renames[input_sheet(bloc)] = f"Số liệu {bloc.id}"
        renames[score_sheet(bloc)] = f"Điểm {bloc.id}"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                text = value.text if isinstance(value, ArrayFormula) else value
                if not (isinstance(text, str) and text.startswith("=")):
                    continue
                for new, old in renames.items():
                    text = text.replace(f"'{new}'!", f"'{old}'!")
                cell.value = ArrayFormula(value.ref, text) if isinstance(value, ArrayFormula) else text
    for new, old in renames.items():
        wb[new].title = old
    old = folder / "old.xlsx"
    wb.save(old)
    return old


def test_old_names_still_read_by_recalc_awards_and_score(old_book, tmp_path):
    engine = award_plan(rubrics.get(PLAN), example_data.load(PLAN))
    again = recalc(old_book, tmp_path / "re.xlsx")
    sheet = load_workbook(again, data_only=True)["Điểm xa"]
    totals = [r[2] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    assert totals == pytest.approx(engine.blocs["xa"][TOTAL].tolist())
    _, result = build_award_book(old_book, tmp_path / "khen.xlsx")
    for sid, scheme in engine.schemes.items():
        assert result.schemes[sid].awarded[UNIT].tolist() == scheme.awarded[UNIT].tolist()
    figures = read_table(old_book, rubrics.get(PLAN).bloc("xa"))
    assert len(figures) == len(example_data.load(PLAN)["xa"])
