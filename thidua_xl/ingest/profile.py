"""Column-mapping profiles: how one province's dossier export names its columns and values.

A profile is a TOML file (``profiles/*.toml`` ships one, documented line by
line) so that a secretariat adapts to its own export without touching code.
Everything is compared folded (NFC, case, spaces), so "Ngày tiếp nhận" in NFD
from one system matches the profile's NFC text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..vn import fold

REQUIRED_FIELDS = ("ma_ho_so", "don_vi", "hinh_thuc_nop", "ngay_tiep_nhan", "han_xu_ly", "ngay_co_ket_qua")
OPTIONAL_FIELDS = ("thu_tuc", "huyen", "tai_khoan", "thanh_toan", "so_hoa", "ket_qua_dien_tu", "danh_gia",
                   "phan_anh")

# Vietnamese name of each field, for messages and the summary.
FIELD_LABELS = {
    "ma_ho_so": "mã hồ sơ", "don_vi": "đơn vị tiếp nhận", "hinh_thuc_nop": "hình thức nộp",
    "ngay_tiep_nhan": "ngày tiếp nhận", "han_xu_ly": "hạn xử lý", "ngay_co_ket_qua": "ngày có kết quả",
    "thu_tuc": "thủ tục", "huyen": "huyện", "tai_khoan": "tài khoản nộp", "thanh_toan": "thanh toán trực tuyến",
    "so_hoa": "số hóa", "ket_qua_dien_tu": "kết quả điện tử", "danh_gia": "đánh giá hài lòng",
    "phan_anh": "phản ánh, kiến nghị về hồ sơ",
}

# Coded fields and the codes their values must map to.
VALUE_CODES = {
    "hinh_thuc_nop": ("toan_trinh", "mot_phan", "truc_tiep", "buu_chinh"),
    "thanh_toan": ("co", "khong", "khong_phat_sinh"),
    "so_hoa": ("co", "khong"),
    "ket_qua_dien_tu": ("co", "khong"),
    "danh_gia": ("hai_long", "khong_hai_long", "chua_danh_gia"),
    "phan_anh": ("co", "khong"),  # the dossier drew a PAKN (766 formula 5.4 counts it against satisfaction)
}

DEFAULT_PROFILE = "mot-cua-tinh"


class ProfileError(ValueError):
    """A profile file is not usable; the message is Vietnamese."""


@dataclass(frozen=True)
class Profile:
    """One export format: column names per field, date formats, value vocabularies, unit-name cleaning."""

    name: str
    title: str
    encoding: str
    delimiter: str
    columns: dict[str, tuple[str, ...]]
    date_formats: tuple[str, ...]
    values: dict[str, dict[str, str]]  # field → folded export value → code
    spellings: dict[str, tuple[str, ...]]  # field → the values as written in the profile (for messages)
    strip_prefixes: tuple[str, ...]
    abbreviations: dict[str, str]

    def code_of(self, field: str, value: object) -> str | None:
        """The code of an export value of a coded field (None: not in the vocabulary)."""
        return self.values[field].get(fold(value))

    def accepted(self, field: str) -> str:
        """The accepted values of a coded field, as the profile writes them, for messages."""
        return ", ".join(f"'{v}'" for v in self.spellings[field] if v)


def builtin_profiles() -> list[str]:
    folder = resources.files(__package__) / "profiles"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by name, or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix.lower() == ".toml":
        if not path.exists():
            raise ProfileError(f"Không tìm thấy tệp hồ sơ cột '{path}'.")
        try:
            text, name = path.read_text(encoding="utf-8-sig"), path.stem
        except UnicodeDecodeError as err:
            raise ProfileError(f"Tệp hồ sơ cột '{path.name}' không phải chữ UTF-8 (byte lạ ở vị trí {err.start}): "
                               "hãy lưu lại tệp với bảng mã UTF-8.") from err
        except OSError as err:
            from ..outputs import os_message

            raise ProfileError(os_message(err, path)) from err
    else:
        name = str(name_or_path)
        if name not in builtin_profiles():
            raise ProfileError(f"Không có hồ sơ cột '{name}'. Có sẵn: {', '.join(builtin_profiles())}; hoặc "
                               "chỉ đường dẫn tới tệp .toml của mình.")
        text = (resources.files(__package__) / "profiles" / f"{name}.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(f"Hồ sơ cột '{name}' sai cú pháp TOML: {err}") from err
    return _build(name, data)


def profile_from_dict(data: dict, name: str = "tự khai báo") -> Profile:
    """A profile from a Python dict with the TOML file's layout (for scripts that build it in code)."""
    return _build(name, data)


