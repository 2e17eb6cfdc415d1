"""Turning a portal export into a UTF-8 delimited file DuckDB can stream, and finding its columns.

CSV in UTF-8 is read in place (no copy, whatever its size). Windows-1258 CSV
is transcoded chunk by chunk; an .xlsx export is streamed row by row through
openpyxl's read-only mode into a temporary CSV (dates written ISO). Either
way memory stays bounded.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..outputs import OutputError, check_input
from ..vn import fold
from .profile import FIELD_LABELS, REQUIRED_FIELDS, Profile

LINE_HEADER = "__dong__"
GLOB_CHARS = set("[]*?{}")
SAMPLE_BYTES = 1 << 20
CHUNK_BYTES = 16 << 20


class ExportError(ValueError):
    """The export cannot be read at all; the message is Vietnamese and names the file and column."""


@dataclass
class Source:
    """A UTF-8 delimited file, its headers and where each profile field is."""

    path: Path
    delimiter: str
    headers: list[str]
    fields: dict[str, int]           # profile field → column position
    original: Path
    temporary: bool = False
    notes: list[str] = field(default_factory=list)
    # Column holding each row's line in the original (xlsx: sheet row); None: line = data row + 1 (header).
    line_column: int | None = None

    def header_of(self, name: str) -> str:
        return self.headers[self.fields[name]]

    def cleanup(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)


def open_export(path: Path, profile: Profile, workdir: Path, progress: bool = False) -> Source:
    """Prepare ``path`` for streaming and map its headers to the profile's fields."""
    path = Path(path)
    try:
        check_input(path)
    except OutputError as err:
        raise ExportError(str(err)) from err
    suffix = path.suffix.lower()
    if suffix in (".xls", ".xlsx", ".xlsm"):
        source = _from_xlsx(path, workdir, progress)
    elif suffix in (".csv", ".txt", ".tsv"):
        source = _from_csv(path, profile, workdir)
    else:
        raise ExportError(f"Tệp '{path.name}': chỉ đọc được .csv, .txt, .xlsx.")
    source.fields = map_fields(source.headers, profile, path.name)
    return source


def map_fields(headers: list[str], profile: Profile, filename: str) -> dict[str, int]:
    """Profile field → column position; a missing required column is an error naming it."""
    folded = {}
    for i, h in enumerate(headers):
        folded.setdefault(fold(h), i)
    found: dict[str, int] = {}
    for name, candidates in profile.columns.items():
        for candidate in candidates:
            if fold(candidate) in folded:
                found[name] = folded[fold(candidate)]
                break
    missing = [f for f in REQUIRED_FIELDS if f not in found]
    if missing:
        wanted = "; ".join(f"{FIELD_LABELS[f]} ({' / '.join(repr(c) for c in profile.columns[f])})"
                           for f in missing)
        raise ExportError(f"Tệp '{filename}' thiếu cột: {wanted}. Các cột trong tệp: "
                          f"{', '.join(repr(h) for h in headers)}. Nếu tệp đặt tên khác, sửa hồ sơ cột "
                          f"'{profile.name}' (--profile).")
    return found


def _encoding(path: Path, wanted: str) -> str:
    """UTF-8 unless the sample reads as Windows-1258; UTF-8 with a few bad bytes stays UTF-8 (those lines are
    set aside as rejects) rather than being misread as a whole as a legacy code page."""
    if wanted != "auto":
        return wanted
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    bom = "utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return bom
    except UnicodeDecodeError:
        pass
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    wide = sum(1 for ch in text if ord(ch) > 127) - bad
    return bom if wide > 10 * bad else "cp1258"


def _sniff_delimiter(header: str, wanted: str) -> str:
    if wanted not in ("auto", ""):
        return "\t" if wanted in ("\\t", "tab") else wanted
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def _from_csv(path: Path, profile: Profile, workdir: Path) -> Source:
    encoding = _encoding(path, profile.encoding)
    target, temporary = path, False
    if encoding not in ("utf-8", "utf-8-sig"):
        target, temporary = _transcode(path, encoding, workdir), True
    elif GLOB_CHARS & set(str(path.resolve())):
        target, temporary = _literal(path, workdir), True
    with target.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        first = f.readline()
    if not first.strip():
        raise ExportError(f"Tệp '{path.name}' trống (không có dòng tiêu đề).")
    delimiter = _sniff_delimiter(first, profile.delimiter)
    headers = next(csv.reader([first], delimiter=delimiter))
    notes = [f"Bảng mã {encoding}" + (" (đã chuyển sang UTF-8)" if temporary else "")]
    return Source(target, delimiter, [h.strip() for h in headers], {}, path, temporary, notes)


