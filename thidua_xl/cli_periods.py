"""The periods side of the command line: ``score --ky``, ``demo --thang``, ``awards FOLDER --plan``.

Plain pandas tables, like the rest of the CLI; the engine is :mod:`thidua_xl.periods`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from . import example_data, outputs
from .awards import allocate
from .columns import ELIGIBLE, ERROR, HEADERS, PRIZE, RANK
from .periods import (
    KY,
    MOVE,
    Basis,
    Cadence,
    PeriodError,
    Section,
    Span,
    YearResult,
    check_runs_on,
    has_periods,
    parse_period,
    read_monthly,
    rollup_rules,
    run_year,
    runs_on,
    score_period,
    score_periods,
)
from .periods.awards import TITLE
from .periods.period import SPEC_HELP
from .present import result_table, scheme_table
from .rubric import Bloc, Rubric
from .tables import TableError, read_table, write_tables
from .validation import UNIT

ALL = "all"
KY_OPTION_HELP = f"Kỳ tính điểm (bảng có cột 'Kỳ'): {SPEC_HELP}; 'all' từng tháng, '..all' lũy kế từng tháng"
PERIOD_HEADERS = {KY: "Kỳ", TITLE: "Tên kỳ", MOVE: "Biến động"}
HEADINGS = {Cadence.MONTHLY: "HẰNG THÁNG", Cadence.QUARTERLY: "HẰNG QUÝ", Cadence.CUTOFF: "THEO NGÀY CHỐT",
            Cadence.YEAR_END: "CUỐI NĂM"}


def show(table: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", 500, "display.max_columns", 40, "display.width", 220,
                           "display.max_colwidth", 60):
        typer.echo(table.to_string(index=False))


def period_table(bloc: Bloc, frame: pd.DataFrame, *, criteria: bool = True) -> pd.DataFrame:
    """:func:`~thidua_xl.present.result_table` with the period first and the movement after the rank."""
    table = result_table(bloc, frame, criteria=criteria)
    table.insert(0, PERIOD_HEADERS[KY], frame[KY].to_numpy())
    if MOVE in frame:
        where = list(table.columns).index(HEADERS["hang"]) + 1
        table.insert(where, PERIOD_HEADERS[MOVE], frame[MOVE].to_numpy())
    return table


def score_in_periods(rubric: Rubric, bloc: Bloc, figures: pd.DataFrame, sub: pd.DataFrame | None, ky: str,
                     output: Path | None) -> None:
    """``thidua-xl score … --ky``: one period (with the bloc's schemes that run on it), or every month."""
    monthly = read_monthly(bloc, figures)
    sub_monthly = read_monthly(_sub_bloc(rubric, bloc), sub) if sub is not None else None
    tables: dict[str, pd.DataFrame] = {}
    several = True  # the period spans several months: roll-ups at work
    if ky.strip().lower() in (ALL, ".." + ALL):
        basis = Basis.YEAR_TO_DATE if ky.strip().startswith("..") else Basis.OWN
        several = basis is Basis.YEAR_TO_DATE
        long = score_periods(rubric, bloc, monthly, basis=basis, subunits=sub_monthly)
        tables["Theo kỳ"] = period_table(bloc, long, criteria=False)
        scored = long
    else:
        period = parse_period(ky)
        several = period.span is not Span.MONTH
        scored = score_period(rubric, bloc, monthly, period, sub_monthly)
        typer.secho(f"{period.title} ({period.key})", bold=True)
        tables["Kết quả"] = period_table(bloc, scored)
        for scheme in rubric.schemes_for(bloc.id):
            if len(scheme.blocs) != 1:
                continue
            if not runs_on(scheme, period):
                try:
                    check_runs_on(scheme, period)
                except PeriodError as err:
                    typer.echo(f"Bỏ qua: {err}")
                continue
            result = allocate(rubric, scheme, scored)
            tables[scheme.label[:31]] = scheme_table(result, bloc)
            typer.echo(result.summary())
    if several:
        _say_rollups(bloc)
    _say_errors(scored)
    _write_or_show(tables, output)


def _say_rollups(bloc: Bloc) -> None:
    """The fallback roll-up is said whenever it is used: a rate typed without its counts is averaged."""
    averaged = [label for label, _, fallback in rollup_rules(bloc) if fallback]
    if averaged:
        typer.secho("Cộng dồn nhiều tháng: tỷ lệ nhập không kèm số đếm được lấy bình quân các tháng (không gia "
                    f"quyền): {', '.join(averaged)}.", fg=typer.colors.YELLOW, err=True)


def refuse_months_without_ky(bloc: Bloc, figures: pd.DataFrame) -> None:
    """A table of months scored without ``--ky`` would list every unit twelve times: say what to type."""
    if has_periods(figures):
        years = read_monthly(bloc, figures).years()
        y = years[-1] if years else "2023"
        raise PeriodError(f"Bảng có cột 'Kỳ' (mỗi đơn vị một dòng mỗi tháng): thêm --ky {y} (cả năm), --ky {y}-03 "
                          "(một tháng), --ky all (từng tháng, kèm biến động thứ hạng) hoặc --ky ..all (lũy kế).")


def _sub_bloc(rubric: Rubric, bloc: Bloc) -> Bloc:
    return rubric.bloc(next(d.subunit_bloc for d in bloc.derived if hasattr(d, "subunit_bloc")))


def _say_errors(scored: pd.DataFrame) -> None:
    bad = scored[scored[ERROR] != ""].drop_duplicates(ERROR)
    if not bad.empty:
        typer.secho(f"{len(bad)} lỗi số liệu (đơn vị đó không được chấm ở kỳ có lỗi):", fg=typer.colors.YELLOW,
                    err=True)
        for msg in bad[ERROR]:
            typer.secho(f"  - {msg}", fg=typer.colors.YELLOW, err=True)


def _write_or_show(tables: dict[str, pd.DataFrame], output: Path | None) -> None:
    if output is not None:
        first = next(iter(tables))
        written = write_tables(output, tables if output.suffix.lower() != ".csv" else {first: tables[first]})
        typer.echo(f"Đã ghi {written}")
        return
    for name, table in tables.items():
        typer.secho(f"\n== {name} ==", bold=True)
        show(table)


def section_table(section: Section) -> pd.DataFrame:
    """A section as printed: Vietnamese headers, the period first."""
    table = section.table()
    if RANK in table:
        table[RANK] = table[RANK].astype("Int64")
    if ELIGIBLE in table:
        table[ELIGIBLE] = table[ELIGIBLE].map({True: "có", False: "không"})
    if PRIZE in table:
        table[PRIZE] = table[PRIZE].astype("Int64")
    return table.rename(columns={**HEADERS, **PERIOD_HEADERS})


def print_year(result: YearResult) -> dict[str, pd.DataFrame]:
    """Every section of the year under its own heading (monthly, quarterly, cut-off, year-end); the tables."""
    tables: dict[str, pd.DataFrame] = {}
    months = len(result.months)
    if months < 12:
        typer.secho(f"Lưu ý: số liệu có {months} tháng của năm {result.year}; kết quả cuối năm tính trên các tháng "
                    "đã có.", fg=typer.colors.YELLOW)
    for cadence in (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.CUTOFF, Cadence.YEAR_END):
        sections = result.of(cadence)
        if not sections:
            continue
        typer.secho(f"\n##### KHEN THƯỞNG VÀ KẾT QUẢ {HEADINGS[cadence]} #####", bold=True)
        for section in sections:
            typer.secho(f"\n== {section.heading} ==", bold=True)
            if section.reading:
                typer.echo(section.reading)
            table = section_table(section)
            show(table)
            tables[_sheet_name(section.heading, tables)] = table
    return tables


def _sheet_name(heading: str, taken: dict[str, pd.DataFrame]) -> str:
    name = heading.replace("/", "-")[:28]
    n = 2
    while name in taken:
        name, n = f"{name[:26]}-{n}", n + 1
    return name


def demo_year(rubric: Rubric, output: Path | None) -> None:
    """``thidua-xl demo PLAN --thang``: the bundled twelve months of a plan, section by section."""
    monthly = example_data.load(rubric.id, months=True)
    if not monthly:
        raise TableError(f"Kế hoạch '{rubric.id}' không có số liệu ví dụ theo tháng (<khối>_thang.csv).")
    typer.secho(f"{rubric.title}\n{rubric.issuer} — phiên bản bộ tiêu chí {rubric.version} — số liệu ví dụ 12 "
                "tháng", bold=True)
    tables = print_year(run_year(rubric, monthly))
    if output is not None:
        with outputs.run([example_data.folder()], named=[output]):
            typer.echo(f"Đã ghi {write_tables(output, tables)}")


def awards_from_tables(rubric: Rubric, folder: Path, output: Path | None) -> None:
    """``thidua-xl awards FOLDER --plan P``: every bloc's table with a "Kỳ" column (``<khối>.csv``,
    ``<khối>_thang.csv`` or ``.xlsx``), the year's sections."""
    figures = {}
    for bloc in rubric.blocs:
        for name in (f"{bloc.id}_thang", bloc.id):
            path = next((folder / f"{name}{ext}" for ext in (".csv", ".xlsx") if (folder / f"{name}{ext}").is_file()),
                        None)
            if path is not None:
                figures[bloc.id] = read_table(path, bloc)
                break
    if not figures:
        names = ", ".join(f"{b.id}.csv" for b in rubric.blocs)
        raise TableError(f"Thư mục '{folder}' không có bảng số liệu nào của kế hoạch '{rubric.id}' ({names}, "
                         "mỗi bảng có cột 'Kỳ').")
    tables = print_year(run_year(rubric, figures))
    if output is not None:
        typer.echo(f"Đã ghi {write_tables(output, tables)}")


__all__ = ["UNIT", "awards_from_tables", "demo_year", "period_table", "print_year", "score_in_periods"]
