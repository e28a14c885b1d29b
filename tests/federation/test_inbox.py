"""The inbox: each activity a remote server may send, and the hostile ones."""

import datetime as dt
import json
from email.utils import formatdate

import pytest

from masthead.discussion.models import Comment, CommentStatus
from masthead.federation.models import Block, Follower, Reaction, RemoteNote

from .conftest import REMOTE, SITE

ALICE = f"{REMOTE}/users/alice"
ACTOR = f"{SITE}/federation/actor"


def url_of(post):
    return SITE + post.get_absolute_url()


def create(note):
    return {"id": note["id"] + "/activity", "type": "Create", "actor": ALICE, "object": note}


def test_a_follow_is_stored_and_accepted(send, alice, deliveries):
    answer = send({"id": f"{REMOTE}/f/1", "type": "Follow", "actor": ALICE, "object": ACTOR})
    assert answer.status_code == 202
    assert Follower.objects.get().actor == alice
    [(_, url, headers, body)] = deliveries
    assert url == alice.inbox
    assert body["type"] == "Accept" and body["object"]["id"] == f"{REMOTE}/f/1"
    assert 'keyId="http://127.0.0.1:8000/federation/actor#main-key"' in headers["Signature"]


def test_undo_follow_forgets_the_follower(send, alice, deliveries):
    follow = {"id": f"{REMOTE}/f/1", "type": "Follow", "actor": ALICE, "object": ACTOR}
    send(follow)
    send({"id": f"{REMOTE}/u/1", "type": "Undo", "actor": ALICE, "object": follow})
    assert not Follower.objects.exists()


def test_likes_and_boosts_are_counted_once_each(send, make_post):
    post = make_post()
    for n, kind in enumerate(["Like", "Like", "Announce"]):
        send({"id": f"{REMOTE}/r/{n}", "type": kind, "actor": ALICE, "object": url_of(post)})
    assert sorted(Reaction.objects.values_list("kind", flat=True)) == ["announce", "like"]


def test_a_reply_to_an_article_becomes_a_held_comment(send, make_post, make_note, hold_all):
    post = make_post()
    note = make_note(f"{REMOTE}/n/1", url_of(post), "<p>Good news for <b>commuters</b>.</p>")
    assert send(create(note)).status_code == 202
    comment = Comment.objects.get()
    assert comment.post == post
    assert comment.status == CommentStatus.PENDING
    assert comment.provider == "fediverse"
    assert comment.author_name == "Alice Aalto (@alice@social.example)"
    assert comment.author_url == f"{REMOTE}/@alice"
    assert "Good news for commuters." in comment.body_html
    assert RemoteNote.objects.get().comment == comment


def test_a_reply_to_a_comment_is_threaded_under_it(send, make_post, make_note):
    from masthead.discussion import services

    post = make_post()
    parent = services.submit_comment(
        services.Submission(target=post, body="The 7:10 is back too.", author_name="Ines")
    )
    services.approve_comment(parent)
    note = make_note(f"{REMOTE}/n/2", f"{url_of(post)}#comment-{parent.pk}", "Agreed.")
    send(create(note))
    assert Comment.objects.get(provider="fediverse").parent == parent


def test_a_reply_to_a_draft_or_unknown_object_stores_nothing(send, make_post, make_note):
    draft = make_post(status="draft", published_at=None)
    send(create(make_note(f"{REMOTE}/n/3", SITE + f"/preview/post/{draft.pk}/", "Hi")))
    send(create(make_note(f"{REMOTE}/n/4", f"{REMOTE}/somewhere/else", "Hi")))
    assert not Comment.objects.exists()


def test_scripts_in_a_note_never_reach_the_page(send, make_post, make_note, hold_all):
    post = make_post()
    html = '<p>Hi<script>alert(1)</script><img src=x onerror="alert(2)"></p>'
    send(create(make_note(f"{REMOTE}/n/5", url_of(post), html)))
    comment = Comment.objects.get()
    assert "<script" not in comment.body_html
    assert "onerror" not in comment.body_html
    assert "alert" not in comment.body_html


