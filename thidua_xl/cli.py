"""The ``thidua-xl`` command: list plans, score a table, run a bundled example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from . import example_data, rubrics
from .awards import allocate, award_plan
from .columns import AWARD, ERROR, NOTE
from .present import result_table, scheme_table
from .ranking import rank
from .rubric import Blend, Rubric
from .scoring import explain, score
from .tables import TableError, read_table, write_tables
from .validation import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Chấm điểm, xếp hạng và lập danh sách khen thưởng phong trào thi đua.")


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


def _rubric(plan: str) -> Rubric:
    try:
        return rubrics.get(plan)
    except KeyError as err:
        _fail(str(err.args[0]))
        raise


def _show(table: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", 500, "display.max_columns", 40, "display.width", 220,
                           "display.max_colwidth", 60):
        typer.echo(table.to_string(index=False))


@app.command("plans")
def plans() -> None:
    """Liệt kê các kế hoạch thi đua và khối thi đua."""
    for r in rubrics.all_rubrics():
        typer.echo(f"{r.id}  —  {r.title} ({r.issuer}, {r.year})  [{r.version}]")
        for b in r.blocs:
            typer.echo(f"    khối {b.id}: {b.label} — {len(b.criteria)} tiêu chí, thang {b.standard_total():g} điểm")


@app.command("score")
def score_cmd(
    file: Path = typer.Argument(..., help="Tệp số liệu .csv hoặc .xlsx (mỗi dòng một đơn vị)"),
    plan: str = typer.Option(..., "--plan", "-p", help="Mã kế hoạch (xem 'thidua-xl plans')"),
    bloc: str = typer.Option(..., "--bloc", "-b", help="Mã hoặc tên khối thi đua"),
    subunits: Path | None = typer.Option(None, "--subunits", help="Số liệu khối cấp dưới (cho chỉ số bình quân)"),
    sheet: str | None = typer.Option(None, "--sheet", help="Tên sheet trong tệp .xlsx"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Ghi kết quả ra .csv hoặc .xlsx"),
    show_explain: bool = typer.Option(False, "--explain", help="In giải thích từng tiêu chí"),
) -> None:
    """Chấm điểm, xếp hạng và xét khen thưởng một khối thi đua."""
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
                sub = read_table(file, sub_bloc, sub_bloc.id) if _has_sheet(file, sub_bloc.id) else None
        scored = score(rubric, the_bloc, figures, subunits=sub)
    except (TableError, InputError) as err:
        _fail(f"Lỗi số liệu:\n{err}")
        raise
    ranked = rank(rubric, the_bloc, scored)
    tables = {"Kết quả": result_table(the_bloc, ranked)}
    for scheme in rubric.schemes_for(the_bloc.id):
        if len(scheme.blocs) == 1:
            result = allocate(rubric, scheme, ranked)
            tables[scheme.label[:31]] = scheme_table(result, the_bloc)
            typer.echo(result.summary())
    bad = scored[scored[ERROR] != ""]
    if not bad.empty:
        typer.secho(f"{len(bad)} đơn vị chưa được chấm vì lỗi số liệu:", fg=typer.colors.YELLOW, err=True)
        for msg in bad[ERROR]:
            typer.secho(f"  - {msg}", fg=typer.colors.YELLOW, err=True)
    if show_explain:
        tables["Giải thích"] = explain(rubric, the_bloc, figures, subunits=sub)
    if output is not None:
        protect = tuple(p for p in (file, subunits) if p is not None)
        try:
            written = write_tables(output, tables if output.suffix.lower() != ".csv" else
                                   {"Kết quả": tables["Kết quả"]}, protect=protect)
        except TableError as err:
            _fail(str(err))
            raise
        typer.echo(f"Đã ghi {written}")
    else:
        for name, table in tables.items():
            typer.secho(f"\n== {name} ==", bold=True)
            _show(table)


def _has_sheet(path: Path, name: str) -> bool:
    from .tables import sheet_names
    from .vn import fold

    return any(fold(s) == fold(name) for s in sheet_names(path))


@app.command("demo")
def demo(
    plan: str = typer.Argument("hau-giang-2023", help="Mã kế hoạch"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Ghi toàn bộ kết quả ra .xlsx"),
) -> None:
    """Chạy ví dụ có sẵn của một kế hoạch: chấm, xếp hạng, lập danh sách khen thưởng."""
    rubric = _rubric(plan)
    result = award_plan(rubric, example_data.load(rubric.id))
    typer.secho(f"{rubric.title}\n{rubric.issuer} — phiên bản bộ tiêu chí {rubric.version}", bold=True)
    tables: dict[str, pd.DataFrame] = {}
    for bloc_id, frame in result.blocs.items():
        bloc = rubric.bloc(bloc_id)
        tables[bloc.label[:31]] = result_table(bloc, frame)
    for scheme_id, sr in result.schemes.items():
        bloc = rubric.bloc(sr.scheme.blocs[0])
        table = scheme_table(sr, bloc)
        tables[sr.scheme.label[:31]] = table
        typer.secho(f"\n== {sr.scheme.label} ({scheme_id}) ==", bold=True)
        shown = ((sr.table[AWARD] != "") | (sr.table[NOTE] != "")).to_numpy()
        _show(table[shown].head(20))
        typer.echo(sr.summary())
    if not result.schemes:
        for name, table in tables.items():
            typer.secho(f"\n== {name} ==", bold=True)
            _show(table.head(20))
    if output is not None:
        typer.echo(f"Đã ghi {write_tables(output, tables)}")


@app.command("template")
def template_cmd(
    plan: str = typer.Argument(..., help="Mã kế hoạch"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp .xlsx (mặc định workbooks/<kế hoạch>.xlsx)"),
) -> None:
    """Tạo sổ Excel mẫu của một kế hoạch (điền sẵn số liệu ví dụ)."""
    from .workbook.template import template_path, write_template

    rubric = _rubric(plan)
    typer.echo(f"Đã ghi {write_template(rubric.id, output or template_path(rubric.id))}")


@app.command("recalc")
def recalc_cmd(
    book: Path = typer.Argument(..., help="Sổ .xlsx cần tính lại"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định <sổ>-tinh-lai.xlsx)"),
) -> None:
    """Tính lại mọi công thức của sổ không cần Excel; ghi ra sổ mới, không sửa sổ gốc."""
    from .workbook.recalc import recalc

    try:
        written = recalc(book, output)
    except (TableError, FileNotFoundError) as err:
        _fail(str(err))
        raise
    typer.echo(f"Đã ghi {written}")


@app.command("awards")
def awards_cmd(
    book: Path = typer.Argument(..., help="Sổ .xlsx tạo từ mẫu"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định <sổ>-khen-thuong.xlsx)"),
    separate: bool = typer.Option(False, "--separate", help="Chỉ ghi sheet danh sách khen thưởng ra sổ riêng"),
) -> None:
    """Lập sheet 'Danh sách khen thưởng' từ số liệu trong sổ; ghi ra sổ mới, không sửa sổ gốc."""
    from .workbook.award_sheet import build_award_book

    try:
        written, result = build_award_book(book, output, separate=separate)
    except (TableError, KeyError, InputError, FileNotFoundError) as err:
        _fail(str(err.args[0]) if isinstance(err, KeyError) else str(err))
        raise
    for scheme in result.schemes.values():
        typer.echo(scheme.summary())
    typer.echo(f"Đã ghi {written}")


@app.command("addin")
def addin_cmd(output: Path = typer.Option(Path("thidua.xlam"), "--output", "-o", help="Tệp add-in .xlam")) -> None:
    """Tạo add-in Excel có tab 'Thi đua' (cần nhập thêm ThiDua.bas trong trình soạn VBA, xem README)."""
    from .addin import build_xlam

    typer.echo(f"Đã ghi {build_xlam(output)}")


@app.command("officejs")
def officejs_cmd(
    folder: Path = typer.Option(Path("workbooks/officejs"), "--output", "-o", help="Thư mục ghi manifest"),
    base_url: str = typer.Option("https://localhost:8000", "--base-url", help="Địa chỉ xlwings Server"),
) -> None:
    """Tạo manifest Office.js và metadata các hàm THIDUA_* (Excel 365/web qua xlwings Server)."""
    from .addin import officejs_files

    for path in officejs_files(folder, base_url):
        typer.echo(f"Đã ghi {path}")


@app.command("examples", hidden=True)
def examples() -> None:
    """(Cho nhà phát triển) Tạo lại các tệp số liệu ví dụ."""
    for path in example_data.write_all():
        typer.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    app()
