"""Which scorer ranked a list, in words, and the impressions a shown list leaves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from matching.results import Recommendation
from models import County
from service import feedback, impressions
from service.engine import MatchingEngine
from service.i18n import translate

_FEATURE_KEYS = ("distance", "availability", "skills", "qualification", "load")


def _pair(key: str) -> tuple[str, str]:
    return translate(key, "zh-CN"), translate(key, "en")


def _scope_words(session: Session, scope: str) -> tuple[str, str]:
    if scope == "prefecture":
        return _pair("ranker.prefecture")
    county = session.get(County, scope)
    name = county.name if county is not None else scope
    return name, name


def ranked_by(
    session: Session, scorer: str, boost: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """``{"scorer", "kind", "feedback", "zh", "en"}`` for a list ranked by ``scorer``
    (``"hand"`` or ``"learned:<scope>:v<N>"``) with the feedback ``boost``."""
    if scorer.startswith("learned:"):
        _, scope, version = scorer.split(":", 2)
        scope_zh, scope_en = _scope_words(session, scope)
        zh_t, en_t = _pair("ranker.learned")
        zh = zh_t.format(scope=scope_zh, version=version.lstrip("v"))
        en = en_t.format(scope=scope_en, version=version.lstrip("v"))
        kind = "learned"
    else:
        zh, en = _pair("ranker.hand")
        kind = "hand"
    raised = [f for f in _FEATURE_KEYS if (boost or {}).get(f, 0) > 0]
    if raised:
        fzh, fen = _pair("ranker.feedback")
        zh += "；" + fzh.format(features="、".join(_pair(f"ranker.feature.{f}")[0] for f in raised))
        en += "; " + fen.format(features=", ".join(_pair(f"ranker.feature.{f}")[1] for f in raised))
    return {"scorer": scorer, "kind": kind, "feedback": raised, "zh": zh, "en": en}


def need_boost(
    session: Session, engine: MatchingEngine, need_id: int, site_id: int | None
) -> dict[str, float]:
    s = engine.settings
    return feedback.boost_for_need(
        session,
        need_id,
        site_id,
        step=s.ranker_feedback_step,
        cap=s.ranker_feedback_cap,
        days=s.ranker_feedback_days,
    )


def remember_shown(
    session: Session,
    engine: MatchingEngine,
    recs: Sequence[Recommendation],
    *,
    surface: str,
    county_codes: dict[int, str | None] | str | None,
) -> None:
    """Queue the impressions of one shown list (written in the background)."""
    rows = impressions.rows_for(recs, surface=surface, county_codes=county_codes)
    engine.impressions.add(session.get_bind(), rows)  # type: ignore[arg-type]
