"""Office.js (Excel 365 / Excel on the web): the add-in manifest, the functions' metadata, a workbook variant.

The server is :mod:`.server` (xlwings Server with our functions); the manifest (:mod:`.manifest`)
points Excel at it. Under Office.js the functions carry the manifest's namespace, so the formulas
of a classic workbook (``=THIDUA_SCORE(...)``) are rewritten ``=THIDUA.SCORE(...)`` for that host.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .manifest import manifest_xml
from .server import NAMESPACE, excel_name
from .wrappers import PROJECT_ROOT


def _classic_name() -> re.Pattern[str]:
    """``THIDUA_`` followed by one of our function names (SCORE, RANK …), as a whole word."""
    import udfs.functions

    names = "|".join(sorted(excel_name(n) for n in udfs.functions.__all__))
    return re.compile(rf"\bTHIDUA_(?=({names})\b)")


def functions_metadata() -> dict:
    """The custom-functions metadata xlwings Server gives Excel for our functions (short names such as
    ``SCORE``), computed in a subprocess because xlwings picks its mode when first imported."""
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY=os.environ.get(
        "XLWINGS_LICENSE_KEY") or "noncommercial")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    code = ("import json; from xlwings.server import custom_functions_meta; "
            "from thidua_xl.addin.server import load_functions; "
            "print(json.dumps(custom_functions_meta(load_functions()), ensure_ascii=False))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def officejs_formula(formula: str) -> str:
    """``=THIDUA_SCORE(...)`` → ``=THIDUA.SCORE(...)``: the name Excel gives our functions under Office.js."""
    return _classic_name().sub(f"{NAMESPACE}.", formula)


def officejs_workbook(book: str | Path, output: str | Path) -> Path:
    """Copy of a workbook whose THIDUA_* formulas use the Office.js names (the classic book is untouched)."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    from ..tables import atomic_write

    wb = load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    cell.value = ArrayFormula(value.ref, officejs_formula(value.text))
                elif isinstance(value, str) and "THIDUA_" in value:
                    cell.value = officejs_formula(value)
    return atomic_write(output, lambda tmp: wb.save(tmp), protect=(Path(book),))


def officejs_files(folder: str | Path, base_url: str = "https://localhost:8000") -> list[Path]:
    """Write ``manifest.xml`` and ``functions.json`` (the metadata, for reference) into ``folder``."""
    from .. import __version__

    manifest = manifest_xml(base_url, f"{__version__}.0")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta = folder / "functions.json"
    meta.write_text(json.dumps(functions_metadata(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")
    path = folder / "manifest.xml"
    path.write_text(manifest, encoding="utf-8")
    return [meta, path]
