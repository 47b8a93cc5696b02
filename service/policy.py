"""Who may see and change what. One place, so every route and page applies the same
rules. A record the actor may not see is reported as missing (404), never forbidden."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Select, exists, false, select, true
from sqlalchemy.sql.elements import ColumnElement

from models import Match, MatchRun, Need, Pairing, Site, Talent
from models.enums import MatchStatus, NeedStatus, Role
from service.actor import Actor, require
from service.errors import AppError, FieldError

# Once approved, each side may see the other's phone and e-mail.
CONTACT_VISIBLE = frozenset({MatchStatus.APPROVED, MatchStatus.ACTIVE, MatchStatus.COMPLETED})


def require_admin(actor: Actor) -> None:
    """Admins only: accounts, the reference data, imports."""
    require(actor, Role.ADMIN)


def require_coordinator(actor: Actor) -> None:
    """Coordinators and admins only: queues, runs, progress, the map, pairings."""
    require(actor, Role.COORDINATOR, Role.ADMIN)


def has_fixed_county(actor: Actor) -> bool:
    """A county coordinator works inside one county; prefecture coordinators and admins
    may pick any."""
    return actor.role is Role.COORDINATOR and actor.jurisdiction is not None


def county_scope(actor: Actor, county: str | None) -> str | None:
    """The county a list or run covers: a county coordinator's is fixed to the county,
    anyone else's is the one asked for (None for the whole prefecture)."""
    if has_fixed_county(actor):
        return actor.jurisdiction
    return county or None


def require_exporter(actor: Actor) -> None:
    """The export files cover the whole prefecture, so only prefecture-level coordinators
    and admins take them; a county coordinator uses the filtered pages and progress CSV."""
    require_coordinator(actor)
    if has_fixed_county(actor):
        raise AppError(
            403,
            "forbidden",
            "Exports cover the whole prefecture",
            "导出文件覆盖全州数据，仅州级协调员和管理员可用",
        )


def sees_audit_trail(actor: Actor) -> bool:
    """Coordinators and admins see the audit rows beside a match's lifecycle steps."""
    return actor.role in (Role.COORDINATOR, Role.ADMIN)


def county_clause(actor: Actor, county_column: Any) -> ColumnElement[bool]:
    if actor.is_admin or (actor.role is Role.COORDINATOR and actor.jurisdiction is None):
        return true()
    if actor.role is Role.COORDINATOR:
        return county_column == actor.jurisdiction
    return false()


