from masthead.publishing import services
from masthead.publishing.models import Status


def test_a_published_page_lives_at_its_path_and_in_the_menu(client, db):
    about = services.save_page(
        title="About us", body="Who we are.", status=Status.PUBLISHED, menu_order=1
    )
    services.save_page(title="Team", parent=about, body="People.", status=Status.PUBLISHED)
    assert client.get("/about-us/").status_code == 200
    assert client.get("/about-us/team/").status_code == 200
    assert '<a href="/about-us/">About us</a>' in client.get("/").content.decode()


def test_a_draft_page_is_not_found(client, db):
    services.save_page(title="Secret", body="x", status=Status.DRAFT)
    assert client.get("/secret/").status_code == 404


def test_a_page_cannot_take_an_address_the_site_uses(db):
    import pytest
    from django.core.exceptions import ValidationError

    from masthead.publishing.models import Page

    for slug in ("search", "feed", "2024"):
        with pytest.raises(ValidationError, match="taken by the site"):
            Page(title="X", slug=slug).full_clean()


def _first_segments(patterns):
    """The literal first path segment of every route, includes opened."""
    import re

    for entry in patterns:
        route = str(entry.pattern).lstrip("^")
        if not route and hasattr(entry, "url_patterns"):
            yield from _first_segments(entry.url_patterns)
            continue
        segment = route.split("/")[0]
        if re.fullmatch(r"[\w-]+", segment):
            yield segment


def test_every_address_the_site_answers_at_the_top_is_closed_to_pages():
    from django.urls import get_resolver

    from masthead.publishing.models import Page

    segments = set(_first_segments(get_resolver().url_patterns))
    assert {"desk", "api", "accounts", "comments"} <= segments
    assert segments - Page.RESERVED_SLUGS == set()
