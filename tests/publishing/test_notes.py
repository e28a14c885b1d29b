import datetime as dt
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masthead.publishing import services
from masthead.publishing.models import Author, NoteKind, PostNote

MARCH_20 = dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC)


def add_note(post, text, kind=NoteKind.CORRECTION, created_at=MARCH_20):
    return services.save_note(PostNote(post=post, kind=kind, text=text, created_at=created_at))


def notes_aside(html):
    found = re.search(r'<aside class="article-notes".*?</aside>', html, re.S)
    return found.group(0) if found else None


@pytest.fixture
def article(make_post):
    return make_post(title="Ferry timetable", body="Evening sailings double.")


def test_a_note_is_stored_with_its_text_rendered_and_sanitized(article):
    note = add_note(article, "We misspelled **Lindqvist**.\n\n<script>alert(1)</script>")
    assert "<strong>Lindqvist</strong>" in note.text_html
    assert "<script>" not in note.text_html


def test_the_article_shows_its_notes_with_kind_and_date_after_the_body(client, article):
    add_note(article, "An earlier version gave the wrong pier.")
    add_note(article, "The council confirmed the times.", NoteKind.UPDATE, MARCH_20.replace(day=21))
    html = client.get(article.get_absolute_url()).content.decode()
    aside = notes_aside(html)
    assert aside is not None
    assert "<h2" in aside and "Corrections and updates</h2>" in aside
    assert aside.index("Correction</strong>") < aside.index("Update</strong>")
    assert 'datetime="2026-03-20T15:00:00+00:00">March 20, 2026</time>' in aside
    assert "March 21, 2026" in aside
    assert "<p>An earlier version gave the wrong pier.</p>" in aside
    assert html.index("Evening sailings double.") < html.index('<aside class="article-notes"')
    assert 'href="#article-notes">Corrections and updates below</a>' in html


def test_the_heading_names_the_only_kind_there_is(client, article):
    add_note(article, "Times confirmed.", NoteKind.UPDATE)
    assert (
        '<h2 id="article-notes-heading">Updates</h2>'
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_an_article_without_notes_has_no_notes_aside(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert notes_aside(html) is None and "#article-notes" not in html


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"], ids=["rss", "atom"])
def test_the_feed_entry_carries_the_notes_after_the_body(client, article, url):
    add_note(article, "An earlier version gave the wrong pier.")
    feed = feedparser.parse(client.get(url).content)
    assert feed.bozo == 0
    content = feed.entries[0].content[0].value
    assert content.startswith(article.body_html.strip())
    assert "Correction" in content and "March 20, 2026" in content
    assert "An earlier version gave the wrong pier." in content


def test_a_new_note_shows_at_once_on_a_cached_article(
    wsgi, article, django_capture_on_commit_callbacks, django_assert_num_queries
):
    wsgi(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert "wrong pier" not in wsgi(article.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        note = add_note(article, "An earlier version gave the wrong pier.")
    assert "wrong pier" in wsgi(article.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        note.delete()
    assert "wrong pier" not in wsgi(article.get_absolute_url()).text


def test_the_article_page_query_count_does_not_grow_with_notes(client, article):
    def queries():
        client.get(article.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            client.get(article.get_absolute_url())
        return len(captured)

    without_notes = queries()
    for i in range(3):
        add_note(article, f"Note {i}.", NoteKind.UPDATE if i % 2 else NoteKind.CORRECTION)
    assert queries() == without_notes


def change_url(post):
    return reverse("admin:publishing_post_change", args=[post.pk])


def test_an_editor_adds_a_note_on_the_post_form(client, editor, article, change_form_data):
    client.force_login(editor)
    assert "Corrections and updates (dated" in client.get(change_url(article)).content.decode()
    data = change_form_data(article, notes=[(NoteKind.CORRECTION, "The pier is *north*.")])
    assert client.post(change_url(article), data).status_code == 302
    note = article.notes.get()
    assert note.kind == NoteKind.CORRECTION and "<em>north</em>" in note.text_html
    # Adding a note is no change to the article's text.
    assert article.revisions.count() == 1


def test_an_author_adds_a_note_to_their_own_post(client, author_user, make_post, change_form_data):
    own = Author.objects.create(user=author_user, display_name="Aurora Diaz", slug="aurora")
    post = make_post(title="My column", authors=[own])
    client.force_login(author_user)
    data = change_form_data(post, notes=[(NoteKind.UPDATE, "Figures added.")])
    assert client.post(change_url(post), data).status_code == 302
    assert post.notes.get().text_html.strip() == "<p>Figures added.</p>"
