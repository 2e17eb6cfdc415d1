"""UDFs called as Excel would call them: scalars, 1-row and n-row lists, None for blanks, floats for ints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from thidua_xl import example_data
from udfs.functions import (
    thidua_award,
    thidua_class,
    thidua_detail,
    thidua_explain,
    thidua_plans,
    thidua_rank,
    thidua_score,
)

ROOT = Path(__file__).resolve().parents[1]
H = ["Đơn vị", "Có Kế hoạch thực hiện dịch vụ công trực tuyến", "so_thu_tuc_dang_ky", "so_tai_khoan",
     "so_ho_so_truc_tuyen", "ty_le_giai_quyet", "bao_cao_tre_1_3_ngay", "bao_cao_tre_qua_3_ngay",
     "bao_cao_khong_trung_thuc"]
A = ["Xã A", "có", 3.0, 1732.0, 260.0, 0.995, 2.0, 1.0, 0.0]      # 131 points
B = ["Xã B", "có", 1.0, "abc", 200.0, 0.98, 0.0, 0.0, 0.0]        # text in a number cell
C = ["Xã C", "có", 1.0, 1500.0, 200.0, 0.98, 0.0, 0.0, 0.0]       # 100 points
BLANK = [None] * 9


def test_score_block_spills_a_column_with_errors_in_place():
    out = thidua_score("chau-thanh-a-2021", "xa", [H, A, B, C, BLANK])
    assert out[0] == [131.0] and out[2] == [100.0] and out[3] == [""]
    assert out[1][0] == ("#THIDUA: Đơn vị 'Xã B', cột 'Số tài khoản DVCTT tạo được': 'abc' không phải số "
                         "(giá trị 'abc').")


def test_score_one_row_with_headers_any_order():
    order = list(reversed(range(len(H))))
    assert thidua_score("chau-thanh-a-2021", "Xã, thị trấn", [[A[i] for i in order]], [[H[i] for i in order]]) == [[131.0]]


def test_score_without_unit_column():
    assert thidua_score("chau-thanh-a-2021", "xa", [A[1:]], [H[1:]]) == [[131.0]]


def test_errors_are_short_texts_never_exceptions():
    assert thidua_score("khong-co", "xa", [H, A])[0][0].startswith("#THIDUA: Không có kế hoạch 'khong-co'")
    assert thidua_score("chau-thanh-a-2021", "xa", [[1.0, 2.0]])[0][0].startswith("#THIDUA: không nhận ra cột")
    assert thidua_score("chau-thanh-a-2021", "xa", None)[0][0] == "#THIDUA: vùng số liệu trống"
    missing = thidua_score("chau-thanh-a-2021", "xa", [H[:3], A[:3]])[0][0]
    assert missing.startswith("#THIDUA: Thiếu cột 'Số tài khoản DVCTT tạo được'")


def test_detail_award_explain_class_and_plans():
    detail = thidua_detail("chau-thanh-a-2021", "xa", [H, A, C])
    assert detail[0] == [10.0, 25.0, 45.0, 45.0, 15.0, -9.0, 131.0]
    assert thidua_award("chau-thanh-a-2021", "xa", [H, A, C]) == [["Hạng Nhất"], ["Hạng Nhì"]]
    explained = thidua_explain("chau-thanh-a-2021", "xa", [H, A])
    assert len(explained) == 1 and len(explained[0]) == len(detail[0])  # one cell per criterion + verdict
    assert "1.732 tài khoản ≥ 1.500 tài khoản → 35 + 2 × 5 = 45 điểm" in explained[0][2]
    assert explained[0][-1].startswith("Tổng 131 điểm")
    ids = _766_ids()
    rows = [["Đơn vị"] + ids, ["Sở A"] + [1.0] * len(ids), ["Sở B"] + [0.2] * len(ids)]
    assert thidua_class("hau-giang-766-2024", "so_nganh", rows) == [["Xuất sắc"], ["Yếu"]]
    assert thidua_class("chau-thanh-a-2021", "xa", [H, A])[0][0].startswith("#THIDUA:")
    plans = thidua_plans()
    assert plans[0][0] == "Mã kế hoạch" and len({r[0] for r in plans[1:]}) == 5


def _766_ids():
    """The figures a sở types (chứng thực and the province-only 1.b/1.c are not asked of it)."""
    from thidua_xl import rubrics

    return list(rubrics.get("hau-giang-766-2024").bloc("so_nganh").figure_ids)


def test_rank_like_rank_eq_and_with_tiebreaks():
    assert thidua_rank([[90.0], [85.0], [85.0], [70.0], [None]]) == [[1], [2], [2], [4], [""]]
    assert thidua_rank([[90.0], [85.0], [85.0], [70.0]], None, [[0.0], [1.0], [2.0], [0.0]]) == [[1], [3], [2], [4]]
    assert thidua_rank(85.0, [[90.0], [85.0], [85.0]]) == [[2]]
    assert thidua_rank([[90.0], ["#THIDUA: lỗi"]]) == [[1], [""]]
    assert thidua_rank([[1.0], [2.0]], None, [[1.0]])[0][0].startswith("#THIDUA: cột tiêu chí phụ")


def test_whole_example_bloc_through_the_udf():
    frame = example_data.load("hau-giang-2023")["xa"]
    rows = [list(frame.columns)] + frame.astype(object).where(frame.notna(), None).values.tolist()
    out = thidua_score("hau-giang-2023", "xa", rows)
    assert len(out) == 75 and all(isinstance(v[0], float) for v in out)


SERVER_SCRIPT = r"""
import asyncio, json, xlwings
from xlwings.server import custom_functions_meta, custom_functions_call
import udfs.functions as m
meta = custom_functions_meta(m)
common = {"version": xlwings.__version__, "client": "Office.js", "runtime": "1.4", "culture_info_name": "vi-VN"}
data = {**common, "func_name": "thidua_score",
        "args": [[["chau-thanh-a-2021"]], [["xa"]], HROWS, [[None]]]}
