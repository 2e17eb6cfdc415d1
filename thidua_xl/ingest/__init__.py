"""Portal dossier exports → the figures each plan's rubric needs (``thidua-xl ingest``).

Modules, one job each: :mod:`.profile` (how an export names its columns and
values), :mod:`.source` (make the file streamable), :mod:`.units` (export
name → unit of the plan), :mod:`.pipeline` (DuckDB: check and count),
:mod:`.figures` (period sums and rates), :mod:`.target` (fill a copy of the
secretariat's figures), :mod:`.synthetic` (realistic test exports),
:mod:`.run` (one run), :mod:`.result` (its tables and summary).
"""

from .profile import DEFAULT_PROFILE, Profile, ProfileError, load_profile, profile_from_dict
from .result import IngestResult
from .run import ingest
from .source import ExportError
from .units import Unit, UnitDirectory

__all__ = [
    "DEFAULT_PROFILE", "ExportError", "IngestResult", "Profile", "ProfileError", "Unit", "UnitDirectory",
    "ingest", "load_profile", "profile_from_dict",
]
