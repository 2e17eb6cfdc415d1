"""Property test of issue 18: whatever file a user (or an attacker) feeds to score, ingest, recalc or awards,
the command ends with exit 0 or 2 — never 1, never the internal-error fallback, never a hang — and no input
file changes by a byte."""

from __future__ import annotations

import csv
import io
import shutil
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import HEADERS
from openpyxl import Workbook
from typer.testing import CliRunner

from tests.corpus.make_corpus import CTA_HEADERS
from thidua_xl.cli import INTERNAL, app

runner = CliRunner()
TEMPLATES = Path(__file__).resolve().parents[1] / "workbooks"
BOUND_SECONDS = 60  # each run takes well under a second; this only catches a hang

NASTY_TEXT = ["", " ", "1e309", "1e308", "-0", "inf", "nan", "NaN", "1.234", "1.5", "1,5", "85%", "12.345.678",
              "=cmd|' /C calc'!A0", "\t=1+1", "@SUM(A1)", "＝1", "\u200b", "\u00ad", "\ufeff", "\u202e", "Xã A\u200b",
              "có", "không", "TRUE", "\x00", "\x1b", "a\nb", '"', "'", ";", ",", "9" * 400, "Xã Tốt Một",
              "UBND xã Hòa An", "31/02/2023", "05/01/2023", "2023-13-01", "Trực tiếp", "Trực tuyến toàn trình"]
cell = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=12),
                 st.integers(min_value=-10**12, max_value=10**12).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(repr))
header = st.one_of(st.sampled_from([*CTA_HEADERS, *HEADERS, "Đơn vị", "Đơn vị\u200b"]), st.text(max_size=8))


@st.composite
def csv_bytes(draw) -> bytes:
    headers = draw(st.lists(header, min_size=0, max_size=10))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(headers) + 2), max_size=8))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(headers)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16"]))
    return buffer.getvalue().encode(encoding, errors="replace")


def _storable(value: object) -> object:
    """What openpyxl can write at all (it refuses control characters): the file must be made to be tested."""
    return value.translate({c: None for c in range(32) if c not in (9, 10, 13)}) if isinstance(value, str) else value


@st.composite
def xlsx_bytes(draw, tmp: Path) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["xa", "Số liệu xa", "Sheet", "Trọng số", "Hướng dẫn"]))
    values = st.one_of(cell, st.integers(min_value=-10**15, max_value=10**15), st.floats(allow_nan=False),
                       st.booleans(), st.sampled_from(["=1/0", "=SUM(A1:A3)", "=A1+", "=[1]Sheet1!A1"]))
    for row in [draw(st.lists(header, max_size=8)), *draw(st.lists(st.lists(values, max_size=8), max_size=6))]:
        ws.append([_storable(v) for v in row])
    path = tmp / "made.xlsx"
    wb.save(path)
    return path.read_bytes()


def run_and_check(args: list[str], inputs: list[Path]) -> None:
    before = {p: p.read_bytes() for p in inputs}
    started = time.monotonic()
    result = runner.invoke(app, args)
    assert time.monotonic() - started < BOUND_SECONDS
    assert result.exit_code in (0, 2), (args, result.output, result.exception)
    assert INTERNAL not in result.output, (args, result.output, repr(result.exception))
    for p, content in before.items():
        assert p.read_bytes() == content, f"{p} changed"


COMMON = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


def _fresh(tmp_path: Path) -> Path:
    folder = tmp_path / f"case{time.monotonic_ns()}"
    folder.mkdir()
    return folder


@COMMON
@given(data=st.one_of(csv_bytes(), st.binary(max_size=300)))
def test_score_and_ingest_any_csv(tmp_path, data):
    folder = _fresh(tmp_path)
    path = folder / "so-lieu.csv"
    path.write_bytes(data)
    run_and_check(["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa", "-o", str(folder / "kq.xlsx")],
                  [path])
    book = folder / "book.xlsx"
    shutil.copy(TEMPLATES / "hau-giang-2023.xlsx", book)
    run_and_check(["ingest", str(path), "-p", "hau-giang-2023", "-u", str(book), "--no-progress", "-o",
                   str(folder / "out.xlsx")], [path, book])


@COMMON
@given(data=st.data())
def test_any_xlsx_to_every_command(tmp_path, data):
    folder = _fresh(tmp_path)
    content = data.draw(st.one_of(xlsx_bytes(folder), st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b)))
    path = folder / "so.xlsx"
    path.write_bytes(content)
    for args in (["recalc", str(path), "-o", str(folder / "r.xlsx")],
                 ["awards", str(path), "-o", str(folder / "a.xlsx")],
                 ["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa", "-o", str(folder / "s.xlsx")]):
        run_and_check(args, [path])
    book = folder / "book.xlsx"
    shutil.copy(TEMPLATES / "hau-giang-2023.xlsx", book)
    run_and_check(["ingest", str(path), "-p", "hau-giang-2023", "-u", str(book), "--no-progress", "-o",
                   str(folder / "out.xlsx")], [path, book])


@settings(COMMON, max_examples=6)
@given(values=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=6))
def test_template_book_with_random_figures(tmp_path, values):
    """The real template with random text typed into its figure cells: awards still answers (recalc of a whole
    template takes seconds, so it is covered by the small random books above)."""
    from openpyxl import load_workbook

    folder = _fresh(tmp_path)
    book = folder / "book.xlsx"
    shutil.copy(TEMPLATES / "chau-thanh-a-2021.xlsx", book)
    wb = load_workbook(book)
    ws = wb["Số liệu xã"]
    for r, row in enumerate(values, start=2):
        for c, value in enumerate(row, start=2):
            ws.cell(row=r, column=c).value = value.translate({i: None for i in range(32)}) or None
    wb.save(book)
    run_and_check(["awards", str(book), "-o", str(folder / "a.xlsx")], [book])
