"""The terminal a secretary can read: Vietnamese numbers, tables that fit the window, and machine outputs.

An adapter around the engine, like the workbook and the CLI: it only formats results the engine computed.

- :mod:`.numbers` — one value as a person reads it (``10.000.000 đ``, ``96,31 %``, ``176,00``, ``05/03/2021``);
- :mod:`.model` — what is shown, independent of how: columns with a kind, tables, award sections, unit details;
- :mod:`.views` — builds those from the engine's frames (ranking, criteria, award schemes, what-if, plans);
- :mod:`.render` — draws them with ``rich`` at the console's width (columns that do not fit move to their own
  tables or to the per-unit view);
- :mod:`.machine` — the same results as JSON (schema ``schema.json`` in this package) or CSV, plain numbers.
"""

from .model import Column, ItemList, Section, TableView, UnitDetail
from .render import Screen, render_award_sections

__all__ = ["Column", "ItemList", "Screen", "Section", "TableView", "UnitDetail", "render_award_sections"]
