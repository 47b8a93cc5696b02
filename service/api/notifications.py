"""The signed-in user's notifications and preferences; failed deliveries for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models.schemas.notification import (
    DeliveryRead,
    NotificationList,
    NotificationRead,
    PreferencesIO,
)
from models.schemas.page import Page
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import notifications as uc

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=NotificationList)
def list_notifications(
    actor: ActorDep,
    session: SessionDep,
    unread: bool = False,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NotificationList:
    page = uc.list_(session=session, actor=actor, unread=unread, offset=offset, limit=limit)
    return NotificationList(
        items=[NotificationRead(**uc.as_dict(n, actor.locale)) for n in page.items],
        total=page.total,
        unread=uc.unread_count(session=session, actor=actor),
        offset=offset,
        limit=limit,
    )


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
def read_notification(
    notification_id: PathId, actor: ActorDep, session: SessionDep
) -> NotificationRead:
    note = uc.mark_read(session=session, actor=actor, notification_id=notification_id)
    return NotificationRead(**uc.as_dict(note, actor.locale))


@router.post("/notifications/read-all", response_model=dict[str, int])
def read_all(actor: ActorDep, session: SessionDep) -> dict[str, int]:
    return {"marked": uc.mark_all_read(session=session, actor=actor)}


@router.get("/me/notification-preferences", response_model=PreferencesIO)
def get_preferences(actor: ActorDep, session: SessionDep) -> PreferencesIO:
    return PreferencesIO.model_validate(uc.get_preferences(session=session, actor=actor))


@router.put("/me/notification-preferences", response_model=PreferencesIO)
def put_preferences(body: PreferencesIO, actor: ActorDep, session: SessionDep) -> PreferencesIO:
    prefs = uc.update_preferences(
        session=session, actor=actor, prefs=uc.Preferences(**body.model_dump())
    )
    return PreferencesIO.model_validate(prefs)


@router.get("/deliveries/failed", response_model=Page[DeliveryRead])
def failed(
    actor: ActorDep,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DeliveryRead]:
    page = uc.failed_deliveries(session=session, actor=actor, offset=offset, limit=limit)
    return Page(
        items=[DeliveryRead.model_validate(d) for d in page.items],
        total=page.total,
        offset=offset,
        limit=limit,
    )


@router.post("/deliveries/{delivery_id}/retry", response_model=DeliveryRead)
def retry(delivery_id: PathId, actor: ActorDep, session: SessionDep) -> DeliveryRead:
    return DeliveryRead.model_validate(
        uc.retry(session=session, actor=actor, delivery_id=delivery_id)
    )
