"""Registry of the plans' rubrics, found by a short plan id.

Rubrics load only from this package, through the fixed table below: a plan id
read from a workbook or typed by a user is only looked up in it, never imported
as a module name or evaluated.
"""

from __future__ import annotations

import importlib
from functools import cache

from thidua_xl.rubric import Rubric

# plan id → module inside this package, in the order the plans are listed.
_MODULES: dict[str, str] = {
    "hau-giang-2023": "hau_giang_2023",
    "chau-thanh-a-2021": "chau_thanh_a_2021",
    "phung-hiep-2023": "phung_hiep_2023",
    "hau-giang-766-2024": "hau_giang_766_2024",
    "ninh-phuoc-2023": "ninh_phuoc_2023",
}


def available() -> list[str]:
    """Plan ids, in the order the plans are listed."""
    return list(_MODULES)


@cache
def get(plan_id: str) -> Rubric:
    """The rubric of a plan; a clear Vietnamese error for an unknown id."""
    key = str(plan_id).strip().lower()
    if key not in _MODULES:
        raise KeyError(f"Không có kế hoạch '{plan_id}'. Các kế hoạch: {', '.join(_MODULES)}")
    module = importlib.import_module(f"{__name__}.{_MODULES[key]}")
    rubric = module.RUBRIC
    if not isinstance(rubric, Rubric) or rubric.id != key:
        raise TypeError(f"Mô-đun {module.__name__} không khai báo RUBRIC đúng cho '{key}'")
    return rubric


def all_rubrics() -> list[Rubric]:
    return [get(p) for p in available()]
