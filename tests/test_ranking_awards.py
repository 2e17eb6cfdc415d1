"""Ranking (RANK.EQ, tie-breaks) and award allocation (caps, minimums, flagged ties)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from thidua_xl.awards import allocate
from thidua_xl.ranking import competition_rank, rank_eq
from thidua_xl.rubric import AwardScheme, Bloc, Criterion, Figure, Kind, RateScore, Rubric, TieBreak, Tier


def test_rank_eq_matches_excel():
    assert rank_eq([90, 85, 85, 70, np.nan]).tolist()[:4] == [1, 2, 2, 4]


def test_competition_rank_lexicographic():
    keys = pd.DataFrame({"a": [10, 10, 9, 10], "b": [1, 2, 5, 2]})
    assert competition_rank(keys).tolist() == [3, 1, 4, 1]


def _toy(cap=None, tiers=None, tiebreak=True):
    bloc = Bloc("b", "Khối", figures=(Figure("r", "Tỷ lệ", Kind.RATE), Figure("t", "Phụ", Kind.NUMBER, required=False)),
                criteria=(Criterion("c", "Điểm", 100, RateScore("r"), clause="—"),),
                tiebreaks=(TieBreak("t", True, "phụ", "—"),) if tiebreak else (),
                group=Figure("g", "Nhóm", Kind.TEXT))
    scheme = AwardScheme("s", "Khen", ("b",), tiers or (Tier("Nhất", 1, prize=3), Tier("Nhì", 1, prize=2)),
                         clause="—", per_group_cap=cap)
    return Rubric("toy", "Toy", "—", 2024, "—", (bloc,), (scheme,))


def _run(rubric, rows):
    from thidua_xl.ranking import rank
    from thidua_xl.scoring import score

    ranked = rank(rubric, "b", score(rubric, "b", pd.DataFrame(rows)))
    return allocate(rubric, "s", ranked).table.set_index("don_vi")


def test_unresolved_tie_at_tier_boundary_is_flagged_not_broken():
    rubric = _toy()
    out = _run(rubric, [{"Đơn vị": "A", "r": 0.9, "g": "X"}, {"Đơn vị": "B", "r": 0.8, "g": "X"},
                        {"Đơn vị": "C", "r": 0.8, "g": "Y"}])
    assert out.loc["A", "hinh_thuc"] == "Nhất"
    assert out.loc[["B", "C"], "hinh_thuc"].tolist() == ["", ""]
    assert out.loc[["B", "C"], "can_hoi_dong_quyet"].all()
    assert "Đề nghị Hội đồng" in out.loc["B", "ghi_chu"]


def test_tiebreak_resolves_the_tie():
    out = _run(_toy(), [{"Đơn vị": "A", "r": 0.9, "g": "X"}, {"Đơn vị": "B", "r": 0.8, "g": "X", "t": 1},
                        {"Đơn vị": "C", "r": 0.8, "g": "Y", "t": 3}])
    assert out.loc["C", "hinh_thuc"] == "Nhì" and out.loc["B", "hinh_thuc"] == ""
    assert out.loc["B", "hang"] == out.loc["C", "hang"] == 2  # plain RANK.EQ still shares
    assert out.loc["C", "hang_xet_thuong"] == 2 and out.loc["B", "hang_xet_thuong"] == 3


def test_missing_tiebreak_figure_leaves_tie_unresolved():
    out = _run(_toy(), [{"Đơn vị": "A", "r": 0.9, "g": "X"}, {"Đơn vị": "B", "r": 0.8, "g": "X", "t": 1},
                        {"Đơn vị": "C", "r": 0.8, "g": "Y"}])
    assert out.loc["B", "dong_hang"] and out.loc["C", "dong_hang"]


def test_per_group_cap_skips_and_passes_the_place_on():
    rubric = _toy(cap=1, tiers=(Tier("Khen", 2),))
    out = _run(rubric, [{"Đơn vị": "A", "r": 0.9, "g": "X"}, {"Đơn vị": "B", "r": 0.85, "g": "X"},
                        {"Đơn vị": "C", "r": 0.8, "g": "Y"}])
    assert out.loc["A", "hinh_thuc"] == "Khen" and out.loc["C", "hinh_thuc"] == "Khen"
    assert out.loc["B", "hinh_thuc"] == "" and "đã đủ 1 đơn vị" in out.loc["B", "ghi_chu"]


def test_min_score_leaves_places_empty_and_lower_tier_takes_over():
    rubric = _toy(tiers=(Tier("Nhất", 1, min_score=90), Tier("KK", 1, min_score=70)))
    out = _run(rubric, [{"Đơn vị": "A", "r": 0.85, "g": "X"}, {"Đơn vị": "B", "r": 0.6, "g": "Y"}])
    assert out.loc["A", "hinh_thuc"] == "KK" and out.loc["B", "hinh_thuc"] == ""
