"""The inbox as a follower: answers to the publication's Follow, and the articles of
the accounts it follows, from them only."""

import pytest

from masthead.federation.models import Following, FollowingState, RemoteActor, RemoteArticle

from .conftest import REMOTE, SITE

ALICE = f"{REMOTE}/users/alice"
FOLLOW_ID = f"{SITE}/federation/actor#follows/1"


@pytest.fixture
def followed(alice):
    return Following.objects.create(actor=alice, follow_id=FOLLOW_ID, state=FollowingState.ACCEPTED)


def article(number=1, **fields):
    doc = {
        "id": f"{REMOTE}/articles/{number}",
        "type": "Article",
        "attributedTo": ALICE,
        "name": "Tram line opens",
        "summary": "<p>Line 4 runs <b>from Monday</b>.</p>",
        "content": "<p>The tram runs every <em>ten minutes</em>.</p>",
        "url": f"{REMOTE}/@alice/articles/{number}",
        "image": {"type": "Image", "url": f"{REMOTE}/media/tram.jpg"},
        "published": "2026-12-01T08:30:00Z",
    }
    return {**doc, **fields}


def create(obj, kind="Create"):
    return {"id": obj["id"] + f"#{kind.lower()}", "type": kind, "actor": ALICE, "object": obj}


def test_an_accept_of_our_follow_makes_it_accepted(send, alice):
    Following.objects.create(actor=alice, follow_id=FOLLOW_ID)
    accept = {"type": "Accept", "actor": ALICE, "object": {"id": FOLLOW_ID, "type": "Follow"}}
    assert send({"id": f"{REMOTE}/accepts/1", **accept}).json()["result"] == "accepted"
    assert Following.objects.get().state == FollowingState.ACCEPTED


def test_a_reject_ends_it_and_its_articles_go(send, followed):
    RemoteArticle.objects.create(uri=f"{REMOTE}/articles/9", actor=followed.actor)
    send({"id": f"{REMOTE}/rejects/1", "type": "Reject", "actor": ALICE, "object": FOLLOW_ID})
    assert Following.objects.get().state == FollowingState.REJECTED
    assert not RemoteArticle.objects.exists()


def test_an_accept_from_someone_we_did_not_ask_changes_nothing(send, alice):
    bob = RemoteActor.objects.create(
        uri="https://other.example/users/bob",
        key_id="https://other.example/users/bob#main-key",
        public_pem="-",
        inbox="https://other.example/users/bob/inbox",
    )
    Following.objects.create(actor=bob, follow_id=FOLLOW_ID)
    answer = send({"id": f"{REMOTE}/a/1", "type": "Accept", "actor": ALICE, "object": FOLLOW_ID})
    assert answer.json()["result"] == "ignored"
    assert Following.objects.get().state == FollowingState.PENDING


def test_an_article_of_an_account_we_follow_is_kept(send, followed):
    assert send(create(article())).json()["result"] == "stored"
    kept = RemoteArticle.objects.get()
    assert kept.actor == followed.actor
    assert kept.title == "Tram line opens"
    assert kept.summary == "Line 4 runs from Monday."
    assert kept.content_html == "<p>The tram runs every <em>ten minutes</em>.</p>"
    assert kept.url == f"{REMOTE}/@alice/articles/1"
    assert kept.image_url == f"{REMOTE}/media/tram.jpg"
    assert kept.published_at.isoformat() == "2026-12-01T08:30:00+00:00"


def test_scripts_and_images_in_an_article_never_reach_the_desk(send, followed):
    content = (
        '<p onclick="steal()">Hi<script>alert(1)</script></p><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">more</a>'
    )
    send(create(article(content=content, name="<script>x</script>Title")))
    kept = RemoteArticle.objects.get()
    assert "script" not in kept.content_html and "alert" not in kept.content_html
    assert "onclick" not in kept.content_html and "<img" not in kept.content_html
    assert kept.title == "Title"


def test_a_mastodon_post_counts_as_an_article(send, followed):
    note = {"id": f"{REMOTE}/notes/5", "type": "Note", "attributedTo": ALICE}
    send(create({**note, "content": "<p>Ferry is late again</p>"}))
    assert RemoteArticle.objects.get().content_html == "<p>Ferry is late again</p>"


def test_an_article_from_an_account_we_do_not_follow_is_not_kept(send, alice):
    answer = send(create(article()))
    assert answer.status_code == 202 and answer.json()["result"] == "ignored"
    assert not RemoteArticle.objects.exists()


def test_a_follow_not_yet_accepted_takes_no_articles(send, alice):
    Following.objects.create(actor=alice, follow_id=FOLLOW_ID)
    send(create(article()))
    assert not RemoteArticle.objects.exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"attributedTo": "https://social.example/users/carol"},
        {"id": "https://elsewhere.example/articles/1"},
    ],
)
def test_an_article_someone_else_wrote_is_not_kept(send, followed, forged):
    send(create(article(**forged)))
    assert not RemoteArticle.objects.exists()


def test_an_update_changes_the_article(send, followed):
    send(create(article()))
    send(create(article(name="Tram line opens Tuesday", updated="2026-12-02T09:00:00Z"), "Update"))
    kept = RemoteArticle.objects.get()
    assert kept.title == "Tram line opens Tuesday"
    assert kept.updated_at is not None


def test_a_delete_removes_the_article(send, followed):
    send(create(article()))
    tombstone = {"id": f"{REMOTE}/articles/1", "type": "Tombstone"}
    answer = send({"id": f"{REMOTE}/d/1", "type": "Delete", "actor": ALICE, "object": tombstone})
    assert answer.json()["result"] == "removed"
    assert not RemoteArticle.objects.exists()


def test_no_one_deletes_another_accounts_article(send, followed):
    carol = RemoteActor.objects.create(
        uri=f"{REMOTE}/users/carol", key_id=f"{REMOTE}/users/carol#k", public_pem="-", inbox="-"
    )
    RemoteArticle.objects.create(uri=f"{REMOTE}/articles/7", actor=carol)
    gone = f"{REMOTE}/articles/7"
    send({"id": f"{REMOTE}/d/2", "type": "Delete", "actor": ALICE, "object": gone})
    assert RemoteArticle.objects.count() == 1


def test_a_deleted_account_is_no_longer_followed(send, followed):
    send(create(article()))
    send({"id": f"{REMOTE}/d/3", "type": "Delete", "actor": ALICE, "object": ALICE})
    assert not Following.objects.exists() and not RemoteArticle.objects.exists()
