"""Profiles read back from a saved state one at a time, when first asked for.

A saved side holds its profiles as one file of per-row pickles and an offsets array
(``matching.state``). Unpickling all 100,000 talent profiles took ~5 s of a worker's
start while a query reads a few hundred of them; these views unpickle a row on first
use and keep it. An edit of the side turns the id map into a plain dict first (every
profile then read once, on the edit's thread, not on a query's).
"""

from __future__ import annotations

import operator
import pickle  # nosec B403
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from typing import Any, TypeVar, overload

import numpy as np

P = TypeVar("P")


class StoredRows(Sequence[P]):
    """Row ``r`` is ``pickle.loads(blob[offsets[r]:offsets[r + 1]])``, made on first
    use and kept. ``blob``: bytes-like (a memory map); ``offsets``: (N + 1,) int64,
    ascending, starting at 0. The caller has checked the blob's checksum."""

    def __init__(self, blob: Any, offsets: np.ndarray) -> None:
        assert offsets.ndim == 1 and len(offsets) >= 1, offsets.shape
        self._blob = blob
        self._offsets = offsets
        self._made: dict[int, P] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, row: int) -> P: ...

    @overload
    def __getitem__(self, row: slice) -> list[P]: ...

    def __getitem__(self, row: int | slice) -> P | list[P]:
        if isinstance(row, slice):
            return [self._row(i) for i in range(*row.indices(len(self)))]
        index = operator.index(row)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"row {row} of {len(self)}")
        return self._row(index)

    def _row(self, index: int) -> P:
        made = self._made.get(index)
        if made is None:
            start, end = int(self._offsets[index]), int(self._offsets[index + 1])
            # Two readers may both make one row: equal objects, the last one kept.
            made = self._made[index] = pickle.loads(self._blob[start:end])  # nosec B301
        return made

    @property
    def byte_size(self) -> int:
        """Where the last row ends: the size its file must have."""
        return int(self._offsets[-1])

    @property
    def made(self) -> int:
        """How many rows have been unpickled so far."""
        return len(self._made)


class ProfilesById(MutableMapping[int, P]):
    """id → profile over :class:`StoredRows` and the side's ``row_of`` map, without
    reading a profile until it is asked for. The first change copies every profile
    into a dict of its own, so the shared rows are never changed."""

    def __init__(self, rows: StoredRows[P], row_of: Mapping[int, int]) -> None:
        self._rows = rows
        self._row_of = row_of
        self._own: dict[int, P] | None = None

    def _edited(self) -> dict[int, P]:
        if self._own is None:
            self._own = {pid: self._rows[row] for pid, row in self._row_of.items()}
        return self._own

    def __getitem__(self, pid: int) -> P:
        if self._own is not None:
            return self._own[pid]
        return self._rows[self._row_of[pid]]

    def __contains__(self, pid: object) -> bool:
        return pid in (self._own if self._own is not None else self._row_of)

    def __setitem__(self, pid: int, profile: P) -> None:
        self._edited()[pid] = profile

    def __delitem__(self, pid: int) -> None:
        del self._edited()[pid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._own if self._own is not None else self._row_of)

    def __len__(self) -> int:
        return len(self._own if self._own is not None else self._row_of)

    def copy(self) -> MutableMapping[int, P]:
        """An independent map: unchanged, one more view of the same rows."""
        if self._own is not None:
            return dict(self._own)
        return ProfilesById(self._rows, self._row_of)


def copy_profiles(profiles: MutableMapping[int, P]) -> MutableMapping[int, P]:
    """A copy that later changes of ``profiles`` do not reach, reading no stored row."""
    if isinstance(profiles, ProfilesById):
        return profiles.copy()
    return dict(profiles)


def dump_rows(rows: Sequence[Any], pickler: Any, blob: Any) -> np.ndarray:
    """Write each of ``rows`` to the binary file ``blob`` as a pickle of its own with
    ``pickler(file)``; returns the (N + 1,) offsets."""
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, row in enumerate(rows):
        pickler(blob).dump(row)
        offsets[i + 1] = blob.tell()
    return offsets
