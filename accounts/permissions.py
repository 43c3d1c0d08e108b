"""Permissions declared on fields: `permission_classes=[IsAuthenticated]`, `[IsStaff]`..."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from accounts.models import Role
from core.errors import AppError, ErrorCode


def _unauthenticated() -> AppError:
    return AppError(ErrorCode.UNAUTHENTICATED, "error.unauthenticated")


class IsAuthenticated(BasePermission):
    """A resident is calling (an app user or a Telegram user)."""

    message = "UNAUTHENTICATED"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.resident is None and info.context.staff is None:
            raise _unauthenticated()
        return info.context.resident is not None

    def on_unauthorized(self) -> None:
        raise AppError(ErrorCode.FORBIDDEN, "error.forbidden")


class IsStaff(BasePermission):
    """A member of staff is calling; subclasses narrow the roles."""

    message = "FORBIDDEN"
    roles: tuple[Role, ...] = (Role.CLERK, Role.FIELD_STAFF, Role.ADMIN)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        staff = info.context.staff
        if staff is None and info.context.resident is None:
            raise _unauthenticated()
        return staff is not None and Role(staff.role) in self.roles

    def on_unauthorized(self) -> None:
        raise AppError(ErrorCode.FORBIDDEN, "error.forbidden")


class IsClerk(IsStaff):
    roles = (Role.CLERK, Role.ADMIN)


class IsAdmin(IsStaff):
    roles = (Role.ADMIN,)
