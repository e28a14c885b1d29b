"""A remote Fediverse actor the tests speak as: its key pair, its stored document, and
signed POSTs to the site's inbox."""

import json
import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from masthead.federation import signatures
from masthead.federation.models import RemoteActor
from tests.servers import Node

SITE = "http://127.0.0.1:8000"
INBOX = f"{SITE}/federation/inbox"
REMOTE = "https://social.example"


def _keypair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture(scope="session")
def remote_keys():
    return _keypair()


@pytest.fixture(scope="session")
def other_keys():
    return _keypair()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def alice(db, remote_keys):
    """@alice@social.example, as her server's actor document said when last fetched."""
    return RemoteActor.objects.create(
        uri=f"{REMOTE}/users/alice",
        key_id=f"{REMOTE}/users/alice#main-key",
        public_pem=remote_keys[1],
        inbox=f"{REMOTE}/users/alice/inbox",
        shared_inbox=f"{REMOTE}/inbox",
        name="Alice Aalto",
        handle="@alice@social.example",
        icon_url=f"{REMOTE}/avatars/alice.png",
        profile_url=f"{REMOTE}/@alice",
    )


@pytest.fixture
def deliveries(monkeypatch):
    """What the site sent out, instead of sending it: (method, url, headers, body)."""
    from masthead.lib import outbound

    sent = []

    def fake(method, url, *, body=None, headers=None, **kwargs):
        sent.append((method, url, headers or {}, json.loads(body) if body else None))
        return outbound.Response(202, {}, b"")

    monkeypatch.setattr(outbound, "request", fake)
    return sent


@pytest.fixture
def send(client, alice, remote_keys, django_capture_on_commit_callbacks):
    """POST an activity to the inbox signed with Alice's key (or ``key``), as her server
    would; what the request queues for after its commit runs."""

    def post(activity: dict, *, key=None, body: bytes | None = None, headers=None):
        body = json.dumps(activity).encode() if body is None else body
        signed = signatures.sign_headers(
            "POST", INBOX, key_id=alice.key_id, private_pem=key or remote_keys[0], body=body
        )
        signed.update(headers or {})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/federation/inbox",
                data=body,
                content_type="application/activity+json",
                headers={k.lower(): v for k, v in signed.items()},
            )

    return post


def note(uri: str, in_reply_to: str, content: str, actor: str = f"{REMOTE}/users/alice") -> dict:
    return {
        "id": uri,
        "type": "Note",
        "attributedTo": actor,
        "inReplyTo": in_reply_to,
        "content": content,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }


@pytest.fixture
def make_note():
    return note


SETUP = """
import datetime as dt
from django.utils import timezone
from masthead.discussion.models import DiscussionSettings
from masthead.publishing import services
from masthead.publishing.models import Author
config = DiscussionSettings.current(); config.policy = "hold_all"; config.save()
Author.objects.create(display_name="Mara Lindqvist", slug="mara")
"""
PUBLISH = """
import datetime as dt
from django.utils import timezone
from masthead.publishing import services
from masthead.publishing.models import Author
post = services.save_post(title="Night ferry returns", excerpt="From May, twice nightly.",
    body="The night ferry **returns**.", authors=[Author.objects.get()], status="published",
    published_at=timezone.now() - dt.timedelta(minutes=1))
print(post.pk, post.get_absolute_url())
"""
APPROVE = """
from masthead.discussion import services
from masthead.discussion.models import Comment
services.approve_comment(Comment.objects.get(remote_note__uri__contains="/users/bob/"))
"""


@pytest.fixture(scope="session")
def node(tmp_path_factory):
    """One whole Masthead server on loopback, allowed to reach loopback peers; every
    comment waits for a moderator."""
    a = Node(
        tmp_path_factory.mktemp("fed") / "a",
        MASTHEAD_OUTBOUND_ALLOW_PRIVATE="true",
        MASTHEAD_SECRET_KEY=secrets.token_urlsafe(50),
    )
    a.manage("migrate", "-v0")
    a.manage("shell", "-v0", "-c", SETUP)
    a.start("--workers", "2")
    yield a
    a.stop()


STAFF = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
user = get_user_model().objects.create_user("{name}", "{name}@example.org", "correct horse battery",
    is_staff=True)
user.groups.add(Group.objects.get(name="{group}"))
client = Client()
client.force_login(user)
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def _fediverse_node(data, name: str) -> Node:
    return Node(
        data,
        MASTHEAD_OUTBOUND_ALLOW_PRIVATE="true",
        MASTHEAD_SECRET_KEY=secrets.token_urlsafe(50),
        MASTHEAD_SITE_NAME=name,
    )


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory):
    """Two whole Masthead servers on loopback ports of their own, each with its own data:
    A (every comment waits for a moderator) and B, which follows it."""
    data = tmp_path_factory.mktemp("two")
    a = _fediverse_node(data / "a", "Harbour Times")
    b = _fediverse_node(data / "b", "Island Post")
    for each in (a, b):
        each.manage("migrate", "-v0")
    a.manage("shell", "-v0", "-c", SETUP)
    try:
        yield a.start("--workers", "2"), b.start("--workers", "2")
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def signed_in(chromium):
    """A browser of its own (cookies do not tell ports apart) signed in to ``node`` as a
    new staff member of ``group``."""
    contexts = []

    def open_desk(node: Node, name: str, group: str):
        session = node.manage("shell", "-v0", "-c", STAFF.format(name=name, group=group)).strip()
        context = chromium.new_context()
        context.add_cookies([{"name": "sessionid", "value": session, "url": node.origin}])
        contexts.append(context)
        return context.new_page()

    yield open_desk
    for context in contexts:
        context.close()
