"""The editor's endpoints behind its script: a figure's fields edited in place, and autosave."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masthead.publishing import services
from masthead.publishing.models import Figure, PostAutosave, PostRevision, Status
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db

AUTOSAVE = "/admin/publishing/post/autosave/"


@pytest.fixture
def figure_by(db):
    def make(user, alt_text="Ferry at the ramp"):
        image = SimpleUploadedFile("ferry.png", image_bytes("PNG", size=(40, 30)))
        return services.create_figure(image=image, alt_text=alt_text, uploaded_by=user)

    return make


def figure_url(figure):
    return reverse("admin:publishing_post_figure_fields", args=[figure.pk])


def test_the_urls_are_the_ones_the_editor_script_uses():
    assert reverse("admin:publishing_post_autosave") == AUTOSAVE
    assert reverse("admin:publishing_post_figure_fields", args=[7]) == (
        "/admin/publishing/post/figure/7/"
    )


def test_an_author_edits_the_caption_credit_and_alt_text_of_their_own_figure(
    client, author_user, figure_by
):
    figure = figure_by(author_user)
    client.force_login(author_user)
    fields = {"alt_text": "The ferry at the new ramp", "caption": "Level at last", "credit": "Ines"}
    response = client.post(figure_url(figure), fields)
    assert response.status_code == 200
    assert response.json()["credit"] == "Ines"
    figure.refresh_from_db()
    assert (figure.alt_text, figure.caption, figure.credit) == tuple(fields.values())


def test_an_author_may_not_change_someone_elses_figure(client, author_user, editor, figure_by):
    figure = figure_by(editor)
    client.force_login(author_user)
    assert client.get(figure_url(figure)).json()["editable"] is False
    response = client.post(figure_url(figure), {"alt_text": "Mine now", "credit": "Me"})
    assert response.status_code == 403
    assert "uploader or an editor" in response.json()["error"]
    figure.refresh_from_db()
    assert (figure.alt_text, figure.credit) == ("Ferry at the ramp", "")


def test_an_editor_may_change_any_figure(client, author_user, editor, figure_by):
    figure = figure_by(author_user)
    client.force_login(editor)
    assert client.post(figure_url(figure), {"alt_text": "Fixed"}).status_code == 200
    assert Figure.objects.get().alt_text == "Fixed"


def test_a_figure_keeps_its_alt_text_when_the_new_one_is_blank(client, editor, figure_by):
    figure = figure_by(editor)
    client.force_login(editor)
    response = client.post(figure_url(figure), {"alt_text": "  ", "caption": "Lost?"})
    assert response.status_code == 400
    assert "required" in response.json()["error"]
    figure.refresh_from_db()
    assert (figure.alt_text, figure.caption) == ("Ferry at the ramp", "")


def test_a_moderator_cannot_reach_figures_from_the_editor(client, moderator, editor, figure_by):
    figure = figure_by(editor)
    client.force_login(moderator)
    assert client.post(figure_url(figure), {"alt_text": "Spam"}).status_code in (302, 403)
    assert Figure.objects.get().alt_text == "Ferry at the ramp"


def test_autosaving_a_published_post_leaves_what_readers_see_alone(client, editor, make_post):
    post = make_post(body="The ferry is back.")
    before = (post.body, post.body_html, post.revisions.count())
    client.force_login(editor)
    response = client.post(
        AUTOSAVE, {"post": post.pk, "title": post.title, "excerpt": "", "body": "Half a rewrite"}
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert (post.body, post.body_html, post.revisions.count()) == before
    assert post.status == Status.PUBLISHED
    assert PostAutosave.objects.get(user=editor, post=post).body == "Half a rewrite"
    assert "Half a rewrite" not in client.get(post.get_absolute_url()).text


def test_autosaving_again_replaces_the_copy(client, editor):
    client.force_login(editor)
    for body in ("First", "First and second"):
        client.post(AUTOSAVE, {"post": "", "title": "New", "body": body})
    assert list(PostAutosave.objects.values_list("post", "body")) == [(None, "First and second")]


def test_an_author_cannot_autosave_onto_someone_elses_post(client, author_user, make_post):
    post = make_post()
    client.force_login(author_user)
    assert client.post(AUTOSAVE, {"post": post.pk, "body": "x"}).status_code == 404
    assert not PostAutosave.objects.exists()


def test_a_moderator_cannot_autosave_a_new_post(client, moderator):
    client.force_login(moderator)
    assert client.post(AUTOSAVE, {"post": "", "body": "x"}).status_code in (302, 403)
    assert not PostAutosave.objects.exists()


def test_reopening_the_post_offers_the_autosaved_text(client, editor, make_post):
    post = make_post(body="The ferry is back.")
    client.force_login(editor)
    client.post(AUTOSAVE, {"post": post.pk, "title": post.title, "body": "Half a rewrite"})
    page = client.get(reverse("admin:publishing_post_change", args=[post.pk])).text
    assert 'id="post-autosave"' in page and "Half a rewrite" in page
    # Someone else opening the post is offered nothing of it.
    other = type(editor).objects.create_user("otto", is_staff=True, is_superuser=True)
    client.force_login(other)
    page = client.get(reverse("admin:publishing_post_change", args=[post.pk])).text
    assert 'id="post-autosave"' not in page


def test_saving_the_post_forgets_the_autosaved_copy(client, editor, make_post, change_form_data):
    post = make_post()
    client.force_login(editor)
    client.post(AUTOSAVE, {"post": post.pk, "title": post.title, "body": "Half a rewrite"})
    url = reverse("admin:publishing_post_change", args=[post.pk])
    response = client.post(url, change_form_data(post, body="A whole rewrite."))
    assert response.status_code == 302
    assert not PostAutosave.objects.exists()
    assert PostRevision.objects.filter(post=post, body="A whole rewrite.").exists()
    assert 'id="post-autosave"' not in client.get(url).text


def test_a_changed_caption_shows_at_once_in_the_articles_that_place_the_figure(
    client, editor, figure_by, make_post
):
    figure = figure_by(editor)
    figure.caption = "The old ramp"
    figure.save()
    post = make_post(title="Ramp works", body=f"Work starts.\n\n![](figure:{figure.pk})\n")
    other = make_post(title="Unrelated", body=f"![](figure:{figure.pk}0)\n\nNo figure here.")
    assert "The old ramp" in client.get(post.get_absolute_url()).content.decode()  # now cached

    client.force_login(editor)
    fields = {"alt_text": "The ferry at the ramp", "caption": "The new ramp", "credit": "Ines"}
    assert client.post(figure_url(figure), fields).status_code == 200
    client.logout()

    page = client.get(post.get_absolute_url()).content.decode()
    assert "The new ramp" in page and "The old ramp" not in page
    assert "Ines" in page
    other.refresh_from_db()
    assert "The new ramp" not in other.body_html


def test_a_deleted_figure_leaves_the_articles_that_placed_it_without_a_broken_image(
    client, editor, figure_by, make_post
):
    figure = figure_by(editor)
    post = make_post(title="Ramp works", body=f"Work starts.\n\n![](figure:{figure.pk})\n")
    placed = '<figure class="figure">'
    assert placed in client.get(post.get_absolute_url()).content.decode()

    client.force_login(editor)
    delete = reverse("admin:publishing_figure_delete", args=[figure.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()

    page = client.get(post.get_absolute_url()).content.decode()
    assert "Work starts." in page and placed not in page
