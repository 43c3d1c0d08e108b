from __future__ import annotations

from accounts.models import Department, Role
from accounts.service import create_staff
from tests.support.graphql import error_codes

STAFF_ME = "{ staffMe { id displayName role departmentCode } }"
STAFF_LOG_IN = """mutation($e: String!, $p: String!) {
  staffLogIn(email: $e, password: $p) { accessToken resident { id } staff { role departmentCode } }
}"""


async def make_staff(role: Role = Role.CLERK) -> tuple[str, str]:
    await Department.get_or_create(code="roads", defaults={"name_ja": "土木課", "name_en": "Roads"})
    email = f"{role.value}@city.example.jp"
    await create_staff(
        email=email,
        password="staff-password",
        display_name="職員",
        department_code="roads",
        role=role,
    )
    return email, "staff-password"


async def test_staff_log_in__role_and_department(gql):
    email, password = await make_staff(Role.FIELD_STAFF)
    payload = (await gql.data(STAFF_LOG_IN, {"e": email, "p": password}))["staffLogIn"]
    assert payload["resident"] is None
    assert payload["staff"] == {"role": "field_staff", "departmentCode": "roads"}
    me = await gql.data(STAFF_ME, auth=payload["accessToken"])
    assert me["staffMe"]["role"] == "field_staff"


async def test_resident_token__cannot_act_as_staff(gql):
    account = await gql.sign_up()
    body = await gql(STAFF_ME, auth=account.token)
    assert error_codes(body) == ["FORBIDDEN"]


async def test_staff_token__is_not_a_resident(gql):
    email, password = await make_staff()
    token = (await gql.data(STAFF_LOG_IN, {"e": email, "p": password}))["staffLogIn"]["accessToken"]
    body = await gql("{ me { id } }", auth=token)
    assert error_codes(body) == ["FORBIDDEN"]


async def test_resident_password__does_not_open_staff_log_in(gql):
    account = await gql.sign_up()
    body = await gql(STAFF_LOG_IN, {"e": account.email, "p": account.password})
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_deactivated_staff__token_stops_working(gql):
    from accounts.models import StaffMember

    email, password = await make_staff()
    token = (await gql.data(STAFF_LOG_IN, {"e": email, "p": password}))["staffLogIn"]["accessToken"]
    await StaffMember.filter(email=email).update(is_active=False)
    body = await gql(STAFF_ME, auth=token)
    assert error_codes(body) == ["UNAUTHENTICATED"]
