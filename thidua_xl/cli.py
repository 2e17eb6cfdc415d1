"""The ``thidua-xl`` command: list plans, score a table, run a bundled example."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import typer

from . import cli_periods, example_data, outputs, rubrics
from .awards import SchemeResult, allocate, award_plan, runs_on_campaign
from .columns import ERROR
from .outputs import OutputError, os_message
from .present import result_table, scheme_table
from .ranking import rank
from .rubric import Blend, Bloc, Rubric
from .scoring import explain, score
from .tables import TableError, read_table, write_tables
from .terminal import ItemList, Screen, machine, views
from .terminal.render import FORMATS, render_award_sections, render_plans
from .validation import UNIT, InputError
from .vn import fold, loose_key

app = typer.Typer(add_completion=False,
                  help="Chấm điểm, xếp hạng và lập danh sách khen thưởng phong trào thi đua. Mã thoát: 0 là xong, "
                       "2 là lỗi đầu vào (kèm thông báo tiếng Việt).")


@app.callback(invoke_without_command=True)
def _overview(ctx: typer.Context) -> None:
    """Without a command: a short Vietnamese overview and the first step (exit 0)."""
    if ctx.invoked_subcommand is not None:
        return
    from .terminal.render import render_overview

    render_overview(Screen())


INTERNAL = "Lỗi nội bộ của thidua-xl"  # the last-resort message; a test fails if any input reaches it
F = TypeVar("F", bound=Callable[..., None])


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


def _known_errors() -> tuple[type[BaseException], ...]:
    from .ingest import ExportError, ProfileError
    from .periods import PeriodError

    return (TableError, InputError, OutputError, ExportError, ProfileError, PeriodError)


def _on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(2)  # unwinds the finally blocks: temporary files and work folders are removed


def _guarded(command: F) -> F:
    """Every failure of a command is exit 2 with a Vietnamese message, never a traceback."""
    @functools.wraps(command)
    def call(*args: object, **kwargs: object) -> None:
        try:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread
            previous = None
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except _known_errors() as err:
            _fail(str(err))
        except KeyError as err:
            _fail(str(err.args[0]) if err.args else INTERNAL)
        except OSError as err:
            _fail(os_message(err))
        except MemoryError:
            _fail("Không đủ bộ nhớ để chạy lệnh với tệp này (tệp quá lớn?). Hãy thử trên máy nhiều bộ nhớ hơn "
                  "hoặc chia nhỏ tệp.")
        except Exception as err:  # noqa: BLE001 - the last resort: still Vietnamese, still exit 2
            _fail(f"{INTERNAL} ({type(err).__name__}): lệnh dừng lại, không tệp nào bị ghi đè. Hãy gửi tệp và "
                  "câu lệnh cho người phát triển.")
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    return call  # type: ignore[return-value]


def _command(name: str, **kwargs: object) -> Callable[[F], F]:
    def register(function: F) -> F:
        app.command(name, **kwargs)(_guarded(function))
        return function
    return register


def _rubric(plan: str) -> Rubric:
    try:
        return rubrics.resolve(plan)  # "Hậu Giang 2023", "HAU-GIANG-2023" as well as the id
    except KeyError as err:
        _fail(str(err.args[0]))
        raise


FORMAT_HELP = "Cách in kết quả: table (bảng cho người đọc), csv hoặc json (cho chương trình khác; số không định dạng)"
QUIET_HELP = "Chỉ in kết quả (và lỗi): không in lưu ý, tóm tắt, 'Đã ghi …'"


def _screen(fmt: str, quiet: bool) -> Screen:
    """The output of a command; an unknown --format is a user error (exit 2) naming the choices."""
    chosen = loose_key(fmt)
    if chosen not in FORMATS:
        _fail(f"--format phải là một trong: {', '.join(FORMATS)} (đang là '{fmt}').")
    return Screen(chosen, quiet)


def _write(screen: Screen, output: Path, tables: dict[str, pd.DataFrame], document: dict[str, object],
           protect: tuple[Path, ...] = ()) -> None:
    """``-o``: .json gets the JSON document, .csv the first table, anything else an .xlsx of all tables."""
    if output.suffix.lower() == ".json":
        written = machine.write_json(output, document, protect=protect)
    else:
        written = write_tables(output, tables if output.suffix.lower() != ".csv" else dict([next(iter(tables.items()))]),
                               protect=protect)
    screen.say(f"Đã ghi {written}")


@_command("plans")
def plans(fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
          quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP)) -> None:
    """Liệt kê các kế hoạch thi đua và khối thi đua."""
    screen = _screen(fmt, quiet)
    found = rubrics.all_rubrics()
    if screen.format == "json":
        screen.data(machine.dumps(machine.plans_document(found)))
    elif screen.format == "csv":
        screen.data(machine.csv_string(machine.plans_table(found)))
    else:
        render_plans(screen, found)


@_command("score")
def score_cmd(
    file: Path = typer.Argument(..., help="Tệp số liệu .csv hoặc .xlsx (mỗi dòng một đơn vị)"),
    plan: str = typer.Option(..., "--plan", "-p", help="Mã kế hoạch (xem 'thidua-xl plans')"),
    bloc: str = typer.Option(..., "--bloc", "-b", help="Mã hoặc tên khối thi đua"),
    subunits: Path | None = typer.Option(None, "--subunits", help="Số liệu khối cấp dưới (cho chỉ số bình quân)"),
    sheet: str | None = typer.Option(None, "--sheet", help="Tên sheet trong tệp .xlsx"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Ghi kết quả ra .csv, .xlsx hoặc .json"),
    show_explain: bool = typer.Option(False, "--explain", help="In giải thích từng tiêu chí của mọi đơn vị"),
    unit: str | None = typer.Option(None, "--unit", "-u",
                                    help="Xem riêng một đơn vị: điểm từng tiêu chí, giải thích, số liệu"),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
    ky: str | None = typer.Option(None, "--ky", help=cli_periods.KY_OPTION_HELP),
) -> None:
    """Chấm điểm, xếp hạng và xét khen thưởng một khối thi đua."""
    screen = _screen(fmt, quiet)
    with outputs.run([file, subunits], named=[output]):
        _score(file, plan, bloc, subunits, sheet, output, show_explain, unit, screen, ky)


def _score(file: Path, plan: str, bloc: str, subunits: Path | None, sheet: str | None, output: Path | None,
           show_explain: bool, unit: str | None, screen: Screen, ky: str | None = None) -> None:
    if output is not None:
        outputs.check_writable(output)  # before the work, not after
    rubric = _rubric(plan)
    try:
        the_bloc = rubric.bloc(bloc)
    except KeyError as err:
        _fail(str(err.args[0]))
        raise
    try:
        figures = read_table(file, the_bloc, sheet)
        sub = None
        blend = next((d for d in the_bloc.derived if isinstance(d, Blend)), None)
        if blend is not None:
            sub_bloc = rubric.bloc(blend.subunit_bloc)
            if subunits is not None:
                sub = read_table(subunits, sub_bloc)
            elif file.suffix.lower() in (".xlsx", ".xlsm"):
                sub = read_table(file, sub_bloc) if _has_sheet(file, sub_bloc) else None
        for table, path in ((figures, file), (sub, subunits or file)):
            _say_uncomputed(table, path)
        if ky is not None:  # a table with a "Kỳ" column, scored period by period
            def details(ranked: pd.DataFrame, explanation: pd.DataFrame, results: list[SchemeResult]) -> None:
                _unit_details(screen, rubric, the_bloc, ranked, explanation, results, unit)

            cli_periods.score_in_periods(screen, rubric, the_bloc, figures, sub, ky, output,
                                         details if show_explain or unit else None, only=unit is not None)
            return
        cli_periods.refuse_months_without_ky(the_bloc, figures)
        scored = score(rubric, the_bloc, figures, subunits=sub)
    except (TableError, InputError) as err:
        _fail(f"Lỗi số liệu:\n{err}")
        raise
    ranked = rank(rubric, the_bloc, scored)
    tables = {"Kết quả": result_table(the_bloc, ranked)}
    results: list[SchemeResult] = []
    for scheme in rubric.schemes_for(the_bloc.id):
        if len(scheme.blocs) == 1 and runs_on_campaign(scheme):  # periodic schemes need --ky
            result = allocate(rubric, scheme, ranked)
            if not results:  # the bloc's own scheme: its award columns go into the result table (-o csv)
                tables["Kết quả"] = result_table(the_bloc, result.table)
            tables[scheme.label[:31]] = scheme_table(result, the_bloc)
            results.append(result)
    if rubric.provisional:
        screen.warn(f"Lưu ý: điểm {rubric.provisional} (Kế hoạch chưa có trọng số chính thức).")
    bad = scored[scored[ERROR] != ""]
    if not bad.empty:
        screen.warn_items(ItemList(f"{len(bad)} đơn vị chưa được chấm vì lỗi số liệu:", [("", m) for m in bad[ERROR]]))
    explanation = explain(rubric, the_bloc, figures, subunits=sub) if show_explain or unit else None
    if show_explain:
        tables["Giải thích"] = explanation
    document = machine.result_document("score", rubric, {the_bloc.id: ranked}, results)
    if output is not None:
        for result in results:
            screen.say(result.summary())
        _write(screen, output, tables, document, protect=tuple(p for p in (file, subunits) if p is not None))
        if not screen.machine:
            return
    if screen.format == "json":
        screen.data(machine.dumps(document))
    elif screen.format == "csv":
        screen.data(machine.csv_string(tables["Kết quả"]))
    elif unit is not None:
        _unit_details(screen, rubric, the_bloc, ranked, explanation, results, unit)
    else:
        screen.section(views.ranking_section(rubric, the_bloc, ranked, reasons=not results))
        render_award_sections(screen, views.award_sections(rubric, results))
        if show_explain:
            _unit_details(screen, rubric, the_bloc, ranked, explanation, results, None)


def _unit_details(screen: Screen, rubric: Rubric, bloc: Bloc, ranked: pd.DataFrame,
                  explanation: pd.DataFrame | None, results: list[SchemeResult], unit: str | None) -> None:
    """``--unit NAME`` (one unit, named as typed: folded like every unit name) or ``--explain`` (every unit)."""
    assert explanation is not None
    rows = range(len(ranked)) if unit is None else [i for i, n in enumerate(ranked[UNIT]) if fold(n) == fold(unit)]
    if not rows:
        names = ", ".join(str(n) for n in ranked[UNIT].head(8))
        raise TableError(f"Không có đơn vị '{unit}' trong khối '{bloc.label}'. Ví dụ các đơn vị: {names}…")
    for i in rows:
        row = ranked.iloc[i]
        said = explanation[explanation["dong"] == i]
        screen.unit(views.unit_detail(rubric, bloc, row, said, results), views.figure_lines(bloc, row))


def _say_uncomputed(table: pd.DataFrame | None, path: Path) -> None:
    """Formula cells that had no saved result were read as blank: say which, and how to get their values."""
    cells = table.attrs.get("uncomputed", []) if table is not None else []
    if cells:
        shown = ", ".join(cells[:8]) + (f" và {len(cells) - 8} ô khác" if len(cells) > 8 else "")
        typer.secho(f"Lưu ý: '{path.name}' có {len(cells)} ô công thức chưa có kết quả lưu sẵn ({shown}), đã coi "
                    "là ô trống. Mở sổ bằng Excel rồi lưu lại (hoặc chạy 'thidua-xl recalc') để dùng giá trị của "
                    "chúng.", fg=typer.colors.YELLOW, err=True)


def _has_sheet(path: Path, bloc: Bloc) -> bool:
    from .tables import bloc_sheet, sheet_names

    return bloc_sheet(sheet_names(path), bloc) is not None


@_command("demo")
def demo(
    plan: str = typer.Argument("hau-giang-2023", help="Mã kế hoạch"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Ghi toàn bộ kết quả ra .xlsx"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
    months: bool = typer.Option(False, "--thang", help="Chạy số liệu ví dụ 12 tháng: khen thưởng tháng, quý, "
                                                       "theo ngày chốt và cuối năm"),
) -> None:
    """Chạy ví dụ có sẵn của một kế hoạch: chấm, xếp hạng, lập danh sách khen thưởng."""
    if output is not None:
        outputs.check_writable(output)
    screen = _screen("table", quiet)
    rubric = _rubric(plan)
    if months:
        cli_periods.demo_year(screen, rubric, output)
        return
    result = award_plan(rubric, example_data.load(rubric.id))
    screen.heading(f"{rubric.title}\n{rubric.issuer} — phiên bản bộ tiêu chí {rubric.version}")
    if rubric.provisional:
        screen.note(f"Lưu ý: điểm {rubric.provisional}.", style="yellow")
    tables: dict[str, pd.DataFrame] = {}
    for bloc_id, frame in result.blocs.items():
        bloc = rubric.bloc(bloc_id)
        tables[bloc.label[:31]] = result_table(bloc, frame)
        screen.section(views.ranking_section(rubric, bloc, frame, criteria=False,
                                             reasons=not rubric.schemes_for(bloc_id), heading=bloc.label))
    for sr in result.schemes.values():
        tables[sr.scheme.label[:31]] = scheme_table(sr, rubric.bloc(sr.scheme.blocs[0]))
    render_award_sections(screen, views.award_sections(rubric, result.schemes.values()),
                          heading="Danh sách đề nghị khen thưởng" if result.schemes else None)
    if result.waiting:
        screen.note(result.waiting_note(), style="yellow")
    screen.note("\nĐiểm từng tiêu chí của một đơn vị: thidua-xl score TỆP -p KẾ-HOẠCH -b KHỐI --unit TÊN "
                f"(số liệu ví dụ: {example_data.folder() / rubric.id})", style="dim")
    if output is not None:
        with outputs.run([example_data.folder()], named=[output]):
            screen.say(f"Đã ghi {write_tables(output, tables)}")


@_command("template")
def template_cmd(
    plan: str = typer.Argument(..., help="Mã kế hoạch"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp .xlsx (mặc định workbooks/<kế hoạch>.xlsx)"),
    by_month: bool = typer.Option(False, "--theo-thang",
                                  help="Sổ theo tháng: mỗi dòng một đơn vị trong một tháng (cột Kỳ), ô chọn kỳ ở các "
                                       "sheet điểm, sheet 'Theo dõi theo tháng' (mặc định workbooks/<kế hoạch>-theo-thang"
                                       ".xlsx)"),
) -> None:
    """Tạo sổ Excel mẫu của một kế hoạch (điền sẵn số liệu ví dụ)."""
    from .workbook.template import template_path, write_template

    rubric = _rubric(plan)
    with outputs.run([], named=[output]):  # the default name never replaces a filled workbook
        path = output or template_path(rubric.id, by_month=by_month)
        typer.echo(f"Đã ghi {write_template(rubric.id, path, by_month=by_month)}")


def _readable_book(book: Path) -> None:
    """A workbook argument is an existing .xlsx/.xlsm file that opens as a zip, or a Vietnamese refusal."""
    from .xlsxfile import check_readable

    check_readable(book)


@_command("recalc")
def recalc_cmd(
    book: Path = typer.Argument(..., help="Sổ .xlsx cần tính lại"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định <sổ>-tinh-lai.xlsx)"),
    values_only: bool = typer.Option(False, "--values-only",
                                     help="Thay mọi công thức bằng giá trị (bản lưu trữ, không tính lại được nữa)"),
) -> None:
    """Tính lại mọi công thức của sổ không cần Excel; ghi ra sổ mới (giữ công thức, kèm giá trị mới), không sửa
    sổ gốc."""
    from .workbook.general import EngineError as FormulaEngineError
    from .workbook.recalc import recalc
    from .xlsxfile import check_workbook

    # recalc() checks the rest as it reads the book (the extent of its cells, formulas reading other books)
    check_workbook(book)
    with outputs.run([book], named=[output]):
        if output is not None:
            outputs.check_writable(output)
        try:
            written = recalc(book, output, values_only=values_only)
        except FormulaEngineError as err:  # the book's own formulas, not our code: say so
            first = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
            raise TableError(f"Không tính lại được sổ '{book.name}': có công thức Excel không đọc được ({first}). "
                             "Hãy mở sổ bằng Excel, sửa công thức báo lỗi rồi chạy lại.") from err
    typer.echo(f"Đã ghi {written}")


@_command("awards")
def awards_cmd(
    book: Path = typer.Argument(..., help="Sổ .xlsx tạo từ mẫu"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định <sổ>-khen-thuong.xlsx)"),
    separate: bool = typer.Option(False, "--separate", help="Chỉ ghi sheet danh sách khen thưởng ra sổ riêng"),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
    show: bool = typer.Option(False, "--show", help="In cả danh sách đề nghị khen thưởng lên màn hình"),
    plan: str | None = typer.Option(None, "--plan", "-p", help="Với thư mục bảng theo tháng: mã kế hoạch"),
) -> None:
    """Lập sheet 'Danh sách khen thưởng' từ số liệu trong sổ; ghi ra sổ mới, không sửa sổ gốc.

    Màn hình: tóm tắt từng đợt khen thưởng; --show in cả danh sách; --format json/csv in danh sách cho chương
    trình khác."""
    from .workbook.award_sheet import build_award_book

    screen = _screen(fmt, quiet)
    if plan is not None and book.is_dir():  # a folder of monthly tables (without --plan: refused as a book)
        with outputs.run([book], named=[output]):
            cli_periods.awards_from_tables(screen, _rubric(plan), book, output)
        return
    _readable_book(book)
    with outputs.run([book], named=[output]):
        if output is not None:
            outputs.check_writable(output)
        year: list = []
        written, result = build_award_book(book, output, separate=separate, periods=year)
    if year and year[0] is not None:  # a book kept by month: every section under its own heading
        if screen.machine or not screen.quiet:  # --quiet: the written book is the result
            cli_periods.print_year(screen, year[0])
    elif screen.format == "json":
        screen.data(machine.dumps(machine.result_document("awards", result.rubric, result.blocs,
                                                          result.schemes.values())))
    elif screen.format == "csv":
        screen.data(machine.csv_string(machine.scheme_tables(result.rubric, list(result.schemes.values()))))
    elif show and not result.schemes:  # a plan without awards: its classification, bloc by bloc
        for bloc_id, frame in result.blocs.items():
            screen.section(views.ranking_section(result.rubric, result.rubric.bloc(bloc_id), frame, criteria=False,
                                                 reasons=True, heading=result.rubric.bloc(bloc_id).label))
    elif show:
        render_award_sections(screen, views.award_sections(result.rubric, result.schemes.values()))
    else:
        for scheme in result.schemes.values():
            screen.say(scheme.summary())
    if result.waiting:
        screen.warn(result.waiting_note())
    screen.say(f"Đã ghi {written}")


@_command("ingest")
def ingest_cmd(
    export: Path = typer.Argument(..., help="Tệp danh sách hồ sơ xuất từ hệ thống (.csv hoặc .xlsx)"),
    plan: str = typer.Option(..., "--plan", "-p", help="Mã kế hoạch (xem 'thidua-xl plans')"),
    units: Path = typer.Option(..., "--units", "-u",
                               help="Sổ số liệu của kế hoạch (.xlsx tạo từ mẫu) hoặc thư mục <khối>.csv: danh "
                                    "sách đơn vị, và là nơi điền số liệu (ghi ra bản sao)"),
    profile: str = typer.Option("mot-cua-tinh", "--profile", help="Hồ sơ cột có sẵn hoặc tệp .toml"),
    first: str | None = typer.Option(None, "--tu", help="Tháng đầu của kỳ, dạng 2023-01"),
    last: str | None = typer.Option(None, "--den", help="Tháng cuối của kỳ, dạng 2023-12"),
    top: int = typer.Option(3, "--top", help="Số tài khoản nộp nhiều nhất dùng cho tỷ lệ tập trung"),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Sổ/thư mục kết quả (mặc định <sổ>-ho-so.xlsx hoặc <thư mục>-ho-so)"),
    rejects: Path | None = typer.Option(None, "--rejects", help="Tệp các dòng bị loại (mặc định <kết quả>-loai-bo.csv)"),
    memory: str = typer.Option("1GB", "--memory", help="Giới hạn bộ nhớ của lần chạy (DuckDB dùng 3/4, phần vượt ghi tạm ra đĩa)"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Thanh tiến trình trên màn hình"),
    danh_muc: Path | None = typer.Option(None, "--danh-muc",
                                         help="Danh mục DVCTT đã công bố (.csv/.xlsx, cột mã thủ tục): chỉ tính "
                                              "hồ sơ của các thủ tục này vào mẫu số tỷ lệ trực tuyến"),
) -> None:
    """Đọc danh sách hồ sơ (từng hồ sơ một dòng), tính số liệu từng đơn vị, điền vào bản sao sổ số liệu."""
    from .ingest import UnitDirectory, ingest, load_profile
    from .ingest.catalogue import read_catalogue
    from .ingest.pipeline import check_memory
    from .ingest.target import kept_by_month, read_source, write_book, write_folder

    rubric = _rubric(plan)
    profile_file = Path(profile) if profile.lower().endswith(".toml") else None
    with outputs.run([export, units, profile_file, danh_muc], named=[output, rejects], together=True):
        the_profile = load_profile(profile)
        memory = check_memory(memory)
        source = read_source(units, rubric)
        if source.is_book:
            _readable_book(units)  # the copy is loaded whole: refuse a stray cell at XFD1048576 first
        directory = UnitDirectory.from_tables(rubric, source.tables, the_profile)
        if output is None:
            output = outputs.free_path(units.with_name(f"{units.stem}-ho-so{units.suffix}") if source.is_book
                                       else units.with_name(f"{units.name}-ho-so"))
        if source.is_book and output.suffix.lower() != units.suffix.lower():
            raise TableError(f"Tệp kết quả '{output.name}' phải có đuôi {units.suffix} như sổ số liệu.")
        if source.is_book:
            outputs.check_writable(output)
        else:
            outputs.check_folder(output)
        if rejects is not None:
            outputs.check_writable(rejects)
            outputs.check_distinct(rejects, output)
        catalogue = read_catalogue(danh_muc) if danh_muc is not None else None
        by_month = kept_by_month(source)  # a units book with a "Kỳ" column: each month's rows filled
        result = ingest(export, rubric, directory, the_profile, first=first, last=last, top=top,
                        rejects_path=rejects or output.with_name(f"{output.stem}-loai-bo.csv"),
                        progress=progress and sys.stderr.isatty(), memory_limit=memory, catalogue=catalogue,
                        by_month=by_month)
        values = {b: result.bloc_values(b) for b in source.tables if rubric.bloc(b).from_dossiers}
        months = {b: result.month_values(b) for b in values} if by_month else None
        lines = result.summary_lines()
        extra = {"Tổng hợp hồ sơ": result.summary_table(), "Hồ sơ theo tháng": result.monthly_table(),
                 "Tóm tắt nhập hồ sơ": pd.DataFrame({"Tóm tắt": lines})}
        if source.is_book:
            written = write_book(source, rubric, values, extra, output, protect=(export,), months=months)
        else:
            written = write_folder(source, rubric, values,
                                   {"tong_hop_ho_so": extra["Tổng hợp hồ sơ"],
                                    "ho_so_theo_thang": extra["Hồ sơ theo tháng"]}, output)
    for line in lines:
        typer.echo(line)
    filled = ", ".join(f"{rubric.bloc(b).label} ({len(v)} đơn vị)" for b, v in values.items())
    if months:
        filled += f", từng tháng ({len(result.months)} tháng, cột 'Kỳ')"
    typer.echo(f"Đã điền số liệu hồ sơ: {filled}.")
    typer.echo(f"Đã ghi {written}")
    typer.echo(f"Các dòng bị loại: {result.rejects_file} ({result.rejected} dòng)")


@_command("synth")
def synth_cmd(
    plan: str = typer.Option(..., "--plan", "-p", help="Mã kế hoạch (đơn vị lấy từ số liệu ví dụ của kế hoạch)"),
    rows: int = typer.Option(100_000, "--rows", "-n", help="Số hồ sơ"),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Tệp .csv hoặc .xlsx (mặc định danh-sach-ho-so.csv, tên còn trống)"),
    seed: int = typer.Option(2023, "--seed", help="Hạt giống ngẫu nhiên (cùng hạt giống → cùng tệp)"),
    bad_rows: bool = typer.Option(True, "--bad-rows/--no-bad-rows", help="Cài sẵn các dòng lỗi ở vị trí biết trước"),
) -> None:
    """Tạo tệp danh sách hồ sơ giả lập đúng dạng hồ sơ cột 'mot-cua-tinh' (để thử và đo tốc độ)."""
    from .ingest import UnitDirectory, load_profile
    from .ingest.synthetic import write_export

    rubric = _rubric(plan)
    directory = UnitDirectory.from_tables(rubric, example_data.load(rubric.id), load_profile())
    if rows < 0:
        raise TableError(f"--rows phải từ 0 trở lên (đang là {rows}).")
    with outputs.run([], named=[output]):
        planted = write_export(output or Path("danh-sach-ho-so.csv"), directory.units, rows, seed=seed,
                               bad_rows=bad_rows)
    typer.echo(f"Đã ghi {planted.path}: {planted.rows:,} hồ sơ của {len(directory.units)} đơn vị".replace(",", "."))
    if planted.rejects:
        typer.echo("Dòng lỗi cài sẵn: " + ", ".join(f"{k} {v}" for k, v in planted.rejects.items()))


@_command("addin")
def addin_cmd(
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Tệp add-in .xlam (mặc định thidua.xlam, tên còn trống)"),
    install: bool = typer.Option(False, "--install", help="Chép add-in vào thư mục XLSTART để Excel tự mở"),
    python: str | None = typer.Option(None, "--python", help="python.exe mà Excel sẽ chạy (mặc định: Python này)"),
) -> None:
    """Tạo add-in Excel 'thidua.xlam': các hàm THIDUA_* và tab 'Thi đua', chạy Python của môi trường này."""
    from dataclasses import replace

    from .addin import AddinConfig, build_xlam
    from .addin.install import install as install_addin

    config = AddinConfig.here() if python is None else replace(AddinConfig.here(), interpreter=python)
    with outputs.run([], named=[output]):
        path = build_xlam(output or Path("thidua.xlam"), config)
    typer.echo(f"Đã ghi {path}\n  Python: {config.interpreter}\n  Hàm: {config.udf_modules}")
    if install:
        try:
            installed = install_addin(path)
        except OSError as err:
            _fail(str(err))
            raise
        typer.echo(f"Đã cài vào {installed} — Excel sẽ tự mở add-in ở lần khởi động sau.")


@_command("officejs")
def officejs_cmd(
    folder: Path | None = typer.Option(None, "--output", "-o",
                                       help="Thư mục ghi manifest (mặc định workbooks/officejs, tên còn trống)"),
    base_url: str = typer.Option("https://localhost:8000", "--base-url",
                                 help="Địa chỉ https của máy chủ 'thidua-xl serve'"),
    workbooks: list[Path] = typer.Option([], "--workbook", "-w",
                                         help="Sổ .xlsx cần chép sang bản Office.js (=THIDUA.SCORE …)"),
) -> None:
    """Tạo manifest Office.js (Excel 365/web, hàm =THIDUA.SCORE …) và bản Office.js của các sổ mẫu."""
    import shutil
    import tempfile
    from subprocess import CalledProcessError

    from .addin.officejs import officejs_files, officejs_workbook

    try:
        with outputs.run(workbooks, named=[folder]), tempfile.TemporaryDirectory(prefix="thidua-officejs-") as tmp:
            target = outputs.output_folder(folder or Path("workbooks/officejs"))
            for made in officejs_files(tmp, base_url):
                path = outputs.atomic_write(target / made.name, functools.partial(shutil.copyfile, made))
                typer.echo(f"Đã ghi {path}")
            for book in workbooks:
                typer.echo(f"Đã ghi {officejs_workbook(book, target / book.name)}")
    except ValueError as err:  # the manifest's own checks (https address, lengths): already Vietnamese
        _fail(str(err))
    except CalledProcessError as err:
        _fail(f"Không đọc được các hàm THIDUA qua xlwings: {(err.stderr or '').strip().splitlines()[-1:]}")


@_command("serve")
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Địa chỉ lắng nghe"),
    port: int = typer.Option(8000, "--port", help="Cổng"),
    ssl_keyfile: Path | None = typer.Option(None, "--ssl-keyfile", help="Khóa riêng của chứng chỉ https (.pem)"),
    ssl_certfile: Path | None = typer.Option(None, "--ssl-certfile", help="Chứng chỉ https (.pem)"),
) -> None:
    """Chạy máy chủ Office.js (xlwings Server) cho Excel 365 / Excel trên web: hàm =THIDUA.SCORE …"""
    from .addin.server import ServerError, serve

    certs = [p for p in (ssl_keyfile, ssl_certfile) if p is not None]
    if len(certs) == 1:
        _fail("Cần cả --ssl-keyfile và --ssl-certfile để chạy https.")
    for path in certs:
        outputs.check_input(path)
    if not certs:
        typer.echo(f"Chạy http://{host}:{port} — Excel chỉ nạp add-in qua https: thêm --ssl-keyfile/--ssl-certfile "
                   "hoặc đặt máy chủ sau một reverse proxy https.", err=True)
    try:
        serve(host, port, *(str(p) for p in certs))
    except ServerError as err:
        _fail(str(err))


@_command("addin-vba", hidden=True)
def addin_vba(folder: Path = typer.Option(Path("workbooks/addin"), "--output", "-o")) -> None:
    """(Cho nhà phát triển) Ghi các module VBA của add-in ra tệp .bas để đọc và so sánh."""
    from .addin.xlam import write_vba_modules

    with outputs.run([], named=[folder / "ThiDua.bas", folder / "xlwings_udfs.bas"]):
        for path in write_vba_modules(folder):
            typer.echo(str(path))


@_command("examples", hidden=True)
def examples() -> None:
    """(Cho nhà phát triển) Tạo lại các tệp số liệu ví dụ."""
    for path in example_data.write_all():
        typer.echo(str(path))


from . import cli_whatif  # noqa: E402, F401  (registers 'thidua-xl whatif' on app)
from .plans import cli_plans  # noqa: E402,F401 - registers new-plan, check-plan, diff-plan

if __name__ == "__main__":  # pragma: no cover
    app()
