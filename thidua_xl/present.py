"""Result tables with Vietnamese headers, shared by the CLI, the UDFs and the award sheet."""

from __future__ import annotations

import pandas as pd

from .awards import SchemeResult
from .columns import (
    AWARD,
    AWARD_RANK,
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
    REASON,
    TOTAL,
)
from .rubric import Bloc
from .validation import UNIT
from .vn import money_in_words

PRIZE_WORDS = "Tiền thưởng bằng chữ"


def _note(frame: pd.DataFrame) -> pd.Series:
    note = frame[NOTE] if NOTE in frame else pd.Series("", index=frame.index)
    fallback = frame[ERROR].where(frame[ERROR] != "", frame[REASON].where(~frame[ELIGIBLE].astype(bool), ""))
    return note.where(note != "", fallback)


def result_table(bloc: Bloc, frame: pd.DataFrame, *, criteria: bool = True) -> pd.DataFrame:
    """A bloc's scored/ranked/awarded frame as a readable table (Vietnamese headers)."""
    shown = [u or f"(dòng số liệu {i + 1})" for i, u in zip(frame.index, frame[UNIT].tolist(), strict=True)]
    cols: dict[str, object] = {HEADERS[UNIT]: pd.Series(shown, index=frame.index)}
    if bloc.group is not None and bloc.group.id in frame:
        cols[bloc.group.label] = frame[bloc.group.id]
    if criteria:
        for c in bloc.criteria:
            cols[c.label] = frame[c.id].round(2)
    cols[HEADERS[TOTAL]] = frame[TOTAL].round(2)
    if CLASS in frame:
        cols[HEADERS[CLASS]] = frame[CLASS]
    for key in (RANK, AWARD_RANK):
        if key in frame:
            cols[HEADERS[key]] = frame[key].astype("Int64")
    for key in (AWARD, LEVEL, PRIZE):
        if key in frame:
            cols[HEADERS[key]] = frame[key]
    if PRIZE in frame:  # the award decision writes the money in words too
        cols[PRIZE_WORDS] = frame[PRIZE].map(lambda v: money_in_words(v) if v else "")
    for key in (BONUS, INDIVIDUALS):
        if key in frame:
            cols[HEADERS[key]] = frame[key]
    if COUNCIL in frame:
        cols[HEADERS[COUNCIL]] = frame[COUNCIL].map(lambda v: "có" if v else "")
    cols[HEADERS[NOTE]] = _note(frame)
    return pd.DataFrame(cols).reset_index(drop=True)


def scheme_table(result: SchemeResult, bloc: Bloc) -> pd.DataFrame:
    """An award scheme's table: every unit with its award or the reason it has none."""
    return result_table(bloc, result.table, criteria=False)
