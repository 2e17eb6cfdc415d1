"""Issue 18, classes 2–5 through the CLI: clumsy and hostile inputs end in exit 0 or a Vietnamese refusal
(exit 2), never a traceback, never a file read outside the run, never a formula in an output."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from ingest_helpers import HEADERS, write_csv
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from thidua_xl import example_data
from thidua_xl.cli import INTERNAL, app

runner = CliRunner()
TEMPLATES = Path(__file__).resolve().parents[1] / "workbooks"
PLAN = "hau-giang-2023"
ROW = ("H1", "UBND xã Hòa An", "Trực tiếp", "", "05/01/2023", "10/01/2023", "08/01/2023", "", "", "", "")


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert INTERNAL not in result.output and "Traceback" not in result.output, result.output
    for word in words:
        assert word in result.output, result.output


@pytest.fixture
def book(tmp_path) -> Path:
    copy = tmp_path / "so-lieu.xlsx"
    shutil.copy(TEMPLATES / f"{PLAN}.xlsx", copy)
    return copy


def ingest(export: Path, book: Path, *extra: str):
    return runner.invoke(app, ["ingest", str(export), "--plan", PLAN, "--units", str(book), "--no-progress",
                               "-o", str(book.with_name("kq.xlsx")), *extra])


# --- class 5: not a workbook, not a file, not there ------------------------------------------------------------

def test_recalc_and_awards_refuse_what_is_not_a_workbook(tmp_path):
    folder = tmp_path / "thu-muc.xlsx"
    folder.mkdir()
    csv_file = tmp_path / "so-lieu.csv"
    csv_file.write_text("Đơn vị\nXã A\n", encoding="utf-8")
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes((TEMPLATES / f"{PLAN}.xlsx").read_bytes()[:3000])
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    cases = {folder: "là một thư mục", csv_file: "cần là tệp Excel .xlsx", empty: "không mở được như sổ Excel",
             truncated: "không mở được như sổ Excel", fifo: "không phải tệp thường",
             tmp_path / "khong-co.xlsx": "Không tìm thấy tệp"}
    for path, message in cases.items():
        for command in ("recalc", "awards"):
            refused(runner.invoke(app, [command, str(path)]), message)


def test_missing_and_odd_inputs_of_score_and_ingest(tmp_path, book):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "thu-muc.csv"
    folder.mkdir()
    for path, message in {tmp_path / "khong-co.csv": "Không tìm thấy tệp", fifo: "không phải tệp thường",
                          folder: "là một thư mục"}.items():
        refused(runner.invoke(app, ["score", str(path), "-p", PLAN, "-b", "xa"]), message)
        refused(ingest(path, book), message)
    export = write_csv(tmp_path / "ho-so.csv", [ROW])
    huyen = example_data.folder() / PLAN / "huyen.csv"
    refused(runner.invoke(app, ["score", str(huyen), "-p", PLAN, "-b", "huyen", "--subunits",
                                str(tmp_path / "khong.csv")]), "Không tìm thấy tệp")
    refused(ingest(export, tmp_path / "khong-co-so.xlsx"), "Không tìm thấy")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n   \n", b"\xef\xbb\xbf\n\n"])
def test_empty_files_are_refused_by_every_reader(tmp_path, book, content):
    path = tmp_path / "rong.csv"
    path.write_bytes(content)
    refused(runner.invoke(app, ["score", str(path), "-p", PLAN, "-b", "xa"]), "trống")
    refused(ingest(path, book), "trống")
    assert path.read_bytes() == content


@pytest.mark.parametrize("memory", ["nhiều", "1XB", "0MB", "-1GB", "1 GB lớn", ""])
def test_bad_memory_is_a_message(tmp_path, book, memory):
    refused(ingest(write_csv(tmp_path / "ho-so.csv", [ROW]), book, "--memory", memory), "--memory")


def test_profile_not_utf8_bad_date_format_or_shape(tmp_path, book):
    export = write_csv(tmp_path / "ho-so.csv", [ROW])
    shipped = Path(__file__).resolve().parents[1] / "thidua_xl" / "ingest" / "profiles" / "mot-cua-tinh.toml"
    text = shipped.read_text(encoding="utf-8")
    formats = next(line for line in text.splitlines() if line.startswith("dinh_dang"))
    cases = {
        "latin.toml": (text.encode("utf-16"), "không phải chữ UTF-8"),
        "ngay.toml": (text.replace(formats, 'dinh_dang = ["%Q/%m/%Y"]').encode(), "định dạng ngày"),
        "ngay-thieu.toml": (text.replace(formats, 'dinh_dang = ["%d/%m"]').encode(), "định dạng ngày"),
        "hong.toml": (b"cot = 5\n", "phải là một bảng"),
        "cu-phap.toml": (b"[cot\n", "sai cú pháp TOML"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        refused(ingest(export, book, "--profile", str(tmp_path / name)), message)
    refused(ingest(export, book, "--profile", str(tmp_path / "khong-co.toml")), "Không tìm thấy")


# --- class 5: valid but awkward files are read, not refused -----------------------------------------------------

def test_quoted_line_break_in_one_cell_is_read(tmp_path, book):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerow([1, "H1", "UBND xã Hòa An", "Trực tiếp", "", "05/01/2023", "10/01/2023", "08/01/2023", "",
                     "Đã số\nhóa", "", ""])
    writer.writerow([2, "H2", "UBND xã Hòa An", "Trực tiếp", "", "06/01/2023", "10/01/2023", "08/01/2023", "", "",
                     "", ""])
    export = tmp_path / "ho-so.csv"
    export.write_text(buffer.getvalue(), encoding="utf-8")
    run = ingest(export, book)
    assert run.exit_code == 0, run.output
    assert "Đọc 2 dòng hồ sơ" in run.output


def test_xlsx_export_with_alt_enter_cells(tmp_path, book):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([1, "H1", "UBND xã Hòa An", "Trực\ntiếp", "", "05/01/2023", "10/01/2023", "08/01/2023", "", "",
               "", ""])
    ws.append([2, "H2", "UBND xã\nHòa An", "Trực tiếp", "", "05/01/2023", "10/01/2023", "08/01/2023", "", "",
               "", ""])
    export = tmp_path / "ho-so.xlsx"
    wb.save(export)
    run = ingest(export, book)
    assert run.exit_code == 0, run.output
    assert "Đọc 2 dòng hồ sơ" in run.output


def test_unit_names_with_control_characters_still_save(tmp_path):
    src = example_data.folder() / "chau-thanh-a-2021" / "xa.csv"
    text = src.read_text(encoding="utf-8-sig").splitlines()
    text[1] = "Xã\x01 Lạ\x1f" + text[1][text[1].index(","):]
    path = tmp_path / "xa.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    run = runner.invoke(app, ["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa", "-o",
                              str(tmp_path / "kq.xlsx")])
    assert run.exit_code == 0, run.output
    assert load_workbook(tmp_path / "kq.xlsx")["Kết quả"].max_row > 2


def test_glob_characters_in_the_export_name_are_literal(tmp_path, book):
    real = write_csv(tmp_path / "ho-so[1].csv", [ROW])
    write_csv(tmp_path / "ho-so1.csv", [ROW, ("H2", *ROW[1:]), ("H3", *ROW[1:])])  # what a glob would read
    run = ingest(real, book)
    assert run.exit_code == 0, run.output
    assert "Đọc 1 dòng hồ sơ" in run.output
    assert real.exists() and (tmp_path / "ho-so1.csv").exists()


def test_quotes_and_brackets_in_output_paths(tmp_path):
    for name in ("tháng 1'23.csv", "ho-so[1]*.csv", 'a"b.xlsx'):
        run = runner.invoke(app, ["synth", "-p", PLAN, "-n", "30", "-o", str(tmp_path / name)])
        assert run.exit_code == 0, run.output
        assert (tmp_path / name).stat().st_size > 100
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --- formula injection: every cell and header of every CSV and XLSX output --------------------------------------

PAYLOADS = ["=cmd|' /C calc'!A0", "\t=cmd|' /C calc'!A0", "\r=1+1", "+1+1", "-1+1", "@SUM(A1)", "＝1+1",
            "＋1", "－1", "＠SUM(A1)"]


def test_rejects_csv_guards_every_payload(tmp_path, book):
    rows = [(f"H{i}", "UBND xã Hòa An", payload, "", "05/01/2023", "10/01/2023", "08/01/2023", "", "", "", "")
            for i, payload in enumerate(PAYLOADS)]
    export = write_csv(tmp_path / "ho-so.csv", rows)
    rejects = tmp_path / "loai.csv"
    run = ingest(export, book, "--rejects", str(rejects))
    assert run.exit_code == 0, run.output
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    shown = [c for c in cells if any(p.strip("\t\r") in c for p in PAYLOADS)]
    assert len(shown) >= len(PAYLOADS)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")]


def test_score_csv_and_xlsx_outputs_guard_cells_and_headers(tmp_path):
    import pandas as pd

    from thidua_xl.tables import write_tables

    table = pd.DataFrame({p: [p, "ok"] for p in PAYLOADS})
    write_tables(tmp_path / "kq.csv", {"Kết quả": table})
    with (tmp_path / "kq.csv").open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert len(cells) == 3 * len(PAYLOADS)
    assert all(c == "ok" or c.startswith("'") for c in cells)
    write_tables(tmp_path / "kq.xlsx", {"Kết quả": table})
    ws = load_workbook(tmp_path / "kq.xlsx")["Kết quả"]
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row)


# --- XML: no entity expansion, no external entity -----------------------------------------------------------------

BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("doctype", [BOMB, EXTERNAL])
def test_doctype_in_any_part_is_refused(tmp_path, book, part, doctype):
    wb = Workbook()
    wb.active.title = "xa"
    wb.active.append(["Đơn vị", "x"])
    wb.active.append(["Xã A", "b"])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(crafted, "w") as dst:
        if part not in src.namelist():  # openpyxl writes no shared strings: add the part, using the entity
            entity = "xxe" if "SYSTEM" in doctype else "lol3"
            dst.writestr(part, doctype + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         f'count="1" uniqueCount="1"><si><t>&{entity};</t></si></sst>')
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                body = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
                data = (doctype + body).encode("utf-8")
            dst.writestr(item, data)
    before = crafted.read_bytes()
    for args in (["score", str(crafted), "-p", "chau-thanh-a-2021", "-b", "xa"], ["recalc", str(crafted)],
                 ["awards", str(crafted)]):
        run = runner.invoke(app, args)
        assert run.exit_code == 2, run.output
        assert INTERNAL not in run.output and "root:" not in run.output
    refused(ingest(crafted, book))
    assert crafted.read_bytes() == before


def test_zip_bomb_is_refused_before_reading(tmp_path, book):
    wb = Workbook()
    wb.active.title = "xa"
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b"<!--" + b" " * 60_000_000 + b"--></worksheet>")
            dst.writestr(item.filename, data)
    assert bomb.stat().st_size < 1_000_000
    for args in (["score", str(bomb), "-p", "chau-thanh-a-2021", "-b", "xa"], ["recalc", str(bomb)],
                 ["awards", str(bomb)]):
        refused(runner.invoke(app, args), "tỷ lệ bất thường")
    refused(ingest(bomb, book), "tỷ lệ bất thường")


def test_openpyxl_parses_through_defusedxml():
    """Defence in depth behind the DOCTYPE refusal: openpyxl itself refuses entities when defusedxml is there."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


