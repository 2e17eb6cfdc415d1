"""Dossier rows → checked rows → monthly counts per unit, in DuckDB (embedded, spills to disk).

Three statements over the file: load the mapped columns, classify each row
(parsed dates, codes, unit, the first problem found), aggregate. Lookups of
units and coded values are done in Python on the few distinct texts and
joined back, so names match whatever their composition. The database lives
in a temporary folder with a memory limit, so 5 million rows run in bounded
memory; nothing is kept after the run.

Readings recorded here (DESIGN.md: interpretation next to the rule):
* receipt-based counts (tiếp nhận, trực tuyến, bưu chính, thanh toán, số hóa,
  đánh giá) go to the month of ``ngày tiếp nhận``; resolution-based counts
  (đã giải quyết, trước/đúng/trễ hạn, kết quả điện tử) to the month of
  ``ngày có kết quả``;
* timeliness is compared by calendar day: result day < due day → trước hạn,
  same day → đúng hạn, later → trễ hạn;
* a dossier code seen twice keeps its first row; later rows are rejects;
* a dossier past its due date without a result at the end of the period is
  counted apart ("quá hạn chưa có kết quả"), not as a late resolved dossier;
  one still within its due date is counted too ("đang xử lý trong hạn"): the
  766 on-time rate (portal formula 2.1) counts dossiers "đã và đang xử lý";
* with a catalogue of published online procedures (``--danh-muc``), a row is
  "của DVCTT đã công bố" when its procedure (code, or text starting with the
  code) is in the catalogue; without one every dossier is (Hậu Giang 2023's
  denominator is then a lower bound, and the summary says so).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from ..vn import fold
from .profile import VALUE_CODES, Profile
from .progress import Steps
from .source import Source
from .units import UnitDirectory

ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
DATES = ("ngay_tiep_nhan", "han_xu_ly", "ngay_co_ket_qua")

# reason code → short Vietnamese label (summary); checked in this order, the first one found is the row's reason.
REASONS: dict[str, str] = {
    "cau_truc": "dòng sai cấu trúc CSV",
    "thieu_ma": "thiếu mã hồ sơ",
    "trung_ma": "trùng mã hồ sơ",
    "don_vi": "đơn vị không nhận ra",
    "hinh_thuc_nop": "hình thức nộp không rõ",
    "ngay_tiep_nhan": "ngày tiếp nhận không đọc được",
    "han_xu_ly": "hạn xử lý không đọc được",
    "ngay_co_ket_qua": "ngày có kết quả không đọc được",
    "ket_qua_truoc_tiep_nhan": "có kết quả trước ngày tiếp nhận",
    "thanh_toan": "giá trị thanh toán trực tuyến không rõ",
    "so_hoa": "giá trị số hóa không rõ",
    "ket_qua_dien_tu": "giá trị kết quả điện tử không rõ",
    "danh_gia": "giá trị đánh giá không rõ",
    "phan_anh": "giá trị phản ánh, kiến nghị không rõ",
}

# Monthly count columns, and which optional export field each needs (None: always available).
COUNTS: dict[str, str | None] = {
    "ho_so_tiep_nhan": None, "ho_so_truc_tuyen": None, "ho_so_toan_trinh": None, "ho_so_mot_phan": None,
    "ho_so_truc_tiep": None, "ho_so_buu_chinh": None, "ho_so_truc_tuyen_khong_tai_khoan": "tai_khoan",
    "ho_so_phai_thanh_toan": "thanh_toan", "ho_so_thanh_toan_truc_tuyen": "thanh_toan",
    "ho_so_so_hoa": "so_hoa", "ho_so_danh_gia": "danh_gia", "ho_so_hai_long": "danh_gia",
    "ho_so_phan_anh": "phan_anh", "ho_so_dvctt_cong_bo": None, "ho_so_truc_tuyen_dvctt_cong_bo": None,
    "ho_so_da_giai_quyet": None, "ho_so_truoc_han": None, "ho_so_dung_han": None, "ho_so_tre_han": None,
    "ho_so_truc_tuyen_da_giai_quyet": None, "ho_so_truc_tuyen_dung_han": None, "ho_so_tre_han_truc_tuyen": None,
    "ho_so_ket_qua_dien_tu": "ket_qua_dien_tu",
}


def sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_name(text: str) -> str:
    """A SQL identifier (column name) in double quotes."""
    return '"' + text.replace('"', '""') + '"'


def sql_printf_text(text: str) -> str:
    """Literal text inside a printf format."""
    return sql_text(text.replace("%", "%%"))


_MEMORY = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$", re.IGNORECASE)
_UNIT_BYTES = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
               "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def check_memory(text: str) -> str:
    """``--memory`` as DuckDB reads it ("1GB", "512MB"), at least 64 MB; anything else is refused."""
    from .source import ExportError

    found = _MEMORY.match(text or "")
    size = float(found.group(1).replace(",", ".")) * _UNIT_BYTES[found.group(2).lower()] if found else 0
    if not found or not 64 * 10**6 <= size <= 2**50:
        raise ExportError(f"--memory '{text}' không hợp lệ: ghi dung lượng như 1GB, 512MB hoặc 4GB "
                          "(ít nhất 64MB).")
    return f"{found.group(1).replace(',', '.')}{found.group(2)}"


def memory_bytes(text: str) -> int:
    """Bytes of a limit written as :func:`check_memory` accepts it."""
    found = _MEMORY.match(text)
    assert found is not None, text
    return int(float(found.group(1).replace(",", ".")) * _UNIT_BYTES[found.group(2).lower()])


def connect(workdir: Path, memory_limit: str, threads: int | None) -> duckdb.DuckDBPyConnection:
    """The run's database file, in a temporary folder.

    ``memory_limit`` bounds the whole process: DuckDB gets three quarters, the rest is left to Python
    (lookups, result frames). Tables are stored uncompressed: the file lives only for the run, and
    compressing 5 million rows of text costs more than reading the export.
    """
    con = duckdb.connect(str(workdir / "ingest.duckdb"))
    con.execute(f"SET memory_limit = '{memory_bytes(memory_limit) * 3 // 4 // 10**6}MB'")
    con.execute(f"SET temp_directory = {sql_text(str(workdir / 'spill'))}")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET force_compression = 'uncompressed'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def date_formats(profile: Profile) -> str:
    """The formats tried for a date cell, first match wins, as a SQL list."""
    return "[" + ", ".join(sql_text(f) for f in (*profile.date_formats, *ISO_FORMATS)) + "]"


def export_text(alias: str, field: str, profile: Profile) -> str:
    """SQL for the export's own text of a field (a date kept parsed is written back in the profile's format,
    which gives its text exactly: the text is kept whenever it would not)."""
    if field in DATES:
        return f"coalesce({alias}.{field}, strftime({alias}.t_{field}, {sql_text(profile.date_formats[0])}))"
    return f"{alias}.{field}"


def load(steps: Steps, source: Source, profile: Profile) -> int:
    """Copy the mapped columns of every row into table ``raw`` (rowid = order in the file).

    The layout is fixed by the header (no sniffing), so a malformed line — extra cells, an unclosed
    quote, bad bytes — is set aside in ``bad_lines`` with its line number instead of stopping the run
    (or, worse, shifting the columns). Lines of the rows after a set-aside line are corrected.
    Dates are parsed while reading (``t_<field>``); their text is kept only when writing the parsed value
    back in the profile's format would not give it (:func:`export_text`), so most rows store no date text.
    """
    con = steps.con
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(source.headers)))
    formats, first = date_formats(profile), sql_text(profile.date_formats[0])
    picks = [f"try_strptime(trim(coalesce(c{i}, '')), {formats}) AS t_{name}, "
             f"CASE WHEN strftime(t_{name}, {first}) IS DISTINCT FROM c{i} THEN c{i} END AS {name}"
             if name in DATES else f"c{i} AS {name}" for name, i in source.fields.items()]
    line = (f"TRY_CAST(c{source.line_column} AS BIGINT)" if source.line_column is not None else "NULL::BIGINT")

    def read(parallel: bool) -> None:
        steps.run("Đọc tệp", f"""
            CREATE OR REPLACE TABLE raw AS SELECT {', '.join(picks)}, {line} AS line_in_file FROM read_csv(
                {sql_text(str(source.path))}, auto_detect = false, header = true, columns = {{{columns}}},
                delim = {sql_text(source.delimiter)}, quote = '"', escape = '"', null_padding = true,
                parallel = {str(parallel).lower()}, ignore_errors = true, store_rejects = true,
                rejects_table = 'csv_errors', rejects_scan = 'csv_scans')""")

    try:
        read(parallel=True)
    except duckdb.Error as err:
        # A quoted cell holding a line break (Alt+Enter in Excel) is valid CSV, but DuckDB's parallel
        # reader cannot split such a file: read it again in one pass rather than refuse the export.
        if "parallel=false" not in str(err):
            raise
        for table in ("raw", "csv_errors", "csv_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        read(parallel=False)
    con.execute("""CREATE TABLE bad_lines AS
                   SELECT line, first(error_type) AS error_type, first(csv_line) AS csv_line,
                          first(error_message) AS error_message
                   FROM csv_errors GROUP BY line ORDER BY line""")
    skipped = con.execute("SELECT count(*) FROM bad_lines").fetchone()[0]
    if skipped and source.line_column is None:
        # the k-th data row after j set-aside lines sits on file line k + 2 + j (header is line 1)
        con.execute("""CREATE TABLE shifts AS
                       SELECT line - 1 - row_number() OVER (ORDER BY line) AS from_rowid,
                              row_number() OVER (ORDER BY line) AS lines_before FROM bad_lines""")
        con.execute("""CREATE TABLE raw_numbered AS
                       SELECT r.* EXCLUDE (line_in_file), r.rid + 2 + coalesce(s.lines_before, 0) AS line_in_file
                       FROM (SELECT *, rowid AS rid FROM raw) r ASOF LEFT JOIN shifts s ON r.rid >= s.from_rowid
                       ORDER BY r.rid""")
        con.execute("DROP TABLE raw")
        con.execute("CREATE TABLE raw AS SELECT * EXCLUDE (rid) FROM raw_numbered ORDER BY rid")
        con.execute("DROP TABLE raw_numbered")
    return con.execute("SELECT count(*) FROM raw").fetchone()[0] + skipped


def _lookup(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register(f"{name}_df", frame)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_df")
    con.unregister(f"{name}_df")


def in_catalogue(value: object, codes: frozenset[str]) -> bool:
    """A procedure written as its code, or as text starting with the code ("1.001234 - Đăng ký khai sinh")."""
    text = fold(value)
    return text in codes or any(text.startswith(code) and not text[len(code):len(code) + 1].isalnum()
                                for code in codes)


def build_lookups(con: duckdb.DuckDBPyConnection, source: Source, profile: Profile, units: UnitDirectory,
                  catalogue: frozenset[str] | None = None) -> None:
    """Distinct export texts → unit id / code, decided in Python (folding, prefixes), joined back in SQL."""
    has_huyen = "huyen" in source.fields
    cols = "coalesce(don_vi, ''), " + ("coalesce(huyen, '')" if has_huyen else "''")
    rows = con.execute(f"SELECT DISTINCT {cols} FROM raw").fetchall()
    found = [(n, h, units.find(n, h)) for n, h in rows]
    _lookup(con, "unit_map", pd.DataFrame({
        "don_vi": [n for n, _, _ in found], "huyen": [h for _, h, _ in found],
        "unit_id": pd.array([u.id if not isinstance(u, str) else None for _, _, u in found], dtype="Int64"),
        "unit_problem": [u if isinstance(u, str) else None for _, _, u in found],
    }, columns=["don_vi", "huyen", "unit_id", "unit_problem"]))
    for field in VALUE_CODES:
        if field not in source.fields:
            continue
        values = [v for (v,) in con.execute(f"SELECT DISTINCT coalesce({field}, '') FROM raw").fetchall()]
        _lookup(con, f"{field}_map", pd.DataFrame(
            {"v": values, "code": [profile.code_of(field, v) for v in values]}, columns=["v", "code"]))
    if catalogue is not None:
        values = [v for (v,) in con.execute("SELECT DISTINCT coalesce(thu_tuc, '') FROM raw").fetchall()]
        _lookup(con, "danh_muc_map", pd.DataFrame({"v": values, "ok": [in_catalogue(v, catalogue) for v in values]},
                                                  columns=["v", "ok"]))


def unit_join(source: Source, alias: str) -> str:
    huyen = f"coalesce({alias}.huyen, '')" if "huyen" in source.fields else "''"
    return f"LEFT JOIN unit_map u ON coalesce({alias}.don_vi, '') = u.don_vi AND {huyen} = u.huyen"


def classify(steps: Steps, source: Source, profile: Profile, catalogue: bool = False) -> None:
    """Table ``rows``: parsed fields, the unit and the first problem of each row (NULL: the row is good).

    Only what the counts need is stored; the export's own texts stay in ``raw`` and are joined back
    for the few rejected rows (:func:`write_rejects`).
    """
    fields = source.fields

    def date(field: str) -> str:  # every rule compares calendar days: a DATE is half a TIMESTAMP's width
        return f"r.t_{field}::DATE"

    coded = [f for f in VALUE_CODES if f in fields]
    joins = [f"LEFT JOIN {f}_map m_{f} ON coalesce(r.{f}, '') = m_{f}.v" for f in coded]
    if catalogue:
        joins.append("LEFT JOIN danh_muc_map m_dm ON coalesce(r.thu_tuc, '') = m_dm.v")
    code_cols = [f"m_{f}.code::ma_t AS {f}" for f in coded] + [f"NULL::ma_t AS {f}" for f in VALUE_CODES
                                                                 if f not in fields]
    account = "lower(trim(coalesce(r.tai_khoan, '')))" if "tai_khoan" in fields else "''"
    tests = {
        "thieu_ma": "ma = ''",
        "trung_ma": "first_rid IS NOT NULL AND rid > first_rid",
        "don_vi": "unit_id IS NULL",
        "hinh_thuc_nop": "hinh_thuc_nop IS NULL",
        "ngay_tiep_nhan": "t_nhan IS NULL",
        "han_xu_ly": "t_han IS NULL",
        "ngay_co_ket_qua": "t_kq IS NULL AND kq_given",
        "ket_qua_truoc_tiep_nhan": "t_kq::DATE < t_nhan::DATE",
        **{f: f"{f} IS NULL" for f in coded if f != "hinh_thuc_nop"},
    }
    reason = ("CASE " + " ".join(f"WHEN {tests[c]} THEN {sql_text(c)}" for c in REASONS if c in tests)
              + " END::ly_do_t")
    # Narrow row layout (one-byte codes and reasons, dates), so 5 million rows stay in memory as a TEMP table
    # instead of being written to and read back from the database file.
    enum = ", ".join(sql_text(c) for c in sorted({c for codes in VALUE_CODES.values() for c in codes}))
    steps.con.execute(f"CREATE TYPE ma_t AS ENUM ({enum})")
    steps.con.execute(f"CREATE TYPE ly_do_t AS ENUM ({', '.join(sql_text(c) for c in REASONS)})")
    sql = f"""
        CREATE TEMP TABLE rows AS
        WITH dup AS (
            SELECT trim(coalesce(ma_ho_so, '')) AS ma, min(rowid) AS first_rid, min(line_in_file) AS first_in_file
            FROM raw GROUP BY 1 HAVING count(*) > 1 AND ma <> ''
        ), parsed AS (
            SELECT r.rowid AS rid, coalesce(r.line_in_file, r.rowid + 2) AS line,
                   trim(coalesce(r.ma_ho_so, '')) AS ma, u.unit_id, {', '.join(code_cols)},
                   {date('ngay_tiep_nhan')} AS t_nhan, {date('han_xu_ly')} AS t_han,
                   r.t_ngay_co_ket_qua IS NOT NULL OR trim(coalesce(r.ngay_co_ket_qua, '')) <> '' AS kq_given,
                   CASE WHEN kq_given THEN {date('ngay_co_ket_qua')} END AS t_kq,
                   {account} AS tai_khoan, {"coalesce(m_dm.ok, FALSE)" if catalogue else "TRUE"} AS dvctt
            FROM raw r {unit_join(source, 'r')} {' '.join(joins)}
        ), flagged AS (
            SELECT p.*, coalesce(d.first_in_file, d.first_rid + 2) AS first_line, {reason} AS reason
            FROM parsed p LEFT JOIN dup d USING (ma)
        )
        SELECT rid, line, unit_id, hinh_thuc_nop, thanh_toan, so_hoa, ket_qua_dien_tu, danh_gia, phan_anh,
               t_nhan, t_han, t_kq, dvctt,
               CASE WHEN hinh_thuc_nop IN ('toan_trinh', 'mot_phan') THEN tai_khoan END AS tai_khoan,
               first_line, reason
        FROM flagged
    """
    steps.run("Kiểm tra từng hồ sơ", sql)


def aggregate(steps: Steps, first: str | None, last: str | None,
              top: int) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """Monthly counts per unit (all months); per unit over [first, last]: the account figures and the
    dossiers still without a result past their due date at the end of the period (and that date)."""
    online = "hinh_thuc_nop IN ('toan_trinh', 'mot_phan')"
    sql = f"""
        CREATE TABLE monthly AS
        WITH ok AS (SELECT * FROM rows WHERE reason IS NULL),
        recv AS (
            SELECT unit_id, strftime(t_nhan, '%Y-%m') AS thang,
                count(*) AS ho_so_tiep_nhan,
                count(*) FILTER (WHERE {online}) AS ho_so_truc_tuyen,
                count(*) FILTER (WHERE hinh_thuc_nop = 'toan_trinh') AS ho_so_toan_trinh,
                count(*) FILTER (WHERE hinh_thuc_nop = 'mot_phan') AS ho_so_mot_phan,
                count(*) FILTER (WHERE hinh_thuc_nop = 'truc_tiep') AS ho_so_truc_tiep,
                count(*) FILTER (WHERE hinh_thuc_nop = 'buu_chinh') AS ho_so_buu_chinh,
                count(*) FILTER (WHERE {online} AND tai_khoan = '') AS ho_so_truc_tuyen_khong_tai_khoan,
                count(*) FILTER (WHERE thanh_toan IN ('co', 'khong')) AS ho_so_phai_thanh_toan,
                count(*) FILTER (WHERE thanh_toan = 'co') AS ho_so_thanh_toan_truc_tuyen,
                count(*) FILTER (WHERE so_hoa = 'co') AS ho_so_so_hoa,
                count(*) FILTER (WHERE danh_gia IN ('hai_long', 'khong_hai_long')) AS ho_so_danh_gia,
                count(*) FILTER (WHERE danh_gia = 'hai_long') AS ho_so_hai_long,
                count(*) FILTER (WHERE phan_anh = 'co') AS ho_so_phan_anh,
                count(*) FILTER (WHERE dvctt) AS ho_so_dvctt_cong_bo,
                count(*) FILTER (WHERE {online} AND dvctt) AS ho_so_truc_tuyen_dvctt_cong_bo
            FROM ok GROUP BY ALL
        ),
        done AS (
            SELECT unit_id, strftime(t_kq, '%Y-%m') AS thang,
                count(*) AS ho_so_da_giai_quyet,
                count(*) FILTER (WHERE t_kq::DATE < t_han::DATE) AS ho_so_truoc_han,
                count(*) FILTER (WHERE t_kq::DATE = t_han::DATE) AS ho_so_dung_han,
                count(*) FILTER (WHERE t_kq::DATE > t_han::DATE) AS ho_so_tre_han,
                count(*) FILTER (WHERE {online}) AS ho_so_truc_tuyen_da_giai_quyet,
                count(*) FILTER (WHERE {online} AND t_kq::DATE <= t_han::DATE) AS ho_so_truc_tuyen_dung_han,
                count(*) FILTER (WHERE {online} AND t_kq::DATE > t_han::DATE) AS ho_so_tre_han_truc_tuyen,
                count(*) FILTER (WHERE ket_qua_dien_tu = 'co') AS ho_so_ket_qua_dien_tu
            FROM ok WHERE t_kq IS NOT NULL GROUP BY ALL
        )
        SELECT *
        FROM recv FULL OUTER JOIN done USING (unit_id, thang)
    """
    steps.run("Tổng hợp theo tháng", sql)
    monthly = steps.con.execute("SELECT * FROM monthly ORDER BY unit_id, thang").df()
    period = "TRUE"
    params: list[object] = []
    if first:
        period += " AND strftime(t_nhan, '%Y-%m') >= ?"
        params.append(first)
    if last:
        period += " AND strftime(t_nhan, '%Y-%m') <= ?"
        params.append(last)
    accounts = steps.con.execute(f"""
        WITH c AS (
            SELECT unit_id, tai_khoan, count(*) AS n FROM rows
            WHERE reason IS NULL AND {online} AND tai_khoan <> '' AND {period} GROUP BY ALL
        ), r AS (
            SELECT unit_id, n, row_number() OVER (PARTITION BY unit_id ORDER BY n DESC, tai_khoan) AS k FROM c
        )
        SELECT unit_id, count(*) AS tai_khoan_nop, sum(n) AS ho_so_co_tai_khoan,
               sum(n) FILTER (WHERE k <= {int(top)}) AS ho_so_top_tai_khoan
        FROM r GROUP BY unit_id ORDER BY unit_id
    """, params).df()
    cutoff = steps.con.execute(
        "SELECT last_day(strptime(?, '%Y-%m'))::DATE" if last else
        # no --den: the export's last day (receipts or results), so a dossier resolved is never also pending
        "SELECT greatest(max(t_nhan), max(t_kq))::DATE FROM rows WHERE reason IS NULL",
        [last] if last else None).fetchone()[0]
    # Still without a result at the end of the period: past the due date (against on-time) or within it (for).
    pending = steps.con.execute(f"""
        SELECT unit_id, count(*) FILTER (WHERE t_han::DATE < ?::DATE) AS ho_so_dang_qua_han,
               count(*) FILTER (WHERE t_han::DATE < ?::DATE AND {online}) AS ho_so_truc_tuyen_dang_qua_han,
               count(*) FILTER (WHERE t_han::DATE >= ?::DATE) AS ho_so_dang_trong_han
        FROM rows
        WHERE reason IS NULL AND t_nhan::DATE <= ?::DATE AND (t_kq IS NULL OR t_kq::DATE > ?::DATE)
        GROUP BY unit_id ORDER BY unit_id
    """, [cutoff] * 5).df()
    return monthly, accounts.merge(pending, on="unit_id", how="outer"), cutoff


def month_end_figures(con: duckdb.DuckDBPyConnection, months: list[str], cutoff: object, top: int) -> pd.DataFrame:
    """Per unit and month (a units book kept by month): the account figures of the month's receipts and the
    dossiers still without a result at the month's end (the last month's end is the run's cut-off), so each
    month's figures are computed as the whole period's are."""
    import datetime as dt

    columns = ["unit_id", "thang", "tai_khoan_nop", "ho_so_co_tai_khoan", "ho_so_top_tai_khoan",
               "ho_so_dang_qua_han", "ho_so_truc_tuyen_dang_qua_han", "ho_so_dang_trong_han"]
    if not months:
        return pd.DataFrame(columns=columns)
    online = "hinh_thuc_nop IN ('toan_trinh', 'mot_phan')"
    ends = []
    for month in months:
        year, number = int(month[:4]), int(month[5:7])
        end = dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
        ends.append((month, min(end, cutoff) if isinstance(cutoff, dt.date) else end))
    con.execute("CREATE OR REPLACE TEMP TABLE month_ends (thang VARCHAR, d DATE)")
    con.executemany("INSERT INTO month_ends VALUES (?, ?)", ends)
    accounts = con.execute(f"""
        WITH c AS (
            SELECT unit_id, strftime(t_nhan, '%Y-%m') AS thang, tai_khoan, count(*) AS n FROM rows
            WHERE reason IS NULL AND {online} AND tai_khoan <> '' GROUP BY ALL
        ), r AS (
            SELECT unit_id, thang, n,
                   row_number() OVER (PARTITION BY unit_id, thang ORDER BY n DESC, tai_khoan) AS k FROM c
        )
        SELECT unit_id, thang, count(*) AS tai_khoan_nop, sum(n) AS ho_so_co_tai_khoan,
               sum(n) FILTER (WHERE k <= {int(top)}) AS ho_so_top_tai_khoan
        FROM r WHERE thang IN (SELECT thang FROM month_ends) GROUP BY unit_id, thang
    """).df()
    pending = con.execute(f"""
        SELECT unit_id, m.thang, count(*) FILTER (WHERE t_han::DATE < m.d) AS ho_so_dang_qua_han,
               count(*) FILTER (WHERE t_han::DATE < m.d AND {online}) AS ho_so_truc_tuyen_dang_qua_han,
               count(*) FILTER (WHERE t_han::DATE >= m.d) AS ho_so_dang_trong_han
        FROM rows JOIN month_ends m ON t_nhan::DATE <= m.d AND (t_kq IS NULL OR t_kq::DATE > m.d)
        WHERE reason IS NULL GROUP BY unit_id, m.thang
    """).df()
    return accounts.merge(pending, on=["unit_id", "thang"], how="outer")[columns]
