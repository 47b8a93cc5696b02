"""Saved rankers: one folder per scope and version, ``<root>/<scope>/v<NNN>/``, holding
``model.json`` (the coefficients: plain numbers, never a pickle) and ``manifest.json``
(features, data window, counts, held-out metrics, the guardrail's verdict, library
versions and the model file's SHA-256). A scope is ``prefecture`` or a county code.

Loading checks the manifest's format, the checksum and that the features are the
engine's; any mismatch raises :class:`RankerArtefactError` naming the file, the field,
the value and what was expected, and the caller keeps the hand weights.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matching.config import FEATURE_NAMES
from matching.errors import MatchingError
from matching.ranker import (
    LearnedScorer,
    LogisticRanker,
    Tie,
    check_tie,
    interaction_pairs,
    kept_columns,
    tied_column,
)

FORMAT = "rencai-ranker/1"
PREFECTURE = "prefecture"
_VERSION = re.compile(r"^v(\d{3,})$")


class RankerArtefactError(MatchingError, ValueError):
    """A saved ranker is missing, corrupt or made for other features."""


def library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def versions_of(root: Path, scope: str) -> list[int]:
    folder = root / scope
    if not folder.is_dir():
        return []
    found = (_VERSION.match(p.name) for p in folder.iterdir() if p.is_dir())
    return sorted(int(m.group(1)) for m in found if m)


def _column_names(tie: Tie) -> list[str]:
    """The model's columns: the features, tied ones as one ``semantic+lexical``."""
    keep = kept_columns(len(FEATURE_NAMES), tie)
    tied = "+".join(FEATURE_NAMES[i] for i, _ in tie)
    first = min((i for i, _ in tie), default=-1)
    return [tied if j == first else FEATURE_NAMES[j] for j in keep]


def _read_tie(path: Path, raw: Any) -> Tie:
    """``[[feature, weight], …]`` of model.json -> column indices and weights."""
    try:
        tie = tuple((FEATURE_NAMES.index(str(name)), float(w)) for name, w in raw or [])
        check_tie(tie, len(FEATURE_NAMES))
    except (TypeError, ValueError) as exc:
        raise RankerArtefactError(
            f"{path}: tie={raw!r}; expected [[feature, positive weight], …] ({exc})"
        ) from None
    return tie


def save(root: Path, scope: str, model: LogisticRanker, manifest: dict[str, Any]) -> Path:
    """Write the next version of ``scope``; returns its folder."""
    version = (versions_of(root, scope) or [0])[-1] + 1
    folder = root / scope / f"v{version:03d}"
    folder.mkdir(parents=True, exist_ok=False)
    body = json.dumps(
        {
            "coef": [float(c) for c in model.coef_],
            "intercept": float(model.intercept_),
            "interactions": bool(model.interactions),
            "tie": [[FEATURE_NAMES[i], float(w)] for i, w in model.tie],
            "params": {k: v for k, v in model.get_params().items() if k != "tie"},
        },
        indent=1,
    ).encode()
    (folder / "model.json").write_bytes(body)
    names = _column_names(model.tie)
    full = {
        "format": FORMAT,
        "scope": scope,
        "version": version,
        "features": list(FEATURE_NAMES),
        "tied": [[FEATURE_NAMES[i], float(w)] for i, w in model.tie],
        "interactions": [
            [names[i], names[j]]
            for i, j in interaction_pairs(len(names), tied_column(model.tie, len(FEATURE_NAMES)))
        ]
        if model.interactions
        else [],
        "libraries": library_versions(),
        "model_sha256": hashlib.sha256(body).hexdigest(),
        **manifest,
    }
    (folder / "manifest.json").write_text(json.dumps(full, indent=1, ensure_ascii=False))
    return folder


@dataclass(frozen=True)
class Loaded:
    scorer: LearnedScorer
    manifest: dict[str, Any]

    @property
    def beats_hand(self) -> bool:
        return bool(self.manifest.get("guardrail", {}).get("beats_hand", False))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RankerArtefactError(f"{path}: missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RankerArtefactError(f"{path}: not valid JSON ({exc})") from None


def _expect(path: Path, field: str, value: Any, expected: Any) -> None:
    if value != expected:
        raise RankerArtefactError(f"{path}: {field}={value!r}; expected {expected!r}")


def load(folder: Path) -> Loaded:
    """The ranker saved in ``folder`` (…/<scope>/v<NNN>), checked against its manifest."""
    manifest_path = folder / "manifest.json"
    manifest = _read_json(manifest_path)
    if not isinstance(manifest, dict):
        raise RankerArtefactError(f"{manifest_path}: expected a JSON object")
    _expect(manifest_path, "format", manifest.get("format"), FORMAT)
    _expect(manifest_path, "features", manifest.get("features"), list(FEATURE_NAMES))
    model_path = folder / "model.json"
    try:
        body = model_path.read_bytes()
    except FileNotFoundError:
        raise RankerArtefactError(f"{model_path}: missing") from None
    _expect(model_path, "sha256", hashlib.sha256(body).hexdigest(), manifest.get("model_sha256"))
    model = _read_json(model_path)
    interactions = bool(model.get("interactions"))
    tie = _read_tie(model_path, model.get("tie"))
    f = len(kept_columns(len(FEATURE_NAMES), tie))
    alone = tied_column(tie, len(FEATURE_NAMES))
    width = f + (len(interaction_pairs(f, alone)) if interactions else 0)
    coef = np.asarray(model.get("coef", []), dtype=np.float64)
    _expect(model_path, "len(coef)", len(coef), width)
    if not np.isfinite(coef).all():
        raise RankerArtefactError(f"{model_path}: coef holds NaN or infinity; expected numbers")
    scope = str(manifest.get("scope"))
    version = int(manifest.get("version", 0))
    scorer = LearnedScorer(
        coef=coef,
        intercept=float(model.get("intercept", 0.0)),
        interactions=interactions,
        label=f"learned:{scope}:v{version}",
        scope=scope,
        version=version,
        tie=tie,
    )
    return Loaded(scorer, manifest)


def load_latest(root: Path, scope: str) -> Loaded | None:
    """The newest version of ``scope`` under ``root``, or None when there is none."""
    versions = versions_of(root, scope)
    if not versions:
        return None
    return load(root / scope / f"v{versions[-1]:03d}")


def scopes(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and versions_of(root, p.name))
