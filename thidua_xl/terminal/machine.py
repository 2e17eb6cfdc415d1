"""Machine outputs: JSON documents (schema ``schema.json`` beside this module) and CSV, plain numbers.

Scores are rounded to 2 decimals as everywhere (DESIGN.md §8), money in whole đồng, a missing value is
``null`` (JSON) or an empty cell (CSV), never NaN. ``pandas.DataFrame(doc["blocs"][0]["units"])`` or
``pandas.json_normalize(...)`` reads a list back into a table.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd

from ..awards import SchemeResult
from ..columns import (
    AWARD,
    AWARD_RANK,
    BLOC,
    BONUS,
    CLASS,
    COUNCIL,
    ELIGIBLE,
    ERROR,
    INDIVIDUALS,
    LEVEL,
    NOTE,
    PRIZE,
    RANK,
    REASON,
    TOTAL,
)
from ..outputs import atomic_write
from ..rubric import Bloc, Rubric
from ..tables import csv_safe
from ..validation import UNIT
from ..vn import money_in_words
from . import numbers
from .views import MOVEMENT, short_ids

SCHEMA_VERSION = 1


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every ``--format json`` document follows."""
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8"))


def _num(value: object, decimals: int = 2) -> float | None:
    if numbers.missing(value):
        return None
    number = round(float(value), decimals)  # type: ignore[arg-type]
    return None if math.isinf(number) else number + 0.0  # +0.0: no "-0.0"


def _int(value: object) -> int | None:
    return None if numbers.missing(value) else int(round(float(value)))  # type: ignore[arg-type]


def _text(value: object) -> str:
    return numbers.text(value)


def plan_record(rubric: Rubric) -> dict[str, Any]:
    return {"id": rubric.id, "title": rubric.title, "issuer": rubric.issuer, "year": rubric.year,
            "version": rubric.version, "provisional": rubric.provisional or None}


