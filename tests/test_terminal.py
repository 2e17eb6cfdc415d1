"""The terminal a secretary can read: every plan's demo at 80 and 160 columns, Vietnamese numbers, JSON that
follows its schema and reads back into pandas, CSV with plain numbers, names typed as people type them."""

from __future__ import annotations

import json
import re
from io import StringIO

import jsonschema
import pandas as pd
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from thidua_xl import example_data, rubrics
from thidua_xl.awards import award_plan
from thidua_xl.cli import app
from thidua_xl.terminal import Screen, numbers
from thidua_xl.terminal.machine import schema
from thidua_xl.terminal.model import Column, TableView
from thidua_xl.validation import UNIT

runner = CliRunner()
PLANS = rubrics.available()[:5]
EXAMPLES = example_data.folder()
WIDTHS = (80, 160)
MONEY = re.compile(r"\b\d{1,3}(?:\.\d{3})+ đ\b")
RAW_FLOAT = re.compile(r"(?<![\d.,])\d+\.(?:\d{1,2}|\d{4,})(?![\d.])")   # 176.0, 0.9631 — not 1.000.000
LEAKED = re.compile(r"\bnan\b|\bNaN\b|\bNone\b|<NA>|\bNaT\b")


def run(args: list[str], width: int = 80):
    return runner.invoke(app, args, env={"COLUMNS": str(width)})


@pytest.fixture(scope="module")
def demos() -> dict[tuple[str, int], str]:
    out = {}
    for plan in PLANS:
        for width in WIDTHS:
            result = run(["demo", plan], width)
            assert result.exit_code == 0, result.output
            out[plan, width] = result.output
    return out


def test_five_plans_are_listed():
    assert len(PLANS) == 5 and set(PLANS) <= {r["id"] for r in json.loads(run(["plans", "-f", "json"]).stdout)["plans"]}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan", PLANS)
def test_demo_fits_the_window_names_every_unit_and_reads_vietnamese(demos, plan, width):
    text = demos[plan, width]
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, too_wide[:3]
    for bloc, frame in example_data.load(plan).items():
        names = frame.iloc[:, 0].astype(str)
        missing = [n for n in names if not any(n in line for line in lines)]
        assert not missing, f"{plan}/{bloc}: {missing[:5]}"
    assert not LEAKED.search(text), LEAKED.search(text)
    assert not RAW_FLOAT.search(text), RAW_FLOAT.search(text)
    assert not re.search(r"(?<![\w.])\d{5,}(?![\d.])", text), "a number without dots"
    result = award_plan(rubrics.get(plan), example_data.load(plan))
    if any(s.total_prize for s in result.schemes.values()):
        assert MONEY.search(text), "prize money as 10.000.000 đ"
    for scheme in result.schemes.values():
        assert scheme.scheme.label in text and scheme.summary().split(":")[0] in text


def test_scores_keep_two_decimals_and_rates_read_as_percent():
    assert numbers.points(176.0) == "176,00" and numbers.points(8.3333) == "8,33"
    assert numbers.money(10_000_000) == "10.000.000 đ" and numbers.money(0) == ""
    assert numbers.rate(0.9631) == "96,31 %" and numbers.count(1480) == "1.480"
    assert numbers.cell(pd.Timestamp("2021-03-05"), "date") == "05/03/2021"
    assert [numbers.cell(v, k) for v, k in ((None, "points"), (float("nan"), "money"), (pd.NA, "rank"),
                                            (pd.NaT, "date"), (None, "text"))] == [""] * 5


def test_wide_table_moves_criteria_to_tables_of_their_own_and_keeps_the_unit(tmp_path):
    csv = EXAMPLES / "phung-hiep-2023" / "xa.csv"
    narrow = run(["score", str(csv), "-p", "phung-hiep-2023", "-b", "xa"], 80)
    wide = run(["score", str(csv), "-p", "phung-hiep-2023", "-b", "xa"], 160)
    for result, width in ((narrow, 80), (wide, 160)):
        assert result.exit_code == 0, result.output
        assert max(cell_len(line) for line in result.output.splitlines()) <= width
        assert "TC24 (24) Có 01 mô hình" in result.output.replace("\n", " ") or "TC24" in result.output
    assert narrow.output.count("Điểm từng tiêu chí (TC") >= 3          # 24 criteria in chunks at 80 columns
    first = example_data.load("phung-hiep-2023")["xa"].iloc[0, 0]
    chunk = narrow.output.split("Điểm từng tiêu chí (TC")[1]
    assert first in chunk                                                # the unit column repeats in each chunk


