"""A progress bar on the terminal for long files (the CLI asks for it); none for short
ones or when not asked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
_MIN_ROWS = 200


def progress(items: Sequence[T], enabled: bool, desc: str) -> Iterable[T]:
    if not enabled or len(items) < _MIN_ROWS:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="row", leave=False)


def bar(total: int, enabled: bool, desc: str) -> Any:
    if not enabled or total < _MIN_ROWS:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="row", leave=False)
