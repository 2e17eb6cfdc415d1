"""The worksheet functions' logic, with Excel-shaped inputs and outputs (2-D lists).

Shared by the xlwings UDFs (``udfs.functions``) and the headless recalculation
(:mod:`thidua_xl.workbook.recalc`), so a workbook gives the same values in
Excel and without it. Every function is array-first and never raises: a
problem comes back as "#THIDUA: …" text in the cell.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from . import rubrics
from .awards import allocate
from .columns import AWARD, CLASS, COUNCIL, ERROR, NOTE, TOTAL
from .once import shared
from .parsing import CellError, parse_threshold, weight_problem
from .ranges import UdfError, as_2d, as_column, cell_error, fit_cells, to_frame
from .ranking import competition_rank, rank
from .rubric import Blend, Bloc, Rubric
from .scoring import explain, score, subunit_stats
from .vn import fold


def excel_safe(f: Callable[..., list[list[object]]]) -> Callable[..., list[list[object]]]:
    """Turn any exception into a '#THIDUA: …' cell text, never a traceback in Excel; and keep every text
    within the classic-Excel cell limit (one code path for classic, Office.js and headless recalc)."""

    @functools.wraps(f)
    def wrapper(*args: object, **kwargs: object) -> list[list[object]]:
        try:
            return fit_cells(f(*args, **kwargs))
        except (UdfError, KeyError, ValueError, TypeError) as err:
            message = err.args[0] if isinstance(err, KeyError) and err.args else err
            return [[cell_error(message)]]
        except Exception as err:  # pragma: no cover - last resort, still no crash in Excel
            return [[cell_error(f"lỗi không mong đợi ({type(err).__name__}): {err}")]]

    return wrapper


def read_weights(rubric: Rubric, bloc: Bloc, weights: object) -> Rubric:
    """Apply a 2-column weights range (criterion id or label, điểm chuẩn); header/blank rows skipped."""
    rows = as_2d(weights)
    if not rows:
        return rubric
    keys = {fold(c.id): c.id for c in bloc.criteria} | {fold(c.label): c.id for c in bloc.criteria}
    table: dict[str, float] = {}
    thresholds: dict[str, float] = {}
    bands: dict[str, float] = {}
    for row in rows:
        if len(row) >= 9 and isinstance(row[7], str) and row[7].strip():  # H:I: a classification cut-off
            if isinstance(row[8], bool) or not isinstance(row[8], int | float):
                raise UdfError(f"mức điểm của loại '{row[7]}' phải là số (giá trị '{row[8]}')")
            bands[row[7].strip()] = float(row[8])
        if len(row) < 2 or row[0] is None or fold(row[0]) not in keys:
            continue
        value = row[1]
        problem = weight_problem(value)
        if problem:
            raise UdfError(f"trọng số của tiêu chí '{row[0]}' {problem} (giá trị '{value}')")
        table[keys[fold(row[0])]] = float(value)
        if len(row) >= 5:  # the weights sheet's 5th column: the full-marks threshold of a rate criterion
            try:
                threshold = parse_threshold(row[4])
            except CellError as err:
                raise UdfError(f"tiêu chí '{row[0]}': {err.reason}") from err
            if threshold is not None:
                thresholds[keys[fold(row[0])]] = threshold
    if not table:
        raise UdfError("vùng trọng số không có mã tiêu chí nào của khối này")
    return rubric.with_weights(bloc.id, table, thresholds, bands)


@shared  # one scoring per bloc within a recalculation (thidua_xl.once)
def _scored(plan: object, bloc: object, figures: object, headers: object, weights: object):
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    if weights is not None:
        rubric = read_weights(rubric, the_bloc, weights)
        the_bloc = rubric.bloc(the_bloc.id)
    frame, kept, n = to_frame(the_bloc, figures, headers)
    return rubric, the_bloc, frame, score(rubric, the_bloc, frame), kept, n


def _spill(values: list[object], kept: list[int], n: int, width: int = 1) -> list[list[object]]:
    """Place per-unit values back on the caller's rows (blank rows stay blank)."""
    out: list[list[object]] = [[""] * width for _ in range(n)]
    for position, value in zip(kept, values, strict=True):
        out[position] = value if isinstance(value, list) else [value]
    return out


