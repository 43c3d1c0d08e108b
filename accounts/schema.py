from __future__ import annotations

from datetime import datetime, timedelta

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from accounts import audit, service
from accounts.models import AuditEntry, Resident, StaffMember
from accounts.permissions import IsAdmin, IsAuthenticated, IsStaff
from core import clock


@strawberry.type(name="Resident")
class ResidentType:
    id: strawberry.ID
    display_name: str
    language: str
    email: str | None
    telegram_linked: bool

    @classmethod
    def from_model(cls, resident: Resident) -> ResidentType:
        return cls(
            id=strawberry.ID(str(resident.public_id)),
            display_name=resident.display_name,
            language=resident.language,
            email=resident.email,
            telegram_linked=resident.telegram_user_id is not None,
        )


@strawberry.type(name="StaffMember")
class StaffType:
    id: strawberry.ID
    display_name: str
    email: str
    role: str
    department_code: str

    @classmethod
    def from_model(cls, staff: StaffMember) -> StaffType:
        return cls(
            id=strawberry.ID(str(staff.public_id)),
            display_name=staff.display_name,
            email=staff.email,
            role=str(staff.role.value if hasattr(staff.role, "value") else staff.role),
            department_code=staff.department.code,
        )


@strawberry.type
class AuthPayload:
    access_token: str
    refresh_token: str
    resident: ResidentType | None
    staff: StaffType | None

    @classmethod
    async def from_session(cls, session: service.Session) -> AuthPayload:
        staff = None
        if session.staff:
            await session.staff.fetch_related("department")
            staff = StaffType.from_model(session.staff)
        return cls(
            access_token=session.access_token,
            refresh_token=session.refresh_token,
            resident=ResidentType.from_model(session.resident) if session.resident else None,
            staff=staff,
        )


@strawberry.type(name="AuditEntry")
class AuditEntryType:
    at: datetime
    actor_name: str
    action: str
    subject_type: str
    subject_id: str
    detail: JSON

    @classmethod
    def from_model(cls, entry: AuditEntry) -> AuditEntryType:
        return cls(
            at=entry.at,
            actor_name=entry.actor_name,
            action=entry.action,
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            detail=entry.detail,
        )


@strawberry.type
class TelegramLinkCode:
    code: str
    expires_at: datetime


def _policy(info: Info) -> service.TokenPolicy:
    settings = info.context.settings
    return service.TokenPolicy(
        secret=settings.secret_key,
        access_minutes=settings.access_token_minutes,
        refresh_days=settings.refresh_token_days,
    )


@strawberry.type
class AccountsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The calling resident.")
    def me(self, info: Info) -> ResidentType:
        return ResidentType.from_model(info.context.resident)

    @strawberry.field(permission_classes=[IsStaff], description="The calling member of staff.")
    def staff_me(self, info: Info) -> StaffType:
        return StaffType.from_model(info.context.staff)

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="The audit log, newest first: staff actions and staff views of personal data.",
    )
    async def audit_log(
        self,
        info: Info,
        subject_type: str | None = None,
        subject_id: str | None = None,
        first: int = 50,
    ) -> list[AuditEntryType]:
        found = await audit.entries(subject_type=subject_type, subject_id=subject_id, limit=first)
        return [AuditEntryType.from_model(entry) for entry in found]


@strawberry.type
class AccountsMutation:
    @strawberry.mutation
    async def sign_up(
        self, info: Info, email: str, password: str, display_name: str, language: str = "ja"
    ) -> AuthPayload:
        session = await service.sign_up(
            policy=_policy(info),
            email=email,
            password=password,
            display_name=display_name,
            language=language,
        )
        return await AuthPayload.from_session(session)

    @strawberry.mutation
    async def log_in(self, info: Info, email: str, password: str) -> AuthPayload:
        session = await service.log_in(
            policy=_policy(info), email=email, password=password, client=info.context.address
        )
        return await AuthPayload.from_session(session)

    @strawberry.mutation
    async def staff_log_in(self, info: Info, email: str, password: str) -> AuthPayload:
        session = await service.staff_log_in(
            policy=_policy(info), email=email, password=password, client=info.context.address
        )
        return await AuthPayload.from_session(session)

    @strawberry.mutation
    async def refresh_token(self, info: Info, token: str) -> AuthPayload:
        session = await service.refresh(policy=_policy(info), token=token)
        return await AuthPayload.from_session(session)

    @strawberry.mutation(
        description="Revoke the given refresh token's session, or all of the caller's sessions."
    )
    async def log_out(self, info: Info, refresh_token: str | None = None) -> bool:
        context = info.context
        if context.resident is None and context.staff is None:
            return True
        await service.log_out(token=refresh_token, resident=context.resident, staff=context.staff)
        return True

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def set_language(self, info: Info, language: str) -> ResidentType:
        resident = await service.set_language(info.context.resident, language)
        return ResidentType.from_model(resident)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="A one-time code to send to the bot as `/link CODE` (valid 10 minutes).",
    )
    async def create_telegram_link_code(self, info: Info) -> TelegramLinkCode:
        code = await service.create_link_code(info.context.resident)
        expires = clock.now() + timedelta(minutes=service.LINK_CODE_MINUTES)
        return TelegramLinkCode(code=code, expires_at=expires)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Join this Telegram account into the app account that made the code.",
    )
    async def redeem_telegram_link_code(self, info: Info, code: str) -> ResidentType:
        resident = await service.redeem_link_code(info.context.resident, code)
        return ResidentType.from_model(resident)
