"""Next year's plan without a release: scaffold, edit one number, check, load from a configured folder.

Every expected score here is computed by hand from the example figures (the
plan's formula written out in the test), not by the engine under test.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from thidua_xl import example_data, rubrics
from thidua_xl import sheet_functions as sf
from thidua_xl.awards import award_plan
from thidua_xl.cli import app
from thidua_xl.plans.check import check_file
from thidua_xl.plans.loader import ENV_VAR, PlanError
from thidua_xl.plans.scaffold import new_from, new_skeleton
from thidua_xl.scoring import score

runner = CliRunner()


@pytest.fixture
def plans_dir(tmp_path, monkeypatch):
    """An empty plan folder, configured in THIDUA_XL_PLANS."""
    folder = tmp_path / "ke-hoach"
    folder.mkdir()
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"'{old}' must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, marker: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines, start=1) if marker in line]
    assert len(found) == 1, (marker, found)
    return found[0]


def _column(plan: str, bloc: str, figure: str) -> pd.Series:
    """A figure's column of the shipped example, as typed (rates in percent)."""
    the_bloc = rubrics.get(plan).bloc(bloc)
    frame = example_data.load(plan)[bloc].set_index(the_bloc.unit_label)
    return frame[the_bloc.figure(figure).label].astype(float)


def _rate_points(rate: float, points: float, full_at: float, relative: bool) -> float:
    """'từ full_at: điểm tối đa; dưới đó: tỷ lệ × điểm' (÷ full_at when relative to the target)."""
    if rate >= full_at:
        return points
    return rate / full_at * points if relative else rate * points


def _hg_eid(full_at: float) -> pd.Series:
    accounts = _column("hau-giang-2023", "xa", "tai_khoan_dinh_danh")
    people = _column("hau-giang-2023", "xa", "nguoi_co_cccd")
    return (accounts / people).map(lambda r: _rate_points(r, 40, full_at, relative=False))


def _cta_accounts(per_step: float) -> pd.Series:
    accounts = _column("chau-thanh-a-2021", "xa", "so_tai_khoan")
    points = rubrics.get("chau-thanh-a-2021").bloc("xa").criteria
    standard = next(c.max_points for c in points if c.inputs == ("so_tai_khoan",))
    return accounts.map(lambda v: standard + math.floor((v - 1500) / 100) * per_step if v >= 1500 else 0.0)


def _ph_tc08(full_at: float) -> pd.Series:
    weight = 200 / len(rubrics.get("phung-hiep-2023").bloc("xa").criteria)
    rates = _column("phung-hiep-2023", "xa", "ty_le_tc08") / 100
    return rates.map(lambda r: _rate_points(r, weight, full_at, relative=True))


def _hg766_dvctt(full_at: float) -> pd.Series:
    rates = _column("hau-giang-766-2024", "xa", "ty_le_cung_cap_dvctt") / 100
    return rates.map(lambda r: _rate_points(r, 4, full_at, relative=True))


def _np_weights(on_time: float, postal: float) -> pd.Series:
    on_time_rate = _column("ninh-phuoc-2023", "xa", "ty_le_dung_han") / 100
    postal_rate = _column("ninh-phuoc-2023", "xa", "ty_le_buu_chinh_cong_ich") / 100
    return on_time_rate.map(lambda r: _rate_points(r, on_time, 1.0, True)) + \
        postal_rate.map(lambda r: _rate_points(r, postal, 1.0, True))