def _number(value: object) -> float | None:
    if value is None or isinstance(value, str | bool):
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def plans() -> list[list[object]]:
    rows: list[list[object]] = [["Mã kế hoạch", "Tên kế hoạch", "Mã khối", "Khối thi đua", "Số tiêu chí",
                                 "Phiên bản"]]
    for r in rubrics.all_rubrics():
        for b in r.blocs:
            rows.append([r.id, r.title, b.id, b.label, len(b.criteria), r.version])
    return rows


@excel_safe
def score_values(plan: object, bloc: object, figures: object, headers: object = None,
                 weights: object = None) -> list[list[object]]:
    _, _, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights)
    totals, errors = scored[TOTAL].tolist(), scored[ERROR].tolist()
    values = [cell_error(e) if e else t for t, e in zip(totals, errors, strict=True)]
    return _spill(values, kept, n)


@excel_safe
def detail_values(plan: object, bloc: object, figures: object, headers: object = None,
                  weights: object = None) -> list[list[object]]:
    _, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights)
    width = len(the_bloc.criteria) + 1
    rows: list[object] = []
    errors = scored[ERROR].tolist()
    columns = [scored[c.id].tolist() for c in the_bloc.criteria] + [scored[TOTAL].tolist()]
    for i in range(len(scored)):
        if errors[i]:
            rows.append([cell_error(errors[i])] + [""] * (width - 1))
        else:
            rows.append([float(column[i]) for column in columns])
    return _spill(rows, kept, n, width)


@excel_safe
def explain_values(plan: object, bloc: object, figures: object, headers: object = None,
                   weights: object = None) -> list[list[object]]:
    """One sentence per criterion (a column each) and the verdict in the last column: a unit's whole
    explanation is longer than the 255 characters classic Excel allows in one UDF cell."""
    rubric, the_bloc, frame, _, kept, n = _scored(plan, bloc, figures, headers, weights)
    lines = explain(rubric, the_bloc, frame)
    width = len(the_bloc.criteria) + 1
    rows: list[object] = []
    for _, unit_lines in lines.groupby("dong", sort=True):
        texts = unit_lines["giai_thich"].tolist()
        if len(texts) == 1:  # an input error: the message, then blanks
            texts = [cell_error(texts[0])] + [""] * (width - 1)
        rows.append(texts)
    return _spill(rows, kept, n, width)


@excel_safe
def award_values(plan: object, bloc: object, figures: object, headers: object = None,
                 weights: object = None) -> list[list[object]]:
    rubric, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights)
    schemes = [s for s in rubric.schemes_for(the_bloc.id) if len(s.blocs) == 1]
    if not schemes:
        raise UdfError(f"Kế hoạch '{rubric.id}' không quy định khen thưởng cho khối '{the_bloc.label}'")
    table = allocate(rubric, schemes[0], rank(rubric, the_bloc, scored)).table.sort_index()
    values: list[object] = []
    for error, council, note, award in zip(*(table[c].tolist() for c in (ERROR, COUNCIL, NOTE, AWARD)),
                                           strict=True):
        if error:
            values.append(cell_error(error))
        elif council:
            values.append(f"Chờ Hội đồng quyết định — {note}")
        else:
            values.append(award or note or "Không đạt giải")
    return _spill(values, kept, n)


@excel_safe
def class_values(plan: object, bloc: object, figures: object, headers: object = None,
                 weights: object = None) -> list[list[object]]:
    _, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights)
    if the_bloc.bands is None:
        raise UdfError(f"khối '{the_bloc.label}' không có thang xếp loại")
    values = [cell_error(e) if e else c for c, e in zip(scored[CLASS], scored[ERROR], strict=True)]
    return _spill(values, kept, n)


