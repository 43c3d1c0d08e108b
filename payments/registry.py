"""How the purposes (booking, applications …) learn what became of their payments.

A purpose registers one handler. Payments calls it inside the transaction that records
the change, so the purpose's reaction and the payment's new state commit together.
`paid` answers whether the purpose still wants the money; if not, payments refunds it
in full with the reason given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from payments.models import Payment, Refund


@dataclass(frozen=True)
class Decision:
    accept: bool
    refund_reason: str = ""

    @classmethod
    def keep(cls) -> Decision:
        return cls(True)

    @classmethod
    def give_back(cls, reason: str) -> Decision:
        return cls(False, reason)


class PaymentHandler(Protocol):
    async def paid(self, payment: Payment) -> Decision: ...

    async def processing(self, payment: Payment) -> None: ...

    async def failed(self, payment: Payment) -> None: ...

    async def expired(self, payment: Payment) -> None: ...

    async def refunded(self, payment: Payment, refund: Refund) -> None: ...


class IgnoringHandler:
    """For a purpose nobody registered: keep records, refund nothing, tell nobody."""

    async def paid(self, payment: Payment) -> Decision:
        return Decision.keep()

    async def processing(self, payment: Payment) -> None:
        return None

    async def failed(self, payment: Payment) -> None:
        return None

    async def expired(self, payment: Payment) -> None:
        return None

    async def refunded(self, payment: Payment, refund: Refund) -> None:
        return None


_handlers: dict[str, PaymentHandler] = {}


def register(purpose: str, handler: PaymentHandler) -> None:
    _handlers[purpose] = handler


def handler_for(purpose: str) -> PaymentHandler:
    return _handlers.get(purpose, IgnoringHandler())


def is_registered(purpose: str) -> bool:
    return purpose in _handlers
