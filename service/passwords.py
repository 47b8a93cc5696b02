"""The password policy, applied wherever a password is set, and the constant-time
failure path of a login.

Policy: at least ``MIN_LENGTH`` characters, not on the list of the 30,000 most common
passwords that ships with zxcvbn (Dropbox's strength estimator), and not the username nor
containing it. A refusal names the field and the rule, in Chinese and English; it never
echoes the password."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from service.errors import AppError, FieldError
from service.i18n import translate
from service.security import hash_password, verify_password

MIN_LENGTH = 10
# A username shorter than this cannot be "contained" meaningfully ("li" is in many words).
MIN_USERNAME_TO_CHECK = 3


@dataclass(frozen=True)
class PasswordProblem:
    """Which rule a password breaks, with the rule's wording in both languages."""

    rule: str
    message_en: str
    message_zh: str


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (zxcvbn's list, from leaked password dumps)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def _problem(rule: str, **values: object) -> PasswordProblem:
    key = f"password.rule.{rule}"
    return PasswordProblem(
        rule=rule,
        message_en=translate(key, "en").format(**values),
        message_zh=translate(key, "zh-CN").format(**values),
    )


def password_problem(password: str, username: str | None = None) -> PasswordProblem | None:
    """The first rule ``password`` breaks, or ``None`` when it may be used."""
    if len(password) < MIN_LENGTH:
        return _problem("too_short", min=MIN_LENGTH, length=len(password))
    folded = password.casefold()
    if folded in common_passwords():
        return _problem("common")
    name = (username or "").strip().casefold()
    if len(name) >= MIN_USERNAME_TO_CHECK and name in folded:
        return _problem("username")
    return None


def require_acceptable(password: str, *, username: str | None, field: str = "password") -> None:
    """Refuse ``password`` with 422 naming ``field`` and the broken rule."""
    problem = password_problem(password, username)
    if problem is None:
        return
    label_en = translate(f"password.field.{field}", "en")
    label_zh = translate(f"password.field.{field}", "zh-CN")
    raise AppError(
        422,
        "weak_password",
        f"{label_en} {problem.message_en}",
        f"{label_zh}{problem.message_zh}",
        [FieldError(field, f"{problem.rule}: {problem.message_en}")],
    )


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    import secrets

    return hash_password(secrets.token_urlsafe(24))


def verify_or_burn(password_hash: str | None, password: str) -> bool:
    """Check ``password`` against ``password_hash``; with no hash (an unknown or disabled
    account) spend the same Argon2 work on a dummy hash and answer ``False``, so the time a
    failed login takes does not tell whether the username exists."""
    if password_hash is None:
        verify_password(_dummy_hash(), password)
        return False
    return verify_password(password_hash, password)


def warm_up() -> None:
    """Compute the dummy hash and load the common-password list ahead of the first login."""
    _dummy_hash()
    common_passwords()