def test_columns_that_cannot_fit_are_dropped_with_a_note():
    frame = pd.DataFrame({UNIT: ["Xã A", "Xã B"], "x": ["một ghi chú rất dài " * 3, ""], "n": [1.5, 2.25]})
    view = TableView("Thử", frame, [Column(UNIT, "Đơn vị", "unit", 0), Column("n", "Điểm", "points", 0),
                                    Column("x", "Ghi_chú_không_gập_được_vì_là_một_từ_rất_dài", "text", 5)])
    screen = Screen(width=40)
    with screen.out.capture() as captured:
        screen.table(view)
    text = captured.get()
    assert "Không đủ chỗ cho cột Ghi_chú" in " ".join(text.split()) and "1,50" in text and "Xã B" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 40


def test_unit_detail_block_and_explanations():
    csv = EXAMPLES / "chau-thanh-a-2021" / "xa.csv"
    one = run(["score", str(csv), "-p", "chau-thanh-a-2021", "-b", "xa", "--unit", "xã  THẠNH HÒA A"])
    assert one.exit_code == 0, one.output
    assert "Xã Thạnh Hòa A" in one.output and "Xã Nhơn Nghĩa A" not in one.output
    assert "Tổng điểm 175,00" in one.output and "Hạng Nhì — 7.000.000 đ" in one.output.replace("\n", " ")
    assert "TC4" in one.output and "334 hồ sơ ≥ 200 hồ sơ" in one.output and "99,95 %" in one.output
    unknown = run(["score", str(csv), "-p", "chau-thanh-a-2021", "-b", "xa", "--unit", "Xã Không Có"])
    assert unknown.exit_code == 2 and "Không có đơn vị 'Xã Không Có'" in unknown.output
    every = run(["score", str(csv), "-p", "chau-thanh-a-2021", "-b", "xa", "--explain"])
    assert every.exit_code == 0 and every.output.count("Tổng điểm ") >= 13


