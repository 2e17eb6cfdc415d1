"""What it takes (thidua_xl.whatif): every suggestion re-scored through the real scorer, ranking and awards.

Property tests over the five plans' example blocs: applying a suggested change reaches the target; the same
change less one step (one dossier, one account, 0,01 point of rate) does not; a figure not suggested cannot
reach it alone even at its furthest value. Golden cases worked by hand from the plans' rules.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl import example_data, rubrics
from thidua_xl.awards import allocate
from thidua_xl.columns import AWARD, AWARD_RANK, CLASS, ELIGIBLE, TOTAL
from thidua_xl.ranking import rank
from thidua_xl.rubric import Blend
from thidua_xl.rules import Deductions, Event, RateScore, StepBonus, YesNo
from thidua_xl.scoring import score
from thidua_xl.validation import UNIT
from thidua_xl.whatif import Target, TargetError, gaps
from thidua_xl.whatif.search import Grid

BLOCS = [(plan, b.id) for plan in rubrics.available() for b in rubrics.get(plan).blocs]


def _subunits(plan: str, bloc_id: str) -> pd.DataFrame | None:
    bloc = rubrics.get(plan).bloc(bloc_id)
    blend = next((d for d in bloc.derived if isinstance(d, Blend)), None)
    return example_data.load(plan)[blend.subunit_bloc] if blend else None


def _by_id(bloc, ranked: pd.DataFrame) -> pd.DataFrame:
    """The figures as typed, by figure id (rates as fractions), read back from the scored frame."""
    cols = [UNIT] + ([bloc.group.id] if bloc.group is not None else []) + list(bloc.figure_ids)
    figures = ranked[cols].copy().astype(object)
    scored = ranked[TOTAL].notna()
    for f in bloc.figures:  # a scored unit's empty "may not apply" figure was typed "không áp dụng"
        if getattr(f, "may_not_apply", False) and f.id in figures:
            figures.loc[scored & figures[f.id].isna(), f.id] = "không áp dụng"
    return figures


def _rescored(rubric, bloc, figures: pd.DataFrame) -> pd.DataFrame:
    return rank(rubric, bloc, score(rubric, bloc, figures)).reset_index(drop=True)


def _award_index(rubric, bloc, ranked: pd.DataFrame, i: int) -> int:
    """The unit's tier (0 = best); a unit without a tier, or with a band, counts below every tier."""
    schemes = [s for s in rubric.schemes_for(bloc.id) if len(s.blocs) == 1]
    if schemes:
        names = [t.name for t in schemes[0].tiers]
        award = allocate(rubric, schemes[0], ranked).table.sort_index()[AWARD].iloc[i]
        return names.index(award) if award in names else len(names)
    names = [name for _, name in bloc.bands.bands]
    return names.index(ranked[CLASS].iloc[i])


def _reaches(rubric, bloc, result, i: int, figures: pd.DataFrame) -> bool:
    """Does unit ``i`` reach its target once ``figures`` are re-scored from scratch?"""
    after = _rescored(rubric, bloc, figures)
    aim, need = result.need.aim[i], result.need
    if aim == "dieu-kien":
        return bool(after[ELIGIBLE].iloc[i])
    if aim == "diem":
        return bool(round(after[TOTAL].iloc[i], 6) >= round(result.target.score, 6))
    if aim == "hang":
        j = need.rival[i]
        mine, theirs = after[AWARD_RANK].iloc[i], after[AWARD_RANK].iloc[j]
        return bool(after[ELIGIBLE].iloc[i] and mine < theirs)
    before = _award_index(rubric, bloc, result.ranked, i)
    return bool(after[ELIGIBLE].iloc[i] or aim == "xep-loai") and _award_index(rubric, bloc, after, i) < before


def _changed(base: pd.DataFrame, i: int, values: dict[str, float]) -> pd.DataFrame:
    frame = base.copy()
    for column, value in values.items():
        frame.loc[i, column] = value
    return frame


def _targets(plan: str, bloc_id: str) -> list[object]:
    ranked = _rescored(rubrics.get(plan), rubrics.get(plan).bloc(bloc_id), example_data.load(plan)[bloc_id]) \
        if _subunits(plan, bloc_id) is None else None
    middle = 90.0 if ranked is None else float(np.nanmedian(ranked[TOTAL])) + 3
    return ["hang", "giai", "dieu-kien", round(middle, 2)]


