"""Telling about bad rows: the reject tally and the rejects file, one Vietnamese sentence per row.

Each sentence names the file line, the dossier, the unit, the export's column and the value, so the
secretary can find and fix the row in the export; the export's own cells follow, unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from ..cells import FORMULA_START_CLASS, csv_text
from ..outputs import atomic_write
from .pipeline import REASONS, export_text, sql_name, sql_printf_text, sql_text, unit_join
from .profile import VALUE_CODES, Profile
from .source import Source

# DuckDB's CSV error types → what a secretary can do about it.
STRUCTURE_ERRORS = {
    "TOO MANY COLUMNS": "nhiều ô hơn dòng tiêu đề (có dấu phân cách trong một ô mà không đặt trong ngoặc kép?)",
    "UNQUOTED VALUE": "dấu ngoặc kép không đóng hoặc đặt sai",
    "INVALID UNICODE": "có ký tự không đọc được (sai bảng mã)",
    "INVALID ENCODING": "có ký tự không đọc được (sai bảng mã)",
    "LINE SIZE OVER MAXIMUM": "dòng quá dài",
}


def _messages(source: Source, profile: Profile) -> str:
    """SQL for the Vietnamese sentence of a rejected row: line, dossier, unit, column and value."""
    def where(field: str) -> str:
        return sql_printf_text(f"cột '{source.header_of(field)}'")

    def bad_value(field: str, what: str) -> str:
        return f"{where(field)} || printf(' = ''%s'' {what}', raw_{field})"

    who = "printf('Dòng %d, hồ sơ ''%s'', đơn vị ''%s'': ', line, raw_ma_ho_so, raw_don_vi)"
    messages = {
        "thieu_ma": f"printf('Dòng %d, đơn vị ''%s'': ', line, raw_don_vi) || {where('ma_ho_so')} || ' trống'",
        "trung_ma": f"{who} || printf('trùng mã hồ sơ với dòng %d (giữ dòng đầu)', first_line)",
        "don_vi": f"{who} || 'đơn vị ' || unit_problem",
        "ket_qua_truoc_tiep_nhan": f"{who} || printf('ngày có kết quả %s trước ngày tiếp nhận %s', "
                                   "strftime(t_kq, '%d/%m/%Y'), strftime(t_nhan, '%d/%m/%Y'))",
    }
    for field in ("ngay_tiep_nhan", "han_xu_ly", "ngay_co_ket_qua"):
        messages[field] = f"{who} || {bad_value(field, 'không phải ngày hợp lệ')}"
    for field in VALUE_CODES:
        if field in source.fields:
            messages[field] = (f"{who} || {bad_value(field, 'không rõ (cần: ')} || "
                               f"{sql_printf_text(profile.accepted(field))} || ')'")
    return "CASE " + " ".join(f"WHEN reason = {sql_text(c)} THEN {m}" for c, m in messages.items()) + " END"


def reject_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("SELECT reason, count(*) FROM rows WHERE reason IS NOT NULL GROUP BY 1").fetchall()
    counts = dict(rows)
    counts["cau_truc"] = con.execute("SELECT count(*) FROM bad_lines").fetchone()[0]
    return {code: counts[code] for code in REASONS if counts.get(code)}



def _structure_message() -> str:
    kinds = " ".join(f"WHEN {sql_text(k)} THEN {sql_text(v)}" for k, v in STRUCTURE_ERRORS.items())
    return (f"printf('Dòng %d: ', line) || CASE error_type {kinds} ELSE error_message END || "
            "' — nội dung: ' || left(trim(nfc_normalize(replace(replace(csv_line, chr(13), ''), chr(10), ' '))), 200)")


def write_rejects(con: duckdb.DuckDBPyConnection, source: Source, profile: Profile, path: Path) -> Path:
    """The rejected rows with line, reason and the export's own values; UTF-8 with BOM (opens in Excel).

    Written atomically (a temporary file renamed into place), and never over the export itself.
    """
    formula_start = sql_text("^" + FORMULA_START_CLASS)

    def safe(expr: str) -> str:  # text a spreadsheet would read as a formula gets a leading apostrophe
        return f"CASE WHEN regexp_matches({expr}, {formula_start}) THEN '''' || {expr} ELSE {expr} END"

    texts = ", ".join(f"nfc_normalize(coalesce({export_text('r', f, profile)}, '')) AS raw_{f}" for f in source.fields)
    cols = [f"{safe(f'raw_{f}')} AS {sql_name(str(csv_text(source.header_of(f))))}" for f in source.fields]

    def write(target: Path) -> None:
        fd, name = tempfile.mkstemp(prefix=".rejects-", suffix=".csv", dir=target.parent)
        os.close(fd)
        body = Path(name)
        try:
            con.execute(f"""COPY (
                WITH bad AS (
                    SELECT b.line, b.reason, b.first_line, b.t_kq, b.t_nhan, u.unit_problem, {texts}
                    FROM rows b JOIN raw r ON r.rowid = b.rid {unit_join(source, 'r')}
                    WHERE b.reason IS NOT NULL
                )
                SELECT line AS "Dòng", reason AS "Mã lý do", {safe(_messages(source, profile))} AS "Lý do",
                       {', '.join(cols)}
                FROM bad
                UNION ALL
                SELECT line, 'cau_truc', {safe(_structure_message())}, {', '.join("''" for _ in cols)}
                FROM bad_lines
                ORDER BY 1) TO {sql_text(str(body))} (HEADER, DELIMITER ',')""")
            with target.open("wb") as out, body.open("rb") as src:
                out.write(b"\xef\xbb\xbf")
                shutil.copyfileobj(src, out)
        finally:
            body.unlink(missing_ok=True)

    return atomic_write(path, write, protect=(source.original, source.path))
