"""Periods engine: the "Kỳ" column, roll-ups against a plain reference, cadences, messages."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua_xl import example_data, rubrics
from thidua_xl.awards import award_plan
from thidua_xl.columns import ERROR, TOTAL
from thidua_xl.periods import (
    Cadence,
    Period,
    PeriodError,
    month,
    parse_period,
    quarter,
    read_cell,
    rollup,
    runs_on,
    score_period,
    to_date,
    to_month,
    year,
)
from thidua_xl.rubric import How
from thidua_xl.scoring import score
from thidua_xl.validation import InputError

HG = rubrics.get("hau-giang-2023")
CTA = rubrics.get("chau-thanh-a-2021")


@pytest.mark.parametrize("text", ["2021-03", "2021-3", "2021/03", "03/2021", "3-2021", "T3/2021", "t03/2021",
                                  "Tháng 3/2021", "tháng 03 năm 2021", "THANG 3/2021", "2021-03-31",
                                  date(2021, 3, 1)])
def test_month_spellings(text):
    assert read_cell(text) == (2021 * 12 + 2, date(2021, 3, 31))


def test_a_date_inside_a_month_is_a_dated_row():
    assert read_cell("15/12/2023") == read_cell("2023-12-15") == (2023 * 12 + 11, date(2023, 12, 15))


@pytest.mark.parametrize("text", ["13/2021", "2021-00", "Q1/2021", "2021", "tháng ba", "", "31/02/2021"])
def test_not_a_month(text):
    assert read_cell(text) is None


def test_period_forms():
    assert [parse_period(t).title for t in ("2021-03", "2021-Q1", "2021-q4", "2021", "..2021-03", "..2023-11-30")] \
        == ["Tháng 3/2021", "Quý I/2021", "Quý IV/2021", "Năm 2021", "Lũy kế đến tháng 3/2021",
            "Số liệu đến ngày 30/11/2023"]
    with pytest.raises(PeriodError, match="2021-Q1"):
        parse_period("quý 5")


def test_bad_ky_names_unit_column_and_value_and_takes_the_unit_out_of_every_period():
    rows = pd.DataFrame([
        {"Kỳ": "2021-01", "Đơn vị": "Xã A", "co_ke_hoach": "có", "so_thu_tuc_dang_ky": 1, "so_tai_khoan": 1500,
         "so_ho_so_truc_tuyen": 200, "ty_le_giai_quyet": "98%", "bao_cao_tre_1_3_ngay": 0,
         "bao_cao_tre_qua_3_ngay": 0, "bao_cao_khong_trung_thuc": 0}])
    rows = pd.concat([rows, rows.assign(**{"Kỳ": "13/2021"}), rows.assign(**{"Đơn vị": "Xã B"})], ignore_index=True)
    table = score_period(CTA, "xa", rows, "2021").set_index("don_vi")
    assert "Đơn vị 'Xã A', cột 'Kỳ': '13/2021' không phải một tháng" in table.loc["Xã A", ERROR]
    assert np.isnan(table.loc["Xã A", TOTAL]) and table.loc["Xã B", TOTAL] == 100


def test_a_bad_cell_names_its_month_and_spoils_only_periods_that_include_it():
    rows = pd.DataFrame([
        {"Kỳ": f"2021-0{m}", "Đơn vị": "Xã A", "co_ke_hoach": "có", "so_thu_tuc_dang_ky": 1, "so_tai_khoan": 800,
         "so_ho_so_truc_tuyen": 100 if m != 2 else "mười", "ty_le_giai_quyet": "98%", "bao_cao_tre_1_3_ngay": 0,
         "bao_cao_tre_qua_3_ngay": 0, "bao_cao_khong_trung_thuc": 0} for m in (1, 2, 3)])
    feb = score_period(CTA, "xa", rows, "..2021-02").iloc[0]
    assert feb[ERROR].startswith("Kỳ 2021-02: Đơn vị 'Xã A', cột 'Số hồ sơ DVCTT mức độ 3, 4 tiếp nhận'")
    assert "'mười'" in feb[ERROR]
    assert score_period(CTA, "xa", rows, "2021-01").iloc[0][ERROR] == ""
    assert score_period(CTA, "xa", rows, "2021-03").iloc[0][TOTAL] == 10 + 15 + 0 + 0 + 10


def test_a_unit_twice_in_one_month_is_refused_but_twelve_months_are_expected():
    rows = example_data.load("chau-thanh-a-2021", months=True)["xa"]
    doubled = pd.concat([rows, rows[rows["Kỳ"] == "2021-05"].head(1)], ignore_index=True)
    errors = score_period(CTA, "xa", doubled, "2021").set_index("don_vi")[ERROR]
    assert "bị trùng tên" in errors.iloc[0] and "Kỳ 2021-05" in errors.iloc[0]
    assert (errors.iloc[1:] == "").all()


def test_a_table_without_ky_is_refused_for_periods():
    with pytest.raises(InputError, match="không có cột 'Kỳ'"):
        rollup(CTA, "xa", example_data.load("chau-thanh-a-2021")["xa"], "2021")


# --- roll-ups against a plain reference ----------------------------------------------------------------------
def _reference(rubric, bloc, months: pd.DataFrame) -> pd.DataFrame:
    """The year's table written the slow, obvious way: per unit, each figure by its declared rule."""
    rows = []
    for name, part in months.groupby("Đơn vị", sort=False):
        part = part.sort_values("Kỳ")
        row = {"Đơn vị": name}
        if bloc.group is not None:
            row[bloc.group.id] = part[bloc.group.id].iloc[-1]
        for f in bloc.figures:
            if f.id not in part:
                continue
            values = part[f.id].tolist()
            row[f.id] = {How.SUM: sum, How.LAST: lambda v: v[-1], How.MAX: max,
                         How.MEAN: lambda v: sum(v) / len(v), How.ANY: lambda v: "có" if "có" in v else "không",
                         }[f.roll.how](values)
        rows.append(row)
    return pd.DataFrame(rows)


