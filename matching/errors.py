"""Errors a person can act on. Each message names the field, the value and what was
expected. All derive from :class:`MatchingError` so the service can catch one type."""

from __future__ import annotations


class MatchingError(Exception):
    """Base class of every error the matching library raises on purpose."""


class ConfigError(MatchingError, ValueError):
    """A :class:`~matching.config.MatchingConfig` field holds an unusable value."""


class ProfileError(MatchingError, ValueError):
    """A need or talent profile holds an unusable value (empty text, NaN coordinates…)."""


class ShapeError(MatchingError, ValueError):
    """An array has the wrong shape or dimension."""


class EncoderError(MatchingError, RuntimeError):
    """An encoder cannot be loaded or produced unusable output."""


class VectorIndexError(MatchingError, RuntimeError):
    """Base of index problems; the caller rebuilds the index from source rows."""


class IndexMismatchError(VectorIndexError):
    """A saved index was built by another encoder, dimension or factory."""


class IndexCorruptError(VectorIndexError):
    """A saved index file is missing, truncated or does not match its manifest checksum."""


class NotFittedError(MatchingError, RuntimeError):
    """A fitted object was used before ``fit``."""


class UnknownIdError(MatchingError, KeyError):
    """An id is not in the index or matcher."""