def test_update_edits_and_delete_withdraws_the_comment(send, make_post, make_note):
    post = make_post()
    note = make_note(f"{REMOTE}/n/6", url_of(post), "First words.")
    send(create(note))
    send(
        {
            "id": f"{REMOTE}/n/6#u",
            "type": "Update",
            "actor": ALICE,
            "object": {**note, "content": "<p>Better words.</p>"},
        }
    )
    assert "Better words." in Comment.objects.get().body_html
    send({"id": f"{REMOTE}/n/6#d", "type": "Delete", "actor": ALICE, "object": note["id"]})
    assert Comment.objects.get().deleted_at is not None


def test_delete_of_the_actor_anonymises_their_comments(send, make_post, make_note):
    post = make_post()
    send(create(make_note(f"{REMOTE}/n/7", url_of(post), "Something.")))
    send({"id": f"{ALICE}#delete", "type": "Delete", "actor": ALICE, "object": ALICE})
    comment = Comment.objects.get()
    assert "alice" not in comment.author_name.lower()
    assert comment.author_url == ""


def test_another_actors_note_cannot_be_passed_off(send, make_post, make_note):
    post = make_post()
    forged = make_note(f"{REMOTE}/n/8", url_of(post), "Hi", actor=f"{REMOTE}/users/bob")
    send(create(forged))
    assert not Comment.objects.exists()


def test_an_unsigned_activity_is_refused(client, alice, make_post):
    answer = client.post("/federation/inbox", data=b"{}", content_type="application/activity+json")
    assert answer.status_code == 401
    assert "not signed" in answer.json()["error"]


def test_a_wrong_signature_is_refused_and_nothing_stored(
    send, other_keys, make_post, make_note, monkeypatch
):
    from masthead.federation import remote

    # Refetching the key (for a rotation) finds the same one: still no match.
    monkeypatch.setattr(remote, "fetch_actor", lambda uri: remote.RemoteActor.objects.get())
    post = make_post()
    answer = send(create(make_note(f"{REMOTE}/n/9", url_of(post), "Hi")), key=other_keys[0])
    assert answer.status_code == 401
    assert not Comment.objects.exists()


def test_a_rotated_key_is_fetched_again(send, alice, other_keys, make_post, monkeypatch):
    from masthead.federation import remote

    def refetch(uri):
        alice.public_pem = other_keys[1]
        alice.save()
        return alice

    monkeypatch.setattr(remote, "fetch_actor", refetch)
    post = make_post()
    like = {"id": f"{REMOTE}/r/9", "type": "Like", "actor": ALICE, "object": url_of(post)}
    assert send(like, key=other_keys[0]).status_code == 202
    assert Reaction.objects.count() == 1


def test_a_body_changed_after_signing_is_refused(send, make_post):
    post = make_post()
    like = {"id": f"{REMOTE}/r/1", "type": "Like", "actor": ALICE, "object": url_of(post)}
    signed_for = json.dumps(like).encode()
    from masthead.federation import signatures

    answer = send(like, headers={"Digest": signatures.digest(signed_for + b" ")})
    assert answer.status_code == 401
    assert not Reaction.objects.exists()


def test_an_old_date_is_refused_as_a_replay(send, make_post):
    post = make_post()
    old = formatdate((dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).timestamp(), usegmt=True)
    like = {"id": f"{REMOTE}/r/2", "type": "Like", "actor": ALICE, "object": url_of(post)}
    answer = send(like, headers={"Date": old})
    assert answer.status_code == 401
    assert not Reaction.objects.exists()


def test_the_same_signed_request_twice_is_refused(client, send, make_post, alice, remote_keys):
    from masthead.federation import signatures

    post = make_post()
    body = json.dumps(
        {"id": f"{REMOTE}/r/3", "type": "Like", "actor": ALICE, "object": url_of(post)}
    ).encode()
    signed = signatures.sign_headers(
        "POST",
        f"{SITE}/federation/inbox",
        key_id=alice.key_id,
        private_pem=remote_keys[0],
        body=body,
    )
    headers = {k.lower(): v for k, v in signed.items()}
    first = client.post("/federation/inbox", body, "application/activity+json", headers=headers)
    again = client.post("/federation/inbox", body, "application/activity+json", headers=headers)
    assert (first.status_code, again.status_code) == (202, 401)


