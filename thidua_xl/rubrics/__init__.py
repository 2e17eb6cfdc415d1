"""Registry of the plans' rubrics, found by a short plan id.

The shipped plans load from this package, through the fixed table below: a
plan id read from a workbook or typed by a user is only looked up in it, never
imported as a module name or evaluated. Plans written after the release come
from folders the user configured explicitly (``THIDUA_XL_PLANS``), through
:mod:`thidua_xl.plans.loader`: the id is checked against a strict pattern and
maps to one file name; the module's declared id must match; an id found in two
places is refused, naming both.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from thidua_xl.plans.loader import PlanError, configured_folders, load_file, plan_files, valid_id
from thidua_xl.rubric import Rubric
from thidua_xl.vn import loose_key

__all__ = ["PlanError", "all_rubrics", "available", "get", "origin", "resolve"]

# plan id → module inside this package, in the order the plans are listed.
_MODULES: dict[str, str] = {
    "hau-giang-2023": "hau_giang_2023",
    "chau-thanh-a-2021": "chau_thanh_a_2021",
    "phung-hiep-2023": "phung_hiep_2023",
    "hau-giang-766-2024": "hau_giang_766_2024",
    "ninh-phuoc-2023": "ninh_phuoc_2023",
}


def _package_file(plan_id: str) -> Path:
    return Path(__file__).with_name(f"{_MODULES[plan_id]}.py")


def _configured() -> dict[str, list[Path]]:
    """Configured plan id → files providing it; an id in two places is an error naming both."""
    found = plan_files(configured_folders())
    for plan_id, paths in found.items():
        places = ([_package_file(plan_id)] if plan_id in _MODULES else []) + paths
        if len(places) > 1:
            raise PlanError(f"Mã kế hoạch '{plan_id}' có ở hai nơi: {places[0]} và {places[1]}. Đổi mã (và tên "
                            "tệp) của một kế hoạch, hoặc bỏ thư mục khỏi THIDUA_XL_PLANS.")
    return found


def available() -> list[str]:
    """Plan ids: the shipped ones in their order, then those of the configured folders."""
    return list(_MODULES) + [p for p in _configured() if p not in _MODULES]


def origin(plan_id: str) -> Path:
    """The module file a plan comes from (for example figures and line numbers)."""
    key = str(plan_id).strip().lower()
    configured = _configured()
    if key in configured:
        return configured[key][0]
    if key in _MODULES:
        return _package_file(key)
    raise KeyError(_unknown(plan_id, configured))


def _unknown(plan_id: str, configured: dict[str, list[Path]]) -> str:
    return f"Không có kế hoạch '{plan_id}'. Các kế hoạch: {', '.join([*_MODULES, *configured])}"


@cache
def _shipped(key: str) -> Rubric:
    module = importlib.import_module(f"{__name__}.{_MODULES[key]}")
    rubric = module.RUBRIC
    if not isinstance(rubric, Rubric) or rubric.id != key:
        raise TypeError(f"Mô-đun {module.__name__} không khai báo RUBRIC đúng cho '{key}'")
    return rubric


def get(plan_id: str) -> Rubric:
    """The rubric of a plan; a clear Vietnamese error for an unknown id or a broken configured module."""
    key = str(plan_id).strip().lower()
    configured = _configured() if valid_id(key) else {}
    if key in configured:
        return load_file(configured[key][0], expected_id=key).rubric
    if key in _MODULES:
        return _shipped(key)
    raise KeyError(_unknown(plan_id, configured))


def all_rubrics() -> list[Rubric]:
    return [get(p) for p in available()]


def resolve(typed: str) -> Rubric:
    """A plan id as a person types it on the command line: "Hậu Giang 2023", "HAU-GIANG-2023" or
    "hau giang 2023" all give ``hau-giang-2023``. Still only a look-up in the registry (a module name such as
    ``hau_giang_2023`` is not an id and stays refused)."""
    try:
        return get(typed)
    except KeyError:
        spelled = "-".join(loose_key(typed).split()) if "_" not in str(typed) else ""
        if not spelled or spelled == str(typed).strip().lower() or spelled not in available():
            raise
        return get(spelled)
