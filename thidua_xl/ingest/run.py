"""One ingest run: export + plan + the secretariat's unit list → :class:`IngestResult` and the rejects file."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from ..rubric import Rubric
from . import pipeline
from .figures import add_rates, in_period, period_figures
from .pipeline import COUNTS
from .profile import Profile
from .progress import Steps
from .rejects import reject_counts, write_rejects
from .result import IngestResult
from .source import ExportError, open_export
from .units import UnitDirectory

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_month(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if not MONTH.match(text):
        raise ExportError(f"{option} '{text}' không đúng dạng năm-tháng (ví dụ 2023-01).")
    return text


def ingest(export: Path, rubric: Rubric, units: UnitDirectory, profile: Profile, *,
           first: str | None = None, last: str | None = None, top: int = 3,
           rejects_path: Path | None = None, progress: bool = False,
           memory_limit: str = "1GB", threads: int | None = None,
           catalogue: frozenset[str] | None = None, by_month: bool = False) -> IngestResult:
    """Read, check and aggregate one export; write the rejected rows to ``rejects_path`` if given.

    ``catalogue``: folded codes of the published online procedures (:func:`.catalogue.read_catalogue`).
    ``by_month``: also each month's figures (a units book kept by month, :attr:`IngestResult.months`)."""
    first, last = check_month(first, "--tu"), check_month(last, "--den")
    if first and last and first > last:
        raise ExportError(f"Kỳ số liệu: tháng đầu {first} sau tháng cuối {last}.")
    memory_limit = pipeline.check_memory(memory_limit)
    if top < 1:
        raise ExportError(f"--top phải từ 1 trở lên (đang là {top}).")
    workdir = Path(tempfile.mkdtemp(prefix="thidua-ingest-"))
    source = None
    con = None
    steps = None
    try:
        source = open_export(Path(export), profile, workdir, progress)
        con = pipeline.connect(workdir, memory_limit, threads)
        steps = Steps(con, ["Đọc tệp", "Kiểm tra từng hồ sơ", "Tổng hợp theo tháng"], progress)
        try:
            rows_read = pipeline.load(steps, source, profile)
        except duckdb.Error as err:
            raise ExportError(f"Tệp '{source.original.name}' không đọc được như bảng CSV: "
                              f"{str(err).splitlines()[0]}") from err
        if catalogue is not None and "thu_tuc" not in source.fields:
            raise ExportError(f"Tệp '{source.original.name}' không có cột thủ tục nên không lọc được theo danh mục "
                              "DVCTT đã công bố (--danh-muc).")
        pipeline.build_lookups(con, source, profile, units, catalogue)
        pipeline.classify(steps, source, profile, catalogue is not None)
        monthly, per_unit, cutoff = pipeline.aggregate(steps, first, last, top)
        month_ends = (pipeline.month_end_figures(con, sorted(set(in_period(monthly, first, last)["thang"].dropna())),
                                                 cutoff, top) if by_month else None)
        rejects = reject_counts(con)
        rejects_file = (write_rejects(con, source, profile, Path(rejects_path)) if rejects_path is not None
                        else None)
    finally:
        if steps is not None:
            steps.close()
        if con is not None:
            con.close()
        if source is not None:
            source.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    fields = tuple(source.fields)
    monthly = in_period(_complete_counts(monthly, fields), first, last)
    unit_ids = [u.id for u in units.units]
    figures = period_figures(unit_ids, monthly, per_unit, fields)
    months = {} if month_ends is None else {
        m: period_figures(unit_ids, monthly[monthly["thang"] == m], month_ends[month_ends["thang"] == m], fields)
        for m in sorted(set(monthly["thang"]))}
    return IngestResult(rubric, units.units, figures, add_rates(monthly), rows_read, rejects, fields, months=months,
                        period=(first, last), top=top, cutoff=cutoff, rejects_file=rejects_file,
                        catalogue=None if catalogue is None else len(catalogue),
                        notes=[f"Tệp: {source.original.name} ({'; '.join(source.notes)})",
                               f"Hồ sơ cột: {profile.title}"])


def _complete_counts(monthly: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    """A month with receipts but no results (or the reverse) has 0, not blank; a missing column stays blank."""
    out = monthly.copy()
    for count, needs in COUNTS.items():
        out[count] = out[count].fillna(0) if needs is None or needs in fields else float("nan")
    return out
