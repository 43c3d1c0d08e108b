"""Residents and staff: sign-up, log-in, token rotation, Telegram links."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from limits import RateLimitItemPerMinute
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import accounts.texts  # noqa: F401 - registers the texts
from accounts import sessions
from accounts.models import Department, RefreshToken, Resident, Role, StaffMember, TelegramLinkCode
from core import clock, security
from core.errors import AppError, ErrorCode, invalid
from core.i18n import LANGUAGES
from core.rate_limits import Counter
from core.sql import Statement

PASSWORD_MIN, PASSWORD_MAX = 8, 128
NAME_MAX = 100
LINK_CODE_MINUTES = 10
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")

# Failed log-ins are counted per (account, client address) and per client address, so a
# stranger guessing one account's password blocks only their own address, never the owner
# logging in from elsewhere, and one address trying many accounts is slowed as well.
# Counted in Redis when the instances share one (core.rate_limits).
_failures = Counter("moving-window")
_ACCOUNT_FAILURES = RateLimitItemPerMinute(5, 5)  # per account and address: 5 in 5 minutes
_ADDRESS_FAILURES = RateLimitItemPerMinute(20, 5)  # per address, any accounts: 20 in 5 minutes


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    resident: Resident | None = None
    staff: StaffMember | None = None


@dataclass(frozen=True)
class TokenPolicy:
    secret: str
    access_minutes: int
    refresh_days: int


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise invalid("accounts.bad_email", field="email")
    return email


def check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise invalid(
            "accounts.weak_password", field="password", min=PASSWORD_MIN, max=PASSWORD_MAX
        )


def check_display_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= NAME_MAX:
        raise invalid("accounts.bad_name", field="displayName", max=NAME_MAX)
    return name


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise invalid("accounts.bad_language", field="language")
    return language


async def sign_up(
    *, policy: TokenPolicy, email: str, password: str, display_name: str, language: str = "ja"
) -> Session:
    email = normalize_email(email)
    check_password(password)
    resident_fields: dict[str, Any] = {
        "email": email,
        "password_hash": security.hash_password(password),
        "display_name": check_display_name(display_name),
        "language": check_language(language),
    }
    try:
        async with in_transaction():
            resident = await Resident.create(**resident_fields)
            return await _open_session(policy, resident=resident)
    except IntegrityError:
        raise AppError(ErrorCode.CONFLICT, "accounts.email_taken", field="email") from None


def _failure_keys(kind: str, email: str, client: str) -> tuple[tuple[Any, str], ...]:
    return (
        (_ACCOUNT_FAILURES, f"{kind}:{email}|{client}"),
        (_ADDRESS_FAILURES, f"address:{client}"),
    )


async def _check_failure_budget(keys: tuple[tuple[Any, str], ...]) -> None:
    for limit, key in keys:
        if not await _failures.test(limit, key):
            seconds = await _failures.seconds_to_reset(limit, key)
            raise AppError(ErrorCode.RATE_LIMITED, "accounts.too_many_failures", seconds=seconds)


async def _count_failure(keys: tuple[tuple[Any, str], ...]) -> None:
    for limit, key in keys:
        await _failures.hit(limit, key)


def _login_email(email: str) -> str | None:
    """The address as stored, or None when it cannot be one (no look-up needed)."""
    email = email.strip().lower()
    return email if 0 < len(email) <= 254 else None


async def log_in(*, policy: TokenPolicy, email: str, password: str, client: str) -> Session:
    key = _login_email(email)
    keys = _failure_keys("resident", key or "-", client)
    await _check_failure_budget(keys)
    resident = await Resident.get_or_none(email=key) if key else None
    if not security.verify_password(resident.password_hash if resident else None, password):
        await _count_failure(keys)
        raise AppError(ErrorCode.UNAUTHENTICATED, "accounts.bad_login")
    return await _open_session(policy, resident=resident)


async def staff_log_in(*, policy: TokenPolicy, email: str, password: str, client: str) -> Session:
    key = _login_email(email)
    keys = _failure_keys("staff", key or "-", client)
    await _check_failure_budget(keys)
    staff = await StaffMember.get_or_none(email=key, is_active=True) if key else None
    if not security.verify_password(staff.password_hash if staff else None, password):
        await _count_failure(keys)
        raise AppError(ErrorCode.UNAUTHENTICATED, "accounts.bad_login")
    return await _open_session(policy, staff=staff)


async def _open_session(
    policy: TokenPolicy,
    *,
    resident: Resident | None = None,
    staff: StaffMember | None = None,
    family: uuid.UUID | None = None,
) -> Session:
    refresh = security.opaque_token()
    family = family or uuid.uuid4()
    await RefreshToken.create(
        token_hash=security.digest(refresh),
        family=family,
        resident=resident,
        staff=staff,
        expires_at=clock.now() + timedelta(days=policy.refresh_days),
    )
    owner = resident or staff
    assert owner is not None, "a session belongs to a resident or a member of staff"
    subject = f"{'r' if resident else 's'}:{owner.public_id}"
    access = security.issue_access_token(
        policy.secret, subject, policy.access_minutes, session=str(family)
    )
    sessions.opened(family)
    return Session(access_token=access, refresh_token=refresh, resident=resident, staff=staff)


async def refresh(*, policy: TokenPolicy, token: str) -> Session:
    """Rotate a refresh token. A token used twice revokes its whole family (theft)."""
    now = clock.now()
    stored = await RefreshToken.get_or_none(token_hash=security.digest(token)).select_related(
        "resident", "staff"
    )
    if stored is None or stored.revoked_at or stored.expires_at <= now:
        raise AppError(ErrorCode.UNAUTHENTICATED, "accounts.bad_refresh")
    if stored.staff and not stored.staff.is_active:
        raise AppError(ErrorCode.UNAUTHENTICATED, "accounts.bad_refresh")
    async with in_transaction():
        claimed = await RefreshToken.filter(id=stored.id, used_at__isnull=True).update(used_at=now)
        if claimed:
            return await _open_session(
                policy, resident=stored.resident, staff=stored.staff, family=stored.family
            )
    await RefreshToken.filter(family=stored.family).update(revoked_at=now)
    await sessions.revoked([stored.family])
    raise AppError(ErrorCode.UNAUTHENTICATED, "accounts.bad_refresh")


async def log_out(
    *, token: str | None, resident: Resident | None, staff: StaffMember | None
) -> None:
    """Revoke one refresh token's family, or every session of the caller when none is given."""
    now = clock.now()
    if token:
        stored = await RefreshToken.get_or_none(token_hash=security.digest(token))
        owned = stored is not None and (
            (resident is not None and stored.resident_id == resident.id)
            or (staff is not None and stored.staff_id == staff.id)
        )
        if stored is not None and owned:
            await RefreshToken.filter(family=stored.family).update(revoked_at=now)
            await sessions.revoked([stored.family])
        return
    owner = {"resident": resident} if resident else {"staff": staff}
    open_tokens = RefreshToken.filter(**owner, revoked_at__isnull=True)
    families: set[uuid.UUID] = set(await open_tokens.values_list("family", flat=True))  # type: ignore[arg-type]
    await open_tokens.update(revoked_at=now)
    await sessions.revoked(families)


