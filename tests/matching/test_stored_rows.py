"""Profiles read back one row at a time: each row is its own pickle, made on first use
and kept; the id map reads nothing until asked, and its first change copies, never
touching the shared rows."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

from matching.stored_rows import ProfilesById, StoredRows, copy_profiles, dump_rows

PROFILES = [{"id": 10 + i, "name": f"人才{i}", "skills": ["儿科"] * i} for i in range(5)]


def _stored() -> StoredRows[dict[str, object]]:
    blob = io.BytesIO()
    offsets = dump_rows(PROFILES, lambda fh: pickle.Pickler(fh), blob)
    assert offsets[0] == 0 and offsets[-1] == len(blob.getvalue())
    return StoredRows(blob.getvalue(), offsets)


def test_rows_are_made_on_first_use_and_kept() -> None:
    rows = _stored()
    assert len(rows) == 5 and rows.made == 0
    assert rows[2] == PROFILES[2] and rows.made == 1
    assert rows[2] is rows[2] and rows.made == 1
    assert rows[-1] == PROFILES[4]
    assert rows[1:3] == PROFILES[1:3]
    assert list(rows) == PROFILES and rows.made == 5
    with pytest.raises(IndexError, match="row 5 of 5"):
        rows[5]


def test_an_empty_side_has_no_rows() -> None:
    rows: StoredRows[object] = StoredRows(b"", np.zeros(1, dtype=np.int64))
    assert len(rows) == 0 and list(rows) == []


def test_the_id_map_reads_a_row_only_when_asked() -> None:
    rows = _stored()
    by_id = ProfilesById(rows, {p["id"]: row for row, p in enumerate(PROFILES)})  # type: ignore[misc]
    assert len(by_id) == 5 and 12 in by_id and 99 not in by_id
    assert sorted(by_id) == [10, 11, 12, 13, 14]
    assert rows.made == 0
    assert by_id[13] == PROFILES[3] and rows.made == 1
    with pytest.raises(KeyError):
        by_id[99]


def test_a_change_copies_and_leaves_the_rows_and_earlier_copies_alone() -> None:
    rows = _stored()
    by_id = ProfilesById(rows, {p["id"]: row for row, p in enumerate(PROFILES)})  # type: ignore[misc]
    before = copy_profiles(by_id)
    assert isinstance(before, ProfilesById) and rows.made == 0
    by_id[99] = {"id": 99}
    del by_id[10]
    assert sorted(by_id) == [11, 12, 13, 14, 99]
    assert sorted(before) == [10, 11, 12, 13, 14] and before[10] == PROFILES[0]
    assert list(rows) == PROFILES
    after = copy_profiles(by_id)
    assert isinstance(after, dict) and after == dict(by_id)
    after[11] = {"id": 11, "changed": True}
    assert by_id[11] == PROFILES[1]
