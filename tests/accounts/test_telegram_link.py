from __future__ import annotations

from accounts.models import Resident
from accounts.service import resident_for_telegram
from tests.support.graphql import error_codes

CREATE = "mutation { createTelegramLinkCode { code expiresAt } }"


async def test_telegram_user__becomes_a_resident_once(app):
    first = await resident_for_telegram(
        user_id=4242, chat_id=4242, display_name="Taro", language_code="en-GB"
    )
    again = await resident_for_telegram(
        user_id=4242, chat_id=9999, display_name="Taro", language_code="ja"
    )
    assert first.id == again.id
    assert again.language == "en" and again.telegram_chat_id == 9999
    assert await Resident.filter(telegram_user_id=4242).count() == 1


async def test_link_code__joins_telegram_into_the_app_account(app, gql):
    account = await gql.sign_up()
    code = (await gql.data(CREATE, auth=account.token))["createTelegramLinkCode"]["code"]
    telegram = await resident_for_telegram(
        user_id=777, chat_id=777, display_name="tg", language_code="ja"
    )
    executor = app.state.services.executor
    result = await executor.run("RedeemTelegramLinkCode", {"code": code.lower()}, resident=telegram)
    assert not result.errors
    assert result.data["redeemTelegramLinkCode"]["id"] == account.id
    merged = await Resident.get(email=account.email)
    assert merged.telegram_user_id == 777
    assert not await Resident.exists(id=telegram.id)
    again = await resident_for_telegram(
        user_id=777, chat_id=777, display_name="tg", language_code="ja"
    )
    assert again.id == merged.id
    me = await gql.data("{ me { telegramLinked } }", auth=account.token)
    assert me["me"]["telegramLinked"] is True


async def test_link_code__used_once_only(app, gql):
    account = await gql.sign_up()
    code = (await gql.data(CREATE, auth=account.token))["createTelegramLinkCode"]["code"]
    executor = app.state.services.executor
    first = await resident_for_telegram(user_id=1, chat_id=1, display_name="a", language_code="ja")
    assert not (await executor.run("RedeemTelegramLinkCode", {"code": code}, resident=first)).errors
    second = await resident_for_telegram(user_id=2, chat_id=2, display_name="b", language_code="en")
    result = await executor.run("RedeemTelegramLinkCode", {"code": code}, resident=second)
    assert [e.code for e in result.errors] == ["VALIDATION"]
    assert result.errors[0].message == "The link code is wrong or has expired."


async def test_link_code__wrong_code(app):
    telegram = await resident_for_telegram(
        user_id=3, chat_id=3, display_name="c", language_code="ja"
    )
    result = await app.state.services.executor.run(
        "RedeemTelegramLinkCode", {"code": "WRONG123"}, resident=telegram
    )
    assert [e.code for e in result.errors] == ["VALIDATION"]


async def test_link_code__needs_log_in(gql):
    assert error_codes(await gql(CREATE)) == ["UNAUTHENTICATED"]


async def test_link_code__redeemed_from_an_app_account__refused(gql):
    owner = await gql.sign_up()
    other = await gql.sign_up()
    code = (await gql.data(CREATE, auth=owner.token))["createTelegramLinkCode"]["code"]
    body = await gql(
        "mutation($c: String!) { redeemTelegramLinkCode(code: $c) { id } }",
        {"c": code},
        auth=other.token,
    )
    assert error_codes(body) == ["VALIDATION"]
    assert (await gql.data("{ me { id } }", auth=other.token))["me"]["id"] == other.id
