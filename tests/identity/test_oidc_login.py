"""Log in from the reply form with a real OpenID Connect provider, in a real Chromium.

The provider (django-oauth-toolkit) and Masthead (`masthead serve`) each run in
their own process; Masthead knows the provider only from its environment.
"""

import re

import pytest

pytestmark = pytest.mark.browser

DRAFT = "A thought I started before logging in."
UNSENT = "Half a sentence I do not want to lose"

# Records the "Connecting to …" notice, which lives only until the page leaves.
WATCH_CONNECTING = """
new MutationObserver(function () {
  var s = document.querySelector(".identity-connecting");
  if (s && !s.hidden && s.textContent) sessionStorage.setItem("seen-connecting", s.textContent);
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
"""


def _log_in(page, provider, masthead):
    page.click(f"text=Log in with {provider.name}")
    page.wait_for_url(re.compile(re.escape(provider.origin) + r"/(login|o/authorize)/"))
    if "/login/" in page.url:
        page.fill("#id_username", provider.username)
        page.fill("#id_password", provider.password)
        page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(provider.origin) + "/o/authorize/"))
    page.click("button[name=allow]")
    page.wait_for_url(masthead.article_url + "#respond")


def test_a_reader_logs_in_comments_logs_out_and_changes_identity(
    page, oidc_provider, masthead_server
):
    provider, masthead = oidc_provider, masthead_server
    page.add_init_script(WATCH_CONNECTING)
    page.goto(masthead.article_url)
    assert page.locator(f"text=Log in with {provider.name}").is_visible()
    page.fill("#comment", DRAFT)

    _log_in(page, provider, masthead)

    connecting = page.evaluate("sessionStorage.getItem('seen-connecting')")
    assert connecting == f"Connecting to {provider.name}…"
    panel = page.inner_text("#respond")
    assert f"You are commenting using your {provider.name} account. (Log Out / Change)" in panel
    assert "Wren Okafor" in panel
    assert page.locator("#author").count() == 0 and page.locator("#email").count() == 0
    assert page.input_value("#comment") == DRAFT  # kept across the trip to the provider

    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    page.click("#submit")
    mine = page.locator("ol.comment-list li.comment").last
    mine.wait_for()
    assert DRAFT in mine.inner_text()
    assert mine.locator(".comment-author").inner_text() == "Wren Okafor"
    assert mine.locator(".badge").inner_text().lower() == provider.name.lower()
    page.reload()
    badge = page.locator("ol.comment-list li.comment .badge").last
    assert badge.get_attribute("title") == f"Logged in with {provider.name}"

    page.fill("#comment", UNSENT)
    page.click("button[data-identity=logout]")
    page.wait_for_url(masthead.article_url + "#respond")
    assert "You are commenting using" not in page.inner_text("#respond")
    assert page.locator("#author").is_visible()
    assert page.locator(f"text=Log in with {provider.name}").is_visible()
    assert page.input_value("#comment") == UNSENT

    _log_in(page, provider, masthead)
    assert page.input_value("#comment") == UNSENT
    page.click("button[data-identity=change]")
    page.wait_for_url(masthead.article_url + "#identity-choice")
    assert "You are commenting using" not in page.inner_text("#respond")
    assert page.locator(f"text=Log in with {provider.name}").is_visible()
    assert page.locator("#author").is_visible() and page.locator("#email").is_visible()
    assert page.input_value("#comment") == UNSENT
