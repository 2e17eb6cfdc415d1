"""xlwings Server with the THIDUA functions: what ``thidua-xl serve`` runs for Excel 365 / Excel on the web.

xlwings-server (PyPI ``xlwings-server``, the ``officejs`` extra) serves the Office.js side: the
custom-functions metadata (``/xlwings/custom-functions-meta.json``), the JavaScript that Excel
loads (``/xlwings/custom-functions-code.js``), the call endpoint that script posts to
(``/xlwings/custom-functions-call``), the task pane page and its static files (icons included).
It imports the user's functions as a top-level module named ``custom_functions``; we put a copy
of :mod:`udfs.functions` there, so the functions are defined once for both Excel doors.

Names: the manifest's namespace is ``THIDUA`` and each function is shown without the ``THIDUA_``
prefix, so Office.js users type ``=THIDUA.SCORE(...)`` where the classic add-in has
``=THIDUA_SCORE(...)``. The call dispatch key stays the Python name (``thidua_score``).
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import socket
import ssl
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

NAMESPACE = "THIDUA"
PREFIX = "thidua_"
INSTALL_HINT = "pip install 'thidua_xl[officejs]'"
MISSING = ("Chưa cài xlwings Server (gói 'xlwings-server') nên chưa chạy được máy chủ Office.js. "
           f"Cài bằng lệnh: {INSTALL_HINT}")
# xlwings Server reads .env, config.py, lifespan.py and templates/ from its "project folder". We point
# it at a folder that does not exist, so nothing lying in the current directory changes our server.
PROJECT_DIR = Path(__file__).with_name("xlwings_server_project")
# Icons shipped inside xlwings-server's static folder (served at /static/...).
ICONS = {size: f"/static/images/icons/xlwings-{size}.png" for size in (16, 32, 64, 80)}


class ServerError(RuntimeError):
    """The server cannot start; the message is for the user (Vietnamese)."""


class ServerMissing(ServerError):
    """The ``officejs`` extra (xlwings-server) is not installed."""


def excel_name(python_name: str) -> str:
    """Office.js name of a function: ``thidua_score`` → ``SCORE`` (Excel shows ``THIDUA.SCORE``)."""
    name = python_name.upper()
    return name[len(PREFIX):] if name.startswith(PREFIX.upper()) else name


def server_settings() -> dict[str, str]:
    """Environment for xlwings Server (its settings are ``XLWINGS_*`` variables, read once at import)."""
    return {
        "XLWINGS_ON_SERVER": "true",
        # PolyForm Noncommercial: covers government institutions (see DESIGN.md §7).
        "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY") or "noncommercial",
        "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
        "XLWINGS_PROJECT_NAME": "Thi đua",
        "XLWINGS_FUNCTIONS_NAMESPACE": NAMESPACE,
        "XLWINGS_ENVIRONMENT": "prod",
        "XLWINGS_ENABLE_EXAMPLES": "false",
    }


def _office_engines(xw: ModuleType) -> None:
    """Register xlwings' Office.js engines when xlwings was imported before the licence key was set
    (it then skips them, and every call would fail with "officejs requires a license key")."""
    try:
        xw.engines["officejs"]
    except (KeyError, xw.LicenseError):
        from xlwings.pro import _xlofficejs, _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
        xw.engines.add(xw.Engine(impl=_xlofficejs.engine))
        xw.__pro__ = True


def load_functions() -> ModuleType:
    """A fresh copy of :mod:`udfs.functions` decorated by xlwings Server, named ``custom_functions``.

    xlwings chooses its decorators when it is first imported; in a process that imported it in
    classic mode (tests, the CLI) ``xw.func`` is a pass-through, so the module is executed again with
    the server decorators in place, then each function gets its short Office.js name.
    """
    import xlwings as xw
    import xlwings.server as xs

    _office_engines(xw)
    origin = importlib.util.find_spec("udfs.functions").origin
    spec = importlib.util.spec_from_file_location("custom_functions", origin)
    module = importlib.util.module_from_spec(spec)
    saved = xw.func, xw.arg, xw.ret
    xw.func, xw.arg, xw.ret = xs.func, xs.arg, xs.ret
    try:
        spec.loader.exec_module(module)
    finally:
        xw.func, xw.arg, xw.ret = saved
    missing = [name for name in module.__all__ if not hasattr(getattr(module, name), "__xlfunc__")]
    if missing:
        raise RuntimeError(f"Hàm chưa được đăng ký với xlwings Server: {', '.join(missing)}")
    for name, function in inspect.getmembers(module, lambda f: hasattr(f, "__xlfunc__")):
        # Applying xw.func again only renames; the options it would otherwise reset are passed back.
        options = {key: function.__xlfunc__[key] for key in ("volatile", "cache", "namespace", "help_url",
                                                              "required_roles")}
        xs.func(name=excel_name(name), **options)(function)
    return module


def create_app() -> Any:
    """The ASGI app of xlwings Server serving our functions (built once per process)."""
    for key, value in server_settings().items():
        os.environ[key] = value
    try:
        import xlwings_server  # noqa: F401  (reads its settings from the environment set above)
    except ImportError as err:
        raise ServerMissing(MISSING) from err
    if "xlwings_server.main" not in sys.modules:
        sys.modules["custom_functions"] = load_functions()
    from xlwings_server.main import main_app

    return main_app


def check_start(host: str, port: int, ssl_keyfile: str | None, ssl_certfile: str | None) -> None:
    """Refuse in Vietnamese what uvicorn would report in English after starting: a bad certificate, a
    busy port or an unknown address."""
    if ssl_certfile:
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(ssl_certfile, ssl_keyfile)
        except (ssl.SSLError, OSError) as err:
            raise ServerError(f"Không đọc được chứng chỉ https '{ssl_certfile}' và khóa '{ssl_keyfile}': cần hai "
                              f"tệp PEM khớp nhau ({err.__class__.__name__}).") from err
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind((host, port))
    except OSError as err:
        raise ServerError(f"Không mở được cổng {port} trên '{host}': cổng đang được dùng hoặc địa chỉ không "
                          "hợp lệ. Chọn cổng khác bằng --port.") from err


def serve(host: str = "127.0.0.1", port: int = 8000, ssl_keyfile: str | None = None,
          ssl_certfile: str | None = None) -> None:
    """Run the server until interrupted (HTTPS when a key and certificate are given)."""
    app = create_app()
    check_start(host, port, ssl_keyfile, ssl_certfile)
    import uvicorn

    uvicorn.run(app, host=host, port=port, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile)
