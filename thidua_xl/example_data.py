"""Bundled example figures for each plan (synthetic numbers, real unit names).

The CSV files under ``thidua_xl/rubrics/examples/<plan>/<bloc>.csv`` are made by
:func:`write_all` from a fixed seed, and a test fails if they drift. Headers
are the plans' Vietnamese column labels, as a secretary's sheet would have.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from . import rubrics
from .rubric import Blend, Bloc, Kind
from .validation import UNIT

HAU_GIANG: dict[str, list[str]] = {
    "Thành phố Vị Thanh": ["Phường I", "Phường III", "Phường IV", "Phường V", "Phường VII", "Xã Vị Tân",
                           "Xã Hỏa Lựu", "Xã Hỏa Tiến", "Xã Tân Tiến"],
    "Thành phố Ngã Bảy": ["Phường Ngã Bảy", "Phường Lái Hiếu", "Phường Hiệp Thành", "Phường Hiệp Lợi",
                          "Xã Đại Thành", "Xã Tân Thành"],
    "Thị xã Long Mỹ": ["Phường Thuận An", "Phường Trà Lồng", "Phường Bình Thạnh", "Phường Vĩnh Tường",
                       "Xã Long Bình", "Xã Long Phú", "Xã Long Trị", "Xã Long Trị A", "Xã Tân Phú"],
    "Huyện Châu Thành A": ["Thị trấn Một Ngàn", "Thị trấn Bảy Ngàn", "Thị trấn Rạch Gòi", "Thị trấn Cái Tắc",
                           "Xã Tân Hòa", "Xã Trường Long Tây", "Xã Trường Long A", "Xã Nhơn Nghĩa A",
                           "Xã Thạnh Xuân", "Xã Tân Phú Thạnh"],
    "Huyện Châu Thành": ["Thị trấn Ngã Sáu", "Thị trấn Mái Dầm", "Xã Đông Thạnh", "Xã Đông Phú", "Xã Phú Hữu",
                         "Xã Phú Tân", "Xã Đông Phước", "Xã Đông Phước A", "Xã Phú An"],
    "Huyện Phụng Hiệp": ["Thị trấn Cây Dương", "Thị trấn Kinh Cùng", "Thị trấn Búng Tàu", "Xã Tân Bình",
                         "Xã Thạnh Hòa", "Xã Bình Thành", "Xã Long Thạnh", "Xã Phụng Hiệp", "Xã Hòa An",
                         "Xã Hòa Mỹ", "Xã Phương Bình", "Xã Hiệp Hưng", "Xã Tân Phước Hưng", "Xã Phương Phú",
                         "Xã Tân Long"],
    "Huyện Vị Thủy": ["Thị trấn Nàng Mau", "Xã Vị Trung", "Xã Vị Thủy", "Xã Vị Thắng", "Xã Vĩnh Thuận Tây",
                      "Xã Vĩnh Trung", "Xã Vĩnh Tường", "Xã Vị Đông", "Xã Vị Thanh", "Xã Vị Bình"],
    "Huyện Long Mỹ": ["Thị trấn Vĩnh Viễn", "Xã Vĩnh Viễn A", "Xã Lương Tâm", "Xã Lương Nghĩa", "Xã Xà Phiên",
                      "Xã Thuận Hưng", "Xã Thuận Hòa"],
}

SO_NGANH_HAU_GIANG = [
    "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông", "Sở Lao động – Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Thanh tra tỉnh", "Ban Dân tộc",
    "Ban Quản lý các khu công nghiệp", "Công an tỉnh",
]

CHAU_THANH_A_XA = ["Thị trấn Một Ngàn", "Thị trấn Bảy Ngàn", "Thị trấn Rạch Gòi", "Thị trấn Cái Tắc", "Xã Tân Hòa",
                   "Xã Trường Long Tây", "Xã Trường Long A", "Xã Nhơn Nghĩa A", "Xã Thạnh Xuân",
                   "Xã Tân Phú Thạnh", "Xã Tân Thuận", "Xã Tân Long Tây", "Xã Thạnh Hòa A"]

DISTRICT_OFFICES = [
    "Văn phòng HĐND và UBND huyện", "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính – Kế hoạch",
    "Phòng Tài nguyên và Môi trường", "Phòng Kinh tế và Hạ tầng", "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Lao động – Thương binh và Xã hội", "Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế", "Thanh tra huyện", "Chi nhánh Văn phòng Đăng ký đất đai", "Bộ phận Tiếp nhận và Trả kết quả",
    "Công an huyện",
]

PHUNG_HIEP_PHONG_BAN = DISTRICT_OFFICES[:12] + [
    "Ủy ban MTTQ Việt Nam huyện", "Huyện Đoàn", "Hội Liên hiệp Phụ nữ huyện", "Trung tâm Viễn thông VNPT Phụng Hiệp",
    "Viettel Phụng Hiệp", "MobiFone Phụng Hiệp"]

NINH_PHUOC_XA = ["Thị trấn Phước Dân", "Xã Phước Sơn", "Xã Phước Thái", "Xã Phước Hậu", "Xã Phước Hải",
                 "Xã Phước Hữu", "Xã Phước Thuận", "Xã Phước Vinh", "Xã An Hải"]

# How each figure of the examples is drawn: (low, high) for counts, rates as fractions.
_RANGES: dict[str, tuple[float, float]] = {
    "ho_so_phat_sinh": (600, 4000), "nguoi_co_cccd": (6000, 40000), "so_thu_tuc_dang_ky": (0, 6),
    "so_tai_khoan": (1300, 2200), "so_ho_so_truc_tuyen": (140, 420), "bao_cao_tre_1_3_ngay": (0, 2),
    "bao_cao_tre_qua_3_ngay": (0, 1), "bao_cao_khong_trung_thuc": (0, 0), "thanh_tich_noi_bat": (0, 10),
    "ho_so_tre_han_thang_cao_nhat": (0, 1), "so_ngay_tre_bao_cao_cao_nhat": (0, 2),
}
_RATE_RANGES: dict[str, tuple[float, float]] = {
    "ho_so_truc_tuyen": (0.62, 1.0), "tai_khoan_dinh_danh": (0.6, 0.97), "so_tai_khoan_nop": (0.3, 0.95),
    "ty_le_giai_quyet": (0.96, 1.0),
}


def units_of(plan_id: str, bloc_id: str) -> list[tuple[str, str]]:
    """(unit, group) pairs for a plan's bloc."""
    xa_hg = [(x, h) for h, xs in HAU_GIANG.items() for x in xs]
    table: dict[tuple[str, str], list[tuple[str, str]]] = {
        ("hau-giang-2023", "huyen"): [(h, "") for h in HAU_GIANG],
        ("hau-giang-2023", "xa"): xa_hg,
        ("chau-thanh-a-2021", "xa"): [(x, "") for x in CHAU_THANH_A_XA],
        ("chau-thanh-a-2021", "phong_ban"): [(p, "") for p in DISTRICT_OFFICES],
        ("phung-hiep-2023", "xa"): [(x, "") for x in HAU_GIANG["Huyện Phụng Hiệp"]],
        ("phung-hiep-2023", "phong_ban"): [(p, "") for p in PHUNG_HIEP_PHONG_BAN],
        ("hau-giang-766-2024", "so_nganh"): [(s, "") for s in SO_NGANH_HAU_GIANG],
        ("hau-giang-766-2024", "huyen"): [(h, "") for h in HAU_GIANG],
        ("hau-giang-766-2024", "xa"): xa_hg,
        ("ninh-phuoc-2023", "xa"): [(x, "") for x in NINH_PHUOC_XA],
        ("ninh-phuoc-2023", "phong_ban"): [(p, "") for p in DISTRICT_OFFICES[:12]],
    }
    return table[(plan_id, bloc_id)]