@pytest.mark.parametrize(("plan", "bloc_id"), BLOCS)
def test_every_suggestion_reaches_its_target_and_one_step_less_does_not(plan, bloc_id):
    rubric = rubrics.get(plan)
    bloc = rubric.bloc(bloc_id)
    rng = np.random.default_rng(sum(map(ord, plan + bloc_id)))
    checked = 0
    for target in _targets(plan, bloc_id):
        try:
            result = gaps(rubric, bloc, example_data.load(plan)[bloc_id], target, subunits=_subunits(plan, bloc_id))
        except TargetError as err:  # a bloc with neither prizes nor bands
            assert target == "giai" and "không có giải thưởng hay xếp loại" in str(err)
            continue
        base = _by_id(bloc, result.ranked)
        assert np.allclose(_rescored(rubric, bloc, base)[TOTAL], result.ranked[TOTAL], equal_nan=True)
        assert all(len(s) <= 255 for s in result.sentences())
        searched = np.flatnonzero(result.need.search)
        for i in rng.choice(searched, size=min(2, len(searched)), replace=False):
            options = result.options(i)
            for k in rng.choice(len(options), size=min(1, len(options)), replace=False):
                option = options[k]
                after = dict(zip([lv.id for lv in option.levers], option.after, strict=True))
                assert _reaches(rubric, bloc, result, i, _changed(base, i, after)), (target, option)
                for lever in option.levers:  # one step less of any figure of the option falls short
                    less = after | {lever.id: round(after[lever.id] - lever.direction * lever.step, 6)}
                    assert not _reaches(rubric, bloc, result, i, _changed(base, i, less)), (target, lever.id)
                checked += 1
            unused = [k for k in range(len(result.levers)) if np.isnan(result.single[i, k])]
            for k in rng.choice(unused, size=min(1, len(unused)), replace=False) if unused else []:
                lever = result.levers[k]
                grid = Grid.of(lever, result.cols, np.array([i]))
                if grid.reach[0] < 1:
                    continue  # cannot change at all (a rate at 100 %, deductions at 0): skipped, as it should be
                furthest = float(grid.value(grid.reach)[0])
                assert not _reaches(rubric, bloc, result, i, _changed(base, i, {lever.id: furthest})), lever.id
    assert checked > 0


