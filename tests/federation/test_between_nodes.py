"""A Masthead node and an ActivityPub actor on another loopback port, both whole
processes apart: follow, publish, reply, moderation, likes, corrections, in Chromium."""

import json

import pytest

from .conftest import APPROVE, PUBLISH
from .peer import Peer

pytestmark = pytest.mark.browser


def test_follow_publish_reply_and_moderate_across_two_servers(node, page):
    a = node
    with Peer() as bob:
        webfinger = json.loads(
            a.request("GET", f"/.well-known/webfinger?resource=acct:news@127.0.0.1:{a.port}")[2]
        )
        actor_url = webfinger["links"][0]["href"]
        actor = json.loads(
            a.request(
                "GET",
                actor_url.removeprefix(a.origin),
                headers={"Accept": "application/activity+json"},
            )[2]
        )
        inbox = actor["inbox"]

        follow = {
            "id": f"{bob.uri}/follows/1",
            "type": "Follow",
            "actor": bob.uri,
            "object": actor_url,
        }
        assert bob.send(inbox, follow) == 202
        accept, signed = bob.wait_for("Accept")
        assert signed, "the Accept was not signed with the publication's key"
        assert accept["object"]["id"] == follow["id"]

        pk, path = a.manage("shell", "-v0", "-c", PUBLISH).split()
        create, signed = bob.wait_for("Create")
        assert signed
        article = create["object"]
        assert article["type"] == "Article"
        assert article["name"] == "Night ferry returns"
        assert article["url"] == a.origin + path

        reply = {
            "id": f"{bob.uri}/notes/1",
            "type": "Note",
            "attributedTo": bob.uri,
            "inReplyTo": article["id"],
            "content": "<p>Finally! <script>alert(1)</script>See you on the 23:40.</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        }
        created = {
            "id": f"{reply['id']}/activity",
            "type": "Create",
            "actor": bob.uri,
            "object": reply,
        }
        assert bob.send(inbox, created) == 202
        # Forged: signed by Bob's server, but not with Bob's key.
        mallory = Peer("bob")
        mallory.uri, mallory.origin = bob.uri, bob.origin
        forged = {
            **created,
            "id": f"{bob.uri}/notes/2/activity",
            "object": {**reply, "id": f"{bob.uri}/notes/2", "content": "Forged"},
        }
        assert mallory.send(inbox, forged) == 401

        page.goto(a.origin + path)
        assert "See you on the 23:40." not in page.content()  # held for a moderator

        a.manage("shell", "-v0", "-c", APPROVE)
        assert (
            bob.send(
                inbox,
                {
                    "id": f"{bob.uri}/likes/1",
                    "type": "Like",
                    "actor": bob.uri,
                    "object": article["id"],
                },
            )
            == 202
        )
        page.goto(a.origin + path)
        comment = page.locator(".comment", has_text="See you on the 23:40.")
        assert comment.count() == 1
        assert "Bob Brander (@bob@127.0.0.1:" in comment.inner_text()
        assert comment.locator('[data-provider="fediverse"]').count() == 1
        assert "alert" not in comment.inner_html()
        assert "Forged" not in page.content()
        assert "1 like" in page.locator(".fediverse-reactions").inner_text()

        update = {
            "id": f"{reply['id']}#edit",
            "type": "Update",
            "actor": bob.uri,
            "object": {**reply, "content": "<p>See you on the 23:50.</p>"},
        }
        assert bob.send(inbox, update) == 202
        # Under this site's rules every text waits for a moderator, edited ones too.
        page.goto(a.origin + path)
        assert "23:40" not in page.content() and "23:50" not in page.content()
        a.manage("shell", "-v0", "-c", APPROVE)
        page.goto(a.origin + path)
        assert "See you on the 23:50." in page.content()

        delete = {
            "id": f"{reply['id']}#delete",
            "type": "Delete",
            "actor": bob.uri,
            "object": reply["id"],
        }
        assert bob.send(inbox, delete) == 202
        page.goto(a.origin + path)
        assert "See you on the 23:50." not in page.content()

        a.manage(
            "shell",
            "-v0",
            "-c",
            f"from masthead.publishing.models import Post; p = Post.objects.get(pk={pk}); "
            "p.status = 'draft'; p.save()",
        )
        gone, signed = bob.wait_for("Delete")
        assert signed and gone["object"] == {"id": article["id"], "type": "Tombstone"}
