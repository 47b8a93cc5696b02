"""Who is acting: the user a use case works for, as a plain value (no web framework), and
the one role check every layer shares."""

from __future__ import annotations

from dataclasses import dataclass

from models import User
from models.enums import Role
from service.errors import AppError


@dataclass(frozen=True)
class Actor:
    """The acting user, detached from the session so use cases can pass it around."""

    id: int
    username: str
    role: Role
    display_name: str
    site_id: int | None
    talent_id: int | None
    jurisdiction: str | None
    locale: str
    must_change_password: bool = False

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            id=user.id,
            username=user.username,
            role=Role(user.role),
            display_name=user.display_name,
            site_id=user.site_id,
            talent_id=user.talent_id,
            jurisdiction=user.jurisdiction,
            locale=user.locale,
            must_change_password=bool(user.must_change_password),
        )

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def covers_county(self, county_code: str | None) -> bool:
        """Whether a coordinator's jurisdiction (or an admin) covers ``county_code``."""
        if self.is_admin:
            return True
        if self.role is not Role.COORDINATOR:
            return False
        return self.jurisdiction is None or self.jurisdiction == county_code


def require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise AppError(403, "forbidden", "Your role cannot do this", "您的角色无权执行此操作")
