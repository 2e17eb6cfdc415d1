"""What an ingest run gives: figures per unit for the period, the monthly table, rejects — and how they are shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..rubric import Measure, Rubric
from ..scoring import subunit_means
from ..vn import fmt_number, fold
from .figures import LABELS, PENDING_COUNTS, RATES, add_rates
from .pipeline import COUNTS, REASONS
from .profile import FIELD_LABELS, OPTIONAL_FIELDS
from .units import Unit

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
    cutoff: dt.date | None = None          # the date "quá hạn chưa có kết quả" is counted at (end of the period)
    notes: list[str] = field(default_factory=list)
    rejects_file: Path | None = None       # where the rejected rows were written (a free name if defaulted)
    catalogue: int | None = None           # number of published online procedures given (--danh-muc), or None
    # A units book kept by month: each month's figures, as :attr:`figures` (month "YYYY-MM" → table)
    months: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    def bloc_values(self, bloc_id: str, month: str | None = None) -> pd.DataFrame:
        """The plan's export-filled columns (figure ids) of one bloc, one row per unit, indexed by its name;
        ``month`` ("YYYY-MM", a run ``by_month``): that month's figures."""
        bloc = self.rubric.bloc(bloc_id)
        units = [u for u in self.units if u.bloc == bloc_id]
        source = self.figures if month is None else self.months[month]
        figures = source.set_index("unit_id")
        out = pd.DataFrame(index=pd.Index([u.name for u in units], name=bloc.unit_label))
        for fd in bloc.from_dossiers:
            if fd.of_subunits:
                means = self._subunit_mean(fd.of_subunits, fd.measure.value, source)
                out[fd.figure] = [means.get(fold(u.name), float("nan")) for u in units]
            else:
                out[fd.figure] = figures.loc[[u.id for u in units], fd.measure.value].to_numpy()
        return out

    def month_values(self, bloc_id: str) -> dict[str, pd.DataFrame]:
        """:meth:`bloc_values` of every month of a run ``by_month``."""
        return {m: self.bloc_values(bloc_id, m) for m in self.months}

    def _subunit_mean(self, sub_bloc: str, measure: str, figures: pd.DataFrame) -> pd.Series:
        """Per parent (folded name): mean of the sub-units' measure; blank if a sub-unit has none."""
        subs = [u for u in self.units if u.bloc == sub_bloc]
        values = figures.set_index("unit_id").loc[[u.id for u in subs], measure].reset_index(drop=True)
        return subunit_means(values, pd.Series([u.group for u in subs]), values.isna())["mean"]

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

    def _catalogue_lines(self) -> list[str]:
        """Whether "hồ sơ của các DVCTT đã công bố" was counted from a catalogue (only for plans that use it)."""
        measures = {Measure.HO_SO_DVCTT_CONG_BO, Measure.HO_SO_TRUC_TUYEN_DVCTT_CONG_BO,
                    Measure.TY_LE_TRUC_TUYEN_DVCTT_CONG_BO}
        if not any(fd.measure in measures for b in self.rubric.blocs for fd in b.from_dossiers):
            return []
        if self.catalogue is None:
            return ["Chưa có danh mục DVCTT đã công bố (--danh-muc): 'hồ sơ phát sinh của các DVCTT đã công bố' "
                    "đang tính trên mọi hồ sơ tiếp nhận, nên tỷ lệ hồ sơ trực tuyến là cận dưới (có thể thấp hơn "
                    "thực tế)."]
        counted = self.figures["ho_so_dvctt_cong_bo"].sum()
        return [f"Danh mục DVCTT đã công bố: {fmt_number(self.catalogue)} thủ tục; {fmt_number(counted)} hồ sơ "
                "thuộc danh mục được tính vào mẫu số tỷ lệ hồ sơ trực tuyến."]

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
        lines.extend(self._catalogue_lines())
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
