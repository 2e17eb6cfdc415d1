"""Reading figure tables from CSV/XLSX and writing results safely.

CSV from Vietnamese offices comes as UTF-8 (with or without BOM) or as
Windows-1258; XLSX sheets are found by the bloc's id or label. Writes go to a
temporary file first and are renamed into place, so an interrupted run never
leaves half a file, and the input file is never the output (:mod:`thidua_xl.outputs`
decides what may be written).
"""

from __future__ import annotations

from collections.abc import Mapping
from io import StringIO
from pathlib import Path

import pandas as pd

from .outputs import OutputError, atomic_write, check_input
from .rubric import Bloc
from .vn import fold

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # compound file: legacy .xls or an encrypted .xlsx


class TableError(ValueError):
    """A file could not be read as a table; the message is Vietnamese."""


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV in UTF-8 (BOM or not) or Windows-1258, comma or semicolon; headers kept as written (a repeated
    header stays repeated, so validation can compare the two columns instead of silently using one)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        from .outputs import os_message

        raise TableError(os_message(err, path)) from err
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        lines = [line for line in text.splitlines() if line.strip(" \t,;\ufeff")]
        if not lines:
            raise TableError(f"Tệp '{path.name}' trống (không có dòng tiêu đề và số liệu).")
        sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
        try:
            table = pd.read_csv(StringIO(text), sep=sep, dtype=object, keep_default_na=False, na_values=[""],
                                header=None, skip_blank_lines=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
            raise TableError(f"Tệp '{path.name}' không đọc được như bảng CSV ({str(err).splitlines()[0]}): "
                             "kiểm tra dấu phân cách và dấu ngoặc kép.") from err
        headers = [f"(cột {i + 1} không tên)" if h is None or h != h or not str(h).strip() else str(h)
                   for i, h in enumerate(table.iloc[0].tolist())]
        body = table.iloc[1:].reset_index(drop=True)
        body.columns = headers
        return body
    raise TableError(f"Tệp '{path.name}': không đọc được bảng mã (cần UTF-8 hoặc Windows-1258).")


def refuse_legacy_excel(path: Path) -> None:
    """An .xls, or an .xlsx that is really a compound file (password-protected or a renamed .xls), is refused
    with what to do, instead of an openpyxl error."""
    if path.suffix.lower() == ".xls":
        raise TableError(f"Tệp '{path.name}' là định dạng Excel cũ (.xls): hãy mở bằng Excel và "
                         "'Lưu thành' .xlsx rồi chạy lại.")
    with path.open("rb") as head:
        if head.read(8) == OLE_MAGIC:
            raise TableError(f"Tệp '{path.name}' được đặt mật khẩu (mã hóa) hoặc thực ra là định dạng .xls cũ: hãy "
                             "mở bằng Excel, bỏ mật khẩu và 'Lưu thành' .xlsx rồi chạy lại.")


def sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def check_workbook(path: Path, what: str = "Sổ") -> Path:
    from .xlsxfile import check_workbook as check

    return check(path, what=what)


def read_table(path: str | Path, bloc: Bloc | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read one table; for a workbook, the sheet named like the bloc (or ``sheet``, or the first)."""
    path = Path(path)
    try:
        check_input(path)
    except OutputError as err:
        raise TableError(str(err)) from err
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix not in (".xls", ".xlsx", ".xlsm"):
        raise TableError(f"Tệp '{path.name}': chỉ đọc được .csv, .xlsx, .xlsm.")
    check_workbook(path, what="Tệp")
    try:
        names = sheet_names(path)
    except Exception as err:  # openpyxl raises several types for encrypted/corrupt files
        raise TableError(f"Tệp '{path.name}' không mở được như sổ Excel (có thể bị hỏng hoặc đặt mật khẩu): "
                         f"{type(err).__name__}.") from err
    chosen = _choose_sheet(names, bloc, sheet)
    from .sheet_table import read_sheet

    # Only the cells present are read: a sheet touched at XFD1048576 costs what its cells cost.
    try:
        return read_sheet(path, chosen)
    except (KeyError, ValueError, OSError, EOFError) as err:
        raise TableError(f"Tệp '{path.name}', sheet '{chosen}': không đọc được ({type(err).__name__}) — tệp có "
                         "thể bị hỏng: hãy mở bằng Excel và 'Lưu thành' .xlsx rồi chạy lại.") from err


def bloc_sheet(names: list[str], bloc: Bloc) -> str | None:
    """The sheet holding a bloc's figures: named by its id or label, or a template's "Số liệu <khối>" (today's
    "Số liệu xã" or the older "Số liệu xa").

    Two sheets that both fit (a hidden "xa" behind a visible "Số liệu xa", a copy "Số liệu Cấp xã") are
    refused by name: which one holds the figures cannot be guessed."""
    from .workbook.layout import input_sheet_names

    wanted = {fold(w) for w in (bloc.id, bloc.label, *input_sheet_names(bloc), f"Số liệu {bloc.label}")}
    found = [name for name in names if fold(name) in wanted]
    if len(found) > 1:
        raise TableError(f"Khối {bloc.label}: có {len(found)} sheet cùng có thể là sheet số liệu "
                         f"({', '.join(repr(n) for n in found)}, kể cả sheet ẩn) — hãy xóa hoặc đổi tên sheet thừa, "
                         "hoặc chỉ rõ bằng --sheet.")
    return found[0] if found else None


def _choose_sheet(names: list[str], bloc: Bloc | None, sheet: str | None) -> str:
    if sheet:
        found = next((name for name in names if fold(name) == fold(sheet)), None)
        if found is None:
            raise TableError(f"Không có sheet '{sheet}'. Các sheet: {', '.join(names)}")
        return found
    return (bloc_sheet(names, bloc) if bloc is not None else None) or names[0]


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and every header that a spreadsheet would evaluate gets a leading apostrophe
    (:func:`thidua_xl.cells.csv_text`)."""
    from .cells import csv_text

    out = table.copy()
    out.columns = [csv_text(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.map(csv_text))
    return out


def fill_sheet(ws, table: pd.DataFrame) -> None:
    """A table into an empty openpyxl sheet: bold headers, blanks left empty, text never a formula."""
    from openpyxl.styles import Font

    from .cells import put

    for col, header in enumerate(table.columns, start=1):
        put(ws.cell(row=1, column=col), str(header))
        ws.cell(row=1, column=col).font = Font(bold=True)
    for r, row in enumerate(table.itertuples(index=False), start=2):
        for col, value in enumerate(row, start=1):
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                continue
            put(ws.cell(row=r, column=col), value.item() if hasattr(value, "item") else value)


def _write_xlsx(path: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """One sheet per table (see :func:`fill_sheet`)."""
    from openpyxl import Workbook

    wb = Workbook()
    del wb[wb.sheetnames[0]]
    for name, table in tables.items():
        fill_sheet(wb.create_sheet(name[:31]), table)
    wb.save(path)


def write_tables(path: str | Path, tables: Mapping[str, pd.DataFrame], *, protect: tuple[Path, ...] = ()) -> Path:
    """Write one CSV (single table) or an XLSX with a sheet per table, atomically."""
    path = Path(path)

    def write(tmp: Path) -> None:
        if path.suffix.lower() == ".csv":
            if len(tables) != 1:
                raise TableError("Tệp .csv chỉ chứa được một bảng; hãy dùng .xlsx.")
            # CRLF rows (as Excel writes them) also make the writer quote a cell holding a lone CR.
            csv_safe(next(iter(tables.values()))).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        else:
            _write_xlsx(tmp, tables)

    return atomic_write(path, write, protect=protect)
