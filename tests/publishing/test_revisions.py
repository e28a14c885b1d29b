import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from masthead.publishing import services
from masthead.publishing.models import Author, CommentStatus, PostRevision
from masthead.publishing.revisions import Line, diff_lines

WHEN = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def revisions_url(post):
    return reverse("admin:publishing_post_revisions", args=[post.pk])


def compare_url(post):
    return reverse("admin:publishing_post_compare_revisions", args=[post.pk])


def restore_url(revision):
    return reverse("admin:publishing_post_restore_revision", args=[revision.post_id, revision.pk])


@pytest.fixture
def edited(make_post, editor):
    """A post saved twice: the wire copy, then the editor's rewrite."""
    post = make_post(title="Ferry late", body="The ferry was late.\nNobody knew why.")
    return services.save_post(
        post, title="Ferry late again", body="The ferry was late.\nThe crew was ill.", by=editor
    )


def test_it_keeps_a_revision_of_each_save_with_who_and_when(make_post, editor, time_machine):
    time_machine.move_to(WHEN, tick=False)
    post = make_post(title="Ferry late", excerpt="Again.", body="Source *text*.")
    services.save_post(post, body="Better *text*.", by=editor)
    newest, first = post.revisions.all()
    assert (first.title, first.excerpt, first.body, first.by) == (
        "Ferry late",
        "Again.",
        "Source *text*.",
        None,
    )
    assert (newest.body, newest.by, newest.created_at) == ("Better *text*.", editor, WHEN)


def test_an_unchanged_save_keeps_no_new_revision(make_post, editor):
    post = make_post()
    services.save_post(post, by=editor)
    services.save_post(post, comment_status=CommentStatus.CLOSED, by=editor)
    assert post.revisions.count() == 1


def test_saving_the_admin_form_records_who_saved(client, editor, make_post, change_form_data):
    post = make_post(title="Ferry late")
    client.force_login(editor)
    change = reverse("admin:publishing_post_change", args=[post.pk])
    response = client.post(change, change_form_data(post, title="Ferry late again"))
    assert response.status_code == 302
    assert (post.revisions.first().title, post.revisions.first().by) == ("Ferry late again", editor)


def test_the_change_form_links_to_the_revisions(client, editor, make_post):
    post = make_post()
    client.force_login(editor)
    html = client.get(reverse("admin:publishing_post_change", args=[post.pk])).content.decode()
    assert revisions_url(post) in html


def test_the_revisions_page_lists_who_when_and_title(client, editor, edited):
    editor.first_name, editor.last_name = "Eddie", "Okafor"
    editor.save()
    client.force_login(editor)
    response = client.get(revisions_url(edited))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ferry late again" in html and "Eddie Okafor" in html
    assert html.index("Ferry late again") < html.index("Ferry late<")
    assert html.count("Restore…</a>") == 1  # not on the revision that is the current text


def test_compare_shows_removed_and_added_lines(client, editor, edited):
    newest, first = edited.revisions.all()
    client.force_login(editor)
    html = client.get(compare_url(edited), {"from": first.pk, "to": newest.pk}).content.decode()
    assert "<del>Nobody knew why.</del>" in html
    assert "<ins>The crew was ill.</ins>" in html
    assert "<del>Ferry late</del>" in html and "<ins>Ferry late again</ins>" in html
    # Chosen the other way round, the older revision is still the one compared from.
    again = client.get(compare_url(edited), {"from": newest.pk, "to": first.pk})
    assert "<del>Nobody knew why.</del>" in again.content.decode()


