"""Shared helpers: build figure tables by figure id, score + rank + award a bloc."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from thidua_xl import rubrics
from thidua_xl.awards import allocate
from thidua_xl.ranking import rank
from thidua_xl.scoring import score

# The suite sees the shipped plans only, whatever folders the developer configured for their own use (test
# modules list plans when imported, so this is done before any fixture could).
os.environ.pop("THIDUA_XL_PLANS", None)


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def evaluate(plan: str, bloc: str, rows: list[dict], scheme: str | None = None, subunits=None):
    """Score and rank a bloc; with ``scheme``, also allocate its awards. Rows indexed by unit."""
    rubric = rubrics.get(plan)
    ranked = rank(rubric, bloc, score(rubric, bloc, frame(rows), subunits=subunits))
    if scheme is not None:
        ranked = allocate(rubric, scheme, ranked).table
    return ranked.set_index("don_vi")


@pytest.fixture
def hg():
    return rubrics.get("hau-giang-2023")
