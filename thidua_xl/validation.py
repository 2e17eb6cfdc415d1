"""Checking figures before scoring: every problem named by unit, column and value.

Columns are matched by the criterion/figure id or the plan's Vietnamese
header (NFC, case- and space-insensitive), so column order never matters.
Numeric columns are checked vectorised; only text cells are parsed one by one.
A bad cell takes its unit out of scoring; the other units are still scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .parsing import CellError, dot_use, is_blank, parse_number, parse_yes_no
from .rubric import Blend, Bloc, Figure, Kind, Ratio
from .vn import clean_all, fmt_number, fold, fold_all, nfc

UNIT = "don_vi"
UNIT_ALIASES = ("đơn vị", "tên đơn vị", "don_vi", "đơn vị thi đua", "unit")
ALL_UNITS = "(cả bảng)"
# Plausible ceilings by kind when a figure declares none (Figure.maximum): no unit receives ten million
# dossiers in a year, and a mark above a billion is a typing accident (or 1e308 waiting to overflow a sum).
PLAUSIBLE_MAX = {Kind.COUNT: 10_000_000, Kind.NUMBER: 1_000_000_000}
# What a secretary types in a figure that may not apply to a unit (Figure.may_not_apply), folded.
NOT_APPLICABLE = frozenset(fold(w) for w in ("không áp dụng", "KAD", "N/A", "không phát sinh"))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, in Vietnamese, naming unit, column and value."""

    unit: str
    column: str
    value: object
    message: str
    row: int | None = None  # 0-based position in the input table

    def __str__(self) -> str:
        return self.message


class InputError(ValueError):
    """The figures cannot be scored at all (e.g. a required column is missing)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.message for p in self.problems))


@dataclass
class Checked:
    """Clean figures (floats; rates as fractions) and the problems found."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    not_applicable: dict[str, np.ndarray] = field(default_factory=dict)  # figure id → rows typed "không áp dụng"

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None}

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.row is None]

    def messages_by_row(self) -> dict[int, str]:
        out: dict[int, list[str]] = {}
        for p in self.problems:
            if p.row is not None:
                out.setdefault(p.row, []).append(p.message)
        return {row: "; ".join(msgs) for row, msgs in out.items()}


def _header_keys(bloc: Bloc) -> dict[str, str]:
    keys: dict[str, str] = {}
    for alias in (*UNIT_ALIASES, bloc.unit_label):
        keys[fold(alias)] = UNIT
    items: list[Figure] = list(bloc.figures)
    if bloc.group is not None:
        items.append(bloc.group)
    for f in items:
        for name in (f.id, f.label, *f.aliases):
            keys[fold(name)] = f.id
    for d in bloc.derived:
        keys[fold(d.id)] = d.id
        keys[fold(d.label)] = d.id
    return keys


def map_headers(bloc: Bloc, headers: Iterable[object]) -> dict[object, str]:
    """Map the table's own headers to figure ids; unknown headers are left out."""
    keys = _header_keys(bloc)
    mapping: dict[object, str] = {}
    for header in headers:
        key = keys.get(fold(header))
        if key is not None and key not in mapping.values():
            mapping[header] = key
    return mapping


def header_positions(bloc: Bloc, headers: Iterable[object]) -> dict[str, list[int]]:
    """Figure id → positions of every column whose header names it (two spellings or a copied column)."""
    keys = _header_keys(bloc)
    found: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        key = keys.get(fold(header))
        if key is not None:
            found.setdefault(key, []).append(i)
    return found


def _cell_text(value: object) -> str:
    return "" if is_blank(value) else nfc(value)


def _conflicting_duplicates(bloc: Bloc, raw: pd.DataFrame, positions: dict[str, list[int]]) -> list[Problem]:
    """A figure given by two columns is fine if they agree on every row; otherwise which one is meant cannot
    be guessed: refused, naming both columns and the first unit where they differ."""
    problems = []
    for fid, where in positions.items():
        if len(where) < 2:
            continue  # one column for the figure: nothing to compare (and no cell read twice)
        first = raw.iloc[:, where[0]].map(_cell_text)
        for other in where[1:]:
            differ = np.flatnonzero((first != raw.iloc[:, other].map(_cell_text)).to_numpy())
            if not len(differ):
                continue
            row = int(differ[0])
            unit = _unit_name(raw.iloc[:, positions[UNIT][0]], row) if UNIT in positions else f"dòng {row + 1}"
            label = bloc.label_of(fid) if fid != UNIT else bloc.unit_label
            problems.append(Problem(ALL_UNITS, label, None, (
                f"Cột '{label}' xuất hiện hai lần (cột số {where[0] + 1} '{raw.columns[where[0]]}' và cột số "
                f"{other + 1} '{raw.columns[other]}') với giá trị khác nhau, ví dụ đơn vị '{unit}': "
                f"'{first.iloc[row]}' và '{_cell_text(raw.iloc[row, other])}' — hãy xóa cột thừa rồi chạy lại.")))
    return problems