counts = st.integers(min_value=0, max_value=400)


@st.composite
def hg_months(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    k = draw(st.integers(min_value=1, max_value=12))
    rows = []
    for u in range(n):
        people = draw(st.integers(min_value=5000, max_value=9000))
        for m in range(1, k + 1):
            total = draw(counts)
            rows.append({"Kỳ": f"2023-{m:02d}", "Đơn vị": f"Xã {u}", "huyen": "Huyện Phụng Hiệp",
                         "ho_so_phat_sinh": total + 1, "ho_so_truc_tuyen": draw(st.integers(0, total + 1)),
                         "tai_khoan_dinh_danh": draw(st.integers(0, 400)),
                         "nguoi_co_cccd": people + 10 * m})
    return pd.DataFrame(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hg_months())
def test_rolling_up_months_of_counts_scores_like_the_years_summed_counts(months):
    # Hậu Giang xã: dossier counts summed (the online rate recomputed from the sums), people with an ID card the
    # last month's stock; the e-ID rate Σ accounts ÷ stock.
    bloc = HG.bloc("xa")
    rolled = score_period(HG, bloc, months, "2023").set_index("don_vi")
    plain = score(HG, bloc, _reference(HG, bloc, months)).set_index("don_vi")
    assert rolled[TOTAL].to_dict() == plain[TOTAL].to_dict(), (rolled[[TOTAL, ERROR]], plain[[TOTAL, ERROR]])
    assert rolled["ty_le_truc_tuyen"].round(12).to_dict() == plain["ty_le_truc_tuyen"].round(12).to_dict()


@st.composite
def cta_months(draw):
    rows = []
    for u in range(draw(st.integers(1, 5))):
        rate = draw(st.integers(9500, 10000)) / 100
        for m in range(1, 13):
            rows.append({"Kỳ": f"2021-{m:02d}", "Đơn vị": f"Xã {u}", "co_ke_hoach": "có",
                         "so_thu_tuc_dang_ky": draw(st.integers(0, 8)), "so_tai_khoan": draw(st.integers(0, 300)),
                         "so_ho_so_truc_tuyen": draw(st.integers(0, 40)), "ty_le_giai_quyet": rate,
                         "bao_cao_tre_1_3_ngay": draw(st.integers(0, 1)), "bao_cao_tre_qua_3_ngay": 0,
                         "bao_cao_khong_trung_thuc": draw(st.integers(0, 1))})
    return pd.DataFrame(rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cta_months())
def test_twelve_months_of_cta_counts_score_like_the_year(months):
    bloc = CTA.bloc("xa")
    rolled = score_period(CTA, bloc, months, "2021").set_index("don_vi")[TOTAL]
    plain = score(CTA, bloc, _reference(CTA, bloc, months)).set_index("don_vi")[TOTAL]
    assert rolled.to_dict() == plain.to_dict()


def test_every_example_plan_rolls_up_to_its_yearly_example():
    for plan in rubrics.available():
        rubric = rubrics.get(plan)
        yearly, monthly = example_data.load(plan), example_data.load(plan, months=True)
        result = award_plan(rubric, yearly)
        for bloc in rubric.blocs:
            sub = next((d.subunit_bloc for d in bloc.derived if hasattr(d, "subunit_bloc")), None)
            rolled = score_period(rubric, bloc, monthly[bloc.id], str(rubric.year), monthly.get(sub) if sub else None)
            expected = result.blocs[bloc.id].set_index("don_vi")[TOTAL]
            assert rolled.set_index("don_vi")[TOTAL].to_dict() == expected.to_dict(), (plan, bloc.id)


# --- cadences ------------------------------------------------------------------------------------------------
periods = st.one_of(
    st.builds(month, st.integers(2020, 2025), st.integers(1, 12)),
    st.builds(quarter, st.integers(2020, 2025), st.integers(1, 4)),
    st.builds(year, st.integers(2020, 2025)),
    st.builds(to_month, st.integers(2020, 2025), st.integers(1, 12)),
    st.builds(to_date, st.dates(date(2020, 1, 1), date(2025, 12, 31))),
)
SCHEMES = [s for r in rubrics.all_rubrics() for s in (*r.awards, *r.reviews)]


@given(periods)
def test_a_monthly_scheme_never_runs_on_a_year_and_a_year_end_scheme_never_on_a_month(period: Period):
    for scheme in SCHEMES:
        ran = runs_on(scheme, period)
        if scheme.period is Cadence.MONTHLY:
            assert ran == (period.span.name in ("MONTH", "TO_MONTH"))
        if scheme.period is Cadence.YEAR_END:
            assert ran == (period.span.name == "YEAR")
        if scheme.period is Cadence.CUTOFF:
            assert ran == (period.end in scheme.cutoffs() and period.span.name in ("TO_DATE", "TO_MONTH"))
        if scheme.period is Cadence.QUARTERLY:
            assert ran == (period.span.name == "QUARTER" or (period.span.name == "TO_MONTH"
                                                               and period.end.month % 3 == 0))


@given(periods)
@settings(max_examples=25, deadline=None)
def test_award_plan_allocates_only_the_schemes_of_the_period(period: Period):
    figures = example_data.load("chau-thanh-a-2021")
    ran = set(award_plan(CTA, figures, period=period).schemes)
    monthly = {s.id for s in CTA.awards if s.period is Cadence.MONTHLY}
    if period.span.name == "YEAR":
        assert ran == {s.id for s in CTA.awards} - monthly
    elif period.span.name in ("MONTH", "TO_MONTH"):
        assert ran == monthly
    else:
        assert ran == set()


def test_a_typed_rate_with_its_counts_is_recomputed_from_the_summed_counts():
    from thidua_xl.rubric import Bloc, Criterion, Figure, Kind, RateScore, RollUp, Rubric

    # Online rate typed each month, with the month's counts: January 10/10 (100 %), February 0/90 (0 %).
    # Mean of the months would say 50 %; Σ online ÷ Σ dossiers = 10/100 = 10 % → 0.1 × 100 = 10 points.
    bloc = Bloc("xa", "Xã", figures=(
        Figure("truc_tuyen", "Trực tuyến", Kind.COUNT), Figure("ho_so", "Hồ sơ", Kind.COUNT),
        Figure("ty_le", "Tỷ lệ", Kind.RATE, rollup=RollUp(How.RATIO, "truc_tuyen", "ho_so"))),
        criteria=(Criterion("tl", "Tỷ lệ", 100, RateScore("ty_le"), clause="—"),))
    rubric = Rubric("thu", "Thử", "—", 2023, "—", (bloc,))
    rows = pd.DataFrame([{"Kỳ": "2023-01", "Đơn vị": "Xã A", "truc_tuyen": 10, "ho_so": 10, "ty_le": "100%"},
                         {"Kỳ": "2023-02", "Đơn vị": "Xã A", "truc_tuyen": 0, "ho_so": 90, "ty_le": "0%"}])
    from thidua_xl.periods import read_monthly

    monthly = read_monthly(bloc, rows)
    before = monthly.frame.copy()
    assert score_period(rubric, bloc, monthly, "2023").iloc[0][TOTAL] == 10
    assert score_period(rubric, bloc, monthly, "2023-01").iloc[0][TOTAL] == 100
    pd.testing.assert_frame_equal(monthly.frame, before)  # scoring a period never changes the rows


def test_the_periods_a_selector_offers():
    from thidua_xl.periods import read_monthly

    monthly = read_monthly(CTA.bloc("xa"), example_data.load("chau-thanh-a-2021", months=True)["xa"])
    keys = [p.key for p in monthly.periods()]
    assert keys[:12] == [f"2021-{m:02d}" for m in range(1, 13)]
    assert keys[12:17] == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021"]
    assert keys[17:] == [f"..2021-{m:02d}" for m in range(1, 13)]


def test_diff_plan_names_a_roll_up_and_a_cut_off_change():
    from dataclasses import replace

    from thidua_xl.plans.diff import report
    from thidua_xl.rubric import RollUp

    ph = rubrics.get("phung-hiep-2023")
    xa = ph.bloc("xa")
    summed = tuple(replace(f, rollup=RollUp(How.SUM)) if f.id == "ho_so_tre_han_thang_cao_nhat" else f
                   for f in xa.figures)
    text = report(ph, replace(ph, blocs=(replace(xa, figures=summed), ph.blocs[1])))
    assert "Cộng dồn theo kỳ 'Số hồ sơ DVCTT trễ hẹn trong tháng nhiều nhất': lớn nhất" in text
    assert "→ cộng dồn" in text and "không đổi" not in text
    np_ = rubrics.get("ninh-phuoc-2023")
    first = np_.awards[0]
    moved = replace(first, tiers=(replace(first.tiers[0], cutoff=date(2023, 11, 25)), first.tiers[1]))
    assert "ngày chốt: 30/11/2023 → 25/11/2023" in report(np_, replace(np_, awards=(moved, np_.awards[1])))
