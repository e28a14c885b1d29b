"""Getting into the admin, in a real Chromium against a live server."""

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_editor_logs_in_at_the_admin_and_sees_it(page, live_server, first_editor):
    first_editor(page, live_server.url)

    page.locator("#site-name").wait_for()
    assert page.url == f"{live_server.url}/admin/"
    assert "Site administration" in page.inner_text("#content")
    assert mail.outbox == []
