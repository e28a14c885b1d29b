"""The endpoint the post editor sends dropped and pasted images to."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from masthead.publishing.models import Figure
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db

URL = "/admin/publishing/post/upload-figure/"


def png(name="red.png"):
    return SimpleUploadedFile(name, image_bytes("PNG", size=(40, 30), color=(200, 0, 0)))


def test_it_has_the_url_the_editor_script_uses():
    assert reverse("admin:publishing_post_upload_figure") == URL


def test_it_stores_the_image_as_a_figure_and_answers_with_the_snippet(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"image": png(), "alt_text": "A red square", "caption": "Red"})
    assert response.status_code == 201
    figure = Figure.objects.get()
    answer = response.json()
    assert (answer["id"], answer["snippet"]) == (figure.pk, f"![](figure:{figure.pk})")
    # What the editor's figure panel shows next to the text.
    assert (answer["alt_text"], answer["caption"], answer["credit"]) == ("A red square", "Red", "")
    assert answer["thumbnail"].startswith("/media/figures/") and answer["editable"] is True
    assert figure.uploaded_by == editor
    assert (figure.alt_text, figure.caption) == ("A red square", "Red")


def test_it_lets_an_author_upload_too(client, author_user):
    client.force_login(author_user)
    assert client.post(URL, {"image": png(), "alt_text": "A red square"}).status_code == 201


def test_it_refuses_a_non_image_with_a_message(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("notes.png", b"not a picture")
    response = client.post(URL, {"image": upload, "alt_text": "Notes"})
    assert response.status_code == 400
    assert "not an image" in response.json()["error"]
    assert not Figure.objects.exists()


def test_it_refuses_a_file_over_the_limit(client, editor, settings):
    settings.MASTHEAD_MAX_UPLOAD_BYTES = 10
    client.force_login(editor)
    response = client.post(URL, {"image": png(), "alt_text": "A red square"})
    assert response.status_code == 400
    assert "the limit is" in response.json()["error"]
    assert not Figure.objects.exists()


def test_it_refuses_an_image_without_alt_text(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"image": png(), "alt_text": "  "})
    assert response.status_code == 400
    assert "required" in response.json()["error"]
    assert not Figure.objects.exists()


def test_it_sends_guests_and_readers_to_the_login_page(client, reader):
    assert client.post(URL, {"image": png(), "alt_text": "x"}).status_code == 302
    client.force_login(reader)
    response = client.post(URL, {"image": png(), "alt_text": "x"})
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert not Figure.objects.exists()


def test_it_refuses_staff_who_may_not_add_figures(client, moderator):
    client.force_login(moderator)
    assert client.post(URL, {"image": png(), "alt_text": "x"}).status_code == 403
    assert not Figure.objects.exists()


def test_it_checks_csrf(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(URL, {"image": png(), "alt_text": "x"}).status_code == 403
    assert not Figure.objects.exists()


def test_it_answers_only_post(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 405


def test_the_post_form_wires_the_editor_script(client, editor):
    client.force_login(editor)
    html = client.get("/admin/publishing/post/add/").content.decode()
    assert f'data-upload-url="{URL}"' in html
    assert "masthead/admin/post-editor.js" in html