result = asyncio.run(custom_functions_call(data, m))
rank = asyncio.run(custom_functions_call({**common, "func_name": "thidua_rank", "args": [[[90], [85], [85], [70]], [[None]], [[0], [1], [2], [0]], [[None]]]}, m))
print(json.dumps({"meta": meta, "result": result, "rank": rank}, ensure_ascii=False, default=str))
"""


def test_office_js_metadata_and_call_through_xlwings_server():
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH=str(ROOT))
    script = SERVER_SCRIPT.replace("HROWS", json.dumps([H, A, C], ensure_ascii=False).replace("null", "None"))
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0 and "No module named" in proc.stderr:
        pytest.skip(proc.stderr.strip().splitlines()[-1])
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout.strip().splitlines()[-1])
    functions = {f["id"]: f for f in payload["meta"]["functions"]}
    assert set(functions) >= {"THIDUA_SCORE", "THIDUA_RANK", "THIDUA_DETAIL", "THIDUA_EXPLAIN", "THIDUA_AWARD",
                              "THIDUA_CLASS", "THIDUA_PLANS", "THIDUA_MEAN"}
    params = {p["name"]: p for p in functions["THIDUA_SCORE"]["parameters"]}
    assert params["figures"]["dimensionality"] == "matrix" and params["headers"].get("optional") is True
    assert [p["name"] for p in functions["THIDUA_RANK"]["parameters"]] == ["scores", "bloc_scores", "tiebreak1",
                                                                           "tiebreak2"]
    assert payload["result"] == [[131.0], [100.0]]
    assert payload["rank"] == [[1], [3], [2], [4]]


def test_weights_range_changes_points():
    from tests.golden.test_phung_hiep_2023 import commune

    row = commune("Xã Hai", 1.0, ty_le_tc08=0.40)
    headers, values = list(row), list(row.values())
    weights = [["Mã tiêu chí", "Điểm chuẩn"]] + [[f"tc{i:02d}", 5.0] for i in range(1, 25)]
    weights[8][1] = 85.0  # tc08
    assert thidua_score("phung-hiep-2023", "xa", [values], [headers], weights) == [[23 * 5 + 0.40 / 0.80 * 85]]
    bad = weights[:3] + [["tc03", "nhiều"]]
    assert thidua_score("phung-hiep-2023", "xa", [values], [headers], bad)[0][0] == (
        "#THIDUA: trọng số của tiêu chí 'tc03' phải là số (giá trị 'nhiều')")


def test_many_problems_stay_within_one_excel_cell_and_name_unit_column_value():
    """Classic Excel shows #VALUE! over the whole array if one string exceeds 255 characters."""
    long_name = "Xã " + "Vĩnh Thuận Đông " * 6
    bad = [long_name, "có", "x", "abc", -5.0, "??", "y", "z", "w"]
    rows = [H, A, bad, C]
    for fn in (thidua_score, thidua_detail, thidua_explain, thidua_award):
        for row in fn("chau-thanh-a-2021", "xa", rows):
            assert all(len(v) <= 255 for v in row if isinstance(v, str)), fn.__name__
    message = thidua_score("chau-thanh-a-2021", "xa", rows)[1][0]
    assert message.startswith("#THIDUA: ") and "Kiểm tra dữ liệu" in message and "lỗi nữa" in message
    assert "Vĩnh Thuận Đông" in message and "'x'" in message  # unit and first bad value kept
    assert thidua_score("chau-thanh-a-2021", "xa", rows)[0][0] == 131.0  # the good units keep their scores
