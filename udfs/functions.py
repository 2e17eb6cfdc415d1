"""Worksheet functions =THIDUA_*: one set of definitions for classic xlwings and Office.js.

``xw.func``/``xw.arg`` register the functions with classic xlwings on Windows and,
with ``XLWINGS_ON_SERVER=true``, with xlwings Server's Office.js custom functions;
elsewhere they are plain Python functions (tests call them directly).
Every function is array-first (a whole column of units is one call) and never
raises into Excel: a problem comes back as "#THIDUA: …" text in the cell.

(No ``from __future__ import annotations`` here: xlwings reads these signatures.)
"""

import functools
import math

import numpy as np
import pandas as pd
import xlwings as xw

from thidua_xl import rubrics
from thidua_xl.awards import allocate
from thidua_xl.columns import AWARD, CLASS, COUNCIL, ERROR, NOTE, TOTAL
from thidua_xl.ranking import competition_rank, rank
from thidua_xl.scoring import explain, score
from udfs.convert import UdfError, as_2d, as_column, cell_error, to_frame


def excel_safe(f):
    """Turn any exception into a '#THIDUA: …' cell text; never a traceback in Excel."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except (UdfError, KeyError, ValueError, TypeError) as err:
            message = err.args[0] if isinstance(err, KeyError) and err.args else err
            return [[cell_error(message)]]
        except Exception as err:  # pragma: no cover - last resort, still no crash in Excel
            return [[cell_error(f"lỗi không mong đợi ({type(err).__name__}): {err}")]]

    return wrapper


def bloc_function(f):
    """Register a per-unit function of (plan, bloc, figures, [headers]) with its range arguments."""
    f = excel_safe(f)
    f = xw.arg("headers", ndim=2, doc="Dòng tiêu đề (tên cột theo Kế hoạch hoặc mã cột), không bắt buộc")(f)
    f = xw.arg("figures", ndim=2,
               doc="Vùng số liệu (mỗi dòng một đơn vị); dòng đầu là tiêu đề nếu không nhập headers")(f)
    return xw.func(f)


def _scored(plan, bloc, figures, headers):
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    frame, kept, n = to_frame(the_bloc, figures, headers)
    return rubric, the_bloc, score(rubric, the_bloc, frame), kept, n


def _spill(values, kept, n, blank=""):
    """Place per-unit values back on the caller's rows (blank rows stay blank)."""
    out = [[blank] for _ in range(n)]
    for position, value in zip(kept, values, strict=True):
        out[position] = value if isinstance(value, list) else [value]
    return out


