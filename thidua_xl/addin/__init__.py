"""The Excel door's build side: the classic add-in (.xlam, VBA written without Excel) and Office.js files.

``xlam`` assembles the add-in; ``vba_project``/``cfb``/``ovba_compression``
write its VBA project; ``wrappers`` runs xlwings' own wrapper generator;
``ribbon_vba`` writes the ribbon callbacks; ``install`` copies it where Excel
loads it; ``officejs``/``manifest`` write (and check) the Office.js manifest and
metadata, ``server`` runs xlwings Server with the functions (``thidua-xl serve``).
"""

from .officejs import functions_metadata, officejs_files
from .xlam import ADDIN_DIR, AddinConfig, build_xlam

__all__ = ["ADDIN_DIR", "AddinConfig", "build_xlam", "functions_metadata", "officejs_files"]
