"""Views of the engine's results: which columns a person sees, in which order, with which words.

Builders only: they read the frames :mod:`thidua_xl.ranking` and :mod:`thidua_xl.awards` return and never
compute a score. Drawing is :mod:`.render`'s job; machine outputs are :mod:`.machine`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..awards import SchemeResult
from ..columns import (
    AWARD,
    AWARD_RANK,
    BLOC,
    BONUS,
    CLASS,
    COUNCIL,
    ELIGIBLE,
    ERROR,
    HEADERS,
    INDIVIDUALS,
    LEVEL,
    NOTE,
    PRIZE,
    RANK,
    RANK_NOTE,
    REASON,
    TOTAL,
)
from ..rubric import Bloc, Figure, Kind, Rubric
from ..validation import UNIT
from ..vn import fmt_money_full, fmt_number
from . import numbers
from .model import Column, ItemList, Section, TableView, UnitDetail

MOVEMENT = "bien_dong"   # a column "↑2", "↓1", "mới" a period comparison may add to a ranked frame
STATUS = "_xet_thuong"   # shown only: the award rank, or why there is none
COUNCIL_WORDS = "chờ Hội đồng quyết định"
NOT_CONSIDERED = "Không xét khen thưởng: "
SHORT = "TC"


def short_ids(bloc: Bloc) -> dict[str, str]:
    """Criterion id → its short header, "TC1", "TC2"… in the plan's order (the legend gives the label)."""
    return {c.id: f"{SHORT}{i}" for i, c in enumerate(bloc.criteria, start=1)}


def criterion_columns(bloc: Bloc, priority: int = 5) -> list[Column]:
    shorts = short_ids(bloc)
    return [Column(c.id, shorts[c.id], "points", priority,
                   legend=f"{c.label} (tối đa {fmt_number(c.max_points)} điểm)", movable=True)
            for c in bloc.criteria]


def unit_names(frame: pd.DataFrame) -> pd.Series:
    """Unit names as shown; a row without a name says which data row it is (the engine's frames keep the
    input's row number as their index, whatever order they are sorted in)."""
    names = frame[UNIT].fillna("").astype(str)
    rows = [i if isinstance(i, int | np.integer) else k for k, i in enumerate(frame.index)]
    return pd.Series([n or f"(dòng số liệu {r + 1})" for r, n in zip(rows, names, strict=True)], index=frame.index)


def _status(frame: pd.DataFrame) -> pd.Series:
    """The award rank, or "không xét" / "chưa chấm" (the reason is listed under the table)."""
    error = frame[ERROR].fillna("").astype(str) != "" if ERROR in frame else pd.Series(False, index=frame.index)
    eligible = frame[ELIGIBLE].astype(bool)
    ranked = frame[AWARD_RANK].map(numbers.count) if AWARD_RANK in frame else pd.Series("", index=frame.index)
    return ranked.where(eligible & ~error, np.where(error, "chưa chấm", "không xét"))


def _ranking_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame[RANK].fillna(np.inf) if RANK in frame else pd.Series(0, index=frame.index)
    return frame.assign(_o=order.to_numpy()).sort_values("_o", kind="stable").drop(columns="_o")


def reason_of(row: pd.Series) -> str:
    """Why a unit is not considered: its input error, its award note, or the gate it fails."""
    for key, prefix in ((ERROR, "Chưa chấm: "), (NOTE, ""), (REASON, "")):
        value = numbers.text(row.get(key))
        if value:
            value = value.removeprefix(NOT_CONSIDERED)
            return value if value.startswith(prefix) else prefix + value
    return ""


def not_considered(frame: pd.DataFrame, title: str = "Không được xét khen thưởng") -> ItemList | None:
    """Units with an input error, failing a gate or skipped by a cap, each with its reason."""
    names = unit_names(frame)
    empty = pd.Series("", index=frame.index)
    awarded = frame[AWARD].fillna("") != "" if AWARD in frame else empty != ""
    council = frame[COUNCIL].astype(bool) if COUNCIL in frame else empty != ""
    noted = frame[NOTE].fillna("") != "" if NOTE in frame else empty != ""
    error = frame[ERROR].fillna("") != "" if ERROR in frame else empty != ""
    out = (~frame[ELIGIBLE].astype(bool) | error | noted) & ~awarded & ~council
    items = [(names[i], reason_of(frame.loc[i])) for i in frame.index[out.to_numpy()]]
    items = [(name, why) for name, why in items if why]
    return ItemList(f"{title} ({len(items)})", items) if items else None


