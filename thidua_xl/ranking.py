"""Ranking inside a bloc: Excel RANK.EQ on totals, then the plan's tie-breaks.

Two ranks are given. ``hang`` is the plain RANK.EQ of every scored unit
(1, 2, 2, 4). ``hang_xet_thuong`` ranks only eligible units and applies the
ordered tie-breaks; a tie that no tie-break resolves stays shared and is
flagged for the council (DESIGN.md §4). A tie-break figure missing for a unit
leaves its tie unresolved rather than guessing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .columns import AWARD_RANK, ELIGIBLE, RANK, RANK_NOTE, TIED, TOTAL
from .rubric import Bloc, Rubric, TieBreak
from .validation import UNIT
from .vn import fmt_number

_ROUND = 6


def rank_eq(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Excel RANK.EQ (descending): 1 + number of strictly greater values; NaN → NaN."""
    arr = np.round(np.asarray(values, dtype=float), _ROUND)
    return pd.Series(arr).rank(method="min", ascending=False).to_numpy()


def competition_rank(keys: pd.DataFrame) -> np.ndarray:
    """Competition rank on lexicographic keys, all "higher is better" (1, 2, 2, 4)."""
    if keys.empty:
        return np.array([], dtype=float)
    cols = list(keys.columns)
    ordered = keys.sort_values(cols, ascending=False, kind="stable")
    new_group = ordered.ne(ordered.shift()).any(axis=1).to_numpy()
    positions = np.arange(1, len(ordered) + 1, dtype=float)
    ranks = pd.Series(np.where(new_group, positions, np.nan)).ffill().to_numpy()
    return pd.Series(ranks, index=ordered.index).reindex(keys.index).to_numpy()


def _tiebreak_keys(frame: pd.DataFrame, tiebreaks: Sequence[TieBreak]) -> pd.DataFrame:
    keys = pd.DataFrame({"_total": np.round(frame[TOTAL].to_numpy(dtype=float), _ROUND)}, index=frame.index)
    for i, tb in enumerate(tiebreaks):
        values = frame[tb.figure].astype(float) if tb.figure in frame else pd.Series(np.nan, index=frame.index)
        signed = np.round(values if tb.higher_is_better else -values, _ROUND)
        prior = list(keys.columns)
        group = keys.groupby(prior, sort=False)[prior[0]]
        missing_in_group = keys.assign(_v=signed).groupby(prior, sort=False)["_v"].transform("count") < \
            group.transform("size")
        keys[f"_tb{i}"] = signed.where(~missing_in_group, 0.0).fillna(0.0)
    return keys


def rank(rubric: Rubric, bloc: Bloc | str, scored: pd.DataFrame,
         tiebreaks: Sequence[TieBreak] | None = None) -> pd.DataFrame:
    """Add ``hang``, ``hang_xet_thuong``, ``dong_hang`` and a note to a scored bloc."""
    bloc = bloc if isinstance(bloc, Bloc) else rubric.bloc(bloc)
    tiebreaks = bloc.tiebreaks if tiebreaks is None else tiebreaks
    out = scored.copy()
    out[RANK] = rank_eq(out[TOTAL])
    eligible = out[ELIGIBLE].astype(bool) & out[TOTAL].notna()
    pool = out[eligible]
    keys = _tiebreak_keys(pool, tiebreaks)
    award_rank = pd.Series(np.nan, index=out.index)
    award_rank[pool.index] = competition_rank(keys)
    out[AWARD_RANK] = award_rank.to_numpy()
    counts = award_rank.map(award_rank.value_counts())
    out[TIED] = (counts > 1).to_numpy()
    out[RANK_NOTE] = _notes(out, pool, keys, tiebreaks)
    return out


NAMES_SHOWN = 10  # a note names at most this many peers, then counts the rest (a cell holds 32,767 characters)