def visible_needs(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Need (joined to Site) to what ``actor`` may see."""
    if actor.is_admin:
        return stmt
    if actor.role is Role.COORDINATOR:
        return stmt.where(county_clause(actor, Site.county_code))
    if actor.role is Role.SITE_STAFF:
        return stmt.where(Need.site_id == actor.site_id)
    # Talents browse open postings, and any need they are matched with.
    return stmt.where(
        (Need.status == NeedStatus.OPEN)
        | exists().where(Match.need_id == Need.id, Match.talent_id == actor.talent_id)
    )


def can_see_need(actor: Actor, need: Need) -> bool:
    if actor.is_admin:
        return True
    if actor.role is Role.COORDINATOR:
        return actor.covers_county(need.site.county_code)
    if actor.role is Role.SITE_STAFF:
        return need.site_id == actor.site_id
    return need.status == NeedStatus.OPEN or any(
        m.talent_id == actor.talent_id for m in _matches_of_need(need)
    )


def _matches_of_need(need: Need) -> list[Match]:
    from sqlalchemy.orm import object_session

    session = object_session(need)
    if session is None:
        return []
    return list(session.scalars(select(Match).where(Match.need_id == need.id)))


def can_edit_need(actor: Actor, need: Need) -> bool:
    if actor.role is Role.SITE_STAFF:
        return need.site_id == actor.site_id
    return actor.covers_county(need.site.county_code)


def can_post_for_site(actor: Actor, site: Site) -> bool:
    if actor.role is Role.SITE_STAFF:
        return site.id == actor.site_id
    return actor.covers_county(site.county_code)


def can_see_site_contacts(actor: Actor, site: Site) -> bool:
    """A site's own staff and the coordinators over it see its contacts; talents see
    them through an approved match only. The same people may edit the site."""
    if actor.role is Role.SITE_STAFF:
        return site.id == actor.site_id
    return actor.covers_county(site.county_code)


def visible_sites(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Site: staff see their own site, coordinators their county."""
    if actor.role is Role.SITE_STAFF:
        return stmt.where(Site.id == actor.site_id)
    return stmt.where(county_clause(actor, Site.county_code))


def can_see_site(actor: Actor, site: Site) -> bool:
    if actor.role is Role.SITE_STAFF:
        return site.id == actor.site_id
    if actor.role is Role.TALENT:
        return True  # a posting's site (name, place) is public; its contacts are not
    return actor.covers_county(site.county_code)


def can_see_talent(actor: Actor, talent: Talent, *, matched_site_ids: set[int]) -> bool:
    if actor.is_admin or actor.role is Role.COORDINATOR:
        return True
    if actor.role is Role.TALENT:
        return talent.id == actor.talent_id
    return actor.site_id in matched_site_ids


def can_open_person(
    actor: Actor,
    talent: Talent,
    *,
    matched_site_ids: set[int],
    matched_counties: set[str],
    candidate_of_own_need: bool,
) -> bool:
    """The person page of a talent (issue 13, item 3). Admins and the prefecture open
    anyone; a county coordinator a talent from the county or matched with a need there,
    or one shown as a candidate of a need in the county; site staff a talent matched with
    their site or a candidate of their own need; a talent only themself. Anyone else gets
    a 404, as for any record out of reach."""
    if actor.is_admin:
        return True
    if actor.role is Role.TALENT:
        return talent.id == actor.talent_id
    if actor.role is Role.COORDINATOR:
        if actor.jurisdiction is None or candidate_of_own_need:
            return True
        return talent.home_county_code == actor.jurisdiction or actor.jurisdiction in (
            matched_counties
        )
    return candidate_of_own_need or actor.site_id in matched_site_ids


def can_edit_talent(actor: Actor, talent: Talent) -> bool:
    return actor.is_admin or (actor.role is Role.TALENT and talent.id == actor.talent_id)


def can_rank_candidates(actor: Actor, need: Need) -> bool:
    """Ranked candidates for a need: the people who may edit it, never a talent."""
    return actor.role is not Role.TALENT and can_edit_need(actor, need)


def can_see_suggestions_for(actor: Actor, talent_id: int) -> bool:
    """The needs suggested to a talent: the talent, any coordinator, an admin."""
    return (
        actor.is_admin
        or actor.role is Role.COORDINATOR
        or (actor.role is Role.TALENT and actor.talent_id == talent_id)
    )


def can_see_match(actor: Actor, match: Match) -> bool:
    if actor.is_admin:
        return True
    if actor.role is Role.COORDINATOR:
        return actor.covers_county(match.need.site.county_code)
    if actor.role is Role.SITE_STAFF:
        return match.need.site_id == actor.site_id
    return match.talent_id == actor.talent_id


def visible_matches(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Match (joined to Need and Site)."""
    if actor.is_admin:
        return stmt
    if actor.role is Role.COORDINATOR:
        return stmt.where(county_clause(actor, Site.county_code))
    if actor.role is Role.SITE_STAFF:
        return stmt.where(Need.site_id == actor.site_id)
    return stmt.where(Match.talent_id == actor.talent_id)


def is_party(actor: Actor, match: Match) -> bool:
    """Whether ``actor`` takes part in ``match``: its talent, its site's staff, or a
    coordinator over its county (an admin over all)."""
    if actor.role is Role.TALENT:
        return match.talent_id == actor.talent_id
    if actor.role is Role.SITE_STAFF:
        return match.need.site_id == actor.site_id
    return actor.covers_county(match.need.site.county_code)


def can_rate_help(actor: Actor) -> bool:
    """Only the site (or an admin) rates the help it received."""
    return actor.role in (Role.SITE_STAFF, Role.ADMIN)


def can_record_service(actor: Actor, match: Match) -> bool:
    """A coordinator records service only inside the jurisdiction; parties always may."""
    return actor.role is not Role.COORDINATOR or actor.covers_county(match.need.site.county_code)


def visible_pairings(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Pairing (outer-joined to Site) to the actor's county."""
    if has_fixed_county(actor):
        return stmt.where(
            (Site.county_code == actor.jurisdiction) | (Pairing.county_code == actor.jurisdiction)
        )
    return stmt


def contacts_visible(actor: Actor, match: Match) -> bool:
    return MatchStatus(match.status) in CONTACT_VISIBLE and can_see_match(actor, match)


# ------------------------------------------------------------------ batch runs
# A run over a county proposes matches for every open need there; a run over all
# counties (county None) for the whole prefecture. Counties are public, so refusing a
# run says 403, not 404; a run the actor may not see is missing (404).
def may_run_all_counties(actor: Actor) -> bool:
    """Only a prefecture coordinator (no jurisdiction) or an admin runs every county."""
    return actor.is_admin or (actor.role is Role.COORDINATOR and actor.jurisdiction is None)


def may_run_county(actor: Actor, county_code: str) -> bool:
    """Coordinators run their own jurisdiction; admins and the prefecture any county."""
    return actor.covers_county(county_code)


def visible_runs(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over MatchRun to the actor's jurisdiction."""
    if has_fixed_county(actor):
        return stmt.where(MatchRun.county_code == actor.jurisdiction)
    return stmt


def can_see_run(actor: Actor, run: MatchRun) -> bool:
    return actor.role in (Role.COORDINATOR, Role.ADMIN) and (
        not has_fixed_county(actor) or run.county_code == actor.jurisdiction
    )


# ---------------------------------------------------------------- plan progress
def _outside(county: str, jurisdiction: str | None, field: str | None = None) -> AppError:
    """A county out of reach, said with the counties' names (the code stays in the field
    for API clients)."""
    from service.places import county_words

    asked, mine = county_words(county), county_words(jurisdiction)
    return AppError(
        404,
        "not_found",
        f"{asked[1]} is outside your jurisdiction ({mine[1]})",
        f"{asked[0]}不在您的管辖范围（{mine[0]}）内",
        [FieldError(field, "outside your jurisdiction", county)] if field else [],
    )


def progress_county(actor: Actor, county: str | None) -> str | None:
    """The county whose progress ``actor`` reads. A county coordinator reads only their
    own county (asking for another is a 404, as for any record out of reach); everyone
    else reads the county asked for, or the whole prefecture."""
    if actor.role is Role.COORDINATOR and actor.jurisdiction is not None:
        if county and county != actor.jurisdiction:
            raise _outside(county, actor.jurisdiction)
        return actor.jurisdiction
    return county or None


def progress_shows_matches(actor: Actor) -> bool:
    """Coordinators and admins see which matches count toward a target; site staff and
    talents see the aggregate figures only (a match id leads to people)."""
    return actor.is_admin or actor.role is Role.COORDINATOR


def progress_view(actor: Actor, item: Any) -> Any:
    """A progress item as ``actor`` may read it: without match ids for site staff and
    talents. ``item`` is a ``TargetProgress`` (a dataclass); it is copied, not changed."""
    if progress_shows_matches(actor):
        return item
    return replace(item, match_ids=[])


# ---------------------------------------------------------------- why-not
def why_not_limited(actor: Actor) -> bool:
    """Site staff may ask "why not" only about talents already in front of them: the
    candidates of their own need, or talents matched with it. Otherwise the question
    probes any talent's attributes one constraint at a time."""
    return actor.role is Role.SITE_STAFF


def talent_matched_with_need(session: Any, need_id: int, talent_id: int) -> bool:
    found = session.scalar(
        select(Match.id).where(Match.need_id == need_id, Match.talent_id == talent_id).limit(1)
    )
    return found is not None


def may_ask_why_not(
    actor: Actor,
    need: Need,
    talent_id: int,
    *,
    session: Any,
    candidate_ids: Any,
) -> bool:
    """Whether ``actor`` may see why ``talent_id`` does (not) fit ``need``;
    ``candidate_ids`` is called (lazily) for the need's ranked candidate ids."""
    if not why_not_limited(actor):
        return True
    if need.site_id != actor.site_id:
        return False
    if talent_matched_with_need(session, need.id, talent_id):
        return True
    return talent_id in candidate_ids()


# ---------------------------------------------------------------- ledger entries
# Entries for the targets not counted from matches: a county coordinator enters their own
# county's figures, the prefecture coordinator or an admin any county's; the prefecture
# coordinator or an admin decides, never the person who entered the entry.
def may_enter_for_county(actor: Actor, county_code: str) -> bool:
    return actor.role in (Role.COORDINATOR, Role.ADMIN) and actor.covers_county(county_code)


def may_decide_entries(actor: Actor) -> bool:
    """Approving or returning entries is the prefecture's: its coordinators and admins."""
    return actor.is_admin or (actor.role is Role.COORDINATOR and actor.jurisdiction is None)


def may_decide_entry(actor: Actor, entered_by: int | None) -> bool:
    return may_decide_entries(actor) and entered_by != actor.id


def can_see_entry(actor: Actor, county_code: str) -> bool:
    """Coordinators over the entry's county and admins; nobody else (its evidence too)."""
    return actor.role in (Role.COORDINATOR, Role.ADMIN) and actor.covers_county(county_code)


def visible_entries(actor: Actor, stmt: Select[Any], county_column: Any) -> Select[Any]:
    """Restrict a query over entries to the actor's jurisdiction."""
    return stmt.where(county_clause(actor, county_column))


# ------------------------------------------------------- registers and trainings
# A county coordinator enters registers and trainings for their county; the prefecture
# coordinator or an admin approves or returns them, never the person who entered them.
# A county out of reach is missing (404), as for any record.
def require_ledger_reader(actor: Actor) -> None:
    """Registers and trainings are read by coordinators and admins."""
    require_coordinator(actor)


def ledger_county(actor: Actor, county_code: str, *, field: str = "county_code") -> str:
    """The county ``actor`` may enter a register row or a training for: a coordinator's
    own jurisdiction (the prefecture and admins: any county)."""
    require_coordinator(actor)
    if not actor.covers_county(county_code):
        raise _outside(county_code, actor.jurisdiction, field)
    return county_code


def may_decide_ledger(actor: Actor) -> bool:
    """Approving or returning a register row or a training: prefecture level only."""
    return actor.is_admin or (actor.role is Role.COORDINATOR and actor.jurisdiction is None)


def require_ledger_decider(actor: Actor, *, entered_by: int | None) -> None:
    """The prefecture coordinator or an admin decides, and not on their own entry."""
    if not may_decide_ledger(actor):
        raise AppError(
            403,
            "forbidden",
            "Only the prefecture coordinator or an admin approves or returns entries",
            "只有州级协调员或管理员可以审核",
        )
    if entered_by is not None and entered_by == actor.id:
        raise AppError(
            403,
            "same_person",
            "The person who entered it cannot approve or return it",
            "录入人不能审核自己录入的记录",
        )


def visible_ledger(actor: Actor, stmt: Select[Any], county_column: Any) -> Select[Any]:
    """Restrict a query over registers or trainings to the actor's county."""
    require_ledger_reader(actor)
    return stmt.where(county_clause(actor, county_column))


# ------------------------------------------------------------------ people (issue 14)
# Recruitments, 编制 pools, rotations and the grassroots-service ledger: a county
# coordinator (the county 人社局/编办 officer) enters and moves their own county's; the
# prefecture coordinator or an admin any county's and the prefecture's own pool, and
# approves recruitments (never their own). A record out of reach is missing (404).
def require_people_officer(actor: Actor) -> None:
    require_coordinator(actor)


def people_county(actor: Actor, county_code: str, *, field: str = "county_code") -> str:
    return ledger_county(actor, county_code, field=field)


def may_decide_people(actor: Actor) -> bool:
    return may_decide_ledger(actor)


def require_people_decider(actor: Actor, *, entered_by: int | None) -> None:
    require_ledger_decider(actor, entered_by=entered_by)


def can_reach_pool(actor: Actor, pool_county: str | None) -> bool:
    """A county pool: coordinators over the county and admins. The prefecture's pool
    (no county): the prefecture coordinator and admins only."""
    if actor.role not in (Role.COORDINATOR, Role.ADMIN):
        return False
    if pool_county is None:
        return not has_fixed_county(actor)
    return actor.covers_county(pool_county)


def visible_pools(actor: Actor, stmt: Select[Any], county_column: Any) -> Select[Any]:
    require_people_officer(actor)
    if has_fixed_county(actor):
        return stmt.where(county_column == actor.jurisdiction)
    return stmt


def can_see_person_ledger(actor: Actor, talent_id: int, counties: set[str]) -> bool:
    """A person's grassroots-service ledger: the person, coordinators over a county where
    the person was recruited, rotated or placed (or their home county), and admins."""
    if actor.role is Role.TALENT:
        return actor.talent_id == talent_id
    if actor.role not in (Role.COORDINATOR, Role.ADMIN):
        return False
    if not has_fixed_county(actor):
        return True
    return actor.jurisdiction in counties


def may_review_period(actor: Actor, counties: set[str]) -> bool:
    """Confirming or correcting a period: coordinators over one of the person's counties
    and admins (the person themselves may not)."""
    if actor.role not in (Role.COORDINATOR, Role.ADMIN):
        return False
    return not has_fixed_county(actor) or actor.jurisdiction in counties
