"""The browsable docs work in a real browser with every byte from the site itself."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_list_the_endpoints_and_call_on_no_third_party(page, live_server):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/posts/{post_id}/comments").first.wait_for()
    assert page.locator(".opblock").count() >= 15
    assert asked and all(url.startswith(live_server.url) for url in asked), asked
    assert not [m for m in refused if "Content Security Policy" in m], refused
