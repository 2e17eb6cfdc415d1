"""Is this file a workbook we may open? Checked before openpyxl or pandas sees it.

Why: openpyxl answers a directory, a CSV, a truncated file or a zip bomb with
an English exception or minutes of work. Here each case is a Vietnamese
refusal naming the file: it must exist, be a regular .xlsx/.xlsm file, not a
legacy or encrypted compound file, a readable zip, and its parts must not
unpack to more than :data:`MAX_UNPACKED` bytes or at a ratio above
:data:`MAX_RATIO` (an ordinary sheet compresses 5–30 times).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

MAX_UNPACKED = 2 * 10**9      # all parts together
MAX_RATIO = 150               # per part, for parts over RATIO_FLOOR bytes unpacked
RATIO_FLOOR = 10 * 10**6
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def check_workbook(path: Path | str, *, what: str = "Sổ") -> Path:
    """Refuse, in Vietnamese, anything that is not an openable, plausible .xlsx/.xlsm file."""
    from .outputs import os_message
    from .tables import TableError, refuse_legacy_excel

    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        raise TableError(os_message(err, path)) from err
    if stat.S_ISDIR(mode):
        raise TableError(f"'{path}' là một thư mục: cần chỉ một tệp .xlsx.")
    if not stat.S_ISREG(mode):
        raise TableError(f"'{path}' không phải tệp thường (ống dẫn hay thiết bị): cần một tệp .xlsx.")
    if path.suffix.lower() not in (*EXCEL_SUFFIXES, ".xls"):
        raise TableError(f"{what} '{path.name}' cần là tệp Excel .xlsx (đang là '{path.suffix or 'không đuôi'}'); "
                         "tệp .csv hãy mở bằng Excel và 'Lưu thành' .xlsx, hoặc dùng lệnh 'thidua-xl score'.")
    try:
        refuse_legacy_excel(path)
    except OSError as err:
        raise TableError(os_message(err, path)) from err
    check_zip(path)
    return path


def check_readable(book: Path, cells=None) -> None:
    """:func:`check_workbook`, then no cell far beyond the data (:func:`.sheet_table.check_extent`; ``cells``:
    per sheet, the positions of the cells already read); an unreadable part is a Vietnamese refusal."""
    from .sheet_table import check_extent
    from .tables import TableError

    check_workbook(book)
    try:
        check_extent(book, cells=cells)
    except (KeyError, ValueError, OSError, EOFError) as err:
        if isinstance(err, TableError):
            raise
        raise TableError(f"Sổ '{book.name}' không đọc được ({type(err).__name__}): tệp có thể bị hỏng — hãy mở "
                         "bằng Excel và 'Lưu thành' .xlsx rồi chạy lại.") from err


def check_zip(path: Path) -> None:
    """A readable zip whose parts are not a decompression bomb."""
    from .tables import TableError

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise TableError(f"Tệp '{path.name}' không mở được như sổ Excel (tệp hỏng, bị cắt cụt hoặc không phải "
                         ".xlsx): hãy mở bằng Excel và 'Lưu thành' .xlsx rồi chạy lại.") from err
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise TableError(f"Tệp '{path.name}' giải nén ra {total / 1e9:.1f} GB, quá giới hạn "
                         f"{MAX_UNPACKED / 1e9:.0f} GB: có thể là tệp độc hại hoặc quá lớn; hãy chia nhỏ.")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TableError(f"Tệp '{path.name}': phần '{info.filename}' nén {info.compress_size:,} byte nhưng "
                             f"giải nén ra {info.file_size:,} byte (tỷ lệ bất thường, có thể là tệp độc hại): "
                             "không mở.".replace(",", "."))
    try:
        with zipfile.ZipFile(path) as zf:
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_doctype(zf, info):
                    raise TableError(f"Tệp '{path.name}': phần '{info.filename}' khai báo DOCTYPE (thực thể XML) — sổ "
                                     "Excel thật không bao giờ có; có thể là tệp độc hại: không mở.")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        if isinstance(err, TableError):
            raise
        raise TableError(f"Tệp '{path.name}' không mở được như sổ Excel (tệp hỏng): hãy mở bằng Excel và "
                         "'Lưu thành' .xlsx rồi chạy lại.") from err


PROLOG_LIMIT = 1 << 20


def _has_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DOCTYPE before its root element (OOXML forbids DTDs; a DTD is how
    entity bombs and external entities get in). Only the prolog is read, at most :data:`PROLOG_LIMIT` bytes."""
    with zf.open(info) as part:
        head = part.read(PROLOG_LIMIT)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    i, n = 0, len(text)
    while i < n:
        if text[i] in " \t\r\n\ufeff":
            i += 1
        elif text.startswith("<?", i):
            end = text.find("?>", i)
            i = n if end < 0 else end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            i = n if end < 0 else end + 3
        else:
            return text[i:i + 9].upper() == "<!DOCTYPE" or (i >= n)
    return len(head) >= PROLOG_LIMIT  # a prolog longer than the limit is refused as well


