"""The Office.js door: xlwings Server with our functions, started in-process and called like Excel does.

Every THIDUA formula of the five templates is evaluated (by the `formulas` engine, on the Office.js
variant of the workbook) with each call posted to the server exactly as xlwings' custom-functions
JavaScript posts it, and compared with the classic path (the same function of ``udfs.functions``
called with 2-D tuples, floats and None for blanks).
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import xlwings
from typer.testing import CliRunner

from thidua_xl.addin.manifest import manifest_problems, manifest_urls, manifest_xml
from thidua_xl.addin.officejs import functions_metadata, officejs_formula, officejs_workbook
from thidua_xl.addin.server import INSTALL_HINT, create_app, server_settings
from thidua_xl.cli import app as cli
from thidua_xl.workbook.general import _plain
from udfs import functions

ROOT = Path(__file__).resolve().parents[1]
# Books kept by month repeat the same functions on twelve times the rows: one of them (every new function and
# the period argument) keeps the suite's time.
PLANS = sorted(p.stem for p in (ROOT / "workbooks").glob("*.xlsx") if not p.stem.endswith("-theo-thang")) + [
    "chau-thanh-a-2021-theo-thang"]
BASE = "https://thidua.example.gov.vn"
ASSOCIATE = re.compile(r'funcName: "(?P<func>\w+)",[^}]*}, \.\.\.arguments\);\s*}\s*'
                       r'CustomFunctions\.associate\("(?P<id>\w+)", (?P=func)\);')


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    with pytest.MonkeyPatch.context() as mp:
        for key, value in server_settings().items():
            mp.setenv(key, value)  # restored after the module: other tests run xlwings in classic mode
        yield TestClient(create_app())


@pytest.fixture(scope="module")
def excel_functions(client):
    """Excel-facing name (``THIDUA.SCORE``) → (metadata, the funcName its JavaScript stub posts)."""
    meta = client.get("/xlwings/custom-functions-meta.json")
    code = client.get("/xlwings/custom-functions-code.js")
    assert meta.status_code == 200 and code.status_code == 200
    assert code.headers["content-type"].startswith("text/javascript")
    stubs = {m["id"]: m["func"] for m in ASSOCIATE.finditer(code.text)}
    return {f"THIDUA.{f['name']}": (f, stubs[f["id"]]) for f in meta.json()["functions"]}


def test_the_server_serves_our_functions_under_the_thidua_namespace(client, excel_functions):
    code = client.get("/xlwings/custom-functions-code.js").text
    assert 'window.location.origin + "/xlwings/custom-functions-call"' in code
    assert f'version: "{xlwings.__version__}"' in code and "placeholder_xlwings_version" not in code
    from udfs import functions

    assert set(excel_functions) == {n.upper().replace("THIDUA_", "THIDUA.") for n in functions.__all__}
    for name, (meta, func) in excel_functions.items():
        python = getattr(functions, func)
        assert meta["id"] == func.upper() and name == officejs_formula(func.upper())
        assert [p["name"] for p in meta["parameters"]] == list(python.__code__.co_varnames[:python.__code__.co_argcount])
        assert 0 < len(meta["description"]) <= 255 and all(p["description"] for p in meta["parameters"])
    committed = json.loads((ROOT / "workbooks" / "officejs" / "functions.json").read_text(encoding="utf-8"))
    served = client.get("/xlwings/custom-functions-meta.json").json()
    assert committed == served == functions_metadata(), "run 'thidua-xl officejs' to regenerate"


# ----------------------------------------------------------------------------- Excel's two doors
def _excel_number(value: object) -> object:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def classic_args(args: list[object]) -> list[object]:
    """What classic xlwings hands a UDF: ranges as 2-D tuples of floats, strings, None for blanks."""
    return [tuple(tuple(_excel_number(v) for v in row) for row in a) if isinstance(a, list) else _excel_number(a)
            for a in args]


def _js_value(value: object, blank: object) -> object:
    if value is None:
        return blank
    # A JavaScript number: JSON.stringify writes 3.0 as 3.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def js_args(args: list[object], parameters: list[dict], blank: object = None) -> list[object]:
    """The ``args`` of xlwings' JS: every parameter is a matrix (a literal becomes [[x]]), a blank cell is
    null (or ``blank``), an omitted optional argument is null (Excel passes every declared parameter)."""
    out = []
    for i, _ in enumerate(parameters):
        if i >= len(args):
            out.append(None)
        elif isinstance(args[i], list):
            out.append([[_js_value(v, blank) for v in row] for row in args[i]])
        else:
            out.append([[_js_value(args[i], blank)]])
    return out


def js_body(func: str, args: list[object], book: str) -> dict:
    """The request body of ``base()`` in xlwings-server's custom-functions-code.js."""
    return {"client": "Office.js", "func_name": func, "args": args, "caller_address": f"[{book}]Điểm!B3",
            "session_id": "5f0c6e0e7a1b4c2d9e8f00112233aabb", "culture_info_name": "vi-VN",
            "date_format": "dd/MM/yyyy", "version": xlwings.__version__, "runtime": "1.4"}


