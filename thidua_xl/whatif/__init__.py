"""What it takes: per unit, the smallest change of one figure (or two) that reaches the next rank, the next
prize, the gate it fails, or a given score.

    >>> from thidua_xl import example_data, rubrics
    >>> from thidua_xl.whatif import gaps
    >>> result = gaps(rubrics.get("hau-giang-2023"), "xa", example_data.load("hau-giang-2023")["xa"], "dieu-kien")
    >>> result.sentence(0)  # doctest: +SKIP

The engine (no I/O): :mod:`.levers` (what can change), :mod:`.targets` (what to reach), :mod:`.search`
(exact inverse, then bisection on the vectorised scorer), :mod:`.text` (sentences).
"""

from __future__ import annotations

from .result import Gaps, Option
from .run import gaps, gaps_of
from .targets import BAND, GATE, PRIZE, RANK, SCORE, Target, TargetError, parse_target

__all__ = ["BAND", "GATE", "PRIZE", "RANK", "SCORE", "Gaps", "Option", "Target", "TargetError", "gaps", "gaps_of",
           "parse_target"]