def ranking_section(rubric: Rubric, bloc: Bloc, frame: pd.DataFrame, *, criteria: bool = True,
                    reasons: bool = False, heading: str | None = None) -> Section:
    """A bloc's ranking: every unit, its place, total, class and (if they fit) its points per criterion."""
    shown = _ranking_order(frame)
    data = shown.assign(**{UNIT: unit_names(shown), STATUS: _status(shown)})
    columns = [Column(RANK, "Hạng", "rank", 1), Column(UNIT, bloc.unit_label if len(bloc.unit_label) < 14 else
                                                       HEADERS[UNIT], "unit", 0, min_width=14)]
    if MOVEMENT in data:
        columns.append(Column(MOVEMENT, "Biến động", "movement", 2))
    if bloc.group is not None and bloc.group.id in data:
        columns.append(Column(bloc.group.id, bloc.group.label, "text", 4, min_width=10))
    columns.append(Column(TOTAL, "Tổng điểm", "points", 0))
    if CLASS in data:
        columns.append(Column(CLASS, HEADERS[CLASS], "text", 1))
    columns.append(Column(STATUS, "Xét thưởng", "text", 2))
    if criteria:
        columns += criterion_columns(bloc)
    lists = []
    ties = [(n, numbers.text(t)) for n, t in zip(data[UNIT], data.get(RANK_NOTE, []), strict=False)
            if numbers.text(t)]
    if ties:
        lists.append(ItemList("Bằng điểm — cách phân định", ties))
    if reasons:
        out = not_considered(data)
        if out is not None:
            lists.append(out)
    table = TableView(f"Xếp hạng — {bloc.label} ({len(data)} đơn vị)", data.reset_index(drop=True), columns,
                      legend_title="Tiêu chí")
    return Section(heading or f"{bloc.label} — {rubric.title}", table=table, lists=lists)


def _award_rows(table: pd.DataFrame) -> pd.Series:
    considered = table[ELIGIBLE].astype(bool) & (table[NOTE].fillna("") == "")
    return (table[AWARD] != "") | table[COUNCIL].astype(bool) | (considered & (table[INDIVIDUALS] > 0))


def _tier_notes(table: pd.DataFrame) -> list[str]:
    """One line per tier actually given: its level and prize in figures and words (the decision's wording)."""
    notes = []
    given = table[table[AWARD] != ""]
    for (award, level, prize), _rows in given.groupby([AWARD, LEVEL, PRIZE], sort=False):
        money = f" — mỗi tập thể {fmt_money_full(prize)}" if prize else ""
        notes.append(f"{award}: {level}{money}." if level else f"{award}{money}.")
    return notes


def award_section(result: SchemeResult, group: Figure | None = None, *, heading: str | None = None,
                  period: str | None = None) -> Section:
    """One award scheme: the one-line summary, the units proposed (ties for the council highlighted), the
    tiers' levels and prizes, then the units not considered with their reason."""
    table = result.table
    rows = table[_award_rows(table)]
    data = rows.assign(**{UNIT: unit_names(rows),
                          AWARD: rows[AWARD].where(~rows[COUNCIL].astype(bool), COUNCIL_WORDS),
                          BONUS: rows[BONUS].where(rows[BONUS] != 0),            # blank, not "0,00"
                          INDIVIDUALS: rows[INDIVIDUALS].where(rows[INDIVIDUALS] != 0)})
    columns = [Column(AWARD_RANK, "Hạng", "rank", 1), Column(UNIT, HEADERS[UNIT], "unit", 0, min_width=14)]
    if MOVEMENT in data:
        columns.append(Column(MOVEMENT, "Biến động", "movement", 2))
    if BLOC in data:
        columns.append(Column(BLOC, "Khối", "text", 4, min_width=8))
    if group is not None and group.id in data:
        columns.append(Column(group.id, group.label, "text", 4, min_width=10))
    columns += [Column(TOTAL, "Điểm", "points", 0), Column(AWARD, "Hình thức", "text", 0, min_width=12)]
    if (table[PRIZE] > 0).any():
        columns.append(Column(PRIZE, "Tiền thưởng", "money", 1))
    if (table[BONUS] > 0).any():
        columns.append(Column(BONUS, "Điểm cộng", "points", 3))
    if (table[INDIVIDUALS] > 0).any():
        columns.append(Column(INDIVIDUALS, "Cá nhân", "count", 2))
    lists = []
    flagged = table[table[COUNCIL].astype(bool)]
    if not flagged.empty:
        notes = list(dict.fromkeys(flagged[NOTE].tolist()))
        lists.append(ItemList("Đồng hạng — chờ Hội đồng Thi đua – Khen thưởng quyết định", [("", n) for n in notes],
                              style="bold yellow"))
    out = not_considered(table)
    if out is not None:
        lists.append(out)
    others = int((table[ELIGIBLE].astype(bool) & ~_award_rows(table) & (table[NOTE].fillna("") == "")).sum())
    notes = _tier_notes(table)
    if others:
        notes.append(f"{others} đơn vị khác đủ điều kiện nhưng không đạt giải (xem bảng xếp hạng).")
    view = TableView("", data.reset_index(drop=True), columns, highlight=COUNCIL,
                     empty="Không có đơn vị nào được đề nghị khen thưởng.")
    return Section(heading or result.scheme.label, summary=result.summary(), table=view, notes=notes,
                   lists=lists, period=period)


