from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from models import Match
from models.schemas.match import (
    DecisionIn,
    DeclineSuggestionIn,
    EventRead,
    MatchRead,
    ProposeIn,
    RecordCreate,
    RecordRead,
)
from models.schemas.page import Page
from service.actor import Actor
from service.api.params import PathId, QueryId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import matches, privacy, records

router = APIRouter(prefix="/matches", tags=["matches"])

Action = Literal[
    "interest", "decline", "accept", "approve", "reject", "start", "complete", "cancel"
]


def to_read(actor: Actor, match: Match, *, with_events: bool = False) -> MatchRead:
    view = matches.view(actor=actor, match=match)
    return MatchRead(
        id=match.id,
        need_id=match.need_id,
        need_title=match.need.title,
        site_id=match.need.site_id,
        site_name=match.need.site.name,
        county_code=match.need.site.county_code,
        talent_id=match.talent_id,
        talent_name=match.talent.name,
        score=match.score,
        breakdown=match.breakdown or [],
        status=match.status,
        origin=match.origin,
        run_id=match.run_id,
        version=match.version,
        created_at=match.created_at,
        updated_at=match.updated_at,
        actions=view.actions,
        site_contact=view.site_contact,
        talent_contact=view.talent_contact,
        events=[
            EventRead(
                from_status=e.from_status,
                to_status=e.to_status,
                actor_id=e.actor_id,
                reason=e.reason,
                at=e.at,
                on_behalf_of_talent_id=e.on_behalf_of_talent_id,
            )
            for e in match.events
        ]
        if with_events
        else None,
    )


@router.get("", response_model=Page[MatchRead])
def list_matches(
    actor: ActorDep,
    session: SessionDep,
    status: str | None = None,
    county: str | None = None,
    need_id: QueryId = None,
    talent_id: QueryId = None,
    run_id: QueryId = None,
    programme: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[MatchRead]:
    page = matches.list_(
        session=session,
        actor=actor,
        status=status,
        county=county,
        need_id=need_id,
        talent_id=talent_id,
        run_id=run_id,
        programme=programme,
        offset=offset,
        limit=limit,
    )
    privacy.record_contact_access(session=session, actor=actor, shown=page.items)
    return Page(
        items=[to_read(actor, m) for m in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("", response_model=MatchRead, status_code=201)
def propose(body: ProposeIn, actor: ActorDep, session: SessionDep) -> MatchRead:
    match = matches.propose(
        session=session, actor=actor, need_id=body.need_id, talent_id=body.talent_id, note=body.note
    )
    return to_read(actor, matches.get_or_raise(session=session, actor=actor, match_id=match.id))


@router.post("/decline-suggestion", response_model=MatchRead, status_code=201)
def decline_suggestion(
    body: DeclineSuggestionIn, actor: ActorDep, session: SessionDep
) -> MatchRead:
    """A talent turns a suggested need down, with a reason."""
    match = matches.decline_suggestion(
        session=session, actor=actor, need_id=body.need_id, reason=body.reason
    )
    return to_read(actor, matches.get_or_raise(session=session, actor=actor, match_id=match.id))


@router.get("/{match_id}", response_model=MatchRead)
def get_match(match_id: PathId, actor: ActorDep, session: SessionDep) -> MatchRead:
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    privacy.record_contact_access(session=session, actor=actor, shown=[match])
    return to_read(actor, match, with_events=True)


@router.get("/{match_id}/records", response_model=list[RecordRead])
def list_records(match_id: PathId, actor: ActorDep, session: SessionDep) -> list[RecordRead]:
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    return [RecordRead.model_validate(r) for r in match.records]


@router.post("/{match_id}/records", response_model=RecordRead, status_code=201)
def add_record(
    match_id: PathId, body: RecordCreate, actor: ActorDep, session: SessionDep
) -> RecordRead:
    return RecordRead.model_validate(
        records.create(session=session, actor=actor, match_id=match_id, data=body)
    )


@router.post("/{match_id}/{action}", response_model=MatchRead)
def decide(
    match_id: PathId,
    action: Action,
    actor: ActorDep,
    session: SessionDep,
    body: DecisionIn | None = None,
) -> MatchRead:
    """Move the match one step: interest, decline, accept, approve, reject, start,
    complete, cancel. Decline, reject and cancel need a reason."""
    body = body or DecisionIn()
    match = matches.transition(
        session=session,
        actor=actor,
        match_id=match_id,
        action=action,
        reason=body.reason,
        expected_version=body.version,
    )
    return to_read(
        actor,
        matches.get_or_raise(session=session, actor=actor, match_id=match.id),
        with_events=True,
    )