def _number(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


@xw.func
def thidua_plans():
    """Danh sách kế hoạch thi đua và các khối thi đua (mã và tên)."""
    rows = [["Mã kế hoạch", "Tên kế hoạch", "Mã khối", "Khối thi đua", "Số tiêu chí", "Phiên bản"]]
    for r in rubrics.all_rubrics():
        for b in r.blocs:
            rows.append([r.id, r.title, b.id, b.label, len(b.criteria), r.version])
    return rows


@bloc_function
def thidua_score(plan, bloc, figures, headers=None):
    """Tổng điểm thi đua của từng đơn vị (một dòng → một số; nhiều dòng → một cột)."""
    _, _, scored, kept, n = _scored(plan, bloc, figures, headers)
    values = [cell_error(e) if e else float(t) for t, e in zip(scored[TOTAL], scored[ERROR], strict=True)]
    return _spill(values, kept, n)


@bloc_function
def thidua_detail(plan, bloc, figures, headers=None):
    """Điểm từng tiêu chí của từng đơn vị (một khối: dòng = đơn vị, cột = tiêu chí, cột cuối = tổng)."""
    _, the_bloc, scored, kept, n = _scored(plan, bloc, figures, headers)
    width = len(the_bloc.criteria) + 1
    values = []
    for i in range(len(scored)):
        if scored[ERROR].iloc[i]:
            values.append([cell_error(scored[ERROR].iloc[i])] + [""] * (width - 1))
        else:
            values.append([float(scored[c.id].iloc[i]) for c in the_bloc.criteria] + [float(scored[TOTAL].iloc[i])])
    out = [[""] * width for _ in range(n)]
    for position, row in zip(kept, values, strict=True):
        out[position] = row
    return out


@bloc_function
def thidua_explain(plan, bloc, figures, headers=None):
    """Giải thích bằng lời cách tính điểm từng tiêu chí của từng đơn vị."""
    rubric = rubrics.get(str(plan))
    the_bloc = rubric.bloc(str(bloc))
    frame, kept, n = to_frame(the_bloc, figures, headers)
    lines = explain(rubric, the_bloc, frame)
    by_row = lines.groupby("dong", sort=True)["giai_thich"].apply("\n".join)
    return _spill(by_row.tolist(), kept, n)


@bloc_function
def thidua_award(plan, bloc, figures, headers=None):
    """Hình thức khen thưởng của từng đơn vị theo Kế hoạch (hoặc lý do không được khen)."""
    rubric, the_bloc, scored, kept, n = _scored(plan, bloc, figures, headers)
    schemes = [s for s in rubric.schemes_for(the_bloc.id) if len(s.blocs) == 1]
    if not schemes:
        raise UdfError(f"Kế hoạch '{rubric.id}' không quy định khen thưởng cho khối '{the_bloc.label}'")
    table = allocate(rubric, schemes[0], rank(rubric, the_bloc, scored)).table.sort_index()
    values = []
    for i in table.index:
        if table.at[i, ERROR]:
            values.append(cell_error(table.at[i, ERROR]))
        elif table.at[i, COUNCIL]:
            values.append(f"Chờ Hội đồng quyết định — {table.at[i, NOTE]}")
        else:
            values.append(table.at[i, AWARD] or table.at[i, NOTE] or "Không đạt giải")
    return _spill(values, kept, n)


@bloc_function
def thidua_class(plan, bloc, figures, headers=None):
    """Xếp loại (Xuất sắc / Tốt / Khá / Trung bình / Yếu) theo thang của Kế hoạch."""
    _, the_bloc, scored, kept, n = _scored(plan, bloc, figures, headers)
    if the_bloc.bands is None:
        raise UdfError(f"khối '{the_bloc.label}' không có thang xếp loại")
    values = [cell_error(e) if e else c for c, e in zip(scored[CLASS], scored[ERROR], strict=True)]
    return _spill(values, kept, n)


@xw.func
@xw.arg("scores", ndim=2, doc="Điểm cần xếp hạng (một ô hoặc một cột)")
@xw.arg("bloc_scores", ndim=2, doc="Điểm của cả khối (mặc định: chính scores)")
@xw.arg("tiebreak1", ndim=2, doc="Cột tiêu chí phụ thứ nhất khi bằng điểm (số lớn hơn xếp trên)")
@xw.arg("tiebreak2", ndim=2, doc="Cột tiêu chí phụ thứ hai khi vẫn bằng điểm")
@excel_safe
def thidua_rank(scores, bloc_scores=None, tiebreak1=None, tiebreak2=None):
    """Xếp hạng như RANK.EQ (1, 2, 2, 4) trong khối, rồi phân định bằng điểm theo các cột tiêu chí phụ.

    (Two optional tie-break columns rather than a variable list: xlwings does not allow
    optional and variable-length arguments together, and no plan has more than one.)
    """
    tiebreaks = (tiebreak1, tiebreak2)
    mine = [_number(v) if not isinstance(v, str) else None for v in as_column(scores)]
    pool = mine if bloc_scores is None else [_number(v) if not isinstance(v, str) else None
                                            for v in as_column(bloc_scores)]
    extra = [as_column(t) for t in tiebreaks if t is not None and as_2d(t)]
    for t in extra:
        if len(t) != len(pool):
            raise UdfError(f"cột tiêu chí phụ có {len(t)} ô, vùng điểm có {len(pool)} ô")
    valid = [i for i, v in enumerate(pool) if v is not None]

    keys = pd.DataFrame({"t": [pool[i] for i in valid]})
    for k, t in enumerate(extra):
        keys[f"b{k}"] = [(_number(t[i]) if not isinstance(t[i], str) else None) for i in valid]
    keys = keys.round(6).fillna(-np.inf)
    ranks = competition_rank(keys)
    same_range = bloc_scores is None or len(mine) == len(pool)
    out = []
    for i, v in enumerate(mine):
        if v is None:
            out.append([""])
        elif same_range and extra and pool[i] == v:
            out.append([int(ranks[valid.index(i)])])
        else:
            out.append([1 + sum(1 for p in pool if p is not None and round(p, 6) > round(v, 6))])
    return out


__all__ = ["thidua_award", "thidua_class", "thidua_detail", "thidua_explain", "thidua_plans", "thidua_rank",
           "thidua_score"]
