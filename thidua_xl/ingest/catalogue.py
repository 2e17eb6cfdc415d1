"""The catalogue of published online procedures (danh mục DVCTT đã công bố): procedure codes, one a row.

Hậu Giang 2023 divides online dossiers by "hồ sơ phát sinh của các DVCTT đã công bố" (Mục III.2.a/b), not by
every dossier received: with this list, ingest counts only the listed procedures' dossiers (``--danh-muc``).
"""

from __future__ import annotations

from pathlib import Path

from ..tables import TableError, read_table
from ..vn import fold
from .source import ExportError

CODE_HEADERS = ("mã thủ tục", "mã tthc", "mã thủ tục hành chính", "ma_thu_tuc", "mã", "mã dvc", "mã dịch vụ công")


def read_catalogue(path: Path) -> frozenset[str]:
    """Folded procedure codes from a CSV/XLSX: the column headed like "Mã thủ tục", else the first column."""
    try:
        table = read_table(path)
    except TableError as err:
        raise ExportError(f"Danh mục DVCTT: {err}") from err
    if table.empty and len(table.columns) == 0:
        raise ExportError(f"Danh mục DVCTT '{Path(path).name}' trống.")
    wanted = {fold(h) for h in CODE_HEADERS}
    column = next((c for c in table.columns if fold(c) in wanted), table.columns[0])
    codes = frozenset(fold(v) for v in table[column].tolist() if v is not None and v == v and fold(v))
    if not codes:
        raise ExportError(f"Danh mục DVCTT '{Path(path).name}': cột '{column}' không có mã thủ tục nào.")
    return codes
