"""Where ingested figures go: a copy of the secretariat's own figures, dossier columns filled in.

The units come from the same place: the workbook made from the plan's
template (sheets "Số liệu <khối>") or a folder with one ``<khối>.csv`` per
bloc. The original is never written; the copy keeps every other column,
formula, validation and sheet, so ``thidua-xl score`` and the template's
THIDUA_* formulas read it as they read a typed sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..outputs import atomic_write, input_files, output_folder
from ..rubric import Bloc, Rubric
from ..tables import TableError, fill_sheet, read_table, write_tables
from ..validation import UNIT, clean_names, map_headers
from ..vn import fold
from ..workbook.layout import input_sheet, input_sheet_names
from ..workbook.reading import is_formula


@dataclass
class FiguresSource:
    """The secretariat's figures: one table per bloc found, and where they came from."""

    path: Path
    tables: dict[str, pd.DataFrame]
    sheets: dict[str, str]  # bloc id → sheet name (workbook) or file name (folder)

    @property
    def is_book(self) -> bool:
        return self.path.is_file()


def read_source(path: Path, rubric: Rubric) -> FiguresSource:
    """Each bloc's table from a workbook or a folder; blocs without a table are left out."""
    path = Path(path)
    tables: dict[str, pd.DataFrame] = {}
    sheets: dict[str, str] = {}
    if path.is_dir():
        for bloc in rubric.blocs:
            candidates = [p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx") and
                          fold(p.stem) in {fold(bloc.id), *map(fold, input_sheet_names(bloc))}]
            if len(candidates) > 1:
                raise TableError(f"Thư mục '{path.name}': khối {bloc.label} có {len(candidates)} tệp cùng có thể là "
                                 f"bảng số liệu ({', '.join(sorted(p.name for p in candidates))}) — hãy để lại một tệp.")
            if candidates:
                tables[bloc.id] = read_table(candidates[0], bloc)
                sheets[bloc.id] = candidates[0].name
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        from ..tables import bloc_sheet, sheet_names

        names = sheet_names(path)
        for bloc in rubric.blocs:
            sheet = bloc_sheet(names, bloc)
            if sheet is not None:
                tables[bloc.id] = read_table(path, bloc, sheet)
                sheets[bloc.id] = sheet
    elif path.exists():
        raise TableError(f"'{path.name}': danh sách đơn vị cần là sổ .xlsx (tạo từ mẫu) hoặc thư mục có tệp "
                         "<khối>.csv.")
    else:
        raise TableError(f"Không tìm thấy '{path}'.")
    if not tables:
        wanted = ", ".join(f"'{input_sheet(b)}'" for b in rubric.blocs)
        raise TableError(f"'{path.name}': không thấy bảng số liệu khối nào của kế hoạch '{rubric.id}' "
                         f"(cần sheet hoặc tệp {wanted}).")
    return FiguresSource(path, tables, sheets)


