"""Retrieval metrics with binary relevance over a full ranking, and the loader of the
labelled evaluation sets (``eval/*/needs.jsonl`` and ``talents.jsonl``).

Labels are read here only to judge a ranking; :func:`eval_need_profile` and
:func:`eval_talent_profile` build the profiles the ranker sees and never copy a label.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from matching.errors import ProfileError
from matching.types import Mode, NeedProfile, TalentProfile, Window

# Eval records carry no schedule: a window wide enough that time never excludes anyone.
_OPEN_WINDOW = Window(date(2000, 1, 1), date(2100, 12, 31))


@dataclass(frozen=True, slots=True)
class EvalRecord:
    """One line of an evaluation file: the id, the text, the label and optional fields."""

    id: str
    text: str
    label: str
    extra: dict[str, Any]


def read_jsonl(path: str | Path) -> list[EvalRecord]:
    """Records of a JSONL file; each line needs ``id``, ``text`` and ``label``."""
    path = Path(path)
    records = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ProfileError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            missing = [k for k in ("id", "text", "label") if k not in raw]
            if missing:
                raise ProfileError(f"{path}:{number}: missing field(s) {missing}")
            extra = {k: v for k, v in raw.items() if k not in ("id", "text", "label")}
            records.append(EvalRecord(str(raw["id"]), str(raw["text"]), str(raw["label"]), extra))
    return records


def _modes(value: Any) -> tuple[Mode, ...]:
    values = value if isinstance(value, list | tuple) else [value]
    return tuple(Mode(v) for v in values)


def _skills(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(s for s in value.replace("，", ",").split(",") if s.strip())
    return tuple(str(v) for v in value or ())


def _windows(value: Any) -> tuple[Window, ...]:
    """``available`` as [[start, end], …] or [{"start":…, "end":…}, …] of ISO dates;
    anything else (e.g. a bare true) leaves the talent unrestricted."""
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict):
            start, end = item.get("start"), item.get("end")
        elif isinstance(item, list | tuple) and len(item) == 2:
            start, end = item
        else:
            continue
        out.append(Window(date.fromisoformat(str(start)), date.fromisoformat(str(end))))
    return tuple(out)


def eval_need_profile(record: EvalRecord, numeric_id: int) -> NeedProfile:
    """A permissive need: the text, plus ``fields``/``mode``/``county`` if present."""
    extra = record.extra
    mode = _modes(extra["mode"])[0] if "mode" in extra else Mode.REMOTE
    return NeedProfile(
        id=numeric_id,
        text=record.text,
        mode=mode,
        window=_OPEN_WINDOW,
        county=str(extra.get("county", "")),
        skills=_skills(extra.get("fields", ())),
    )


def eval_talent_profile(record: EvalRecord, numeric_id: int) -> TalentProfile:
    """A permissive talent: every mode and no schedule unless the record says otherwise."""
    extra = record.extra
    return TalentProfile(
        id=numeric_id,
        text=record.text,
        modes=_modes(extra["mode"]) if "mode" in extra else tuple(Mode),
        windows=_windows(extra.get("available")),
        home_county=str(extra.get("county", "")),
        skills=_skills(extra.get("fields", ())),
    )


def relevance_matrix(
    ranked_labels: Sequence[Sequence[str]], query_labels: Sequence[str]
) -> list[np.ndarray]:
    """Binary relevance of each ranked list: 1.0 where the item label equals the query's."""
    return [
        np.array([lab == q for lab in ranking], dtype=np.float64)
        for ranking, q in zip(ranked_labels, query_labels, strict=True)
    ]


def precision_at(relevance: np.ndarray, k: int) -> float:
    """Share of relevant items among the first k (k counts even past the list end)."""
    return float(relevance[:k].sum() / k)


def reciprocal_rank(relevance: np.ndarray) -> float:
    hits = np.flatnonzero(relevance)
    return float(1.0 / (hits[0] + 1)) if hits.size else 0.0


