"""Where Excel loads add-ins from, and copying ``thidua.xlam`` there.

Like ``xlwings addin install``, the add-in goes into Excel's XLSTART folder,
so Excel opens it (hidden) at every start without a trip to the Add-ins
dialog. Elsewhere than Windows there is no such folder to find: the command
says which path to use instead of guessing.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def xlstart_folder() -> Path | None:
    """``%APPDATA%\\Microsoft\\Excel\\XLSTART`` on Windows; None elsewhere."""
    if sys.platform != "win32" or not os.environ.get("APPDATA"):
        return None
    return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"


def install(addin: Path, folder: Path | None = None) -> Path:
    """Copy ``addin`` into ``folder`` (default: XLSTART); the installed path."""
    folder = folder or xlstart_folder()
    if folder is None:
        raise OSError("Máy này không phải Windows nên không có thư mục XLSTART của Excel. Add-in ghi đường dẫn "
                      "Python của máy tạo ra nó: hãy chạy 'thidua-xl addin --install' trên máy Windows đã cài "
                      "thidua_xl (hoặc tạo ở đây với --python \"C:\\…\\python.exe\" của máy đó, rồi chép tệp vào "
                      "%APPDATA%\\Microsoft\\Excel\\XLSTART).")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / addin.name
    try:
        shutil.copyfile(addin, target)
    except PermissionError as err:
        raise OSError(f"Không chép được add-in vào '{target}': hãy đóng Excel rồi chạy lại lệnh ({err.strerror}).") \
            from err
    return target
