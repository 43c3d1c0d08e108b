from __future__ import annotations

from datetime import timedelta

import time_machine

from core import clock
from tests.support.graphql import error_codes

ME = "{ me { id } }"


async def test_refresh__rotates_and_old_token_is_spent(gql):
    account = await gql.sign_up()
    first = await gql.op("RefreshToken", token=account.refresh_token)
    rotated = first["data"]["refreshToken"]
    assert rotated["refreshToken"] != account.refresh_token
    assert (await gql.data(ME, auth=rotated["accessToken"]))["me"]["id"] == account.id


async def test_refresh__reusing_a_spent_token_revokes_the_family(gql):
    account = await gql.sign_up()
    rotated = (await gql.op("RefreshToken", token=account.refresh_token))["data"]["refreshToken"]
    replay = await gql.op("RefreshToken", token=account.refresh_token)
    assert error_codes(replay) == ["UNAUTHENTICATED"]
    # the thief's replay also kills the legitimate successor
    after = await gql.op("RefreshToken", token=rotated["refreshToken"])
    assert error_codes(after) == ["UNAUTHENTICATED"]


async def test_refresh__unknown_token__unauthenticated(gql):
    body = await gql.op("RefreshToken", token="not-a-token")
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_log_out__revokes_the_refresh_token(gql):
    account = await gql.sign_up()
    body = await gql.op("LogOut", auth=account.token, refreshToken=account.refresh_token)
    assert body["data"]["logOut"] is True
    after = await gql.op("RefreshToken", token=account.refresh_token)
    assert error_codes(after) == ["UNAUTHENTICATED"]


async def test_log_out__cannot_revoke_someone_elses_session(gql):
    victim = await gql.sign_up()
    attacker = await gql.sign_up()
    await gql.op("LogOut", auth=attacker.token, refreshToken=victim.refresh_token)
    still = await gql.op("RefreshToken", token=victim.refresh_token)
    assert not still.get("errors")


async def test_access_token__expires_after_its_minutes(gql, settings):
    account = await gql.sign_up()
    assert not error_codes(await gql(ME, auth=account.token))  # valid, and known as such
    later = clock.now() + timedelta(minutes=settings.access_token_minutes, seconds=5)
    with time_machine.travel(later, tick=False):
        body = await gql(ME, auth=account.token)
    assert error_codes(body) == ["UNAUTHENTICATED"]
