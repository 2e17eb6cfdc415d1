"""Every ribbon button, headless, on each plan's template: the sheets written, and input sheets untouched."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from thidua_xl import example_data, rubrics
from thidua_xl.awards import award_plan
from thidua_xl.workbook import macros
from thidua_xl.workbook.book import NotOwnedSheet, OpenpyxlBook
from thidua_xl.workbook.layout import CHECK, award_sheet_name, input_sheet
from thidua_xl.workbook.template import write_template

PLANS = rubrics.available()


def _sheet_parts(path: Path) -> dict[str, bytes]:
    """Each worksheet's XML part by sheet name (the bytes Excel would read)."""
    with zipfile.ZipFile(path) as z:
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
              "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for sheet in book.find("m:sheets", ns):
            part = target[sheet.get(f"{{{ns['r']}}}id")].lstrip("/")
            part = part if part.startswith("xl/") else f"xl/{part}"
            out[sheet.get("name")] = z.read(part)
        return out


def _run_all(path: Path) -> OpenpyxlBook:
    book = OpenpyxlBook(path)
    macros.check_data(book)
    macros.build_awards(book)
    book.save()
    macros.recalculate(book)
    return book


@pytest.mark.parametrize("plan", PLANS)
def test_every_button_twice_leaves_inputs_byte_identical_and_outputs_identical(plan, tmp_path):
    path = write_template(plan, tmp_path / f"{plan}.xlsx")
    original = _sheet_parts(path)
    rubric = rubrics.get(plan)
    inputs = [input_sheet(b) for b in rubric.blocs]

    book = _run_all(path)
    first = _sheet_parts(path)
    _run_all(path)
    second = _sheet_parts(path)

    for name in inputs:
        assert first[name] == original[name], f"{name} changed after the macros"
        assert second[name] == original[name], f"{name} changed after running the macros twice"
    awards = award_sheet_name(rubric)
    for name in (awards, CHECK):
        assert first[name] == second[name], f"{name} differs between two runs"
    assert (tmp_path / f"{plan}-tinh-lai.xlsx").exists()
    assert any("không phát hiện lỗi" in m for m in book.messages)
    assert any(awards in m for m in book.messages)


def test_award_button_writes_the_engine_result(tmp_path):
    path = write_template("hau-giang-2023", tmp_path / "hg.xlsx")
    book = OpenpyxlBook(path)
    result = macros.build_awards(book)
    engine = award_plan(rubrics.get("hau-giang-2023"), example_data.load("hau-giang-2023"))
    for sid, scheme in engine.schemes.items():
        assert result.schemes[sid].awarded["don_vi"].tolist() == scheme.awarded["don_vi"].tolist()


def test_check_button_lists_problems_with_unit_column_value(tmp_path):
    path = write_template("chau-thanh-a-2021", tmp_path / "cta.xlsx")
    wb = load_workbook(path)
    ws = wb["Số liệu xã"]
    ws["D3"] = "=cmd|' /C calc'!A0"   # a pasted formula-looking text in a number column
    ws["A5"] = ws["A4"].value          # duplicate unit
    wb.save(path)
    book = OpenpyxlBook(path)
    problems = macros.check_data(book)
    book.save()
    rows = list(load_workbook(path)[CHECK].iter_rows(min_row=3, values_only=True))
    assert problems and len(rows) == len(problems)
    assert any("bị trùng tên" in r[5] for r in rows)
    assert "Lỗi" not in book.messages[-1] and "vấn đề" in book.messages[-1]


def test_macros_refuse_to_write_user_sheets(tmp_path):
    book = OpenpyxlBook(write_template("ninh-phuoc-2023", tmp_path / "np.xlsx"))
    with pytest.raises(NotOwnedSheet):
        book.replace_sheet("Số liệu xã", lambda wb, name: None)


def test_new_from_template_never_overwrites(tmp_path):
    first = macros.new_from_template("ninh-phuoc-2023", tmp_path)
    second = macros.new_from_template("ninh-phuoc-2023", tmp_path)
    assert first != second and first.exists() and second.exists()
    assert load_workbook(second)["Hướng dẫn"]["B3"].value == "ninh-phuoc-2023"


def test_renamed_input_sheet_is_reported(tmp_path):
    path = write_template("ninh-phuoc-2023", tmp_path / "np.xlsx")
    wb = load_workbook(path)
    wb["Số liệu xã"].title = "Xa thang 11"
    wb.save(path)
    with pytest.raises(KeyError, match="Không tìm thấy sheet 'Số liệu xã'"):
        macros.build_awards(OpenpyxlBook(path))
