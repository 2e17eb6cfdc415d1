"""Which unit of the plan received a dossier: the export's name → (bloc, unit, huyện).

The list of units comes from the secretariat's own figures (the workbook made
from the template, or one table per bloc), so a dossier from a unit the plan
does not score is a reject, never a new unit. Export names carry office
prefixes ("UBND xã Vị Tân", "Bộ phận một cửa UBND TP. Vị Thanh"); the profile
says which to strip and which abbreviations to spell out before comparing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from ..rubric import Rubric
from ..validation import UNIT, clean_names, map_headers
from ..vn import fold
from .profile import Profile


@dataclass(frozen=True)
class Unit:
    """A unit scored by the plan: its bloc, its name as in the figures, its huyện (if the bloc has one)."""

    id: int
    bloc: str
    name: str
    group: str = ""


class UnitDirectory:
    """The plan's units, found from an export's name (and huyện, when two communes share a name)."""

    def __init__(self, units: Iterable[Unit], profile: Profile) -> None:
        self.units = list(units)
        self.profile = profile
        self._by_key: dict[str, list[Unit]] = {}
        for unit in self.units:
            self._by_key.setdefault(self.key(unit.name), []).append(unit)

    @classmethod
    def from_tables(cls, rubric: Rubric, tables: Mapping[str, pd.DataFrame], profile: Profile) -> UnitDirectory:
        """Units listed in each bloc's figures table (unit column, and the huyện column if the bloc has one)."""
        units: list[Unit] = []
        for bloc_id, table in tables.items():
            bloc = rubric.bloc(bloc_id)
            mapping = map_headers(bloc, table.columns)
            renamed = table.rename(columns=mapping)
            if UNIT not in renamed.columns:
                continue
            names = clean_names(renamed[UNIT])
            groups = (clean_names(renamed[bloc.group.id]) if bloc.group is not None and bloc.group.id in renamed
                      else pd.Series([""] * len(names), index=names.index))
            seen: set[tuple[str, str]] = set()
            for name, group in zip(names, groups, strict=True):
                # a table kept by month names each unit once per month: one unit all the same
                if name and (fold(name), fold(group)) not in seen:
                    seen.add((fold(name), fold(group)))
                    units.append(Unit(len(units), bloc.id, name, group))
        return cls(units, profile)

    def key(self, name: object) -> str:
        """Folded name without office prefixes, abbreviations spelled out."""
        text = fold(name)
        changed = True
        while changed:
            changed = False
            for prefix in self.profile.strip_prefixes:
                p = fold(prefix)
                if text.startswith(p + " ") or text == p:
                    text = text[len(p):].strip()
                    changed = True
        for short, full in self.profile.abbreviations.items():
            s = fold(short)
            if text.startswith(s + " ") or (s.endswith(".") and text.startswith(s)):
                text = fold(full) + " " + text[len(s):].strip()
                break
        return text

    def find(self, name: object, huyen: object = None) -> Unit | str:
        """The unit, or the reason it cannot be told (a Vietnamese sentence)."""
        found = self._by_key.get(self.key(name), [])
        if len(found) > 1 and huyen not in (None, ""):
            hkey = self.key(huyen)
            found = [u for u in found if self.key(u.group) == hkey]
        if len(found) == 1:
            return found[0]
        if not found:
            return "không có trong danh sách đơn vị của kế hoạch"
        where = ", ".join(u.group or u.bloc for u in found)
        return f"trùng tên ở nhiều nơi ({where}) — cần cột huyện để phân biệt"

    def in_bloc(self, bloc_id: str) -> list[Unit]:
        return [u for u in self.units if u.bloc == bloc_id]
