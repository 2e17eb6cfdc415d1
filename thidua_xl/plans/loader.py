"""Loading a rubric module from a folder the user configured — and from nowhere else.

A plan module is Python code, so finding one is a security decision:

* folders come only from the environment variable ``THIDUA_XL_PLANS`` (several
  folders separated by :data:`os.pathsep`), which the user sets for their own
  account (on Windows ``setx``; Excel passes it on to the Python it starts).
  Never from a workbook cell, never from the current directory: an empty entry
  (``a;;b``, a trailing ``;``) is skipped rather than read as ".", and a relative
  path is refused because it would depend on where a command happens to run;
* a plan id is checked against a strict pattern before it touches the file
  system, so ``../x`` or ``os`` are refused, and maps to one file name
  (``hau-giang-2025`` → ``hau_giang_2025.py``), so listing plans executes nothing;
* a folder or file that other users may write is refused (POSIX);
* the module's declared ``RUBRIC.id`` must be the id asked for, and an id found
  in two places (the package and a folder, or two folders) is an error naming both.

Errors are :class:`PlanError` (a ``KeyError``, as an unknown plan id already is,
so every door — CLI, UDFs, ribbon — shows its Vietnamese text) and name the
file and line of the module.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

from thidua_xl.rubric import Rubric

ENV_VAR = "THIDUA_XL_PLANS"
EXAMPLES = "examples"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


class PlanError(KeyError):
    """A configured plan cannot be used; the message is Vietnamese and names the file (and line)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def valid_id(plan_id: str) -> bool:
    """True for ids such as ``hau-giang-2025``: lower-case ASCII letters and digits joined by single hyphens."""
    return bool(_ID.match(plan_id))


def module_name(plan_id: str) -> str:
    """The file stem a plan id maps to (``hau-giang-2025`` → ``hau_giang_2025``)."""
    return plan_id.replace("-", "_")


def _writable_by_others(path: Path) -> bool:
    if os.name != "posix":
        return False
    return bool(path.stat().st_mode & stat.S_IWOTH)


def configured_folders(environ: dict[str, str] | os._Environ[str] | None = None) -> list[Path]:
    """The folders listed in ``THIDUA_XL_PLANS``, checked; a clear error for a relative or missing one."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    folders: list[Path] = []
    for entry in value.split(os.pathsep):
        entry = entry.strip().strip('"')
        if not entry:
            continue  # never the current directory
        folder = Path(entry).expanduser()
        if not folder.is_absolute():
            raise PlanError(f"{ENV_VAR}: '{entry}' không phải đường dẫn đầy đủ (ví dụ D:\\KeHoach). Thư mục tương "
                            "đối không được dùng vì sẽ phụ thuộc vào nơi chạy lệnh.")
        if not folder.is_dir():
            raise PlanError(f"{ENV_VAR}: thư mục kế hoạch '{folder}' không tồn tại.")
        if _writable_by_others(folder):
            raise PlanError(f"{ENV_VAR}: thư mục '{folder}' cho mọi người ghi vào — không nạp kế hoạch từ đó.")
        if folder not in folders:
            folders.append(folder)
    return folders


def plan_files(folders: list[Path]) -> dict[str, list[Path]]:
    """Plan id → the module files that would provide it, in the configured order (nothing executed)."""
    found: dict[str, list[Path]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith(("_", ".")):
                continue
            plan_id = path.stem.replace("_", "-")
            if valid_id(plan_id) and module_name(plan_id) == path.stem:
                found.setdefault(plan_id, []).append(path)
    return found


@dataclass(frozen=True)
class LoadedPlan:
    """A rubric read from a file, with the file it came from (for line numbers and example figures)."""

    rubric: Rubric
    path: Path

    @property
    def examples(self) -> Path:
        return self.path.parent / EXAMPLES / self.rubric.id


_CACHE: dict[tuple[Path, int, int], LoadedPlan] = {}


def error_line(err: BaseException, path: Path) -> int | None:
    """The line of ``path`` where ``err`` was raised (deepest frame in that file), or a SyntaxError's line."""
    if isinstance(err, SyntaxError) and err.filename == str(path):
        return err.lineno
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == str(path):
            line = frame.lineno
    return line


def execute(path: Path) -> types.ModuleType:
    """Run a plan module's code in a fresh module object (not left in ``sys.modules``).

    Errors propagate untouched, with tracebacks and SyntaxErrors carrying the file's own line numbers.
    """
    source = path.read_bytes()
    code = compile(source, str(path), "exec", dont_inherit=True)
    name = f"thidua_xl_plan_{path.stem}_{abs(hash(str(path)))}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module  # dataclasses and typing look the module up while it runs
    try:
        exec(code, module.__dict__)  # noqa: S102 - a file from a folder the user configured explicitly
    finally:
        sys.modules.pop(name, None)
    return module


def load_file(path: Path, expected_id: str | None = None) -> LoadedPlan:
    """Build the rubric of one module file; errors name the file and the line."""
    from .locate import describe_error

    path = Path(path).resolve()
    if not path.is_file():
        raise PlanError(f"Không có tệp kế hoạch '{path}'.")
    if _writable_by_others(path):
        raise PlanError(f"Tệp kế hoạch '{path}' cho mọi người ghi vào — không nạp.")
    info = path.stat()
    key = (path, info.st_mtime_ns, info.st_size)
    if key not in _CACHE:
        try:
            module = execute(path)
        except (Exception, SystemExit) as err:  # any error in the user's module is reported, with its line
            raise PlanError(describe_error(err, path)) from err
        rubric = getattr(module, "RUBRIC", None)
        if not isinstance(rubric, Rubric):
            raise PlanError(f"{path}: mô-đun không khai báo RUBRIC = Rubric(...).")
        for stale in [k for k in _CACHE if k[0] == path]:  # an earlier version of the same file
            del _CACHE[stale]
        _CACHE[key] = LoadedPlan(rubric, path)
    loaded = _CACHE[key]
    if expected_id is not None and loaded.rubric.id != expected_id:
        from .locate import keyword_line

        line = keyword_line(path, "Rubric", "id")
        where = f"{path}, dòng {line}" if line else str(path)
        raise PlanError(f"{where}: mô-đun khai báo mã kế hoạch '{loaded.rubric.id}' nhưng tên tệp ứng với "
                        f"'{expected_id}'. Đặt id=\"{expected_id}\" hoặc đổi tên tệp thành "
                        f"{module_name(loaded.rubric.id)}.py.")
    return loaded