def _hau_giang_xa(rows: list[tuple[str, int, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame([{"Xã, phường, thị trấn": name, "huyen": "Huyện Vị Thủy", "ho_so_truc_tuyen": online,
                          "ho_so_phat_sinh": issued, "tai_khoan_dinh_danh": eid, "nguoi_co_cccd": people,
                          "so_tai_khoan_nop": max(online // 3, 1)}
                         for name, online, issued, eid, people in rows])


def test_hau_giang_xa_at_68_percent_needs_20_online_dossiers_for_the_70_percent_floor():
    rubric = rubrics.get("hau-giang-2023")
    figures = _hau_giang_xa([("Xã A", 680, 1000, 8000, 10000), ("Xã B", 950, 1000, 9500, 10000)])
    result = gaps(rubric, "xa", figures, "dieu-kien")
    options = result.options(0)
    assert [(o.levers[0].id, o.before, o.after) for o in options] == [("ho_so_truc_tuyen", (680.0,), (700.0,))]
    assert result.sentence(0) == ("Đủ điều kiện xét (tỷ lệ hồ sơ trực tuyến từ 70 %, hiện 68 %): thêm 20 hồ sơ "
                                  "trực tuyến (tỷ lệ 68 % → 70 %)")
    assert result.sentence(1) == "Đã đủ điều kiện xét khen thưởng."
    # The e-ID accounts move the score, never the floor: no suggestion for them (checked at their ceiling).
    assert np.isnan(result.single[0, [lv.id for lv in result.levers].index("tai_khoan_dinh_danh")])


def _chau_thanh_a_xa(accounts: int) -> pd.DataFrame:
    return pd.DataFrame([{"Đơn vị": "Xã Tân Hòa", "co_ke_hoach": "có", "so_thu_tuc_dang_ky": 1,
                          "so_tai_khoan": accounts, "so_ho_so_truc_tuyen": 200, "ty_le_giai_quyet": 0.98,
                          "bao_cao_tre_1_3_ngay": 0, "bao_cao_tre_qua_3_ngay": 0, "bao_cao_khong_trung_thuc": 0}])


def test_chau_thanh_a_commune_at_1480_accounts_needs_20_more_for_1500_and_its_35_points():
    rubric = rubrics.get("chau-thanh-a-2021")
    # 10 (plan) + 15 (1 procedure) + 0 (< 1,500 accounts) + 30 (200 dossiers) + 10 (98 %) = 65 < 90: not ranked.
    result = gaps(rubric, "xa", _chau_thanh_a_xa(1480), "dieu-kien")
    assert float(result.ranked[TOTAL].iloc[0]) == 65
    got = [(o.levers[0].id, o.after[0], o.total_after) for o in result.options(0)]
    # 1,500 accounts: +35 → 100; 5 steps of 20 dossiers: +25 → 90; 5 more procedures: +25 → 90. The
    # resolution rate can add only 10 (to 100 %), so it is not offered.
    assert got == [("so_tai_khoan", 1500.0, 100.0), ("so_ho_so_truc_tuyen", 300.0, 90.0),
                   ("so_thu_tuc_dang_ky", 6.0, 90.0)]
    assert result.sentence(0).startswith("Đủ điều kiện xét (tổng từ 90 điểm, hiện 65): thêm 20 tài khoản "
                                         "(1.480 → 1.500); hoặc thêm 100 hồ sơ trực tuyến (200 → 300)")
    # Exactly the 35 points of the account line: 100 points needs 1,500 accounts, and 1,499 does not do.
    exact = gaps(rubric, "xa", _chau_thanh_a_xa(1480), 100)
    assert exact.options(0)[0].after == (1500.0,)
    assert float(score(rubric, "xa", _chau_thanh_a_xa(1499))[TOTAL].iloc[0]) == 65
    assert float(score(rubric, "xa", _chau_thanh_a_xa(1500))[TOTAL].iloc[0]) == 100


def test_chau_thanh_a_late_reports_are_lowered_one_by_one():
    rubric = rubrics.get("chau-thanh-a-2021")
    figures = _chau_thanh_a_xa(1500).assign(bao_cao_tre_1_3_ngay=3, so_ho_so_truc_tuyen=160)  # 100 − 30 − 6 = 64
    result = gaps(rubric, "xa", figures, 66)
    late = next(o for o in result.options(0) if o.levers[0].id == "bao_cao_tre_1_3_ngay")
    assert late.after == (2.0,) and "giảm 1 báo cáo trễ 01–03 ngày (3 → 2)" in result.sentence(0)


def _phung_hiep_xa(name: str, partial: dict[str, float]) -> dict[str, object]:
    row: dict[str, object] = {"Đơn vị": name, "ho_so_tre_han_thang_cao_nhat": 0, "so_ngay_tre_bao_cao_cao_nhat": 0}
    row |= {f"ty_le_tc{k:02d}": 1.0 for k in range(1, 25) if k != 18}
    row["co_tc18"] = "có"  # criterion (18) is all or nothing (a yes/no)
    return row | partial


def test_phung_hiep_xa_at_178_points_reaches_the_180_band():
    rubric = rubrics.get("phung-hiep-2023")
    # 200 / 24 points a line: 21 full lines = 175, line (1) at 36 % = 3 → 178 (Khuyến khích, ≥ 160).
    figures = pd.DataFrame([
        _phung_hiep_xa("Xã A", {"ty_le_tc01": 0.4}),                                        # 190 points
        _phung_hiep_xa("Xã B", {"ty_le_tc01": 0.36, "ty_le_tc02": 0.0, "ty_le_tc03": 0.0}),  # 178
        _phung_hiep_xa("Xã C", {"ty_le_tc01": 0.0, "ty_le_tc02": 0.0, "ty_le_tc03": 0.0, "ty_le_tc04": 0.2}),
    ])
    result = gaps(rubric, "xa", figures, "giai")
    assert round(float(result.ranked[TOTAL].iloc[1]), 6) == 178
    assert result.need.phrase[1] == "Đạt Giải Ba (từ 180 điểm)"
    options = {o.levers[0].id: o.after[0] for o in result.options(1)}
    # +2 points, with totals rounded half-up to 2 decimals (DESIGN.md §8): 179,995 prints as 180,00. Line (1)
    # needs 4,995 of its 200/24 points: 4,995 × 24 / 200 = 59,94 %; lines (2)/(3) need 1,995: 23,94 %.
    assert options == {"ty_le_tc01": 0.5994, "ty_le_tc02": 0.2394, "ty_le_tc03": 0.2394}
    assert result.options(1)[0].levers[0].id == "ty_le_tc01"  # +24 points of 36 % is the smallest relative step
    assert result.sentence(1).startswith("Đạt Giải Ba (từ 180 điểm): nâng '(1) Mức độ hoàn thành' từ 36 % lên 59,94 %")
    base = _by_id(rubric.bloc("xa"), result.ranked)
    for value, reaches in ((0.5994, True), (0.5993, False)):  # 0,01 point of rate less: 179,994 → 179,99
        after = score(rubric, "xa", _changed(base, 1, {"ty_le_tc01": value}))[TOTAL].iloc[1]
        assert (round(float(after), 6) >= 180) is reaches


def test_tie_break_decides_rank_hau_giang_accounts():
    """Two communes with full marks: the one whose dossiers come from fewer accounts must gain accounts —
    reaching the same score is not reaching the rank."""
    rubric = rubrics.get("hau-giang-2023")
    figures = _hau_giang_xa([("Xã A", 1000, 1000, 9500, 10000), ("Xã B", 1000, 1000, 9500, 10000)])
    figures.loc[0, "so_tai_khoan_nop"] = 600
    figures.loc[1, "so_tai_khoan_nop"] = 400
    result = gaps(rubric, "xa", figures, "hang")
    assert result.need.phrase[1] == "Lên hạng 1 (vượt Xã A, 100 điểm)"
    assert [(o.levers[0].id, o.after[0]) for o in result.options(1)] == [("so_tai_khoan_nop", 601.0)]


def test_unreachable_target_says_why():
    rubric = rubrics.get("ninh-phuoc-2023")
    figures = pd.DataFrame([{"Đơn vị": "Xã A", **{f.id: 1.0 for f in rubric.bloc("xa").figures}}])
    result = gaps(rubric, "xa", figures, Target("diem", 101))
    assert result.sentence(0) == ("Đạt 101 điểm (hiện 100): không đạt được — kể cả khi mọi số liệu đạt mức tốt "
                                  "nhất, tổng chỉ 100 điểm")
    assert result.options(0) == []


def test_pairs_when_no_single_figure_does():
    rubric = rubrics.get("phung-hiep-2023")
    # Disqualified twice over (late dossiers and a late report): only both figures together clear the gate.
    figures = pd.DataFrame([_phung_hiep_xa("Xã A", {"ho_so_tre_han_thang_cao_nhat": 3,
                                                    "so_ngay_tre_bao_cao_cao_nhat": 4})])
    result = gaps(rubric, "xa", figures, "dieu-kien")
    (option,) = result.options(0)
    assert [lv.id for lv in option.levers] == ["ho_so_tre_han_thang_cao_nhat", "so_ngay_tre_bao_cao_cao_nhat"]
    assert option.after == (1.0, 2.0)
    assert " và giảm 2 ngày trễ báo cáo (4 → 2)" in result.sentence(0)


def test_target_words_and_errors():
    rubric = rubrics.get("hau-giang-766-2024")
    figures = example_data.load("hau-giang-766-2024")["xa"]
    assert gaps(rubric, "xa", figures, "Giải").need.aim.count("xep-loai") > 0  # bands stand in for prizes
    with pytest.raises(TargetError, match="mục tiêu 'hạng nhất' không hợp lệ"):
        gaps(rubric, "xa", figures, "hạng nhất")
    with pytest.raises(TargetError, match="không có giải thưởng hay xếp loại"):
        no_awards = replace(rubrics.get("hau-giang-2023"), awards=())
        gaps(no_awards, "xa", example_data.load("hau-giang-2023")["xa"], "giai")


RULES = [
    (RateScore("x", full_at=0.9), 60.0, (0.0, 1.0), 1e-6),
    (RateScore("x", full_at=0.8, relative_to_target=True), 4.0, (0.0, 1.0), 1e-6),
    (StepBonus("x", minimum=1500, step=100, per_step=5), 35.0, (0.0, 5000.0), 1e-6),
    (StepBonus("x", minimum=1, step=1, per_step=5, below=-5), 15.0, (0.0, 20.0), 1e-6),
    (YesNo("x"), 10.0, (0.0, 1.0), 1.0),  # typed 0 or 1: one step less is "không"
    (Deductions((Event("x", -2, "trễ"), Event("y", -5, "quá hạn"))), 0.0, (0.0, 10.0), 1e-6),
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(range(len(RULES))), st.floats(0, 1), st.integers(0, 3))
def test_each_rule_inverse_is_exact(which, share, other):
    """``needed`` gives the boundary value: it earns the points asked for, a hair less (more, for a figure that
    costs points) does not; NaN only when no value can; ±inf when any value does."""
    rule, max_points, (low, high), step = RULES[which]
    cols = {"x": np.array([low]), "y": np.array([float(other)])}
    best = float(rule.points({**cols, "x": np.array([high if rule.better("x") > 0 else low])}, max_points)[0])
    worst = float(rule.points({**cols, "x": np.array([low if rule.better("x") > 0 else high])}, max_points)[0])
    wanted = worst + share * (best - worst) + (0.5 if share > 0.95 and best > worst else 0)
    value = float(rule.needed("x", np.array([wanted]), cols, max_points)[0])
    if wanted > best + 1e-9:
        assert np.isnan(value) or (rule.better("x") > 0 and value > high)
        return
    if np.isinf(value):
        assert wanted <= worst + 1e-9
        return
    earned = float(rule.points({**cols, "x": np.array([value])}, max_points)[0])
    assert earned >= wanted - 1e-7  # rules compare rates at 9 decimals; the search then snaps to 0,01 %
    hair = value - step * rule.better("x")
    assert float(rule.points({**cols, "x": np.array([hair])}, max_points)[0]) < wanted or hair < low
