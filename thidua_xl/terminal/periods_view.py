"""Months, quarters and the year on the terminal: the winners of each period, each unit's rank by period.

Built from :mod:`thidua_xl.periods` results; like the rest of this package it only lays out what the engine
computed. A scheme that runs once (year-end, one cut-off date) is shown as any award scheme; one that runs on
many periods (Châu Thành A's monthly award) as one table of each period's winners; a published ranking
(quarterly review, 766 monthly classification) as one table per bloc, a row per unit and a column per
period holding its rank, then the last period's total, class and movement.
"""

from __future__ import annotations

import pandas as pd

from ..columns import AWARD, BLOC, CLASS, LEVEL, NOTE, PRIZE, RANK, TOTAL
from ..periods import KY, MOVE, Cadence, Section, YearResult
from ..periods.awards import TITLE
from ..rubric import Bloc, Rubric
from ..validation import UNIT
from ..vn import fold
from .model import Column, TableView
from .model import Section as ScreenSection
from .views import award_section, unit_names

CADENCE_HEADINGS = {Cadence.MONTHLY: "Hằng tháng", Cadence.QUARTERLY: "Hằng quý",
                    Cadence.CUTOFF: "Theo ngày chốt số liệu", Cadence.YEAR_END: "Cuối năm"}


def short_period(key: str) -> str:
    """"2021-03" → "T3", "2021-Q2" → "Q2", "..2021-03" → "≤T3": a column header that fits."""
    bare = key.lstrip(".")
    prefix = "≤" if key.startswith("..") else ""
    if "-Q" in bare:
        return prefix + bare.split("-", 1)[1]
    parts = bare.split("-")
    if len(parts) >= 2:
        return f"{prefix}T{int(parts[1])}" + (f"/{int(parts[2])}" if len(parts) == 3 else "")
    return prefix + bare


def period_label(key: str) -> str:
    """A period in a table cell: "3/2021", "Q2/2021", "30/11/2023", "2021" (the heading says own or year-to-date)."""
    bare = key.lstrip(".")
    parts = bare.split("-")
    if len(parts) == 2 and parts[1].startswith("Q"):
        return f"{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{int(parts[1])}/{parts[0]}"
    if len(parts) == 3:
        return f"{int(parts[2])}/{int(parts[1])}/{parts[0]}"
    return bare


def ranks_by_period(bloc: Bloc, long: pd.DataFrame, title: str) -> TableView:
    """One row per unit, its rank in each period (a column each), then the last period's standing."""
    periods = list(dict.fromkeys(long[KY]))
    last = long[long[KY] == periods[-1]].set_index(UNIT)
    wide = long.pivot_table(index=UNIT, columns=KY, values=RANK, aggfunc="first", sort=False)
    frame = pd.DataFrame({UNIT: list(dict.fromkeys(long[UNIT]))})
    for key in periods:
        frame[key] = frame[UNIT].map(wide[key]) if key in wide else None
    for key in (TOTAL, CLASS, MOVE):
        if key in last:
            frame[key] = frame[UNIT].map(last[key])
    frame = frame.sort_values([periods[-1], UNIT], na_position="last", kind="stable").reset_index(drop=True)
    frame[UNIT] = unit_names(frame)
    columns = [Column(UNIT, bloc.unit_label if len(bloc.unit_label) < 14 else "Đơn vị", "unit", 0, min_width=14)]
    columns.append(Column(TOTAL, f"Điểm {short_period(periods[-1])}", "points", 0))
    if CLASS in frame:
        columns.append(Column(CLASS, "Xếp loại", "text", 1))
    if MOVE in frame:
        columns.append(Column(MOVE, "Biến động", "movement", 1))
    columns += [Column(key, short_period(key), "rank", 3, legend=_title_of(long, key), movable=True)
                for key in periods]
    return TableView(title, frame, columns, legend_title="Hạng theo kỳ", chunk_title="Hạng theo kỳ")


def _title_of(long: pd.DataFrame, key: str) -> str:
    titles = long.loc[long[KY] == key, TITLE] if TITLE in long else pd.Series(dtype=object)
    return str(titles.iloc[0]) if len(titles) else key


def winners_table(section: Section) -> TableView:
    """A scheme run on many periods: each period's winners (or why nobody), one row each."""
    table = section.table()
    nobody = table[UNIT].fillna("").astype(str).str.strip() == ""
    names = unit_names(table).where(~nobody, table.get(NOTE, pd.Series("", index=table.index)))
    frame = table.assign(**{KY: table[KY].map(period_label), UNIT: names})
    if NOTE in frame:
        frame[NOTE] = frame[NOTE].where(~nobody, "")
    columns = [Column(KY, "Kỳ", "text", 0, min_width=7), Column(UNIT, "Đơn vị", "unit", 0, min_width=14)]
    if BLOC in frame:
        columns.append(Column(BLOC, "Khối", "text", 4, min_width=8))
    columns += [Column(TOTAL, "Điểm", "points", 0), Column(AWARD, "Hình thức", "text", 1, min_width=12)]
    for key, header, kind, priority in ((PRIZE, "Tiền thưởng", "money", 1), (LEVEL, "Cấp khen", "text", 4),
                                        (NOTE, "Ghi chú", "text", 3)):
        if key in frame and frame[key].astype(str).str.strip().replace({"0": "", "nan": "", "None": ""}).any():
            columns.append(Column(key, header, kind, priority, min_width=10 if kind == "text" else None))
    return TableView("", frame.reset_index(drop=True), columns, empty="Không có kỳ nào.")


def year_sections(rubric: Rubric, result: YearResult) -> list[tuple[str, list[ScreenSection]]]:
    """Every section of the year for the screen, grouped under its cadence's heading, in reading order."""
    groups: list[tuple[str, list[ScreenSection]]] = []
    for cadence in (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.CUTOFF, Cadence.YEAR_END):
        shown: list[ScreenSection] = []
        for section in result.of(cadence):
            shown += _screen_sections(rubric, section)
        if shown:
            groups.append((CADENCE_HEADINGS[cadence], shown))
    return groups


def _screen_sections(rubric: Rubric, section: Section) -> list[ScreenSection]:
    notes = [section.reading] if section.reading else []
    results = [o for o in section.outcomes if o.result is not None]
    if results and len(section.outcomes) == 1:  # runs once: the whole scheme, as any award list
        only = results[0]
        shown = award_section(only.result, heading=section.heading, period=only.period.key)
        shown.notes = notes + shown.notes
        return [shown]
    if results:
        return [ScreenSection(section.heading, table=winners_table(section), notes=notes)]
    out = []
    for bloc_id in dict.fromkeys(b for o in section.outcomes for b in o.tables):
        long = pd.concat([o.tables[bloc_id].assign(**{KY: o.period.key, TITLE: o.period.title})
                          for o in section.outcomes if bloc_id in o.tables], ignore_index=True)
        bloc = rubric.bloc(bloc_id)
        named = fold(bloc.label) in fold(section.heading)
        out.append(ScreenSection(section.heading if named else f"{section.heading} — {bloc.label}",
                                 table=ranks_by_period(bloc, long, "Hạng của từng đơn vị theo kỳ"), notes=notes))
    return out
