"""Floods and hostile input through the real form."""

import pytest

from masthead.discussion.models import Comment, DiscussionSettings, Policy
from tests.discussion.views.test_post_comment import ORIGIN, form_data
from tests.html_audit import problems_in
from tests.shared_data import shared_data


@pytest.fixture
def article(make_post, db):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    return make_post(title="Flood watch")


def test_a_burst_of_200_from_one_address_is_limited_while_others_comment(client, article):
    codes = [
        client.post(
            "/comments/post/",
            form_data(article, comment=f"Spam wave {i}", email=f"w{i}@example.org"),
            REMOTE_ADDR="203.0.113.9",
            **ORIGIN,
        ).status_code
        for i in range(200)
    ]
    assert codes.count(302) == 5 and codes.count(429) == 195
    limited = client.post(
        "/comments/post/",
        form_data(article, comment="One more"),
        REMOTE_ADDR="203.0.113.9",
        **ORIGIN,
    )
    assert "too fast" in limited.content.decode()
    assert "One more" in limited.content.decode()  # what they typed is kept
    other = client.post(
        "/comments/post/",
        form_data(article, comment="A real reader", email="real@example.org"),
        REMOTE_ADDR="198.51.100.20",
        **ORIGIN,
    )
    assert other.status_code == 302
    assert Comment.objects.count() == 6


def _payloads():
    folder = shared_data("xss")
    if folder is None:
        return []
    lines = [
        line
        for path in sorted(folder.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return lines[::8]  # a spread of every kind, kept quick


@pytest.mark.parametrize("field", ["comment", "author", "url"])
def test_xss_payloads_in_any_field_never_render_active(client, article, field, settings):
    payloads = _payloads()
    if not payloads:
        pytest.skip("no ../shared/data/xss")
    client.post("/comments/post/", form_data(article, url="https://example.org/"), **ORIGIN)
    for i, payload in enumerate(payloads):
        data = form_data(article, comment=f"Plain text {i}", email=f"x{i}@example.org")
        data[field] = payload[:300] if field != "comment" else payload
        client.post("/comments/post/", data, REMOTE_ADDR=f"10.0.{i // 250}.{i % 250}", **ORIGIN)
    html = client.get(article.get_absolute_url()).content.decode()
    thread = html[html.index('<ol class="comment-list">') : html.index('<div id="respond"')]
    if field != "url":  # most payloads are no web address, and are refused as such
        assert thread.count('class="comment-body"') > len(payloads) // 2
    # The like buttons are the thread's only forms.
    found = [p for p in problems_in(thread) if p not in ("<form>", "<button>", "<input>")]
    assert found == []


def test_a_spam_verdict_looks_to_its_sender_like_a_held_comment(client, make_post):
    """A bot that learns which of its posts were judged spam can tune itself."""
    import re

    from django.test import Client

    from masthead.discussion.models import Comment
    from tests.discussion.views.test_post_comment import ORIGIN, form_data

    post = make_post(title="Quay works")
    json = {"HTTP_ACCEPT": "application/json", **ORIGIN}
    held = Client().post("/comments/post/", form_data(post, comment="Held text here."), **json)
    bot = Client().post(
        "/comments/post/",
        form_data(post, comment="Held text here!", contact_me_by_fax="yes", email="b@example.org"),
        **json,
    )
    assert Comment.objects.filter(status="spam").count() == 1
    assert bot.status_code == held.status_code

    def shape(reply):
        data = reply.json()
        data.pop("id"), data.pop("url")
        data["html"] = re.sub(r"\d+|Held text here[.!]|Nadia|b@example.org", "", data["html"])
        return data

    told = shape(bot)
    assert told == shape(held)
    assert told["status"] == "pending"


def test_after_posting_spam_its_sender_sees_it_waiting_as_a_held_comment_is(client, make_post):
    """The page the sender lands on, and the personal JSON its script reads, tell nothing."""
    from django.test import Client

    from masthead.discussion.models import Comment
    from tests.discussion.views.test_post_comment import ORIGIN, form_data

    post = make_post(title="Quay works")
    seen = {}
    for verdict, extra in (("held", {}), ("spam", {"contact_me_by_fax": "yes"})):
        sender = Client()
        text = f"A {verdict} comment on the quay."
        landing = sender.post("/comments/post/", form_data(post, comment=text, **extra), **ORIGIN)
        page = sender.get(landing["Location"]).content.decode()
        me = sender.get("/comments/me.json", {"post": post.pk}).json()
        again = sender.get(post.get_absolute_url()).content.decode()
        seen[verdict] = (
            text in page and "awaiting moderation" in page,
            len(me["held"]),
            text in "".join(h["html"] for h in me["held"]),
            text in again,
        )
    assert Comment.objects.filter(status="spam").count() == 1
    assert seen["spam"] == seen["held"] == (True, 1, True, False)