# --- a stray cell far away costs one cell, or is refused by name -------------------------------------------------


def _cta_book():
    """A Châu Thành A xã table as an openpyxl book (sheet "xa"), to plant one hostile cell in."""
    from tests.corpus.make_corpus import CTA_HEADERS, GOOD

    wb = Workbook()
    ws = wb.active
    ws.title = "xa"
    ws.append(CTA_HEADERS)
    for row in GOOD:
        ws.append(row)
    return wb, ws


@pytest.mark.parametrize("stray", ["XFD1048576", "A1048576", "XFD1"])
def test_stray_cell_far_away(tmp_path, book, stray):
    wb, ws = _cta_book()
    ws[stray] = "x"
    figures = tmp_path / "cta.xlsx"
    wb.save(figures)
    run = runner.invoke(app, ["score", str(figures), "-p", "chau-thanh-a-2021", "-b", "xa", "-o",
                              str(tmp_path / "kq.xlsx")])
    assert run.exit_code == 0, run.output  # the stray cell is an unnamed column or a row without a name
    huge = stray != "XFD1"  # XFD1 widens three rows to 16,384 columns: small enough to compute
    for command in ("recalc", "awards"):
        result = runner.invoke(app, [command, str(figures)])
        if huge:
            refused(result, stray)
        else:
            assert result.exit_code in (0, 2) and INTERNAL not in result.output, result.output
    template = load_workbook(book)
    template["Số liệu xã"][stray] = " "
    template.save(book)
    export = tmp_path / "ho-so.xlsx"
    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append([1, *ROW])
    wb.active[stray] = "x"
    wb.save(export)
    if huge:
        refused(ingest(export, book), stray)  # the units workbook is refused by name …
    shutil.copy(TEMPLATES / f"{PLAN}.xlsx", book)
    run = ingest(export, book)            # … the export with a stray cell is read in a moment
    assert run.exit_code == 0, run.output
    assert "Đọc 1 dòng hồ sơ" in run.output or "Đọc 2 dòng hồ sơ" in run.output