def ndcg_at(relevance: np.ndarray, k: int) -> float:
    """nDCG@k with binary gains; the ideal ranking puts every relevant item first."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((relevance[:k] * discounts[: min(k, relevance.size)]).sum())
    ideal = float(discounts[: min(k, int(relevance.sum()))].sum())
    return dcg / ideal if ideal > 0 else 0.0


@dataclass(frozen=True, slots=True)
class RetrievalMetrics:
    needs: int
    talents: int
    p1: float
    p5: float
    mrr: float
    ndcg10: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "needs": self.needs,
            "talents": self.talents,
            "p1": round(self.p1, 4),
            "p5": round(self.p5, 4),
            "mrr": round(self.mrr, 4),
            "ndcg10": round(self.ndcg10, 4),
        }


def retrieval_metrics(relevances: Sequence[np.ndarray], *, talents: int) -> RetrievalMetrics:
    """Mean P@1, P@5, MRR and nDCG@10 over queries (each a full-ranking relevance array)."""
    if not relevances:
        raise ValueError("retrieval_metrics: no queries to evaluate")
    return RetrievalMetrics(
        needs=len(relevances),
        talents=talents,
        p1=float(np.mean([precision_at(r, 1) for r in relevances])),
        p5=float(np.mean([precision_at(r, 5) for r in relevances])),
        mrr=float(np.mean([reciprocal_rank(r) for r in relevances])),
        ndcg10=float(np.mean([ndcg_at(r, 10) for r in relevances])),
    )


@dataclass(frozen=True, slots=True)
class RankedQuery:
    """One evaluated need: its id, label, and the talent labels in ranked order."""

    need_id: str
    label: str
    ranked_talent_ids: tuple[str, ...]
    ranked_labels: tuple[str, ...]
    scores: tuple[float, ...]


def evaluate_retrieval(
    needs: Sequence[EvalRecord],
    talents: Sequence[EvalRecord],
    matcher: Any,
    scorer: Any = None,
) -> tuple[RetrievalMetrics, list[RankedQuery]]:
    """Rank every talent for every need with ``matcher`` (an unfitted
    :class:`~matching.matcher.Matcher`, fitted here on the label-free profiles) and score
    the rankings against the labels. ``scorer``: a learned ranker re-ranking the hand
    weights' first stage, as in the engine."""
    need_profiles = [eval_need_profile(r, i) for i, r in enumerate(needs)]
    talent_profiles = [eval_talent_profile(r, i) for i, r in enumerate(talents)]
    matcher.fit(need_profiles, talent_profiles)
    queries = []
    for record, profile in zip(needs, need_profiles, strict=True):
        ranking = matcher.recommend_talents(profile, k=len(talent_profiles), scorer=scorer)
        ids = tuple(talents[r.talent_id].id for r in ranking)
        labels = tuple(talents[r.talent_id].label for r in ranking)
        queries.append(
            RankedQuery(record.id, record.label, ids, labels, tuple(r.score for r in ranking))
        )
    relevances = relevance_matrix([q.ranked_labels for q in queries], [q.label for q in queries])
    return retrieval_metrics(relevances, talents=len(talents)), queries


@dataclass(frozen=True, slots=True)
class FloorRow:
    """What a relevance floor does to the first ``page`` of each need's ranking: of the
    items it keeps, the share relevant (precision); of the relevant items on the page,
    the share it keeps (recall); the share of needs left with nothing."""

    floor: float
    kept: int
    precision: float
    recall: float
    empty_needs: float


def relevance_pages(
    needs: Sequence[EvalRecord],
    talents: Sequence[EvalRecord],
    matcher: Any,
    weights: Any,
    page: int = 10,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(relevance of each item, 1.0 where its label is the need's) for the first
    ``page`` talents of every need, ranked by ``matcher`` (fitted here)."""
    from matching.results import relevance

    need_profiles = [eval_need_profile(r, i) for i, r in enumerate(needs)]
    talent_profiles = [eval_talent_profile(r, i) for i, r in enumerate(talents)]
    matcher.fit(need_profiles, talent_profiles)
    out = []
    for record, profile in zip(needs, need_profiles, strict=True):
        recs = matcher.recommend_talents(profile, k=min(page, len(talents)))
        rel = np.array([relevance(r.breakdown, weights) for r in recs])
        hit = np.array([talents[r.talent_id].label == record.label for r in recs], float)
        out.append((rel, hit))
    return out


def floor_table(
    pages: Sequence[tuple[np.ndarray, np.ndarray]], floors: Sequence[float]
) -> list[FloorRow]:
    """One :class:`FloorRow` per floor over ``pages`` (from :func:`relevance_pages`)."""
    rows = []
    relevant = sum(float(hit.sum()) for _, hit in pages)
    for floor in floors:
        kept = [(rel >= floor, hit) for rel, hit in pages]
        n_kept = sum(int(k.sum()) for k, _ in kept)
        good = sum(float(hit[k].sum()) for k, hit in kept)
        rows.append(
            FloorRow(
                floor=float(floor),
                kept=n_kept,
                precision=good / n_kept if n_kept else 1.0,
                recall=good / relevant if relevant else 1.0,
                empty_needs=float(np.mean([not k.any() for k, _ in kept])),
            )
        )
    return rows
