"""Drawing views with ``rich`` at the console's width.

Nothing printed is wider than the window: text wraps at word boundaries, numbers never wrap, and a table
too wide for the window first moves its movable columns (criteria points) to continuation tables that
repeat the unit column, then drops its least important columns and says which. The width is the terminal's,
or ``COLUMNS`` when the output is not a terminal (80 by default).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..rubric import Rubric
from ..vn import fmt_number
from . import numbers
from .model import Column, ItemList, Section, TableView, UnitDetail

FORMATS = ("table", "csv", "json")


def _console(file: object, width: int | None) -> Console:
    return Console(file=file, width=width, highlight=False, markup=False, emoji=False)  # type: ignore[arg-type]


class Screen:
    """Where a command's output goes.

    ``table``: everything for a person on stdout, warnings on stderr. ``csv``/``json``: only the data on
    stdout (never wrapped), every line for a person on stderr. ``quiet``: only the result and failures.
    """

    def __init__(self, fmt: str = "table", quiet: bool = False, width: int | None = None):
        self.format = fmt
        self.quiet = quiet
        self.out = _console(sys.stdout, width)
        self.err = _console(sys.stderr, width)

    @property
    def machine(self) -> bool:
        return self.format != "table"

    @property
    def width(self) -> int:
        return self.out.width

    @property
    def _people(self) -> Console:
        return self.err if self.machine else self.out

    # -- lines for a person -------------------------------------------------------------------------------
    # Status lines and warnings are printed whole (the terminal soft-wraps them): a path or a message naming
    # a unit, a column and a value stays on one line, to copy or search. Reports (tables, sections, notes)
    # are laid out to the window's width.
    def say(self, text: str, style: str | None = None) -> None:
        """A status line ("Đã ghi …", a summary): on stderr with csv/json; none with --quiet."""
        if not self.quiet:
            self._people.print(Text(text, style=style or ""), soft_wrap=True)

    def warn(self, text: str) -> None:
        """A warning (provisional points, unscored units): stderr, yellow; none with --quiet."""
        if not self.quiet:
            self.err.print(Text(text, style="yellow"), soft_wrap=True)

    def warn_items(self, items: ItemList) -> None:
        self.warn(items.title)
        for name, text in items.items:
            self.warn(f"  - {name}: {text}" if name else f"  - {text}")

    def note(self, text: str, style: str | None = None) -> None:
        """A paragraph of the report, wrapped to the window (none with --quiet)."""
        if not self.quiet:
            self.out.print(Text(text, style=style or ""))

    def data(self, text: str) -> None:
        """CSV or JSON on stdout, exactly as given (never wrapped), in UTF-8 whatever the console's code page."""
        text = text if text.endswith("\n") else text + "\n"
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None and (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()

    # -- tables and sections ------------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        self.out.print()
        self.out.print(Text(text, style="bold"))
        self.out.print(Text("─" * min(self.width, max(len(line) for line in text.splitlines() or [""])),
                            style="dim"))

    def table(self, view: TableView, *, chunk_title: str | None = None) -> None:
        """A table that fits the window (see the module docstring); its legend and notes under it."""
        out = self.out
        if view.title:
            out.print(Text(view.title, style="bold"))
        if view.frame.empty:
            out.print(Text(view.empty, style="italic"))
            return
        cells = _Cells(view)
        parts, dropped = _layout(cells, self.width, chunk_title or view.chunk_title)
        for k, (title, columns, widths) in enumerate(parts):
            if k:
                out.print()
                out.print(Text(title, style="bold"))
            out.print(_rich_table(cells, columns, widths))
        shown = [c for _, columns, _w in parts for c in columns]
        legend = [(c.header, c.legend) for c in shown if c.legend]
        if legend:
            _items(out, ItemList(f"{view.legend_title}:", legend), "", bullet=False)
        if dropped:
            names = ", ".join(c.header for c in dropped)
            out.print(Text(f"Không đủ chỗ cho cột {names} ở bề rộng {self.width} cột — mở rộng cửa sổ, hoặc xem "
                           "đủ bằng --format csv hay -o tệp.xlsx.", style="dim"))
        for note in view.notes:
            out.print(Text(note))

    def section(self, section: Section) -> None:
        self.heading(section.heading)
        if section.summary:
            self.out.print(Text(section.summary))
        if section.table is not None:
            self.table(section.table)
        for note in section.notes:
            self.out.print(Text(note))
        for items in section.lists:
            _items(self.out, items, items.style)

    def unit(self, detail: UnitDetail, figures: Sequence[tuple[str, str]] = ()) -> None:
        """One unit as a block: standing, points per criterion with the reason, the figures it was scored on."""
        self.heading(detail.unit)
        self.out.print(Text(" · ".join(detail.standing)))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")
        grid.add_column(justify="right", no_wrap=True)
        for short, label, points, why in detail.criteria:
            text = Text(label)
            if why:
                text.append("\n" + why, style="dim")
            grid.add_row(short, text, points)
        self.out.print(grid)
        if detail.verdict:
            self.out.print(Text(detail.verdict, style="bold"))
        if figures:
            _items(self.out, ItemList("Số liệu:", list(figures)), "", bullet=False)


def render_award_sections(screen: Screen, sections: Iterable[Section], heading: str | None = None) -> None:
    """Award results, one section each (a scheme, or a period's winners: monthly, quarterly, cut-off,
    year-end), under an optional common heading."""
    if heading:
        screen.out.print()
        screen.out.print(Text(heading.upper(), style="bold"))
    for section in sections:
        screen.section(section)


def render_plans(screen: Screen, rubrics: Iterable[Rubric]) -> None:
    """The plans, their blocs and the readings still to confirm, wrapped with hanging indents."""
    out = screen.out
    for r in rubrics:
        out.print(Text(f"{r.id}  —  {r.title} ({r.issuer}, {r.year})  [{r.version}]"))
        lines = [f"khối {b.id}: {b.label} — {len(b.criteria)} tiêu chí, thang {fmt_number(b.standard_total())} điểm"
                 for b in r.blocs]
        if r.provisional:
            lines.append(f"Điểm {r.provisional} (trọng số sửa ở sheet 'Trọng số').")
        for line in lines:
            _indented(out, line, 4)
        if r.assumptions:
            _indented(out, "Số liệu là giả định hoặc cách đọc (chưa có căn cứ chính thức):", 4)
            for line in r.assumptions:
                _indented(out, f"- {line}", 6, hang=2)


def render_overview(screen: Screen) -> None:
    """``thidua-xl`` alone: the commands in a few words, then the first steps."""
    from .overview import COMMANDS, FIRST_STEPS, TITLE

    screen.heading(TITLE)
    _items(screen.out, ItemList("Các lệnh (thidua-xl LỆNH …):", list(COMMANDS)), "", bullet=False)
    for line in FIRST_STEPS:
        screen.out.print()
        screen.out.print(Text(line))


# -- helpers ------------------------------------------------------------------------------------------------

def _indented(out: Console, text: str, indent: int, hang: int = 0) -> None:
    grid = Table.grid()
    grid.add_column(width=indent + hang, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(" " * indent + text[:hang], Text(text[hang:]))
    out.print(grid)


def _items(out: Console, items: ItemList, style: str, *, bullet: bool = True) -> None:
    """A titled list: "• name: text", wrapped under itself (hanging indent)."""
    out.print(Text(items.title, style=f"bold {style}".strip()))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(ratio=1, overflow="fold", style=style)
    for name, text in items.items:
        if bullet:
            grid.add_row("•", Text(f"{name}: {text}" if name else text))
        else:
            grid.add_row(Text(name, style="bold"), Text(text))
    out.print(grid)


GAP = 3        # between two columns: padding, the (blank) divider, padding
UNIT_WIDTH = 40  # a unit name up to this long never wraps: other columns give way or are dropped first


class _Cells:
    """A view's cells as printed, computed once, and the widths each column wants and can live with."""

    def __init__(self, view: TableView):
        self.view = view
        frame = view.frame
        self.text = {c.key: [numbers.cell(v, c.kind) for v in frame[c.key].tolist()] for c in view.columns}
        self.natural: dict[str, int] = {}
        self.least: dict[str, int] = {}
        for c in view.columns:
            values = [c.header, *self.text[c.key]]
            natural = max(cell_len(line) for v in values for line in (v.splitlines() or [""]))
            if c.numeric or c.kind == "movement":
                self.natural[c.key] = self.least[c.key] = natural
                continue
            word = max((cell_len(w) for v in values for w in v.split()), default=1)
            floor = min(natural, UNIT_WIDTH) if c.kind == "unit" else min(natural, c.min_width or 0)
            self.natural[c.key], self.least[c.key] = natural, max(word, floor)

    def widths(self, columns: Sequence[Column], width: int) -> list[int] | None:
        """Each column's width so that the table is at most ``width`` wide (the widest text columns give way
        first, the unit last, never below their longest word), or None when it cannot fit."""
        sizes = [self.natural[c.key] for c in columns]
        excess = sum(sizes) + GAP * (len(columns) - 1) - width
        while excess > 0:
            room = [i for i, c in enumerate(columns) if sizes[i] > self.least[c.key]]
            if not room:
                return None
            others = [i for i in room if columns[i].kind != "unit"] or room  # the unit gives way last
            widest = max(others, key=lambda i: sizes[i])
            sizes[widest] -= 1
            excess -= 1
        return sizes


def _rich_table(cells: _Cells, columns: Sequence[Column], widths: Sequence[int]) -> Table:
    view = cells.view
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold",
                  collapse_padding=False)
    for c, width in zip(columns, widths, strict=True):
        justify = "right" if c.numeric else ("center" if c.kind == "movement" else "left")
        table.add_column(c.header, justify=justify, no_wrap=c.numeric or c.kind == "movement", overflow="fold",
                         width=width, style="bold" if c.kind == "unit" else None)
    frame = view.frame
    marked = frame[view.highlight].astype(bool).tolist() if view.highlight in frame else [False] * len(frame)
    starts = frame[view.group_starts].astype(bool).tolist() if view.group_starts in frame else [False] * len(frame)
    for i in range(len(frame)):
        if starts[i] and i:
            table.add_section()
        table.add_row(*(cells.text[c.key][i] for c in columns), style="bold yellow" if marked[i] else None)
    return table


def _layout(cells: _Cells, width: int, chunk_title: str
            ) -> tuple[list[tuple[str, list[Column], list[int]]], list[Column]]:
    """The tables to draw (title, columns, widths) and the columns dropped for want of width."""
    view = cells.view
    columns = list(view.columns)
    widths = cells.widths(columns, width)
    if widths is not None:
        return [(view.title, columns, widths)], []
    fixed = [c for c in columns if not c.movable]
    movable = [c for c in columns if c.movable]
    dropped: list[Column] = []
    while (widths := cells.widths(fixed, width)) is None:
        optional = [c for c in fixed if c.priority > 0]
        if not optional:  # the unit and its total alone are wider than the window: let rich fold them
            widths = [max(1, (width - GAP * (len(fixed) - 1)) // len(fixed))] * len(fixed)
            break
        victim = max(optional, key=lambda c: (c.priority, fixed.index(c)))
        fixed.remove(victim)
        dropped.append(victim)
    parts = [(view.title, fixed, widths)]
    anchor = [c for c in fixed if c.kind == "unit"][:1]
    i = 0
    while i < len(movable):
        n, chunk_widths = 1, cells.widths(anchor + movable[i:i + 1], width)
        while i + n < len(movable) and (wider := cells.widths(anchor + movable[i:i + n + 1], width)) is not None:
            n, chunk_widths = n + 1, wider
        if chunk_widths is None:  # not even one criterion beside the unit: leave them to the per-unit view
            dropped.extend(movable[i:])
            break
        chunk = movable[i:i + n]
        span = chunk[0].header if n == 1 else f"{chunk[0].header}–{chunk[-1].header}"
        parts.append((f"{chunk_title} ({span})", anchor + chunk, chunk_widths))
        i += n
    return parts, dropped
