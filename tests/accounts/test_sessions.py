"""An access token belongs to a session: log-out and a revoked family end it at once."""

from __future__ import annotations

from accounts import sessions
from accounts.models import RefreshToken
from core import clock
from tests.support.graphql import error_codes


async def test_log_out__me_refused_with_the_old_access_token_right_after(gql):
    account = await gql.sign_up()
    assert not (await gql.op("Me", auth=account.token)).get("errors")

    await gql.op("LogOut", auth=account.token, refreshToken=account.refresh_token)

    assert error_codes(await gql.op("Me", auth=account.token)) == ["UNAUTHENTICATED"]


async def test_log_out_everywhere__every_session_of_the_caller_ends(gql):
    account = await gql.sign_up()
    other = await gql.op("LogIn", email=account.email, password=account.password)
    other_token = other["data"]["logIn"]["accessToken"]

    await gql.op("LogOut", auth=account.token)

    assert error_codes(await gql.op("Me", auth=account.token)) == ["UNAUTHENTICATED"]
    assert error_codes(await gql.op("Me", auth=other_token)) == ["UNAUTHENTICATED"]


async def test_log_out_one_session__the_others_go_on(gql):
    account = await gql.sign_up()
    other = await gql.op("LogIn", email=account.email, password=account.password)
    other_token = other["data"]["logIn"]["accessToken"]

    await gql.op("LogOut", auth=account.token, refreshToken=account.refresh_token)

    assert not (await gql.op("Me", auth=other_token)).get("errors")


async def test_refresh_token_reused__the_family_and_its_access_tokens_end(gql):
    account = await gql.sign_up()
    rotated = await gql.op("RefreshToken", token=account.refresh_token)
    new_access = rotated["data"]["refreshToken"]["accessToken"]
    assert not (await gql.op("Me", auth=new_access)).get("errors")

    replayed = await gql.op("RefreshToken", token=account.refresh_token)  # stolen and replayed

    assert error_codes(replayed) == ["UNAUTHENTICATED"]
    assert error_codes(await gql.op("Me", auth=new_access)) == ["UNAUTHENTICATED"]
    assert error_codes(await gql.op("Me", auth=account.token)) == ["UNAUTHENTICATED"]


async def test_revocation_by_another_process__seen_once_the_cached_answer_lapses(gql, monkeypatch):
    account = await gql.sign_up()
    assert not (await gql.op("Me", auth=account.token)).get("errors")

    await RefreshToken.all().update(revoked_at=clock.now())  # not through this process
    still_cached = await gql.op("Me", auth=account.token)
    monkeypatch.setattr(sessions.cache, "ttl", 0.0)
    sessions.cache._entries.clear()

    assert not still_cached.get("errors")
    assert error_codes(await gql.op("Me", auth=account.token)) == ["UNAUTHENTICATED"]


async def test_session_check__one_query_per_session_not_per_request(gql, monkeypatch):
    account = await gql.sign_up()
    asked = []
    original = RefreshToken.filter

    def counting(*args, **kwargs):
        if "family" in kwargs:
            asked.append(kwargs["family"])
        return original(*args, **kwargs)

    monkeypatch.setattr(RefreshToken, "filter", counting)
    sessions.cache._entries.clear()

    for _ in range(5):
        assert not (await gql.op("Me", auth=account.token)).get("errors")

    assert len(asked) == 1