def test_compare_shows_markup_in_a_body_as_text(client, editor, make_post):
    post = make_post(body="Calm.")
    services.save_post(post, body='Calm.\n<script>alert("x")</script>\n<b>bold</b>')
    newest, first = post.revisions.all()
    client.force_login(editor)
    html = client.get(compare_url(post), {"from": first.pk, "to": newest.pk}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>bold" not in html


def test_compare_needs_two_revisions_of_this_post(client, editor, edited, make_post):
    other = make_post(title="Bookshop changes hands").revisions.get()
    client.force_login(editor)
    for query in ({"from": edited.revisions.first().pk, "to": other.pk}, {"from": "x"}, {}):
        response = client.get(compare_url(edited), query)
        assert response.status_code == 302 and response.url == revisions_url(edited)


def test_restore_brings_back_the_old_text_as_a_new_revision(client, editor, edited):
    first = edited.revisions.last()
    client.force_login(editor)
    response = client.post(restore_url(first))
    assert response.status_code == 302 and response.url == revisions_url(edited)
    edited.refresh_from_db()
    assert (edited.title, edited.body) == ("Ferry late", "The ferry was late.\nNobody knew why.")
    assert "Nobody knew why." in edited.body_html
    assert edited.revisions.count() == 3
    newest = edited.revisions.first()
    assert (newest.title, newest.by) == ("Ferry late", editor)
    assert LogEntry.objects.get().get_change_message().startswith("Restored the revision of")


def test_restore_asks_first_showing_what_would_change(client, editor, edited):
    first = edited.revisions.last()
    client.force_login(editor)
    listing = client.get(revisions_url(edited)).content.decode()
    # The list links to the question; no button there restores in one click.
    assert f'href="{restore_url(first)}"' in listing
    assert f'action="{restore_url(first)}"' not in listing
    response = client.get(restore_url(first))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Yes, restore this revision" in html and "readers see it at once" in html
    assert "<del>The crew was ill.</del>" in html and "<ins>Nobody knew why.</ins>" in html
    edited.refresh_from_db()
    assert edited.title == "Ferry late again" and edited.revisions.count() == 2


def test_restore_is_a_post_with_csrf(editor, edited):
    first = edited.revisions.last()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(restore_url(first)).status_code == 403
    assert edited.revisions.count() == 2


def test_an_author_cannot_see_or_restore_another_authors_post(client, author_user, edited):
    first = edited.revisions.last()
    client.force_login(author_user)
    assert client.get(revisions_url(edited)).status_code == 404
    assert client.post(restore_url(first)).status_code == 404
    edited.refresh_from_db()
    assert edited.title == "Ferry late again" and edited.revisions.count() == 2


def test_an_author_restores_their_own_post(client, author_user, make_post):
    own = Author.objects.create(user=author_user, display_name="Aurora Diaz", slug="aurora")
    post = make_post(title="My column", authors=[own])
    services.save_post(post, title="My column, revised")
    client.force_login(author_user)
    assert client.post(restore_url(post.revisions.last())).status_code == 302
    post.refresh_from_db()
    assert post.title == "My column"


def test_staff_who_may_only_view_posts_cannot_restore(client, django_user_model, edited):
    viewer = django_user_model.objects.create_user("vic", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    Author.objects.create(user=viewer, display_name="Vic", slug="vic")
    services.add_byline(edited, viewer.author_profile)
    client.force_login(viewer)
    html = client.get(revisions_url(edited)).content.decode()
    assert "Ferry late again" in html and "Restore</button>" not in html
    assert client.post(restore_url(edited.revisions.last())).status_code == 403


def test_revisions_are_for_staff_only(client, reader, edited):
    assert client.get(revisions_url(edited)).status_code == 302
    client.force_login(reader)
    assert client.get(revisions_url(edited)).status_code == 302


def test_a_post_from_before_revisions_shows_an_empty_history(client, editor, make_post):
    post = make_post()
    PostRevision.objects.all().delete()
    client.force_login(editor)
    assert "no revisions yet" in client.get(revisions_url(post)).content.decode()


def test_the_diff_keeps_a_few_lines_of_context_around_each_change():
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    lines = diff_lines(old, new)
    assert lines[0] == Line("gap") and lines[-1] == Line("gap")
    assert Line("removed", "line 10") in lines and Line("added", "line ten") in lines
    assert [line.text for line in lines if line.kind == "same"] == [
        *(f"line {i}" for i in (7, 8, 9)),
        *(f"line {i}" for i in (11, 12, 13)),
    ]
    assert diff_lines("same\ntext", "same\ntext") == []
    assert diff_lines("", "new") == [Line("added", "new")]
