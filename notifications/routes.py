"""Plain HTTP of notifications: the link that confirms a notification e-mail address."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from core.i18n import normalize_language, t
from notifications.channels.email import service as email

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{title}</title></head>
<body><p>{ja}</p><p lang="en">{en}</p></body></html>
"""


async def confirm_email(request: Request) -> HTMLResponse:
    record = await email.confirm(request.query_params.get("token", ""))
    key = "notifications.email_confirmed" if record else "notifications.email_link_invalid"
    lang = normalize_language(request.headers.get("accept-language"))
    page = _PAGE.format(
        lang=lang, title=escape(t(key, lang)), ja=escape(t(key, "ja")), en=escape(t(key, "en"))
    )
    headers = {"Cache-Control": "no-store"}
    return HTMLResponse(page, status_code=200 if record else 400, headers=headers)


routes = [Route(email.CONFIRM_PATH, confirm_email, methods=["GET"])]
