"""Where things are in a thidua_xl workbook: sheet names, header row, ranges.

One place for the conventions shared by the template generator, the headless
recalculation, the award sheet and the ribbon macros.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..rubric import Blend, Bloc, Figure, Kind, Rubric

GUIDE = "Hướng dẫn"
WEIGHTS = "Trọng số"
AWARDS = "Danh sách khen thưởng"
CLASSIFICATION = "Kết quả xếp loại"  # the award sheet of a plan without awards (766)
CHECK = "Kiểm tra dữ liệu"
PLAN_CELL = "B3"      # on the guide sheet: the plan id the macros read
VERSION_CELL = "B4"   # on the guide sheet: the rubric version
SPARE_ROWS = 20  # blank rows kept inside every range so next month's extra units fit without editing formulas

# Sheets the macros own: they may be replaced; every other sheet is the user's and is never touched.
OWNED_PREFIXES = (AWARDS, CLASSIFICATION, CHECK)


def award_sheet_name(rubric: Rubric) -> str:
    """The printable result sheet: an award list, or a classification list for a plan without awards."""
    return AWARDS if rubric.awards else CLASSIFICATION


# The bloc in the words a person reads on a sheet tab ("Số liệu xã", not the bloc id "xa").
BLOC_WORDS = {"xa": "xã", "huyen": "huyện", "phong_ban": "phòng ban", "so_nganh": "sở ngành"}


def bloc_word(bloc: Bloc) -> str:
    return BLOC_WORDS.get(bloc.id, bloc.id.replace("_", " "))


def input_sheet(bloc: Bloc) -> str:
    return f"Số liệu {bloc_word(bloc)}"


def input_sheet_names(bloc: Bloc) -> list[str]:
    """The names a bloc's input sheet may have: today's, then the bloc-id name of books made before."""
    return [input_sheet(bloc), f"Số liệu {bloc.id}"]


def score_sheet(bloc: Bloc) -> str:
    return f"Điểm {bloc_word(bloc)}"


# The period column of a book kept by month (one row per unit and month, README "Theo tháng"): a text
# column, so a typed 2021-03 stays the month it says instead of becoming a date.
KY = Figure("ky", "Kỳ", Kind.TEXT)
PERIOD_CHOICE = "Cả năm"   # the period selector's default: every month of the year rolled up


def input_columns(bloc: Bloc, ky: bool = False) -> list[Figure | None]:
    """Input columns in order: unit name (None), the month (books kept by month), group, then every figure."""
    cols: list[Figure | None] = [None]
    if ky:
        cols.append(KY)
    if bloc.group is not None:
        cols.append(bloc.group)
    cols.extend(bloc.figures)
    return cols


def input_headers(bloc: Bloc, ky: bool = False) -> list[str]:
    return [bloc.unit_label if f is None else f.label for f in input_columns(bloc, ky)]


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class BlocRanges:
    """Absolute addresses of a bloc's input table (header row 1, data from row 2)."""

    bloc: Bloc
    rows: int  # data rows including the spare ones
    ky: bool = False  # kept by month: a "Kỳ" column after the unit name

    @property
    def last_col(self) -> str:
        return get_column_letter(len(input_columns(self.bloc, self.ky)))

    @property
    def last_row(self) -> int:
        return 1 + self.rows

    @property
    def data(self) -> str:
        return f"{quoted(input_sheet(self.bloc))}!$A$2:${self.last_col}${self.last_row}"

    @property
    def table(self) -> str:
        """The whole table, header row included (a sub-unit range passed to a blended bloc's functions)."""
        return f"{quoted(input_sheet(self.bloc))}!$A$1:${self.last_col}${self.last_row}"

    @property
    def headers(self) -> str:
        return f"{quoted(input_sheet(self.bloc))}!$A$1:${self.last_col}$1"

    def column(self, figure_id: str) -> str:
        """The data range of one input column."""
        letter = input_letter(self.bloc, figure_id, self.ky)
        return f"{quoted(input_sheet(self.bloc))}!${letter}$2:${letter}${self.last_row}"


def input_letter(bloc: Bloc, figure_id: str | None, ky: bool = False) -> str:
    """Column letter of a figure on the bloc's input sheet (None: the unit name)."""
    ids = [None if f is None else f.id for f in input_columns(bloc, ky)]
    return get_column_letter(ids.index(figure_id) + 1)


def blend_of(bloc: Bloc) -> Blend | None:
    return next((d for d in bloc.derived if isinstance(d, Blend)), None)


def weights_rows(rubric: Rubric) -> dict[str, tuple[int, int]]:
    """First and last row of each bloc's block on the weights sheet (header on row 2)."""
    rows: dict[str, tuple[int, int]] = {}
    row = 3
    for bloc in rubric.blocs:
        rows[bloc.id] = (row, row + len(bloc.criteria) - 1)
        row += len(bloc.criteria) + 2
    return rows


def weights_range(rubric: Rubric, bloc: Bloc) -> str:
    first, last = weights_rows(rubric)[bloc.id]
    # A id, B điểm chuẩn, C nội dung, D khối, E ngưỡng điểm tối đa, F căn cứ, H:I xếp loại và từ điểm
    return f"{quoted(WEIGHTS)}!$A${first}:$I${last}"


def fresh_sheet(wb, name: str):
    """An empty sheet called ``name`` in an openpyxl workbook, at the old one's place if it existed."""
    if name in wb.sheetnames:
        index = wb.sheetnames.index(name)
        del wb[name]
        return wb.create_sheet(name, index)
    return wb.create_sheet(name)