def clean_names(names: pd.Series) -> pd.Series:
    """Names as shown: NFC, outer spaces removed and inner runs of spaces collapsed (case kept)."""
    return clean_all(names)


def _unit_name(names: pd.Series, row: int) -> str:
    return nfc(names.iloc[row]) or f"(dòng số liệu {row + 1})"


def check(bloc: Bloc, raw: pd.DataFrame, within: np.ndarray | None = None) -> Checked:
    """Read and check a bloc's figures; see the module docstring.

    ``within`` (one key per row, e.g. each row's month): a unit may appear once per key instead of once."""
    raw = raw.reset_index(drop=True)
    positions = header_positions(bloc, raw.columns)
    problems: list[Problem] = _conflicting_duplicates(bloc, raw, positions)
    if problems:
        raise InputError(problems)
    table = pd.DataFrame({fid: raw.iloc[:, where[0]] for fid, where in positions.items()}, index=raw.index)

    if UNIT not in table.columns:
        problems.append(Problem(ALL_UNITS, bloc.unit_label, None,
                                f"Thiếu cột tên đơn vị ('{bloc.unit_label}' hoặc 'Đơn vị')."))
        raise InputError(problems)
    names = table[UNIT]
    out = pd.DataFrame({UNIT: clean_names(names)})
    if bloc.group is not None:
        out[bloc.group.id] = clean_names(table[bloc.group.id]) if bloc.group.id in table else ""

    not_applicable: dict[str, np.ndarray] = {}
    for f in bloc.figures:
        if f.id not in table.columns:
            if f.required:
                problems.append(Problem(ALL_UNITS, f.label, None,
                                        f"Thiếu cột '{f.label}' (mã {f.id}) của khối {bloc.label}."))
            out[f.id] = np.nan
            continue
        column = table[f.id]
        if f.may_not_apply:
            na = column.map(lambda v: isinstance(v, str) and fold(v) in NOT_APPLICABLE).to_numpy(dtype=bool)
            if na.any():
                not_applicable[f.id] = na
                column = column.where(~na, None)
        values, found = _read_column(f, column, names, not_applicable.get(f.id))
        out[f.id] = values
        problems.extend(found)
    if any(p.row is None for p in problems):
        raise InputError(problems)

    problems.extend(_check_units(bloc, out, within))
    for d in bloc.derived:
        values, found = derive(bloc, d, out)
        out[d.id] = values
        problems.extend(found)
    return Checked(out, problems, not_applicable)


def _problem(f: Figure | Ratio, names: pd.Series, row: int, value: object, reason: str) -> Problem:
    unit = _unit_name(names, row)
    shown = value if not isinstance(value, float) else fmt_number(value, 6)
    return Problem(unit, f.label, value, f"Đơn vị '{unit}', cột '{f.label}': {reason} (giá trị '{shown}').", row)


