"""Checkout Sessions: creation rules, line items, and the session's life."""

from __future__ import annotations

import secrets
import string
import time
from typing import Any

from ._stripe_form import StripeApiError, as_int, metadata, missing_param, no_such

MIN_CHARGE_AMOUNT = 50  # ¥50, Stripe's minimum for JPY
MIN_EXPIRY_SECONDS = 30 * 60
MAX_EXPIRY_SECONDS = 24 * 60 * 60
CHECKOUT_URL = "https://checkout.stripe.test/c/pay/{id}"
_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def money(amount: int, currency: str) -> str:
    return f"¥{amount:,}" if currency == "jpy" else f"{amount} {currency.upper()}"


def build_session(
    params: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """A new open session, its line items, and the PaymentIntent data it carries."""
    mode = params.get("mode") or _raise(missing_param("mode"))
    if mode != "payment":
        raise StripeApiError(
            400, f"Invalid mode: the fake supports only 'payment', not '{mode}'", param="mode"
        )
    line_items = _line_items(params.get("line_items"))
    currency = line_items[0]["currency"]
    total = sum(item["amount_total"] for item in line_items)
    if total < MIN_CHARGE_AMOUNT:
        raise StripeApiError(
            400,
            f"The Checkout Session's total amount due must add up to at least {money(MIN_CHARGE_AMOUNT, currency)}",
            param="line_items",
        )
    now = int(time.time())
    session_id = new_id("cs_test_a1", 56)
    session = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": total,
        "amount_total": total,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": _client_reference_id(params),
        "created": now,
        "currency": currency,
        "customer": None,
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "expires_at": _expires_at(params, now),
        "livemode": False,
        "locale": params.get("locale"),
        "metadata": metadata(params.get("metadata")),
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": params.get("payment_method_types") or ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "success_url": params.get("success_url"),
        "ui_mode": "hosted",
        "url": CHECKOUT_URL.format(id=session_id),
    }
    return session, line_items, _payment_intent_data(params.get("payment_intent_data"))


def _raise(error: StripeApiError) -> Any:
    raise error


def _line_items(raw: Any) -> list[dict[str, Any]]:
    if not raw:
        raise missing_param("line_items")
    if not isinstance(raw, list):
        raise StripeApiError(400, "Invalid array", param="line_items")
    items = [_line_item(item, f"line_items[{index}]") for index, item in enumerate(raw)]
    if len({item["currency"] for item in items}) > 1:
        raise StripeApiError(400, "All line items must use the same currency.", param="line_items")
    return items


def _line_item(item: dict[str, Any], label: str) -> dict[str, Any]:
    if "price" in item:
        raise no_such("price", str(item["price"]), f"{label}[price]")
    price_data = item.get("price_data") or _raise(missing_param(f"{label}[price_data]"))
    currency = str(
        price_data.get("currency") or _raise(missing_param(f"{label}[price_data][currency]"))
    ).lower()
    if "unit_amount" not in price_data:
        raise missing_param(f"{label}[price_data][unit_amount]")
    unit_amount = as_int(
        price_data, "unit_amount", minimum=0, label=f"{label}[price_data][unit_amount]"
    )
    product_data = price_data.get("product_data") or _raise(
        missing_param(f"{label}[price_data][product_data]")
    )
    name = product_data.get("name") or _raise(
        missing_param(f"{label}[price_data][product_data][name]")
    )
    if "quantity" not in item:
        raise missing_param(f"{label}[quantity]")
    quantity = as_int(item, "quantity", minimum=1, label=f"{label}[quantity]")
    return {
        "id": new_id("li_"),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": unit_amount * quantity,
        "amount_tax": 0,
        "amount_total": unit_amount * quantity,
        "currency": currency,
        "description": name,
        "price": {
            "id": new_id("price_"),
            "object": "price",
            "currency": currency,
            "unit_amount": unit_amount,
            "product": new_id("prod_", 14),
            "type": "one_time",
        },
        "quantity": quantity,
    }


def _client_reference_id(params: dict[str, Any]) -> str | None:
    value = params.get("client_reference_id")
    if value is not None and len(value) > 200:
        raise StripeApiError(
            400, "client_reference_id must be at most 200 characters", param="client_reference_id"
        )
    return value


def _expires_at(params: dict[str, Any], now: int) -> int:
    if "expires_at" not in params:
        return now + MAX_EXPIRY_SECONDS
    expires_at = as_int(params, "expires_at")
    if not now + MIN_EXPIRY_SECONDS <= expires_at <= now + MAX_EXPIRY_SECONDS:
        raise StripeApiError(
            400,
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
            param="expires_at",
        )
    return expires_at


def _payment_intent_data(raw: Any) -> dict[str, Any]:
    raw = raw or {}
    return {
        "metadata": metadata(raw.get("metadata"), "payment_intent_data[metadata]"),
        "description": raw.get("description"),
        "capture_method": raw.get("capture_method", "automatic_async"),
    }


def new_payment_intent(
    session: dict[str, Any], data: dict[str, Any], *, status: str
) -> dict[str, Any]:
    intent_id = new_id("pi_3")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": session["amount_total"],
        "amount_received": 0,
        "capture_method": data["capture_method"],
        "client_secret": f"{intent_id}_secret_{new_id('', 25)}",
        "created": int(time.time()),
        "currency": session["currency"],
        "description": data["description"],
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": dict(data["metadata"]),
        "payment_method_types": session["payment_method_types"],
        "status": status,
    }


def new_charge(intent: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": new_id("ch_3"),
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"],
        "amount_refunded": 0,
        "captured": True,
        "created": int(time.time()),
        "currency": intent["currency"],
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "paid": True,
        "payment_intent": intent["id"],
        "refunded": False,
        "status": "succeeded",
    }
