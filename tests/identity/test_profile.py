"""The profile page, and how other apps name and picture a person."""

import datetime as dt
import io
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from masthead.identity import services
from masthead.identity.models import Profile
from masthead.publishing.models import Author
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db
GPS = 0x8825


def photo(name="me.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(size=(200, 200), **kwargs), "image/jpeg")


def gps_exif():
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (59.0, 19.0, 36.0), 3: "E", 4: (18.0, 4.0, 12.0)}
    return exif


def save(client, **data):
    fields = {"display_name": "", "website": "", **data}
    return client.post("/accounts/profile/", fields)


@pytest.fixture
def rita(client, reader):
    client.force_login(reader)
    return reader


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_it_shows_the_profile_in_the_site_theme(client, rita):
    response = client.get("/accounts/profile/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert 'enctype="multipart/form-data"' in html
    # rita@example.org's username is "rita": made from the address, so never shown.
    assert f"Your comments are signed <strong>Reader {rita.pk}</strong>" in html
    assert "gravatar" not in html.lower()


def test_it_saves_the_display_name_and_website(client, rita):
    response = save(client, display_name="Rita K.", website="https://rita.example.net/")

    assert response.status_code == 302
    profile = Profile.objects.get(user=rita)
    assert profile.website == "https://rita.example.net/"
    assert services.display_name_for(rita) == "Rita K."


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "ftp://files.example.net/", "data:text/html,hi"]
)
def test_it_refuses_a_website_that_is_not_http_or_https(client, rita, website):
    response = save(client, website=website)

    assert response.status_code == 200
    assert "website" in response.context["form"].errors
    assert not Profile.objects.filter(user=rita).exclude(website="").exists()


def test_posting_needs_the_csrf_token(rita):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rita)

    assert save(client, display_name="Forged").status_code == 403
    assert services.display_name_for(rita) == f"Reader {rita.pk}"


def test_it_stores_the_avatar_locally_without_its_gps_position(client, rita):
    response = save(client, avatar=photo(exif=gps_exif()))

    assert response.status_code == 302
    avatar = Profile.objects.get(user=rita).avatar
    assert avatar.name.startswith(f"avatars/{dt.date.today():%Y}/me")
    with default_storage.open(avatar.name) as stored, Image.open(stored) as image:
        assert GPS not in image.getexif()
    assert services.avatar_url_for(rita) == avatar.url
    assert avatar.url.startswith("/media/avatars/")


def animation(frames=10, size=(300, 300), exif=None):
    pictures = [Image.new("RGB", size, (20 * n, 90, 160)) for n in range(frames)]
    buf = io.BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    pictures[0].save(buf, "WEBP", save_all=True, append_images=pictures[1:], **extra)
    return SimpleUploadedFile("moving.webp", buf.getvalue(), "image/webp")


def test_an_animated_avatar_keeps_only_its_first_frame_and_loses_its_position(client, rita):
    response = save(client, avatar=animation(exif=gps_exif()))

    assert response.status_code == 302
    avatar = Profile.objects.get(user=rita).avatar
    with default_storage.open(avatar.name) as stored, Image.open(stored) as image:
        assert getattr(image, "n_frames", 1) == 1
        assert GPS not in image.getexif()


def test_an_animation_over_the_pixel_budget_is_refused(client, rita, settings):
    settings.MASTHEAD_MAX_IMAGE_PIXELS = 500_000  # each 300 x 300 frame fits; ten do not
    response = save(client, avatar=animation(frames=10))

    assert response.status_code == 200
    (error,) = response.context["form"].errors["avatar"]
    assert "10 frames" in error
    assert not default_storage.exists("avatars")


@pytest.fixture(scope="module")
def slow_picture():
    """2 KB of lossless WebP that decodes to 39.6 megapixels, with a position to remove.

    Within the size and pixel limits, yet seconds of work to check and re-encode.
    """
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (59.0, 19.0, 36.0)}
    buf = io.BytesIO()
    Image.new("RGB", (6000, 6600), (10, 20, 30)).save(buf, "WEBP", lossless=True, exif=exif)
    return buf.getvalue()


