"""Class 1 of issue 18: nothing the user owns is ever overwritten, by any command, whatever the spelling.

Every case goes through the CLI and checks exit code 2, a Vietnamese message and the inputs' bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ingest_helpers import write_csv
from typer.testing import CliRunner

from thidua_xl import example_data, outputs
from thidua_xl.cli import app

runner = CliRunner()
TEMPLATES = Path(__file__).resolve().parents[1] / "workbooks"
PLAN = "hau-giang-2023"
ROW = ("H1", "UBND xã Hòa An", "Trực tiếp", "", "05/01/2023", "10/01/2023", "08/01/2023", "", "", "", "")


def digests(*roots: Path) -> dict[str, str]:
    """Every regular file under ``roots`` (or the file itself) → sha256, to show nothing changed."""
    out = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(tmp_path) -> Path:
    """A secretary's folder: the filled workbook, an export, a units folder with the example tables."""
    shutil.copy(TEMPLATES / f"{PLAN}.xlsx", tmp_path / "so-lieu.xlsx")
    write_csv(tmp_path / "ho-so.csv", [ROW])
    shutil.copytree(example_data.folder() / PLAN, tmp_path / "don-vi")
    return tmp_path


def ingest(project: Path, *extra: str, units: str = "so-lieu.xlsx") -> object:
    return runner.invoke(app, ["ingest", str(project / "ho-so.csv"), "--plan", PLAN, "--units",
                               str(project / units), "--no-progress", *extra])


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


# --- an output is never an input of the same run, whatever the spelling ------------------------------------

def spellings(project: Path, target: Path) -> list[Path]:
    """The same file under its own and other names: with .., a hard link, a symlink, another case."""
    link = project / "link-hard.xlsx"
    os.link(target, link.with_suffix(target.suffix))
    sym = project / f"link-sym{target.suffix}"
    sym.symlink_to(target)
    return [target, project / "sub" / ".." / target.name, link.with_suffix(target.suffix), sym,
            target.with_name(target.name.upper())]


def test_ingest_never_writes_over_its_workbook_by_any_name(project):
    (project / "sub").mkdir()
    before = digests(project)
    for same in spellings(project, project / "so-lieu.xlsx"):
        before = digests(project)
        refused(ingest(project, "-o", str(same)), "Không ghi đè tệp đầu vào")
        refused(ingest(project, "--rejects", str(same), "-o", str(project / "kq.xlsx")), "Không ghi đè")
        assert digests(project) == before
    assert not (project / "kq.xlsx").exists()


def test_rejects_never_replaces_the_export_or_a_unit_file(project):
    for victim in ("ho-so.csv", "don-vi/xa.csv", "don-vi/huyen.csv"):
        before = digests(project)
        refused(ingest(project, "--rejects", str(project / victim), "-o", str(project / "kq"),
                       units="don-vi"), "Không ghi đè tệp đầu vào")
        assert digests(project) == before
        assert not (project / "kq").exists() or not any((project / "kq").iterdir())


def test_output_folder_is_never_the_units_folder_nor_holds_a_linked_input(project):
    before = digests(project)
    refused(ingest(project, "-o", str(project / "don-vi" / "." ), units="don-vi"), "thư mục đầu vào")
    refused(ingest(project, "-o", str(project / "ho-so.csv"), units="don-vi"), "là một tệp")
    assert digests(project) == before
    out = project / "kq"
    out.mkdir()
    os.link(project / "don-vi" / "xa.csv", out / "xa.csv")  # the output folder's xa.csv IS the input
    before = digests(project)
    refused(ingest(project, "-o", str(out), units="don-vi"), "Không ghi đè tệp đầu vào")
    assert digests(project) == before


def test_score_recalc_awards_refuse_their_input_by_any_name(project):
    book = project / "so-lieu.xlsx"
    (project / "sub").mkdir()
    xa = project / "don-vi" / "xa.csv"
    for same in spellings(project, book):
        before = digests(project)
        refused(runner.invoke(app, ["recalc", str(book), "-o", str(same)]), "Không ghi đè tệp đầu vào")
        refused(runner.invoke(app, ["awards", str(book), "-o", str(same)]), "Không ghi đè tệp đầu vào")
        refused(runner.invoke(app, ["score", str(book), "-p", PLAN, "-b", "xa", "-o", str(same)]),
                "Không ghi đè tệp đầu vào")
        assert digests(project) == before
    before = digests(project)
    refused(runner.invoke(app, ["score", str(xa), "-p", PLAN, "-b", "xa", "-o",
                                str(project / "don-vi" / ".." / "don-vi" / "xa.csv")]), "Không ghi đè")
    refused(runner.invoke(app, ["score", str(xa), "-p", PLAN, "-b", "huyen", "--subunits", str(xa), "-o",
                                str(xa)]), "Không ghi đè")
    assert digests(project) == before