def award_sections(rubric: Rubric, results: Iterable[SchemeResult]) -> list[Section]:
    """One section per scheme, in the plan's order."""
    sections = []
    for result in results:
        groups = {rubric.bloc(b).group for b in result.scheme.blocs}
        group = groups.pop() if len(groups) == 1 else None
        sections.append(award_section(result, group))
    return sections


def unit_detail(rubric: Rubric, bloc: Bloc, row: pd.Series, explanation: pd.DataFrame,
                awards: Sequence[SchemeResult] = ()) -> UnitDetail:
    """One unit's block: total, places, award, then each criterion's points out of its maximum and why."""
    name = numbers.text(row[UNIT]) or "(không tên)"
    standing = [f"Tổng điểm {numbers.points(row[TOTAL])}"]
    if numbers.text(row.get(CLASS)):
        standing.append(f"Xếp loại {row[CLASS]}")
    if not numbers.missing(row.get(RANK)):
        standing.append(f"Hạng {numbers.count(row[RANK])}")
    if not numbers.missing(row.get(AWARD_RANK)):
        standing.append(f"Hạng xét thưởng {numbers.count(row[AWARD_RANK])}")
    for result in awards:
        mine = result.table[result.table[UNIT] == row[UNIT]]
        if not mine.empty and mine[AWARD].iloc[0]:
            prize = mine[PRIZE].iloc[0]
            standing.append(f"{result.scheme.label}: {mine[AWARD].iloc[0]}"
                            + (f" — {numbers.money(prize)}" if prize else ""))
        elif not mine.empty and bool(mine[COUNCIL].iloc[0]):
            standing.append(f"{result.scheme.label}: {COUNCIL_WORDS}")
    shorts = short_ids(bloc)
    said = {t: g for t, g in zip(explanation["tieu_chi"], explanation["giai_thich"], strict=True)}
    criteria = []
    for c in bloc.criteria:
        text = said.get(c.label, "")
        text = text[len(c.label):].lstrip(" :") if text.startswith(c.label) else text
        criteria.append((shorts[c.id], c.label, f"{numbers.points(row[c.id])} / {fmt_number(c.max_points)}", text))
    verdict = said.get("Tổng điểm", "") or said.get("Lỗi số liệu", "")
    return UnitDetail(name, standing, criteria, verdict)


def whatif_view(table: pd.DataFrame) -> TableView:
    """``WhatIf.table()`` grouped by unit: the unit, its score and goal once, then one row per option."""
    first = table[HEADERS[UNIT]].ne(table[HEADERS[UNIT]].shift()).to_numpy()
    head = []
    for i, row in enumerate(table.itertuples(index=False)):
        if not first[i]:
            head.append("")
            continue
        values = dict(zip(table.columns, row, strict=True))
        place = numbers.count(values[HEADERS[AWARD_RANK]])
        line = f"{numbers.points(values[HEADERS[TOTAL]])} điểm" + (f", hạng {place}" if place else "")
        goal = numbers.text(values["Mục tiêu"])
        head.append("\n".join(p for p in (str(values[HEADERS[UNIT]]), line, goal) if p))
    data = table.assign(_don_vi=head, _nhom=first)
    columns = [Column("_don_vi", "Đơn vị — mục tiêu", "unit", 0, min_width=18),
               Column("Phương án", "#", "rank", 2), Column("Cần làm", "Cần làm", "text", 0, min_width=16),
               Column("Mức thay đổi (%)", "Thay đổi", "percent", 3),
               Column("Tổng điểm sau thay đổi", "Điểm sau", "points", 2)]
    return TableView("", data, columns, group_starts="_nhom")


def _figure_kind(bloc: Bloc, key: str) -> str:
    try:
        kind = bloc.figure(key).kind
    except KeyError:
        return "rate"  # derived figures (ratios, blends) are rates
    if kind == Kind.YES_NO:
        return "yes_no"
    return {Kind.RATE: "rate", Kind.COUNT: "count", Kind.NUMBER: "number"}.get(kind, "text")


def figure_lines(bloc: Bloc, row: pd.Series) -> list[tuple[str, str]]:
    """A unit's figures as a person reads them (rates in %, counts with dots), for the detail block."""
    out = []
    for key in bloc.known_columns:
        if key in row and not numbers.missing(row[key]):
            out.append((bloc.label_of(key), numbers.cell(row[key], _figure_kind(bloc, key))))
    return out

