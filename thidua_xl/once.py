"""Within one workbook recalculation, score a bloc once, not once per THIDUA_* formula.

A scoring sheet calls THIDUA_SCORE, THIDUA_DETAIL, THIDUA_EXPLAIN, THIDUA_CLASS,
THIDUA_AWARD and THIDUA_GAP over the same figures: each would read and score the
whole bloc again. Inside :func:`session` (opened by the headless recalculation)
a function decorated with :func:`shared` returns the result it already computed
for arguments of the same content. Outside a session (Excel calling a UDF after
an edit) nothing is remembered, so a changed cell is never answered from memory.
"""

from __future__ import annotations

import contextlib
import copy
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

import numpy as np

T = TypeVar("T")
_MEMO: ContextVar[dict | None] = ContextVar("thidua_once", default=None)


def content_key(value: object) -> object:
    """A hashable key equal for arguments of equal content (nested lists/tuples/arrays of cell values)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return tuple(content_key(v) for v in value)
    if isinstance(value, float) and value != value:  # NaN: equal to itself as a key
        return ("nan",)
    if isinstance(value, np.generic):
        value = value.item()
    # 1 and True (and 1.0) hash alike but are different cells: keep the type in the key
    return (type(value).__name__, value)


@contextlib.contextmanager
def session() -> Iterator[None]:
    """Remember :func:`shared` results until the block ends (nested sessions share the outer one)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def shared(function: Callable[..., T]) -> Callable[..., T]:
    """Within a :func:`session`, compute ``function`` once per content of its arguments; each caller gets its
    own copy of the result, so one formula's use cannot change what the next one reads."""

    @functools.wraps(function)
    def wrapper(*args: object, **kwargs: object) -> T:
        memo = _MEMO.get()
        if memo is None:
            return function(*args, **kwargs)
        key = (function.__qualname__, content_key(args), content_key(sorted(kwargs.items())))
        if key not in memo:
            try:
                memo[key] = (True, function(*args, **kwargs))
            except Exception as err:  # the same input fails the same way for every formula
                memo[key] = (False, err)
        ok, result = memo[key]
        if not ok:
            raise result  # type: ignore[misc]
        return copy.deepcopy(result) if not isinstance(result, tuple) else _copy_tuple(result)

    return wrapper


def _copy_tuple(result: tuple) -> tuple:
    """Copy the mutable parts (tables, lists) of a result tuple; rubrics are frozen and shared as they are."""
    return tuple(v.copy() if hasattr(v, "copy") and not isinstance(v, str | bytes) else v for v in result)