# plan → (new id, bloc, criteria whose points change, edits, hand-computed points before, after)
CHANGES = {
    "hau-giang-2023": ("hau-giang-2025", "xa", ["xa_dinh_danh"],
                       [('RateScore("ty_le_dinh_danh", full_at=0.9)', 'RateScore("ty_le_dinh_danh", full_at=0.95)')],
                       lambda: _hg_eid(0.9), lambda: _hg_eid(0.95)),
    "chau-thanh-a-2021": ("chau-thanh-a-2025", "xa", None,
                          [('StepBonus("so_tai_khoan", minimum=1500, step=100, per_step=5,',
                            'StepBonus("so_tai_khoan", minimum=1500, step=100, per_step=10,')],
                          lambda: _cta_accounts(5), lambda: _cta_accounts(10)),
    "phung-hiep-2023": ("phung-hiep-2025", "xa", ["tc08"],
                        [('đạt 80 %", 0.80)', 'đạt 80 %", 0.90)')],
                        lambda: _ph_tc08(0.8), lambda: _ph_tc08(0.9)),
    "hau-giang-766-2024": ("hau-giang-766-2025", "xa", ["cung_cap_dvctt"],
                           [('"Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 4, 0.8,',
                             '"Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 4, 0.9,')],
                           lambda: _hg766_dvctt(0.8), lambda: _hg766_dvctt(0.9)),
    # Ninh Phước's weights fill 100 points: moving 5 points is two numbers (the first alone is refused).
    "ninh-phuoc-2023": ("ninh-phuoc-2025", "xa", ["dung_han", "buu_chinh_cong_ich"],
                        [('"dung_han": 25,', '"dung_han": 30,'),
                         ('bưu chính công ích", 15,', 'bưu chính công ích", 10,')],
                        lambda: _np_weights(25, 15), lambda: _np_weights(30, 10)),
}


def test_every_shipped_plan_has_a_change_case():
    assert set(CHANGES) == set(rubrics.available())


@pytest.mark.parametrize("plan", list(CHANGES))
def test_scaffold_change_one_number_check_passes_and_score_changes_as_hand_computed(plan, plans_dir):
    new_id, bloc_id, criteria, edits, before, after = CHANGES[plan]
    written = new_from(plan, new_id, plans_dir)
    module = written[0]
    assert module == plans_dir / f"{new_id.replace('-', '_')}.py"
    assert {p.name for p in written[1:]} == {f"{b.id}.csv" for b in rubrics.get(plan).blocs}
    copy = rubrics.get(new_id)
    assert (copy.id, copy.fingerprint()) == (new_id, rubrics.get(plan).fingerprint())
    assert copy.year == 2025 and "2025" in copy.title
    assert check_file(module).consistent, check_file(module).text()

    for i, (old, new) in enumerate(edits):
        _edit(module, old, new)
        report = check_file(module)
        if i < len(edits) - 1:  # half-way through a weight move: refused, naming the line of the maximum
            assert not report.consistent
            assert f"dòng {_line_of(module, 'max_total=100')}" in report.problems[0]
    report = check_file(module)
    assert report.consistent, report.text()

    old_rubric, new_rubric = rubrics.get(plan), rubrics.get(new_id)
    figures = example_data.load(plan)[bloc_id]
    old_scores = score(old_rubric, bloc_id, figures).set_index("don_vi")
    new_scores = score(new_rubric, bloc_id, figures).set_index("don_vi")
    hand_before, hand_after = before(), after()
    assert (hand_after != hand_before).sum() >= 2, "the change must move some scores"
    columns = criteria or [c.id for c in new_rubric.bloc(bloc_id).criteria if c.inputs == ("so_tai_khoan",)]
    assert old_scores[columns].sum(axis=1).to_numpy() == pytest.approx(hand_before.to_numpy())
    assert new_scores[columns].sum(axis=1).to_numpy() == pytest.approx(hand_after.to_numpy())
    moved = (new_scores["tong_diem"] - old_scores["tong_diem"]).to_numpy()
    assert moved == pytest.approx((hand_after - hand_before).to_numpy(), abs=0.0101)


def _skeleton(folder: Path) -> Path:
    return new_skeleton("thu-nghiem-2025", folder)[0]


def test_skeleton_checks_and_scores_its_example_as_hand_computed(plans_dir):
    module = _skeleton(plans_dir)
    report = check_file(module)
    assert report.consistent, report.text()
    text = report.text()
    for part in ("dvctt", "ke_hoach", "Tổng điểm chuẩn: 100 = thang điểm 100", "Điều kiện xét", "Khi bằng điểm",
                 "Giải Nhất", "Chạy thử trên số liệu ví dụ", "Số chưa ghi mục của Kế hoạch (0)"):
        assert part in text
    result = award_plan(rubrics.get("thu-nghiem-2025"), example_data.load("thu-nghiem-2025"))
    table = result.blocs["don_vi"].set_index("don_vi")
    # A 95 % ≥ 90 % → 60 + plan 40; B 92 % → 100; C 70 % × 60 = 42 + 40; D 40 % × 60 = 24 + 40, under the
    # 50 % floor; E 85 % × 60 = 51 − 5 (no plan).
    assert table["tong_diem"].to_dict() == {"Đơn vị A": 100, "Đơn vị B": 100, "Đơn vị C": 82, "Đơn vị D": 64,
                                            "Đơn vị E": 46}
    awards = result.schemes["don_vi"].table.set_index("don_vi")["hinh_thuc"]
    assert awards["Đơn vị A"] == "Giải Nhất" and awards["Đơn vị B"] == "Giải Nhì"  # tie-break: 8 > 5
    assert awards["Đơn vị C"] == "Giải Ba" and awards["Đơn vị D"] == ""


