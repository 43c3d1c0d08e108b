"""The OpenAPI 3.1 description of the plain HTTP routes, served at /openapi.json.

GraphQL describes itself (/graphql); this is the rest: Open311 GeoReport v2 (documentation
for Open311 client authors), the GeoJSON feed, report photos, the health check and the two
webhooks. The suite fuzzes every operation listed here (tests/api/test_fuzz.py).
"""

from __future__ import annotations

from typing import Any

FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "The response format.",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
LOCALE = {
    "name": "locale",
    "in": "query",
    "description": "The language of texts and error descriptions (ja, en); else Accept-Language.",
    "schema": {"type": "string", "maxLength": 10},
}
OPEN311_ERRORS = {
    "description": "GeoReport v2 errors: `[{code, description}]`, descriptions localized.",
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "integer"},
                        "description": {"type": "string"},
                    },
                },
            }
        },
        "text/xml": {"schema": {"type": "string"}},
    },
}
ERRORS = {
    "description": "`{errors: [{message, extensions: {code, field?, requestId?}}]}`",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


def _path_text(name: str, description: str, max_length: int = 100) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "maxLength": max_length},
    }


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _ok(description: str, content_type: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {content_type: {"schema": {}}}}


def _open311_get(summary: str, *parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "tags": ["Open311"],
            "summary": summary,
            "parameters": [FORMAT, LOCALE, *parameters],
            "responses": {"200": _ok(summary), "400": OPEN311_ERRORS, "404": OPEN311_ERRORS},
        }
    }


_REQUEST_FILTERS = [
    _query("service_request_id", "Comma-separated receipt numbers."),
    _query("service_code", "Comma-separated service codes."),
    _query("start_date", "W3C date-time; a time without offset is Japan time."),
    _query("end_date", "W3C date-time (at most 90 days after start_date)."),
    _query("status", "open, closed, or both comma-separated."),
    _query("page", "Page number (extension).", {"type": "integer"}),
    _query("page_size", "Requests per page, at most 200 (extension).", {"type": "integer"}),
    _query("bbox", "minLng,minLat,maxLng,maxLat (extension)."),
]

_NEW_REQUEST = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        "api_key": {"type": "string", "maxLength": 200},
        "service_code": {"type": "string", "maxLength": 100},
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "address_string": {"type": "string", "maxLength": 1000},
        "email": {"type": "string", "maxLength": 254},
        "first_name": {"type": "string", "maxLength": 100},
        "last_name": {"type": "string", "maxLength": 100},
        "phone": {"type": "string", "maxLength": 40},
        "description": {"type": "string", "maxLength": 4000},
        "media_url": {"type": "string", "maxLength": 2048},
    },
}


def _paths() -> dict[str, Any]:
    return {
        "/healthz": {
            "get": {
                "summary": "200 when the database answers, 503 when not.",
                "responses": {"200": _ok("ok"), "503": _ok("database unreachable")},
            }
        },
        "/reports.geojson": {
            "get": {
                "tags": ["Reports"],
                "summary": "Public reports as a GeoJSON FeatureCollection (newest 500).",
                "parameters": [
                    _query("bbox", "minLng,minLat,maxLng,maxLat"),
                    _query("status", "open, closed or workflow statuses, comma-separated"),
                    _query("category", "category codes, comma-separated"),
                ],
                "responses": {
                    "200": _ok("FeatureCollection", "application/geo+json"),
                    "400": ERRORS,
                },
            }
        },
        "/media/reports/{key}": {
            "get": {
                "tags": ["Reports"],
                "summary": "A report photo or thumbnail, metadata removed; hidden ones are 404.",
                "parameters": [_path_text("key", "The photo's key.", 64)],
                "responses": {"200": _ok("the image", "image/jpeg"), "404": ERRORS},
            }
        },
        "/open311/v2/discovery.{format}": _open311_get("Service discovery."),
        "/open311/v2/services.{format}": _open311_get("Service list."),
        "/open311/v2/services/{service_code}.{format}": _open311_get(
            "Service definition (attributes).", _path_text("service_code", "The service code.")
        ),
        "/open311/v2/requests.{format}": {
            **_open311_get("Service requests (newest first).", *_REQUEST_FILTERS),
            "post": {
                "tags": ["Open311"],
                "summary": "File a service request (api_key required).",
                "parameters": [FORMAT, LOCALE],
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": _NEW_REQUEST},
                    }
                },
                "responses": {
                    "200": _ok("the receipt"),
                    "400": OPEN311_ERRORS,
                    "403": OPEN311_ERRORS,
                    "404": OPEN311_ERRORS,
                    "429": OPEN311_ERRORS,
                },
            },
        },
        "/open311/v2/requests/{service_request_id}.{format}": _open311_get(
            "One service request.",
            _path_text("service_request_id", "The receipt number (受付番号)."),
        ),
        "/open311/v2/tokens/{token}.{format}": _open311_get(
            "The request a token became.", _path_text("token", "The token POST answered.")
        ),
        "/payments/stripe/webhook": _webhook(
            "Stripe events, signed with STRIPE_WEBHOOK_SECRET; each stored once.",
            "Stripe-Signature",
        ),
        "/telegram/webhook": _webhook(
            "Telegram updates (the bot in webhook mode).", "X-Telegram-Bot-Api-Secret-Token"
        ),
        "/payments/done": {
            "get": {
                "summary": "Checkout's return page.",
                "responses": {"200": _ok("page", "text/html")},
            }
        },
        "/payments/cancelled": {
            "get": {
                "summary": "Checkout's cancel page.",
                "responses": {"200": _ok("page", "text/html")},
            }
        },
    }


def _webhook(summary: str, header: str) -> dict[str, Any]:
    return {
        "post": {
            "tags": ["Webhooks"],
            "summary": summary,
            "parameters": [
                {"name": header, "in": "header", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": _ok("accepted"),
                "400": _ok("refused"),
                "403": _ok("wrong secret"),
                "404": _ok("not enabled"),
            },
        }
    }


def openapi_document(base_url: str = "") -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Madoguchi plain HTTP",
            "version": "1",
            "description": (
                "Open311 GeoReport v2, the GeoJSON feed, report photos and webhooks. "
                "The GraphQL API is at /graphql and describes itself."
            ),
        },
        "paths": _paths(),
    }
    if base_url:
        document["servers"] = [{"url": base_url}]
    return document