def test_a_picture_too_slow_to_clean_is_refused_at_the_time_limit(
    client, rita, settings, slow_picture
):
    settings.MASTHEAD_IMAGE_TIME_LIMIT = 1
    pic = SimpleUploadedFile("harbour.webp", slow_picture, "image/webp")

    started = time.monotonic()
    response = save(client, display_name="Rita Marsh", website="https://rita.example", avatar=pic)
    elapsed = time.monotonic() - started

    assert elapsed < 1.8
    assert response.status_code == 200
    (error,) = response.context["form"].errors["avatar"]
    assert "took too long to process" in error
    html = response.content.decode()
    assert 'value="Rita Marsh"' in html and 'value="https://rita.example"' in html
    assert not default_storage.exists("avatars")
    assert services.display_name_for(rita) == f"Reader {rita.pk}"


def test_it_refuses_a_file_that_is_not_an_image(client, rita):
    fake = SimpleUploadedFile("me.jpg", b"<?php echo 1; ?>", "image/jpeg")

    response = save(client, avatar=fake)

    assert response.status_code == 200
    assert "avatar" in response.context["form"].errors
    assert not default_storage.exists("avatars")


def test_a_new_avatar_replaces_the_old_file(client, rita, django_capture_on_commit_callbacks):
    save(client, avatar=photo("first.jpg"))
    first = Profile.objects.get(user=rita).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        save(client, avatar=photo("second.jpg"))

    assert not default_storage.exists(first)
    assert default_storage.exists(Profile.objects.get(user=rita).avatar.name)


def test_it_removes_the_avatar_when_asked(client, rita, django_capture_on_commit_callbacks):
    save(client, avatar=photo())
    stored = Profile.objects.get(user=rita).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        save(client, **{"avatar-clear": "on"})

    assert not Profile.objects.get(user=rita).avatar
    assert not default_storage.exists(stored)
    assert services.avatar_url_for(rita) == ""


def test_saving_without_a_new_file_keeps_the_avatar(client, rita):
    save(client, avatar=photo())
    stored = Profile.objects.get(user=rita).avatar.name

    save(client, display_name="Rita")

    assert Profile.objects.get(user=rita).avatar.name == stored


def test_display_name_falls_back_to_the_full_name_never_the_email(django_user_model):
    user = django_user_model.objects.create_user("lena.berg", "lena.berg@example.org", "pw")
    assert services.display_name_for(user) == f"Reader {user.pk}"

    user.first_name, user.last_name = "Lena", "Berg"
    assert services.display_name_for(user) == "Lena Berg"

    services.update_profile(user, display_name="  Lena B.  ", website="")
    user.refresh_from_db()
    assert services.display_name_for(user) == "Lena B."


def test_staff_without_a_name_go_by_their_byline(django_user_model):
    user = django_user_model.objects.create_user("ada", "ada@example.org", "pw", is_staff=True)
    Author.objects.create(user=user, display_name="Ada Quist", slug="ada-quist")

    assert services.display_name_for(user) == "Ada Quist"