# A reference into another workbook: "[book.xlsx]Sheet!A1", "'C:\\dir\\[book.xlsx]Sheet'!A1" or the stored form
# "[1]Sheet!A1" — a bracket, then a sheet name, then "!". Structured table references ("Bảng1[Cột]") have no
# "!" after the bracket and are not matched.
_EXTERNAL = re.compile(r"\[[^\]\[]+\][^!\[\]()=,;+\-*/&^<>]*!")


def _strip_strings(formula: str) -> str:
    return re.sub(r'"(?:[^"]|"")*"', '""', formula)


def _external(title: str, cells) -> list[str]:
    """The cells (dicts with value/row/column) whose formula reads another workbook, named."""
    found = []
    for c in cells:
        value = c["value"]
        text = value if isinstance(value, str) else getattr(value, "text", None)
        if isinstance(text, str) and text.startswith("=") and _EXTERNAL.search(_strip_strings(text)):
            found.append(f"ô '{title}'!{_cell_name(c)} ({text[:80]})")
    return found


def refuse_external_links(path: Path, loaded=None) -> None:
    """Refuse, naming the cells, a workbook whose formulas read other workbooks: recalculating it would read
    files outside the book (a crafted book could pull any file's values into its output). ``loaded``: the
    book at ``path`` already loaded by openpyxl (its cells are checked instead of reading the file again)."""
    from openpyxl import load_workbook

    from .sheet_table import sparse_rows
    from .tables import TableError

    found: list[str] = []
    if loaded is not None:
        for ws in loaded.worksheets:
            found += _external(ws.title, ({"value": c.value, "row": c.row, "column": c.column}
                                          for c in list(ws._cells.values()) if c.data_type == "f"))
        found += _defined_names(loaded)
    else:
        wb = load_workbook(path, read_only=True, data_only=False)
        try:
            for ws in wb.worksheets:
                if hasattr(ws, "_get_source"):
                    found += _external(ws.title, (c for _, cells in sparse_rows(ws, wb) for c in cells))
            found += _defined_names(wb)
        finally:
            wb.close()
    with zipfile.ZipFile(path) as zf:
        linked = [n for n in zf.namelist() if n.lower().startswith("xl/externallinks/")]
    if found or linked:
        where = "; ".join(found[:5]) if found else "liên kết tới sổ khác (Dữ liệu > Sửa liên kết)"
        raise TableError(f"Sổ '{path.name}' có công thức đọc sổ Excel khác: {where}. thidua-xl không đọc tệp nằm "
                         "ngoài sổ: hãy thay các ô đó bằng giá trị (Sao chép > Dán giá trị) hoặc ngắt liên kết "
                         "(Dữ liệu > Sửa liên kết > Ngắt liên kết) rồi chạy lại.")


def _cell_name(cell: dict) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(cell['column'])}{cell['row']}"


def _defined_names(wb) -> list[str]:
    """Defined names whose formula reads another workbook."""
    out = []
    names = getattr(wb, "defined_names", {})
    for key in list(names):
        value = getattr(names[key], "attr_text", "") or ""
        if _EXTERNAL.search(_strip_strings(value)):
            out.append(f"tên '{key}' ({value[:80]})")
    return out