@pytest.mark.parametrize("typed", ["xã", "xa", "XA", "Xã, thị trấn", " XÃ "])
def test_bloc_as_people_type_it(typed):
    result = run(["score", str(EXAMPLES / "chau-thanh-a-2021" / "xa.csv"), "-p", "Châu Thành A 2021", "-b", typed,
                  "-q", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(StringIO(result.stdout))) == 13


def test_phong_ban_and_unknown_bloc_or_plan():
    ok = run(["score", str(EXAMPLES / "chau-thanh-a-2021" / "phong_ban.csv"), "-p", "chau-thanh-a-2021",
              "-b", "phòng ban", "-q", "-f", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["blocs"][0]["id"] == "phong_ban"
    bad = run(["score", str(EXAMPLES / "chau-thanh-a-2021" / "xa.csv"), "-p", "chau-thanh-a-2021", "-b", "tỉnh"])
    assert bad.exit_code == 2 and "Chọn một trong các khối: 'phong_ban' (Phòng, ban, ngành huyện); 'xa'" in bad.output
    plan = run(["score", "x.csv", "-p", "hau giang 2030", "-b", "xa"])
    assert plan.exit_code == 2 and "Các kế hoạch: hau-giang-2023" in plan.output and "Traceback" not in plan.output
    fmt = run(["plans", "--format", "xml"])
    assert fmt.exit_code == 2 and "--format phải là một trong: table, csv, json" in fmt.output


def test_no_arguments_prints_an_overview_and_the_first_step():
    result = run([])
    assert result.exit_code == 0
    said = " ".join(result.output.split())
    assert "Lần đầu dùng" in said and "thidua-xl demo hau-giang-2023" in said
    assert all(cmd in result.output for cmd in ("plans", "score", "awards", "whatif", "template"))
    assert max(cell_len(line) for line in result.output.splitlines()) <= 80


def _valid(document: dict) -> dict:
    jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)
    return document


def test_score_json_follows_the_schema_and_reads_back_into_pandas(tmp_path):
    csv = EXAMPLES / "hau-giang-2023" / "xa.csv"
    result = run(["score", str(csv), "-p", "hau-giang-2023", "-b", "xa", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = _valid(json.loads(result.stdout))                 # stdout is JSON only: notes went to stderr
    units = pd.json_normalize(doc["blocs"][0]["units"])
    expected = award_plan(rubrics.get("hau-giang-2023"), example_data.load("hau-giang-2023")).blocs["xa"]
    assert units.set_index("unit")["total"].to_dict() == expected.set_index(UNIT)["tong_diem"].round(2).to_dict()
    assert {"points.xa_dvctt", "points.xa_dinh_danh", "group", "award_rank"} <= set(units.columns)
    scheme = doc["schemes"][0]
    awards = pd.DataFrame(scheme["units"])
    assert (awards["award"] != "").sum() == scheme["summary"]["awarded"] == 7
    assert awards["prize"].sum() == scheme["summary"]["prize_total"]
    assert awards.loc[~awards["considered"], "note"].str.len().gt(0).all()
    saved = run(["score", str(csv), "-p", "hau-giang-2023", "-b", "xa", "-q", "-o", str(tmp_path / "kq.json")])
    assert saved.exit_code == 0 and saved.output == ""
    assert json.loads((tmp_path / "kq.json").read_text(encoding="utf-8")) == doc


def test_the_schema_refuses_what_it_should():
    doc = json.loads(run(["score", str(EXAMPLES / "ninh-phuoc-2023" / "xa.csv"), "-p", "ninh-phuoc-2023", "-b", "xa",
                          "-f", "json", "-q"]).stdout)
    _valid(doc)
    for broken in ({**doc, "schema_version": 2}, {**doc, "command": "x"},
                   {**doc, "blocs": [{**doc["blocs"][0], "units": [{**doc["blocs"][0]["units"][0], "total": "90"}]}]},
                   {**doc, "schemes": [{**doc["schemes"][0], "extra": 1}]}):
        with pytest.raises(jsonschema.ValidationError):
            _valid(broken)


def test_whatif_and_plans_json_and_csv():
    csv = EXAMPLES / "chau-thanh-a-2021" / "xa.csv"
    doc = _valid(json.loads(run(["whatif", str(csv), "-p", "chau-thanh-a-2021", "-b", "xa", "-f", "json"]).stdout))
    options = pd.DataFrame(doc["options"])
    assert set(options["unit"]) == set(example_data.load("chau-thanh-a-2021")["xa"].iloc[:, 0])
    assert options["action"].str.len().gt(0).all()
    plans = _valid(json.loads(run(["plans", "--format", "json"]).stdout))
    assert [p["id"] for p in plans["plans"]][:5] == PLANS
    table = pd.read_csv(StringIO(run(["plans", "--format", "csv"]).stdout))
    assert table["Số tiêu chí"].dtype.kind == "i" and "phong_ban" in set(table["Mã khối"])
    raw = run(["whatif", str(csv), "-p", "chau-thanh-a-2021", "-b", "xa", "-f", "csv", "-q"]).stdout
    assert pd.read_csv(StringIO(raw))["Mức thay đổi (%)"].dtype.kind == "f"   # plain numbers, not "32,89 %"


def test_score_csv_on_stdout_is_the_csv_file(tmp_path):
    csv = EXAMPLES / "hau-giang-2023" / "xa.csv"
    printed = run(["score", str(csv), "-p", "hau-giang-2023", "-b", "xa", "--format", "csv", "--quiet"])
    written = run(["score", str(csv), "-p", "hau-giang-2023", "-b", "xa", "-o", str(tmp_path / "kq.csv")])
    assert printed.exit_code == written.exit_code == 0
    assert pd.read_csv(StringIO(printed.stdout)).equals(pd.read_csv(tmp_path / "kq.csv", encoding="utf-8-sig"))
    assert "Tổng điểm" in printed.stdout and "100.0" in printed.stdout   # plain numbers for machines


def test_council_ties_are_highlighted_in_the_award_section(tmp_path):
    figures = example_data.load("chau-thanh-a-2021")["xa"]
    third = figures[figures.iloc[:, 0] == "Xã Nhơn Nghĩa A"].copy()   # third place: one Hạng Ba for two
    third.iloc[0, 0] = "Xã Sinh Đôi"
    path = tmp_path / "xa.csv"
    pd.concat([figures, third], ignore_index=True).to_csv(path, index=False, encoding="utf-8-sig")
    result = run(["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa"], 160)
    assert result.exit_code == 0, result.output
    section = result.output.split("Khen thưởng cuối năm — xã, thị trấn", 1)[1]
    rows = [line for line in section.splitlines() if "chờ Hội đồng quyết định" in line and "Xã" in line]
    assert len(rows) == 2 and any("Xã Sinh Đôi" in r for r in rows)
    assert "Đồng hạng — chờ Hội đồng Thi đua – Khen thưởng quyết định" in section
    assert "2 trường hợp đồng hạng chờ Hội đồng quyết định" in section
    doc = json.loads(run(["score", str(path), "-p", "chau-thanh-a-2021", "-b", "xa", "-f", "json", "-q"]).stdout)
    assert sum(u["council"] for u in doc["schemes"][0]["units"]) == 2


def test_awards_prints_the_summary_and_the_lists_on_request(tmp_path):
    from thidua_xl.workbook.template import write_template

    book = write_template("chau-thanh-a-2021", tmp_path / "so.xlsx")
    plain = run(["awards", str(book), "-o", str(tmp_path / "a.xlsx")])
    assert plain.exit_code == 0 and "Khen thưởng cuối năm — xã, thị trấn: 3 tập thể" in plain.output.replace("\n", " ")
    shown = run(["awards", str(book), "-o", str(tmp_path / "b.xlsx"), "--show"])
    assert shown.exit_code == 0 and "Hạng Nhất" in shown.output and "10.000.000 đ" in shown.output
    as_json = run(["awards", str(book), "-o", str(tmp_path / "c.xlsx"), "-f", "json"])
    doc = _valid(json.loads(as_json.stdout))
    # A book without "Kỳ" is the campaign's whole: the monthly award waits for the months (issue 13).
    assert doc["command"] == "awards" and {s["id"] for s in doc["schemes"]} == {"xa", "phong_ban"}
    assert "cột 'Kỳ'" in plain.output.replace("\n", " ")
    assert "Đã ghi" in as_json.stderr and (tmp_path / "c.xlsx").is_file()


def test_quiet_prints_only_the_result(tmp_path):
    csv = EXAMPLES / "ninh-phuoc-2023" / "xa.csv"   # provisional points: a warning without --quiet
    loud = run(["score", str(csv), "-p", "ninh-phuoc-2023", "-b", "xa", "-o", str(tmp_path / "a.xlsx")])
    quiet = run(["score", str(csv), "-p", "ninh-phuoc-2023", "-b", "xa", "-o", str(tmp_path / "b.xlsx"), "-q"])
    assert "Lưu ý" in loud.output and "Đã ghi" in loud.output
    assert quiet.exit_code == 0 and quiet.output == "" and (tmp_path / "b.xlsx").is_file()


def test_period_sections_and_movement_plug_in():
    """What a period comparison adds (a movement column, one section per period) renders and validates."""
    from thidua_xl.awards import SchemeResult
    from thidua_xl.terminal import machine, render_award_sections, views

    rubric = rubrics.get("chau-thanh-a-2021")
    plan = award_plan(rubric, example_data.load(rubric.id))
    moves = ["↑2", "↓1", "mới"]
    year = plan.schemes["xa"]
    moved = SchemeResult(year.scheme, year.table.assign(bien_dong=[moves[i % 3] for i in range(len(year.table))]))
    sections = [views.award_section(moved, heading="Khen thưởng tháng 03/2021", period="2021-03"),
                views.award_section(year, heading="Khen thưởng cuối năm 2021")]
    screen = Screen(width=80)
    with screen.out.capture() as captured:
        render_award_sections(screen, sections, heading="Kết quả theo kỳ")
        screen.section(views.ranking_section(rubric, rubric.bloc("xa"),
                                             plan.blocs["xa"].assign(bien_dong="="), criteria=False))
    text = captured.get()
    assert "KẾT QUẢ THEO KỲ" in text and "Khen thưởng tháng 03/2021" in text and "Biến động" in text
    assert "↑2" in text and "mới" in text and max(cell_len(line) for line in text.splitlines()) <= 80
    ranked = plan.blocs["xa"].assign(bien_dong="↑1")
    doc = _valid(machine.result_document("awards", rubric, {"xa": ranked}, [(moved, "2021-03"), year]))
    assert [s["period"] for s in doc["schemes"]] == ["2021-03", None]
    assert {u["movement"] for u in doc["blocs"][0]["units"]} == {"↑1"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan", PLANS)
def test_twelve_month_demo_fits_the_window_and_reads_vietnamese(plan, width):
    """``demo --thang``: monthly winners, quarterly rankings, cut-off and year-end lists laid out like the rest."""
    result = run(["demo", plan, "--thang"], width)
    assert result.exit_code == 0, result.output
    text = result.output
    too_wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert not too_wide, too_wide[:3]
    assert not LEAKED.search(text), LEAKED.search(text)
    assert not RAW_FLOAT.search(text), RAW_FLOAT.search(text)
    assert "##" not in text and "==" not in text   # no plain-text headings left over from pandas output