def name_list(names: Sequence[object], total: int | None = None, limit: int = NAMES_SHOWN) -> str:
    """"A, B, C" — or "A, B, … và 99.990 đơn vị khác" past ``limit`` names (of ``total``, default all given),
    so a note stays short whatever the size of a tie (and building every unit's note stays linear)."""
    shown = list(names[:limit])
    rest = (len(names) if total is None else total) - len(shown)
    text = ", ".join(str(n) for n in shown)
    return f"{text} và {fmt_number(rest, 0)} đơn vị khác" if rest > 0 else text


def _notes(out: pd.DataFrame, pool: pd.DataFrame, keys: pd.DataFrame,
           tiebreaks: Sequence[TieBreak]) -> list[str]:
    """One note per unit sharing its total with others: who with, and whether the tie-breaks separated them.

    Linear in the pool: units are grouped once by total, and each note names at most :data:`NAMES_SHOWN`
    peers (the first ones of the group in table order, the unit itself left out)."""
    notes = np.full(len(out), "", dtype=object)
    if pool.empty:
        return notes.tolist()
    used = "; ".join(tb.label for tb in tiebreaks) or "—"
    # Positional arrays: a label lookup per tied unit (.at, .loc) costs more than the note itself.
    names = out[UNIT].to_numpy(dtype=object)
    tied = out[TIED].to_numpy(dtype=bool)
    where = out.index.get_indexer(keys.index)

    def note(total: str, peers: str, council: bool) -> str:
        if council:
            return (f"Bằng {total} điểm với {peers}; tiêu chí phụ chưa phân định được "
                    "— đề nghị Hội đồng Thi đua – Khen thưởng quyết định.")
        return f"Bằng {total} điểm với {peers}; phân định theo: {used}."

    for value, members in keys.groupby("_total", sort=False).indices.items():
        if len(members) < 2:
            continue
        total = fmt_number(value)  # once per group
        rows = where[members]  # table order
        head = rows[:NAMES_SHOWN + 1]
        head_names = names[head].tolist()
        # Units past the head all name the same first peers: their two possible notes are built once.
        rest = rows[NAMES_SHOWN + 1:]
        if len(rest):
            peers = name_list(head_names[:NAMES_SHOWN], len(rows) - 1)
            council = tied[rest]
            notes[rest[council]] = note(total, peers, True)
            notes[rest[~council]] = note(total, peers, False)
        texts = [str(n) for n in head_names]
        small = len(rows) <= NAMES_SHOWN + 1  # every peer is named: a plain join (what name_list gives)
        for j, row in enumerate(head.tolist()):
            others = texts[:j] + texts[j + 1:]
            peers = ", ".join(others) if small else name_list(others, len(rows) - 1)
            notes[row] = note(total, peers, bool(tied[row]))
    return notes.tolist()
    used = "; ".join(tb.label for tb in tiebreaks) or "—"
    names = out[UNIT]
    tied = out[TIED]

    def note(total: float, peers: str, council: bool) -> str:
        if council:
            return (f"Bằng {fmt_number(total)} điểm với {peers}; tiêu chí phụ chưa phân định được "
                    "— đề nghị Hội đồng Thi đua – Khen thưởng quyết định.")
        return f"Bằng {fmt_number(total)} điểm với {peers}; phân định theo: {used}."

    written: dict[object, str] = {}
    for total, members in keys.groupby("_total", sort=False).groups.items():
        if len(members) < 2:
            continue
        head = list(members[:NAMES_SHOWN + 1])
        head_names = [names.at[m] for m in head]
        # Units past the head all name the same first peers: their two possible notes are built once.
        rest = members[NAMES_SHOWN + 1:]
        if len(rest):
            peers = name_list(head_names[:NAMES_SHOWN], len(members) - 1)
            council = tied.loc[rest].to_numpy(dtype=bool)
            notes.loc[rest[council]] = note(total, peers, True)
            notes.loc[rest[~council]] = note(total, peers, False)
        for idx in head:
            peers = name_list([n for m, n in zip(head, head_names, strict=True) if m != idx], len(members) - 1)
            written[idx] = note(total, peers, bool(tied.at[idx]))
    if written:  # one assignment for all the head notes (a per-unit .at costs more than the note itself)
        notes.loc[list(written)] = list(written.values())
    return notes.tolist()
