"""The clerks' case page is served with a strict content security policy and no caching."""

from __future__ import annotations


async def test_staff_cases_page__served_with_strict_headers(client):
    response = await client.get("/staff/cases")

    assert response.status_code == 200
    assert 'id="queue"' in response.text and "/static/staff-cases.js" in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["cache-control"] == "no-store"
    script = await client.get("/static/staff-cases.js")
    assert script.status_code == 200 and "caseQueue" in script.text