def unit_records(bloc: Bloc, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A ranked bloc, one record per unit, in the frame's order."""
    group = bloc.group.id if bloc.group is not None and bloc.group.id in frame else None
    out = []
    for _, row in frame.iterrows():
        record: dict[str, Any] = {
            "unit": _text(row[UNIT]),
            "group": _text(row[group]) or None if group else None,
            "points": {c.id: _num(row[c.id]) for c in bloc.criteria},
            "total": _num(row[TOTAL]),
            "rank": _int(row.get(RANK)),
            "award_rank": _int(row.get(AWARD_RANK)),
            "eligible": bool(row[ELIGIBLE]) and not _text(row.get(ERROR)),
            "reason": _text(row.get(REASON)),
            "error": _text(row.get(ERROR)),
            "class": _text(row.get(CLASS)) or None,
        }
        if MOVEMENT in frame:
            record["movement"] = _text(row[MOVEMENT]) or None
        out.append(record)
    return out


def bloc_record(bloc: Bloc, frame: pd.DataFrame) -> dict[str, Any]:
    shorts = short_ids(bloc)
    return {"id": bloc.id, "label": bloc.label,
            "criteria": [{"id": c.id, "short": shorts[c.id], "label": c.label, "max_points": _num(c.max_points)}
                         for c in bloc.criteria],
            "units": unit_records(bloc, frame)}


def scheme_record(result: SchemeResult, period: str | None = None) -> dict[str, Any]:
    """An award scheme: its totals and every unit of its blocs, awarded or not, with the note."""
    table = result.table
    units = []
    for _, row in table.iterrows():
        units.append({
            "unit": _text(row[UNIT]),
            "bloc": _text(row.get(BLOC)) or None,
            "total": _num(row[TOTAL]),
            "award_rank": _int(row.get(AWARD_RANK)),
            "award": _text(row[AWARD]),
            "level": _text(row[LEVEL]),
            "prize": _int(row[PRIZE]) or 0,
            "bonus_points": _num(row[BONUS]) or 0.0,
            "individuals": _int(row[INDIVIDUALS]) or 0,
            "council": bool(row[COUNCIL]),
            "considered": bool(row[ELIGIBLE]) and not _text(row.get(ERROR)),
            "note": _text(row[NOTE]),
        })
    return {"id": result.scheme.id, "label": result.scheme.label, "period": period,
            "blocs": list(result.scheme.blocs),
            "summary": {"awarded": len(result.awarded), "council_ties": len(result.flagged),
                        "prize_total": result.total_prize, "prize_in_words": money_in_words(result.total_prize),
                        "individuals": result.total_individuals, "text": result.summary()},
            "units": units}


def result_document(command: str, rubric: Rubric, blocs: Mapping[str, pd.DataFrame],
                    schemes: Iterable[SchemeResult | tuple[SchemeResult, str | None]]) -> dict[str, Any]:
    """``score``, ``awards`` and ``demo``: the ranked blocs and the award schemes (each with its period)."""
    records = [scheme_record(*s) if isinstance(s, tuple) else scheme_record(s) for s in schemes]
    return {"schema_version": SCHEMA_VERSION, "command": command, "plan": plan_record(rubric),
            "blocs": [bloc_record(rubric.bloc(b), frame) for b, frame in blocs.items()], "schemes": records}


def plans_document(rubrics: Iterable[Rubric]) -> dict[str, Any]:
    plans = []
    for r in rubrics:
        record = plan_record(r)
        record["blocs"] = [{"id": b.id, "label": b.label, "criteria": len(b.criteria),
                            "max_total": _num(b.standard_total())} for b in r.blocs]
        record["assumptions"] = list(r.assumptions)
        plans.append(record)
    return {"schema_version": SCHEMA_VERSION, "command": "plans", "plans": plans}


WHATIF_KEYS = {"Đơn vị": "unit", "Tổng điểm": "total", "Xếp hạng xét thưởng": "award_rank", "Mục tiêu": "goal",
               "Phương án": "option", "Cần làm": "action", "Số số liệu thay đổi": "figures_changed",
               "Mức thay đổi (%)": "change_percent", "Tổng điểm sau thay đổi": "total_after"}


def whatif_document(rubric: Rubric, bloc: Bloc, target: str, table: pd.DataFrame) -> dict[str, Any]:
    """``whatif``: one record per unit and option (the CLI's table with English keys)."""
    rows = []
    for record in table.to_dict("records"):
        row = {WHATIF_KEYS[k]: v for k, v in record.items() if k in WHATIF_KEYS}
        for key in ("award_rank", "option", "figures_changed"):
            row[key] = _int(row[key])
        for key in ("total", "change_percent", "total_after"):
            row[key] = _num(row[key])
        for key in ("unit", "goal", "action"):
            row[key] = _text(row[key])
        rows.append(row)
    return {"schema_version": SCHEMA_VERSION, "command": "whatif", "plan": plan_record(rubric),
            "bloc": {"id": bloc.id, "label": bloc.label}, "target": target, "options": rows}


def dumps(document: Mapping[str, Any]) -> str:
    """JSON text: UTF-8 Vietnamese as is (not \\u escapes), no NaN (refused rather than written)."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


def write_json(path: Path, document: Mapping[str, Any], *, protect: tuple[Path, ...] = ()) -> Path:
    """``-o result.json``: the document as a UTF-8 file, written like every output (never over an input)."""
    text = dumps(document) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), protect=protect)


def csv_string(table: pd.DataFrame) -> str:
    """A table as CSV text for stdout: plain numbers, text that looks like a formula kept as text."""
    buffer = StringIO()
    csv_safe(table).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def scheme_tables(rubric: Rubric, results: Sequence[SchemeResult]) -> pd.DataFrame:
    """All award schemes in one CSV table, the scheme named on each row."""
    from ..present import scheme_table

    frames = [scheme_table(r, rubric.bloc(r.scheme.blocs[0])).assign(**{"Đợt khen thưởng": r.scheme.label})
              for r in results]
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    return table[["Đợt khen thưởng", *[c for c in table.columns if c != "Đợt khen thưởng"]]]


def plans_table(rubrics: Iterable[Rubric]) -> pd.DataFrame:
    rows = [{"Mã kế hoạch": r.id, "Kế hoạch": r.title, "Cơ quan ban hành": r.issuer, "Năm": r.year,
             "Phiên bản": r.version, "Mã khối": b.id, "Khối thi đua": b.label, "Số tiêu chí": len(b.criteria),
             "Thang điểm": b.standard_total()} for r in rubrics for b in r.blocs]
    return pd.DataFrame(rows)
