"""The validating JSON reader shared by the reference loaders.

Every accessor records the JSON path, so that a :class:`ReferenceDataError` can name
the file, the path, the value found and what was expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any, Literal

PROGRAMMES_FILE = "programmes.json"
DIVISIONS_FILE = "divisions.json"
TAXONOMY_FILE = "taxonomy.json"
CATEGORIES_FILE = "categories.json"

Period = Literal["yearly", "unspecified"]
CountKind = Literal["distinct_talents", "matches", "coverage_sites"]
PERIODS: tuple[str, ...] = ("yearly", "unspecified")
COUNT_KINDS: tuple[str, ...] = ("distinct_talents", "matches", "coverage_sites")
COUNTY_KINDS: tuple[str, ...] = ("county", "county_level_city")
TOWNSHIP_KINDS: tuple[str, ...] = ("town", "township", "ethnic_township")
POVERTY_COUNTY_LEVELS: tuple[str, ...] = ("national", "provincial")

# Codes are ASCII slugs so that they survive URLs, CSV headers and config files.
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DOTTED_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_ADMIN_CODE_RE = re.compile(r"^53\d{4}$")
_UNIT_SPLIT_RE = re.compile("[、，]")


class ReferenceDataError(ValueError):
    """A reference data file does not hold what the loaders expect."""

    def __init__(self, file: str, path: str, value: object, expected: str) -> None:
        self.file = file
        self.path = path
        self.value = value
        self.expected = expected
        shown = repr(value)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        super().__init__(f"{file}: {path}: found {shown}, expected {expected}")


# ---------------------------------------------------------------------------------------
# A small validating reader. Every accessor records the JSON path so that an error can say
# exactly where the bad value sits.

_MISSING = object()


class _Node:
    __slots__ = ("file", "path", "value")

    def __init__(self, value: Any, file: str, path: str) -> None:
        self.value = value
        self.file = file
        self.path = path

    def fail(self, expected: str, value: object = _MISSING) -> ReferenceDataError:
        return ReferenceDataError(
            self.file, self.path, self.value if value is _MISSING else value, expected
        )

    def obj(self) -> _Obj:
        if not isinstance(self.value, Mapping):
            raise self.fail("a JSON object")
        return _Obj(self.value, self.file, self.path)

    def items(self) -> list[_Node]:
        if not isinstance(self.value, list):
            raise self.fail("a JSON array")
        return [_Node(v, self.file, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def string(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail("a non-empty string")
        if self.value != self.value.strip():
            raise self.fail("a string without leading or trailing whitespace")
        return self.value

    def opt_string(self) -> str | None:
        return None if self.value is None else self.string()

    def code(self, pattern: re.Pattern[str] = _CODE_RE) -> str:
        value = self.string()
        if not pattern.match(value):
            raise self.fail(f"a code matching {pattern.pattern}")
        return value

    def integer(self, *, minimum: int | None = None) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail("an integer")
        if minimum is not None and self.value < minimum:
            raise self.fail(f"an integer >= {minimum}")
        return self.value

    def opt_integer(self, *, minimum: int | None = None) -> int | None:
        return None if self.value is None else self.integer(minimum=minimum)

    def number(self, *, lo: float | None = None, hi: float | None = None) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail("a number")
        value = float(self.value)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.fail(f"a number in [{lo}, {hi}]")
        return value

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("true or false")
        return self.value

    def choice(self, options: tuple[str, ...]) -> str:
        value = self.string()
        if value not in options:
            raise self.fail("one of " + ", ".join(options))
        return value

    def opt_choice(self, options: tuple[str, ...]) -> str | None:
        return None if self.value is None else self.choice(options)

    def iso_date(self) -> date:
        value = self.string()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail("an ISO date YYYY-MM-DD") from None

    def str_tuple(self, *, allow_empty: bool = True) -> tuple[str, ...]:
        out = tuple(n.string() for n in self.items())
        if not allow_empty and not out:
            raise self.fail("a non-empty array of strings")
        if len(set(out)) != len(out):
            raise self.fail("an array without duplicates")
        return out

    def code_tuple(self, pattern: re.Pattern[str] = _CODE_RE) -> tuple[str, ...]:
        out = tuple(n.code(pattern) for n in self.items())
        if len(set(out)) != len(out):
            raise self.fail("an array without duplicates")
        return out


class _Obj:
    """A JSON object being read; :meth:`done` rejects keys nobody asked for (typos)."""

    __slots__ = ("data", "file", "path", "seen")

    def __init__(self, data: Mapping[str, Any], file: str, path: str) -> None:
        self.data = data
        self.file = file
        self.path = path
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> _Node:
        self.seen.add(key)
        if key not in self.data:
            raise ReferenceDataError(self.file, self._child(key), None, "this key to be present")
        return _Node(self.data[key], self.file, self._child(key))

    def get(self, key: str, default: Any = None) -> _Node:
        self.seen.add(key)
        return _Node(self.data.get(key, default), self.file, self._child(key))

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise ReferenceDataError(
                self.file, self._child(extra[0]), self.data[extra[0]], "no such key (unknown)"
            )

    def _child(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key


def _unique(nodes: list[_Node], keys: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for node, key in zip(nodes, keys, strict=True):
        if key in seen:
            raise node.fail(f"a unique {what} (already used at index {seen[key]})", key)
        seen[key] = len(seen)


def read_data_file(name: str) -> Any:
    """Decode one JSON file from ``reference/data`` (works from a checkout or an install)."""
    try:
        text = resources.files("reference").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(name, "$", None, "the file to exist in reference/data") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"$ (line {exc.lineno}, column {exc.colno})"
        raise ReferenceDataError(name, where, exc.msg, "valid JSON") from None


def _header(root: _Obj) -> tuple[str, date, tuple[str, ...]]:
    source = root["source"].string()
    as_of = root["as_of"].iso_date()
    notes = root.get("notes", []).str_tuple()
    root.get("schema_version", 1).integer(minimum=1)
    return source, as_of, notes
