"""Avatars on comment cards: pictures the site holds, served from its own media, else
the name's first letter; never a remote address."""

import itertools
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings
from masthead.discussion.rendering import render_comment
from masthead.federation.models import RemoteActor, RemoteNote
from masthead.identity.models import Profile
from masthead.identity.services import update_profile
from masthead.publishing import markup
from tests.conftest import image_bytes

ICON = "https://social.example/avatars/alice.png"
AVATAR = re.compile(r'<(img|span) class="comment-avatar"([^>]*)>')


@pytest.fixture
def article(make_post):
    DiscussionSettings.current()  # the settings row exists before anything is counted
    return make_post("Ferry fares, explained")


@pytest.fixture
def said(article):
    def said(name, *, user=None, provider="", actor=None):
        comment = Comment.objects.create(
            post=article,
            user=user,
            provider=provider,
            author_name=name,
            body=f"{name} says hello.",
            body_html=markup.render_comment(f"{name} says hello."),
            status=CommentStatus.APPROVED,
        )
        if actor is not None:
            note = f"{actor.uri}/notes/{comment.pk}"
            RemoteNote.objects.create(uri=note, comment=comment, actor=actor)
        return comment

    return said


@pytest.fixture
def member(reader):
    Profile.objects.create(user=reader, display_name="Mia", avatar="avatars/2026/mia.png")
    return reader


def remote_actor(n: int = 0, *, held: bool = True) -> RemoteActor:
    return RemoteActor.objects.create(
        uri=f"https://social.example/users/alice{n}",
        key_id=f"https://social.example/users/alice{n}#main-key",
        public_pem="-----BEGIN PUBLIC KEY-----",
        inbox=f"https://social.example/users/alice{n}/inbox",
        name="Alice",
        handle=f"@alice{n}@social.example",
        icon_url=ICON,
        avatar=f"avatars/remote/{n:032x}.webp" if held else "",
    )


def page(client, post) -> str:
    cache.clear()
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_shows_the_picture_the_site_holds_else_the_name_s_first_letter(
    client, article, said, member
):
    said("guest gus")
    said("Mia", user=member, provider="local")
    said("Alice (@alice0@social.example)", provider="fediverse", actor=remote_actor())

    avatars = AVATAR.findall(page(client, article))

    assert avatars == [
        ("span", ' aria-hidden="true"'),
        ("img", ' src="/media/avatars/2026/mia.png" alt="" width="32" height="32" loading="lazy"'),
        (
            "img",
            f' src="/media/avatars/remote/{0:032x}.webp" alt="" width="32" height="32"'
            ' loading="lazy"',
        ),
    ]
    assert '<span class="comment-avatar" aria-hidden="true">G</span>' in page(client, article)


def test_the_remote_icon_is_never_in_the_page(client, article, said):
    said("Alice (@alice0@social.example)", provider="fediverse", actor=remote_actor())
    said("Alice (@alice1@social.example)", provider="fediverse", actor=remote_actor(1, held=False))

    html = page(client, article)

    assert ICON not in html
    assert "social.example/avatars" not in html
    # The one without a copy yet shows its letter.
    assert html.count('<img class="comment-avatar"') == 1
    assert '<span class="comment-avatar" aria-hidden="true">A</span>' in html


def test_a_new_picture_is_a_new_card(client, article, said, member):
    said("Mia", user=member, provider="local")
    assert "/media/avatars/2026/mia.png" in page(client, article)

    Profile.objects.filter(user=member).update(avatar="avatars/2026/mia-2.png")

    html = page(client, article)
    assert "/media/avatars/2026/mia-2.png" in html
    assert "/media/avatars/2026/mia.png" not in html


def test_the_comment_the_page_s_script_inserts_has_its_avatar_too(rf, said, member):
    comment = said("Mia", user=member, provider="local")

    html = render_comment(comment, request=rf.get("/"))

    assert '<img class="comment-avatar" src="/media/avatars/2026/mia.png"' in html


def test_avatars_cost_no_query_more_with_3_or_23_comments(
    client, article, said, member, django_assert_max_num_queries, django_assert_num_queries
):
    actors = itertools.count()

    def add(count):
        for i in range(count):
            kind = i % 3
            if kind == 0:
                said(f"Guest {i}")
            elif kind == 1:
                said("Mia", user=member, provider="local")
            else:
                said("Alice", provider="fediverse", actor=remote_actor(next(actors)))

    add(3)
    page(client, article)  # what a process keeps in memory is read
    with django_assert_max_num_queries(14) as few:
        page(client, article)
    add(20)
    with django_assert_num_queries(len(few.captured_queries)):
        html = page(client, article)
    assert html.count('<img class="comment-avatar"') == 15


def test_a_member_s_new_picture_renews_the_cached_pages_of_their_comments(
    wsgi, article, said, member, django_capture_on_commit_callbacks
):
    said("Mia", user=member, provider="local")
    assert "/media/avatars/2026/mia.png" in wsgi(article.get_absolute_url()).text

    picture = ContentFile(image_bytes("PNG", size=(64, 64)), name="mia-by-the-sea.png")
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(member, display_name="Mia", website="", avatar=picture)

    html = wsgi(article.get_absolute_url()).text
    assert "/media/avatars/2026/mia.png" not in html
    assert re.search(r'src="/media/avatars/\d{4}/mia-by-the-sea[^"]*\.png"', html)
