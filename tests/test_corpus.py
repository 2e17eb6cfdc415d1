"""One test per corpus entry (tests/corpus/cases.toml), run through the CLI as a user would.

Each asserts the Vietnamese message, that the bad unit gets no score, and that good units are still scored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.corpus.make_corpus import GOOD, million_rows
from thidua_xl.cli import app
from thidua_xl.workbook.template import write_template

CORPUS = Path(__file__).parent / "corpus"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))
runner = CliRunner()


def _generate(kind: str, folder: Path) -> Path:
    if kind == "million_rows":
        return million_rows(folder / "million.xlsx")
    if kind == "sheet_renamed":
        path = write_template("chau-thanh-a-2021", folder / "book.xlsx")
        wb = load_workbook(path)
        wb["Số liệu xã"].title = "Xa T11"
        wb.save(path)
        return path
    raise ValueError(kind)


def _results(path: Path) -> dict[str, dict[str, object]]:
    ws = load_workbook(path)["Kết quả"]
    rows = list(ws.iter_rows(values_only=True))
    headers = rows[0]
    return {str(r[0]): dict(zip(headers, r, strict=True)) for r in rows[1:]}


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_entry(name, tmp_path):
    case = CASES[name]
    source = CORPUS / "files" / case["file"] if "file" in case else _generate(case["generate"], tmp_path)
    before = source.read_bytes()
    out = tmp_path / "ket-qua.xlsx"
    if case.get("command") == "awards":
        args = ["awards", str(source), "-o", str(out)]
    else:
        args = ["score", str(source), "--plan", case.get("plan", "chau-thanh-a-2021"), "--bloc", case.get("bloc", "xa"),
                "-o", str(out)]
    result = runner.invoke(app, args)
    assert source.read_bytes() == before, "the input file must never be modified"
    assert case["expect"] in result.output, result.output
    assert result.exit_code == case.get("exit", 0), result.output
    if result.exit_code != 0:
        assert not out.exists()
        return
    table = _results(out)
    if "bad" in case:
        bad = table[case["bad"]]
        assert bad["Tổng điểm"] is None, f"{case['bad']} must get no score"
        assert case["expect"] in (bad["Ghi chú"] or "")
    good = case.get("good", [row[0] for row in GOOD])
    for unit in good:
        assert isinstance(table[unit]["Tổng điểm"], int | float), f"{unit} should still be scored"
    for unit, total in case.get("totals", {}).items():
        assert table[unit]["Tổng điểm"] == total
    if name == "formula_injection":
        ws = load_workbook(out)["Kết quả"]
        cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert cells and all(c.data_type == "s" for c in cells), "imported text must stay text, never a formula"
