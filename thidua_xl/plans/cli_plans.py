"""The commands for plans written after the release, registered on ``thidua-xl``'s app.

``new-plan`` writes a module to edit, ``check-plan`` reads it back, ``diff-plan``
compares two versions. A broken configured plan (a syntax error, a
wrong id, a folder that does not exist) is a ``PlanError``, a ``KeyError``: every
command registered through ``cli._command`` turns it into its Vietnamese message
and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from thidua_xl.cli import _command
from thidua_xl.rubric import Rubric

from .loader import ENV_VAR, PlanError, configured_folders, load_file


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


def _next_steps(folder: Path, module: Path) -> list[str]:
    try:
        configured = folder.resolve() in {f.resolve() for f in configured_folders()}
    except PlanError:
        configured = False
    steps = [f"Sửa các con số theo Kế hoạch mới rồi kiểm tra:  thidua-xl check-plan \"{module}\""]
    if not configured:
        setting = (f'setx {ENV_VAR} "{folder.resolve()}"   (rồi mở lại cửa sổ lệnh và Excel)' if os.name == "nt"
                   else f'export {ENV_VAR}="{folder.resolve()}"')
        steps.append(f"Thư mục này chưa nằm trong {ENV_VAR}: kế hoạch mới chỉ được nạp khi khai báo, ví dụ\n    "
                     + setting)
    return steps


@_command("new-plan")
def new_plan(
    plan_id: str = typer.Argument(..., metavar="MÃ", help="Mã kế hoạch mới, ví dụ hau-giang-2025"),
    folder: Path = typer.Option(..., "--dir", "-d", help="Thư mục kế hoạch (khai báo trong THIDUA_XL_PLANS)"),
    source: str | None = typer.Option(None, "--from", help="Chép từ kế hoạch này (mã, xem 'thidua-xl plans')"),
    title: str | None = typer.Option(None, "--title", help="Tên phong trào (mặc định: tên cũ với năm mới)"),
    year: int | None = typer.Option(None, "--year", help="Năm của Kế hoạch (mặc định: năm ghi trong mã)"),
) -> None:
    """Tạo mô-đun bộ tiêu chí cho Kế hoạch mới (chép từ kế hoạch cũ, hoặc bộ khung có chú thích) và số liệu ví dụ."""
    from .scaffold import new_from, new_skeleton

    if source is not None:
        written = new_from(source, plan_id, folder, title=title, year=year)
    else:
        written = new_skeleton(plan_id, folder, title=title, year=year)
    for path in written:
        typer.echo(f"Đã ghi {path}")
    for step in _next_steps(folder, written[0]):
        typer.echo(step)


@_command("check-plan")
def check_plan(file: Path = typer.Argument(..., metavar="TỆP.py", help="Mô-đun bộ tiêu chí cần kiểm tra")) -> None:
    """Kiểm tra một bộ tiêu chí: tiêu chí, điểm, điều kiện, khen thưởng, chạy thử số liệu ví dụ (mã thoát 0 nếu
    nhất quán, 1 nếu có lỗi)."""
    from .check import check_file

    if not file.is_file():
        _fail(f"Không có tệp '{file}'.")
    report = check_file(file)
    typer.echo(report.text())
    if not report.consistent:
        raise typer.Exit(code=1)


def _rubric(spec: str) -> Rubric:
    """A plan id, or the path of a module file (the user names it on the command line)."""
    if spec.lower().endswith(".py"):
        path = Path(spec)
        return load_file(path, expected_id=path.stem.replace("_", "-")).rubric
    from thidua_xl import rubrics

    return rubrics.get(spec)


@_command("diff-plan")
def diff_plan(
    old: str = typer.Argument(..., metavar="CŨ", help="Mã kế hoạch hoặc tệp .py của bộ tiêu chí cũ"),
    new: str = typer.Argument(..., metavar="MỚI", help="Mã kế hoạch hoặc tệp .py của bộ tiêu chí mới"),
) -> None:
    """In những gì thay đổi giữa hai bộ tiêu chí: tiêu chí, điểm, ngưỡng, điều kiện, khen thưởng, đơn vị."""
    from .diff import report

    try:
        typer.echo(report(_rubric(old), _rubric(new)))
    except KeyError as err:
        _fail(str(err.args[0]) if err.args else str(err))