# name → (file to start from, edit, marker of the line the message must name, words of the message)
BROKEN = {
    "điểm không cộng đủ thang": ("skeleton", ('"Tỷ lệ hồ sơ nộp trực tuyến", 60,', '"Tỷ lệ hồ sơ nộp trực tuyến", 55,'),
                                 "max_total=100", "tổng điểm chuẩn 95"),
    "cột không khai báo": ("skeleton", ('RateScore("ty_le_truc_tuyen", full_at=0.9)',
                                        'RateScore("ty_le_khong_co", full_at=0.9)'),
                           "ty_le_khong_co", "dùng cột không khai báo 'ty_le_khong_co'"),
    "lỗi cú pháp": ("skeleton", ("max_total=100,", "max_total=100,,"), "max_total=100,,", "lỗi cú pháp"),
    "tỷ lệ viết 90 thay vì 0.9": ("skeleton", ("full_at=0.9)", "full_at=90)"), 'Criterion("dvctt"', "lớn hơn 1"),
    "tổng chỉ tiêu cá nhân sai": ("hau-giang-2023", ("individuals_total=16,", "individuals_total=17,"),
                                  "individuals_total=17", "tổng chỉ tiêu cá nhân 16 ≠ 17"),
    "chỉ tiêu cho huyện không có": ("hau-giang-2023", ("individual_quotas=DISTRICT_INDIVIDUALS,",
                                                       'individual_quotas=DISTRICT_INDIVIDUALS[:-1] + '
                                                       '(("Huyện Long Mĩ", 2),),'),
                                    "individual_quotas=", "Huyện Long Mĩ"),
    "tên gõ sai": ("skeleton", ('YesNo("co_ke_hoach", no=-5)', 'YesNO("co_ke_hoach", no=-5)'),
                   'YesNO("co_ke_hoach"', "tên chưa khai báo"),
    "thiếu tham số": ("skeleton", ('Tier("Giải Ba", 1, min_score=60', 'Tier(min_score=60'),
                      'Tier(min_score=60', "sai tham số"),
    "mã khai báo khác tên tệp": ("skeleton", ('PLAN_ID = "thu-nghiem-2025"', 'PLAN_ID = "khac-2025"'),
                                 "id=PLAN_ID", "khai báo mã kế hoạch 'khac-2025'"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_module_is_refused_with_the_line(case, plans_dir):
    start, (old, new), marker, words = BROKEN[case]
    module = _skeleton(plans_dir) if start == "skeleton" else new_from(start, "hau-giang-2025", plans_dir)[0]
    _edit(module, old, new)
    line = _line_of(module, marker)
    report = check_file(module)
    assert not report.consistent
    problem = next(p for p in report.problems if words in p)
    assert f"dòng {line}" in problem and str(module) in problem or f"[dòng {line}]" in problem
    result = runner.invoke(app, ["check-plan", str(module)])
    assert result.exit_code == 1 and f"dòng {line}" in result.output and "Traceback" not in result.output
    if "dòng" in problem and "[dòng" not in problem:  # a module that does not build is refused everywhere
        with pytest.raises(PlanError, match=f"dòng {line}"):
            rubrics.get(module.stem.replace("_", "-"))
        cells = sf.score_values(module.stem.replace("_", "-"), "don_vi", [["Đơn vị"], ["A"]])
        assert f"dòng {line}" in str(cells[0][0])


MARKER_MODULE = 'from pathlib import Path\nPath(__file__).with_name("DA_CHAY").write_text("x")\n'


@pytest.mark.parametrize("setting", [None, "", os.pathsep, f"{os.pathsep}{os.pathsep}"])
def test_a_folder_not_configured_is_never_loaded(setting, tmp_path, monkeypatch):
    """A plan file in the current directory (or anywhere unlisted) is not run, even when asked for by id."""
    (tmp_path / "moi_2025.py").write_text(MARKER_MODULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    if setting is None:
        monkeypatch.delenv(ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(ENV_VAR, setting)
    with pytest.raises(KeyError, match="Không có kế hoạch 'moi-2025'"):
        rubrics.get("moi-2025")
    assert "moi-2025" not in rubrics.available()
    assert "Không có kế hoạch" in str(sf.score_values("moi-2025", "xa", [["Đơn vị"], ["A"]])[0][0])
    assert not (tmp_path / "DA_CHAY").exists()


def test_relative_or_world_writable_folders_are_refused(tmp_path, monkeypatch):
    (tmp_path / "moi_2025.py").write_text(MARKER_MODULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, ".")
    with pytest.raises(PlanError, match="không phải đường dẫn đầy đủ"):
        rubrics.get("moi-2025")
    result = runner.invoke(app, ["plans"])
    assert result.exit_code == 2 and "không phải đường dẫn đầy đủ" in result.output
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "khong-co"))
    with pytest.raises(PlanError, match="không tồn tại"):
        rubrics.get("hau-giang-2023")
    if os.name == "posix":
        tmp_path.chmod(0o777)
        try:
            monkeypatch.setenv(ENV_VAR, str(tmp_path))
            with pytest.raises(PlanError, match="cho mọi người ghi vào"):
                rubrics.get("moi-2025")
        finally:
            tmp_path.chmod(0o700)
    assert not (tmp_path / "DA_CHAY").exists()


@pytest.mark.parametrize("plan_id", ["../moi_2025", "moi_2025", "MOI-2025/..", "examples", "__init__"])
def test_crafted_ids_do_not_reach_a_configured_folder(plan_id, plans_dir):
    (plans_dir / "moi_2025.py").write_text(MARKER_MODULE, encoding="utf-8")
    (plans_dir / "__init__.py").write_text(MARKER_MODULE, encoding="utf-8")
    with pytest.raises(KeyError, match="Không có kế hoạch"):
        rubrics.get(plan_id)
    assert not (plans_dir / "DA_CHAY").exists()


def test_plan_cell_of_a_workbook_never_loads_a_module_beside_it(tmp_path, monkeypatch):
    from thidua_xl.workbook.book import OpenpyxlBook
    from thidua_xl.workbook.macros import build_awards
    from thidua_xl.workbook.template import PLAN_CELL, write_template

    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "moi_2025.py").write_text(MARKER_MODULE, encoding="utf-8")
    path = write_template("ninh-phuoc-2023", tmp_path / "so.xlsx")
    wb = load_workbook(path)
    wb["Hướng dẫn"][PLAN_CELL] = "moi-2025"
    wb.save(path)
    with pytest.raises(KeyError, match="Không có kế hoạch 'moi-2025'"):
        build_awards(OpenpyxlBook(path))
    assert not (tmp_path / "DA_CHAY").exists()


def test_duplicate_ids_are_refused_naming_both(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    _skeleton(first)
    (second / "thu_nghiem_2025.py").write_text((first / "thu_nghiem_2025.py").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(first), str(second)]))
    with pytest.raises(PlanError) as err:
        rubrics.get("thu-nghiem-2025")
    assert str(first / "thu_nghiem_2025.py") in str(err.value) and str(second / "thu_nghiem_2025.py") in str(err.value)
    with pytest.raises(PlanError, match="có ở hai nơi"):
        rubrics.get("hau-giang-2023")  # the whole configuration is wrong, not just one plan
    # A shipped id in a folder: named with the package's own file.
    monkeypatch.setenv(ENV_VAR, str(second))
    (second / "hau_giang_2023.py").write_text(MARKER_MODULE, encoding="utf-8")
    with pytest.raises(PlanError) as err:
        rubrics.available()
    assert str(Path(rubrics.__file__).with_name("hau_giang_2023.py")) in str(err.value)
    assert str(second / "hau_giang_2023.py") in str(err.value)
    assert not (second / "DA_CHAY").exists()
    result = runner.invoke(app, ["score", "x.csv", "-p", "hau-giang-2023", "-b", "xa"])
    assert result.exit_code == 2 and "có ở hai nơi" in result.output and "Traceback" not in result.output