async def caller_from_token(secret: str, token: str) -> Resident | StaffMember | None:
    claims = security.read_access_token(secret, token)
    if not claims:
        return None
    kind, _, public_id = claims["sub"].partition(":")
    try:
        key = uuid.UUID(public_id)
        session = uuid.UUID(str(claims["sid"])) if "sid" in claims else None
    except ValueError:
        return None
    if session is not None and not await sessions.is_open(session):
        return None
    if kind == "r":
        return await resident_by_public_id(key)
    if kind == "s":
        staff = await StaffMember.get_or_none(public_id=key).select_related("department")
        return staff if staff and staff.is_active else None
    return None


async def resident_by_public_id(public_id: uuid.UUID) -> Resident | None:
    """The resident a token names, read on every request: in plain SQL, as Tortoise's query
    costs several times the read itself."""
    statement = Statement()
    rows = await statement.dicts(
        f'SELECT {_resident_columns()} FROM "{Resident._meta.db_table}"'
        f" WHERE public_id = {statement.param(public_id)}"
    )
    return Resident._init_from_db(**rows[0]) if rows else None


@cache
def _resident_columns() -> str:
    return ", ".join(f'"{column}"' for column in Resident._meta.fields_db_projection.values())


async def set_language(resident: Resident, language: str) -> Resident:
    """The one way a resident's language changes (the API's, the preferences', the bot's)."""
    resident.language = check_language(language)
    async with in_transaction():
        await resident.save(update_fields=["language"])
        await _changed([resident.id])
    return resident


