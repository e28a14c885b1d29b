"""The desk's Fediverse page: moderators block domains and accounts, no one else can."""

import pytest

from masthead.federation.models import Block, Follower, RemoteActor

PAGE = "/desk/fediverse/"


@pytest.fixture
def follower(db):
    actor = RemoteActor.objects.create(
        uri="https://spam.example/users/x",
        key_id="https://spam.example/users/x#k",
        public_pem="-",
        inbox="https://spam.example/users/x/inbox",
    )
    return Follower.objects.create(actor=actor)


def test_it_shows_the_handle_and_followers(desk, follower):
    page = desk.get(PAGE).content.decode()
    assert "@news@" in page
    assert "1 follower," in page
    assert "The publication follows 0 accounts." in page


def test_a_moderator_blocks_a_domain_and_its_follows_end(desk, follower):
    answer = desk.post(PAGE, {"target": "Spam.Example", "reason": "floods"}, follow=True)
    assert "Blocked spam.example." in answer.content.decode()
    assert Block.objects.get().domain == "spam.example"
    assert not Follower.objects.exists()


def test_an_account_is_blocked_by_its_address(desk):
    desk.post(PAGE, {"target": "https://mastodon.example/users/troll"})
    assert Block.objects.get().actor_uri == "https://mastodon.example/users/troll"


def test_a_bad_target_is_explained_and_kept_in_the_form(desk):
    page = desk.post(PAGE, {"target": "not a domain"}).content.decode()
    assert "Give a domain such as spam.example" in page
    assert 'value="not a domain"' in page
    assert not Block.objects.exists()


def test_a_moderator_removes_a_block(desk):
    block = Block.objects.create(domain="ok.example")
    desk.post(f"/desk/fediverse/blocks/{block.pk}/delete/")
    assert not Block.objects.exists()


def test_readers_cannot_see_or_change_blocks(client, reader):
    client.force_login(reader)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"target": "ok.example"}).status_code == 403
    assert not Block.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(PAGE).status_code == 302


def test_blocking_a_domain_also_ends_the_publications_follow_of_it(desk, monkeypatch):
    from masthead.federation import following
    from masthead.federation.models import Following

    sent = []
    monkeypatch.setattr(following.outbound, "queue", lambda *args: sent.append(args))
    actor = RemoteActor.objects.create(
        uri="https://spam.example/users/y",
        key_id="https://spam.example/users/y#k",
        public_pem="-",
        inbox="https://spam.example/users/y/inbox",
    )
    Following.objects.create(actor=actor, follow_id="https://x.example/f/1", state="accepted")
    desk.post(PAGE, {"target": "spam.example"})
    assert not Following.objects.exists()
    assert sent[0][0]["type"] == "Undo"