def test_display_name_needs_no_query_when_the_profile_is_loaded(
    django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("x2", "o@example.org", "pw")
    services.update_profile(user, display_name="Olle", website="")
    user = django_user_model.objects.select_related("profile").get(pk=user.pk)

    with django_assert_num_queries(0):
        assert services.display_name_for(user) == "Olle"
        assert services.avatar_url_for(user) == ""


def test_the_admin_lists_profiles_with_roles(client, admin_user, editor):
    services.update_profile(editor, display_name="Eddie", website="")
    client.force_login(admin_user)

    response = client.get("/admin/identity/profile/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Eddie" in html and "editor" in html


def test_the_admin_strips_gps_from_avatars_too(client, admin_user, reader):
    profile = services.update_profile(reader, display_name="", website="")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/identity/profile/{profile.pk}/change/",
        {"user": reader.pk, "display_name": "", "website": "", "avatar": photo(exif=gps_exif())},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    with default_storage.open(profile.avatar.name) as stored, Image.open(stored) as image:
        assert GPS not in image.getexif()


def test_the_admin_removes_a_replaced_avatar(
    client, admin_user, reader, django_capture_on_commit_callbacks
):
    profile = services.update_profile(reader, display_name="", website="", avatar=photo())
    first = profile.avatar.name
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/identity/profile/{profile.pk}/change/",
            {"user": reader.pk, "display_name": "R", "website": "", "avatar": photo("new.jpg")},
        )

    assert not default_storage.exists(first)
    assert Profile.objects.get(pk=profile.pk).display_name == "R"


def test_the_admin_list_asks_the_same_queries_for_more_profiles(
    client, admin_user, django_user_model, django_assert_max_num_queries
):
    def add_people(prefix, count):
        for i in range(count):
            user = django_user_model.objects.create_user(f"{prefix}{i}", f"{prefix}{i}@x.org")
            services.update_profile(user, display_name=f"{prefix}{i}", website="")

    client.force_login(admin_user)
    add_people("p", 1)
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/identity/profile/")
    add_people("q", 5)

    with django_assert_max_num_queries(len(one)):
        client.get("/admin/identity/profile/")


STAFF_LOOK_ALIKES = [
    "EDDIE MARSH",
    "  Eddie \u00a0  Marsh ",
    "\uff25ddie \uff2d\uff41rsh",  # fullwidth letters
    "\U0001d404\U0001d41d\U0001d41d\U0001d422\U0001d41e Marsh",  # mathematical bold
    "\u0415ddie M\u0430rsh",  # Cyrillic E and a
    "Edd\u0456e Mar\u0455h",  # Cyrillic i and s
    "Ed\u200bdie Marsh\u200d",  # zero-width space and joiner
    "\u202eEddie Marsh",  # a right-to-left override
    "M\u0430ra Lindqvist",  # a byline's name, Cyrillic a
    "\u00e9lise durand",  # a staff name with an accented capital, in small letters
]


@pytest.mark.parametrize("name", STAFF_LOOK_ALIKES)
def test_a_reader_cannot_take_a_name_that_only_looks_like_staffs(
    client, rita, byline, editor, name
):
    services.update_profile(editor, display_name="Eddie Marsh", website="")
    admin = editor._meta.model.objects.create_user("elise", "elise@example.org", is_staff=True)
    services.update_profile(admin, display_name="\u00c9lise Durand", website="")

    response = save(client, display_name=name)

    assert response.status_code == 200
    assert "already goes by this name" in response.content.decode()
    assert services.display_name_for(rita) == f"Reader {rita.pk}"


def test_a_name_that_differs_from_staffs_to_the_eye_is_a_readers_to_take(client, rita, editor):
    services.update_profile(editor, display_name="Eddie Marsh", website="")

    for name in ("Eddie Marshall", "Edie Marsh", "Eddie\u00a0Marsh-Okafor"):
        assert save(client, display_name=name).status_code == 302
    # Their own names stay theirs, however they write them.
    client.force_login(editor)
    assert save(client, display_name="EDDIE  MARSH").status_code == 302


def test_a_reader_cannot_take_a_name_staff_or_others_go_by(client, rita, byline, editor):
    services.update_profile(editor, display_name="Eddie Marsh", website="")

    for name in ("Mara Lindqvist", "eddie marsh", "Reader 3"):
        response = save(client, display_name=name)
        assert response.status_code == 200
        assert "already goes by this name" in response.content.decode()
    assert save(client, display_name="Rita K.").status_code == 302
    assert save(client, display_name="rita").status_code == 302  # her own username
