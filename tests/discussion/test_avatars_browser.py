"""Avatars in a thread, in Chromium at phone width: loaded from the site, the same size
as the letters beside them, and nothing asked of any other host."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from masthead.discussion.models import Comment, CommentStatus
from masthead.federation.models import RemoteActor, RemoteNote
from masthead.identity.models import Profile
from masthead.publishing import markup
from masthead.publishing.images import square_copy
from tests.conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ICON = "https://social.example/avatars/alice.png"


def _comment(post, name, **extra):
    body = f"{name}: the new timetable suits me."
    return Comment.objects.create(
        post=post,
        author_name=name,
        body=body,
        body_html=markup.render_comment(body),
        status=CommentStatus.APPROVED,
        **extra,
    )


def _picture(name: str, color) -> str:
    upload = ContentFile(image_bytes("PNG", size=(200, 140), color=color), name="p.png")
    return default_storage.save(name, square_copy(upload, 96))


def test_a_thread_shows_each_commenter_s_picture_or_letter(
    chromium, live_server, make_post, reader, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    post = make_post(title="Night ferry timetable", body="Sailings every hour after ten.")
    Profile.objects.create(
        user=reader,
        display_name="Mia Lund",
        avatar=_picture("avatars/2026/mia.webp", (40, 120, 200)),
    )
    alice = RemoteActor.objects.create(
        uri="https://social.example/users/alice",
        key_id="https://social.example/users/alice#main-key",
        public_pem="-----BEGIN PUBLIC KEY-----",
        inbox="https://social.example/users/alice/inbox",
        name="Alice Aalto",
        handle="@alice@social.example",
        icon_url=ICON,
        avatar=_picture("avatars/remote/alice.webp", (200, 80, 40)),
    )
    _comment(post, "Gus Guest")
    _comment(post, "Mia Lund", user=reader, provider="local")
    remote = _comment(post, "Alice Aalto (@alice@social.example)", provider="fediverse")
    RemoteNote.objects.create(uri=f"{alice.uri}/notes/1", comment=remote, actor=alice)

    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    page.locator("#comments").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")

    pictures = page.locator("img.comment-avatar")
    assert pictures.count() == 2
    for i in range(2):
        picture = pictures.nth(i)
        picture.wait_for()
        assert picture.evaluate("img => img.complete && img.naturalWidth") == 96
        box = picture.bounding_box()
        assert (box["width"], box["height"]) == (32, 32)
    letter = page.locator("span.comment-avatar").first
    assert letter.inner_text() == "G"
    assert letter.bounding_box()["width"] == 32
    assert hosts == {urlsplit(live_server.url).netloc}
    assert ICON not in page.content()
    page.locator("#comments").screenshot(path=str(tmp_path / "thread-avatars.png"))
    context.close()
