"""A tiny compositional grammar: templates with ``{slot}`` placeholders.

A slot is looked up in a chain of scopes (need/talent context first, then topic, then
domain, then the shared grammar). A ``str`` value is used as is (a fixed choice made once
per record, so "松茸" stays "松茸" throughout one text); a ``tuple`` is a set of
alternatives: one is drawn and expanded in turn. ``{#a-b}`` draws an integer in [a, b];
``{#a-b*k}`` draws a multiple of k (round figures).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

Grammar = Mapping[str, "str | tuple[str, ...]"]

_SLOT = re.compile(r"\{([^{}]+)\}")


@lru_cache(maxsize=4096)
def _int_range(spec: str) -> tuple[int, int, int]:
    """``#a-b`` or ``#a-b*k`` (a multiple of k, for round figures like 20000)."""
    body, _, mult = spec[1:].partition("*")
    lo, hi = body.split("-")
    return int(lo), int(hi), int(mult or 1)


def expand(template: str, rng: random.Random, scopes: Sequence[Grammar]) -> str:
    """Fill every placeholder of ``template``; an unknown slot is a programming error."""
    if "{" not in template:
        return template

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key[0] == "#":
            lo, hi, mult = _int_range(key)
            return str(rng.randint(lo, hi) * mult)
        for scope in scopes:
            value = scope.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                return value
            return expand(value[int(rng.random() * len(value))], rng, scopes)
        raise KeyError(f"grammar slot {{{key}}} is not defined")

    return _SLOT.sub(fill, template)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[int(rng.random() * len(options))]


def alternatives(key: str, scopes: Sequence[Grammar]) -> tuple[str, ...]:
    """The alternatives of ``key`` in the first scope that defines it."""
    for scope in scopes:
        value = scope.get(key)
        if value is not None:
            return (value,) if isinstance(value, str) else value
    return ()