def _read_column(f: Figure, column: pd.Series, names: pd.Series,
                 not_applicable: np.ndarray | None = None) -> tuple[np.ndarray, list[Problem]]:
    """Parse one figure column; numeric columns stay vectorised, text cells are parsed one by one.

    Cells typed "không áp dụng" (``not_applicable``) are blank here and never reported as empty."""
    if f.kind is Kind.YES_NO:
        return _read_yes_no(f, column, names)
    n = len(column)
    problems: list[Problem] = []
    percent = np.zeros(n, dtype=bool)
    failed = np.zeros(n, dtype=bool)
    dots: dict[str, list[int]] = {"thousands": [], "decimal": []}
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        raw = column.to_numpy(dtype=float, copy=True)
    else:
        # Excel hands numbers over as floats even in a mixed column: take those at C speed and
        # parse only the remaining cells (text, "85%", "1.732", blanks) one by one.
        is_number = column.map(type).isin((int, float, np.float64, np.int64)).to_numpy()
        raw = np.full(n, np.nan)
        try:
            raw[is_number] = column[is_number].to_numpy(dtype=float)
        except OverflowError:  # an integer beyond float range: let the cell parser name it
            is_number[:] = False
        for row in np.flatnonzero(~is_number):
            cell = column.iloc[row]
            try:
                num = parse_number(cell)
            except CellError as err:
                failed[row] = True
                raw[row] = np.nan
                problems.append(_problem(f, names, int(row), cell, err.reason))
                continue
            raw[row], percent[row] = (np.nan, False) if num is None else (num.value, num.percent)
            use = dot_use(cell)
            if use is not None:
                dots[use].append(int(row))
    failed |= ~np.isnan(raw) & ~np.isfinite(raw)
    for row in np.flatnonzero(~np.isnan(raw) & ~np.isfinite(raw)):
        problems.append(_problem(f, names, int(row), column.iloc[row], "giá trị vô hạn, không phải số hữu hạn"))
    raw[failed] = np.nan
    if dots["thousands"] and dots["decimal"]:  # refuse every dotted cell: one reading for the whole column
        for row, use in sorted([(r, "thousands") for r in dots["thousands"]] + [(r, "decimal") for r in dots["decimal"]]):
            other = column.iloc[dots["decimal" if use == "thousands" else "thousands"][0]]
            failed[row], raw[row] = True, np.nan
            problems.append(_problem(f, names, row, column.iloc[row], (
                f"không rõ dấu chấm là phân cách hàng nghìn hay dấu thập phân: cột có cả dạng "
                f"'{column.iloc[row]}' và dạng '{other}' — hãy nhập thống nhất (số thập phân dùng dấu phẩy, "
                "ví dụ 1,5; hàng nghìn viết liền, ví dụ 1234)")))
    present = ~np.isnan(raw)
    values = np.full(n, np.nan)
    if f.kind is Kind.RATE:
        bad = _resolve_rates(f, raw, percent, present, values)
    else:
        values = np.where(present, raw, np.nan)
        bad = {}
        _mark(bad, present & percent, "cột này là số lượng, không nhập dấu %")
        _mark(bad, present & ~percent & (raw < 0), "số âm")
        if f.kind is Kind.COUNT:
            _mark(bad, present & ~percent & (raw >= 0) & (raw != np.round(raw)), "không phải số nguyên")
        limit = f.maximum if f.maximum is not None else PLAUSIBLE_MAX.get(f.kind)
        if limit is not None:
            _mark(bad, present & (raw > limit), f"lớn bất thường cho cột này (tối đa hợp lý {fmt_number(limit)})")
    for row, reason in sorted(bad.items()):
        problems.append(_problem(f, names, row, column.iloc[row], reason))
        values[row] = np.nan
    if f.required:
        skip = not_applicable if not_applicable is not None else np.zeros(n, dtype=bool)
        for row in np.flatnonzero(~present & ~failed & ~skip):
            problems.append(_problem(f, names, int(row), "", "ô trống — cần nhập số liệu"))
    return values, problems


def _mark(bad: dict[int, str], mask: np.ndarray, reason: str) -> None:
    for row in np.flatnonzero(mask):
        bad.setdefault(int(row), reason)


def _resolve_rates(f: Figure, raw: np.ndarray, percent: np.ndarray, present: np.ndarray,
                   values: np.ndarray) -> dict[int, str]:
    """Turn typed rates into fractions in ``values``, refusing what could be read two ways."""
    plain = present & ~percent
    scale = f.scale
    if scale == "auto":
        scale = "percent" if np.any(raw[plain] > 1) else "fraction"
    as_percent = percent | (plain & (scale == "percent"))
    values[:] = np.where(as_percent, raw / 100, raw)
    bad: dict[int, str] = {}
    if f.scale == "auto" and scale == "percent":
        _mark(bad, plain & (raw > 0) & (raw <= 1),
              "không rõ là phần trăm hay tỷ lệ: cột có cả giá trị dạng 85 và dạng 0,85 — "
              "hãy nhập thống nhất, ví dụ 85%")
    _mark(bad, present & (values < 0), "tỷ lệ âm")
    _mark(bad, present & (np.round(values, 9) > 1), "tỷ lệ lớn hơn 100 %")
    values[:] = np.minimum(values, 1.0)
    return bad


def _read_yes_no(f: Figure, column: pd.Series, names: pd.Series) -> tuple[np.ndarray, list[Problem]]:
    values = np.full(len(column), np.nan)
    problems: list[Problem] = []
    # Most cells are the same few words: parse each distinct value of each Python type once (1 and True and
    # "1" stay distinct), then only the rows with a problem are visited, in row order.
    outcome = np.empty(len(column), dtype=object)
    types = column.map(type).to_numpy(dtype=object)
    for kind in pd.unique(types):
        rows = np.flatnonzero(types == kind)
        codes, uniques = pd.factorize(column.iloc[rows], use_na_sentinel=True)
        parsed: list[object] = []
        for cell in [*uniques.tolist(), None]:  # the last: NaN cells (code −1), blank
            try:
                parsed.append(parse_yes_no(cell))
            except CellError as err:
                parsed.append(err)
        outcome[rows] = np.array(parsed, dtype=object)[codes]
    good = np.array([isinstance(v, float) for v in outcome.tolist()], dtype=bool)
    values[good] = outcome[good].astype(float)
    for row in np.flatnonzero(~good).tolist():
        result = outcome[row]
        if isinstance(result, CellError):
            problems.append(_problem(f, names, row, column.iloc[row], result.reason))
        elif f.required:
            problems.append(_problem(f, names, row, "", "ô trống — nhập 'có' hoặc 'không'"))
    return values, problems


