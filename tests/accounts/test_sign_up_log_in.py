from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import extract_parameters, profiles

from tests.support.graphql import error_codes

ROOT = Path(__file__).resolve().parents[2]

ME = "{ me { id displayName language email } }"


async def test_sign_up__then_me_with_the_token(gql):
    account = await gql.sign_up(language="en", name="Alex")
    data = await gql.data(ME, auth=account.token)
    assert data["me"] == {
        "id": account.id,
        "displayName": "Alex",
        "language": "en",
        "email": account.email,
    }


async def test_me__without_token__is_unauthenticated(gql):
    body = await gql(ME)
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "ログインが必要です。"


async def test_me__with_forged_token__is_unauthenticated(gql):
    account = await gql.sign_up()
    header, payload, _ = account.token.split(".")
    body = await gql(ME, auth=f"{header}.{payload}.forged")
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_unauthenticated__message_follows_accept_language(gql):
    body = await gql(ME, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert body["errors"][0]["message"] == "Please log in first."


async def test_sign_up__same_email_twice__conflict(gql):
    account = await gql.sign_up()
    body = await gql.op(
        "SignUp", email=account.email.upper(), password="another-pass", displayName="x"
    )
    assert error_codes(body) == ["CONFLICT"]


@pytest.mark.parametrize(
    ("email", "password", "name", "language", "field"),
    [
        ("not-an-email", "password123", "A", "ja", "email"),
        ("a@b.jp", "short", "A", "ja", "password"),
        ("a@b.jp", "p" * 129, "A", "ja", "password"),
        ("a@b.jp", "password123", "   ", "ja", "displayName"),
        ("a@b.jp", "password123", "n" * 101, "ja", "displayName"),
        ("a@b.jp", "password123", "A", "fr", "language"),
    ],
)
async def test_sign_up__bad_input__validation_names_the_field(
    gql, email, password, name, language, field
):
    body = await gql.op(
        "SignUp", email=email, password=password, displayName=name, language=language
    )
    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == field


async def test_sign_up__stores_an_argon2id_hash_not_the_password(gql):
    from accounts.models import Resident

    account = await gql.sign_up()
    stored = await Resident.get(email=account.email)
    assert stored.password_hash.startswith("$argon2id$")
    assert account.password not in stored.password_hash


def test_service_hashes__argon2id_with_the_rfc_9106_parameters():
    """The suite hashes with argon2's cheapest profile (tests/conftest.py); the service,
    in a process of its own, with the library's recommended one."""
    script = "from core import security; print(security.hash_password('a-password-1'))"
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()

    low_memory = profiles.RFC_9106_LOW_MEMORY
    assert extract_parameters(printed) == low_memory
    assert printed.startswith(f"$argon2id$v=19$m={low_memory.memory_cost},t=3,p=4$")


async def test_log_in__wrong_email_and_wrong_password__same_error(gql):
    account = await gql.sign_up()
    wrong_password = await gql.op("LogIn", email=account.email, password="wrong-password")
    wrong_email = await gql.op("LogIn", email="nobody@example.jp", password=account.password)
    assert error_codes(wrong_password) == error_codes(wrong_email) == ["UNAUTHENTICATED"]
    assert wrong_password["errors"][0]["message"] == wrong_email["errors"][0]["message"]


async def test_log_in__right_password__token_works(gql):
    account = await gql.sign_up()
    body = await gql.op("LogIn", email=account.email, password=account.password)
    token = body["data"]["logIn"]["accessToken"]
    assert (await gql.data(ME, auth=token))["me"]["id"] == account.id


async def test_log_in__repeated_failures__slowed_down_even_with_right_password(gql):
    account = await gql.sign_up()
    for _ in range(5):
        body = await gql.op("LogIn", email=account.email, password="wrong-password")
        assert error_codes(body) == ["UNAUTHENTICATED"]
    body = await gql.op("LogIn", email=account.email, password=account.password)
    assert error_codes(body) == ["RATE_LIMITED"]
