"""Template → example figures → headless recalc → award sheet, for every plan; values equal the engine's."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from thidua_xl import example_data, rubrics
from thidua_xl.awards import award_plan
from thidua_xl.columns import AWARD, TOTAL
from thidua_xl.validation import UNIT
from thidua_xl.workbook.award_sheet import build_award_book
from thidua_xl.workbook.layout import AWARDS, score_sheet
from thidua_xl.workbook.recalc import recalc
from thidua_xl.workbook.template import build_template, template_path, write_template

ROOT = Path(__file__).resolve().parents[1]
PLANS = rubrics.available()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Each plan's template with the example figures, recalculated headless (done once per plan)."""
    folder = tmp_path_factory.mktemp("books")
    out = {}
    for plan in PLANS:
        book = write_template(plan, folder / f"{plan}.xlsx")
        before = _digest(book)
        result = recalc(book, folder / f"{plan}-values.xlsx")
        assert _digest(book) == before, "recalc must not modify the original workbook"
        out[plan] = (book, result)
    return out


def _score_table(path: Path, plan: str, bloc_id: str) -> dict[str, list[object]]:
    ws = load_workbook(path, data_only=True)[score_sheet(rubrics.get(plan).bloc(bloc_id))]
    headers = [c.value for c in ws[2]]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    return {h: [r[i] for r in rows] for i, h in enumerate(headers)}


@pytest.mark.parametrize("plan", PLANS)
def test_recalculated_template_equals_engine(plan, recalculated):
    rubric = rubrics.get(plan)
    engine = award_plan(rubric, example_data.load(plan))
    _, values = recalculated[plan]
    for bloc in rubric.blocs:
        sheet = _score_table(values, plan, bloc.id)
        expected = engine.blocs[bloc.id].set_index(UNIT)
        assert sheet["Đơn vị"] == expected.index.tolist()
        assert sheet["Tổng điểm"] == pytest.approx(expected[TOTAL].tolist())
        assert sheet["Tổng (chi tiết)"] == pytest.approx(expected[TOTAL].tolist())
        assert sheet["Hạng (RANK.EQ)"] == expected["hang"].astype(int).tolist()
        if "Khen thưởng" in sheet:
            scheme = next(s for s in engine.schemes.values() if s.scheme.blocs == (bloc.id,))
            awarded = scheme.table.set_index(UNIT)[AWARD]
            for unit, text in zip(sheet["Đơn vị"], sheet["Khen thưởng"], strict=True):
                if awarded[unit]:
                    assert text == awarded[unit]
        assert "Tổng" in sheet["Kết luận"][0]


def test_blend_column_recalculated_from_commune_sheet(recalculated):
    ws = load_workbook(recalculated["hau-giang-2023"][1], data_only=True)["Số liệu huyen"]
    means = [r[-1] for r in ws.iter_rows(min_row=2, max_row=9, values_only=True)]
    engine = award_plan(rubrics.get("hau-giang-2023"), example_data.load("hau-giang-2023")).blocs["huyen"]
    assert means == pytest.approx(engine["ty_le_truc_tuyen_xa_binh_quan"].tolist())


def test_guide_summary_uses_ordinary_functions(recalculated):
    """COUNT, MAX, INDEX/MATCH and SUM on the guide sheet, evaluated headless, per bloc in order."""
    plan = "chau-thanh-a-2021"
    ws = load_workbook(recalculated[plan][1], data_only=True)["Hướng dẫn"]
    found: dict[str, list[object]] = {}
    for label, value, *_ in ws.iter_rows(values_only=True):
        if label in ("Số đơn vị đã chấm điểm", "Điểm cao nhất", "Đơn vị dẫn đầu", "Tổng điểm cả khối"):
            found.setdefault(label, []).append(value)
    engine = award_plan(rubrics.get(plan), example_data.load(plan)).blocs
    for i, bloc in enumerate(rubrics.get(plan).blocs):
        frame = engine[bloc.id]
        assert found["Số đơn vị đã chấm điểm"][i] == len(frame)
        assert found["Điểm cao nhất"][i] == pytest.approx(frame[TOTAL].max())
        assert found["Đơn vị dẫn đầu"][i] == frame[frame[TOTAL] == frame[TOTAL].max()].iloc[0][UNIT]
        assert found["Tổng điểm cả khối"][i] == pytest.approx(frame[TOTAL].sum())