# --- ambiguity is refused, never guessed ----------------------------------------------------------------------------

def test_hidden_sheet_shadowing_the_visible_one_is_refused(tmp_path):
    from tests.corpus.make_corpus import CTA_HEADERS, GOOD

    wb = Workbook()
    hidden = wb.active
    hidden.title = "xa"
    hidden.append(CTA_HEADERS)
    hidden.append(["Xã Tốt Một", "có", 9, 9000, 900, "100%", 0, 0, 0])
    hidden.sheet_state = "hidden"
    visible = wb.create_sheet("Số liệu xa")
    visible.append(CTA_HEADERS)
    for row in GOOD:
        visible.append(row)
    path = tmp_path / "hai-sheet.xlsx"
    wb.save(path)
    refused(runner.invoke(app, ["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa"]), "'xa', 'Số liệu xa'")
    run = runner.invoke(app, ["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa", "--sheet", "Số liệu xa"])
    assert run.exit_code == 0, run.output


def test_units_folder_with_two_tables_for_one_bloc_is_refused(tmp_path, book):
    units = tmp_path / "don-vi"
    shutil.copytree(example_data.folder() / PLAN, units)
    shutil.copy(units / "xa.csv", units / "Số liệu xa.csv")
    export = write_csv(tmp_path / "ho-so.csv", [ROW])
    run = runner.invoke(app, ["ingest", str(export), "-p", PLAN, "-u", str(units), "--no-progress"])
    refused(run, "Số liệu xa.csv, xa.csv")


