"""Deliveries: articles to followers as they go public, change and go away; staff
replies to the remote authors they answer; retries."""

import pytest
from django.utils import timezone

from masthead.discussion import services as discussion
from masthead.federation import outbound as federation_outbound
from masthead.federation.models import Delivery, Follower, RemoteActor, RemoteNote
from masthead.lib import outbound

from .conftest import REMOTE, SITE


@pytest.fixture
def followers(alice, db):
    """Alice and Bob share their server's inbox; Carol is on a server without one."""
    bob = RemoteActor.objects.create(
        uri=f"{REMOTE}/users/bob",
        key_id=f"{REMOTE}/users/bob#k",
        public_pem="-",
        inbox=f"{REMOTE}/users/bob/inbox",
        shared_inbox=f"{REMOTE}/inbox",
    )
    carol = RemoteActor.objects.create(
        uri="https://small.example/carol",
        key_id="https://small.example/carol#k",
        public_pem="-",
        inbox="https://small.example/carol/inbox",
    )
    for actor in (alice, bob, carol):
        Follower.objects.create(actor=actor)


def sent_types(deliveries):
    return sorted((url, body["type"]) for _, url, _, body in deliveries)


def test_publishing_sends_the_article_once_per_server(
    followers, deliveries, make_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(title="Night ferry", excerpt="From May.")
    assert sent_types(deliveries) == [
        ("https://small.example/carol/inbox", "Create"),
        (f"{REMOTE}/inbox", "Create"),
    ]
    _, _, headers, body = deliveries[0]
    article = body["object"]
    assert article["type"] == "Article"
    assert article["name"] == "Night ferry"
    assert article["summary"] == "From May."
    assert article["url"] == SITE + post.get_absolute_url()
    assert "digest" in headers["Signature"] and headers["Digest"].startswith("SHA-256=")


def test_editing_sends_update_and_unpublishing_delete(
    followers, deliveries, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    deliveries.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Harbour ferry returns on Monday"
        post.save()
    assert {kind for _, kind in sent_types(deliveries)} == {"Update"}
    deliveries.clear()
    url = SITE + post.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        post.status = "draft"
        post.save()
    assert {kind for _, kind in sent_types(deliveries)} == {"Delete"}
    assert deliveries[0][3]["object"] == {"id": url, "type": "Tombstone"}


def test_a_failed_delivery_is_tried_again_later(
    monkeypatch, db, django_capture_on_commit_callbacks
):
    answers = iter([outbound.Response(503, {}, b""), outbound.Response(202, {}, b"")])
    monkeypatch.setattr(outbound, "request", lambda *a, **k: next(answers))
    delivery = federation_outbound.deliveries.start({"id": "x"}, f"{REMOTE}/inbox")
    queued = []
    monkeypatch.setattr(federation_outbound, "run_later", lambda *a, **k: queued.append((a, k)))
    assert federation_outbound.deliver.call(delivery.pk) == "failed"
    [((task, pk), kwargs)] = queued
    assert (task, pk) == (federation_outbound.deliver, delivery.pk)
    delivery.refresh_from_db()
    assert kwargs["when"] == delivery.next_attempt_at
    Delivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
    assert federation_outbound.deliver.call(pk) == "delivered"


def test_a_delivery_queued_before_deliveries_were_recorded_is_recorded_and_sent(monkeypatch, db):
    monkeypatch.setattr(outbound, "request", lambda *a, **k: outbound.Response(202, {}, b""))
    queued = []
    monkeypatch.setattr(federation_outbound, "run_later", lambda *a, **k: queued.append(a))
    activity = {"id": f"{SITE}/federation/activities/1", "type": "Create"}
    # As the task queue holds one from the release before: (activity, inbox, attempt).
    assert federation_outbound.deliver.call(activity, f"{REMOTE}/inbox", 2) == "pending"
    [(task, pk)] = queued
    assert task is federation_outbound.deliver
    assert federation_outbound.deliver.call(pk) == "delivered"
    assert Delivery.objects.get(pk=pk).activity_id == activity["id"]


def test_a_staff_reply_goes_to_the_remote_author(
    alice, deliveries, make_post, editor, django_capture_on_commit_callbacks
):
    post = make_post()
    remote = discussion.submit_comment(
        discussion.Submission(
            target=post, body="When does it start?", author_name="Alice", provider="fediverse"
        )
    )
    discussion.approve_comment(remote)
    RemoteNote.objects.create(uri=f"{REMOTE}/n/1", comment=remote, actor=alice)
    deliveries.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = discussion.submit_comment(
            discussion.Submission(
                target=post,
                body="On Monday at 7:10.",
                author_name="Eddie",
                user=editor,
                parent=remote,
            )
        )
        discussion.approve_comment(reply, by=editor)
    [(_, url, _, body)] = deliveries
    assert url == alice.inbox
    note = body["object"]
    assert note["inReplyTo"] == f"{REMOTE}/n/1"
    # As Mastodon users write a reply: the author named first, then the text.
    assert note["content"].startswith(
        f'<p><span class="h-card"><a href="{REMOTE}/@alice" class="u-url mention">'
        "@alice@social.example</a></span> On Monday at 7:10."
    )
    assert note["tag"] == [{"type": "Mention", "href": alice.uri, "name": "@alice@social.example"}]


def test_approved_comments_are_in_the_replies_collection(client, make_post, alice):
    post = make_post()
    shown = discussion.submit_comment(
        discussion.Submission(target=post, body="Shown.", author_name="Ines")
    )
    discussion.approve_comment(shown)
    discussion.submit_comment(discussion.Submission(target=post, body="Held.", author_name="Spam"))
    items = client.get(f"/federation/replies/{post.pk}").json()["orderedItems"]
    assert items == [f"{SITE}/federation/comments/{shown.pk}"]
    note = client.get(f"/federation/comments/{shown.pk}").json()
    assert note["type"] == "Note" and "Shown." in note["content"]
    assert "tag" not in note  # addressed to the public, it mentions nobody


def test_a_comment_as_a_note_carries_its_authors_name_as_text(client, make_post):
    post = make_post()
    shown = discussion.submit_comment(
        discussion.Submission(target=post, body="Shown.", author_name="<b>Ines</b> & co")
    )
    discussion.approve_comment(shown)
    note = client.get(f"/federation/comments/{shown.pk}").json()
    assert note["content"].startswith("<p><strong>&lt;b&gt;Ines&lt;/b&gt; &amp; co</strong></p>")
