"""The book interface the ribbon macros run against, and its headless (openpyxl) implementation.

A macro reads sheets, writes or replaces only the sheets it owns (the award
list, the data check), recalculates and reports what it did. The same macro
code runs in Excel through ``udfs.book.XlwingsBook`` and headless through
:class:`OpenpyxlBook` (tests, batch jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook, load_workbook

from ..tables import atomic_write
from .layout import OWNED_PREFIXES
from .reading import OpenpyxlSource, SheetSource

SheetBuilder = Callable[[Workbook, str], object]


class NotOwnedSheet(PermissionError):
    """A macro tried to write a sheet that belongs to the user."""


def ensure_owned(name: str) -> None:
    if not name.startswith(OWNED_PREFIXES):
        raise NotOwnedSheet(f"Không ghi vào sheet '{name}': macro chỉ được ghi các sheet của nó "
                            f"({', '.join(OWNED_PREFIXES)}).")


class Book(SheetSource, Protocol):
    """What a macro may do with a workbook."""

    def replace_sheet(self, name: str, build: SheetBuilder) -> None:
        """(Re)create an owned sheet; ``build(workbook, name)`` writes it with openpyxl."""

    def recalculate(self) -> str: ...

    def status(self, message: str) -> None: ...

    def save(self) -> None: ...


class OpenpyxlBook:
    """A workbook file opened headless; :meth:`save` writes it back atomically."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.wb = load_workbook(self.path)
        self._source = OpenpyxlSource(self.wb)
        self.messages: list[str] = []

    def sheet_names(self) -> list[str]:
        return self._source.sheet_names()

    def values(self, sheet: str) -> list[list[object]]:
        return self._source.values(sheet)

    def replace_sheet(self, name: str, build: SheetBuilder) -> None:
        ensure_owned(name)
        build(self.wb, name)

    def recalculate(self) -> str:
        from .recalc import recalc

        self.save()
        written = recalc(self.path, self.path.with_name(f"{self.path.stem}-tinh-lai{self.path.suffix}"))
        return f"Đã tính lại toàn bộ công thức (không cần Excel) và ghi ra {written.name} (công thức giữ nguyên)."

    def status(self, message: str) -> None:
        self.messages.append(message)

    def save(self) -> None:
        """Write the book back live: formulas kept, each with a freshly computed cached value."""
        from .recalc import save_live

        atomic_write(self.path, lambda tmp: save_live(self.wb, tmp))
