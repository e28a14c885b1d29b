"""The reader's pages in a real Chromium against a live server."""

import pytest

from masthead.publishing import services
from masthead.publishing.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_with_menu(live_server, make_post, settings):
    """The demo's menu: a short item, a long one, a short one, then the search box."""
    settings.SITE_URL = live_server.url
    make_post(title="Quay lights", body="The lamps are back.")
    for order, title in enumerate(["About the Ledger", "Contact"], start=1):
        services.save_page(
            title=title, body="Who we are.", status=Status.PUBLISHED, menu_order=order
        )
    return live_server.url


def _boxes(page, selector):
    return [
        page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())
    ]


@pytest.mark.parametrize("width", [360, 390])
def test_the_phone_header_keeps_the_menu_on_one_line(chromium, site_with_menu, tmp_path, width):
    context = chromium.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(site_with_menu)
    page.screenshot(path=tmp_path / f"header-{width}.png")
    items = _boxes(page, ".site-nav li")
    assert len(items) == 3
    assert len({round(box["y"]) for box in items}) == 1  # no item left alone on a line
    menu = page.locator(".site-nav ul")
    assert menu.evaluate("ul => ul.scrollWidth <= ul.clientWidth")  # all in view, no scrolling
    search = page.locator(".site-search").bounding_box()
    assert search["y"] >= items[0]["y"] + items[0]["height"]  # below the menu, not beside it
    assert search["x"] >= 0 and search["x"] + search["width"] <= width
    account = _boxes(page, ".account-links li")
    assert len({round(box["y"]) for box in account}) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out
    context.close()


def test_a_long_menu_scrolls_sideways_on_a_phone_instead_of_wrapping(
    chromium, site_with_menu, tmp_path
):
    for order, title in enumerate(["Letters to the editor", "Corrections", "Events"], start=3):
        services.save_page(title=title, body="More.", status=Status.PUBLISHED, menu_order=order)
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_with_menu)
    page.screenshot(path=tmp_path / "header-long-menu-390.png")
    items = _boxes(page, ".site-nav li")
    assert len(items) == 6
    assert len({round(box["y"]) for box in items}) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator(".site-nav li").last.locator("a").focus()  # the last item is reachable
    assert page.locator(".site-nav li").last.bounding_box()["x"] < 390
    context.close()