def _bloc_frame(plan_id: str, bloc: Bloc, rng: np.random.Generator) -> pd.DataFrame:
    units = units_of(plan_id, bloc.id)
    n = len(units)
    data: dict[str, object] = {bloc.unit_label: [u for u, _ in units]}
    if bloc.group is not None:
        data[bloc.group.label] = [g for _, g in units]
    ratios = {d.numerator: d for d in bloc.derived if hasattr(d, "numerator")}
    blended = {d.subunit_mean for d in bloc.derived if isinstance(d, Blend)}
    values: dict[str, np.ndarray] = {}
    for f in bloc.figures:
        if f.id in blended:
            continue  # left blank: the engine fills it from the sub-unit bloc
        if f.kind is Kind.YES_NO:
            data[f.label] = np.where(rng.random(n) < 0.85, "có", "không")
        elif f.kind is Kind.RATE:
            low, high = _RATE_RANGES.get(f.id, (0.75, 1.0))
            data[f.label] = np.round(rng.uniform(low, high, n) * 100, 2)
        elif f.id in _RANGES:
            low, high = _RANGES[f.id]
            values[f.id] = rng.integers(int(low), int(high) + 1, n)
            data[f.label] = values[f.id]
    for f in bloc.figures:  # numerators after their denominators, as a share of them
        if f.label in data or f.id in blended:
            continue
        ratio = next((d for num, d in ratios.items() if num == f.id), None)
        low, high = _RATE_RANGES.get(f.id, (0.5, 1.0))
        base = values.get(ratio.denominator) if ratio is not None else None
        if base is None:
            base = rng.integers(200, 3000, n)
        share = rng.uniform(low, high, n)
        values[f.id] = np.minimum(np.round(base * share), base).astype(int)
        data[f.label] = values[f.id]
    order = [bloc.unit_label] + ([bloc.group.label] if bloc.group is not None else [])
    order += [f.label for f in bloc.figures if f.label in data]
    return pd.DataFrame(data)[order]


