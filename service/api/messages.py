"""Questions before a decision on a match, and interest a coordinator records for a
talent. Included before the matches router: ``/matches/{id}/messages`` must not be
read as a lifecycle action."""

from __future__ import annotations

from fastapi import APIRouter

from models.schemas.match import MatchRead
from models.schemas.message import MessageIn, MessageRead, RecordInterestIn, ThreadRead
from service.api.matches import to_read
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep, SettingsDep
from service.usecases import interest, matches, messages

router = APIRouter(prefix="/matches", tags=["matches"])


@router.post("/record-interest", response_model=MatchRead, status_code=201)
def record_interest_for_talent(
    body: RecordInterestIn, actor: ActorDep, session: SessionDep
) -> MatchRead:
    """A coordinator records a talent's interest heard by phone or in person; the match
    is the same as her own "interested", and its history names both people."""
    match = interest.record(
        session=session,
        actor=actor,
        need_id=body.need_id,
        talent_id=body.talent_id,
        channel=body.channel,
        note=body.note,
    )
    return to_read(
        actor,
        matches.get_or_raise(session=session, actor=actor, match_id=match.id),
        with_events=True,
    )


@router.get("/{match_id}/messages", response_model=ThreadRead)
def list_messages(match_id: PathId, actor: ActorDep, session: SessionDep) -> ThreadRead:
    found = messages.thread(session=session, actor=actor, match_id=match_id)
    return ThreadRead(
        match_id=found.match.id,
        status=found.match.status,
        can_post=found.can_post,
        messages=[MessageRead.model_validate(m) for m in found.messages],
    )


@router.post("/{match_id}/messages", response_model=MessageRead, status_code=201)
def post_message(
    match_id: PathId,
    body: MessageIn,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> MessageRead:
    """Ask or answer (≤ 500 characters). Before approval a message holding a phone
    number, e-mail address or WeChat id is refused (422 ``contact_before_approval``);
    more than the hourly limit answers 429."""
    message = messages.post(
        session=session,
        actor=actor,
        match_id=match_id,
        body=body.body,
        per_hour=settings.message_rate_per_hour,
    )
    return MessageRead.model_validate(message)
