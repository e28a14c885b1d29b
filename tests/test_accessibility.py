"""axe-core in a real Chromium: the pages readers, editors and moderators use meet WCAG 2.2 AA."""

import datetime as dt
import ipaddress
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from masthead.api.webhooks.models import Delivery, DeliveryStatus, Webhook
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing import markup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Reader pages are held to contrast in both palettes the theme has, wide and narrow.
SCHEMES = pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(DESKTOP, "light"), (PHONE, "light"), (DESKTOP, "dark"), (PHONE, "dark")],
    ids=["desktop", "phone", "desktop-dark", "phone-dark"],
)
BUNDLED_AXE = re.search(r"axe v([\d.]+)", AXE_SCRIPT[:200]).group(1)

BODY = """The harbour ferry returns on Monday after a winter in the yard.

## What changes

> We have rebuilt the ramp so prams and bikes roll on level.
> — Ines Holm, harbour master

Timetables are on the [port's site](https://example.org/ferry) and below.

- Weekdays: every 30 minutes
- Weekends: every hour
"""


def keep_on_loopback(context):
    """Let the context reach the live server and nothing else: no CDN, no outside host."""
    outside = []

    def only_loopback(route):
        host = urlsplit(route.request.url).hostname or ""
        try:
            local = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = False
        if local or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    return outside


@pytest.fixture
def browser_page(page, live_server, settings):
    """A page that may reach the live server and nothing else."""
    settings.SITE_URL = live_server.url
    outside = keep_on_loopback(page.context)
    yield page
    assert outside == [], f"requests left the machine: {outside}"


@pytest.fixture
def sign_in(browser_page, live_server, client, settings):
    """Hand a session made by the test client to the browser."""

    def sign_in(user):
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return browser_page

    return sign_in


@pytest.fixture
def comment_on(db):
    ages = iter(range(90, 0, -1))

    def make(post, body, status=CommentStatus.APPROVED, **extra):
        extra.setdefault("author_name", "Nils Berg")
        extra.setdefault("author_email", "nils@example.org")
        extra.setdefault("created_at", timezone.now() - dt.timedelta(minutes=next(ages)))
        return Comment.objects.create(
            post=post, body=body, body_html=markup.render_comment(body), status=status, **extra
        )

    return make


@pytest.fixture
def article(make_post, comment_on, category, tag):
    # A standfirst much shorter than the line under it, as a heading would be.
    post = make_post(body=BODY, excerpt="Level boarding.", categories=[category], tags=[tag])
    first = comment_on(post, "Is the ferry running on **Sundays**?")
    comment_on(
        post,
        "Yes, hourly. See the [timetable](https://example.org/ferry).",
        parent=first,
        author_name="Ines Holm",
        author_url="https://example.org/ines",
    )
    comment_on(post, "Good news for the island school.", author_name="Petra Lund")
    return post


def visit(page, url, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    page.wait_for_load_state("networkidle")
    return page


def wcag_rules(page):
    """Every axe rule that tests a WCAG 2.2 A or AA criterion, the experimental ones too.

    Chosen by tag, axe leaves out its experimental rules, among them
    ``label-content-name-mismatch`` and ``p-as-heading``, which readers' tools do
    notice; chosen by id, it runs them. Deprecated rules test criteria WCAG 2.2
    no longer has, or that newer rules cover.
    """
    page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        "tags => axe.getRules(tags)"
        ".filter(rule => !rule.tags.includes('deprecated')).map(rule => rule.ruleId)",
        WCAG_AA,
    )


