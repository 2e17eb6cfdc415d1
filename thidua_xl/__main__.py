"""``python -m thidua_xl`` = the ``thidua-xl`` command (used by the add-in, which knows only python.exe)."""

from .cli import app

app(prog_name="thidua-xl")
