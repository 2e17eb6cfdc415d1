"""Reading one typed or pasted cell as a number, a rate or a yes/no.

Secretaries paste figures from many sources: Excel floats, "85%", "85,5 %",
"1.732" (Vietnamese thousands), "có"/"không". Each parser returns a plain
Python value or raises :class:`CellError` with a Vietnamese reason; the caller
adds the unit and the column to make the full message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .vn import fold, nfc


class CellError(ValueError):
    """A single cell could not be read; ``reason`` is Vietnamese, without unit/column."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Number:
    """A parsed number and whether it was written with a percent sign."""

    value: float
    percent: bool = False


_VN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_VN_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and nfc(raw) == ""


def parse_number(raw: object) -> Number | None:
    """Parse a numeric cell; ``None`` for a blank cell.

    Accepted: ints and floats, "85", "85.5", "85,5", "1.732" (thousands dot),
    "1.234,5", and any of these followed by "%". Booleans are refused: a
    TRUE in a number column is almost always a pasting accident.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(f"'{raw}' là giá trị đúng/sai, không phải số")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond float range
            raise CellError("số quá lớn, không phải số hữu hạn") from None
        if not math.isfinite(value):
            raise CellError("giá trị vô hạn hoặc không xác định (inf/NaN), không phải số")
        return Number(value)
    text = nfc(raw).replace("\u00a0", " ").replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if _VN_THOUSANDS.match(text) and not text.lstrip("+-").startswith("0."):
        value = float(text.replace(".", "").replace(",", "."))
    elif _VN_DECIMAL.match(text):
        value = float(text.replace(",", "."))
    elif _PLAIN.match(text):
        value = float(text)
    else:
        raise CellError(f"'{nfc(raw)}' không phải số")
    if not math.isfinite(value):
        raise CellError(f"'{nfc(raw)}' quá lớn, không phải số hữu hạn")
    return Number(value, percent)


def dot_use(raw: object) -> str | None:
    """How a typed number uses the dot: "thousands" (1.732, 12.345.678), "decimal" (1.5, 0.25) or None.

    A column holding both is ambiguous ("1.234" could be 1234 or 1,234): the caller refuses it rather than
    guessing one reading for some cells and the other for the rest.
    """
    if not isinstance(raw, str) or "." not in raw:
        return None
    text = nfc(raw).replace("\u00a0", "").replace(" ", "").rstrip("%")
    if _VN_THOUSANDS.match(text) and not text.lstrip("+-").startswith("0."):
        return "thousands"
    return "decimal" if _PLAIN.match(text) else None


_YES = {"có", "co", "x", "1", "yes", "y", "true", "đúng", "đã", "đạt", "rồi"}
_NO = {"không", "khong", "0", "no", "n", "false", "sai", "chưa", "chua", "-"}


def parse_yes_no(raw: object) -> float | None:
    """Parse a yes/no cell to 1.0/0.0; ``None`` for blank."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, int | float):
        if raw in (0, 1):
            return float(raw)
        raise CellError(f"'{raw}' không phải có/không (nhập 1 hoặc 0, 'có' hoặc 'không')")
    key = fold(raw)
    if key in _YES:
        return 1.0
    if key in _NO:
        return 0.0
    raise CellError(f"'{nfc(raw)}' không phải có/không (nhập 'có' hoặc 'không')")


# No plan gives a bloc more than 200 points; a criterion weight above this is a typing accident, not a plan.
MAX_WEIGHT = 1000.0


def weight_problem(value: object) -> str | None:
    """Why a weights-sheet cell cannot be a criterion's điểm chuẩn (None if it can). One rule for the worksheet
    functions and the award sheet, so the two never score with different weights."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return "phải là số"
    if value < 0:
        return "không được âm"
    if not math.isfinite(value) or value > MAX_WEIGHT:
        return f"không hợp lý (lớn hơn {MAX_WEIGHT:g} điểm)"
    return None


def parse_threshold(cell: object) -> float | None:
    """A full-marks threshold from the weights sheet as a fraction: 0,8 / 80 / "80%" → 0.8; blank → None."""
    num = parse_number(cell)
    if num is None:
        return None
    value = num.value / 100 if num.percent or num.value > 1 else num.value
    if not 0 < value <= 1:
        raise CellError(f"ngưỡng điểm tối đa phải lớn hơn 0 và không quá 100 % (giá trị '{cell}')")
    return value
