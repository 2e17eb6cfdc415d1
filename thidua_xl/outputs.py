"""The one place that decides whether a path may be written, and writes it safely.

Why one place: every command that writes (score, demo, template, recalc,
awards, ingest, synth, addin, officejs) must obey the same rules, and a rule
kept in one function cannot be forgotten by the next command.

* An output is never an input of the same run. Files are compared by device
  and inode (hard links, symlinks, ``./a/../x.csv``), and also by resolved
  folder + case-folded NFC name (case-insensitive file systems).
* An output is never a non-regular file (directory, named pipe, device), even
  when named explicitly; a default name that already exists is replaced by a
  free one (:func:`free_path`), so only a path the user typed is ever replaced.
* Writes go to a temporary file in the same folder, renamed into place; the
  created file gets the umask's permissions (or keeps the replaced file's).
* A lock per output refuses a second run writing the same output at the same
  time; inside :func:`run` with ``together=True`` all outputs are renamed into
  place only at the end, so a failed run leaves none of them.
* Temporary files are removed on every exit path.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path


class OutputError(ValueError):
    """A path may not be written; the message is Vietnamese and names the path."""


@dataclass(frozen=True)
class _Identity:
    """How a file is recognised: its inode (if it exists) and its folded location."""

    shown: str
    inode: tuple[int, int] | None
    place: tuple[str, str]


def _place(path: Path) -> tuple[str, str]:
    parent = Path(os.path.abspath(path)).parent
    with contextlib.suppress(OSError, RuntimeError):
        parent = parent.resolve()
    return (unicodedata.normalize("NFC", str(parent)).casefold(),
            unicodedata.normalize("NFC", path.name).casefold())


def _identity(path: Path) -> _Identity:
    try:
        st = os.stat(path)
        inode: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        inode = None
    return _Identity(str(path), inode, _place(path))


def input_files(paths: Iterable[Path | str | None]) -> list[Path]:
    """The inputs of a run; a folder counts with every file in it (a units folder)."""
    out: list[Path] = []
    for p in paths:
        if p is None:
            continue
        p = Path(p)
        out.append(p)
        if p.is_dir():
            with contextlib.suppress(OSError):
                out.extend(sorted(p.iterdir()))
    return out


@dataclass
class _Run:
    inputs: list[_Identity]
    together: bool
    locks: contextlib.ExitStack
    named: list[_Identity] = field(default_factory=list)
    staged: list[tuple[Path, Path]] = field(default_factory=list)
    claimed: list[_Identity] = field(default_factory=list)


_CURRENT: ContextVar[_Run | None] = ContextVar("thidua_run", default=None)
_HELD: dict[str, int] = {}  # lock file → open descriptor, for locks held by this process


def _same(a: _Identity, b: _Identity) -> bool:
    return (a.inode is not None and a.inode == b.inode) or a.place == b.place


def check_writable(path: Path | str, protect: Iterable[Path | str] = ()) -> Path:
    """Refuse ``path`` if it is an input (of this call or of the current run) or not a regular file."""
    path = Path(path)
    if str(path).strip() == "" or path.name in ("", ".", ".."):
        raise OutputError(f"'{path}' không phải tên tệp kết quả: hãy ghi tên tệp, ví dụ 'ket-qua.xlsx'.")
    target = _identity(path)
    current = _CURRENT.get()
    inputs = [_identity(Path(p)) for p in protect if p is not None]
    if current is not None:
        inputs += current.inputs
    for known in inputs:
        if _same(target, known):
            same = "" if str(path) == known.shown else f" — '{path}' chính là tệp đó"
            raise OutputError(f"Không ghi đè tệp đầu vào '{known.shown}'{same}: hãy chọn tên tệp kết quả khác.")
    if current is not None:
        for other in current.claimed:
            if _same(target, other):
                raise OutputError(f"Hai kết quả cùng ghi vào '{path}' (trùng với '{other.shown}'): hãy đặt "
                                  "tên khác nhau cho các tệp kết quả.")
    if os.path.lexists(path):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = 0  # a dangling link: not a regular file either
        if stat.S_ISDIR(mode):
            raise OutputError(f"'{path}' là một thư mục: hãy ghi tên tệp kết quả, ví dụ "
                              f"'{path / ('ket-qua' + (path.suffix or '.xlsx'))}'.")
        if not stat.S_ISREG(mode):
            raise OutputError(f"Không ghi vào '{path}': đây không phải tệp thường (ống dẫn, thiết bị hay liên kết "
                              "hỏng) — hãy chọn tên tệp kết quả khác.")
    return path


def check_distinct(*paths: Path | str) -> None:
    """Two outputs of one run never name the same file (``--rejects`` equal to ``-o``)."""
    seen: list[_Identity] = []
    for p in paths:
        me = _identity(Path(p))
        if any(_same(me, other) for other in seen):
            raise OutputError(f"Hai kết quả cùng ghi vào '{p}': hãy đặt tên khác nhau cho các tệp kết quả.")
        seen.append(me)


def check_folder(path: Path | str, protect: Iterable[Path | str] = ()) -> Path:
    """An output folder: never an input (or a folder holding an input file directly), never a file."""
    path = Path(path)
    if os.path.lexists(path) and not path.is_dir():
        raise OutputError(f"'{path}' là một tệp, không phải thư mục: hãy chọn thư mục kết quả khác.")
    target = _identity(path)
    current = _CURRENT.get()
    inputs = [_identity(Path(p)) for p in protect] + (current.inputs if current is not None else [])
    for known in inputs:
        if _same(target, known):
            raise OutputError(f"Không ghi vào thư mục đầu vào '{path}': hãy chọn thư mục kết quả khác.")
    return path


def _unnamed_to_free(path: Path, current: _Run | None) -> Path:
    """Inside a run, a path the user did not type (nor the folder holding it) that already exists is replaced
    by a free name."""
    if current is None or not os.path.lexists(path):
        return path
    me, folder = _identity(path), _identity(path.parent)  # a file of an output folder the user named is named
    if any(_same(me, n) or _same(folder, n) for n in current.named):
        return path
    return free_path(path)


def output_folder(path: Path | str, protect: Iterable[Path | str] = ()) -> Path:
    """A folder to write outputs into: a free name if it is a default that exists, never an input; created."""
    path = check_folder(_unnamed_to_free(Path(path), _CURRENT.get()), protect)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(os_message(err, path, writing=True)) from err
    return path


def free_path(path: Path | str) -> Path:
    """``path`` if nothing is there, else the first free ``<stem>-2<suffix>``, ``-3``…: a default name never
    replaces an existing file or folder (the user did not name it)."""
    path = Path(path)
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def check_input(path: Path | str) -> Path:
    """An input file exists and is a regular file: reading a named pipe or a device would hang or never end,
    a folder gives an English errno text. (A folder where one is expected is checked by its command.)"""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        raise OutputError(os_message(err, path)) from err
    if stat.S_ISDIR(mode):
        raise OutputError(f"'{path}' là một thư mục: cần chỉ một tệp.")
    if not stat.S_ISREG(mode):
        raise OutputError(f"'{path}' không phải tệp thường (ống dẫn hay thiết bị): cần chỉ một tệp.")
    return path


def os_message(err: OSError, path: Path | str | None = None, *, writing: bool = False) -> str:
    """An OS error in Vietnamese, naming the file (never the English errno text alone)."""
    where = f"'{path}'" if path is not None else (f"'{err.filename}'" if err.filename else "tệp")
    code = err.errno
    if code == errno.ENOENT:
        return f"Không tìm thấy tệp {where} (kiểm tra lại đường dẫn và tên tệp)."
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Không có quyền {'ghi' if writing else 'đọc'} {where} (thư mục chỉ đọc, tệp đang mở trong Excel "
                "hoặc không đủ quyền): hãy đóng tệp hoặc chọn thư mục khác.")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"Đĩa đầy: không ghi được {where}. Hãy giải phóng dung lượng rồi chạy lại."
    if code == errno.EISDIR:
        return f"{where} là một thư mục, không phải tệp."
    if code == errno.ENOTDIR:
        return f"Đường dẫn {where} có một phần không phải thư mục."
    if code == errno.ENAMETOOLONG:
        return f"Tên tệp {where} quá dài."
    if code == errno.EEXIST:
        return f"{where} đã có."
    return f"Không {'ghi' if writing else 'đọc'} được {where} (lỗi hệ thống số {code})."


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _lock_file(path: Path) -> Path:
    key = "\0".join(_place(path)).encode("utf-8", "surrogatepass")
    return Path(tempfile.gettempdir()) / f"thidua-xl-{hashlib.sha256(key).hexdigest()[:24]}.lock"


def _try_lock(fd: int) -> bool:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    except OSError:
        return False


@contextlib.contextmanager
def output_lock(path: Path | str) -> Iterator[None]:
    """Hold the lock of one output for the block; a second run on the same output is refused."""
    lock = _lock_file(Path(path))
    if str(lock) in _HELD:  # this process already holds it (an outer run)
        yield
        return
    for _ in range(5):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise OutputError(f"Một lần chạy khác đang ghi '{path}': hãy đợi lần chạy đó xong rồi chạy lại.")
        try:  # the holder before us may have removed the file after we opened it: lock the live one
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                break
        except OSError:
            pass
        os.close(fd)
    else:  # pragma: no cover - only under a pathological storm of runs
        raise OutputError(f"Một lần chạy khác đang ghi '{path}': hãy đợi lần chạy đó xong rồi chạy lại.")
    _HELD[str(lock)] = fd
    try:
        yield
    finally:
        del _HELD[str(lock)]
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)


@contextlib.contextmanager
def run(inputs: Iterable[Path | str | None], *, named: Iterable[Path | str | None] = (),
        together: bool = False) -> Iterator[None]:
    """Scope of one command: no write inside may touch ``inputs``; each output stays locked until the end;
    an existing file not in ``named`` (what the user typed) is never replaced: the write goes to a free
    name instead (:func:`free_path`), and the written path is returned to the caller to show; with ``together`` every output is renamed into place only when the block ends without error (a failed
    run leaves no output behind, and two runs never mix their outputs)."""
    with contextlib.ExitStack() as locks:
        state = _Run([_identity(p) for p in input_files(inputs)], together, locks,
                     [_identity(Path(p)) for p in named if p is not None])
        token = _CURRENT.set(state)
        try:
            yield
            for tmp, final in state.staged:
                _replace(tmp, final)
        finally:
            _CURRENT.reset(token)
            for tmp, _ in state.staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _replace(tmp: Path, final: Path) -> None:
    try:
        os.replace(tmp, final)
    except OSError as err:
        raise OutputError(os_message(err, final, writing=True)) from err


def atomic_write(path: Path | str, write: Callable[[Path], None], *, protect: Iterable[Path | str] = ()) -> Path:
    """Write ``path`` through ``write(tmp)`` on a temporary file in the same folder, after
    :func:`check_writable`; renamed into place now, or at the end of a ``together`` :func:`run`."""
    current = _CURRENT.get()
    path = check_writable(_unnamed_to_free(Path(path), current), protect)
    final = Path(os.path.abspath(path))
    with contextlib.ExitStack() as own:
        (current.locks if current is not None else own).enter_context(output_lock(final))
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{final.stem[:40]}-", suffix=final.suffix, dir=final.parent)
            os.close(fd)
        except OSError as err:
            raise OutputError(os_message(err, final.parent if not final.parent.is_dir() else final,
                                         writing=True)) from err
        tmp = Path(name)
        try:
            write(tmp)
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(os.stat(final).st_mode) if final.exists() else _umask_mode())
            if current is not None and current.together:
                current.staged.append((tmp, final))
                current.claimed.append(_identity(final))
                return final
            _replace(tmp, final)
        except OSError as err:
            raise OutputError(os_message(err, final, writing=True)) from err
        finally:
            if (current is None or not current.together or (tmp, final) not in current.staged) and tmp.exists():
                tmp.unlink()
    if current is not None:
        current.claimed.append(_identity(final))
    return final
