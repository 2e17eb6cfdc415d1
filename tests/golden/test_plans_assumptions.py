"""`thidua-xl plans` says, for each plan, which numbers are assumptions or readings (issue 14, DESIGN.md §8)."""

from __future__ import annotations

from typer.testing import CliRunner

from thidua_xl import rubrics
from thidua_xl.cli import app


def _block(output: str, plan: str) -> str:
    """The text `plans` prints for one plan (up to the next plan's line), lines wrapped to the window joined."""
    start = output.index(f"{plan}  —")
    nxt = min((output.index(f"{p}  —") for p in rubrics.available() if output.index(f"{p}  —") > start),
              default=len(output))
    return " ".join(output[start:nxt].split())


def test_plans_lists_every_assumption():
    result = CliRunner().invoke(app, ["plans"])
    assert result.exit_code == 0, result.output
    for r in rubrics.all_rubrics():
        block = _block(result.output, r.id)
        assert r.assumptions, f"{r.id}: no assumption listed"
        for line in r.assumptions:
            assert " ".join(line.split()) in block, (r.id, line)
    # 766: bands 70/50/30 (only 90 fits published results) and the DVCTT split of the 12 points.
    b766 = _block(result.output, "hau-giang-766-2024")
    assert "70 / 50 / 30" in b766 and "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến: điểm 4 — giả định" in b766
    assert "tạm tính theo trọng số mặc định" in _block(result.output, "ninh-phuoc-2023")
    assert "160" in _block(result.output, "phung-hiep-2023")
