"""Worksheet functions =THIDUA_*: one set of definitions for classic xlwings and Office.js.

``xw.func``/``xw.arg`` register the functions with classic xlwings on Windows and,
with ``XLWINGS_ON_SERVER=true``, with xlwings Server's Office.js custom functions;
elsewhere they are plain Python functions (tests call them directly). The logic
is in :mod:`thidua_xl.sheet_functions`, shared with the headless recalculation.

(No ``from __future__ import annotations`` here: xlwings reads these signatures.)
"""

import xlwings as xw

from thidua_xl import sheet_functions as sf

PERIOD_DOC = ("Kỳ (số liệu theo tháng có cột Kỳ): \"Cả năm\" (mặc định), \"Tháng 3/2021\", \"Quý I/2021\", "
              "\"Lũy kế đến tháng 3/2021\" hoặc 2021-03")


SUBUNITS_DOC = ("Số liệu đơn vị trực thuộc kèm dòng tiêu đề (ví dụ sheet 'Số liệu xã' cho khối huyện): tính "
                "'bình quân các xã' khi cột đó để trống; không bắt buộc")


def bloc_function(f):
    """Register a per-unit function of (plan, bloc, figures, [headers], [weights], [period]) with its range
    arguments."""
    f = xw.arg("subunits", ndim=2, doc=SUBUNITS_DOC)(f)
    f = xw.arg("period", doc=PERIOD_DOC)(f)
    f = xw.arg("weights", ndim=2, doc="Bảng trọng số (mã tiêu chí, điểm chuẩn), không bắt buộc")(f)
    f = xw.arg("headers", ndim=2, doc="Dòng tiêu đề (tên cột theo Kế hoạch hoặc mã cột), không bắt buộc")(f)
    f = xw.arg("figures", ndim=2,
               doc="Vùng số liệu (mỗi dòng một đơn vị); dòng đầu là tiêu đề nếu không nhập headers")(f)
    f = xw.arg("bloc", doc="Mã hoặc tên khối thi đua, ví dụ \"xa\"")(f)
    f = xw.arg("plan", doc="Mã kế hoạch, ví dụ \"hau-giang-2023\" (xem =THIDUA_PLANS())")(f)
    return xw.func(f)


@xw.func
def thidua_plans():
    """Danh sách kế hoạch thi đua và các khối thi đua (mã và tên)."""
    return sf.plans()


@bloc_function
def thidua_score(plan, bloc, figures, headers=None, weights=None, period=None, subunits=None):
    """Tổng điểm thi đua của từng đơn vị (một dòng → một số; nhiều dòng → một cột)."""
    return sf.score_values(plan, bloc, figures, headers, weights, period, subunits)


@bloc_function
def thidua_detail(plan, bloc, figures, headers=None, weights=None, period=None, subunits=None):
    """Điểm từng tiêu chí của từng đơn vị (dòng = đơn vị, cột = tiêu chí, cột cuối = tổng)."""
    return sf.detail_values(plan, bloc, figures, headers, weights, period, subunits)


@bloc_function
def thidua_explain(plan, bloc, figures, headers=None, weights=None, period=None, subunits=None):
    """Giải thích bằng lời: mỗi tiêu chí một cột, cột cuối là kết luận (tổng điểm, đủ điều kiện hay không)."""
    return sf.explain_values(plan, bloc, figures, headers, weights, period, subunits)


@bloc_function
def thidua_award(plan, bloc, figures, headers=None, weights=None, period=None, subunits=None):
    """Hình thức khen thưởng của từng đơn vị theo Kế hoạch (hoặc lý do không được khen)."""
    return sf.award_values(plan, bloc, figures, headers, weights, period, subunits)


@bloc_function
def thidua_class(plan, bloc, figures, headers=None, weights=None, period=None, subunits=None):
    """Xếp loại (Xuất sắc / Tốt / Khá / Trung bình / Yếu) theo thang của Kế hoạch."""
    return sf.class_values(plan, bloc, figures, headers, weights, period, subunits)


@bloc_function
@xw.arg("target", doc="Mục tiêu: \"hang\" (mặc định), \"giai\", \"dieu-kien\" hoặc một số điểm, ví dụ 90")
def thidua_gap(plan, bloc, figures, headers=None, target=None, weights=None, period=None, subunits=None):
    """Cần gì để lên hạng: với mỗi đơn vị, thay đổi nhỏ nhất của một số liệu (hoặc hai) để đạt hạng kế trên, giải kế tiếp, điều kiện xét hoặc số điểm cho trước."""
    return sf.gap_values(plan, bloc, figures, headers, target, weights, period, subunits)