def test_udfs_see_a_configured_plan(plans_dir):
    _skeleton(plans_dir)
    assert any(row[0] == "thu-nghiem-2025" for row in sf.plans())
    rows = [["Đơn vị", "Số hồ sơ nộp trực tuyến", "Tổng số hồ sơ phát sinh", "Có ban hành kế hoạch triển khai"],
            ["X", 70, 100, "có"], ["Y", 95, 100, "không"]]
    assert sf.score_values("thu-nghiem-2025", "don_vi", rows) == [[82.0], [55.0]]  # 0,7 × 60 + 40; 60 − 5


def test_template_from_a_configured_plan_recalculates_headless(plans_dir, tmp_path):
    from thidua_xl.workbook.layout import score_sheet
    from thidua_xl.workbook.recalc import recalc
    from thidua_xl.workbook.template import PLAN_CELL, VERSION_CELL

    module = new_from("hau-giang-2023", "hau-giang-2025", plans_dir)[0]
    _edit(module, 'RateScore("ty_le_dinh_danh", full_at=0.9)', 'RateScore("ty_le_dinh_danh", full_at=0.95)')
    result = runner.invoke(app, ["template", "hau-giang-2025", "-o", str(tmp_path / "so-2025.xlsx")])
    assert result.exit_code == 0, result.output
    values = recalc(tmp_path / "so-2025.xlsx", tmp_path / "so-2025-tinh-lai.xlsx")
    rubric = rubrics.get("hau-giang-2025")
    engine = award_plan(rubric, example_data.load("hau-giang-2025")).blocs["xa"].set_index("don_vi")
    ws = load_workbook(values, data_only=True)[score_sheet(rubric.bloc("xa"))]  # the live book keeps formulas
    headers = [c.value for c in ws[2]]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    totals = {r[0]: r[headers.index("Tổng điểm")] for r in rows}
    assert totals == pytest.approx(engine["tong_diem"].to_dict())
    old = award_plan(rubrics.get("hau-giang-2023"), example_data.load("hau-giang-2023")).blocs["xa"]
    assert (old.set_index("don_vi")["tong_diem"] != engine["tong_diem"]).sum() >= 2
    guide = load_workbook(values)["Hướng dẫn"]
    assert (guide[PLAN_CELL].value, guide[VERSION_CELL].value) == ("hau-giang-2025", rubric.version)


