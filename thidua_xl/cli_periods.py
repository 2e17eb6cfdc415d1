"""The periods side of the command line: ``score --ky``, ``demo --thang``, ``awards FOLDER --plan``.

Laid out by :mod:`thidua_xl.terminal` like the rest of the CLI; the engine is :mod:`thidua_xl.periods`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import example_data, outputs
from .awards import SchemeResult, allocate
from .columns import ELIGIBLE, ERROR, HEADERS, PRIZE, RANK
from .periods import (
    KY,
    MOVE,
    Basis,
    Cadence,
    PeriodError,
    Span,
    YearResult,
    check_runs_on,
    has_periods,
    parse_period,
    read_monthly,
    rollup,
    rollup_rules,
    run_year,
    runs_on,
    score_period,
    score_periods,
)
from .periods import (
    Section as PeriodSection,
)
from .periods.awards import TITLE
from .periods.period import SPEC_HELP
from .present import result_table, scheme_table
from .rubric import Bloc, Rubric
from .scoring import explain
from .tables import TableError, read_table, write_tables
from .terminal import ItemList, Screen, Section, machine, views
from .terminal.periods_view import ranks_by_period, year_sections
from .terminal.render import render_award_sections
from .validation import UNIT

ALL = "all"
KY_OPTION_HELP = f"Kỳ tính điểm (bảng có cột 'Kỳ'): {SPEC_HELP}; 'all' từng tháng, '..all' lũy kế từng tháng"
PERIOD_HEADERS = {KY: "Kỳ", TITLE: "Tên kỳ", MOVE: "Biến động"}
HEADINGS = {Cadence.MONTHLY: "HẰNG THÁNG", Cadence.QUARTERLY: "HẰNG QUÝ", Cadence.CUTOFF: "THEO NGÀY CHỐT",
            Cadence.YEAR_END: "CUỐI NĂM"}


def period_table(bloc: Bloc, frame: pd.DataFrame, *, criteria: bool = True) -> pd.DataFrame:
    """:func:`~thidua_xl.present.result_table` with the period first and the movement after the rank."""
    table = result_table(bloc, frame, criteria=criteria)
    table.insert(0, PERIOD_HEADERS[KY], frame[KY].to_numpy())
    if MOVE in frame:
        where = list(table.columns).index(HEADERS["hang"]) + 1
        table.insert(where, PERIOD_HEADERS[MOVE], frame[MOVE].to_numpy())
    return table


Details = Callable[[pd.DataFrame, pd.DataFrame, list[SchemeResult]], None]


def score_in_periods(screen: Screen, rubric: Rubric, bloc: Bloc, figures: pd.DataFrame, sub: pd.DataFrame | None,
                     ky: str, output: Path | None, details: Details | None = None, only: bool = False) -> None:
    """``thidua-xl score … --ky``: one period (with the bloc's schemes that run on it), or every month.

    ``details`` (``--explain``/``--unit``) gets the period's ranked table, the explanation of its rolled-up
    figures and the award results; ``only``: it replaces the tables (``--unit``)."""
    monthly = read_monthly(bloc, figures)
    sub_monthly = read_monthly(_sub_bloc(rubric, bloc), sub) if sub is not None else None
    tables: dict[str, pd.DataFrame] = {}
    results: list[tuple[SchemeResult, str | None]] = []
    if ky.strip().lower() in (ALL, ".." + ALL):
        basis = Basis.YEAR_TO_DATE if ky.strip().startswith("..") else Basis.OWN
        several = basis is Basis.YEAR_TO_DATE
        long = score_periods(rubric, bloc, monthly, basis=basis, subunits=sub_monthly)
        tables["Theo kỳ"] = period_table(bloc, long, criteria=False)
        scored = long
        shown = [Section(f"{bloc.label} — {'lũy kế từ đầu năm' if several else 'từng tháng'}",
                         table=ranks_by_period(bloc, long, "Hạng của từng đơn vị theo kỳ"))]
        if details is not None:
            screen.warn("--explain/--unit giải thích một kỳ: chọn kỳ, ví dụ --ky 2021-03 hoặc --ky 2021.")
            details = None
    else:
        period = parse_period(ky)
        several = period.span is not Span.MONTH
        scored = score_period(rubric, bloc, monthly, period, sub_monthly)
        tables["Kết quả"] = period_table(bloc, scored)
        shown = [views.ranking_section(rubric, bloc, scored, heading=f"{bloc.label} — {period.title} ({period.key})")]
        for scheme in rubric.schemes_for(bloc.id):
            if len(scheme.blocs) != 1:
                continue
            if not runs_on(scheme, period):
                try:
                    check_runs_on(scheme, period)
                except PeriodError as err:
                    screen.say(f"Bỏ qua: {err}")
                continue
            result = allocate(rubric, scheme, scored)
            tables[scheme.label[:31]] = scheme_table(result, bloc)
            results.append((result, period.key))
            shown.append(views.award_section(result, heading=f"{scheme.label} — {period.title}",
                                             period=period.key))
    if several:
        _say_rollups(screen, bloc)
    _say_errors(screen, scored)
    document = machine.result_document("score", rubric, {bloc.id: scored}, results)
    if details is not None and output is None and not screen.machine:
        rolled = rollup(rubric, bloc, monthly, period)
        sub_rolled = rollup(rubric, _sub_bloc(rubric, bloc), sub_monthly, period) if sub_monthly else None
        explanation = explain(rubric, bloc, rolled.drop(columns=[KY, ERROR], errors="ignore"), subunits=sub_rolled)
        if not only:
            _show_or_write(screen, tables, shown, document, output)
        details(scored, explanation, [r for r, _ in results])
        return
    _show_or_write(screen, tables, shown, document, output)


def _say_rollups(screen: Screen, bloc: Bloc) -> None:
    """The fallback roll-up is said whenever it is used: a rate typed without its counts is averaged."""
    averaged = [label for label, _, fallback in rollup_rules(bloc) if fallback]
    if averaged:
        screen.warn("Cộng dồn nhiều tháng: tỷ lệ nhập không kèm số đếm được lấy bình quân các tháng (không gia "
                    f"quyền): {', '.join(averaged)}.")


def refuse_months_without_ky(bloc: Bloc, figures: pd.DataFrame) -> None:
    """A table of months scored without ``--ky`` would list every unit twelve times: say what to type."""
    if has_periods(figures):
        years = read_monthly(bloc, figures).years()
        y = years[-1] if years else "2023"
        raise PeriodError(f"Bảng có cột 'Kỳ' (mỗi đơn vị một dòng mỗi tháng): thêm --ky {y} (cả năm), --ky {y}-03 "
                          "(một tháng), --ky all (từng tháng, kèm biến động thứ hạng) hoặc --ky ..all (lũy kế).")


def _sub_bloc(rubric: Rubric, bloc: Bloc) -> Bloc:
    return rubric.bloc(next(d.subunit_bloc for d in bloc.derived if hasattr(d, "subunit_bloc")))


def _say_errors(screen: Screen, scored: pd.DataFrame) -> None:
    bad = scored[scored[ERROR] != ""].drop_duplicates(ERROR)
    if not bad.empty:
        screen.warn_items(ItemList(f"{len(bad)} lỗi số liệu (đơn vị đó không được chấm ở kỳ có lỗi):",
                                   [("", m) for m in bad[ERROR]]))


def _show_or_write(screen: Screen, tables: dict[str, pd.DataFrame], shown: list[Section],
                   document: dict[str, object], output: Path | None) -> None:
    """-o a file (CSV: the first table), else the screen: tables for a person, or CSV/JSON for a program."""
    if output is not None:
        if output.suffix.lower() == ".json":
            screen.say(f"Đã ghi {machine.write_json(output, document)}")
            return
        first = next(iter(tables))
        written = write_tables(output, tables if output.suffix.lower() != ".csv" else {first: tables[first]})
        screen.say(f"Đã ghi {written}")
    elif screen.format == "json":
        screen.data(machine.dumps(document))
    elif screen.format == "csv":
        screen.data(machine.csv_string(next(iter(tables.values()))))
    else:
        for section in shown:
            screen.section(section)


def section_table(section: PeriodSection) -> pd.DataFrame:
    """A section as printed: Vietnamese headers, the period first."""
    table = section.table()
    if RANK in table:
        table[RANK] = table[RANK].astype("Int64")
    if ELIGIBLE in table:
        table[ELIGIBLE] = table[ELIGIBLE].map({True: "có", False: "không"})
    if PRIZE in table:
        table[PRIZE] = table[PRIZE].astype("Int64")
    return table.rename(columns={**HEADERS, **PERIOD_HEADERS})


def print_year(screen: Screen, result: YearResult) -> dict[str, pd.DataFrame]:
    """Every section of the year under its own heading (monthly, quarterly, cut-off, year-end); the tables."""
    months = len(result.months)
    if months < 12:
        screen.warn(f"Lưu ý: số liệu có {months} tháng của năm {result.year}; kết quả cuối năm tính trên các tháng "
                    "đã có.")
    tables = {}
    for section in result.sections:
        tables[_sheet_name(section.heading, tables)] = section_table(section)
    if screen.format == "json":
        screen.data(machine.dumps(year_document(result)))
    elif screen.format == "csv":
        screen.data(machine.csv_string(pd.concat(list(tables.values()), ignore_index=True)))
    else:
        for heading, sections in year_sections(result.rubric, result):
            render_award_sections(screen, sections, heading=heading.upper())
    return tables


def year_document(result: YearResult) -> dict[str, object]:
    """The year as JSON: every scheme run of every period (``period`` filled), in reading order."""
    runs = [(o.result, o.period.key) for s in result.sections for o in s.outcomes if o.result is not None]
    return machine.result_document("awards", result.rubric, {}, runs)


def _sheet_name(heading: str, taken: dict[str, pd.DataFrame]) -> str:
    name = heading.replace("/", "-")[:28]
    n = 2
    while name in taken:
        name, n = f"{name[:26]}-{n}", n + 1
    return name


def demo_year(screen: Screen, rubric: Rubric, output: Path | None) -> None:
    """``thidua-xl demo PLAN --thang``: the bundled twelve months of a plan, section by section."""
    monthly = example_data.load(rubric.id, months=True)
    if not monthly:
        raise TableError(f"Kế hoạch '{rubric.id}' không có số liệu ví dụ theo tháng (<khối>_thang.csv).")
    screen.heading(f"{rubric.title}\n{rubric.issuer} — phiên bản bộ tiêu chí {rubric.version} — số liệu ví dụ 12 "
                   "tháng")
    tables = print_year(screen, run_year(rubric, monthly))
    if output is not None:
        with outputs.run([example_data.folder()], named=[output]):
            screen.say(f"Đã ghi {write_tables(output, tables)}")


def awards_from_tables(screen: Screen, rubric: Rubric, folder: Path, output: Path | None) -> None:
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
    tables = print_year(screen, run_year(rubric, figures))
    if output is not None:
        screen.say(f"Đã ghi {write_tables(output, tables)}")


__all__ = ["UNIT", "awards_from_tables", "demo_year", "period_table", "print_year", "score_in_periods"]
