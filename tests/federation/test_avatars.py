"""Fediverse avatars fetched once, checked and held on the site; hostile pictures refused."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from masthead.discussion.models import Comment, CommentStatus
from masthead.federation import avatars, inbox, remote, services
from masthead.federation.models import RemoteActor, RemoteNote
from tests.conftest import image_bytes
from tests.federation.conftest import REMOTE


def _bomb() -> bytes:
    """A few kilobytes of PNG that would decode to 100 megapixels."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    return buffer.getvalue()


PICTURES = {
    "/alice.png": ("image/png", image_bytes("PNG", size=(300, 200), color=(200, 40, 40))),
    "/alice-new.jpg": ("image/jpeg", image_bytes("JPEG", size=(120, 160), color=(20, 160, 40))),
    "/page.html": ("image/png", b"<!doctype html><title>Not a picture</title>"),
    "/huge.png": ("image/png", b"\x89PNG" + b"\0" * (avatars.MAX_BYTES + 10)),
    "/bomb.png": ("image/png", _bomb()),
}


class _Pictures(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/elsewhere":
            self.send_response(302)
            self.send_header("Location", "/alice.png")
            self.end_headers()
            return
        kind, body = PICTURES.get(self.path, ("text/plain", b"missing"))
        self.send_response(200 if self.path in PICTURES else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pictures():
    """A server on loopback with a real picture and hostile ones; its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    # The picture server is on loopback, which the site refuses unless told otherwise.
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def fetched(monkeypatch, remote_keys, django_capture_on_commit_callbacks):
    """Fetch alice's actor document as her server would send it, icon at ``icon``."""

    def fetch(icon: str) -> RemoteActor:
        doc = {
            "id": f"{REMOTE}/users/alice",
            "type": "Person",
            "preferredUsername": "alice",
            "name": "Alice Aalto",
            "inbox": f"{REMOTE}/users/alice/inbox",
            "publicKey": {"id": f"{REMOTE}/users/alice#main-key", "publicKeyPem": remote_keys[1]},
            "icon": {"type": "Image", "url": icon},
        }
        monkeypatch.setattr(remote, "get_json", lambda url: doc)
        with django_capture_on_commit_callbacks(execute=True):
            remote.fetch_actor(doc["id"])
        return RemoteActor.objects.get(uri=doc["id"])

    return fetch


def held_files() -> list[str]:
    if not default_storage.exists("avatars/remote"):
        return []
    return default_storage.listdir("avatars/remote")[1]


def test_an_actor_s_icon_is_held_on_the_site_as_a_small_square(
    db, pictures, loopback_allowed, fetched
):
    alice = fetched(f"{pictures}/alice.png")

    assert alice.avatar.name.startswith("avatars/remote/")
    assert alice.avatar.url.startswith("/media/avatars/remote/")
    with default_storage.open(alice.avatar.name) as held, Image.open(held) as picture:
        assert (picture.format, picture.size) == ("WEBP", (96, 96))
        assert picture.getpixel((48, 48))[:3] == pytest.approx((200, 40, 40), abs=8)


def test_the_icon_is_not_fetched_again_while_it_is_the_same(
    db, pictures, loopback_allowed, fetched, monkeypatch
):
    first = fetched(f"{pictures}/alice.png").avatar.name
    monkeypatch.setattr(avatars, "download", lambda url: pytest.fail("fetched again"))

    assert fetched(f"{pictures}/alice.png").avatar.name == first


def test_a_changed_icon_replaces_the_held_copy(db, pictures, loopback_allowed, fetched):
    old = fetched(f"{pictures}/alice.png").avatar.name

    new = fetched(f"{pictures}/alice-new.jpg").avatar.name

    assert new != old
    assert held_files() == [new.rsplit("/", 1)[1]]


def test_an_icon_taken_away_takes_the_copy_with_it(db, pictures, loopback_allowed, fetched):
    fetched(f"{pictures}/alice.png")

    assert fetched("").avatar.name == ""
    assert held_files() == []


def test_an_account_deleted_on_its_server_loses_its_copy(
    db, pictures, loopback_allowed, fetched, django_capture_on_commit_callbacks
):
    alice = fetched(f"{pictures}/alice.png")

    with django_capture_on_commit_callbacks(execute=True):
        inbox.on_delete({"type": "Delete", "object": alice.uri}, alice)

    assert RemoteActor.objects.get().avatar.name == ""
    assert held_files() == []


@pytest.mark.parametrize("target", ["social.example", f"{REMOTE}/users/alice"])
def test_a_blocked_account_or_domain_loses_its_copy(
    db, pictures, loopback_allowed, fetched, django_capture_on_commit_callbacks, target
):
    fetched(f"{pictures}/alice.png")

    with django_capture_on_commit_callbacks(execute=True):
        services.add_block(target)

    assert RemoteActor.objects.get().avatar.name == ""
    assert held_files() == []


def test_a_blocked_account_s_icon_is_never_fetched(
    db, pictures, loopback_allowed, alice, monkeypatch
):
    services.add_block("social.example")
    monkeypatch.setattr(avatars, "download", lambda url: pytest.fail("fetched"))

    assert avatars.hold_avatar.call(alice.pk) == "removed"


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/page.html", "not an image"),
        ("/huge.png", f"larger than {avatars.MAX_BYTES} bytes"),
        ("/bomb.png", "too many pixels; the limit is 40 megapixels"),
        ("/elsewhere", "answered 302"),  # redirects are not followed
        ("/missing.png", "answered 404"),
    ],
)
def test_a_bad_picture_leaves_no_file_and_says_why_in_the_log(
    db, pictures, loopback_allowed, fetched, caplog, path, reason
):
    alice = fetched(f"{pictures}{path}")

    assert alice.avatar.name == ""
    assert held_files() == []
    assert alice.uri in caplog.text
    assert reason in caplog.text


def test_a_bad_new_icon_also_removes_the_old_copy(db, pictures, loopback_allowed, fetched):
    fetched(f"{pictures}/alice.png")

    assert fetched(f"{pictures}/page.html").avatar.name == ""
    assert held_files() == []


def test_an_icon_on_the_site_s_own_network_is_refused(db, pictures, fetched, caplog, settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = False

    alice = fetched(f"{pictures}/alice.png")

    assert alice.avatar.name == ""
    assert held_files() == []
    assert "loopback or private address" in caplog.text


def test_the_copy_s_arrival_renews_the_cached_pages_of_their_comments(
    wsgi, alice, pictures, loopback_allowed, make_post, django_capture_on_commit_callbacks
):
    RemoteActor.objects.filter(pk=alice.pk).update(icon_url=f"{pictures}/alice.png")
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        comment = Comment.objects.create(
            post=post,
            provider="fediverse",
            author_name="Alice Aalto (@alice@social.example)",
            body="Lovely.",
            body_html="<p>Lovely.</p>",
            status=CommentStatus.APPROVED,
        )
        RemoteNote.objects.create(uri=f"{REMOTE}/notes/1", comment=comment, actor=alice)
    letter = '<span class="comment-avatar" aria-hidden="true">A</span>'
    assert letter in wsgi(post.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        assert avatars.hold_avatar.call(alice.pk) == "stored"

    held = RemoteActor.objects.get().avatar.url
    assert f'<img class="comment-avatar" src="{held}"' in wsgi(post.get_absolute_url()).text