def _names(value: object, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ProfileError(f"Hồ sơ cột: '{where}' phải là chữ hoặc danh sách chữ.")
    return tuple(items)


def _section(data: dict, key: str, name: str, shown: str | None = None) -> dict:
    """A TOML table of the profile; anything else there is a Vietnamese refusal, not a crash."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(f"Hồ sơ cột '{name}': mục [{shown or key}] phải là một bảng TOML (các dòng tên = giá trị).")
    return value


def _date_formats(formats: tuple[str, ...], name: str) -> tuple[str, ...]:
    """Each date format must be one DuckDB's strptime understands, with a day, a month and a year."""
    import duckdb

    con = duckdb.connect()
    try:
        for fmt in formats:
            ok = all(part in fmt for part in ("%d", "%m")) and ("%Y" in fmt or "%y" in fmt)
            if ok:
                try:
                    con.execute("SELECT try_strptime('05/01/2023', ?)", [fmt]).fetchall()
                except duckdb.Error:
                    ok = False
            if not ok:
                raise ProfileError(f"Hồ sơ cột '{name}': định dạng ngày '{fmt}' không hợp lệ — cần có ngày, tháng, "
                                   "năm, ví dụ '%d/%m/%Y' hoặc '%d/%m/%Y %H:%M:%S'.")
    finally:
        con.close()
    return formats


def _build(name: str, data: dict) -> Profile:
    head = _section(data, "ho_so", name)
    cols = _section(data, "cot", name)
    unknown = set(cols) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        raise ProfileError(f"Hồ sơ cột '{name}': trường không biết {sorted(unknown)}; các trường: "
                           f"{', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}.")
    missing = [f for f in REQUIRED_FIELDS if f not in cols]
    if missing:
        raise ProfileError(f"Hồ sơ cột '{name}' thiếu tên cột cho: {', '.join(FIELD_LABELS[f] for f in missing)}.")
    columns = {f: _names(v, f"cot.{f}") for f, v in cols.items()}
    values: dict[str, dict[str, str]] = {}
    spellings: dict[str, tuple[str, ...]] = {}
    vocab = _section(data, "gia_tri", name)
    for field, codes in VALUE_CODES.items():
        if field not in columns:
            continue
        given = _section(vocab, field, name, f"gia_tri.{field}")
        if set(given) != set(codes):
            raise ProfileError(f"Hồ sơ cột '{name}': mục [gia_tri.{field}] phải có đúng các mã {', '.join(codes)}.")
        table: dict[str, str] = {}
        for code in codes:
            for text in _names(given[code], f"gia_tri.{field}.{code}"):
                if table.setdefault(fold(text), code) != code:
                    raise ProfileError(f"Hồ sơ cột '{name}': giá trị '{text}' của {field} nằm ở hai mã.")
        values[field] = table
        spellings[field] = tuple(t for code in codes for t in _names(given[code], field))
    units = _section(data, "don_vi", name)
    formats = _date_formats(_names(_section(data, "ngay", name).get("dinh_dang", ["%d/%m/%Y"]), "ngay.dinh_dang"), name)
    return Profile(
        name=name, title=str(head.get("ten", name)), encoding=str(head.get("ma_hoa", "auto")),
        delimiter=str(head.get("phan_cach", "auto")), columns=columns, date_formats=formats, values=values,
        spellings=spellings,
        strip_prefixes=_names(units.get("bo_tien_to", []), "don_vi.bo_tien_to"),
        abbreviations={str(k): str(v) for k, v in _section(units, "viet_tat", name, "don_vi.viet_tat").items()},
    )
