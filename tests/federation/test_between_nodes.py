"""Servers on loopback ports of their own, whole processes apart, in Chromium: two
Masthead nodes, one following the other from its desk (follow, publish, reply,
moderation, like, the reply changed and taken back, edit, unpublish, unfollow);
and a Masthead node with an ActivityPub actor of the tests' own, which also sends
what a Masthead node never would (a script in a reply, a forged signature, edits
and deletes of its note)."""

import json
import time

import pytest
from playwright.sync_api import expect

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


def followers_of(node) -> int:
    headers = {"Accept": "application/activity+json"}
    return json.loads(node.request("GET", "/federation/followers", headers=headers)[2])[
        "totalItems"
    ]


def until(page, check, seconds: float = 60) -> None:
    """Reload ``page`` until ``check()`` holds: what another server sends comes through
    its background worker, in its own time."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{page.url} never showed it"
        time.sleep(0.5)
        page.reload()


def test_one_masthead_follows_another_and_answers_its_article(
    two_nodes, signed_in, chromium, tmp_path
):
    a, b = two_nodes
    handle_a = f"@news@127.0.0.1:{a.port}"
    handle_b = f"@news@127.0.0.1:{b.port}"
    desk_b = signed_in(b, "eddie", "Editor")
    desk_a = signed_in(a, "molly", "Moderator")

    # B's editor follows A by its handle: WebFinger, the actor, a signed Follow; A's
    # signed Accept comes back.
    timeline = f"{b.origin}/desk/fediverse/following/"
    desk_b.goto(timeline)
    desk_b.get_by_label("Handle or address").fill(handle_a)
    desk_b.get_by_role("button", name="Follow", exact=True).click()
    expect(desk_b.locator("#desk-status")).to_contain_text(f"Asked to follow {handle_a}")
    state = desk_b.locator(f'[data-following="{handle_a}"] .desk-following-state')
    until(desk_b, lambda: state.inner_text() == "Accepted")
    assert followers_of(a) == 1
    desk_a.goto(f"{a.origin}/desk/fediverse/")
    expect(desk_a.locator("main")).to_contain_text("1 follower,")

    # A publishes; the article reaches B's desk.
    pk, path = a.manage("shell", "-v0", "-c", PUBLISH).split()
    article = desk_b.locator(".desk-remote", has_text="Night ferry returns")
    until(desk_b, lambda: article.count() == 1)
    expect(article.get_by_role("link", name="Night ferry returns")).to_have_attribute(
        "href", a.origin + path
    )
    expect(article).to_contain_text("From May, twice nightly.")

    # B replies and likes it, from the desk.
    article.get_by_label(f"Reply as the publication to {handle_a}").fill(
        "See you on the 23:40 crossing."
    )
    article.get_by_role("button", name="Send reply").click()
    expect(desk_b.locator("#desk-status")).to_contain_text(f"Reply sent to {handle_a}.")
    article.get_by_role("button", name="Like").click()
    expect(article.get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
    desk_b.screenshot(path=tmp_path / "b-following.png", full_page=True)

    # On A the reply waits for a moderator, who approves it.
    reader = chromium.new_context().new_page()
    queue = f"{a.origin}/desk/moderation/"
    desk_a.goto(queue)
    row = desk_a.locator(".desk-row", has_text="See you on the 23:40 crossing.")
    until(desk_a, lambda: row.count() == 1)
    reader.goto(a.origin + path)
    assert "23:40" not in reader.content()
    expect(row).to_contain_text(f"Island Post ({handle_b})")
    desk_a.screenshot(path=tmp_path / "a-moderation.png", full_page=True)
    row.get_by_role("button", name="Approve").click()
    expect(desk_a.locator("#desk-status")).to_contain_text("pprove")

    comment = reader.locator(".comment", has_text="See you on the 23:40 crossing.")
    until(reader, lambda: comment.count() == 1)
    expect(comment).to_contain_text(f"Island Post ({handle_b})")
    expect(comment).to_contain_text(f"{handle_a} See you on the 23:40 crossing.")
    expect(comment.locator('[data-provider="fediverse"]')).to_have_count(1)
    likes = reader.locator(".fediverse-reactions")
    until(reader, lambda: likes.count() == 1 and "1 like" in likes.inner_text())
    reader.screenshot(path=tmp_path / "a-article.png", full_page=True)

    # B changes its reply (A's rules hold it for a moderator again), then takes it back.
    desk_b.goto(timeline)
    article.get_by_text("Change or take back this reply").click()
    article.get_by_label(f"New text of your reply to {handle_a}").fill(
        "See you on the 23:55 crossing."
    )
    article.get_by_role("button", name="Send the change").click()
    expect(desk_b.locator("#desk-status")).to_contain_text(f"Changed reply sent to {handle_a}")
    desk_a.goto(queue)
    changed = desk_a.locator(".desk-row", has_text="See you on the 23:55 crossing.")
    until(desk_a, lambda: changed.count() == 1)
    changed.get_by_role("button", name="Approve").click()
    expect(desk_a.locator("#desk-status")).to_contain_text("pprove")
    until(reader, lambda: reader.locator(".comment", has_text="23:55 crossing").count() == 1)
    assert "23:40 crossing" not in reader.content()

    desk_b.goto(timeline)
    article.get_by_text("Change or take back this reply").click()
    article.get_by_role("button", name="Take back this reply").click()
    expect(desk_b.locator("#desk-status")).to_contain_text("Reply taken back")
    until(reader, lambda: reader.locator(".comment", has_text="23:55 crossing").count() == 0)

    # A corrects the headline, then takes the article down: B's desk follows.
    a.manage(
        "shell",
        "-v0",
        "-c",
        "from masthead.publishing import services; from masthead.publishing.models import Post; "
        f"services.save_post(Post.objects.get(pk={pk}), title='Night ferry returns in May')",
    )
    renamed = desk_b.locator(".desk-remote-title", has_text="Night ferry returns in May")
    until(desk_b, lambda: renamed.count() == 1)
    a.manage(
        "shell",
        "-v0",
        "-c",
        f"from masthead.publishing.models import Post; p = Post.objects.get(pk={pk}); "
        "p.status = 'draft'; p.save()",
    )
    until(desk_b, lambda: desk_b.locator(".desk-remote").count() == 0)

    # B unfollows; A has no follower left.
    desk_b.get_by_role("button", name=f"Unfollow {handle_a}").click()
    expect(desk_b.locator("#desk-status")).to_contain_text(f"No longer following {handle_a}.")
    deadline = time.monotonic() + 60
    while followers_of(a) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert followers_of(a) == 0
