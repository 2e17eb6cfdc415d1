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
from . import sheet_periods as sp
from .awards import allocate
from .columns import AWARD, CLASS, COUNCIL, ERROR, NOTE, TOTAL
from .once import shared
from .parsing import CellError, parse_threshold, weight_problem
from .periods import Cadence, PeriodError, check_runs_on, run_year, runs_on
from .ranges import UdfError, as_2d, as_column, cell_error, fit_cells, to_frame
from .ranking import competition_rank, rank
from .rubric import Blend, Bloc, Rubric
from .scoring import explain, explain_checked, prepare, score, score_checked, subunit_means, subunit_stats
from .validation import UNIT, Checked
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


def _plan_bloc(plan: object, bloc: object, weights: object = None) -> tuple[Rubric, Bloc]:
    """The plan and bloc a formula names, with the book's own weights table if it passes one."""
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    if not sp.absent(weights):
        rubric = read_weights(rubric, the_bloc, weights)
        the_bloc = rubric.bloc(the_bloc.id)
    return rubric, the_bloc


@shared  # one scoring per bloc within a recalculation (thidua_xl.once)
def _scored(plan: object, bloc: object, figures: object, headers: object, weights: object, period: object = None,
            subunits: object = None):
    """(rubric, bloc, engine input, scored table, rows of the caller's range, size of the range).

    A range kept by month ("Kỳ" column) is rolled up over ``period`` and gives one row per unit
    (:mod:`thidua_xl.sheet_periods`); the engine input is then the rolled-up :class:`Checked`. ``subunits``
    (the sub-unit bloc's range with its header row) fills a blank "bình quân các xã" column as the engine does."""
    rubric, the_bloc = _plan_bloc(plan, bloc, weights)
    long = sp.read_long(the_bloc, figures, headers)
    if long is not None:
        chosen = long.resolve(period)
        checked = sp.checked_for(rubric, long, chosen, sp.subunits_of(rubric, the_bloc, subunits))
        scored = score_checked(the_bloc, checked)
        scored.attrs["period"], scored.attrs["monthly"] = chosen, long.monthly
        return rubric, the_bloc, checked, scored, long.position(scored[UNIT]), len(long.units)
    sp.year_only(period)
    frame, kept, n = to_frame(the_bloc, figures, headers)
    sub = sp.yearly_subunits(rubric, the_bloc, subunits)
    if sub is not None:
        checked = prepare(rubric, the_bloc, frame, sub)[1]
        return rubric, the_bloc, checked, score_checked(the_bloc, checked), kept, n
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
                 weights: object = None, period: object = None, subunits: object = None) -> list[list[object]]:
    _, _, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights, period, subunits)
    totals, errors = scored[TOTAL].tolist(), scored[ERROR].tolist()
    values = [cell_error(e) if e else t for t, e in zip(totals, errors, strict=True)]
    return _spill(values, kept, n)


@excel_safe
def detail_values(plan: object, bloc: object, figures: object, headers: object = None,
                  weights: object = None, period: object = None, subunits: object = None) -> list[list[object]]:
    _, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights, period, subunits)
    width = len(the_bloc.criteria) + 1
    points = scored[[c.id for c in the_bloc.criteria] + [TOTAL]].to_numpy(dtype=float).tolist()  # one pass
    rows: list[object] = [[cell_error(e)] + [""] * (width - 1) if e else p
                          for p, e in zip(points, scored[ERROR].tolist(), strict=True)]
    return _spill(rows, kept, n, width)