def test_two_outputs_of_one_run_never_share_a_file(project):
    before = digests(project)
    out = project / "kq.xlsx"
    refused(ingest(project, "-o", str(out), "--rejects", str(out)), "Hai kết quả")
    assert digests(project) == before and not out.exists()


# --- never over a non-regular file, even named explicitly ----------------------------------------------------

@pytest.fixture
def odd_targets(tmp_path) -> list[Path]:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    fifo_csv = tmp_path / "pipe.csv"
    os.mkfifo(fifo_csv)
    device = tmp_path / "null.xlsx"
    device.symlink_to("/dev/null")
    dangling = tmp_path / "gone.xlsx"
    dangling.symlink_to(tmp_path / "nowhere.xlsx")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    return [fifo, fifo_csv, device, dangling, folder, tmp_path / "."]


def test_no_command_replaces_a_pipe_device_or_folder(project, odd_targets):
    book = project / "so-lieu.xlsx"
    commands = [
        ["recalc", str(book), "-o"], ["awards", str(book), "-o"], ["template", PLAN, "-o"],
        ["score", str(project / "don-vi" / "xa.csv"), "-p", PLAN, "-b", "xa", "-o"], ["demo", PLAN, "-o"],
        ["synth", "-p", PLAN, "-n", "10", "-o"], ["addin", "-o"],
    ]
    for target in odd_targets:
        kind = os.lstat(target).st_mode
        for command in commands:
            refused(runner.invoke(app, [*command, str(target)]))
            assert os.lstat(target).st_mode == kind, (command, target)
        refused(ingest(project, "--rejects", str(target), "-o", str(project / "kq.xlsx")))
        assert os.lstat(target).st_mode == kind
    assert os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not (project / "kq.xlsx").exists()


# --- default names never replace an existing file -------------------------------------------------------------

def test_template_default_keeps_a_filled_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workbooks").mkdir()
    filled = tmp_path / "workbooks" / f"{PLAN}.xlsx"
    shutil.copy(TEMPLATES / f"{PLAN}.xlsx", filled)
    with filled.open("ab") as f:  # stands for the secretary's typing
        f.write(b"")
    before = digests(filled)
    for n in (2, 3):
        made = runner.invoke(app, ["template", PLAN])
        assert made.exit_code == 0, made.output
        assert (tmp_path / "workbooks" / f"{PLAN}-{n}.xlsx").exists()
        assert f"{PLAN}-{n}.xlsx" in made.output
    assert digests(filled) == before


def test_synth_addin_recalc_awards_defaults_pick_free_names(project, monkeypatch):
    monkeypatch.chdir(project)
    real = project / "danh-sach-ho-so.csv"
    write_csv(real, [ROW])
    xlam = project / "thidua.xlam"
    xlam.write_bytes(b"user's add-in")
    book = project / "so-lieu.xlsx"
    for name in ("so-lieu-tinh-lai.xlsx", "so-lieu-khen-thuong.xlsx", "so-lieu-ho-so.xlsx"):
        (project / name).write_bytes(b"the user's own file under a default name")
    before = digests(project)
    assert runner.invoke(app, ["synth", "-p", PLAN, "-n", "20"]).exit_code == 0
    assert (project / "danh-sach-ho-so-2.csv").exists()
    assert runner.invoke(app, ["addin"]).exit_code == 0
    assert (project / "thidua-2.xlam").exists()
    assert runner.invoke(app, ["recalc", str(book)]).exit_code == 0
    assert (project / "so-lieu-tinh-lai-2.xlsx").exists()
    assert runner.invoke(app, ["awards", str(book)]).exit_code == 0
    assert (project / "so-lieu-khen-thuong-2.xlsx").exists()
    run = ingest(project)
    assert run.exit_code == 0, run.output
    assert (project / "so-lieu-ho-so-2.xlsx").exists() and (project / "so-lieu-ho-so-2-loai-bo.csv").exists()
    assert "so-lieu-ho-so-2-loai-bo.csv" in run.output
    assert all(digests(project)[k] == v for k, v in before.items())


def test_explicit_output_is_replaced_atomically_with_umask_permissions(project):
    out = project / "kq.csv"
    old = os.umask(0o022)
    try:
        run = runner.invoke(app, ["score", str(project / "don-vi" / "xa.csv"), "-p", PLAN, "-b", "xa", "-o",
                                  str(out)])
    finally:
        os.umask(old)
    assert run.exit_code == 0, run.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    os.chmod(out, 0o640)
    again = runner.invoke(app, ["score", str(project / "don-vi" / "xa.csv"), "-p", PLAN, "-b", "xa", "-o",
                                str(out)])
    assert again.exit_code == 0 and stat.S_IMODE(out.stat().st_mode) == 0o640  # the user's mode is kept
    assert not [p for p in project.iterdir() if p.name.startswith(".")]     # no temporary file left


