"""LibreOffice headless as the oracle of what a person sees: one soffice call converts many files."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Every sheet to its own UTF-8 CSV (comma, double quotes), formulas shown as their values.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice() -> str:
    """The soffice binary; a failure under CI (which installs it), a skip elsewhere."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice/poppler missing in CI: .ci/run installs libreoffice-calc-nogui and poppler-utils")
        pytest.skip("LibreOffice (soffice) or poppler is not installed on this machine")
    return found


def convert(files: list[Path], target: str, outdir: Path, profile: Path) -> None:
    """Convert ``files`` in one soffice run, with a private profile so parallel runs never collide."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=600, env=dict(os.environ, HOME=str(profile)))


def sheet_csv(folder: Path, book: str, sheet: str) -> list[list[str]]:
    """The rows of one sheet as LibreOffice showed them (from :data:`CSV_ALL_SHEETS`)."""
    with (folder / f"{book}-{sheet}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))
