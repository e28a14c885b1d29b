"""A post's discussion through the API: approved comments only, and a posted comment
taking exactly the road a form comment takes."""

import time

import pytest
from django.core import signing
from django.utils import timezone

from masthead.discussion import ratelimit, services
from masthead.discussion.forms import FORM_SALT
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy
from masthead.publishing.models import CommentStatus as PostCommentStatus

GUEST = {
    "body": "The late boat matters to the night shift.",
    "author_name": "Nadia",
    "author_email": "nadia@example.org",
}


ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def form_data(post, **extra):
    """What the article's form sends, issued a minute ago so the too-fast rule is quiet."""
    token = signing.dumps({"p": post.pk, "t": time.time() - 60}, salt=FORM_SALT, compress=True)
    data = {"comment": "", "author": "Nadia", "email": "nadia@example.org", "url": ""}
    return {**data, "comment_post_ID": post.pk, "comment_parent": "", "form_token": token, **extra}


@pytest.fixture
def article(make_post):
    return make_post(title="Ferry timetable", body="Evening sailings double.")


def test_it_lists_approved_comments_with_their_threading(api, article, make_comment):
    first = make_comment(article)
    reply = make_comment(article, parent=first, name="Olu", email="olu@example.org")
    make_comment(article, name="Held", email="held@example.org", approve=False)
    spam = make_comment(article, name="Spam", email="spam@example.org", approve=False)
    services.mark_spam(spam)
    items = api.get(f"/posts/{article.pk}/comments").json()["items"]
    assert [(c["id"], c["parent_id"], c["depth"]) for c in items] == [
        (first.pk, None, 0),
        (reply.pk, first.pk, 1),
    ]


def test_no_email_or_address_of_a_commenter_is_ever_sent(api, article, make_comment):
    comment = make_comment(article, email="secret-inbox@example.org")
    Comment.objects.filter(pk=comment.pk).update(ip_address="203.0.113.9")
    text = api.get(f"/posts/{article.pk}/comments").content.decode()
    assert "secret-inbox" not in text
    assert "203.0.113.9" not in text
    assert set(api.get(f"/posts/{article.pk}/comments").json()["items"][0]) == {
        "id", "post_id", "parent_id", "depth", "kind", "author_name", "author_url",
        "provider", "body_html", "created_at", "edited_at", "like_count", "deleted",
    }  # fmt: skip


def test_comments_page_by_cursor(api, article, make_comment):
    made = [make_comment(article, email=f"r{i}@example.org").pk for i in range(5)]
    seen, url = [], f"/posts/{article.pk}/comments?limit=2"
    while url:
        body = api.get(url).json()
        seen += [c["id"] for c in body["items"]]
        url = body["next"] and body["next"].removeprefix("http://testserver/api/v1")
    assert seen == made


def test_a_draft_has_no_comments_to_read(api, make_post):
    draft = make_post(status="draft", published_at=None)
    assert api.get(f"/posts/{draft.pk}/comments").status_code == 404


def test_a_guest_comment_is_held_and_said_to_be(api, article):
    reply = api.post(f"/posts/{article.pk}/comments", GUEST, REMOTE_ADDR="198.51.100.7")
    assert reply.status_code == 201
    body = reply.json()
    assert body["status"] == "pending"
    assert body["message"] == "Your comment is awaiting moderation."
    comment = Comment.objects.get(pk=body["id"])
    assert comment.status == CommentStatus.PENDING
    assert comment.ip_address == "198.51.100.7"
    # Nobody reads it before a moderator approves it.
    assert api.get(f"/posts/{article.pk}/comments").json()["items"] == []


