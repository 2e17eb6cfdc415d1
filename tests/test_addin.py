"""The ribbon add-in and the Office.js files agree with the Python entry points and functions."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from thidua_xl.addin import ADDIN_DIR, build_xlam, functions_metadata
from udfs import ribbon

ROOT = Path(__file__).resolve().parents[1]
UI = "{http://schemas.microsoft.com/office/2006/01/customui}"


def test_ribbon_buttons_call_existing_vba_and_python(tmp_path):
    tree = ElementTree.parse(ADDIN_DIR / "customUI.xml")
    tab = tree.find(f".//{UI}tab")
    assert tab.get("label") == "Thi đua"
    buttons = {b.get("label"): b.get("onAction") for b in tree.iter(f"{UI}button")}
    assert set(buttons) == set(ribbon.BUTTONS.values())
    bas = (ADDIN_DIR / "ThiDua.bas").read_text(encoding="ascii")  # ASCII: the VBA editor's code page
    for action in buttons.values():
        module, sub = action.split(".")
        assert module == "ThiDua" and re.search(rf"^Sub {sub}\(control As IRibbonControl\)", bas, re.M)
    for call in re.findall(r"udfs\.ribbon\.(\w+)\(", bas):
        assert callable(getattr(ribbon, call))
    xlam = build_xlam(tmp_path / "thidua.xlam")
    with zipfile.ZipFile(xlam) as z:
        assert z.read("customUI/customUI.xml") == (ADDIN_DIR / "customUI.xml").read_bytes()
        assert "xl/vbaProject.bin" in z.namelist()


def test_officejs_metadata_is_generated_from_the_python_functions():
    committed = json.loads((ROOT / "workbooks" / "officejs" / "functions.json").read_text(encoding="utf-8"))
    assert committed == functions_metadata(), "run 'thidua-xl officejs' to regenerate"
    names = {f["name"] for f in committed["functions"]}
    assert names == {"THIDUA_SCORE", "THIDUA_RANK", "THIDUA_DETAIL", "THIDUA_EXPLAIN", "THIDUA_AWARD",
                     "THIDUA_CLASS", "THIDUA_PLANS", "THIDUA_MEAN"}
    manifest = ElementTree.parse(ROOT / "workbooks" / "officejs" / "manifest.xml")
    assert any(e.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "CustomFunctions"
               for e in manifest.iter())
