"""DESIGN.md §8 Precision: a total is rounded half-up to 2 decimals before ranking — the figure the sheet prints
and the council checks by hand — so units printed with the same total share a rank and go to the tie-breaks.
Same totals and ranks from the engine, the worksheet functions and the CLI."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from tests.conftest import evaluate
from thidua_xl import sheet_functions as sf
from thidua_xl.cli import app

PH = "Huyện Phụng Hiệp"


def xa(name, eid, accounts):
    return {"Xã, phường, thị trấn": name, "Huyện, thị xã, thành phố": PH, "ho_so_truc_tuyen": 500,
            "ho_so_phat_sinh": 500, "tai_khoan_dinh_danh": eid, "nguoi_co_cccd": 100_000,
            "so_tai_khoan_nop": accounts}


# Hậu Giang 2023, xã (Mục III.2.b): online 100 % → 60; e-ID below 90 % → rate × 40.
ROWS = [
    xa("Xã X", 89_400, 50),    # 60 + 0,894 × 40 = 95,76
    xa("Xã Y", 89_399, 400),   # 60 + 0,89399 × 40 = 95,7596 → printed 95,76: tied with X; more accounts → first
    xa("Xã Z", 89_387, 450),   # 60 + 0,89387 × 40 = 95,7548 → 95,75 (half-up would print 95,75 too)
]


def test_half_up_on_the_decimal_value():
    # np.round gives 97.6 for 97.605 (binary 97.60499…) and 0.12 for 0.125 (half to even); the sheet prints
    # 97,61 and 0,13.
    from thidua_xl.scoring import round_total

    assert round_total(97.605) == 97.61
    assert round_total(0.125) == 0.13
    assert round_total(-2.345) == -2.35
    assert round_total(95.7596) == 95.76


def test_units_equal_at_two_decimals_share_a_rank_and_go_to_the_tiebreak():
    out = evaluate("hau-giang-2023", "xa", ROWS)
    assert out["tong_diem"].to_dict() == {"Xã X": 95.76, "Xã Y": 95.76, "Xã Z": 95.75}
    assert out["hang"].to_dict() == {"Xã X": 1, "Xã Y": 1, "Xã Z": 3}
    # III.2.b tie-break: dossiers from fewer accounts rank after → Y (400 accounts) before X (50).
    assert out["hang_xet_thuong"].to_dict() == {"Xã Y": 1, "Xã X": 2, "Xã Z": 3}


def test_worksheet_functions_and_cli_print_the_same_totals(tmp_path):
    frame = pd.DataFrame(ROWS)
    table = [list(frame.columns)] + frame.values.tolist()
    assert sf.score_values("hau-giang-2023", "xa", table) == [[95.76], [95.76], [95.75]]
    totals = [row[0] for row in sf.score_values("hau-giang-2023", "xa", table)]
    assert sf.rank_values([[t] for t in totals]) == [[1], [1], [3]]
    path = tmp_path / "xa.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "ket-qua.csv"
    result = CliRunner().invoke(app, ["score", str(path), "-p", "hau-giang-2023", "-b", "xa", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, encoding="utf-8-sig").set_index("Đơn vị")
    assert written["Tổng điểm"].to_dict() == {"Xã X": 95.76, "Xã Y": 95.76, "Xã Z": 95.75}
    assert written["Hạng theo điểm"].to_dict() == {"Xã X": 1, "Xã Y": 1, "Xã Z": 3}