@pytest.mark.parametrize("plan", PLANS)
def test_award_sheet_lists_the_engine_awards(plan, recalculated, tmp_path):
    book, _ = recalculated[plan]
    before = _digest(book)
    written, result = build_award_book(book, tmp_path / "out.xlsx")
    assert _digest(book) == before
    wb = load_workbook(written)
    text = "\n".join(str(v) for row in wb[AWARDS].iter_rows(values_only=True) for v in row if v is not None)
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert rubrics.get(plan).version in text
    engine = award_plan(rubrics.get(plan), example_data.load(plan))
    for scheme in engine.schemes.values():
        for unit in scheme.awarded[UNIT]:
            assert unit in text
        assert f"Tổng tiền thưởng: {scheme.total_prize:,} đồng".replace(",", ".") in text
    if not engine.schemes:
        assert "Xuất sắc" in text or "Tốt" in text
    ws = wb[AWARDS]
    assert ws._charts, "a native bar chart of scores"
    assert ws["A1"].font.name == "Times New Roman"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    # Building it twice gives the same sheet.
    again, _ = build_award_book(book, tmp_path / "again.xlsx")
    second = "\n".join(str(v) for row in load_workbook(again)[AWARDS].iter_rows(values_only=True) for v in row
                       if v is not None)
    assert second == text


def _content(wb) -> dict[str, list[tuple]]:
    """Every cell's formula or typed value; the cells of an array range other than its first hold the
    cached results (read back as values) and are compared through the values test instead."""
    from openpyxl.worksheet.formula import ArrayFormula

    from thidua_xl.workbook.recalc import array_ranges

    def members(ws) -> set[str]:
        return {c.coordinate for ref in array_ranges(ws) for row in ws[ref] for c in row} - {
            ref.split(":")[0] for ref in array_ranges(ws)}

    def show(v):
        if isinstance(v, ArrayFormula):
            return f"{{{v.ref}}}{v.text}"
        return None if v == "" else v

    out = {}
    for ws in wb.worksheets:
        skip = members(ws)
        out[ws.title] = [tuple(None if c.coordinate in skip else show(c.value) for c in row) for row in ws.iter_rows()]
    return out


@pytest.mark.parametrize("plan", PLANS)
def test_committed_templates_match_the_generator(plan):
    committed = template_path(plan, ROOT / "workbooks")
    assert committed.exists(), f"run 'thidua-xl template {plan}'"
    assert _content(load_workbook(committed)) == _content(build_template(plan)), \
        f"{committed.name} drifted from the generator: run 'thidua-xl template {plan}'"


def _dark_pixels(pgm: Path) -> int:
    data = pgm.read_bytes()
    parts = data.split(maxsplit=4)  # P5 width height maxval pixels
    pixels = parts[4]
    return sum(1 for b in pixels if b < 128)


@pytest.mark.parametrize("plan", ["hau-giang-2023", "hau-giang-766-2024"])
def test_libreoffice_renders_award_sheet_and_template(plan, recalculated, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice/poppler missing in CI: .ci/run installs libreoffice-calc-nogui and poppler-utils")
        pytest.skip("LibreOffice (soffice) or pdftoppm is not installed on this machine")
    book, _ = recalculated[plan]
    award_book, _ = build_award_book(book, tmp_path / "danh-sach.xlsx", separate=True)
    for source in (award_book, book):
        env = dict(os.environ, HOME=str(tmp_path))
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=180, env=env)
        pdf = tmp_path / f"{source.stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000
        subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / source.stem)],
                       check=True, capture_output=True, timeout=60)
        page = next(tmp_path.glob(f"{source.stem}*.pgm"))
        assert _dark_pixels(page) > 500, f"{source.name}: first page renders empty"
