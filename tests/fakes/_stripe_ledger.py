"""The fake Stripe account: sessions, payment intents, charges, refunds, events."""

from __future__ import annotations

import copy
import time
from typing import Any

from ._stripe_checkout import build_session, money, new_charge, new_id, new_payment_intent
from ._stripe_form import StripeApiError, as_int, metadata, no_such

REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
EXPANDABLE = ("payment_intent", "line_items")


class StripeLedger:
    """Stripe objects and the transitions a customer or Stripe causes."""

    def __init__(self, api_version: str) -> None:
        self.api_version = api_version
        self.sessions: dict[str, dict[str, Any]] = {}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._line_items: dict[str, list[dict[str, Any]]] = {}
        self._intent_data: dict[str, dict[str, Any]] = {}

    # --- API operations -----------------------------------------------------------

    def create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        session, line_items, intent_data = build_session(params)
        self.sessions[session["id"]] = session
        self._line_items[session["id"]] = line_items
        self._intent_data[session["id"]] = intent_data
        return session

    def session(self, session_id: str) -> dict[str, Any]:
        found = self.sessions.get(session_id)
        if found is None:
            raise no_such("checkout.session", session_id, "session")
        return found

    def session_view(self, session_id: str, params: dict[str, Any]) -> dict[str, Any]:
        view = copy.deepcopy(self.session(session_id))
        for field in _expand_list(params):
            if field == "payment_intent" and view["payment_intent"]:
                view["payment_intent"] = copy.deepcopy(self.payment_intents[view["payment_intent"]])
            elif field == "line_items":
                view["line_items"] = self.line_items(session_id)
        return view

    def line_items(self, session_id: str) -> dict[str, Any]:
        self.session(session_id)
        return {
            "object": "list",
            "data": copy.deepcopy(self._line_items[session_id]),
            "has_more": False,
            "url": f"/v1/checkout/sessions/{session_id}/line_items",
        }

    def expire(self, session_id: str) -> dict[str, Any]:
        session = self.session(session_id)
        if session["status"] != "open":
            raise StripeApiError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. '
                f'This Checkout Session has a status of "{session["status"]}".',
            )
        session.update(status="expired", url=None)
        self._emit("checkout.session.expired", session)
        return session

    def payment_intent(self, intent_id: str, param: str = "intent") -> dict[str, Any]:
        found = self.payment_intents.get(intent_id)
        if found is None:
            raise no_such("payment_intent", intent_id, param)
        return found

    def refund(self, refund_id: str) -> dict[str, Any]:
        found = self.refunds.get(refund_id)
        if found is None:
            raise no_such("refund", refund_id, "refund")
        return found

    def create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        charge = self._charge_to_refund(params)
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining == 0:
            raise StripeApiError(
                400,
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = as_int(params, "amount", minimum=1) if "amount" in params else remaining
        if amount > remaining:
            raise StripeApiError(
                400,
                f"Refund amount ({money(amount, charge['currency'])}) is greater than unrefunded amount "
                f"on charge ({money(remaining, charge['currency'])})",
                code="amount_too_large",
                param="amount",
            )
        reason = params.get("reason")
        if reason is not None and reason not in REFUND_REASONS:
            raise StripeApiError(
                400, f"Invalid reason: must be one of {', '.join(REFUND_REASONS)}", param="reason"
            )
        refund = {
            "id": new_id("re_3"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": new_id("txn_3"),
            "charge": charge["id"],
            "created": int(time.time()),
            "currency": charge["currency"],
            "metadata": metadata(params.get("metadata")),
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self._emit("refund.created", refund)
        self._emit("charge.refunded", charge)
        return refund

    def _charge_to_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("payment_intent"):
            intent = self.payment_intent(str(params["payment_intent"]), param="payment_intent")
            if intent["latest_charge"] is None:
                raise StripeApiError(
                    400,
                    f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                    code="charge_not_refundable",
                    param="payment_intent",
                )
            return self.charges[intent["latest_charge"]]
        if params.get("charge"):
            found = self.charges.get(str(params["charge"]))
            if found is None:
                raise no_such("charge", str(params["charge"]), "charge")
            return found
        raise StripeApiError(
            400, "One of `charge` or `payment_intent` is required.", code="parameter_missing"
        )

    # --- what the customer (or the bank) does --------------------------------------

    def complete(self, session_id: str, *, delayed: bool) -> dict[str, Any]:
        session = self._open_session(session_id)
        intent = new_payment_intent(
            session,
            self._intent_data[session_id],
            status="requires_action" if delayed else "succeeded",
        )
        self.payment_intents[intent["id"]] = intent
        session.update(
            status="complete",
            payment_intent=intent["id"],
            url=None,
            customer_details={
                "email": session["customer_email"],
                "name": "山田 花子",
                "phone": None,
            },
        )
        if not delayed:
            self._settle(session, intent)
        return self._emit("checkout.session.completed", session)

    def succeed_async(self, session_id: str) -> dict[str, Any]:
        session, intent = self._awaiting_payment(session_id)
        self._settle(session, intent)
        return self._emit("checkout.session.async_payment_succeeded", session)

    def fail_async(self, session_id: str) -> dict[str, Any]:
        if self.session(session_id)["status"] == "open":
            self.complete(session_id, delayed=True)
        session, intent = self._awaiting_payment(session_id)
        intent.update(
            status="requires_payment_method",
            last_payment_error={
                "code": "payment_intent_payment_attempt_expired",
                "type": "invalid_request_error",
            },
        )
        self._emit("payment_intent.payment_failed", intent)
        return self._emit("checkout.session.async_payment_failed", session)

    def expire_by_time(self, session_id: str) -> dict[str, Any]:
        self._open_session(session_id)
        self.expire(session_id)
        return self.events[-1]

    def _settle(self, session: dict[str, Any], intent: dict[str, Any]) -> None:
        charge = new_charge(intent)
        self.charges[charge["id"]] = charge
        intent.update(
            status="succeeded", amount_received=intent["amount"], latest_charge=charge["id"]
        )
        session["payment_status"] = "paid"
        self._emit("charge.succeeded", charge)
        self._emit("payment_intent.succeeded", intent)

    def _open_session(self, session_id: str) -> dict[str, Any]:
        session = self.sessions.get(session_id)
        if session is None:
            raise LookupError(f"no Checkout Session {session_id!r} in the fake")
        if session["status"] != "open":
            raise ValueError(f"Checkout Session {session_id} is {session['status']}, not open")
        return session

    def _awaiting_payment(self, session_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        session = self.sessions.get(session_id)
        intent = self.payment_intents.get((session or {}).get("payment_intent") or "")
        if session is None or intent is None or intent["status"] != "requires_action":
            raise ValueError(f"Checkout Session {session_id} has no delayed payment waiting")
        return session, intent

    def _emit(self, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        event = {
            "id": new_id("evt_3"),
            "object": "event",
            "api_version": self.api_version,
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
        self.events.append(event)
        return copy.deepcopy(event)


def _expand_list(params: dict[str, Any]) -> list[str]:
    fields = params.get("expand") or []
    fields = [fields] if isinstance(fields, str) else fields
    for field in fields:
        if field not in EXPANDABLE:
            raise StripeApiError(
                400, f"This property cannot be expanded ({field}).", param="expand"
            )
    return fields