HEADERS = {"Content-Type": "application/json", "Authorization": "", "Auth-Provider": ""}


def _same(a: object, b: object) -> bool:
    if a in ([[""]], [[None]]) and b == []:  # xlwings Server sends an all-blank 1×1 result (THIDUA.MEAN of no unit) as []
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return (a if a is not None else "") == (b if b is not None else "")


@pytest.fixture
def through_officejs(request, client, excel_functions):
    """Register THIDUA.* in the `formulas` engine as Office.js calls; record (name, classic, office.js)."""
    import formulas

    blank = request.node.callspec.params["blank"]
    os.environ.setdefault("TQDM_DISABLE", "1")
    table = formulas.get_functions()
    saved = {name: table.get(name) for name in excel_functions}
    calls: list[tuple[str, object, object]] = []

    def office_function(name: str):
        meta, func = excel_functions[name]

        def call(*raw: object) -> object:
            args = [_plain(a) for a in raw]
            response = client.post("/xlwings/custom-functions-call", headers=HEADERS,
                                   content=json.dumps(js_body(func, js_args(args, meta["parameters"], blank),
                                                                     "sổ.xlsx")))
            assert response.status_code == 200, response.text
            result = response.json()["result"]
            calls.append((name, getattr(functions, func)(*classic_args(args)), result))
            return result

        return call

    for name in excel_functions:
        table[name] = office_function(name)
    yield calls
    for name, function in saved.items():
        if function is None:
            table.pop(name, None)
        else:
            table[name] = function


# Blank cells arrive as null; the last case checks empty strings give the same results too.
@pytest.mark.parametrize("plan, blank", [(plan, None) for plan in PLANS] + [("hau-giang-2023", "")])
def test_every_template_formula_gives_the_classic_result_through_officejs(plan, blank, through_officejs, tmp_path):
    import formulas
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    book = officejs_workbook(ROOT / "workbooks" / f"{plan}.xlsx", tmp_path / f"{plan}.xlsx")
    texts = [c.value.text if isinstance(c.value, ArrayFormula) else c.value
             for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, ArrayFormula) or (isinstance(c.value, str) and c.value.startswith("="))]
    assert not any("THIDUA_" in t for t in texts)
    formulas.ExcelModel().loads(str(book)).finish().calculate()
    assert len(through_officejs) == sum("THIDUA." in t for t in texts) >= 8
    mismatches = [(name, classic, office) for name, classic, office in through_officejs
                  if not _same(classic, office)]
    assert not mismatches, mismatches[0]
    scores = [v for name, _, office in through_officejs if name == "THIDUA.SCORE" for row in office for v in row]
    assert sum(isinstance(v, (int, float)) and v > 0 for v in scores) >= 5
    assert any(isinstance(v, str) and v for name, _, office in through_officejs if name == "THIDUA.EXPLAIN"
               for row in office for v in row)


def test_a_bad_call_comes_back_as_a_vietnamese_cell_text(client, excel_functions):
    meta, func = excel_functions["THIDUA.SCORE"]
    args = js_args(["khong-co-ke-hoach", "xa", [["Đơn vị"], ["Xã A"]]], meta["parameters"])
    response = client.post("/xlwings/custom-functions-call", headers=HEADERS,
                           content=json.dumps(js_body(func, args, "sổ.xlsx")))
    assert response.status_code == 200
    text = response.json()["result"][0][0]
    assert text.startswith("#THIDUA") and "khong-co-ke-hoach" in text and "Traceback" not in text


# ------------------------------------------------------------------------------------- manifest
def test_the_manifest_keeps_the_schema_rules():
    xml = manifest_xml(BASE, "0.1.0.0")
    assert manifest_problems(xml) == []
    assert manifest_problems((ROOT / "workbooks" / "officejs" / "manifest.xml").read_text(encoding="utf-8")) == []
    assert '<bt:String id="Functions.Namespace" DefaultValue="THIDUA"/>' in xml


@pytest.mark.parametrize("broken, problem", [
    (('DefaultValue="THIDUA"', 'DefaultValue=""'), "Functions.Namespace: cần 1–125"),
    (("https://thidua.example.gov.vn/taskpane.html", "http://thidua.example.gov.vn/taskpane.html"), "https"),
    (("<Permissions>ReadWriteDocument</Permissions>", ""), "thiếu <Permissions>"),
    (('<DisplayName DefaultValue="Thi đua"/>', f'<DisplayName DefaultValue="{"Thi đua " * 20}"/>'), "DisplayName"),
    (('resid="Functions.Metadata.Url"', 'resid="Functions.Meta.Url"'), "Metadata: SourceLocation"),
    (("<Version>0.1.0.0</Version>", "<Version>0.1.0-beta</Version>"), "Version"),
])
def test_the_manifest_check_finds_what_the_schema_forbids(broken, problem):
    xml = manifest_xml(BASE, "0.1.0.0").replace(*broken)
    assert any(problem in p for p in manifest_problems(xml)), manifest_problems(xml)


