"""The bot's view of the API: run a named operation as the resident."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import Resident
from api.executor import Executor, OperationResult


@dataclass
class ResidentApi:
    executor: Executor
    resident: Resident

    async def run(self, name: str, **variables: Any) -> OperationResult:
        return await self.executor.run(name, variables, resident=self.resident)

    async def data(self, name: str, **variables: Any) -> dict[str, Any]:
        """The data, or the first error raised as OperationError (code + message)."""
        return (await self.run(name, **variables)).raise_for_errors()


@dataclass
class ApiClient:
    executor: Executor

    def for_resident(self, resident: Resident) -> ResidentApi:
        return ResidentApi(self.executor, resident)
