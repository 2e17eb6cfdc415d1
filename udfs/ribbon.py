"""Python entry points of the "Thi đua" ribbon buttons (called from the add-in's ThiDua module).

"Tính lại" is VBA alone (Application.CalculateFullRebuild) and "Tạo sổ mới từ
mẫu" runs ``python -m thidua_xl template`` from VBA, so it works with no
workbook open; the two buttons that read a workbook come here.

Thin: each wraps the calling workbook and runs a macro from
``thidua_xl.workbook.macros``; any error becomes a Vietnamese message box,
never a traceback.
"""

from __future__ import annotations

import xlwings as xw

from thidua_xl.workbook import macros
from udfs.book import XlwingsBook

BUTTONS = {
    "tinh_lai": "Tính lại",
    "kiem_tra_du_lieu": "Kiểm tra dữ liệu",
    "tao_bang_khen_thuong": "Tạo bảng khen thưởng",
    "tao_so_moi": "Tạo sổ mới từ mẫu",
}


def _run(title: str, action) -> None:
    book = xw.Book.caller()
    try:
        action(XlwingsBook(book))
    except Exception as err:  # shown to the user, never a traceback in Excel
        message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        book.app.alert(str(message), title=f"Thi đua — {title}")


def kiem_tra_du_lieu() -> None:
    _run(BUTTONS["kiem_tra_du_lieu"], macros.check_data)


def tao_bang_khen_thuong() -> None:
    _run(BUTTONS["tao_bang_khen_thuong"], macros.build_awards)
