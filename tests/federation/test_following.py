"""Following from the publication's side: finding an account by handle or address,
the Follow and its Undo, likes and replies, and every way finding one can fail."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from masthead.federation import following
from masthead.federation.models import (
    Block,
    Following,
    FollowingState,
    RemoteActor,
    RemoteArticle,
)
from masthead.lib import outbound

from .conftest import REMOTE, SITE

ALICE = f"{REMOTE}/users/alice"
WEBFINGER = f"{REMOTE}/.well-known/webfinger?resource=acct:alice@social.example"


def actor_document(public_pem):
    return {
        "id": ALICE,
        "type": "Person",
        "preferredUsername": "alice",
        "name": "Alice Aalto",
        "inbox": f"{ALICE}/inbox",
        "url": f"{REMOTE}/@alice",
        "publicKey": {"id": f"{ALICE}#main-key", "owner": ALICE, "publicKeyPem": public_pem},
    }


@pytest.fixture
def web(monkeypatch, remote_keys, db, django_capture_on_commit_callbacks):
    """A stand-in for the network: GETs answered from ``pages`` (a body, a status and
    body, or an exception), POSTs kept in ``sent``."""

    class Web:
        pages = {
            WEBFINGER: json.dumps(
                {
                    "subject": "acct:alice@social.example",
                    "links": [{"rel": "self", "type": "application/activity+json", "href": ALICE}],
                }
            ),
            ALICE: json.dumps(actor_document(remote_keys[1])),
        }
        sent = []
        asked = []

    def fake(method, url, *, body=None, headers=None, **kwargs):
        if method == "POST":
            Web.sent.append((url, headers, json.loads(body)))
            return outbound.Response(202, {}, b"")
        Web.asked.append(url)
        page = Web.pages.get(url, (404, "{}"))
        if isinstance(page, Exception):
            raise page
        status, text = page if isinstance(page, tuple) else (200, page)
        return outbound.Response(status, {}, text.encode())

    monkeypatch.setattr(outbound, "request", fake)
    return Web


def run(django_capture_on_commit_callbacks, call, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return call(*args, **kwargs)


def test_a_handle_is_followed_through_webfinger(web, django_capture_on_commit_callbacks):
    found = run(django_capture_on_commit_callbacks, following.follow, "@alice@social.example")
    assert found.state == FollowingState.PENDING
    assert found.actor.handle == "@alice@social.example"
    [(url, headers, follow)] = web.sent
    assert url == f"{ALICE}/inbox"
    assert follow["type"] == "Follow" and follow["object"] == ALICE
    assert follow["actor"] == f"{SITE}/federation/actor"
    assert follow["id"] == found.follow_id
    assert 'keyId="http://127.0.0.1:8000/federation/actor#main-key"' in headers["Signature"]


def test_an_address_is_followed_without_webfinger(web, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, following.follow, ALICE)
    assert WEBFINGER not in web.asked
    assert Following.objects.get().actor.uri == ALICE


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ((404, "{}"), "social.example knows no account alice@social.example."),
        (outbound.Refused("connection refused"), "social.example could not be reached"),
        ("<html>not json</html>", "social.example did not answer with WebFinger JSON."),
        ('{"links": []}', "social.example gave no ActivityPub address"),
        ((500, "oops"), "social.example answered 500"),
    ],
)
def test_webfinger_failures_are_explained_and_nothing_is_kept(web, page, message):
    web.pages[WEBFINGER] = page
    with pytest.raises(ValidationError, match=re.escape(message)):
        following.follow("@alice@social.example")
    assert not Following.objects.exists() and not RemoteActor.objects.exists()
    assert not web.sent


def test_an_actor_that_cannot_be_read_is_explained(web):
    web.pages[ALICE] = (410, "{}")
    with pytest.raises(ValidationError, match=r"That account could not be read: .* answered 410"):
        following.follow("@alice@social.example")
    assert not Following.objects.exists()


@pytest.mark.parametrize("typed", ["", "alice", "not a handle", "@alice@"])
def test_something_not_an_account_is_explained(web, typed):
    with pytest.raises(ValidationError, match=re.escape(following.ASK_FOR)):
        following.follow(typed)
    assert not web.asked


def test_a_blocked_domain_is_not_even_asked(web):
    Block.objects.create(domain="social.example")
    with pytest.raises(ValidationError, match=re.escape("social.example is blocked on this site.")):
        following.follow("@alice@social.example")
    assert not web.asked and not Following.objects.exists()


def test_following_twice_is_explained(web, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, following.follow, "@alice@social.example")
    with pytest.raises(ValidationError, match=re.escape("already follows @alice@social.example")):
        following.follow("@alice@social.example")
    assert len(web.sent) == 1


def test_a_refused_follow_may_be_asked_again(web, django_capture_on_commit_callbacks):
    first = run(django_capture_on_commit_callbacks, following.follow, "@alice@social.example")
    Following.objects.filter(pk=first.pk).update(state=FollowingState.REJECTED)
    again = run(django_capture_on_commit_callbacks, following.follow, "@alice@social.example")
    assert again.state == FollowingState.PENDING and again.follow_id != first.follow_id


def test_the_publication_cannot_follow_itself(web, remote_keys):
    me = f"{SITE}/federation/actor"
    document = actor_document(remote_keys[1])
    key = {**document["publicKey"], "id": f"{me}#main-key", "owner": me}
    web.pages[me] = json.dumps({**document, "id": me, "publicKey": key})
    with pytest.raises(ValidationError, match=re.escape("That is this publication itself.")):
        following.follow(me)
    assert not Following.objects.exists() and not web.sent


@pytest.fixture
def followed(alice):
    return Following.objects.create(
        actor=alice, follow_id=f"{SITE}/federation/actor#follows/1", state="accepted"
    )


@pytest.fixture
def tram(followed):
    return RemoteArticle.objects.create(
        uri=f"{REMOTE}/articles/1", actor=followed.actor, title="Tram line opens"
    )


def test_unfollowing_sends_undo_and_forgets_the_articles(
    web, followed, tram, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks, following.unfollow, followed)
    [(url, _, undo)] = web.sent
    assert url == followed.actor.inbox
    assert undo["type"] == "Undo"
    assert undo["object"]["type"] == "Follow" and undo["object"]["id"] == followed.follow_id
    assert not Following.objects.exists() and not RemoteArticle.objects.exists()


def test_a_like_and_its_undo(web, tram, django_capture_on_commit_callbacks):
    assert run(django_capture_on_commit_callbacks, following.toggle_like, tram) is True
    assert run(django_capture_on_commit_callbacks, following.toggle_like, tram) is False
    [(_, _, like), (_, _, undo)] = web.sent
    assert like["type"] == "Like" and like["object"] == tram.uri
    assert undo["type"] == "Undo" and undo["object"]["id"] == like["id"]
    tram.refresh_from_db()
    assert tram.like_id == ""


def test_a_reply_is_a_public_note_mentioning_the_author(
    web, tram, client, django_capture_on_commit_callbacks
):
    note = run(django_capture_on_commit_callbacks, following.reply, tram, "Good news, *thank you*.")
    [(url, _, create)] = web.sent
    assert url == tram.actor.inbox
    sent = create["object"]
    assert create["type"] == "Create" and create["actor"] == f"{SITE}/federation/actor"
    assert sent["inReplyTo"] == tram.uri
    assert sent["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert sent["cc"] == [tram.actor.uri]
    assert sent["tag"] == [
        {"type": "Mention", "href": tram.actor.uri, "name": "@alice@social.example"}
    ]
    assert sent["content"].startswith(
        '<p><a href="https://social.example/@alice" rel="nofollow ugc noopener">'
        "@alice@social.example</a> Good news, <em>thank you</em>."
    )
    fetched = client.get(f"/federation/notes/{note.pk}", HTTP_ACCEPT="application/activity+json")
    assert fetched["Content-Type"] == "application/activity+json"
    assert fetched.json()["id"] == sent["id"] == f"{SITE}/federation/notes/{note.pk}"


def test_an_empty_reply_is_explained(web, tram):
    with pytest.raises(ValidationError, match=re.escape("Write the reply first.")):
        following.reply(tram, "   ")
    assert not web.sent


def test_a_reply_is_changed_and_taken_back_on_the_authors_server(
    web, tram, client, django_capture_on_commit_callbacks
):
    note = run(django_capture_on_commit_callbacks, following.reply, tram, "See you at 7.")
    run(django_capture_on_commit_callbacks, following.edit_reply, note, "See you at *8*.")
    [_, (url, _, update)] = web.sent
    assert url == tram.actor.inbox
    assert update["type"] == "Update" and update["object"]["id"] == following_id(note)
    assert "See you at <em>8</em>." in update["object"]["content"]
    assert "@alice@social.example" in update["object"]["content"]
    assert update["object"]["updated"] >= update["object"]["published"]
    assert "8" in client.get(f"/federation/notes/{note.pk}").json()["content"]

    gone, pk = following_id(note), note.pk
    run(django_capture_on_commit_callbacks, following.delete_reply, note)
    [_, _, (url, _, delete)] = web.sent
    assert url == tram.actor.inbox
    assert delete["type"] == "Delete" and delete["object"] == {"id": gone, "type": "Tombstone"}
    assert client.get(f"/federation/notes/{pk}").status_code == 404


def test_a_changed_reply_must_still_say_something(web, tram, django_capture_on_commit_callbacks):
    note = run(django_capture_on_commit_callbacks, following.reply, tram, "See you at 7.")
    with pytest.raises(ValidationError, match=re.escape("Write the reply first.")):
        following.edit_reply(note, " ")
    note.refresh_from_db()
    assert note.body == "See you at 7." and len(web.sent) == 1


def following_id(note) -> str:
    return f"{SITE}/federation/notes/{note.pk}"