@excel_safe
def explain_values(plan: object, bloc: object, figures: object, headers: object = None,
                   weights: object = None, period: object = None, subunits: object = None) -> list[list[object]]:
    """One sentence per criterion (a column each) and the verdict in the last column: a unit's whole
    explanation is longer than the 255 characters classic Excel allows in one UDF cell."""
    rubric, the_bloc, frame, _, kept, n = _scored(plan, bloc, figures, headers, weights, period, subunits)
    lines = (explain_checked(rubric, the_bloc, frame) if isinstance(frame, Checked)
             else explain(rubric, the_bloc, frame))
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
                 weights: object = None, period: object = None, subunits: object = None) -> list[list[object]]:
    rubric, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights, period, subunits)
    schemes = [s for s in rubric.schemes_for(the_bloc.id) if len(s.blocs) == 1]
    if not schemes:
        raise UdfError(f"Kế hoạch '{rubric.id}' không quy định khen thưởng cho khối '{the_bloc.label}'")
    ranked = rank(rubric, the_bloc, scored)
    period_of = scored.attrs.get("period")
    outcome = (allocate(rubric, schemes[0], ranked) if period_of is None
               else _in_period(rubric, the_bloc, schemes, period_of, ranked, scored.attrs["monthly"]))
    if isinstance(outcome, str):  # no scheme of the bloc runs on the period chosen: say when they run
        return _spill([outcome] * len(scored), kept, n)
    table = outcome.table.sort_index()
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


def _in_period(rubric: Rubric, bloc: Bloc, schemes: list, period: object, ranked: pd.DataFrame, monthly: object):
    """The bloc's scheme that runs on ``period`` (a cut-off scheme: the tiers of that date, units proposed at an
    earlier date left out, as :func:`~thidua_xl.periods.run_year` decides), or the sentence saying when the
    schemes run."""
    for scheme in schemes:
        if not runs_on(scheme, period):
            continue
        if scheme.period is Cadence.CUTOFF:
            sections = run_year(rubric, {bloc.id: monthly}, period.end.year).sections
            return next(s.outcomes[0].result for s in sections if s.source.id == f"{scheme.id}@{period.end.isoformat()}")
        return allocate(rubric, scheme, ranked)
    try:
        check_runs_on(schemes[0], period)
    except PeriodError as err:
        return str(err)
    return ""


@excel_safe
def class_values(plan: object, bloc: object, figures: object, headers: object = None,
                 weights: object = None, period: object = None, subunits: object = None) -> list[list[object]]:
    _, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights, period, subunits)
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
               weights: object = None, period: object = None, subunits: object = None) -> list[list[object]]:
    """What each unit needs for its target ('hang' by default, 'giai', 'dieu-kien' or a score): one sentence
    per unit, within one cell's 255 characters (:mod:`thidua_xl.whatif`)."""
    from .whatif import gaps_of, parse_target

    rubric, the_bloc, _, scored, kept, n = _scored(plan, bloc, figures, headers, weights, period, subunits)
    wanted = as_2d(target)[0][0] if isinstance(target, list | tuple) and as_2d(target) else target
    result = gaps_of(rubric, the_bloc, rank(rubric, the_bloc, scored).reset_index(drop=True),
                     parse_target(wanted))
    values = [cell_error(result.need.message[i]) if result.need.error[i] else result.sentence(i)
              for i in range(len(scored))]
    return _spill(values, kept, n)


@shared  # a huyện sheet asks once per row for the same xã figures
def _subunit_means(plan: object, bloc: object, figures: object, headers: object,
                   period: object = None) -> tuple[Bloc, pd.DataFrame]:
    """(sub-unit bloc, per-unit mean and "bad" flag) of the sub-units' figure; figures kept by month ("Kỳ"
    column) are rolled up over ``period`` first (a month: that month's rows)."""
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    blend = next((d for d in the_bloc.derived if isinstance(d, Blend)), None)
    if blend is None:
        raise UdfError(f"khối '{the_bloc.label}' không có chỉ tiêu bình quân các đơn vị trực thuộc")
    sub_bloc = rubric.bloc(blend.subunit_bloc)
    long = sp.read_long(sub_bloc, figures, headers)
    if long is not None:
        sub = sp.checked_for(rubric, long, long.resolve(period))
        bad = pd.Series(sub.frame.index.isin(list(sub.bad_rows)), index=sub.frame.index)
        stats = (subunit_means(sub.frame[blend.subunit_figure], sub.frame[sub_bloc.group.id], bad)
                 if sub_bloc.group is not None else None)
    else:
        sp.year_only(period)
        frame, _, _ = to_frame(sub_bloc, figures, headers)
        stats = subunit_stats(rubric, blend, frame)
    if stats is None:
        raise UdfError(f"khối '{sub_bloc.label}' không ghi đơn vị cấp trên nên không tính được bình quân")
    return sub_bloc, stats


