"""`thidua-xl ingest` into a units book kept by month: each (unit, month) row filled from that month's dossiers."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.ingest_helpers import write_csv
from thidua_xl import example_data, rubrics
from thidua_xl.cli import app
from thidua_xl.workbook.layout import input_sheet
from thidua_xl.workbook.template import build_template

PLAN = "chau-thanh-a-2021"
RUBRIC = rubrics.get(PLAN)
ONLINE = RUBRIC.bloc("xa").figure("so_ho_so_truc_tuyen").label
RATE = RUBRIC.bloc("xa").figure("ty_le_giai_quyet").label
ACCOUNTS = RUBRIC.bloc("xa").figure("so_tai_khoan").label


@pytest.fixture()
def units_book(tmp_path):
    """The plan's units kept by month, January and February 2023 typed (the example figures, re-dated)."""
    tables = {}
    for bloc, table in example_data.load(PLAN, months=True).items():
        table = table[table["Kỳ"].isin(["2021-01", "2021-02"])].copy()
        table["Kỳ"] = table["Kỳ"].str.replace("2021", "2023")
        tables[bloc] = table
    path = tmp_path / "so-theo-thang.xlsx"
    build_template(PLAN, tables).save(path)  # ingest reads the input sheets only
    return path


def _rows(path, bloc: str) -> dict[tuple[str, str], dict[str, object]]:
    ws = load_workbook(path)[input_sheet(RUBRIC.bloc(bloc))]
    headers = [c.value for c in ws[1]]
    return {(r[0], r[1]): dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0]}


def test_ingest_fills_each_month_of_a_book_kept_by_month(units_book, tmp_path):
    name = "Thị trấn Một Ngàn"
    dossier = "UBND thị trấn Một Ngàn"

    def row(code, form, day, month, late=False):
        due = f"{day + 2:02d}/{month:02d}/2023"
        done = f"{day + (3 if late else 1):02d}/{month:02d}/2023"
        return (code, dossier, form, f"tk{code}", f"{day:02d}/{month:02d}/2023", due, done, "", "", "", "")

    export = write_csv(tmp_path / "ho-so.csv", [
        row("J1", "Trực tuyến toàn trình", 3, 1), row("J2", "Trực tuyến một phần", 4, 1),
        row("J3", "Trực tuyến toàn trình", 5, 1, late=True), row("J4", "Trực tiếp", 6, 1),
        row("F1", "Trực tuyến toàn trình", 7, 2), row("F2", "Trực tuyến toàn trình", 8, 2),
        row("M1", "Trực tuyến một phần", 9, 3),
    ])
    before = _rows(units_book, "xa")
    out = tmp_path / "so-ho-so.xlsx"
    run = CliRunner().invoke(app, ["ingest", str(export), "--plan", PLAN, "--units", str(units_book),
                                   "--tu", "2023-01", "--den", "2023-03", "-o", str(out), "--no-progress"])
    assert run.exit_code == 0, run.output
    assert "từng tháng (3 tháng" in run.output
    after = _rows(out, "xa")
    jan, feb, mar = (after[(name, f"2023-0{m}")] for m in (1, 2, 3))
    assert (jan[ONLINE], feb[ONLINE], mar[ONLINE]) == (3, 2, 1)          # online dossiers of each month
    assert jan[RATE] == pytest.approx(2 / 3) and feb[RATE] == 1           # resolved on time / resolved online
    assert jan[ACCOUNTS] == before[(name, "2023-01")][ACCOUNTS]          # typed figures are kept
    assert mar[ACCOUNTS] is None                                           # a new month: the rest left to type
    others = [k for k in after if k[0] != name]
    assert all(after[k][ONLINE] == 0 for k in others)                    # no dossier that month: 0, not blank
    assert {k[1] for k in after} == {"2023-01", "2023-02", "2023-03"}
    assert len([k for k in after if k[1] == "2023-03"]) == len({k[0] for k in before})  # every commune


def test_a_full_table_is_refused_with_a_message(units_book, tmp_path):
    export = write_csv(tmp_path / "ho-so.csv", [  # May and June: two new rows per unit, more than the 20 blank
        (f"A{m}", "UBND thị trấn Một Ngàn", "Trực tuyến toàn trình", "t", f"03/0{m}/2023", f"05/0{m}/2023",
         f"04/0{m}/2023", "", "", "", "") for m in (5, 6)])
    run = CliRunner().invoke(app, ["ingest", str(export), "--plan", PLAN, "--units", str(units_book),
                                   "--tu", "2023-01", "--den", "2023-06", "-o", str(tmp_path / "o.xlsx"),
                                   "--no-progress"])
    assert run.exit_code == 2
    assert "dòng trống" in run.output and "Traceback" not in run.output
    assert not (tmp_path / "o.xlsx").exists()