def _check_units(bloc: Bloc, out: pd.DataFrame, within: np.ndarray | None = None) -> list[Problem]:
    problems: list[Problem] = []
    folded = fold_all(out[UNIT]).to_numpy(dtype=object)
    pairs = pd.DataFrame({"name": folded} if within is None else {"within": within, "name": folded})
    # Only blank and repeated names can raise a problem: the loop visits those rows alone.
    suspect = (folded == "") | pairs.duplicated(keep=False).to_numpy()
    first: dict[object, int] = {}
    for row in np.flatnonzero(suspect).tolist():
        key = folded[row] if within is None else (within[row], folded[row])
        if not folded[row]:
            problems.append(Problem(f"(dòng số liệu {row + 1})", bloc.unit_label, "",
                                    f"Dòng số liệu thứ {row + 1}: thiếu tên đơn vị.", row))
            continue
        if key in first:
            name = out[UNIT].iloc[row]
            msg = (f"Đơn vị '{name}' bị trùng tên (dòng {first[key] + 1} và dòng {row + 1}, "
                   "kể cả khác cách gõ dấu/khoảng trắng/chữ hoa) — mỗi đơn vị chỉ một dòng"
                   + (" mỗi kỳ." if within is not None else "."))
            problems.append(Problem(name, bloc.unit_label, name, msg, row))
            problems.append(Problem(name, bloc.unit_label, name, msg, first[key]))
        else:
            first[key] = row
    if bloc.group is not None and bloc.group.required:
        for row, group in enumerate(out[bloc.group.id]):
            if is_blank(group) or not str(group):
                unit = out[UNIT].iloc[row]
                problems.append(Problem(unit, bloc.group.label, "",
                                        f"Đơn vị '{unit}', cột '{bloc.group.label}': ô trống.", row))
    if bloc.units:
        problems.extend(_not_in_plan(out[UNIT], bloc.units, bloc.unit_label, out[UNIT]))
    if bloc.group is not None and bloc.group.choices:
        problems.extend(_not_in_plan(out[bloc.group.id], bloc.group.choices, bloc.group.label, out[UNIT]))
    return problems


def _not_in_plan(values: pd.Series, allowed: tuple[str, ...], column: str, units: pd.Series) -> list[Problem]:
    """Names the plan does not know (a typo, or a unit of another province): never scored silently."""
    known = {fold(a) for a in allowed}
    problems = []
    for row, value in enumerate(values):
        if value and fold(value) not in known:
            unit = units.iloc[row] or f"(dòng số liệu {row + 1})"
            problems.append(Problem(unit, column, value, (
                f"Đơn vị '{unit}', cột '{column}': '{value}' không thuộc danh sách của Kế hoạch "
                f"({', '.join(allowed)}).") , row))
    return problems


def derive(bloc: Bloc, d: Ratio | Blend, out: pd.DataFrame) -> tuple[np.ndarray, list[Problem]]:
    if isinstance(d, Blend):
        if d.subunit_mean not in out or d.own not in out:
            return np.full(len(out), np.nan), []
        return ((out[d.own] + out[d.subunit_mean]) / 2).to_numpy(), []
    num = out[d.numerator].to_numpy(dtype=float)
    den = out[d.denominator].to_numpy(dtype=float)
    problems: list[Problem] = []
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = num / den
    names = out[UNIT]
    zero = (den <= 0) if d.required else np.zeros(len(den), dtype=bool)
    for row in np.flatnonzero(~np.isnan(num) & ~np.isnan(den) & (zero | (num > den))):
        unit = _unit_name(names, int(row))
        if zero[row]:
            msg = (f"Đơn vị '{unit}', cột '{bloc.label_of(d.denominator)}': mẫu số bằng 0 nên không tính "
                   f"được '{d.label}' (giá trị '{fmt_number(den[row])}').")
        else:
            msg = (f"Đơn vị '{unit}', cột '{bloc.label_of(d.numerator)}': {fmt_number(num[row])} lớn hơn "
                   f"'{bloc.label_of(d.denominator)}' = {fmt_number(den[row])} — tử số không thể vượt mẫu số.")
        problems.append(Problem(unit, d.label, num[row], msg, int(row)))
        rate[row] = np.nan
    return rate, problems