@excel_safe
def rank_values(scores: object, bloc_scores: object = None, tiebreak1: object = None,
                tiebreak2: object = None) -> list[list[object]]:
    """RANK.EQ (1, 2, 2, 4) within the bloc, then the tie-break columns (higher is better)."""
    mine = [_number(v) for v in as_column(scores)]
    pool = mine if bloc_scores is None else [_number(v) for v in as_column(bloc_scores)]
    extra = [as_column(t) for t in (tiebreak1, tiebreak2) if t is not None and as_2d(t)]
    for t in extra:
        if len(t) != len(pool):
            raise UdfError(f"cột tiêu chí phụ có {len(t)} ô, vùng điểm có {len(pool)} ô")
    valid = [i for i, v in enumerate(pool) if v is not None]
    keys = pd.DataFrame({"t": [pool[i] for i in valid]}, dtype=float)
    for k, t in enumerate(extra):
        keys[f"b{k}"] = pd.Series([_number(t[i]) for i in valid], dtype=float)
    ranks = competition_rank(keys.round(6).fillna(-np.inf))
    position = {i: p for p, i in enumerate(valid)}
    same_range = bloc_scores is None or len(mine) == len(pool)
    # RANK.EQ = 1 + how many pool scores are strictly greater: one sort, then a binary search per score
    # (O(n log n); counting the greater ones score by score took minutes on 20,000 scores).
    import bisect

    ordered = sorted(round(pool[i], 6) for i in valid)
    out: list[list[object]] = []
    for i, v in enumerate(mine):
        if v is None:
            out.append([""])
        elif same_range and extra and pool[i] == v:
            out.append([int(ranks[position[i]])])
        else:
            out.append([1 + len(ordered) - bisect.bisect_right(ordered, round(v, 6))])
    return out


@excel_safe
def gap_values(plan: object, bloc: object, figures: object, headers: object = None, target: object = None,
               weights: object = None) -> list[list[object]]:
    """What each unit needs for its target ('hang' by default, 'giai', 'dieu-kien' or a score): one sentence
    per unit, within one cell's 255 characters (:mod:`thidua_xl.whatif`)."""
    from .whatif import gaps_of, parse_target

    rubric, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights)
    wanted = as_2d(target)[0][0] if isinstance(target, list | tuple) and as_2d(target) else target
    result = gaps_of(rubric, the_bloc, rank(rubric, the_bloc, scored).reset_index(drop=True),
                     parse_target(wanted))
    values = [cell_error(result.need.message[i]) if result.need.error[i] else result.sentence(i)
              for i in range(len(scored))]
    return _spill(values, kept, n)


@shared  # a huyện sheet asks once per row for the same xã figures
def _subunit_means(plan: object, bloc: object, figures: object, headers: object) -> tuple[Bloc, pd.DataFrame]:
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    blend = next((d for d in the_bloc.derived if isinstance(d, Blend)), None)
    if blend is None:
        raise UdfError(f"khối '{the_bloc.label}' không có chỉ tiêu bình quân các đơn vị trực thuộc")
    sub_bloc = rubric.bloc(blend.subunit_bloc)
    frame, _, _ = to_frame(sub_bloc, figures, headers)
    stats = subunit_stats(rubric, blend, frame)
    if stats is None:
        raise UdfError(f"khối '{sub_bloc.label}' không ghi đơn vị cấp trên nên không tính được bình quân")
    return sub_bloc, stats


@excel_safe
def subunit_mean_values(plan: object, bloc: object, units: object, figures: object,
                        headers: object = None) -> list[list[object]]:
    """Per unit of ``units``, the mean of its sub-units' figure (Hậu Giang: "bình quân các xã") over the
    sub-unit bloc's ``figures``, computed as the engine does: names matched whatever their Unicode
    composition or case, and no mean while one of the unit's sub-units has wrong figures."""
    sub_bloc, stats = _subunit_means(plan, bloc, figures, headers)
    out: list[list[object]] = []
    for name in as_column(units):
        key = fold(name) if name not in (None, "") else None
        if key is None or key not in stats.index:
            out.append([""])
        elif stats.at[key, "bad"]:
            out.append([cell_error(f"có {sub_bloc.label.lower()} trực thuộc '{name}' bị lỗi số liệu — sửa số liệu "
                                   f"khối {sub_bloc.label} trước")])
        else:
            out.append([float(stats.at[key, "mean"])])
    return out