def test_the_manifest_check_knows_the_schema_order():
    xml = manifest_xml(BASE, "0.1.0.0")
    icon = re.search(r"  <IconUrl [^>]+/>\n", xml).group(0)
    assert any("sai thứ tự" in p for p in manifest_problems(xml.replace(icon, "").replace(
        "  <Permissions>", icon + "  <Permissions>")))
    page = re.search(r"\s*<Page>.*?</Page>", xml, re.S).group(0)
    moved = xml.replace(page, "").replace("<Namespace ", page.strip() + "<Namespace ")
    assert any("CustomFunctions: sai thứ tự" in p for p in manifest_problems(moved))


def test_every_url_in_the_manifest_is_answered_by_the_server(client):
    urls = manifest_urls(manifest_xml(BASE, "0.1.0.0"))
    assert {urlsplit(u).path for u in urls} >= {"/taskpane.html", "/xlwings/custom-functions-code.js",
                                                 "/xlwings/custom-functions-meta.json"}
    for url in urls:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        if url.endswith(".png"):
            assert response.content.startswith(b"\x89PNG")


def test_officejs_command_refuses_a_plain_http_address(tmp_path):
    result = CliRunner().invoke(cli, ["officejs", "-o", str(tmp_path), "--base-url", "http://192.168.1.5:8000"])
    assert result.exit_code == 2 and "https://" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "manifest.xml").exists()


def test_officejs_command_writes_the_manifest_and_workbook_variants(tmp_path):
    book = ROOT / "workbooks" / "ninh-phuoc-2023.xlsx"
    result = CliRunner().invoke(cli, ["officejs", "-o", str(tmp_path), "--base-url", BASE, "-w", str(book)])
    assert result.exit_code == 0, result.output
    assert manifest_problems((tmp_path / "manifest.xml").read_text(encoding="utf-8")) == []
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    texts = [c.value.text if isinstance(c.value, ArrayFormula) else c.value
             for ws in load_workbook(tmp_path / book.name).worksheets if ws.title.startswith("Điểm")
             for row in ws.iter_rows() for c in row]
    formulas = [t for t in texts if isinstance(t, str) and t.startswith("=")]
    assert any(t.startswith('=THIDUA.SCORE("ninh-phuoc-2023","xa",') for t in formulas)
    assert not any("THIDUA_" in t for t in formulas)


# ---------------------------------------------------------------------------------------- serve
@pytest.fixture
def keep_environment(monkeypatch):
    """`serve` sets xlwings Server's variables in os.environ: put them back after the test."""
    for key in server_settings():
        if key in os.environ:
            monkeypatch.setenv(key, os.environ[key])
        else:
            monkeypatch.delenv(key, raising=False)


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, keep_environment):
    monkeypatch.setitem(sys.modules, "xlwings_server", None)  # what `import xlwings_server` does when absent
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 2 and INSTALL_HINT in result.output and "Traceback" not in result.output


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A key and a certificate for localhost, as PEM files."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def test_serve_runs_xlwings_server_with_our_functions(client, monkeypatch, keep_environment, tmp_path):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    key, cert = self_signed(tmp_path)
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--ssl-keyfile", str(key),
                                      "--ssl-certfile", str(cert)])
    assert result.exit_code == 0, result.output
    assert seen == {"app": create_app(), "host": "127.0.0.1", "port": 0, "ssl_keyfile": str(key),
                    "ssl_certfile": str(cert)}
    assert sys.modules["custom_functions"].thidua_score.__xlfunc__["excel_name"] == "SCORE"


def test_serve_refuses_in_vietnamese_what_uvicorn_would_report_in_english(keep_environment, tmp_path):
    import socket

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    key.write_text("không phải PEM"), cert.write_text("không phải PEM")
    runs = [["--ssl-keyfile", str(key)],
            ["--ssl-keyfile", str(key), "--ssl-certfile", str(tmp_path / "thiếu.pem")],
            ["--ssl-keyfile", str(key), "--ssl-certfile", str(cert)]]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        runs.append(["--port", str(busy.getsockname()[1])])
        outputs = [CliRunner().invoke(cli, ["serve", *args]) for args in runs]
    assert [r.exit_code for r in outputs] == [2, 2, 2, 2]
    assert "--ssl-certfile" in outputs[0].output and "thiếu.pem" in outputs[1].output
    assert "chứng chỉ https" in outputs[2].output and "đang được dùng" in outputs[3].output
    assert not any("Traceback" in r.output for r in outputs)
