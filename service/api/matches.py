from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Header, Query

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
from service.api.contract import if_match_version
from service.api.params import PathId, QueryId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import matches, privacy, records

router = APIRouter(prefix="/matches", tags=["matches"])

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description='The match\'s ETag as last read, e.g. W/"match-12-v3"; a stale one '
        "answers 412.",
    ),
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
def propose_match(body: ProposeIn, actor: ActorDep, session: SessionDep) -> MatchRead:
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
def list_match_records(match_id: PathId, actor: ActorDep, session: SessionDep) -> list[RecordRead]:
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    return [RecordRead.model_validate(r) for r in match.records]


@router.post("/{match_id}/records", response_model=RecordRead, status_code=201)
def add_match_record(
    match_id: PathId, body: RecordCreate, actor: ActorDep, session: SessionDep
) -> RecordRead:
    return RecordRead.model_validate(
        records.create(session=session, actor=actor, match_id=match_id, data=body)
    )


# One operation per action, so each has its id (approve_match, …) and its own summary.
ACTIONS: dict[str, tuple[str, str]] = {
    "interest": ("record_interest", "The talent says they are interested."),
    "decline": ("decline_match", "The talent declines (a reason is needed)."),
    "accept": ("accept_match", "The site accepts the talent."),
    "approve": ("approve_match", "The county approves; contacts are shown to both parties."),
    "reject": ("reject_match", "The county rejects (a reason is needed)."),
    "start": ("start_match", "The service starts."),
    "complete": ("complete_match", "The service is complete."),
    "cancel": ("cancel_match", "The match is cancelled (a reason is needed)."),
}


# The body is optional: no reason and no version.
_NO_DECISION = DecisionIn()


def _decide(action: str) -> Callable[..., MatchRead]:
    def decide(
        match_id: PathId,
        actor: ActorDep,
        session: SessionDep,
        body: Annotated[DecisionIn, Body()] = _NO_DECISION,
        if_match: IfMatch = None,
    ) -> MatchRead:
        match = matches.transition(
            session=session,
            actor=actor,
            match_id=match_id,
            action=action,
            reason=body.reason,
            expected_version=body.version,
            required_version=if_match_version(if_match, "match", match_id),
        )
        return to_read(
            actor,
            matches.get_or_raise(session=session, actor=actor, match_id=match.id),
            with_events=True,
        )

    return decide


for _action, (_name, _summary) in ACTIONS.items():
    router.add_api_route(
        f"/{{match_id}}/{_action}",
        _decide(_action),
        methods=["POST"],
        response_model=MatchRead,
        name=_name,
        summary=_summary,
        description=f"{_summary} Send the match's ETag as If-Match (a stale one answers "
        "412) or its `version` in the body (a stale one answers 409).",
    )