def test_cli_new_plan_check_plan_and_diff_plan(plans_dir, monkeypatch):
    result = runner.invoke(app, ["new-plan", "hau-giang-2025", "--from", "hau-giang-2023", "--dir", str(plans_dir)])
    assert result.exit_code == 0, result.output
    module = plans_dir / "hau_giang_2025.py"
    again = runner.invoke(app, ["new-plan", "hau-giang-2025", "--from", "hau-giang-2023", "--dir", str(plans_dir)])
    assert again.exit_code == 2 and "Đã có kế hoạch 'hau-giang-2025'" in again.output
    monkeypatch.delenv(ENV_VAR)  # the folder not configured: the file is still not replaced
    again = runner.invoke(app, ["new-plan", "hau-giang-2025", "--dir", str(plans_dir)])
    assert again.exit_code == 2 and "không ghi đè" in again.output
    monkeypatch.setenv(ENV_VAR, str(plans_dir))
    before = module.read_bytes()
    assert runner.invoke(app, ["new-plan", "hau_giang_2026", "--dir", str(plans_dir)]).exit_code == 2
    assert runner.invoke(app, ["new-plan", "hau-giang-2023", "--dir", str(plans_dir)]).exit_code == 2
    assert module.read_bytes() == before
    assert runner.invoke(app, ["check-plan", str(plans_dir / "khong_co.py")]).exit_code == 2

    _edit(module, 'RateScore("ty_le_dinh_danh", full_at=0.9)', 'RateScore("ty_le_dinh_danh", full_at=0.95)')
    _edit(module, "Tier(\"Hạng Nhất\", 1, prize=20_000_000", "Tier(\"Hạng Nhất\", 1, prize=25_000_000")
    _edit(module, '("Huyện Phụng Hiệp", 3)', '("Huyện Phụng Hiệp", 4)')
    _edit(module, "individuals_total=16,", "individuals_total=17,")
    assert runner.invoke(app, ["check-plan", str(module)]).exit_code == 0
    result = runner.invoke(app, ["diff-plan", "hau-giang-2023", "hau-giang-2025"])
    assert result.exit_code == 0, result.output
    for line in ("Năm: 2023 → 2025",
                 "~ Tiêu chí 'xa_dinh_danh' (Cấp tài khoản định danh điện tử mức độ 2 của người dân): "
                 "ngưỡng tròn điểm: 90 % → 95 %",
                 "~ Hạng 'Hạng Nhất': tiền thưởng: 20.000.000 đồng → 25.000.000 đồng",
                 "tổng số cá nhân: 16 → 17", "~ Chỉ tiêu cá nhân Huyện Phụng Hiệp: 3 → 4"):
        assert line in result.output
    assert "Khối 'huyen'" not in result.output  # nothing changed there
    same = runner.invoke(app, ["diff-plan", "hau-giang-2023", "hau-giang-2023"])
    assert "Không có thay đổi." in same.output and "không đổi" in same.output


