"""The classic add-in: one .xlam that carries the THIDUA_* wrappers, the ribbon and its own config.

Checked the way Excel would meet it, without Excel: the zip parts and
relationships, the VBA project read back by oletools (the reference reader)
and by LibreOffice's VBA import, the wrappers against xlwings' own generator.
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
from oletools.olevba import VBA_Parser

from thidua_xl.addin import ADDIN_DIR, AddinConfig, build_xlam
from thidua_xl.addin.ribbon_vba import MESSAGES
from thidua_xl.addin.vba_text import decode
from thidua_xl.addin.wrappers import generate
from thidua_xl.addin.xlam import CONFIG_SHEET, UI_RELATIONSHIP, write_vba_modules
from udfs import functions, ribbon

UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
CONFIG = AddinConfig(interpreter=r"C:\Users\vanphong\thidua\.venv\Scripts\pythonw.exe",
                     pythonpath=r"C:\Users\vanphong\thidua")
EXPECTED_MODULES = {"ThisWorkbook", "Dictionary", "Sheet2", "xlwings", "ThiDua", "xlwings_udfs"}
PYTHON_FUNCTIONS = {name: getattr(functions, name) for name in functions.__all__}


@pytest.fixture(scope="module")
def wrappers():
    return generate()


@pytest.fixture(scope="module")
def xlam(tmp_path_factory, wrappers) -> Path:
    return build_xlam(tmp_path_factory.mktemp("addin") / "thidua.xlam", CONFIG, wrappers)


@pytest.fixture(scope="module")
def modules(xlam) -> dict[str, str]:
    parser = VBA_Parser(str(xlam))
    try:
        return {Path(stream).name: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_vba_project_has_our_modules_and_no_template_leftovers(modules):
    assert set(modules) == EXPECTED_MODULES
    assert 'Public Const PROJECT_NAME As String = "thidua"' in modules["xlwings"]
    assert "myaddin" not in modules["xlwings"].lower()
    assert re.search(r"Private Sub Workbook_Open\(\)\s+ThiDua\.RegisterFunctions", modules["ThisWorkbook"])


def test_only_the_addins_own_config_is_read(modules):
    """A workbook (or a file beside it) must not choose the Python our add-in runs."""
    source = modules["xlwings"]
    get_config = source[source.index("Function GetConfig("):]
    get_config = get_config[:get_config.index("End Function")]
    assert "GetConfigFromSheet(ThisWorkbook)" in get_config
    assert "ActiveWorkbook" not in get_config and "GetDirectoryConfigFilePath" not in get_config


def test_every_function_is_wrapped_as_xlwings_generates_it(modules, wrappers):
    udfs = modules["xlwings_udfs"]
    for name, f in PYTHON_FUNCTIONS.items():
        params = list(inspect.signature(f).parameters.values())
        args = ", ".join(("Optional " if p.default is not inspect.Parameter.empty else "") + p.name for p in params)
        assert f"Function {name.upper()}({args})" in udfs
        assert f'XLPy.CallUDF("udfs.functions", "{name}", Array({", ".join(p.name for p in params)}), ' \
               "ActiveWorkbook, Application.Caller)" in udfs
    body = re.sub(r"^Function (\w+)\(", lambda m: f"Function {m[1].lower()}(", udfs, flags=re.M)
    generated = re.sub(r"^Function (\w+)\(", lambda m: f"Function {m[1].lower()}(", wrappers.vba, flags=re.M)
    assert generated.replace("\r\n", "\n").strip() in body.replace("\r\n", "\n")


def test_descriptions_are_vietnamese_and_fit_excel(modules, wrappers):
    registered = modules["ThiDua"]
    for f in wrappers.functions:
        assert f"'!{f.excel_name}\", Description:=" in registered
        assert 0 < len(f.doc.strip()) <= 255 and all(len(a.doc) <= 255 for a in f.args)
        assert not re.search(r"\b(the|and|rather|because)\b", f.doc), f"English in {f.name}'s description"
    literals = re.findall(r'U\("((?:[^"]|"")*)"', registered)
    decoded = {decode(x) for x in literals}
    assert "Tổng điểm thi đua của từng đơn vị (một dòng → một số; nhiều dòng → một cột)." in decoded
    assert MESSAGES["no_book"] in decoded


def test_ribbon_buttons_reach_vba_and_python(xlam, modules):
    with zipfile.ZipFile(xlam) as z:
        ui = z.read("customUI/customUI.xml")
        rels = ElementTree.fromstring(z.read("_rels/.rels"))
    assert ui == (ADDIN_DIR / "customUI.xml").read_bytes()
    tree = ElementTree.fromstring(ui)
    assert tree.find(f".//{UI}tab").get("label") == "Thi đua"
    ui_rels = [r for r in rels if r.get("Target") == "customUI/customUI.xml"]
    assert [r.get("Type") for r in ui_rels] == [UI_RELATIONSHIP]  # 2006 slot for the 2006/01 namespace
    buttons = {b.get("label"): b.get("onAction") for b in tree.iter(f"{UI}button")}
    assert set(buttons) == set(ribbon.BUTTONS.values())
    for action in buttons.values():
        module, sub = action.split(".")
        assert module == "ThiDua" and re.search(rf"^Sub {sub}\(control As IRibbonControl\)", modules["ThiDua"], re.M)
    calls = re.findall(r"udfs\.ribbon\.(\w+)\(", modules["ThiDua"])
    assert calls and all(callable(getattr(ribbon, c)) for c in calls)
    assert "Application.CalculateFullRebuild" in modules["ThiDua"]
    assert "-m thidua_xl template" in modules["ThiDua"]


def test_config_sheet_names_this_python_and_the_udf_module(xlam):
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(xlam) as z:
        assert f'name="{CONFIG_SHEET}"' in z.read("xl/workbook.xml").decode()
        assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in z.read("[Content_Types].xml").decode()
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))

    def value(cell):
        if cell.get("t") == "b":
            return cell.find(f"{main}v").text == "1"
        return "".join(t.text or "" for t in cell.iter(f"{main}t"))

    rows = [[value(c) for c in row.iter(f"{main}c")] for row in sheet.iter(f"{main}row")]
    assert [int(r.get("r")) for r in sheet.iter(f"{main}row")] == list(range(1, len(rows) + 1))  # no gap: xlwings
    config = dict(rows)                                                                         # reads A1 down
    assert config["Interpreter_Win"] == CONFIG.interpreter and config["UDF Modules"] == "udfs.functions"
    assert config["PYTHONPATH"] == CONFIG.pythonpath and config["Use UDF Server"] is False
    assert config["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"


def test_vba_project_is_source_only_and_well_formed(xlam, tmp_path):
    with zipfile.ZipFile(xlam) as z:
        data = z.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("VBA/_VBA_PROJECT").read()[2:4] == b"\xff\xff"  # version: recompile from source
    names = {"/".join(e) for e in ole.listdir()}
    assert {f"VBA/{m}" for m in EXPECTED_MODULES} <= names and "VBA/RibbonMyAddin" not in names
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert 'Name="thidua"' in project and "Module=ThiDua" in project and "Module=xlwings_udfs" in project


def test_committed_vba_modules_are_generated_crlf_ascii(tmp_path, wrappers):
    for path in write_vba_modules(tmp_path, wrappers):
        committed = (ADDIN_DIR / path.name).read_bytes()
        assert committed == path.read_bytes(), f"run 'thidua-xl addin-vba' to regenerate {path.name}"
        committed.decode("ascii")
        assert committed.count(b"\r\n") == committed.count(b"\n") > 10
    assert "*.bas -text" in (ADDIN_DIR.parents[1] / ".gitattributes").read_text()


def test_libreoffice_reads_the_vba_project(xlam, tmp_path):
    """An independent VBA importer (LibreOffice's) finds every module with its code."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice missing in CI: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    staged = tmp_path / "staged"
    with zipfile.ZipFile(xlam) as src, zipfile.ZipFile(tmp_path / "thidua.xlsm", "w") as dst:
        for item in src.infolist():  # LibreOffice opens workbooks, not add-ins: same parts, workbook type
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"addin.macroEnabled.main", b"sheet.macroEnabled.main")
            dst.writestr(item, data)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "ods",
                    "--outdir", str(staged), str(tmp_path / "thidua.xlsm")], check=True, capture_output=True,
                   timeout=180)
    with zipfile.ZipFile(staged / "thidua.ods") as ods:
        basic = {Path(n).stem: ods.read(n).decode() for n in ods.namelist() if n.startswith("Basic/thidua/")}
    assert set(basic) >= EXPECTED_MODULES
    assert ("Function THIDUA_SCORE(plan, bloc, figures, Optional headers, Optional weights, Optional period, "
            "Optional subunits)") in basic["xlwings_udfs"]
    assert "Sub TaoSoMoi(control As IRibbonControl)" in basic["ThiDua"]
    assert 'script:moduleType="document"' in basic["ThisWorkbook"]