def test_a_huge_body_is_refused_unread(send):
    answer = send({}, body=b"{" + b" " * (300 * 1024) + b"}")
    assert answer.status_code == 413


@pytest.mark.parametrize(
    "block", [{"domain": "social.example"}, {"domain": "example"}, {"actor_uri": ALICE}]
)
def test_blocked_domains_and_actors_are_refused(send, make_post, make_note, block):
    Block.objects.create(**block)
    post = make_post()
    answer = send(create(make_note(f"{REMOTE}/n/10", url_of(post), "Hi")))
    assert answer.status_code == 403
    assert not Comment.objects.exists()


def test_a_flood_from_one_host_is_slowed(send, make_post, monkeypatch):
    from masthead.federation import views

    monkeypatch.setattr(views, "PER_HOST_PER_MINUTE", 2)
    post = make_post()
    codes = [
        send(
            {"id": f"{REMOTE}/r/f{n}", "type": "Like", "actor": ALICE, "object": url_of(post)}
        ).status_code
        for n in range(3)
    ]
    assert codes == [202, 202, 429]


def test_forged_requests_naming_a_server_do_not_use_up_its_share(
    send, make_post, monkeypatch, other_keys
):
    from masthead.federation import views

    monkeypatch.setattr(views, "PER_HOST_PER_MINUTE", 2)
    post = make_post()
    like = {"type": "Like", "actor": ALICE, "object": url_of(post)}
    forged = [
        send({**like, "id": f"{REMOTE}/r/x{n}"}, key=other_keys[0]).status_code for n in range(3)
    ]
    assert forged == [401, 401, 401]
    assert send({**like, "id": f"{REMOTE}/r/real"}).status_code == 202


def test_a_flood_from_one_address_is_slowed_before_any_signature_is_checked(
    send, make_post, monkeypatch, other_keys
):
    from masthead.federation import views

    monkeypatch.setattr(views, "PER_ADDRESS_PER_MINUTE", 2)
    post = make_post()
    like = {"type": "Like", "actor": ALICE, "object": url_of(post)}
    codes = [
        send({**like, "id": f"{REMOTE}/r/y{n}"}, key=other_keys[0]).status_code for n in range(3)
    ]
    assert codes == [401, 401, 429]


def test_the_article_page_shows_the_fediverse_reactions(client, send, make_post):
    post = make_post()
    assert "On the Fediverse" not in client.get(post.get_absolute_url()).content.decode()
    send({"id": f"{REMOTE}/r/p1", "type": "Like", "actor": ALICE, "object": url_of(post)})
    send({"id": f"{REMOTE}/r/p2", "type": "Announce", "actor": ALICE, "object": url_of(post)})
    page = client.get(post.get_absolute_url()).content.decode()
    assert "On the Fediverse: 1 like, 1 boost." in page


def test_undo_takes_a_like_back(send, make_post):
    post = make_post()
    like = {"id": f"{REMOTE}/r/u1", "type": "Like", "actor": ALICE, "object": url_of(post)}
    send(like)
    send({"id": f"{REMOTE}/r/u1/undo", "type": "Undo", "actor": ALICE, "object": like})
    assert not Reaction.objects.exists()


def test_a_reply_to_a_held_comment_stores_nothing(send, make_post, make_note, hold_all):
    from masthead.discussion import services

    post = make_post()
    held = services.submit_comment(
        services.Submission(target=post, body="Not approved yet.", author_name="Ines")
    )
    send(create(make_note(f"{REMOTE}/n/h1", f"{url_of(post)}#comment-{held.pk}", "Hi")))
    assert Comment.objects.count() == 1