def test_an_api_comment_lands_in_the_queue_exactly_as_a_form_comment(
    api, client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/comments/post/",
            form_data(article, comment=GUEST["body"]),
            REMOTE_ADDR="198.51.100.7",
            HTTP_USER_AGENT="Reader/1.0",
            **ORIGIN,
        )
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            f"/posts/{article.pk}/comments",
            {**GUEST, "body": "A second thought on the late boat, from the app."},
            REMOTE_ADDR="198.51.100.7",
            HTTP_USER_AGENT="Reader/1.0",
        )
    by_form, by_api = Comment.objects.order_by("pk")
    same = ("status", "author_name", "author_email", "ip_address", "user_agent", "depth", "post")
    assert [getattr(by_form, f) for f in same] == [getattr(by_api, f) for f in same]
    assert set(Comment.objects.pending()) == {by_form, by_api}


def test_behind_a_trusted_proxy_the_readers_own_address_is_kept(api, article, settings):
    from masthead.lib.client_ip import parse_trusted_proxies

    settings.MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.0/8")
    api.post(
        f"/posts/{article.pk}/comments",
        GUEST,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert Comment.objects.get().ip_address == "198.51.100.23"


def test_an_approved_comment_is_said_to_be_published(api, article):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    body = api.post(f"/posts/{article.pk}/comments", GUEST).json()
    assert body["status"] == "approved"
    assert body["url"].endswith(f"#comment-{body['id']}")


def test_spam_is_reported_as_held(api, article, monkeypatch):
    monkeypatch.setattr(
        services.spam, "assess", lambda *a, **k: services.spam.Verdict(CommentStatus.SPAM, ["x"], 1)
    )
    body = api.post(f"/posts/{article.pk}/comments", GUEST).json()
    assert body["status"] == "pending"
    assert Comment.objects.get().status == CommentStatus.SPAM


def test_a_reply_names_its_parent(api, article, make_comment):
    parent = make_comment(article)
    body = api.post(f"/posts/{article.pk}/comments", {**GUEST, "parent_id": parent.pk}).json()
    assert Comment.objects.get(pk=body["id"]).parent == parent


def test_bad_input_is_refused_field_by_field(api, article):
    reply = api.post(f"/posts/{article.pk}/comments", {"body": " ", "parent_id": 999})
    assert reply.status_code == 422
    errors = reply.json()["errors"]
    assert errors["body"] == ["Please write a comment."]
    assert errors["author_name"] == ["Please give your name."]
    assert errors["parent_id"] == ["The comment you are replying to is not available."]
    assert "author_email" in reply.json()["detail"]
    assert not Comment.objects.exists()


def test_a_body_of_the_wrong_type_is_refused(api, article):
    reply = api.post(f"/posts/{article.pk}/comments", {"body": ["no"]})
    assert reply.status_code == 422
    assert "body" in reply.json()["errors"]


def test_a_closed_article_takes_no_comment(api, article):
    article.comment_status = PostCommentStatus.CLOSED
    article.save()
    reply = api.post(f"/posts/{article.pk}/comments", GUEST)
    assert reply.status_code == 403
    assert reply.json()["detail"] == "Comments are closed on this article."


def test_a_comment_on_a_draft_is_not_found(api, make_post):
    draft = make_post(status="draft", published_at=None)
    assert api.post(f"/posts/{draft.pk}/comments", GUEST).status_code == 404


def test_the_forms_rate_limits_apply_with_retry_after(api, article, time_machine):
    time_machine.move_to(timezone.now().replace(second=10), tick=False)  # all in one minute
    for i in range(ratelimit.COMMENTS_PER_MINUTE_PER_IP):
        sent = {**GUEST, "author_email": f"r{i}@example.org", "body": f"Point {i} on the boat."}
        assert api.post(f"/posts/{article.pk}/comments", sent).status_code == 201
    reply = api.post(f"/posts/{article.pk}/comments", {**GUEST, "author_email": "z@example.org"})
    assert reply.status_code == 429
    assert reply["Retry-After"] == "60"
    assert reply.json()["detail"] == ratelimit.TOO_FAST


def test_a_session_does_not_sign_an_api_comment(api, client, article, reader):
    client.force_login(reader)
    api.post(f"/posts/{article.pk}/comments", GUEST)
    assert Comment.objects.get().user is None
