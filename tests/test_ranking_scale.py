"""Issue 18 class 4: ranks and tie notes stay exact and short however large a tie is."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl import rubrics
from thidua_xl.awards import allocate
from thidua_xl.columns import COUNCIL, NOTE
from thidua_xl.ranking import NAMES_SHOWN, name_list, rank
from thidua_xl.scoring import score
from thidua_xl.sheet_functions import rank_values

score_cell = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 1.0000004, 99.5, -3.0]),
                       st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))


def naive_rank(mine: list[float | None], pool: list[float | None]) -> list[list[object]]:
    return [[""] if v is None else [1 + sum(1 for p in pool if p is not None and round(p, 6) > round(v, 6))]
            for v in mine]


@settings(max_examples=200, deadline=None)
@given(mine=st.lists(score_cell, max_size=40), pool=st.lists(score_cell, max_size=40))
def test_rank_values_equals_rank_eq_by_counting(mine, pool):
    column = [[v] for v in mine]
    assert rank_values(column) == naive_rank(mine, mine)
    if pool:
        assert rank_values(column, [[v] for v in pool]) == naive_rank(mine, pool)


def test_name_list_is_bounded():
    names = [f"Xã {i}" for i in range(5000)]
    text = name_list(names)
    assert text.startswith("Xã 0, Xã 1") and text.endswith("và 4.990 đơn vị khác")
    assert name_list(names[:3]) == "Xã 0, Xã 1, Xã 2"
    assert name_list(names[:3], total=10) == "Xã 0, Xã 1, Xã 2 và 7 đơn vị khác"


def test_large_tie_gives_short_notes_and_council_flags():
    rubric = rubrics.get("chau-thanh-a-2021")
    n = 3000
    same = {"Đơn vị": [f"Xã {i:05d}" for i in range(n)], "co_ke_hoach": ["có"] * n, "so_thu_tuc_dang_ky": [1] * n,
            "so_tai_khoan": [1500] * n, "so_ho_so_truc_tuyen": [200] * n, "ty_le_giai_quyet": [0.98] * n}
    bloc = rubric.bloc("xa")
    figures = pd.DataFrame({**{f.id: [0] * n for f in bloc.figures}, **same})
    ranked = rank(rubric, "xa", score(rubric, "xa", figures))
    assert ranked["dong_hang"].all() and (ranked["hang_xet_thuong"] == 1).all()
    notes = ranked["ghi_chu_xep_hang"]
    assert notes.str.len().max() < 400
    assert notes.iloc[0].count("Xã ") == NAMES_SHOWN and "Xã 00000" not in notes.iloc[0]
    assert "và 2.989 đơn vị khác" in notes.iloc[0]
    for scheme in rubric.schemes_for("xa"):
        table = allocate(rubric, scheme, ranked).table
        assert table[COUNCIL].any()  # a 3,000-way tie for a few places goes to the council, by name
        assert table[NOTE].str.len().max() < 1000
