"""The transactional outbox. Each function adds rows to the caller's session and never
commits: the notification exists exactly when the lifecycle step it reports does.

One ``Notification`` per recipient (the in-app message, always on) and one ``Delivery``
per outside channel that is configured, wanted by the recipient and has an address."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from models import Match, MatchMessage, Need, Site, Talent, User
from models.enums import MatchStatus, Role
from models.notification import Channel, Delivery, Notification, NotificationPreference, NotifyKind
from service.actor import Actor
from service.i18n import translate
from service.timefmt import format_date

DEFAULT_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class ChannelConfig:
    """Which outside channels this deployment has; in-app needs no configuration."""

    email: bool = False
    webhook_url: str = ""
    webhook_county_urls: dict[str, str] = field(default_factory=dict)
    digest_hour: int = 8

    def webhook_for(self, county_code: str | None) -> str:
        if county_code and county_code in self.webhook_county_urls:
            return self.webhook_county_urls[county_code]
        return self.webhook_url


_config = ChannelConfig()
# Set after a commit that wrote notifications, so an in-process worker sends at once.
wakeup = threading.Event()


def configure(settings: Any) -> ChannelConfig:
    """Take the channels from the settings (the app and the CLI call this at start)."""
    global _config
    _config = ChannelConfig(
        email=bool(settings.smtp_host),
        webhook_url=settings.webhook_url,
        webhook_county_urls=dict(settings.webhook_county_urls),
        digest_hour=settings.notify_digest_hour,
    )
    return _config


def current_config() -> ChannelConfig:
    return _config


@event.listens_for(Session, "after_commit")
def _wake_worker(session: Session) -> None:
    if session.info.pop("notify_written", False):
        wakeup.set()


# Who must act next after each status a match reaches.
_TALENT, _SITE, _COORD = "talent", "site", "coordinators"
_RECIPIENTS: dict[str, tuple[NotifyKind, tuple[str, ...]]] = {
    MatchStatus.PROPOSED.value: (NotifyKind.PROPOSED, (_TALENT,)),
    MatchStatus.INTERESTED.value: (NotifyKind.INTERESTED, (_SITE,)),
    MatchStatus.ACCEPTED.value: (NotifyKind.ACCEPTED, (_COORD,)),
    MatchStatus.APPROVED.value: (NotifyKind.APPROVED, (_TALENT, _SITE)),
    MatchStatus.REJECTED.value: (NotifyKind.REJECTED, (_TALENT, _SITE)),
    MatchStatus.ACTIVE.value: (NotifyKind.STARTED, (_TALENT, _SITE)),
    MatchStatus.CANCELLED.value: (NotifyKind.CANCELLED, (_TALENT, _SITE, _COORD)),
}


_ON_BEHALF = (Role.COORDINATOR, Role.ADMIN)


@dataclass(frozen=True)
class Message:
    kind: NotifyKind
    title: tuple[str, str]  # zh-CN, en
    body: tuple[str, str]
    link: str
    county: str | None
    match_id: int | None = None
    need_id: int | None = None
    entry_id: int | None = None


def render(kind: NotifyKind, link: str, county: str | None, **params: Any) -> Message:
    """Both languages of a notification's title and body; ``reason`` may be a person's
    words or empty."""
    texts = []
    for locale in ("zh-CN", "en"):
        # A date reads the way the language writes it: 2026年12月3日 / 3 Dec 2026.
        values = {
            k: format_date(v, locale) if isinstance(v, date) else v for k, v in params.items()
        }
        if "reason" in values:
            values["reason"] = values["reason"] or translate("notify.no_reason", locale)
        texts.append(
            (
                translate(f"notify.{kind.value}.title", locale).format(**values),
                translate(f"notify.{kind.value}.body", locale).format(**values),
            )
        )
    (title_zh, body_zh), (title_en, body_en) = texts
    return Message(kind, (title_zh[:300], title_en[:300]), (body_zh, body_en), link, county)


def _users_for(session: Session, match: Match, parties: Iterable[str]) -> list[User]:
    clauses = []
    for party in parties:
        if party == _TALENT:
            clauses.append((User.role == Role.TALENT.value) & (User.talent_id == match.talent_id))
        elif party == _SITE:
            clauses.append(
                (User.role == Role.SITE_STAFF.value) & (User.site_id == match.need.site_id)
            )
        else:
            clauses.append(coordinator_clause(match.need.site.county_code))
    if not clauses:
        return []
    return list(session.scalars(select(User).where(User.active, or_(*clauses)).order_by(User.id)))


def coordinator_clause(county_code: str) -> Any:
    return (User.role == Role.COORDINATOR.value) & (
        User.jurisdiction.is_(None) | (User.jurisdiction == county_code)
    )


def _match_message(kind: NotifyKind, match: Match, reason: str | None, **extra: Any) -> Message:
    need, site, talent = match.need, match.need.site, match.talent
    message = render(
        kind,
        f"/matches/{match.id}",
        site.county_code,
        need=need.title,
        site=site.name,
        talent=talent.name,
        reason=reason,
        **extra,
    )
    return replace(message, match_id=match.id, need_id=need.id)


def match_event(
    session: Session, match: Match, actor: Actor | None, target: str, reason: str | None
) -> list[Notification]:
    """Notify whoever acts next after ``match`` reached ``target`` (the actor excepted)."""
    entry = _RECIPIENTS.get(target)
    if entry is None:
        return []
    kind, parties = entry
    if target == MatchStatus.INTERESTED.value and actor is not None and actor.role in _ON_BEHALF:
        parties = (*parties, _TALENT)  # interest recorded for the talent: she is told too
    users = [u for u in _users_for(session, match, parties) if actor is None or u.id != actor.id]
    return write(session, users, _match_message(kind, match, reason))


class Proposed(Protocol):
    """What :func:`proposals` reads of a new match: a ``Match`` or a row of it."""

    id: int
    need_id: int
    talent_id: int


def proposals(session: Session, matches: Sequence[Proposed]) -> int:
    """Notify the talents of a batch of new proposals (a batch run's chunk)."""
    if not matches:
        return 0
    talent_ids = {m.talent_id for m in matches}
    need_ids = {m.need_id for m in matches}
    users: dict[int, list[User]] = {}
    for user in session.scalars(
        select(User).where(User.active, User.talent_id.in_(talent_ids)).order_by(User.id)
    ):
        users.setdefault(user.talent_id or 0, []).append(user)
    needs = {n.id: n for n in session.scalars(select(Need).join(Site).where(Need.id.in_(need_ids)))}
    talents = {t.id: t for t in session.scalars(select(Talent).where(Talent.id.in_(talent_ids)))}
    count = 0
    for match in matches:
        recipients = users.get(match.talent_id, [])
        if not recipients:
            continue
        need = needs[match.need_id]
        message = render(
            NotifyKind.PROPOSED,
            f"/matches/{match.id}",
            need.site.county_code,
            need=need.title,
            site=need.site.name,
            talent=talents[match.talent_id].name,
        )
        message = replace(message, match_id=match.id, need_id=need.id)
        count += len(write(session, recipients, message))
    return count


def message_posted(
    session: Session, match: Match, author: Actor, sender_name: str, body: str
) -> list[Notification]:
    """Tell the other side(s) of a match's thread about a new message, once each: the
    talent and the site (whichever did not write it), and the coordinators who have
    written in this thread; never the author. The excerpt is the message itself, which
    holds no contact detail before approval (the thread refuses one)."""
    parties = [p for p in (_TALENT, _SITE) if _party_of(author) != p]
    users = _users_for(session, match, parties)
    posted = select(MatchMessage.sender_id).where(
        MatchMessage.match_id == match.id,
        MatchMessage.sender_role.in_([Role.COORDINATOR.value, Role.ADMIN.value]),
    )
    users += list(
        session.scalars(select(User).where(User.active, User.id.in_(posted)).order_by(User.id))
    )
    recipients = list({u.id: u for u in users if u.id != author.id}.values())
    excerpt = body if len(body) <= 120 else body[:119] + "…"
    message = replace(
        _match_message(NotifyKind.MESSAGE, match, None, sender=sender_name, excerpt=excerpt),
        match_id=match.id,
    )
    return write(session, recipients, replace(message, link=f"/matches/{match.id}#messages"))


def _party_of(actor: Actor) -> str:
    if actor.role is Role.TALENT:
        return _TALENT
    if actor.role is Role.SITE_STAFF:
        return _SITE
    return _COORD


def entry_returned(
    session: Session,
    *,
    user_ids: Sequence[int],
    entry_id: int,
    title: str,
    reason: str | None,
    link: str,
    county_code: str | None = None,
) -> list[Notification]:
    """A ledger entry was sent back to the people who filed it (called by the entries
    module in the transaction that returns the entry)."""
    users = list(session.scalars(select(User).where(User.id.in_(user_ids), User.active)))
    message = render(NotifyKind.ENTRY_RETURNED, link, county_code, title=title, reason=reason)
    return write(session, users, replace(message, entry_id=entry_id))


def need_expiring(session: Session, need: Need) -> list[Notification]:
    users = list(
        session.scalars(
            select(User).where(
                User.active, User.role == Role.SITE_STAFF.value, User.site_id == need.site_id
            )
        )
    )
    message = render(
        NotifyKind.NEED_EXPIRING,
        f"/needs/{need.id}",
        need.site.county_code,
        need=need.title,
        site=need.site.name,
        end=need.end_date,
    )
    return write(session, users, replace(message, need_id=need.id))


def record_due(session: Session, match: Match, days: int) -> list[Notification]:
    users = _users_for(session, match, (_SITE,))
    need, site = match.need, match.need.site
    message = render(
        NotifyKind.RECORD_DUE,
        f"/matches/{match.id}",
        site.county_code,
        need=need.title,
        site=site.name,
        talent=match.talent.name,
        days=days,
    )
    return write(session, users, replace(message, match_id=match.id, need_id=need.id))


# ------------------------------------------------------------------ writing rows
def write(session: Session, users: Sequence[User], message: Message) -> list[Notification]:
    """One notification per user and its deliveries, added to the session (flushed)."""
    if not users:
        return []
    prefs = {
        p.user_id: p
        for p in session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_([u.id for u in users])
            )
        )
    }
    now = datetime.now(UTC)
    rows = []
    for user in users:
        pref = prefs.get(user.id)
        note = Notification(
            user_id=user.id,
            kind=message.kind.value,
            match_id=message.match_id,
            need_id=message.need_id,
            entry_id=message.entry_id,
            title_zh=message.title[0],
            title_en=message.title[1],
            body_zh=message.body[0],
            body_en=message.body[1],
            link=message.link,
            created_at=now,
        )
        for channel, target in _channels(session, user, pref, message.county):
            digest = bool(pref and pref.digest and channel is Channel.EMAIL)
            note.deliveries.append(
                Delivery(
                    channel=channel.value,
                    target=target,
                    digest=digest,
                    next_attempt_at=first_attempt(pref, now, digest, _config.digest_hour),
                    created_at=now,
                )
            )
        rows.append(note)
    session.add_all(rows)
    session.flush()
    session.info["notify_written"] = True
    return rows


