"""The import page: an editor uploads an export, the task imports it, the page reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.portability.models import ImportRun
from masthead.publishing.models import Post
from tests.portability.conftest import comment, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(client, path, **extra):
    upload = SimpleUploadedFile("site.xml", path.read_bytes(), content_type="text/xml")
    return client.post("/admin/portability/importrun/upload/", {"file": upload, **extra})


def test_an_uploaded_export_imports_in_the_background_and_reports(
    client,
    admin_user,
    make_wxr,
    immediate_tasks,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    settings.DATA_DIR = tmp_path / "data"
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, make_wxr(item(10, title="Harbour news", extra=comment(1))))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/portability/importrun/{run.pk}/progress/"
    assert run.state == ImportRun.State.DONE, (run.state, run.error, run.report)
    assert Post.objects.get().title == "Harbour news"
    # The uploaded copy, which holds commenters' addresses, is gone once imported.
    assert list((tmp_path / "data" / "imports").iterdir()) == []
    page = client.get(response["Location"]).content.decode()
    assert "posts: 1 new, 0 updated" in page and "comments: 1 new, 0 updated" in page
    assert 'http-equiv="refresh"' not in page


def test_a_running_import_shows_its_progress_and_renews_the_page(client, admin_user):
    run = ImportRun.objects.create(source="/tmp/x.xml", total_bytes=100)
    client.force_login(admin_user)
    page = client.get(f"/admin/portability/importrun/{run.pk}/progress/").content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page


def test_a_broken_upload_reports_its_error_and_imports_nothing(
    client, admin_user, immediate_tasks, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item><title>Half")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, broken)
    page = client.get(response["Location"]).content.decode()
    assert ImportRun.objects.get().state == ImportRun.State.FAILED
    assert "not well-formed XML at line 1" in page and "Nothing was imported" in page
    assert Post.objects.count() == 0


def test_only_people_allowed_to_import_see_the_page(client, reader):
    client.force_login(reader)
    assert client.get("/admin/portability/importrun/upload/").status_code == 302