def test_cli_builds_the_addin_and_explains_install_off_windows(tmp_path):
    from typer.testing import CliRunner

    from thidua_xl.cli import app

    out = tmp_path / "thidua.xlam"
    result = CliRunner().invoke(app, ["addin", "-o", str(out), "--python", CONFIG.interpreter])
    assert result.exit_code == 0, result.output
    assert CONFIG.interpreter in result.output and zipfile.is_zipfile(out)
    result = CliRunner().invoke(app, ["addin", "-o", str(tmp_path / "b.xlam"), "--install"])
    if os.name != "nt":
        assert result.exit_code == 2 and "XLSTART" in result.output and "Traceback" not in result.output


def test_install_copies_into_the_given_folder(tmp_path):
    from thidua_xl.addin.install import install

    source = tmp_path / "thidua.xlam"
    source.write_bytes(b"PK fake")
    assert install(source, tmp_path / "XLSTART").read_bytes() == b"PK fake"


def test_new_book_button_command_runs_here(tmp_path, modules):
    """The "Tạo sổ mới từ mẫu" button runs `python -m thidua_xl template PLAN -o PATH`; so does this test."""
    import sys

    assert re.search(r'-m thidua_xl template " & plan', modules["ThiDua"])
    target = tmp_path / "so moi.xlsx"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "thidua_xl", "template", "hau-giang-2023", "-o", str(target)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert zipfile.is_zipfile(target)
