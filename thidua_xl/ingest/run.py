"""One ingest run: export + plan + the secretariat's unit list → figures per bloc, monthly table, rejects."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..rubric import Rubric
from ..vn import fmt_number, fold
from . import pipeline
from .figures import LABELS, PENDING_COUNTS, RATES, add_rates, in_period, period_figures
from .pipeline import COUNTS, REASONS
from .profile import FIELD_LABELS, OPTIONAL_FIELDS, Profile
from .progress import Steps
from .source import ExportError, open_export
from .units import Unit, UnitDirectory

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
UNIT_HEADER, BLOC_HEADER, GROUP_HEADER, MONTH_HEADER = "Đơn vị", "Khối", "Huyện", "Tháng"


@dataclass
class IngestResult:
    """Figures of every unit of the plan for the period, the monthly table, and what was rejected."""

    rubric: Rubric
    units: list[Unit]
    figures: pd.DataFrame          # unit_id + counts + rates over the period
    monthly: pd.DataFrame          # unit_id, thang + counts + rates
    rows_read: int
    rejects: dict[str, int]
    fields: tuple[str, ...]
    period: tuple[str | None, str | None]
    top: int
    cutoff: object = None          # the date "quá hạn chưa có kết quả" is counted at (end of the period)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    def bloc_values(self, bloc_id: str) -> pd.DataFrame:
        """Plan figure ids of one bloc, indexed by the folded unit name (for merging into a table)."""
        bloc = self.rubric.bloc(bloc_id)
        units = [u for u in self.units if u.bloc == bloc_id]
        figures = self.figures.set_index("unit_id")
        keys = pd.Index([fold(u.name) for u in units])
        out = pd.DataFrame(index=keys)
        for fd in bloc.from_dossiers:
            if fd.of_subunits:
                out[fd.figure] = keys.map(self._subunit_mean(fd.of_subunits, fd.measure.value)).astype(float)
            else:
                out[fd.figure] = figures.loc[[u.id for u in units], fd.measure.value].to_numpy()
        return out

    def _subunit_mean(self, sub_bloc: str, measure: str) -> pd.Series:
        """Per parent (folded name): mean of the sub-units' measure; blank if any sub-unit has none."""
        subs = [u for u in self.units if u.bloc == sub_bloc]
        values = self.figures.set_index("unit_id").loc[[u.id for u in subs], measure].to_numpy()
        frame = pd.DataFrame({"parent": [fold(u.group) for u in subs], "value": values})
        stats = frame.groupby("parent")["value"].agg(["mean", lambda v: v.isna().any()])
        stats.columns = ["mean", "gap"]
        return stats["mean"].where(~stats["gap"].astype(bool))

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        by_id = {u.id: u for u in self.units}
        head = pd.DataFrame({
            UNIT_HEADER: [by_id[i].name for i in frame["unit_id"]],
            BLOC_HEADER: [self.rubric.bloc(by_id[i].bloc).label for i in frame["unit_id"]],
            GROUP_HEADER: [by_id[i].group for i in frame["unit_id"]],
        }, index=frame.index)
        return pd.concat([head, frame.drop(columns="unit_id")], axis=1)

    def summary_table(self) -> pd.DataFrame:
        """Per unit over the period, every count and rate, Vietnamese headers; district roll-ups appended."""
        table = self._named(self.figures)
        rollup = self._district_rollup()
        if not rollup.empty:
            table = pd.concat([table, rollup], ignore_index=True)
        return table.rename(columns={k: str(v) for k, v in LABELS.items()})

    def _district_rollup(self) -> pd.DataFrame:
        """Toàn huyện: a district's own dossiers plus its communes' (counts summed, rates recomputed)."""
        groups = {fold(u.group): u.group for u in self.units if u.group}
        if not groups:
            return pd.DataFrame()

        def district(unit: Unit) -> str:  # a commune → its huyện; a district-level unit → itself
            return fold(unit.group) if unit.group else (fold(unit.name) if fold(unit.name) in groups else "")

        by_id = {u.id: u for u in self.units}
        counts = [c for c in (*COUNTS, *PENDING_COUNTS) if c in self.figures]
        frame = self.figures.assign(_district=[district(by_id[i]) for i in self.figures["unit_id"]])
        sums = add_rates(frame[frame["_district"] != ""].groupby("_district")[counts].sum(min_count=1))
        names = [groups[k] for k in sums.index]
        head = pd.DataFrame({UNIT_HEADER: [f"Toàn {n[:1].lower()}{n[1:]} (cấp huyện và cấp xã)" for n in names],
                             BLOC_HEADER: "Tổng hợp theo huyện", GROUP_HEADER: names}, index=sums.index)
        keep = [c for c in sums.columns if c in counts or c in RATES or c == "ho_so_truoc_han_dung_han"]
        return pd.concat([head, sums[keep]], axis=1).reset_index(drop=True)

    def monthly_table(self) -> pd.DataFrame:
        table = self._named(self.monthly)
        return table.rename(columns={"thang": MONTH_HEADER, **{k: str(v) for k, v in LABELS.items()}})

    def summary_lines(self) -> list[str]:
        accepted = self.rows_read - self.rejected
        first, last = self.period
        lines = [*self.notes,
                 f"Kỳ số liệu: {first or 'đầu tệp'} → {last or 'cuối tệp'}",
                 f"Đọc {fmt_number(self.rows_read)} dòng hồ sơ: nhận {fmt_number(accepted)}, "
                 f"loại {fmt_number(self.rejected)}."]
        for code, n in self.rejects.items():
            lines.append(f"  - {REASONS[code]}: {fmt_number(n)}")
        feeds = {needs for needs in COUNTS.values() if needs}  # optional columns some figure is counted from
        missing = [FIELD_LABELS[f] for f in OPTIONAL_FIELDS if f in feeds and f not in self.fields]
        if missing:
            lines.append(f"Tệp không có cột: {', '.join(missing)} — các số liệu dùng cột đó để trống.")
        overdue = self.figures["ho_so_dang_qua_han"].sum()
        if self.cutoff is not None and overdue:
            lines.append(f"Đến ngày {self.cutoff:%d/%m/%Y}: {fmt_number(overdue)} hồ sơ đã quá hạn mà chưa có kết "
                         "quả (ghi riêng, không tính vào hồ sơ trễ hạn đã giải quyết).")
        received = self.figures.set_index("unit_id")["ho_so_tiep_nhan"]
        idle = [u.name for u in self.units if received.get(u.id, 0) == 0]
        lines.append(f"{len(self.units) - len(idle)}/{len(self.units)} đơn vị có hồ sơ trong kỳ.")
        if idle:
            shown = ", ".join(idle[:10]) + (f" và {len(idle) - 10} đơn vị khác" if len(idle) > 10 else "")
            lines.append(f"Không có hồ sơ nào trong kỳ (tỷ lệ để trống): {shown}.")
        return lines


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
           memory_limit: str = "1GB", threads: int | None = None) -> IngestResult:
    """Read, check and aggregate one export; write the rejected rows to ``rejects_path`` if given."""
    first, last = check_month(first, "--tu"), check_month(last, "--den")
    if first and last and first > last:
        raise ExportError(f"Kỳ số liệu: tháng đầu {first} sau tháng cuối {last}.")
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
            rows_read = pipeline.load(steps, source)
        except duckdb.Error as err:
            raise ExportError(f"Tệp '{source.original.name}' không đọc được như bảng CSV: "
                              f"{str(err).splitlines()[0]}") from err
        pipeline.build_lookups(con, source, profile, units)
        pipeline.classify(steps, source, profile)
        monthly, per_unit, cutoff = pipeline.aggregate(steps, first, last, top)
        rejects = pipeline.reject_counts(con)
        if rejects_path is not None:
            pipeline.write_rejects(con, source, profile, Path(rejects_path))
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
    figures = period_figures([u.id for u in units.units], monthly, per_unit, fields)
    return IngestResult(rubric, units.units, figures, add_rates(monthly), rows_read, rejects, fields,
                        (first, last), top, cutoff=cutoff,
                        notes=[f"Tệp: {source.original.name} ({'; '.join(source.notes)})",
                               f"Hồ sơ cột: {profile.title}"])


def _complete_counts(monthly: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    """A month with receipts but no results (or the reverse) has 0, not blank; a missing column stays blank."""
    out = monthly.copy()
    for count, needs in COUNTS.items():
        out[count] = out[count].fillna(0) if needs is None or needs in fields else float("nan")
    return out
