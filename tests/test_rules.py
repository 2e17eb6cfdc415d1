"""Each rule kind on the plans' own numbers, computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from thidua_xl.rules import Deductions, Event, RateScore, StepBonus, YesNo


def pts(rule, max_points, **cols):
    return rule.points({k: np.asarray(v, dtype=float) for k, v in cols.items()}, max_points).tolist()


def test_rate_with_full_marks_threshold_hau_giang_district():
    # Hậu Giang 2023 III.2.a: rate ≥ 90 % → 60; else rate × 60.
    rule = RateScore("r", full_at=0.9)
    assert pts(rule, 60, r=[0.95, 0.90, 0.842, 0.0]) == pytest.approx([60, 60, 0.842 * 60, 0])
    assert pytest.approx(50.52) == 0.842 * 60


def test_rate_relative_to_target_766():
    # 766: ≥ 80 % → max; below: rate / 80 % × max.
    rule = RateScore("r", full_at=0.8, relative_to_target=True)
    assert pts(rule, 2, r=[0.8, 0.4, 1.0]) == pytest.approx([2, 1, 2])


def test_rate_threshold_reached_despite_float_noise():
    assert pts(RateScore("r", full_at=0.9), 60, r=[0.1 * 9]) == [60]  # 0.9000000000000001
    assert pts(RateScore("r", full_at=0.9), 60, r=[0.8999999999999]) == [60]


def test_step_bonus_accounts_chau_thanh_a():
    # 1,732 accounts: 35 + ⌊232 / 100⌋ × 5 = 45; 1,499 → 0; exactly 1,500 → 35.
    rule = StepBonus("n", minimum=1500, step=100, per_step=5)
    assert pts(rule, 35, n=[1732, 1499, 1500, 1600, 3500]) == [45, 0, 35, 40, 135]


def test_step_bonus_with_penalty_below_minimum_procedures():
    # 0 procedures registered → −5; 1 → 15; 4 → 15 + 3 × 5 = 30.
    rule = StepBonus("n", minimum=1, step=1, per_step=5, below=-5)
    assert pts(rule, 15, n=[0, 1, 4]) == [-5, 15, 30]


def test_step_bonus_percentage_points_count_whole_points():
    # 98 % → 10; 99,5 % → 10 + 1 × 5; 100 % → 10 + 2 × 5; 97,9 % → 0.
    rule = StepBonus("r", minimum=0.98, step=0.01, per_step=5, is_rate=True)
    assert pts(rule, 10, r=[0.98, 0.995, 1.0, 0.979, 0.99]) == [10, 15, 20, 0, 15]


def test_yes_no():
    assert pts(YesNo("x"), 10, x=[1, 0]) == [10, 0]
    assert pts(YesNo("x", no=-5, yes=0), 0, x=[1, 0]) == [0, -5]


def test_deductions_two_reports_two_days_late_and_one_missing():
    rule = Deductions((Event("late", -2, "trễ 1–3 ngày"), Event("missing", -5, "quá 3 ngày/không báo cáo"),
                       Event("untrue", -2, "không trung thực")))
    assert pts(rule, 0, late=[2], missing=[1], untrue=[0]) == [-9]


def test_explanations_are_vietnamese_sentences():
    text = RateScore("r", full_at=0.9).explain({"r": 0.842}, 50.52, "Tỷ lệ hồ sơ trực tuyến", 60)
    assert text == "Tỷ lệ hồ sơ trực tuyến 84,2 % < 90 % → 0,842 × 60 = 50,52 điểm"
    text = StepBonus("n", 1500, 100, 5, unit=" tài khoản").explain({"n": 1732}, 45, "Tài khoản", 35)
    assert text == "Tài khoản 1.732 tài khoản ≥ 1.500 tài khoản → 35 + 2 × 5 = 45 điểm"