def test_annotated_copy_cites_the_source_clause_at_each_number(plans_dir):
    module = new_from("hau-giang-2023", "hau-giang-2025", plans_dir)[0]
    text = module.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if 'RateScore("ty_le_dinh_danh", full_at=0.9)' in x)
    assert line.endswith("# khớp Kế hoạch: Mục III.2.b, dòng 2")
    assert next(x for x in text.splitlines() if "year=2025" in x).split("#")[1].strip().startswith("khớp Kế hoạch")
    report = check_file(module).text()
    quota_line = _line_of(module, '("Huyện Phụng Hiệp", 3)')
    assert f"dòng {quota_line}: 3 (DISTRICT_INDIVIDUALS)" in report  # the quotas cite no clause yet
    _edit(module, '("Huyện Phụng Hiệp", 3),  # khớp Kế hoạch: ? (ghi mục, khoản của Kế hoạch)',
          '("Huyện Phụng Hiệp", 3),  # khớp Kế hoạch: Mục IV.2.c')
    assert f"dòng {quota_line}:" not in check_file(module).text()


def test_synth_and_ingest_see_a_configured_plan(plans_dir, tmp_path):
    module = new_from("hau-giang-2023", "hau-giang-2025", plans_dir)[0]
    _edit(module, "Figure(\"so_tai_khoan_nop\", \"Số tài khoản khác nhau đã nộp hồ sơ trực tuyến\"",
          "Figure(\"so_tai_khoan_nop\", \"Số tài khoản đã nộp hồ sơ trực tuyến (2025)\"")
    units = tmp_path / "so-lieu"
    units.mkdir()
    for bloc in ("huyen", "xa"):
        source = (plans_dir / "examples" / "hau-giang-2025" / f"{bloc}.csv").read_text(encoding="utf-8-sig")
        (units / f"{bloc}.csv").write_text(source.replace("Số tài khoản khác nhau đã nộp hồ sơ trực tuyến",
                                                          "Số tài khoản đã nộp hồ sơ trực tuyến (2025)"),
                                           encoding="utf-8-sig")
    export = tmp_path / "ho-so.csv"
    result = runner.invoke(app, ["synth", "-p", "hau-giang-2025", "-n", "300", "-o", str(export)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "so-lieu-ho-so"
    result = runner.invoke(app, ["ingest", str(export), "-p", "hau-giang-2025", "-u", str(units), "-o", str(out),
                                 "--no-progress"])
    assert result.exit_code == 0, result.output
    filled = pd.read_csv(out / "xa.csv", encoding="utf-8-sig")
    assert "Số tài khoản đã nộp hồ sơ trực tuyến (2025)" in filled.columns  # the 2025 module's own header
    assert filled["Tổng số hồ sơ TTHC nộp trực tuyến"].sum() > 0


def test_next_year_from_a_configured_plan(plans_dir):
    """2026 from 2025: one header (the new one), the 2025 edits and their comments kept."""
    first = new_from("hau-giang-2023", "hau-giang-2025", plans_dir)[0]
    _edit(first, 'RateScore("ty_le_dinh_danh", full_at=0.9),  # khớp Kế hoạch: Mục III.2.b, dòng 2',
          'RateScore("ty_le_dinh_danh", full_at=0.95),  # khớp Kế hoạch: Mục III.2.b, dòng 2 (2025)')
    second = new_from("hau-giang-2025", "hau-giang-2026", plans_dir)[0]
    text = second.read_text(encoding="utf-8")
    assert text.count("thidua-xl new-plan") == 1 and "chép từ 'hau-giang-2025'" in text.splitlines()[0]
    assert 'full_at=0.95),  # khớp Kế hoạch: Mục III.2.b, dòng 2 (2025)' in text
    assert check_file(second).consistent
    result = runner.invoke(app, ["diff-plan", "hau-giang-2025", str(second)])
    assert result.exit_code == 0 and "Năm: 2025 → 2026" in result.output
    assert "Điểm, xếp hạng và khen thưởng không đổi" in result.output


def test_diff_names_gates_columns_units_and_added_schemes():
    from dataclasses import replace

    from thidua_xl.plans.diff import diff
    from thidua_xl.rubric import AwardScheme, Below, Tier

    old = rubrics.get("hau-giang-2023")
    xa, huyen = old.bloc("xa"), old.bloc("huyen")
    new_xa = replace(
        xa, eligibility=(Below("ty_le_truc_tuyen", 0.75, "Không xét điểm thi đua", clause="Mục III.2.b"),),
        figures=tuple(replace(f, label="Số tài khoản nộp (2025)") if f.id == "so_tai_khoan_nop" else f
                      for f in xa.figures))
    new_huyen = replace(huyen, units=huyen.units[:-1] + ("Huyện Mới",))
    extra = AwardScheme(id="xa_kk", label="Khuyến khích cấp xã", blocs=("xa",), clause="Mục IV.3",
                        tiers=(Tier("Khuyến khích", 2, prize=1_000_000),))
    new = replace(old, blocs=(new_huyen, new_xa), awards=(*old.awards, extra))
    lines = diff(old, new)
    assert "  ~ Điều kiện: Tỷ lệ hồ sơ trực tuyến < 70 % → Không xét điểm thi đua  ⇒  Tỷ lệ hồ sơ trực tuyến " \
           "< 75 % → Không xét điểm thi đua" in lines
    assert "  ~ Cột 'so_tai_khoan_nop': tên: Số tài khoản khác nhau đã nộp hồ sơ trực tuyến → Số tài khoản nộp " \
           "(2025)" in lines
    assert "  + Thêm đơn vị Huyện Mới" in lines and "  - Bỏ đơn vị Huyện Long Mỹ" in lines
    assert "+ Thêm khen thưởng 'xa_kk' — Khuyến khích cấp xã" in lines
    assert diff(old, old) == []


@pytest.mark.parametrize("plan", rubrics.available())
def test_every_shipped_module_passes_check_plan(plan):
    """The shipped modules are the models a new plan is copied from: the checker must accept each."""
    report = check_file(rubrics.origin(plan))
    assert report.consistent, report.text()
    rubric = rubrics.get(plan)
    for bloc in rubric.blocs:
        assert f"Khối '{bloc.id}': {len(example_data.load(plan)[bloc.id])} đơn vị, 0 lỗi số liệu" in report.text()
    for scheme in rubric.awards:
        assert f"Khen thưởng '{scheme.id}' — {scheme.label}" in report.text()


def test_new_plan_writes_nothing_when_its_example_folder_exists(plans_dir):
    (plans_dir / "examples" / "hau-giang-2025").mkdir(parents=True)
    with pytest.raises(PlanError, match="không ghi đè"):
        new_from("hau-giang-2023", "hau-giang-2025", plans_dir)
    with pytest.raises(PlanError, match="không ghi đè"):
        new_skeleton("hau-giang-2025", plans_dir)
    assert not (plans_dir / "hau_giang_2025.py").exists()
    assert list((plans_dir / "examples" / "hau-giang-2025").iterdir()) == []
