"""Vietnamese text and number conventions used everywhere in thidua_xl.

Names arrive from Excel, portal exports and CSV files in NFC or NFD form, with
stray spaces and mixed case; they must still match. Numbers are shown the
Vietnamese way (decimal comma, dot for thousands) and money also in words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
from num2words import num2words

_SPACES = re.compile(r"\s+")
# Invisible format characters (Unicode category Cf: zero-width space/joiners, soft hyphen, BOM, word joiner,
# bidi marks and embeddings/isolates) and C0/C1 controls other than whitespace: pasted names carry them, and
# two names that look the same must compare the same. Tabs and line breaks become spaces.
_INVISIBLE = re.compile(  # Unicode 14 categories Cf and Cc (minus whitespace), as ranges
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def strip_invisible(text: str) -> str:
    """``text`` without invisible format and control characters (see :data:`_INVISIBLE`)."""
    return _INVISIBLE.sub("", text)


def nfc(text: object) -> str:
    """Return ``text`` as an NFC string, invisible characters and outer whitespace removed."""
    if text is None:
        return ""
    return strip_invisible(unicodedata.normalize("NFC", str(text))).strip()


def fold(text: object) -> str:
    """Key used to compare names: NFC, invisible characters removed, case-folded, inner whitespace collapsed.

    Diacritics are kept on purpose: "Hòa An" and "Hoà An" are the same (NFC
    fixes the composition), but "Tân Hòa" and "Tân Hoa" are different places.
    The old-style tone placement ("Hoà" vs "Hòa") is unified as well, since
    both spellings are in everyday use for the same name.
    """
    if text is None:
        return ""
    text = " ".join(strip_invisible(unicodedata.normalize("NFC", str(text))).split()).casefold()
    return _unify_tone_placement(text)


_OLD_TO_NEW_TONE = {
    # old style puts the tone on the first vowel of oa/oe/uy; new style on the second.
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
_TONE_PATTERN = re.compile("|".join(_OLD_TO_NEW_TONE))


def _unify_tone_placement(text: str) -> str:
    return _TONE_PATTERN.sub(lambda m: _OLD_TO_NEW_TONE[m.group(0)], text)


def loose_key(text: object) -> str:
    """A looser key than :func:`fold` for choosing among a few known names typed by hand (a bloc, a plan id):
    diacritics dropped (đ → d), "_", "-", "," and "." read as spaces — "xã", "XA" and "xa" give "xa",
    "phòng ban" and "phong_ban" give "phong ban". Never for unit names: "Tân Hòa" and "Tân Hoa" differ."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[_\-,.]", " ", bare).split())


def _over_column(texts: pd.Series, transform: Callable[[str], str]) -> pd.Series:
    """NFC, invisible characters removed, ``transform`` and spaces collapsed, over a whole column at C speed:
    each distinct text once (a table of months repeats every name twelve times), in one pass over the joined
    distinct texts, then split back. The separator \x1f is whitespace to str.split, so no part can contain it
    once spaces are collapsed; blanks (None, NaN) give ""."""
    codes, uniques = pd.factorize(texts.fillna(""))
    joined = "\x1f".join(str(t).replace("\x1f", " ") for t in uniques.tolist())
    joined = transform(strip_invisible(unicodedata.normalize("NFC", joined)))
    parts = [" ".join(part.split()) for part in joined.split("\x1f")] if len(uniques) else []
    return pd.Series(np.asarray(parts + [""], dtype=object)[codes], index=texts.index, dtype=object)


def fold_all(texts: pd.Series) -> pd.Series:
    """:func:`fold` over a whole column, vectorised."""
    return _over_column(texts, lambda text: _unify_tone_placement(text.casefold()))


def clean_all(texts: pd.Series) -> pd.Series:
    """Names as shown over a whole column: NFC, invisible characters and outer spaces removed, inner runs of
    spaces collapsed (case kept); blanks give ""."""
    return _over_column(texts, lambda text: text)


def fmt_number(value: float, decimals: int = 2, *, trim: bool = True) -> str:
    """Format like Vietnamese documents: 1.732 ; 50,52 ; 84,2 (no trailing zeros; ``trim=False`` keeps them,
    176,00, so that a column of scores lines up)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # avoid "-0"
    text = f"{abs(rounded):,.{decimals}f}"
    integer, _, fraction = text.partition(".")
    integer = integer.replace(",", ".")
    fraction = fraction.rstrip("0") if trim else fraction
    sign = "−" if rounded < 0 else ""
    return f"{sign}{integer},{fraction}" if fraction else f"{sign}{integer}"


def fmt_percent(rate: float, decimals: int = 2) -> str:
    """A rate stored as a fraction (0.842) shown as "84,2 %"."""
    return f"{fmt_number(rate * 100, decimals)} %"


def fmt_date(value: object) -> str:
    """A date the Vietnamese way, dd/mm/yyyy ("" for a missing one)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def fmt_money(amount: int | float) -> str:
    """10000000 → "10.000.000 đồng"."""
    return f"{fmt_number(round(amount), 0)} đồng"


def money_in_words(amount: int | float) -> str:
    """10000000 → "Mười triệu đồng" (capitalised, as written in award decisions)."""
    amount = round(amount)
    if amount == 0:
        return "Không đồng"
    words = num2words(amount, lang="vi")
    return f"{words[0].upper()}{words[1:]} đồng"


def fmt_money_full(amount: int | float) -> str:
    """"10.000.000 đồng (Mười triệu đồng)" — the form used in award lists."""
    return f"{fmt_money(amount)} ({money_in_words(amount)})"
