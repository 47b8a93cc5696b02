"""A list of candidates builds its need's profile from the need it has loaded
(``need_profile_of``) rather than reading the row again: the same profile as
``need_profiles`` reads, with a township and without one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Need
from service.profiles import need_profile_of, need_profiles


def _loaded_needs(session: Session) -> list[Need]:
    return list(session.scalars(select(Need).options(joinedload(Need.site)).order_by(Need.id)))


def test_a_loaded_need_gives_the_profile_its_row_gives(session: Session) -> None:
    needs = _loaded_needs(session)
    assert needs, "the demo data has needs"
    read = {p.id: p for p in need_profiles(session, [n.id for n in needs])}
    for need in needs:
        assert need_profile_of(session, need) == read[need.id]
    assert any(p.township for p in read.values()), "some demo sites lie in a township"


def test_a_site_outside_any_township_gives_an_empty_township(session: Session) -> None:
    need = _loaded_needs(session)[0]
    need.site.township_id = None
    session.flush()
    session.expire_all()
    need = _loaded_needs(session)[0]
    profile = need_profile_of(session, need)
    assert profile.township == ""
    assert profile == need_profiles(session, [need.id])[0]
