"""Questions before a decision (issue 12, item 7): the site, the talent and the
coordinator over the county exchange short messages on a match that is proposed,
interested or accepted.

Rules, each kept here so the API and the page share them:

* at most ``MAX_MESSAGE_CHARS`` characters, not blank;
* at most ``settings.message_rate_per_hour`` messages per sender per match in the
  last hour, counted from the stored messages under a lock on the match row, so two
  requests at once cannot both pass the last free place;
* contacts stay hidden until approval: before it, a message holding a phone number,
  an e-mail address or a WeChat id is refused (422, naming what was found);
* the thread is part of the match's history: whoever may see the match reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models import Match, MatchMessage
from models.enums import MatchStatus
from models.message import MAX_MESSAGE_CHARS
from service import notify, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.usecases import matches

# Statuses in which questions may still be asked.
OPEN_FOR_QUESTIONS = frozenset(
    {MatchStatus.PROPOSED.value, MatchStatus.INTERESTED.value, MatchStatus.ACCEPTED.value}
)

# Contact details, as people type them in Chinese and English text.
_DIGITS_RUN = re.compile(r"(?:\+?86[\s\-.]?)?(?:\d[\s\-.]?){6,}\d")
_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|＠|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|。|\(dot\))\s*[\w-]+)+")
_WECHAT = re.compile(
    r"(?:微信|微\s*信|v\s*x|wechat|weixin|wx|ｖｘ|威信|薇信)\s*(?:号|id)?\s*[:：是为]?\s*[A-Za-z][-_A-Za-z0-9]{5,19}",
    re.IGNORECASE,
)
# Dates ("2026-09-02", "2026年9月2日") are digit runs too, and never a contact.
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９＠．", "0123456789@.")


def contact_kinds(body: str) -> list[str]:
    """Which kinds of contact detail ``body`` holds: "phone", "email", "wechat"."""
    plain = body.translate(_FULLWIDTH)
    found = []
    undated = _DATE.sub(" ", plain)
    if any(len(re.sub(r"\D", "", m.group(0))) >= 7 for m in _DIGITS_RUN.finditer(undated)):
        found.append("phone")
    if _EMAIL.search(plain):
        found.append("email")
    if _WECHAT.search(plain):
        found.append("wechat")
    return found


_KIND_ZH = {"phone": "电话号码", "email": "电子邮箱", "wechat": "微信号"}

_LOCK_MATCH = {
    "postgresql": "SELECT id FROM match WHERE id = :match_id FOR UPDATE",
    "sqlite": "UPDATE match SET id = id WHERE id = :match_id",
}


@dataclass(frozen=True)
class Thread:
    match: Match
    messages: list[MatchMessage]
    can_post: bool


def _lock_match(session: Session, match_id: int) -> None:
    dialect = session.get_bind().dialect.name
    sql = _LOCK_MATCH["postgresql" if dialect == "postgresql" else "sqlite"]
    session.execute(text(sql), {"match_id": match_id})


def may_post(actor: Actor, match: Match) -> bool:
    return match.status in OPEN_FOR_QUESTIONS and policy.is_party(actor, match)


def thread(*, session: Session, actor: Actor, match_id: int) -> Thread:
    """The messages of a match the actor may see, oldest first."""
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    rows = list(
        session.scalars(
            select(MatchMessage)
            .where(MatchMessage.match_id == match.id)
            .order_by(MatchMessage.at, MatchMessage.id)
        )
    )
    return Thread(match=match, messages=rows, can_post=may_post(actor, match))


def _check_body(body: str, match: Match) -> str:
    body = body.strip()
    if not body:
        raise AppError(
            422,
            "validation_error",
            "the message is empty",
            "留言不能为空",
            [FieldError("body", "expected 1 to 500 characters", 0)],
        )
    if len(body) > MAX_MESSAGE_CHARS:
        raise AppError(
            422,
            "validation_error",
            f"the message has {len(body)} characters; at most {MAX_MESSAGE_CHARS}",
            f"留言有 {len(body)} 字，不能超过 {MAX_MESSAGE_CHARS} 字",
            [FieldError("body", f"expected at most {MAX_MESSAGE_CHARS} characters", len(body))],
        )
    if match.status not in policy.CONTACT_VISIBLE:
        kinds = contact_kinds(body)
        if kinds:
            raise AppError(
                422,
                "contact_before_approval",
                f"the message holds a contact detail ({', '.join(kinds)}); contacts are "
                "shared only once the match is approved",
                f"留言中含有{'、'.join(_KIND_ZH[k] for k in kinds)}；对接获批前不能交换联系方式",
                [FieldError("body", "expected no phone number, e-mail or WeChat id", kinds)],
            )
    return body


def post(
    *, session: Session, actor: Actor, match_id: int, body: str, per_hour: int
) -> MatchMessage:
    """Add a message to the thread of ``match_id`` as ``actor``. The lock on the match
    is the first statement of a fresh transaction, so the count below is never read
    from a stale snapshot."""
    session.rollback()
    _lock_match(session, match_id)
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    if not policy.is_party(actor, match):
        raise AppError(
            403, "forbidden", "only the match's parties write to it", "只有对接各方可以留言"
        )
    if match.status not in OPEN_FOR_QUESTIONS:
        raise AppError(
            409,
            "conflict",
            f"a {match.status} match takes no more questions; expected one of "
            f"{sorted(OPEN_FOR_QUESTIONS)}",
            "该对接已不在沟通阶段",
            [FieldError("status", f"expected one of {sorted(OPEN_FOR_QUESTIONS)}", match.status)],
        )
    clean = _check_body(body, match)
    since = datetime.now(UTC) - timedelta(hours=1)
    sent = session.scalar(
        select(func.count())
        .select_from(MatchMessage)
        .where(
            MatchMessage.match_id == match.id,
            MatchMessage.sender_id == actor.id,
            MatchMessage.at >= since,
        )
    )
    if (sent or 0) >= per_hour:
        raise AppError(
            429,
            "rate_limited",
            f"{sent} messages on this match in the last hour; at most {per_hour}",
            f"您在一小时内已就此对接留言 {sent} 条，上限 {per_hour} 条，请稍后再试",
            [FieldError("body", f"expected at most {per_hour} messages per hour", sent)],
        )
    message = MatchMessage(
        match_id=match.id,
        sender_id=actor.id,
        sender_role=actor.role.value,
        sender_name=actor.display_name,
        body=clean,
    )
    session.add(message)
    # In the same transaction (the outbox): the other side(s) are told once each.
    notify.message_posted(session, match, actor, actor.display_name, clean)
    session.commit()
    return message
