"""thidua_xl — score, rank and award Vietnamese emulation campaigns ("phong trào thi đua").

The engine is plain Python on pandas DataFrames; Excel (xlwings) and headless
workbooks (openpyxl) are only doors into it.
"""

from .awards import allocate, award_plan
from .ranking import rank
from .rubric import Bloc, Criterion, Rubric
from .scoring import explain, score, score_plan
from .validation import InputError, Problem

__all__ = [
    "Bloc",
    "Criterion",
    "InputError",
    "Problem",
    "Rubric",
    "allocate",
    "award_plan",
    "explain",
    "rank",
    "score",
    "score_plan",
]
__version__ = "0.1.0"