# --- one run's outputs are one set; a second run on the same output is refused ----------------------------

def test_failed_ingest_leaves_neither_output(project, monkeypatch):
    import openpyxl.workbook.workbook as wbmod

    def full(self, filename):  # the rejects file is already written when the workbook fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(wbmod.Workbook, "save", full)
    for rejects in (project / "loai.csv", None):
        extra = ["--rejects", str(rejects)] if rejects else []
        refused(ingest(project, "-o", str(project / "kq.xlsx"), *extra), "Đĩa đầy")
        assert not (project / "kq.xlsx").exists() and not (project / "loai.csv").exists()
        assert not (project / "kq-loai-bo.csv").exists()
        assert not [p for p in project.iterdir() if p.name.startswith(".")]


def test_a_second_run_on_the_same_output_is_refused(project):
    out = project / "kq.xlsx"
    holder = subprocess.Popen(  # another run, in another process, holds the output
        [sys.executable, "-c", "import sys; from thidua_xl import outputs\n"
         f"with outputs.output_lock({str(out)!r}):\n    print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        refused(ingest(project, "-o", str(out)), "Một lần chạy khác")
        refused(runner.invoke(app, ["template", PLAN, "-o", str(out)]), "Một lần chạy khác")
        assert not out.exists()
    finally:
        holder.communicate("", timeout=60)
    assert ingest(project, "-o", str(out)).exit_code == 0  # free again once the other run ended


def test_read_only_folder_is_a_message(project, monkeypatch):
    ro = project / "chi-doc"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # root ignores the mode: make the folder refuse as it would for a user
            real = outputs.tempfile.mkstemp

            def denied(*args, **kwargs):
                if Path(kwargs.get("dir", ".")) == ro:
                    raise PermissionError(13, "Permission denied", str(ro))
                return real(*args, **kwargs)

            monkeypatch.setattr(outputs.tempfile, "mkstemp", denied)
        refused(runner.invoke(app, ["template", PLAN, "-o", str(ro / "a.xlsx")]), "Không có quyền ghi")
        refused(runner.invoke(app, ["score", str(project / "don-vi" / "xa.csv"), "-p", PLAN, "-b", "xa", "-o",
                                    str(ro / "b.csv")]), "Không có quyền ghi")
        assert not list(ro.iterdir())
    finally:
        ro.chmod(0o700)


def test_full_disk_is_a_message_and_leaves_nothing(project, monkeypatch):
    import openpyxl.workbook.workbook as wbmod

    def full(self, filename):
        Path(filename).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    def full_zip(self, name, data, *args, **kwargs):  # the recalc of a file writes its zip itself
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(wbmod.Workbook, "save", full)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_zip)
    for command in (["template", PLAN, "-o", str(project / "a.xlsx")],
                    ["recalc", str(project / "so-lieu.xlsx"), "-o", str(project / "b.xlsx")],
                    ["demo", PLAN, "-o", str(project / "c.xlsx")]):
        refused(runner.invoke(app, command), "Đĩa đầy")
    assert not [p for p in project.iterdir() if p.suffix == ".xlsx" and p.name != "so-lieu.xlsx"]
    assert not [p for p in project.iterdir() if p.name.startswith(".")]


def test_work_folders_and_locks_are_removed_on_every_exit(project, monkeypatch):
    import tempfile

    scratch = project / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    bad = project / "thieu-cot.csv"
    bad.write_text("STT,Mã hồ sơ\n1,H1\n", encoding="utf-8")
    runs = [
        runner.invoke(app, ["ingest", str(bad), "--plan", PLAN, "--units", str(project / "so-lieu.xlsx"),
                            "--no-progress", "-o", str(project / "a.xlsx")]),          # fails inside the run
        ingest(project, "-o", str(project / "b.xlsx")),                                 # succeeds
        ingest(project, "-o", str(project / "c.xlsx"), "--memory", "64MB", "--tu", "2023-13"),  # refused early
        runner.invoke(app, ["synth", "-p", PLAN, "-n", "50", "-o", str(project / "d.csv")]),
    ]
    assert [r.exit_code for r in runs] == [2, 0, 2, 0], [r.output for r in runs]
    assert list(scratch.iterdir()) == []
    assert not [p for p in project.iterdir() if p.name.startswith(".")]
