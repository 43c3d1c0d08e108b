"""Schemathesis checks for the fuzzing tests (loaded with SCHEMATHESIS_HOOKS).

`coded_answer`: no 5xx, and every error a client gets is coded and expected: a GraphQL or
JSON error has `extensions.code` other than INTERNAL (INTERNAL means an exception escaped,
masked or not), an Open311 error has its numeric code. Expected GraphQL errors (NOT_FOUND,
VALIDATION …) are answers, not failures, unlike Schemathesis's own GraphQL check.
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# A file cannot be sent in a plain GraphQL document: a string where an Upload belongs is
# the fuzzer's best try, and must be refused with a code like any other wrong value.
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))
# JSON (form answers, form schemas) takes any value: strings and numbers are enough to try
# the validation behind it.
schemathesis.graphql.scalar(
    "JSON",
    st.one_of(
        st.text(max_size=20).map(nodes.String),
        st.integers(-(2**31), 2**31 - 1).map(nodes.Int),
        st.booleans().map(nodes.Boolean),
    ),
)


def _errors(body: object, status: int) -> list:
    if isinstance(body, dict):
        return body.get("errors") or []
    if isinstance(body, list) and status >= 400:
        return body  # Open311's [{code, description}]
    return []


@schemathesis.check
def coded_answer(ctx, response, case) -> None:
    if response.status_code >= 500:
        raise AssertionError(f"{response.status_code}: {response.text_lossy[:300]}")
    try:
        body = json.loads(response.content)
    except ValueError:
        return  # images, pages, XML
    for error in _errors(body, response.status_code):
        if not isinstance(error, dict):
            raise AssertionError(f"an error that is not an object: {error!r}")  # noqa: TRY004
        if "extensions" in error or "message" in error:
            code = (error.get("extensions") or {}).get("code")
            if not code or code == "INTERNAL":
                raise AssertionError(f"uncoded or internal error: {error!r}")
        elif not isinstance(error.get("code"), int):
            raise AssertionError(f"an Open311 error without a code: {error!r}")
