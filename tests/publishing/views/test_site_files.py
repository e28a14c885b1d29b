from pathlib import Path

from django.contrib.staticfiles import finders
from PIL import Image


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/masthead/img/favicon.ico"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    with Image.open(finders.find("masthead/img/favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])


def test_pages_link_their_icons(client, db):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/masthead/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/masthead/img/favicon.ico" sizes="32x32">' in html
    svg = Path(finders.find("masthead/img/favicon.svg")).read_text()
    assert svg.startswith("<svg") and "<text" not in svg  # drawn, so no font is needed
