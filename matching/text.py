"""Profile text: validation, history enrichment and segmentation.

A talent's completed service (``TalentProfile.history``) is part of who they are: it is
appended to their text for the lexical channel and becomes extra segments for the dense
channel, so someone who helped three fungus markets looks like a fungus-market expert.
"""

from __future__ import annotations

import re

from matching.config import MatchingConfig
from matching.errors import ProfileError
from matching.types import NeedProfile, TalentProfile


def clean_text(text: object, *, field: str, config: MatchingConfig) -> str:
    """Validate one free text: a non-empty string, at most ``config.max_text_chars``
    characters (longer texts are truncated or refused per ``config.text_overflow``)."""
    if not isinstance(text, str):
        raise ProfileError(f"{field}: expected a string, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ProfileError(f"{field}: text is empty; describe the need or the talent in words")
    if len(stripped) > config.max_text_chars:
        if config.text_overflow == "refuse":
            raise ProfileError(
                f"{field}: text has {len(stripped):,} characters, more than the maximum "
                f"{config.max_text_chars:,} (MatchingConfig.max_text_chars); shorten it"
            )
        stripped = stripped[: config.max_text_chars]
    return stripped


def need_text(need: NeedProfile, config: MatchingConfig) -> str:
    """The text that represents a need."""
    return clean_text(need.text, field=f"need {need.id} text", config=config)


def talent_text(talent: TalentProfile, config: MatchingConfig) -> str:
    """The text that represents a talent: their own text followed by their history."""
    own = clean_text(talent.text, field=f"talent {talent.id} text", config=config)
    history = [h.strip() for h in talent.history if isinstance(h, str) and h.strip()]
    if not history:
        return own
    joined = own.rstrip("；;。") + "。服务记录：" + "；".join(history)
    return joined[: config.max_text_chars]


def segments(text: str, config: MatchingConfig) -> list[str]:
    """Split a profile text into its segments (speciality, cases). Texts without
    separators give a single segment, the text itself."""
    for marker in config.segment_markers:
        text = text.replace(
            marker, config.segment_separators[0] if config.segment_separators else " "
        )
    if config.segment_separators:
        pattern = "[" + re.escape(config.segment_separators) + "]"
        # A segment's closing punctuation (the 。 before 服务记录) carries no meaning.
        parts = [p.strip().rstrip("。.，,、 ") for p in re.split(pattern, text)]
    else:
        parts = [text.strip()]
    parts = [p for p in parts if p]
    return parts[: config.max_segments] or [text.strip()]