def _channels(
    session: Session, user: User, pref: NotificationPreference | None, county: str | None
) -> list[tuple[Channel, str]]:
    out = []
    if _config.email and (pref is None or pref.email_enabled):
        address = email_of(session, user, pref)
        if address:
            out.append((Channel.EMAIL, address))
    url = _config.webhook_for(county)
    if url and (pref is None or pref.webhook_enabled):
        out.append((Channel.WEBHOOK, url))
    return out


def email_of(session: Session, user: User, pref: NotificationPreference | None) -> str | None:
    """The user's own address if set, else the linked talent's or site's."""
    if pref is not None and pref.email:
        return pref.email
    if user.talent_id is not None:
        talent = session.get(Talent, user.talent_id)
        return talent.email if talent and talent.email else None
    if user.site_id is not None:
        site = session.get(Site, user.site_id)
        return site.email if site and site.email else None
    return None


def first_attempt(
    pref: NotificationPreference | None, now: datetime, digest: bool, digest_hour: int
) -> datetime:
    """When a delivery may first be sent: now, or the end of the user's quiet hours, or
    the next digest hour."""
    zone = ZoneInfo(pref.timezone if pref and pref.timezone else DEFAULT_ZONE)
    local = now.astimezone(zone)
    if digest:
        at = local.replace(hour=digest_hour, minute=0, second=0, microsecond=0)
        if at <= local:
            at += timedelta(days=1)
        return at.astimezone(UTC)
    if pref is None or pref.quiet_start is None or pref.quiet_end is None:
        return now
    if not in_quiet_hours(local.hour, pref.quiet_start, pref.quiet_end):
        return now
    end = local.replace(hour=pref.quiet_end, minute=0, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(UTC)


def in_quiet_hours(hour: int, start: int, end: int) -> bool:
    """Whether ``hour`` falls in [start, end), a window that may wrap past midnight."""
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def today_local() -> date:
    return datetime.now(ZoneInfo(DEFAULT_ZONE)).date()