@excel_safe
def subunit_mean_values(plan: object, bloc: object, units: object, figures: object,
                        headers: object = None, period: object = None) -> list[list[object]]:
    """Per unit of ``units``, the mean of its sub-units' figure (Hậu Giang: "bình quân các xã") over the
    sub-unit bloc's ``figures``, computed as the engine does: names matched whatever their Unicode
    composition or case, and no mean while one of the unit's sub-units has wrong figures. Sub-unit figures
    kept by month ("Kỳ" column) are rolled up over ``period`` first (a month: that month's rows)."""
    sub_bloc, stats = _subunit_means(plan, bloc, figures, headers, period)
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


def _long(plan: object, bloc: object, figures: object, headers: object, weights: object = None):
    rubric, the_bloc = _plan_bloc(plan, bloc, weights)
    long = sp.read_long(the_bloc, figures, headers)
    if long is None:
        raise UdfError("vùng số liệu không có cột 'Kỳ' (tháng của mỗi dòng, ví dụ 2021-03): hàm này dùng cho số "
                       "liệu theo tháng")
    return rubric, long


@excel_safe
def units_values(plan: object, bloc: object, figures: object, headers: object = None,
                 rows: object = None) -> list[list[object]]:
    """The units of a range kept by month, once each, in the order they first appear (and their group, for a
    bloc with one — Hậu Giang's huyện): the rows every period function of that range gives. ``rows``: how many
    the caller's range holds; with more units, its last row says so instead of the rest being cut silently."""
    _, long = _long(plan, bloc, figures, headers)
    out = ([[u] for u in long.units] if long.bloc.group is None
           else [[u, "" if g is None else g] for u, g in zip(long.units, long.groups, strict=True)])
    room = sp.capacity(rows)
    if room is not None and len(out) > room:
        message = cell_error(f"số liệu có {len(out)} đơn vị nhưng bảng chỉ có {room} dòng — các đơn vị từ "
                             f"'{long.units[room - 1]}' trở đi chưa hiện: tạo lại sổ từ mẫu (thidua-xl template "
                             "--theo-thang) với số liệu hiện có")
        out = out[:room - 1] + [[message] + [""] * (len(out[0]) - 1)]
    return out


@excel_safe
def periods_values(plan: object, bloc: object, figures: object, headers: object = None) -> list[list[object]]:
    """The periods a selector offers for a range kept by month: 'Cả năm', each month present, each quarter
    touched, year-to-date up to each month (a range without 'Kỳ': only 'Cả năm')."""
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    long = sp.read_long(the_bloc, figures, headers)
    if long is None:
        return [[sp.YEAR_CHOICE]]
    cutoffs = sorted({d for s in rubric.schemes_for(the_bloc.id) for d in s.cutoffs()})
    return [[c] for c in sp.choices(long.periods(), cutoffs)]


@excel_safe
def period_values(plan: object, bloc: object, figures: object, headers: object = None, periods: object = None,
                  what: object = None, weights: object = None, subunits: object = None) -> list[list[object]]:
    """Per unit (rows, as THIDUA_UNITS) and period (columns, one per cell of ``periods``; default every month
    present): the score ("diem"), the rank ("hang") or the movement since the period before ("thay-doi":
    ↑2, ↓1, =, mới). One period alone is compared with the month, quarter or year-to-date before it."""
    rubric, long = _long(plan, bloc, figures, headers, weights)
    chosen = sp.periods_of(long, periods)
    before = sp.previous(chosen[0]) if len(chosen) == 1 else None
    if before is not None and any(before.start <= m.end <= before.end for m in long.months()):
        return [[row[1]] for row in sp.trend(rubric, long, [before, chosen[0]], what, subunits)]
    return sp.trend(rubric, long, chosen, what, subunits)