# --- nothing outside the workbook is read -------------------------------------------------------------------------

@pytest.mark.parametrize("formula", ["='../other-office/[luong.xlsx]Lương'!B2", "=[luong.xlsx]Lương!B2*2",
                                     "=SUM('[luong.xlsx]Lương'!B1:B3)", "=\"x\"&'../other-office/[luong.xlsx]Lương'!B2"])
def test_recalc_never_reads_another_workbook(tmp_path, formula):
    other = tmp_path / "other-office"
    other.mkdir()
    secret = Workbook()
    secret.active.title = "Lương"
    secret.active["B2"] = 987654321
    secret.save(other / "luong.xlsx")
    shutil.copy(other / "luong.xlsx", tmp_path / "luong.xlsx")
    here = tmp_path / "van-phong"
    here.mkdir()
    wb = Workbook()
    wb.active.title = "Tổng hợp"
    wb.active["A1"] = "Lương"
    wb.active["B2"] = formula
    book = here / "so.xlsx"
    wb.save(book)
    out = here / "kq.xlsx"
    run = runner.invoke(app, ["recalc", str(book), "-o", str(out)])
    refused(run, "'Tổng hợp'!B2", "không đọc tệp nằm ngoài sổ")
    assert not out.exists() and "987654321" not in run.output


def test_structured_references_and_brackets_in_text_are_not_external(tmp_path):
    wb = Workbook()
    wb.active["A1"] = 2
    wb.active["B1"] = '="[ghi chú]"&A1'
    book = tmp_path / "so.xlsx"
    wb.save(book)
    run = runner.invoke(app, ["recalc", str(book), "-o", str(tmp_path / "kq.xlsx")])
    assert run.exit_code == 0, run.output


def test_formula_cells_without_results_are_named_not_silently_blank(tmp_path):
    wb, ws = _cta_book()
    ws["D3"] = "=1500+100"  # written by a program: no saved result
    path = tmp_path / "cong-thuc.xlsx"
    wb.save(path)
    run = runner.invoke(app, ["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa"])
    assert run.exit_code == 0, run.output
    assert "1 ô công thức chưa có kết quả lưu sẵn (D3)" in run.output
    assert "Xã Tốt Hai', cột 'Số tài khoản DVCTT tạo được': ô trống" in run.output
