"""The desk's Following page: Editors follow accounts and answer what they publish;
moderators and readers cannot speak as the publication."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.federation import following
from masthead.federation.models import Following, RemoteActor, RemoteArticle
from masthead.lib import outbound

PAGE = "/desk/fediverse/following/"


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def alice(db):
    return RemoteActor.objects.create(
        uri="https://social.example/users/alice",
        key_id="https://social.example/users/alice#main-key",
        public_pem="-",
        inbox="https://social.example/users/alice/inbox",
        name="Alice Aalto",
        handle="@alice@social.example",
    )


@pytest.fixture
def followed(alice):
    return Following.objects.create(actor=alice, follow_id="https://x.example/f", state="accepted")


@pytest.fixture
def articles(followed):
    now = timezone.now()
    return [
        RemoteArticle.objects.create(
            uri=f"https://social.example/articles/{n}",
            actor=followed.actor,
            url=f"https://social.example/@alice/{n}",
            title=title,
            summary="Line 4 from Monday.",
            published_at=now - dt.timedelta(hours=n),
        )
        for n, title in enumerate(["Tram line opens", "Bridge closed"], start=1)
    ]


@pytest.fixture
def sent(monkeypatch):
    """Activities the desk asked to deliver, instead of delivering them."""
    queued = []
    monkeypatch.setattr(following.outbound, "queue", lambda *args: queued.append(args))
    return queued


def test_it_lists_followings_and_the_timeline_newest_first(desk, articles):
    page = desk.get(PAGE).content.decode()
    assert "@alice@social.example" in page and 'data-state="accepted"' in page
    assert page.index("Tram line opens") < page.index("Bridge closed")
    assert 'href="https://social.example/@alice/1"' in page


def test_the_timeline_costs_the_same_queries_for_more_articles(desk, articles):
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert desk.get(PAGE).status_code == 200
        return len(seen)

    few = queries()
    for n in range(3, 23):
        RemoteArticle.objects.create(uri=f"https://social.example/a/{n}", actor=articles[0].actor)
    assert queries() == few


def test_an_unknown_handle_is_explained_and_kept_in_the_form(desk, monkeypatch):
    from django.core.exceptions import ValidationError

    def unknown(target):
        raise ValidationError("social.example knows no account nobody@social.example.")

    monkeypatch.setattr(following, "follow", unknown)
    page = desk.post(PAGE, {"account": "@nobody@social.example"}).content.decode()
    assert "social.example knows no account nobody@social.example." in page
    assert 'value="@nobody@social.example"' in page
    assert not Following.objects.exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (outbound.Refused("Connection refused."), "down.example could not be reached"),
        (outbound.Response(200, {}, b"<html>"), "down.example did not answer with WebFinger JSON."),
    ],
)
def test_a_server_that_fails_webfinger_is_explained(desk, monkeypatch, answer, message):
    def fake(method, url, **kwargs):
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(outbound, "request", fake)
    page = desk.post(PAGE, {"account": "@ann@down.example"}).content.decode()
    assert message in page
    assert not Following.objects.exists() and not RemoteActor.objects.exists()


def test_following_an_account_says_it_waits(desk, monkeypatch, followed):
    monkeypatch.setattr(following, "follow", lambda target: followed)
    page = desk.post(PAGE, {"account": "@alice@social.example"}, follow=True).content.decode()
    assert "Asked to follow @alice@social.example; waiting for its server." in page


def test_unfollow(desk, followed, articles, sent):
    page = desk.post(f"{PAGE}{followed.pk}/delete/", follow=True).content.decode()
    assert "No longer following @alice@social.example." in page
    assert not RemoteArticle.objects.exists()
    assert sent[0][0]["type"] == "Undo"


def test_like_and_take_it_back(desk, articles, sent):
    url = f"/desk/fediverse/articles/{articles[0].pk}/like/"
    page = desk.post(url, follow=True).content.decode()
    assert "Liked: Tram line opens." in page and 'aria-pressed="true"' in page
    page = desk.post(url, follow=True).content.decode()
    assert "Like taken back: Tram line opens." in page
    assert [args[0]["type"] for args in sent] == ["Like", "Undo"]


def test_a_reply_is_sent_and_shown(desk, articles, sent, editor):
    url = f"/desk/fediverse/articles/{articles[0].pk}/reply/"
    page = desk.post(url, {"text": "Good news."}, follow=True).content.decode()
    assert "Reply sent to @alice@social.example." in page
    assert "You replied:" in page and "Good news." in page
    assert articles[0].replies.get().by == editor
    assert sent[0][0]["object"]["inReplyTo"] == articles[0].uri


def test_an_empty_reply_is_explained(desk, articles, sent):
    url = f"/desk/fediverse/articles/{articles[0].pk}/reply/"
    page = desk.post(url, {"text": " "}, follow=True).content.decode()
    assert "Write the reply first." in page and not sent


def test_moderators_and_readers_cannot_follow(client, moderator, reader, articles):
    for person in (moderator, reader):
        client.force_login(person)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"account": "@x@y.example"}).status_code == 403
        assert client.post(f"/desk/fediverse/articles/{articles[0].pk}/like/").status_code == 403
    assert not RemoteArticle.objects.filter(like_id__gt="").exists()


def test_the_menu_shows_following_to_editors_only(desk, client, moderator):
    assert 'href="/desk/fediverse/following/"' in desk.get("/desk/").content.decode()
    client.force_login(moderator)
    assert 'href="/desk/fediverse/following/"' not in client.get("/desk/").content.decode()
