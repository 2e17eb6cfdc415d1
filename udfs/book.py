"""The book interface over a live Excel workbook (xlwings); the macros' other implementation.

Owned sheets are built with openpyxl in a temporary file and copied into the
open workbook, so the award sheet looks the same in Excel as headless. Needs
Excel (Windows/macOS); headless tests use ``thidua_xl.workbook.book.OpenpyxlBook``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from openpyxl import Workbook

from thidua_xl.workbook.book import SheetBuilder, ensure_owned


class XlwingsBook:
    def __init__(self, book) -> None:  # book: xlwings.Book
        self.book = book

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def values(self, sheet: str) -> list[list[object]]:
        rng = self.book.sheets[sheet].used_range
        return rng.options(ndim=2).value or []

    def replace_sheet(self, name: str, build: SheetBuilder) -> None:
        ensure_owned(name)
        staging = Workbook()
        build(staging, name)
        del staging[staging.sheetnames[0]]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "thidua-staging.xlsx"
            staging.save(path)
            source = self.book.app.books.open(str(path))
            try:
                if name in self.sheet_names():
                    alerts = self.book.app.display_alerts
                    self.book.app.display_alerts = False
                    try:
                        self.book.sheets[name].delete()
                    finally:
                        self.book.app.display_alerts = alerts
                source.sheets[name].copy(after=self.book.sheets[-1])
            finally:
                source.close()

    def recalculate(self) -> str:
        """A full rebuild: ``Application.Calculate`` skips UDFs that are not volatile (all THIDUA_* ones)."""
        self.book.app.api.CalculateFullRebuild()
        return "Đã tính lại sổ."

    def status(self, message: str) -> None:
        self.book.app.status_bar = message

    def save(self) -> None:
        """Excel keeps the workbook open; the user saves it."""