def generate(plan_id: str, seed: int = 2023) -> dict[str, pd.DataFrame]:
    """Figures for every bloc of a plan, reproducible from ``seed``."""
    rubric = rubrics.get(plan_id)
    rng = np.random.default_rng(seed + sum(map(ord, plan_id)))
    frames = {b.id: _bloc_frame(plan_id, b, rng) for b in rubric.blocs}
    if plan_id == "hau-giang-2023":
        _add_tie_story(frames["xa"], rubric.bloc("xa"))
    if plan_id == "hau-giang-766-2024":  # communes without PAKN in the period: "không áp dụng", full marks
        xa = frames["xa"]
        quiet = xa[rubric.bloc("xa").unit_label].isin(["Xã Vị Tân", "Xã Long Bình", "Xã Phú Tân"])
        for f in rubric.bloc("xa").figures:
            if f.may_not_apply:
                xa[f.label] = xa[f.label].astype(object).where(~quiet, "không áp dụng")
    if plan_id == "phung-hiep-2023":  # one commune with 2 late dossiers in a month: disqualified
        xa = frames["xa"]
        xa.loc[xa[rubric.bloc("xa").unit_label] == "Xã Hòa Mỹ",
               rubric.bloc("xa").figure("ho_so_tre_han_thang_cao_nhat").label] = 2
    return frames


def _add_tie_story(xa: pd.DataFrame, bloc: Bloc) -> None:
    """Two communes with full marks: the account-concentration tie-break decides between them."""
    label = {f.id: f.label for f in bloc.figures}
    for name, accounts in (("Xã Tân Phú Thạnh", 480), ("Xã Hòa An", 95)):
        row = xa.index[xa[bloc.unit_label] == name][0]
        xa.loc[row, label["ho_so_truc_tuyen"]] = xa.loc[row, label["ho_so_phat_sinh"]]
        xa.loc[row, label["tai_khoan_dinh_danh"]] = round(xa.loc[row, label["nguoi_co_cccd"]] * 0.93)
        xa.loc[row, label["so_tai_khoan_nop"]] = accounts


def folder() -> Path:
    return Path(str(resources.files("thidua_xl.rubrics") / "examples"))


MONTHS_SUFFIX = "_thang"  # examples/<plan>/<bloc>_thang.csv: the same year in twelve monthly rows per unit


def generate_months(plan_id: str, seed: int = 2023) -> dict[str, pd.DataFrame]:
    """Twelve months per unit whose roll-up is :func:`generate`'s yearly table (:mod:`thidua_xl.example_months`)."""
    from .example_months import split_year

    rubric = rubrics.get(plan_id)
    return {bloc_id: split_year(rubric, rubric.bloc(bloc_id), frame, seed + i + sum(map(ord, plan_id)))
            for i, (bloc_id, frame) in enumerate(generate(plan_id, seed).items())}


def write_all(target: Path | None = None) -> list[Path]:
    """Write every plan's example CSVs, yearly and monthly (UTF-8 with BOM so Excel opens the diacritics right)."""
    target = target or folder()
    written = []
    for plan_id in rubrics.available():
        for suffix, frames in (("", generate(plan_id)), (MONTHS_SUFFIX, generate_months(plan_id))):
            for bloc_id, frame in frames.items():
                path = target / plan_id / f"{bloc_id}{suffix}.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
                written.append(path)
    return written


def load(plan_id: str, months: bool = False) -> dict[str, pd.DataFrame]:
    """The example figures of a plan, one DataFrame per bloc that has a file.

    They sit next to the plan's module, in ``examples/<plan>/<bloc>.csv``: in this
    package for the shipped plans, in the configured folder for the others. ``months``: the monthly
    tables ``<bloc>_thang.csv`` (with a "Kỳ" column) instead.
    """
    rubric = rubrics.get(plan_id)
    where = rubrics.origin(rubric.id).parent / "examples" / rubric.id
    out = {}
    for bloc in rubric.blocs:
        path = where / f"{bloc.id}{MONTHS_SUFFIX if months else ''}.csv"
        if path.is_file():
            out[bloc.id] = pd.read_csv(path, encoding="utf-8-sig", dtype={bloc.unit_label: str, "Kỳ": str})
    return out


__all__ = ["UNIT", "generate", "generate_months", "load", "units_of", "write_all"]