@xw.func
@xw.arg("scores", ndim=2, doc="Điểm cần xếp hạng (một ô hoặc một cột)")
@xw.arg("bloc_scores", ndim=2, doc="Điểm của cả khối (mặc định: chính scores)")
@xw.arg("tiebreak1", ndim=2, doc="Cột tiêu chí phụ thứ nhất khi bằng điểm (số lớn hơn xếp trên)")
@xw.arg("tiebreak2", ndim=2, doc="Cột tiêu chí phụ thứ hai khi vẫn bằng điểm")
def thidua_rank(scores, bloc_scores=None, tiebreak1=None, tiebreak2=None):
    """Xếp hạng như RANK.EQ (1, 2, 2, 4) trong khối, rồi phân định bằng điểm theo các cột tiêu chí phụ."""
    # Two optional tie-break columns rather than a variable list: xlwings does not allow optional and
    # variable-length arguments together, and no plan has more than one. (The docstring is Excel's
    # description of the function: Vietnamese, at most 255 characters.)
    return sf.rank_values(scores, bloc_scores, tiebreak1, tiebreak2)


@xw.func
@xw.arg("period", doc="Kỳ của dòng (số liệu xã theo tháng): ô Kỳ của dòng, ví dụ 2021-03")
@xw.arg("headers", ndim=2, doc="Dòng tiêu đề của vùng số liệu đơn vị trực thuộc, không bắt buộc")
@xw.arg("figures", ndim=2, doc="Vùng số liệu của khối đơn vị trực thuộc (ví dụ sheet 'Số liệu xã')")
@xw.arg("units", ndim=2, doc="Tên đơn vị cấp trên (một ô hoặc một cột)")
@xw.arg("bloc", doc="Mã khối cấp trên, ví dụ \"huyen\"")
@xw.arg("plan", doc="Mã kế hoạch, ví dụ \"hau-giang-2023\"")
def thidua_mean(plan, bloc, units, figures, headers=None, period=None):
    """Bình quân chỉ tiêu của các đơn vị trực thuộc (ví dụ bình quân các xã của huyện), tên khớp mọi kiểu gõ dấu."""
    return sf.subunit_mean_values(plan, bloc, units, figures, headers, period)


def _long_arguments(f):
    f = xw.arg("headers", ndim=2, doc="Dòng tiêu đề (có cột Kỳ), không bắt buộc")(f)
    f = xw.arg("figures", ndim=2, doc="Vùng số liệu theo tháng: mỗi dòng một đơn vị trong một tháng, có cột Kỳ")(f)
    f = xw.arg("bloc", doc="Mã hoặc tên khối thi đua, ví dụ \"xa\"")(f)
    f = xw.arg("plan", doc="Mã kế hoạch, ví dụ \"chau-thanh-a-2021\"")(f)
    return f


@xw.func
@xw.arg("rows", doc="Số dòng của vùng kết quả: nếu có nhiều đơn vị hơn, dòng cuối báo thiếu chỗ; không bắt buộc")
@_long_arguments
def thidua_units(plan, bloc, figures, headers=None, rows=None):
    """Các đơn vị của vùng số liệu theo tháng, mỗi đơn vị một dòng theo thứ tự xuất hiện (kèm cột nhóm nếu có)."""
    return sf.units_values(plan, bloc, figures, headers, rows)


@xw.func
@_long_arguments
def thidua_periods(plan, bloc, figures, headers=None):
    """Các kỳ chọn được: Cả năm, từng tháng có số liệu, từng quý, lũy kế đến từng tháng (danh sách cho ô chọn kỳ)."""
    return sf.periods_values(plan, bloc, figures, headers)


@xw.func
@xw.arg("subunits", ndim=2, doc=SUBUNITS_DOC)
@xw.arg("weights", ndim=2, doc="Bảng trọng số (mã tiêu chí, điểm chuẩn), không bắt buộc")
@xw.arg("what", doc="\"diem\" (mặc định), \"hang\" hoặc \"thay-doi\" (↑2, ↓1, =, mới so với kỳ trước)")
@xw.arg("periods", ndim=2, doc="Một ô kỳ hoặc một dòng các kỳ (mặc định: mọi tháng có số liệu)")
@_long_arguments
def thidua_trend(plan, bloc, figures, headers=None, periods=None, what=None, weights=None, subunits=None):
    """Theo dõi theo kỳ: mỗi đơn vị một dòng, mỗi kỳ một cột — điểm, hạng hoặc thay đổi hạng so với kỳ trước."""
    return sf.period_values(plan, bloc, figures, headers, periods, what, weights, subunits)


__all__ = ["thidua_award", "thidua_class", "thidua_detail", "thidua_explain", "thidua_gap", "thidua_mean",
           "thidua_periods", "thidua_plans", "thidua_rank", "thidua_score", "thidua_trend", "thidua_units"]
