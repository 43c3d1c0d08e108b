"""GraphQL: pay a submission's fees."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from accounts.permissions import IsAuthenticated
from applications.fees import service
from payments.gateway import for_settings


@strawberry.type
class ApplicationCheckout:
    checkout_url: str
    amount_yen: int
    expires_at: str


@strawberry.type
class FeesMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="One Stripe Checkout for every unpaid fee of the submission.",
    )
    async def checkout_application(
        self, info: Info, application_id: strawberry.ID
    ) -> ApplicationCheckout:
        context = info.context
        payment = await service.checkout_application(
            resident=context.resident,
            application_id=application_id,
            gateway=for_settings(context.settings),
            settings=context.settings,
            language=context.language,
        )
        return ApplicationCheckout(
            checkout_url=payment.checkout_url,
            amount_yen=payment.amount_yen,
            expires_at=payment.expires_at.isoformat(),
        )
