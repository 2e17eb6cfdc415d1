"""What is shown, independent of how it is drawn.

A :class:`TableView` is a frame of plain values plus columns that say how each is read (a score, money, a
rank, a movement "↑2"…); :class:`Section` is a heading with its one-line summary, table, notes and lists —
one award scheme, or one period's results (monthly winners, quarterly results, cut-off and year-end awards
each become a section; :func:`thidua_xl.terminal.render_award_sections` draws any list of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .numbers import NUMERIC, Kind


@dataclass(frozen=True)
class Column:
    """One column: the frame's key, its header, how its values read, and how much it matters.

    ``priority`` 0 columns are always shown (the unit); higher numbers are dropped first when the window is
    too narrow. ``legend`` is the full label of a shortened header ("TC3" → its criterion).
    """

    key: str
    header: str
    kind: Kind = "text"
    priority: int = 1
    legend: str = ""
    min_width: int | None = None
    movable: bool = False  # when the window is too narrow, moves to a table of its own (unit column repeated)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass
class TableView:
    """A table to show: plain values in ``frame``, one :class:`Column` per shown column."""

    title: str
    frame: pd.DataFrame
    columns: list[Column]
    notes: list[str] = field(default_factory=list)      # printed under the table, each wrapped
    highlight: str | None = None                        # a boolean column of ``frame``: rows to stand out
    legend_title: str = "Chú thích"
    group_starts: str | None = None                     # a boolean column of ``frame``: a rule above the row
    empty: str = "(không có đơn vị nào)"
    chunk_title: str = "Điểm từng tiêu chí"              # the title of movable columns moved to their own table


@dataclass
class ItemList:
    """A titled list of (name, text): units not considered with their reason, ties for the council…"""

    title: str
    items: list[tuple[str, str]]
    style: str = ""


@dataclass
class Section:
    """A heading, its one-line summary, an optional table, notes and lists — one award scheme or one period."""

    heading: str
    summary: str = ""
    table: TableView | None = None
    notes: list[str] = field(default_factory=list)
    lists: list[ItemList] = field(default_factory=list)
    period: str | None = None  # e.g. "2021-03" for a monthly result; None for the campaign as a whole


@dataclass
class UnitDetail:
    """One unit as a readable block: its standing, then each criterion's points and explanation."""

    unit: str
    standing: list[str]                          # "Tổng điểm 175,00", "Hạng 2", "Hạng Nhì — 7.000.000 đ" …
    criteria: list[tuple[str, str, str, str]]    # (short id, label, "10,00 / 10", explanation)
    verdict: str = ""