def _literal(path: Path, workdir: Path) -> Path:
    """The file under a plain name in the work folder: DuckDB reads ``[ ] * ? { }`` in a path as a glob
    (``ho-so[1].csv`` would read ``ho-so1.csv``). A hard link or symlink costs nothing; a copy is the fallback."""
    plain = workdir / "export.csv"
    for make in (os.link, os.symlink, shutil.copyfile):
        try:
            make(path.resolve(), plain)
            return plain
        except OSError:
            plain.unlink(missing_ok=True)
    raise ExportError(f"Không đọc được tệp '{path.name}' (không tạo được bản tạm trong thư mục tạm).")


def _transcode(path: Path, encoding: str, workdir: Path) -> Path:
    out = _scratch(workdir)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(CHUNK_BYTES):
                dst.write(decoder.decode(chunk))
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as err:
        raise ExportError(f"Tệp '{path.name}': không đọc được bảng mã (cần UTF-8 hoặc Windows-1258).") from err
    return out


def _scratch(workdir: Path) -> Path:
    """A temporary CSV inside the run's work folder (removed with it)."""
    fd, name = tempfile.mkstemp(prefix="export-", suffix=".csv", dir=workdir)
    os.close(fd)
    return Path(name)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _from_xlsx(path: Path, workdir: Path, progress: bool) -> Source:
    from openpyxl import load_workbook

    from ..tables import TableError
    from ..xlsxfile import check_workbook

    try:
        check_workbook(path, what="Tệp")
    except TableError as err:
        raise ExportError(str(err)) from err
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several types for corrupt files
        raise ExportError(f"Tệp '{path.name}' không mở được như sổ Excel: {type(err).__name__}.") from err
    from ..sheet_table import UNCOMPUTED, sparse_rows

    out = _scratch(workdir)
    uncomputed = 0

    def kept(cells: list[dict[str, object]]) -> dict[int, object]:
        nonlocal uncomputed
        uncomputed += sum(1 for c in cells if c["value"] == UNCOMPUTED)
        return {c["column"]: c["value"] for c in cells if not _is_blank(c["value"]) and c["value"] != UNCOMPUTED}

    try:
        ws = wb[wb.sheetnames[0]]
        # Only the cells present in the file are read: a stray cell at XFD1048576 costs one cell, not a
        # 16,384-column rectangle (openpyxl's iter_rows pads every row to the sheet's declared width).
        rows = ((idx, kept(cells)) for idx, cells in sparse_rows(ws, wb))
        header = next((cells for _, cells in rows if cells), None)
        if header is None:
            raise ExportError(f"Tệp '{path.name}' trống (không có dòng tiêu đề).")
        width = max(header)
        headers = [_cell_text(header.get(c)).strip() for c in range(1, width + 1)]
        from tqdm import tqdm

        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([*headers, LINE_HEADER])
            for number, cells in tqdm(rows, disable=not progress, unit=" dòng", desc="Đọc .xlsx", leave=False):
                if not any(c <= width for c in cells):
                    continue  # blank rows of a formatted sheet are not dossiers
                writer.writerow([*(_cell_text(cells.get(c)) for c in range(1, width + 1)), number])
        sheet = wb.sheetnames[0]
    except (KeyError, ValueError, EOFError, OSError) as err:
        if isinstance(err, ExportError):
            raise
        raise ExportError(f"Tệp '{path.name}' không đọc được như sổ Excel ({type(err).__name__}): tệp có thể bị "
                          "hỏng.") from err
    finally:
        wb.close()
    notes = [f"Sheet '{sheet}' của sổ Excel"]
    if uncomputed:
        notes.append(f"{uncomputed} ô công thức chưa có kết quả lưu sẵn, đã coi là ô trống")
    return Source(out, ",", [*headers, LINE_HEADER], {}, path, True, notes,
                  line_column=len(headers))
