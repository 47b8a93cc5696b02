"""What the ledger pages show beside the entries: the targets one may enter, in words;
the counties within reach; the names of the people who entered and decided."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Programme, User
from service import policy
from service.actor import Actor
from service.usecases.programme_entries import hand_counted_targets


@dataclass(frozen=True)
class TargetChoice:
    key: str
    programme_code: str
    programme_title: str
    text: str
    unit: str | None


def target_choices(session: Session) -> list[TargetChoice]:
    """The hand-counted targets in plan order, each with the title of its line."""
    titles = {
        code: title for code, title in session.execute(select(Programme.code, Programme.title))
    }
    return [
        TargetChoice(t.key, t.programme_code, titles.get(t.programme_code, ""), t.text, t.unit)
        for t in hand_counted_targets().values()
    ]


def counties_for(session: Session, actor: Actor) -> list[County]:
    """The counties ``actor`` may enter figures for (a county coordinator: their own)."""
    rows = session.scalars(select(County).order_by(County.code)).all()
    return [c for c in rows if policy.may_enter_for_county(actor, c.code)]


def county_names(session: Session) -> dict[str, tuple[str, str]]:
    return {c.code: (c.name, c.name_en) for c in session.scalars(select(County))}


def names_of(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}
