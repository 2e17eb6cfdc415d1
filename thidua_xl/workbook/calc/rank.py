"""RANK.EQ / RANK over a whole column in O(n log n), for the headless evaluators.

The scoring sheets rank a column against itself (``RANK.EQ(total, total)``): the
`formulas` package re-reads the range for every cell, quadratic in rows. Here the
range is read once, its numbers sorted, and each rank is a binary search.

Semantics (Excel's, checked against LibreOffice in tests/test_rank_eq.py): the
range's numbers count, its blanks, texts and booleans do not; an error in the
range is the answer for every number (the first one, row by row); the number
itself: blank = 0, TRUE = 1, a text that reads as a number is that number, other
text #VALUE!, an error itself. Rank = 1 + how many are greater (order 0, the
default) or smaller (any other order). A number absent from the range is #N/A as
in Excel (LibreOffice ranks it when it falls between the smallest and the largest).
"""

from __future__ import annotations

import numpy as np

from .values import NA, Err, as_number


def _cells(value: object) -> list[object]:
    if isinstance(value, np.ndarray):
        return value.ravel().tolist()
    if isinstance(value, list | tuple):
        return [c for row in value for c in (row if isinstance(row, list | tuple) else [row])]
    return [value]


class Ranking:
    """A range read once: rank any number of values against it."""

    def __init__(self, ref: object, order: object = 0):
        cells = _cells(ref)
        self.error = next((c for c in cells if isinstance(c, Err)), None)
        direction = as_number(order)
        self.error = self.error or (direction if isinstance(direction, Err) else None)
        self.ascending = not isinstance(direction, Err) and direction != 0
        numbers = [float(c) for c in cells if isinstance(c, int | float) and not isinstance(c, bool)]
        self.sorted = np.sort(np.asarray(numbers, dtype=float))

    def rank(self, value: object) -> float | Err:
        number = as_number(value)
        if isinstance(number, Err):
            return number
        if self.error is not None:
            return self.error
        left = int(np.searchsorted(self.sorted, number, side="left"))
        if left == len(self.sorted) or self.sorted[left] != number:
            return NA
        if self.ascending:
            return float(left + 1)
        return float(len(self.sorted) - int(np.searchsorted(self.sorted, number, side="right")) + 1)


def rank_eq(number: object, ref: object, order: object = 0) -> object:
    """RANK.EQ(number, ref, [order]); ``number`` may be a 2-D array (an array formula): ranks of the same shape."""
    ranking = Ranking(ref, order)
    if isinstance(number, np.ndarray):
        return np.asarray(np.frompyfunc(ranking.rank, 1, 1)(number), dtype=object)
    if isinstance(number, list | tuple):
        return [[ranking.rank(v) for v in (row if isinstance(row, list | tuple) else [row])] for row in number]
    return ranking.rank(number)
