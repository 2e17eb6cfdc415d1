"""Synthetic dossier exports in the shipped profile's format, for demos, tests and the 5 M-row benchmark.

Numbers come from a seeded numpy generator (same seed → same file); DuckDB
turns them into text and writes the CSV in chunks, so millions of rows take
seconds and little memory. Each unit has its own online share, lateness and
account pool (some units file most online dossiers through a few accounts,
the Hậu Giang tie-break case). Known bad rows can be planted at fixed
positions, one kind per position, so a run must reject exactly those.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .source import ExportError
from .units import Unit

HEADERS = ("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Đơn vị tiếp nhận", "Hình thức nộp", "Tài khoản nộp hồ sơ",
           "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Thanh toán trực tuyến", "Số hóa hồ sơ",
           "Kết quả điện tử", "Đánh giá hài lòng")
PROCEDURES = ("Đăng ký khai sinh", "Đăng ký kết hôn", "Chứng thực bản sao từ bản chính", "Cấp giấy phép xây dựng",
              "Đăng ký hộ kinh doanh", "Đăng ký thường trú", "Cấp đổi giấy chứng nhận quyền sử dụng đất",
              "Trợ cấp xã hội hằng tháng", "Xác nhận tình trạng hôn nhân", "Đăng ký khai tử")
FORMS = ("Trực tuyến toàn trình", "Trực tuyến một phần", "Trực tiếp", "Bưu chính công ích")
PAID = ("", "Có", "Không")
RATING = ("", "Rất hài lòng", "Hài lòng", "Không hài lòng")
UNKNOWN_UNIT = "UBND xã Không Có Trong Kế Hoạch"

# Planted bad rows: reason code → position in every block of BAD_PERIOD rows (1-based STT modulo the period).
BAD_PERIOD = 1000
BAD_AT = {"ngay_tiep_nhan": 101, "don_vi": 303, "ket_qua_truoc_tiep_nhan": 505, "trung_ma": 707}
CHUNK_ROWS = 1_000_000
EXCEL_ROWS = 1_048_576
YEAR_START = np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64)
DAY = 86_400


@dataclass(frozen=True)
class Planted:
    """Rows written and the rejects a correct run must report, per reason."""

    rows: int
    rejects: dict[str, int]
    path: Path | None = None  # the file written


def export_name(unit: Unit) -> str:
    """How a one-stop system names the receiving office: "UBND xã Vị Tân" for a local government."""
    local = ("xã ", "phường ", "thị trấn ", "huyện ", "thị xã ", "thành phố ")
    lowered = unit.name[:1].lower() + unit.name[1:]
    return f"UBND {lowered}" if lowered.startswith(local) else unit.name


def _unit_table(units: list[Unit], rng: np.random.Generator, nfd_every: int) -> pd.DataFrame:
    names = [export_name(u) for u in units]
    if nfd_every:  # some offices' software writes decomposed Unicode
        names = [unicodedata.normalize("NFD", n) if i % nfd_every == 1 else n for i, n in enumerate(names)]
    n = len(units)
    big = np.array([u.bloc in ("huyen", "so_nganh") for u in units])
    return pd.DataFrame({
        "name": names,
        "weight": np.where(big, 4.0, 1.0) * rng.uniform(0.5, 1.5, n),
        "p_online": rng.uniform(0.55, 0.99, n),
        "p_postal": rng.uniform(0.0, 0.08, n),
        "p_late": rng.choice([0.0, 0.002, 0.01, 0.03], n, p=[0.4, 0.3, 0.2, 0.1]),
        "pool": np.where(rng.uniform(0, 1, n) < 0.2, rng.integers(3, 10, n), rng.integers(200, 5000, n)),
    })


def _chunk(start: int, size: int, units: pd.DataFrame, rng: np.random.Generator, bad: bool) -> pd.DataFrame:
    stt = np.arange(start + 1, start + size + 1, dtype=np.int64)
    unit = rng.choice(len(units), size, p=(units["weight"] / units["weight"].sum()).to_numpy())
    u = units.iloc[unit]
    draw = rng.uniform(0, 1, size)
    online = draw < u["p_online"].to_numpy()
    postal = ~online & (draw < u["p_online"].to_numpy() + u["p_postal"].to_numpy())
    full = online & (rng.uniform(0, 1, size) < 0.6)
    form = np.where(full, 0, np.where(online, 1, np.where(postal, 3, 2)))
    pool = u["pool"].to_numpy()
    account = np.where(online, (pool * rng.uniform(0, 1, size) ** 2).astype(np.int64), -1)
    recv = YEAR_START + rng.integers(0, 365, size) * DAY + rng.integers(7 * 3600, 17 * 3600, size)
    due = (recv // DAY + rng.integers(1, 16, size)) * DAY + 17 * 3600
    resolved = rng.uniform(0, 1, size) < 0.93
    late = rng.uniform(0, 1, size) < u["p_late"].to_numpy()
    result = np.where(late, due + rng.integers(1, 6, size) * DAY,
                      recv + ((due - recv) * rng.uniform(0.1, 1.0, size)).astype(np.int64))
    result = np.where(resolved, result, -1)
    fee = rng.uniform(0, 1, size) < 0.3
    paid = np.where(fee, np.where(rng.uniform(0, 1, size) < np.where(online, 0.7, 0.1), 1, 2), 0)
    rated = resolved & (rng.uniform(0, 1, size) < 0.4)
    rating = np.where(rated, rng.choice([1, 2, 3], size, p=[0.45, 0.52, 0.03]), 0)
    kind = np.zeros(size, dtype=np.int8)
    if bad:
        for k, (_, offset) in enumerate(BAD_AT.items(), start=1):
            kind[(stt % BAD_PERIOD) == offset] = k
    return pd.DataFrame({
        "stt": stt, "unit": unit, "proc": rng.integers(0, len(PROCEDURES), size), "form": form,
        "account": account, "recv": recv, "due": due, "result": result, "paid": paid,
        "digit": rng.uniform(0, 1, size) < 0.8, "eresult": resolved & (rng.uniform(0, 1, size) < 0.85),
        "rating": rating, "bad": kind,
    })


def _sql(units_sql: str) -> str:
    def ts(col: str) -> str:
        return f"strftime(make_timestamp(({col})::BIGINT * 1000000), '%d/%m/%Y %H:%M:%S')"

    return f"""
        SELECT c.stt AS "STT",
            printf('H33-%09d', CASE WHEN c.bad = 4 THEN c.stt - 1 ELSE c.stt END) AS "Mã hồ sơ",
            {_pick('PROCEDURES', 'c.proc')} AS "Tên thủ tục hành chính",
            CASE WHEN c.bad = 2 THEN {_lit(UNKNOWN_UNIT)} ELSE u.name END AS "Đơn vị tiếp nhận",
            {_pick('FORMS', 'c.form')} AS "Hình thức nộp",
            CASE WHEN c.account < 0 THEN '' ELSE printf('cd%03d%05d', c.unit, c.account) END AS "Tài khoản nộp hồ sơ",
            CASE WHEN c.bad = 1 THEN '31/02/2023' ELSE {ts('c.recv')} END AS "Ngày tiếp nhận",
            {ts('c.due')} AS "Ngày hẹn trả",
            CASE WHEN c.bad = 3 THEN {ts('c.recv - 3 * 86400')} WHEN c.result < 0 THEN ''
                 ELSE {ts('c.result')} END AS "Ngày có kết quả",
            {_pick('PAID', 'c.paid')} AS "Thanh toán trực tuyến",
            CASE WHEN c.digit THEN 'Đã số hóa' ELSE 'Chưa số hóa' END AS "Số hóa hồ sơ",
            CASE WHEN c.eresult THEN 'Có' ELSE '' END AS "Kết quả điện tử",
            {_pick('RATING', 'c.rating')} AS "Đánh giá hài lòng"
        FROM chunk c JOIN {units_sql} u ON u.idx = c.unit ORDER BY c.stt
    """


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pick(name: str, index: str) -> str:
    values = globals()[name]
    return "[" + ", ".join(_lit(v) for v in values) + f"][{index} + 1]"


def write_export(path: Path, units: list[Unit], rows: int, *, seed: int = 2023, bad_rows: bool = True,
                 nfd_every: int = 7) -> Planted:
    """Write ``rows`` dossiers to a CSV (UTF-8, comma) or, up to Excel's row limit, an .xlsx; atomically,
    through :func:`thidua_xl.outputs.atomic_write` (``Planted.path``: the file written)."""
    import tempfile

    from ..outputs import atomic_write
    from .pipeline import sql_text

    path = Path(path)
    if path.suffix.lower() == ".xlsx" and rows > EXCEL_ROWS - 1:
        raise ExportError(f"Một sheet Excel chứa tối đa {EXCEL_ROWS - 1:,} hồ sơ; hãy ghi ra .csv.".replace(",", "."))
    rng = np.random.default_rng(seed)
    table = _unit_table(units, rng, nfd_every).reset_index(names="idx")

    def write(target: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="thidua-synth-") as scratch:
            con = duckdb.connect()
            try:
                con.register("units_df", table)
                parts: list[Path] = []
                for start in range(0, rows, CHUNK_ROWS):
                    chunk = _chunk(start, min(CHUNK_ROWS, rows - start), table, rng, bad_rows)
                    con.register("chunk", chunk)
                    part = Path(scratch) / f"part{len(parts)}.csv"
                    con.execute(f"COPY ({_sql('units_df')}) TO {sql_text(str(part))} "
                                f"(HEADER {str(not parts).lower()}, DELIMITER ',')")
                    con.unregister("chunk")
                    parts.append(part)
            finally:
                con.close()
            if path.suffix.lower() == ".xlsx":
                _csv_to_xlsx(parts, target)
            else:
                with target.open("wb") as out:
                    if not parts:
                        out.write((",".join(f'"{h}"' for h in HEADERS) + "\n").encode("utf-8"))
                    for part in parts:
                        _append(part, out)

    written = atomic_write(path, write)
    planted = {code: (rows - offset) // BAD_PERIOD + 1 if rows >= offset else 0
               for code, offset in BAD_AT.items()} if bad_rows else {}
    return Planted(rows, {k: v for k, v in planted.items() if v}, written)


def _append(part: Path, out) -> None:
    import shutil

    with part.open("rb") as src:
        shutil.copyfileobj(src, out, 16 << 20)


def _csv_to_xlsx(parts: list[Path], path: Path) -> None:
    import csv

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách hồ sơ")
    for part in parts:
        with part.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                ws.append(row)
    wb.save(path)
