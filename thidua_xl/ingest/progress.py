"""A terminal progress bar over DuckDB statements (DuckDB reports each query's percentage)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import duckdb
from tqdm import tqdm


class Steps:
    """One bar for a sequence of named steps; each step runs a statement and moves the bar as DuckDB advances."""

    def __init__(self, con: duckdb.DuckDBPyConnection, names: Sequence[str], enabled: bool) -> None:
        self.con = con
        self.bar = tqdm(total=100 * len(names), disable=not enabled, unit="%", leave=False,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}")
        self.done = 0

    def run(self, name: str, sql: str, params: Sequence[object] | None = None) -> duckdb.DuckDBPyConnection:
        """Run ``sql``; while it runs, poll its progress from this thread."""
        self.bar.set_description_str(name)
        if self.bar.disable:
            return self.con.execute(sql, params)
        outcome: dict[str, object] = {}

        def work() -> None:
            try:
                outcome["result"] = self.con.execute(sql, params)
            except BaseException as err:  # re-raised in the caller's thread
                outcome["error"] = err

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.2)
                fraction = max(0.0, min(self.con.query_progress(), 100.0))
                self.bar.n = self.done + fraction
                self.bar.refresh()
                time.sleep(0)
        except BaseException:  # Ctrl-C: stop the query before the connection is closed under it
            self.con.interrupt()
            worker.join()
            raise
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        self.done += 100
        self.bar.n = self.done
        self.bar.refresh()
        return outcome["result"]  # type: ignore[return-value]

    def close(self) -> None:
        self.bar.close()
