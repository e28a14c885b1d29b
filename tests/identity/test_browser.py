"""Getting into the admin, in a real Chromium against a live server."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from tests.identity import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_editor_logs_in_at_the_admin_and_sees_it(page, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        username="ada",
        email="ada@example.org",
        stdout=io.StringIO(),
    )

    page.goto(f"{live_server.url}/admin/")
    page.fill("input[name=login]", "ada@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action*='/accounts/login/'] button[type=submit]")

    page.locator("#site-name").wait_for()
    assert page.url == f"{live_server.url}/admin/"
    assert "Site administration" in page.inner_text("#content")
    assert mail.outbox == []