def merged(bloc: Bloc, table: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The bloc's table with the dossier columns replaced (or added) from ``values`` (indexed by unit name)."""
    out = table.copy()
    values = _by_key(values)
    mapping = map_headers(bloc, out.columns)
    by_id = {fid: header for header, fid in mapping.items()}
    unit_header = by_id[UNIT]
    keys = clean_names(out[unit_header]).map(fold)
    for fd in bloc.from_dossiers:
        header = by_id.get(fd.figure, bloc.figure(fd.figure).label)
        column = keys.map(values[fd.figure]) if fd.figure in values else pd.Series(index=out.index, dtype=float)
        out[header] = column.astype(object).where(column.notna(), None)
    return out


def kept_by_month(source: FiguresSource) -> bool:
    """Whether a bloc table of the units book has a "Kỳ" column (one row per unit and month)."""
    from ..periods import has_periods

    return source.is_book and any(has_periods(t) for t in source.tables.values())


def write_book(source: FiguresSource, rubric: Rubric, values: Mapping[str, pd.DataFrame],
               extra: Mapping[str, pd.DataFrame], output: Path, protect: tuple[Path, ...] = (),
               months: Mapping[str, Mapping[str, pd.DataFrame]] | None = None) -> Path:
    """A copy of the workbook: dossier cells of each bloc sheet set, extra sheets (re)written, rest untouched.

    ``months`` (bloc id → month → values, :meth:`IngestResult.month_values`): a sheet with a "Kỳ" column gets
    each unit's row of each month filled from that month's figures; a month without its row takes a blank
    row of the table (unit, Kỳ and huyện written too)."""
    from openpyxl import load_workbook

    if Path(output).suffix.lower() != source.path.suffix.lower():
        raise TableError(f"Tệp kết quả '{Path(output).name}' phải có đuôi {source.path.suffix} như sổ số liệu.")

    from ..cells import put
    from ..workbook.layout import fresh_sheet

    wb = load_workbook(source.path, keep_vba=source.path.suffix.lower() == ".xlsm")
    for bloc_id, named in values.items():
        bloc = rubric.bloc(bloc_id)
        frame = _by_key(named)
        ws = wb[source.sheets[bloc_id]]
        headers = [c.value for c in ws[1]]
        mapping = map_headers(bloc, headers)
        col_of = {fid: headers.index(h) + 1 for h, fid in mapping.items()}
        for fd in bloc.from_dossiers:
            if fd.figure not in col_of:  # the sheet lacks the column: add it at the end, with the plan's label
                col_of[fd.figure] = ws.max_column + 1
                put(ws.cell(row=1, column=col_of[fd.figure]), bloc.figure(fd.figure).label)
        unit_col = col_of[UNIT]
        ky = _ky_col(headers)
        if ky is not None and months is not None and bloc_id in months:
            _fill_by_month(ws, bloc, col_of, ky, {m: _by_key(v) for m, v in months[bloc_id].items()})
            continue
        for row in range(2, ws.max_row + 1):
            name = ws.cell(row=row, column=unit_col).value
            key = fold(" ".join(str(name).split())) if name is not None else ""
            if not key or key not in frame.index:
                continue
            for fd in bloc.from_dossiers:
                cell = ws.cell(row=row, column=col_of[fd.figure])
                if is_formula(cell.value):  # the sheet computes it (e.g. the template's AVERAGEIF): keep it
                    continue
                value = frame.at[key, fd.figure]
                cell.value = None if pd.isna(value) else _plain(value)
    for name, table in extra.items():
        fill_sheet(fresh_sheet(wb, name), table)
    wb.calculation.fullCalcOnLoad = True  # Excel recomputes the THIDUA_* formulas on opening

    def save(tmp: Path) -> None:
        wb.save(tmp)

    return atomic_write(output, save, protect=(source.path, *protect))


def _month_end(month_idx: int):
    import calendar
    import datetime as dt

    y, m = divmod(month_idx, 12)
    return dt.date(y, m + 1, calendar.monthrange(y, m + 1)[1])


def _ky_col(headers: list[object]) -> int | None:
    from ..periods.period import KY_HEADERS, bare

    return next((i + 1 for i, h in enumerate(headers) if h is not None and bare(h) in KY_HEADERS), None)


def _fill_by_month(ws, bloc: Bloc, col_of: Mapping[str, int], ky: int,
                   months: Mapping[str, pd.DataFrame]) -> None:
    """Each (unit, month) row of a sheet kept by month set from that month's values; missing rows written
    into the table's blank rows — never past them, where the sheet's formulas would not read them."""
    from ..cells import put
    from ..periods.period import cell_key, read_cell

    unit_col, group_col = col_of[UNIT], col_of.get(bloc.group.id) if bloc.group is not None else None
    rows: dict[tuple[str, str], int] = {}
    dated: dict[tuple[str, str], str] = {}  # (unit, month) → a row's Kỳ typed as a day inside the month
    blank: list[int] = []
    groups: dict[str, object] = {}
    for row in range(2, ws.max_row + 1):
        name, month = ws.cell(row=row, column=unit_col).value, ws.cell(row=row, column=ky).value
        key = fold(" ".join(str(name).split())) if name is not None and str(name).strip() else ""
        if not key and (month is None or not str(month).strip()):
            blank.append(row)
            continue
        found = read_cell(month)
        if key and found is not None:
            rows.setdefault((key, cell_key(*found)), row)
            whole = cell_key(found[0], _month_end(found[0]))
            if cell_key(*found) != whole:
                dated[(key, whole)] = str(month)
        if key and group_col is not None:
            groups.setdefault(key, ws.cell(row=row, column=group_col).value)
    wanted = [(month, key, frame) for month, frame in sorted(months.items()) for key in frame.index]
    names = {k: n for frame in months.values() for k, n in frame.attrs.get("names", {}).items()}
    split = next(((k, m) for m, k, _ in wanted if (k, m) in dated), None)
    if split is not None:  # the month's figures would be counted twice (its dated row and the whole month)
        raise TableError(f"Sheet '{ws.title}': đơn vị '{names.get(split[0], split[0])}' có dòng kỳ "
                         f"'{dated[split]}' (số liệu đến một ngày trong tháng {split[1]}); nhập hồ sơ chỉ điền số liệu "
                         f"cả tháng — chạy lại với --den trước tháng {split[1]} rồi nhập tháng đó bằng tay.")
    missing = [(m, k) for m, k, _ in wanted if (k, m) not in rows]
    if len(missing) > len(blank):
        month, key = missing[0]
        raise TableError(f"Sheet '{ws.title}': cần {len(missing)} dòng mới cho các tháng chưa có (ví dụ "
                         f"'{names.get(key, key)}' tháng {month}) nhưng bảng chỉ còn {len(blank)} dòng trống — hãy thêm "
                         "dòng vào bảng (và vùng công thức của các sheet 'Điểm …') hoặc tạo sổ mới từ mẫu rồi chạy lại.")
    free = iter(blank)
    for month, key, frame in wanted:
        row = rows.get((key, month))
        if row is None:
            row = next(free)
            put(ws.cell(row=row, column=unit_col), names.get(key, key))
            cell = ws.cell(row=row, column=ky)
            cell.value, cell.number_format = month, "@"
            if group_col is not None and groups.get(key) is not None:
                put(ws.cell(row=row, column=group_col), groups[key])
        for fd in bloc.from_dossiers:
            cell = ws.cell(row=row, column=col_of[fd.figure])
            if is_formula(cell.value):  # the sheet computes it (the template's THIDUA_MEAN): keep it
                continue
            value = frame.at[key, fd.figure]
            cell.value = None if pd.isna(value) else _plain(value)


def _by_key(values: pd.DataFrame) -> pd.DataFrame:
    """Index by the folded name, so a sheet's "Xã Hoà An" finds the export's "Xã Hòa An" (the names as written
    kept in ``attrs["names"]``)."""
    out = values.set_axis([fold(n) for n in values.index], axis=0)
    out.attrs["names"] = {fold(n): n for n in values.index}
    return out


def _plain(value: object) -> object:
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) >= 1 else value


def write_folder(source: FiguresSource, rubric: Rubric, values: Mapping[str, pd.DataFrame],
                 extra: Mapping[str, pd.DataFrame], output: Path) -> Path:
    """A new folder (a free name if the default exists): each bloc's CSV with dossier columns filled, plus the
    extra tables as CSV; never the units folder, never over one of its files."""
    output = output_folder(output, protect=(source.path,))
    inputs = tuple(input_files([source.path]))
    for bloc_id, frame in values.items():
        bloc = rubric.bloc(bloc_id)
        name = Path(source.sheets[bloc_id]).with_suffix(".csv").name
        write_tables(output / name, {bloc.id: merged(bloc, source.tables[bloc_id], frame)}, protect=inputs)
    for name, table in extra.items():
        write_tables(output / f"{name}.csv", {name: table}, protect=inputs)
    return output
