"""The match lifecycle as one state machine: which role may move a match from which
status to which, and whether a reason is required.

    proposed → interested | declined
    interested → accepted (site) | declined
    accepted → approved | rejected (coordinator)
    approved → active → completed | cancelled
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import MatchStatus as S
from models.enums import Role


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    roles: frozenset[Role]
    needs_reason: bool = False


def _t(source: S, target: S, *roles: Role, reason: bool = False) -> Transition:
    return Transition(source, target, frozenset(roles), reason)


_COORD = (Role.COORDINATOR, Role.ADMIN)

TRANSITIONS: tuple[Transition, ...] = (
    _t(S.PROPOSED, S.INTERESTED, Role.TALENT),
    _t(S.PROPOSED, S.DECLINED, Role.TALENT, Role.SITE_STAFF, reason=True),
    _t(S.INTERESTED, S.ACCEPTED, Role.SITE_STAFF),
    _t(S.INTERESTED, S.DECLINED, Role.SITE_STAFF, Role.TALENT, reason=True),
    _t(S.ACCEPTED, S.APPROVED, *_COORD),
    _t(S.ACCEPTED, S.REJECTED, *_COORD, reason=True),
    _t(S.APPROVED, S.ACTIVE, Role.SITE_STAFF, *_COORD),
    _t(S.APPROVED, S.CANCELLED, Role.SITE_STAFF, Role.TALENT, *_COORD, reason=True),
    _t(S.ACTIVE, S.COMPLETED, Role.SITE_STAFF, *_COORD),
    _t(S.ACTIVE, S.CANCELLED, Role.SITE_STAFF, Role.TALENT, *_COORD, reason=True),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}

# The verbs the API and pages speak, each naming its target status.
ACTIONS: dict[str, S] = {
    "interest": S.INTERESTED,
    "decline": S.DECLINED,
    "accept": S.ACCEPTED,
    "approve": S.APPROVED,
    "reject": S.REJECTED,
    "start": S.ACTIVE,
    "complete": S.COMPLETED,
    "cancel": S.CANCELLED,
}


def find(source: str, target: str) -> Transition | None:
    return _BY_PAIR.get((S(source), S(target)))


def allowed_actions(status: str, role: str) -> list[str]:
    """The verbs ``role`` may apply to a match in ``status``, in a stable order."""
    out = []
    for action, target in ACTIONS.items():
        transition = _BY_PAIR.get((S(status), target))
        if transition and Role(role) in transition.roles:
            out.append(action)
    return out
