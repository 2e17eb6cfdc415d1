"""Small hand-made dossier exports for the ingest tests (headers of the shipped 'mot-cua-tinh' profile)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from tests.corpus.make_corpus import encode_cp1258
from thidua_xl import rubrics
from thidua_xl.ingest import UnitDirectory, load_profile

HEADERS = ["STT", "Mã hồ sơ", "Đơn vị tiếp nhận", "Hình thức nộp", "Tài khoản nộp hồ sơ", "Ngày tiếp nhận",
           "Ngày hẹn trả", "Ngày có kết quả", "Thanh toán trực tuyến", "Số hóa hồ sơ", "Kết quả điện tử",
           "Đánh giá hài lòng"]


def write_csv(path: Path, rows: list[tuple], *, headers: list[str] = HEADERS, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    """One dossier per tuple (without STT); the STT column is numbered from 1."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    for i, row in enumerate(rows, start=1):
        writer.writerow([i, *row])
    path.write_bytes(encode_cp1258(text.getvalue()) if encoding == "cp1258" else text.getvalue().encode(encoding))
    return path


def hau_giang_units(extra_xa: tuple[tuple[str, str], ...] = ()) -> tuple[object, UnitDirectory]:
    """Hậu Giang 2023 with one huyện and two of its communes (plus ``extra_xa`` (name, huyện) pairs)."""
    rubric = rubrics.get("hau-giang-2023")
    xa = [("Xã Hòa An", "Huyện Phụng Hiệp"), ("Xã Tân Bình", "Huyện Phụng Hiệp"), *extra_xa]
    tables = {
        "huyen": pd.DataFrame({"Đơn vị": ["Huyện Phụng Hiệp"]}),
        "xa": pd.DataFrame({"Đơn vị": [n for n, _ in xa], "Huyện, thị xã, thành phố": [h for _, h in xa]}),
    }
    return rubric, UnitDirectory.from_tables(rubric, tables, load_profile())
