"""Absolute URLs for what the service hands out (photo links): PUBLIC_BASE_URL, else the
address the request came to, else where `serve` listens."""

from __future__ import annotations

from typing import Any

from core.settings import Settings


def base_url(settings: Settings, request: Any = None) -> str:
    if settings.public_base_url:
        return settings.public_base_url
    if request is not None and getattr(request, "base_url", None) is not None:
        return str(request.base_url).rstrip("/")
    return f"http://{settings.host}:{settings.port}"


def absolute(settings: Settings, path: str, request: Any = None) -> str:
    return base_url(settings, request) + path