# --- hooks for the domains ---------------------------------------------------

MergeHook = Callable[[Resident, Resident], Awaitable[None]]
_merge_hooks: list[MergeHook] = []
ChangeHook = Callable[[Sequence[int]], Awaitable[Any]]
_change_hooks: list[ChangeHook] = []


def on_merge(hook: MergeHook) -> MergeHook:
    """Domains register how to move a resident's objects when two accounts become one."""
    _merge_hooks.append(hook)
    return hook


def on_change(hook: ChangeHook) -> ChangeHook:
    """Domains register what must follow when residents' accounts change under them: their
    language set, another account joined into theirs. A hook runs in the change's
    transaction, so what it records commits, or rolls back, with the change."""
    _change_hooks.append(hook)
    return hook


async def _changed(resident_ids: Sequence[int]) -> None:
    for hook in _change_hooks:
        await hook(resident_ids)


# --- Telegram ---------------------------------------------------------------


async def resident_for_telegram(
    *, user_id: int, chat_id: int, display_name: str, language_code: str | None
) -> Resident:
    """The resident behind a Telegram user, created the first time they write."""
    resident = await Resident.get_or_none(telegram_user_id=user_id)
    if resident:
        if resident.telegram_chat_id != chat_id:
            resident.telegram_chat_id = chat_id
            await resident.save(update_fields=["telegram_chat_id"])
        return resident
    from core.i18n import normalize_language

    try:
        return await Resident.create(
            telegram_user_id=user_id,
            telegram_chat_id=chat_id,
            display_name=(display_name.strip() or f"Telegram {user_id}")[:NAME_MAX],
            language=normalize_language(language_code),
        )
    except IntegrityError:  # a concurrent update for the same user created it first
        return await Resident.get(telegram_user_id=user_id)


async def create_link_code(resident: Resident) -> str:
    code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    await TelegramLinkCode.create(
        code_hash=security.digest(code),
        resident=resident,
        expires_at=clock.now() + timedelta(minutes=LINK_CODE_MINUTES),
    )
    return code


async def redeem_link_code(telegram_resident: Resident, code: str) -> Resident:
    """Join the Telegram resident into the app account that made the code."""
    if telegram_resident.telegram_user_id is None or telegram_resident.email is not None:
        raise invalid("accounts.link_from_telegram", field="code")
    now = clock.now()
    async with in_transaction():
        link = await TelegramLinkCode.get_or_none(
            code_hash=security.digest(code.strip().upper()), used_at__isnull=True
        ).select_related("resident")
        if link is None or link.expires_at <= now:
            raise invalid("accounts.bad_link_code", field="code")
        account = link.resident
        if account.id == telegram_resident.id:
            return account
        if (
            account.telegram_user_id
            and account.telegram_user_id != telegram_resident.telegram_user_id
        ):
            raise AppError(ErrorCode.CONFLICT, "accounts.already_linked")
        link.used_at = now
        await link.save(update_fields=["used_at"])
        for hook in _merge_hooks:
            await hook(telegram_resident, account)
        user_id, chat_id = telegram_resident.telegram_user_id, telegram_resident.telegram_chat_id
        await telegram_resident.delete()
        account.telegram_user_id, account.telegram_chat_id = user_id, chat_id
        await account.save(update_fields=["telegram_user_id", "telegram_chat_id"])
        await _changed([account.id])
        return account


# --- Staff ------------------------------------------------------------------


async def create_staff(
    *, email: str, password: str, display_name: str, department_code: str, role: Role
) -> StaffMember:
    check_password(password)
    department = await Department.get_or_none(code=department_code)
    if department is None:
        raise invalid("error.not_found", field="department")
    return await StaffMember.create(
        email=normalize_email(email),
        password_hash=security.hash_password(password),
        display_name=check_display_name(display_name),
        department=department,
        role=role,
    )