def audit(page):
    """Fail with a readable list of every WCAG 2.2 A/AA violation on the page as it stands."""
    rules = wcag_rules(page)
    assert {"label-content-name-mismatch", "p-as-heading", "color-contrast"} <= set(rules)
    options = {"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options).response
    # The script ran from the package, not from a CDN: its engine is the bundled one.
    assert results["testEngine"]["version"] == BUNDLED_AXE
    violations = results["violations"]
    assert not violations, report(page, violations)


def report(page, violations):
    width = page.viewport_size["width"]
    lines = [f"{len(violations)} axe violation(s) on {page.url} at {width}px:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['failureSummary']}".replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_moderation_screen_has_no_violations(
    sign_in, live_server, moderator, article, comment_on, viewport
):
    page = sign_in(moderator)
    for n in range(3):
        comment_on(
            article,
            f"Held comment number {n} about the night ferry.",
            status=CommentStatus.PENDING,
            author_url="https://example.org/nils" if n else "",
            ip_address="203.0.113.7",
            moderation_note="first comment from this email",
            spam_score=0.42,
        )
    visit(page, f"{live_server.url}/desk/moderation/", viewport)
    audit(page)
    # The edit and reply boxes, and the list of keys, are part of the screen too.
    page.eval_on_selector_all(".desk-queue details", "boxes => boxes.forEach(b => b.open = true)")
    audit(page)
    page.keyboard.press("?")
    assert page.locator("#desk-keys").is_visible()
    audit(page)


def test_the_desk_dashboard_has_no_violations(sign_in, live_server, moderator, article):
    page = sign_in(moderator)
    response = page.request.get(f"{live_server.url}/desk/", max_redirects=0)
    if response.status in (301, 302, 303, 307, 308):
        pytest.skip("/desk/ still redirects to the queue: the dashboard has not landed yet")
    audit(visit(page, f"{live_server.url}/desk/", DESKTOP))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_post_editor_has_no_violations(sign_in, live_server, editor, viewport):
    page = sign_in(editor)
    visit(page, f"{live_server.url}/admin/publishing/post/add/", viewport)
    audit(page)
    # Each input says what it is: the date and time of publication, the autocomplete
    # boxes, and the cells of the byline table, whose only label is a column heading.
    assert page.get_by_label("Date:").first.get_attribute("id") == "id_published_at_0"
    assert page.get_by_label("Time:").first.get_attribute("id") == "id_published_at_1"
    assert page.get_by_role("combobox", name="Lead figure").count() == 1
    assert page.get_by_role("searchbox", name="Categories").count() == 1
    assert page.get_by_role("spinbutton", name="Byline position").count() == 1
    # A second byline row, added by the admin's script, and an open autocomplete list.
    page.locator("#bylines-group .add-row a").click()
    assert page.get_by_role("combobox", name="Byline author").count() == 2
    page.get_by_role("combobox", name="Lead figure").click()
    page.get_by_role("searchbox", name="Search Lead figure").wait_for()
    audit(page)


def test_the_post_editor_with_its_figures_panel_has_no_violations(
    sign_in, live_server, editor, make_post
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from masthead.publishing import services
    from tests.conftest import image_bytes

    image = SimpleUploadedFile("ferry.png", image_bytes("PNG", size=(40, 30)))
    figure = services.create_figure(image=image, alt_text="The ferry", uploaded_by=editor)
    post = make_post(status="draft", body=f"{BODY}\n{figure.markdown}\n")
    page = sign_in(editor)
    visit(page, f"{live_server.url}/admin/publishing/post/{post.pk}/change/", DESKTOP)
    page.get_by_role("button", name=f"Save figure {figure.pk}").wait_for()
    audit(page)


@SCHEMES
def test_an_article_with_its_discussion_has_no_violations(
    browser_page, live_server, article, viewport, scheme
):
    # The theme has a dark palette of its own, held to the same contrast.
    browser_page.emulate_media(color_scheme=scheme)
    page = visit(browser_page, f"{live_server.url}{article.get_absolute_url()}", viewport)
    audit(page)
    # The reply form, moved under the comment it answers.
    page.locator(".comment-reply-link").first.click()
    assert page.locator("#cancel-comment-reply-link").is_visible()
    audit(page)


@SCHEMES
def test_the_home_page_has_no_violations(
    browser_page, live_server, article, make_post, viewport, scheme
):
    make_post(title="Night buses to the islands", excerpt="A trial from June.")
    browser_page.emulate_media(color_scheme=scheme)
    audit(visit(browser_page, f"{live_server.url}/", viewport))


@SCHEMES
def test_an_article_seen_by_a_signed_in_reader_has_no_violations(
    sign_in, live_server, article, reader, viewport, scheme
):
    page = sign_in(reader)
    page.emulate_media(color_scheme=scheme)
    visit(page, f"{live_server.url}{article.get_absolute_url()}", viewport)
    # The identity panel ("You are commenting using your account…") comes from the script.
    page.locator("#identity .logged-in-as").wait_for()
    audit(page)


@SCHEMES
def test_the_reply_form_showing_its_errors_has_no_violations(
    browser_page, live_server, article, viewport, scheme
):
    browser_page.emulate_media(color_scheme=scheme)
    page = visit(browser_page, f"{live_server.url}{article.get_absolute_url()}", viewport)
    page.locator(".comment-reply-link").first.click()
    page.fill("#email", "not an address")
    page.locator("#submit").click()
    page.locator(".field-error").first.wait_for()
    assert page.locator("[aria-invalid=true]").count() == 3
    audit(page)
    # The field with the focus ring, and the button, look the same to axe as to a reader.
    page.locator("#author").focus()
    audit(page)


@SCHEMES
def test_the_reply_form_sent_back_with_errors_has_no_violations(
    browser_page, live_server, article, viewport, scheme
):
    # Without the discussion script the form is a plain POST, and the server answers
    # with the page and its errors. (axe itself needs scripts, so only ours is kept out.)
    browser_page.route("**/discussion.js", lambda route: route.abort())
    browser_page.emulate_media(color_scheme=scheme)
    page = visit(browser_page, f"{live_server.url}{article.get_absolute_url()}", viewport)
    page.fill("#email", "not an address")
    page.locator("#submit").click()
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 3
    audit(page)


@SCHEMES
def test_the_reply_form_connecting_to_a_provider_has_no_violations(
    browser_page, live_server, article, settings, viewport, scheme
):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "facebook": {"APPS": [{"client_id": "masthead-test", "secret": "not-a-secret"}]}
    }
    # The provider's page never answers, so "Connecting to Facebook…" stays on screen.
    browser_page.route("**/accounts/facebook/login/**", lambda route: None)
    browser_page.emulate_media(color_scheme=scheme)
    page = visit(browser_page, f"{live_server.url}{article.get_absolute_url()}", viewport)
    page.get_by_role("link", name="Log in with Facebook").click()
    page.get_by_text("Connecting to Facebook…").wait_for()
    audit(page)


@SCHEMES
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_logging_in_and_signing_up_have_no_violations(
    browser_page, live_server, path, viewport, scheme
):
    browser_page.emulate_media(color_scheme=scheme)
    page = visit(browser_page, f"{live_server.url}{path}", viewport)
    audit(page)
    # Sent back with its errors: an address with the wrong password, or two that differ.
    form = page.locator("main form[method=post]").first
    if form.locator("input[name=display_name]").count():
        form.locator("input[name=display_name]").fill("Nils Berg")
    form.locator("input[type=email]").fill("nobody@example.org")
    for n, box in enumerate(form.locator("input[type=password]").all()):
        box.fill(f"not the same {n}")
    form.locator("[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("main .errorlist, main [aria-invalid=true]").count() > 0
    audit(page)


@SCHEMES
def test_the_profile_page_has_no_violations(sign_in, live_server, reader, viewport, scheme):
    page = sign_in(reader)
    page.emulate_media(color_scheme=scheme)
    audit(visit(page, f"{live_server.url}/accounts/profile/", viewport))


@SCHEMES
def test_a_staff_profile_with_api_tokens_has_no_violations(
    sign_in, live_server, moderator, viewport, scheme
):
    from masthead.api import tokens

    tokens.revoke_token(tokens.issue_token(moderator, "Old laptop")[0])
    tokens.issue_token(moderator, "Moderation app")
    page = sign_in(moderator)
    page.emulate_media(color_scheme=scheme)
    audit(visit(page, f"{live_server.url}/accounts/profile/", viewport))
    page.fill("#api-token-name", "Phone")
    page.get_by_role("button", name="Make a token").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#api-token-secret").startswith("mh_")
    audit(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_webhook_pages_have_no_violations(sign_in, live_server, editor, settings, viewport):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True
    page = sign_in(editor)
    visit(page, f"{live_server.url}/desk/webhooks/new/", viewport)
    page.get_by_label("Payload URL").fill("http://10.0.0.8/hooks")
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = False
    page.get_by_role("button", name="Add webhook").click()
    page.locator("#url-error").wait_for()
    audit(page)  # the form with its errors
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True
    page.get_by_label("Comment approved").check()
    page.get_by_role("button", name="Add webhook").click()
    page.get_by_role("textbox", name="Secret").wait_for()
    audit(page)  # the new hook, its secret shown once
    hook_url = page.url
    hook = Webhook.objects.get()
    Delivery.objects.create(
        hook=hook, event="comment.approved", event_id="6f1c8a38-3c4e-4d5e-9a57-8d2f6c3b1a90",
        payload={}, status=DeliveryStatus.FAILED, response_status=500,
        response_body="Internal error", error="The receiver answered 500.", duration_ms=12,
        next_attempt_at=timezone.now() + dt.timedelta(minutes=1),
    )  # fmt: skip
    Webhook.objects.filter(pk=hook.pk).update(
        active=False, disabled_at=timezone.now(), disabled_reason="Every delivery failed."
    )
    visit(page, hook_url, viewport)
    page.eval_on_selector_all(".hook-log details", "boxes => boxes.forEach(b => b.open = true)")
    audit(page)  # disabled, with a failed delivery's answer open
    visit(page, f"{live_server.url}/desk/webhooks/", viewport)
    audit(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_api_token_desk_pages_have_no_violations(
    sign_in, live_server, editor, moderator, viewport
):
    from masthead.api import tokens

    tokens.issue_token(moderator, "Moderation app")
    tokens.revoke_token(tokens.issue_token(editor, "Old laptop")[0])
    page = sign_in(editor)
    audit(visit(page, f"{live_server.url}/desk/tokens/", viewport))  # everyone's tokens
    page.get_by_role("button", name="Make a token").click()
    page.wait_for_load_state("networkidle")
    audit(page)  # the form with its error
    page.get_by_label("What is the new token for?").fill("Publishing script")
    page.get_by_role("button", name="Make a token").click()
    page.get_by_role("textbox", name="Token").wait_for()
    audit(page)  # the secret, shown once


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_fediverse_deliveries_page_has_no_violations(sign_in, live_server, moderator, viewport):
    from masthead.federation.models import Delivery as FediverseDelivery
    from masthead.federation.models import RemoteServer

    now = timezone.now()
    RemoteServer.objects.create(
        host="down.example",
        failing_since=now - dt.timedelta(days=4),
        unreachable_since=now,
        last_error="The server answered 503: Service Unavailable",
    )
    for state, status, error in [
        ("given-up", 503, "The server answered 503: Service Unavailable"),
        ("delivered", 202, ""),
    ]:
        FediverseDelivery.objects.create(
            activity={}, activity_id="https://news.example/activities/1", activity_type="Create",
            inbox="https://down.example/inbox", host="down.example", state=state,
            last_status=status, last_error=error, attempts=4,
        )  # fmt: skip
    page = sign_in(moderator)
    visit(page, f"{live_server.url}/desk/fediverse/deliveries/", viewport)
    page.eval_on_selector_all("details", "boxes => boxes.forEach(b => b.open = true)")
    audit(page)
