from __future__ import annotations

import json
import re

from tests.conftest import make_settings


async def test_page__served_with_its_config_and_a_strict_policy(client, settings):
    response = await client.get("/staff/map")

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "https://tile.openstreetmap.org" in policy
    config = json.loads(
        re.search(r'id="map-config">(.*?)</script>', response.text, re.DOTALL).group(1)
    )
    assert config["tileUrl"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert config["serviceArea"] == [[37.45, 140.25], [37.72, 140.62]]
    assert (await client.get("/staff", follow_redirects=False)).headers["location"] == "/staff/map"


async def test_leaflet__served_by_the_app_with_its_licence(client):
    script = await client.get("/static/leaflet/leaflet.js")
    style = await client.get("/static/leaflet/leaflet.css")
    licence = await client.get("/static/leaflet/LICENSE")

    assert script.status_code == 200 and "Leaflet 1.9.4" in script.text
    assert style.status_code == 200 and ".leaflet-container" in style.text
    assert "BSD 2-Clause License" in licence.text
    assert (await client.get("/static/leaflet/images/marker-icon.png")).status_code == 200
    assert (await client.get("/static/../app.py")).status_code == 404


async def test_tile_url__configurable_and_cannot_break_out_of_the_script(tmp_path, database_url):
    import httpx

    from app import create_app
    from tests.conftest import forget_other_dialect

    settings = make_settings(
        tmp_path,
        database_url,
        MAP_TILE_URL="https://tiles.example.jp/{z}/{x}/{y}.png",
        MAP_TILE_ATTRIBUTION="</script><script>alert(1)</script>",
    )
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://t"
        ) as http,
    ):
        page = (await http.get("/staff/map")).text
        policy = (await http.get("/staff/map")).headers["content-security-policy"]

    assert "<script>alert(1)" not in page
    assert "https://tiles.example.jp" in policy
    config = json.loads(re.search(r'id="map-config">(.*?)</script>', page, re.DOTALL).group(1))
    assert config["attribution"] == "</script><script>alert(1)</script>"


async def test_favicon__linked_from_the_page_and_served_at_the_usual_address(client):
    page = (await client.get("/staff/map")).text
    assert '<link rel="icon" href="/static/favicon.svg"' in page

    icon = await client.get("/favicon.ico", follow_redirects=True)

    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")


STAFF_PAGES = {
    "/staff/map": ("通報マップ（職員用）", "/static/staff-map.js"),
    "/staff/cases": ("申請の処理（職員用）", "/static/staff-cases.js"),
    "/staff/alerts": ("緊急通報の配信状況（職員用）", "/static/staff-alerts.js"),
    "/staff/safety": ("安否確認（職員用）", "/static/staff-safety.js"),
}


async def test_staff_pages__one_layout__their_title_script_and_headers(client):
    for path, (title, script) in STAFF_PAGES.items():
        response = await client.get(path)
        page = response.text

        assert response.status_code == 200, path
        assert f"<title>{title} — Madoguchi</title>" in page
        assert page.count(f">{title}</") == 2, "the log-in form's heading and the bar's name"
        assert page.index('src="/static/staff-api.js"') < page.index(f'src="{script}"')
        assert '<link rel="icon" href="/static/favicon.svg"' in page
        for element in ('id="login-form"', 'id="login-email"', 'id="who"', 'id="log-out"'):
            assert page.count(element) == 1, (path, element)
        assert "{%" not in page and "{{" not in page
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
