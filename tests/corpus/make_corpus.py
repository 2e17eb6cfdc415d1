"""Writes the bad-input corpus files (tests/corpus/files/) from a fixed recipe.

Run ``python tests/corpus/make_corpus.py`` after changing a recipe; the files are committed.
The 1,000,000-row workbook is made at test time (see ``million_rows``) to keep the repository small.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent / "files"
CTA_HEADERS = ["Đơn vị", "Có Kế hoạch thực hiện dịch vụ công trực tuyến", "Số thủ tục đăng ký giải quyết mức độ 3, 4",
               "Số tài khoản DVCTT tạo được", "Số hồ sơ DVCTT mức độ 3, 4 tiếp nhận", "Tỷ lệ giải quyết hồ sơ DVCTT",
               "Số lần báo cáo trễ từ 01 đến 03 ngày", "Số lần báo cáo trễ quá 03 ngày hoặc không báo cáo",
               "Số lần báo cáo không trung thực"]
GOOD = [["Xã Tốt Một", "có", 1, 1500, 200, "98%", 0, 0, 0],      # 100 points
        ["Xã Tốt Hai", "có", 2, 1600, 220, "99%", 0, 0, 0]]      # 10 + 20 + 40 + 35 + 15 = 120
HG_HEADERS = ["Xã, phường, thị trấn", "Huyện, thị xã, thành phố", "Tổng số hồ sơ TTHC nộp trực tuyến",
              "Tổng số hồ sơ phát sinh (trực tiếp, trực tuyến)",
              "Tổng số tài khoản định danh điện tử được cấp (đã kích hoạt)", "Tổng số người dân có căn cước công dân"]
HG_GOOD = [["Xã Tốt Một", "Huyện Vị Thủy", 90, 100, 900, 1000], ["Xã Tốt Hai", "Huyện Long Mỹ", 80, 100, 800, 1000]]


def _csv(name: str, headers: list[str], rows: list[list[object]], encoding: str = "utf-8") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding))


def _cta(name: str, bad: list[object], headers: list[str] = CTA_HEADERS, **kw: object) -> None:
    _csv(name, headers, [*GOOD, bad], **kw)


def encode_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tone = [m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tone))
        out += base.encode("cp1258") + "".join(tone).encode("cp1258")
    return bytes(out)


def make() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    _cta("text_in_number.csv", ["Xã Sai", "có", 1, "abc", 200, "98%", 0, 0, 0])
    _csv("rate_formats.csv", CTA_HEADERS, [["Xã Phần Trăm", "có", 1, 1500, 200, "98,5%", 0, 0, 0],
                                           ["Xã Dấu Cách", "có", 1, 1500, 200, "99 %", 0, 0, 0],
                                           ["Xã Phân Số", "có", 1, 1500, 200, "0,995", 0, 0, 0]])
    _csv("rate_ambiguous.csv", CTA_HEADERS, [["Xã Tốt Một", "có", 1, 1500, 200, 98, 0, 0, 0],
                                             ["Xã Tốt Hai", "có", 2, 1600, 220, 99, 0, 0, 0],
                                             ["Xã Sai", "có", 1, 1500, 200, 0.99, 0, 0, 0]])
    _cta("rate_over_100.csv", ["Xã Sai", "có", 1, 1500, 200, "105%", 0, 0, 0])
    _cta("negative.csv", ["Xã Sai", "có", 1, -3, 200, "98%", 0, 0, 0])
    _cta("blank.csv", ["Xã Sai", "có", 1, None, 200, "98%", 0, 0, 0])
    _csv("numerator_over_denominator.csv", HG_HEADERS, [*HG_GOOD, ["Xã Sai", "Huyện Vị Thủy", 120, 100, 900, 1000]])
    _csv("missing_column.csv", CTA_HEADERS[:3] + CTA_HEADERS[4:], [r[:3] + r[4:] for r in GOOD])
    _csv("renamed_column.csv", [*CTA_HEADERS[:3], "Số TK", *CTA_HEADERS[4:]], GOOD)
    _cta("duplicate_units.csv", ["Xã Tốt Hai", "có", 1, 1500, 200, "98%", 0, 0, 0])
    _csv("nfc_nfd_duplicate.csv", CTA_HEADERS, [*GOOD, ["Xã Hòa An", "có", 1, 1500, 200, "98%", 0, 0, 0],
                                                [unicodedata.normalize("NFD", "Xã Hòa An"), "có", 1, 1500, 200,
                                                 "98%", 0, 0, 0]])
    _csv("trailing_spaces.csv", [h + "  " for h in CTA_HEADERS], [["Xã Tốt Một   ", *GOOD[0][1:]],
                                                                 ["  Xã   Tốt Hai", *GOOD[1][1:]]])
    _csv("unit_not_in_plan.csv", HG_HEADERS, [*HG_GOOD, ["Xã Sai", "Huyện Cờ Đỏ", 90, 100, 900, 1000]])
    _cta("formula_injection.csv", ["=HYPERLINK(\"http://x\",\"bấm\")", "có", 1, 1500, 200, "98%", 0, 0, 0])
    _cta("infinite_number.csv", ["Xã Sai", "có", 1, "1e309", 200, "98%", 0, 0, 0])
    _cta("overflow_number.csv", ["Xã Sai", "có", 1, "1e308", 200, "98%", 0, 0, 0])
    _cta("implausible_count.csv", ["Xã Sai", "có", 1, 1500, 50_000_000, "98%", 0, 0, 0])
    _cta("inf_text.csv", ["Xã Sai", "có", 1, "inf", 200, "nan", 0, 0, 0])
    _csv("invisible_duplicates.csv", CTA_HEADERS, [*GOOD, *[[name, "có", 2, 1600, 220, "99%", 0, 0, 0] for name in (
        "Xã Sai", "Xã Sai\u200b", "\ufeffXã\u00a0Sai", "\u202aXã Sai\u202c", "Xã\u200d Sai")]])
    _csv("invisible_only_name.csv", CTA_HEADERS, [*GOOD, ["\u200b\u00ad\u2060", "có", 2, 1600, 220, "99%", 0, 0, 0]])
    _csv("thousands_ambiguous.csv", CTA_HEADERS, [*GOOD, ["Xã Sai", "có", 1, "1.234", 200, "98%", 0, 0, 0],
                                                  ["Xã Sai Hai", "có", 1, "1.5", 200, "98%", 0, 0, 0]])
    _csv("duplicate_columns.csv", [*CTA_HEADERS, "Số tài khoản DVCTT tạo được"], [
        [*GOOD[0], 1500], [*GOOD[1], 1700]])
    _csv("duplicate_columns_agree.csv", [*CTA_HEADERS, "Số tài khoản DVCTT tạo được"], [r + [r[3]] for r in GOOD])
    (HERE / "bom_only.csv").write_bytes(b"\xef\xbb\xbf")
    (HERE / "blank_lines.csv").write_bytes(b"\r\n\r\n  \n")
    (HERE / "cp1258.csv").write_bytes(encode_cp1258("\n".join(
        [",".join(f'"{h}"' if "," in h else h for h in CTA_HEADERS)] +
        [",".join(str(v) for v in r) for r in GOOD]) + "\n"))
    _csv("utf8_bom.csv", CTA_HEADERS, GOOD, encoding="utf-8-sig")
    wb = Workbook()
    ws = wb.active
    ws.title = "xa"
    ws.append(CTA_HEADERS)
    for row in [*GOOD, ["Xã Gộp Ô", "có", 1, 1500, 200, "98%", 0, 0, 0], [None, "có", 1, 1500, 200, "98%", 0, 0, 0]]:
        ws.append(row)
    ws.merge_cells("A4:A5")  # the unit name merged over two rows: the second row has no name
    wb.save(HERE / "merged_cells.xlsx")
    (HERE / "password_protected.xlsx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    (HERE / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    (HERE / "old_format.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))


def million_rows(path: Path) -> Path:
    """A workbook whose used range reaches row 1,000,000 (a stray space) with two real units."""
    wb = Workbook()
    ws = wb.active
    ws.title = "xa"
    ws.append(CTA_HEADERS)
    for row in GOOD:
        ws.append(row)
    ws["A1000000"] = " "
    wb.save(path)
    return path


if __name__ == "__main__":
    make()
