"""The thidua-xl command end to end, as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.corpus.make_corpus import encode_cp1258
from thidua_xl import example_data, rubrics
from thidua_xl.cli import app

runner = CliRunner()


def test_plans_lists_all_five_with_blocs():
    result = runner.invoke(app, ["plans"])
    assert result.exit_code == 0
    for rubric in rubrics.all_rubrics():
        assert rubric.id in result.output
        for bloc in rubric.blocs:
            assert f"khối {bloc.id}: {bloc.label}" in result.output


@pytest.mark.parametrize("plan", rubrics.available())
def test_score_runs_each_example_end_to_end(plan, tmp_path):
    rubric = rubrics.get(plan)
    folder = example_data.folder() / plan
    for bloc in rubric.blocs:
        out = tmp_path / f"{bloc.id}.xlsx"
        args = ["score", str(folder / f"{bloc.id}.csv"), "--plan", plan, "--bloc", bloc.id, "-o", str(out)]
        for d in bloc.derived:
            if hasattr(d, "subunit_bloc"):
                args += ["--subunits", str(folder / f"{d.subunit_bloc}.csv")]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        table = pd.read_excel(out, sheet_name="Kết quả")
        assert len(table) == len(example_data.load(plan)[bloc.id])
        assert table["Tổng điểm"].notna().all()


def test_demo_prints_award_list():
    result = runner.invoke(app, ["demo", "hau-giang-2023"])
    assert result.exit_code == 0, result.output
    assert "Hạng Nhất" in result.output and "45.000.000 đồng (Bốn mươi lăm triệu đồng)" in result.output


def test_bad_input_gives_vietnamese_error_and_exit_code(tmp_path):
    bad = tmp_path / "xa.csv"
    bad.write_text("Đơn vị,Số tài khoản DVCTT tạo được\nXã A,12\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(bad), "--plan", "chau-thanh-a-2021", "--bloc", "xa"])
    assert result.exit_code == 2
    assert "Thiếu cột 'Có Kế hoạch thực hiện dịch vụ công trực tuyến'" in result.output


def test_unknown_plan():
    result = runner.invoke(app, ["score", "x.csv", "--plan", "khong-co", "--bloc", "xa"])
    assert result.exit_code == 2 and "Không có kế hoạch 'khong-co'" in result.output


def test_output_never_overwrites_the_input(tmp_path):
    src = example_data.folder() / "chau-thanh-a-2021" / "xa.csv"
    copy = tmp_path / "xa.csv"
    copy.write_bytes(src.read_bytes())
    result = runner.invoke(app, ["score", str(copy), "--plan", "chau-thanh-a-2021", "--bloc", "xa", "-o", str(copy)])
    assert result.exit_code == 2 and "Không ghi đè tệp đầu vào" in result.output
    assert copy.read_bytes() == src.read_bytes()


def test_windows_1258_csv_is_read(tmp_path):
    src = example_data.folder() / "chau-thanh-a-2021" / "xa.csv"
    text = src.read_text(encoding="utf-8-sig")
    legacy = tmp_path / "xa-1258.csv"
    legacy.write_bytes(encode_cp1258(text))
    result = runner.invoke(app, ["score", str(legacy), "--plan", "chau-thanh-a-2021", "--bloc", "xa"])
    assert result.exit_code == 0, result.output
    assert "Thị trấn Bảy Ngàn" in result.output


def test_example_csvs_match_their_generator(tmp_path: Path):
    example_data.write_all(tmp_path)
    for path in tmp_path.rglob("*.csv"):
        committed = example_data.folder() / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed} drifted: run 'thidua-xl examples'"
