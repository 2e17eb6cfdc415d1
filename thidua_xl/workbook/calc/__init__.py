"""A fast headless evaluator for the formulas the templates write (and the common ones around them).

Why not only the `formulas` package: it builds a graph node for every cell of the book, input cells
included (≈ 50 µs each), imports scipy on start, and its RANK.EQ re-reads the whole range for every
cell — a 1,000-unit template took 9 s to recalculate, LibreOffice 1.6 s. This evaluator reads the
cells openpyxl already loaded, parses each distinct formula shape once (a column of row formulas
shares one tree), evaluates an array formula once over its whole range, ranks by sorting, and lets
each THIDUA_* function score a bloc once per recalculation (:mod:`thidua_xl.once`).

It covers references, ranges, arithmetic, comparison and text operators and the functions in
:mod:`.functions`. A book using anything else (a defined name, a table reference, INDIRECT, VLOOKUP, a
date cell read by a formula …) raises :class:`Unsupported` and is evaluated by `formulas` instead, so
no book is refused and no value is guessed.
"""

from .book import evaluate_book
from .parse import Unsupported
from .rank import rank_eq

__all__ = ["Unsupported", "evaluate_book", "rank_eq"]
