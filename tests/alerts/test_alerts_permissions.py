"""Only admins and the crisis-management department (危機管理課) issue alerts and see recipients."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.alerts.city import ALERTS, CANCEL, CREATE, DELIVERY, UPDATE, alert_input
from tests.support.graphql import error_codes


async def test_admin_of_another_department__may_create(city):
    admin = await city.staff(role=Role.ADMIN, department="roads")
    alert = await city.create(admin)
    assert alert["msgType"] == "ALERT"


@pytest.mark.parametrize("role", [Role.CLERK, Role.FIELD_STAFF])
async def test_staff_of_another_department__forbidden(city, role):
    owner = await city.crisis_staff()
    alert = await city.create(owner)
    clerk = await city.staff(role=role, department="disaster")
    for query, variables in (
        (CREATE, {"input": alert_input()}),
        (UPDATE, {"id": alert["id"], "input": alert_input()}),
        (CANCEL, {"id": alert["id"]}),
        (DELIVERY, {"id": alert["id"]}),
        (ALERTS, {}),
    ):
        body = await city.gql(query, variables, auth=clerk.token)
        assert error_codes(body) == ["FORBIDDEN"], query


async def test_resident__forbidden(city):
    owner = await city.crisis_staff()
    alert = await city.create(owner)
    resident = await city.resident()
    for query, variables in (
        (CREATE, {"input": alert_input()}),
        (CANCEL, {"id": alert["id"]}),
        (DELIVERY, {"id": alert["id"]}),
        (ALERTS, {}),
    ):
        body = await city.gql(query, variables, auth=resident.token)
        assert error_codes(body) == ["FORBIDDEN"], query
    assert (await city.gql.data(ALERTS, {}, auth=owner.token))["alerts"][0]["isActive"]


async def test_anonymous__unauthenticated(city):
    body = await city.gql(CREATE, {"input": alert_input()})
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_crisis_clerk__may_cancel_anothers_alert(city):
    first, second = await city.crisis_staff(), await city.crisis_staff()
    alert = await city.create(first)
    body = await city.gql.data(CANCEL, {"id": alert["id"]}, auth=second.token)
    assert body["cancelAlert"]["msgType"] == "CANCEL"


async def test_unknown_or_malformed_id__not_found(city):
    staff = await city.crisis_staff()
    for value in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"):
        body = await city.gql(CANCEL, {"id": value}, auth=staff.token)
        assert error_codes(body) == ["NOT_FOUND"]
