"""Stripe's wire format: nested form keys in, error bodies out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_KEY_PART = re.compile(r"\[([^\[\]]*)\]")
_DOCS = "https://stripe.com/docs/error-codes"


class StripeApiError(Exception):
    """A Stripe error answer: `{"error": {...}}` with an HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.code = code
        self.param = param

    def to_json(self, request_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.error_type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{_DOCS}/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def missing_param(name: str) -> StripeApiError:
    return StripeApiError(
        400, f"Missing required param: {name}.", code="parameter_missing", param=name
    )


def invalid_param(name: str, message: str) -> StripeApiError:
    return StripeApiError(400, message, param=name)


def no_such(kind: str, object_id: str, param: str) -> StripeApiError:
    return StripeApiError(
        404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param
    )


def parse_nested(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0][c]=v` pairs into {"a": {"b": [{"c": "v"}]}}, as Stripe reads them.

    Values stay strings; `a[]=x` appends. Objects whose keys are all indexes
    become lists in index order.
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        path = [head, *_KEY_PART.findall(key[len(head) :])]
        node = root
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if part == "":
                part = str(len(node))
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise invalid_param(
                        key, f"Invalid object: {key} cannot be both a value and a hash."
                    )
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def as_int(
    params: dict[str, Any], name: str, *, minimum: int | None = None, label: str | None = None
) -> int:
    label = label or name
    raw = params.get(name)
    try:
        value = int(str(raw))
    except ValueError:
        raise StripeApiError(
            400, f"Invalid integer: {raw}", code="parameter_invalid_integer", param=label
        ) from None
    if minimum is not None and value < minimum:
        raise StripeApiError(
            400,
            f"Invalid {label}: must be at least {minimum}",
            code="parameter_invalid_integer",
            param=label,
        )
    return value


def metadata(raw: Any, name: str = "metadata") -> dict[str, str]:
    """Stripe's metadata rules: <= 50 keys, key <= 40 chars, value <= 500 chars; "" unsets."""
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, dict):
        raise StripeApiError(400, f"Invalid object: {name} must be a hash", param=name)
    if len(raw) > 50:
        raise StripeApiError(400, "Metadata can have up to 50 keys.", param=name)
    for key, value in raw.items():
        if len(key) > 40:
            raise StripeApiError(
                400, f"Metadata keys can be at most 40 characters: {key}", param=f"{name}[{key}]"
            )
        if len(str(value)) > 500:
            raise StripeApiError(
                400, f"Metadata values can be at most 500 characters: {key}", param=f"{name}[{key}]"
            )
    return {key: str(value) for key, value in raw.items() if value != ""}
