"""``thidua-xl whatif``: per unit, the smallest change that reaches the next rank, prize, gate or a score.

Registered on :data:`thidua_xl.cli.app` (imported at the end of ``cli.py``), in its own module so that the
command's reading, search and writing stay together.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from .cli import FORMAT_HELP, QUIET_HELP, _command, _fail, _has_sheet, _rubric, _screen, _write
from .rubric import Blend, Bloc, Rubric
from .tables import TableError, read_table
from .terminal import machine, views
from .validation import InputError
from .whatif import TargetError, gaps


def _subunit_table(rubric: Rubric, bloc: Bloc, file: Path, subunits: Path | None) -> pd.DataFrame | None:
    """The sub-unit bloc's figures a blended rate needs: the given file, or the same workbook's sheet."""
    blend = next((d for d in bloc.derived if isinstance(d, Blend)), None)
    if blend is None:
        return None
    sub_bloc = rubric.bloc(blend.subunit_bloc)
    if subunits is not None:
        return read_table(subunits, sub_bloc)
    if file.suffix.lower() in (".xlsx", ".xlsm") and _has_sheet(file, sub_bloc):
        return read_table(file, sub_bloc)
    return None


@_command("whatif")
def whatif_cmd(
    file: Path = typer.Argument(..., help="Tệp số liệu .csv hoặc .xlsx (mỗi dòng một đơn vị)"),
    plan: str = typer.Option(..., "--plan", "-p", help="Mã kế hoạch (xem 'thidua-xl plans')"),
    bloc: str = typer.Option(..., "--bloc", "-b", help="Mã hoặc tên khối thi đua"),
    unit: str | None = typer.Option(None, "--unit", "-u", help="Chỉ xem một đơn vị (tên như trong tệp)"),
    target: str = typer.Option("hang", "--target", "-t",
                               help="Mục tiêu: hang (hạng kế trên), giai (giải kế tiếp), dieu-kien (điều kiện "
                                    "xét) hoặc một số điểm, ví dụ 90"),
    subunits: Path | None = typer.Option(None, "--subunits", help="Số liệu khối cấp dưới (cho chỉ số bình quân)"),
    sheet: str | None = typer.Option(None, "--sheet", help="Tên sheet trong tệp .xlsx"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Ghi bảng ra .csv, .xlsx hoặc .json"),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
) -> None:
    """Cần gì để lên hạng: thay đổi nhỏ nhất của một số liệu (hoặc hai) để đạt mục tiêu, cho từng đơn vị."""
    screen = _screen(fmt, quiet)
    rubric = _rubric(plan)
    try:
        the_bloc = rubric.bloc(bloc)
        figures = read_table(file, the_bloc, sheet)
        result = gaps(rubric, the_bloc, figures, target, subunits=_subunit_table(rubric, the_bloc, file, subunits))
        table = result.table(unit)
    except KeyError as err:
        _fail(str(err.args[0]))
        raise
    except (TableError, InputError, TargetError) as err:
        _fail(f"Lỗi số liệu:\n{err}" if isinstance(err, InputError) else str(err))
        raise
    searched = int(result.need.search.sum())
    screen.say(f"{the_bloc.label}: {len(result.ranked)} đơn vị, {searched} đơn vị chưa đạt mục tiêu "
               f"'{target}' — mỗi phương án là thay đổi nhỏ nhất đủ để đạt (ít hơn một đơn vị thì không đạt).")
    document = machine.whatif_document(rubric, the_bloc, target, table)
    if output is not None:
        protect = tuple(p for p in (file, subunits) if p is not None)
        _write(screen, output, {"Cần gì để lên hạng": table}, document, protect=protect)
        if not screen.machine:
            return
    if screen.format == "json":
        screen.data(machine.dumps(document))
    elif screen.format == "csv":
        screen.data(machine.csv_string(table))
    else:
        screen.table(views.whatif_view(table))
