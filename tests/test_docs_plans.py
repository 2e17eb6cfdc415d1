"""The worked example of docs/viet-bo-tieu-chi.md runs exactly as written.

Fenced blocks, in order: ``sh`` blocks run in bash (one folder and one
environment carried from block to block, ``thidua-xl`` from this environment);
``diff`` blocks are the edits a reader makes by hand — applied as written, each
must match the file exactly once; ``text`` blocks are what the preceding
command prints — every line must appear in its output ("…" stands for a path
or text that differs from machine to machine). ``bat`` blocks are the Windows
spelling of a ``sh`` block beside them and are not run here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from thidua_xl.plans.loader import ENV_VAR

DOC = Path(__file__).resolve().parents[1] / "docs" / "viet-bo-tieu-chi.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def apply_diff(text: str, folder: Path) -> None:
    lines = text.splitlines()
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ "), "a diff names its file"
    path = folder / lines[1][4:].strip()
    old = "\n".join(line[1:] for line in lines[2:] if line[:1] in (" ", "-"))
    new = "\n".join(line[1:] for line in lines[2:] if line[:1] in (" ", "+"))
    assert all(line[:1] in (" ", "-", "+") for line in lines[2:]), "every diff line starts with ' ', '-' or '+'"
    source = path.read_text(encoding="utf-8")
    assert source.count(old + "\n") == 1, f"the lines to change must be in {path.name} exactly once:\n{old}"
    path.write_text(source.replace(old + "\n", new + "\n"), encoding="utf-8")


def shown_in(expected: str, output: str) -> bool:
    """One line of a ``text`` block is in the output; '…' matches anything within the line."""
    pattern = ".*".join(re.escape(part) for part in expected.strip().split("…"))
    return any(re.search(pattern, line) for line in output.splitlines())


def run_sh(script: str, folder: Path, env: dict[str, str]) -> tuple[str, dict[str, str]]:
    saved = folder / ".env-after"
    result = subprocess.run(["bash", "-e", "-c", f"{script}\nenv -0 > '{saved}'"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"
    after = dict(item.split("=", 1) for item in saved.read_text().split("\0") if "=" in item)
    return result.stdout + result.stderr, after


def test_worked_example_runs_as_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "250"
    found = blocks()
    kinds = [kind for kind, _ in found]
    assert kinds.count("sh") >= 5 and kinds.count("diff") == 3 and set(kinds) <= {"sh", "diff", "text", "bat"}
    output = None
    for kind, body in found:
        if kind == "sh":
            output, env = run_sh(body, tmp_path, env)
        elif kind == "diff":
            apply_diff(body, tmp_path)
            output = None
        elif kind == "text":
            assert output is not None, "a text block follows the command it shows"
            missing = [line for line in body.splitlines() if line.strip() and not shown_in(line, output)]
            assert not missing, f"not in the output:\n{missing}\n--- output ---\n{output}"
    assert (tmp_path / "so-2025-khen-thuong.xlsx").is_file()
