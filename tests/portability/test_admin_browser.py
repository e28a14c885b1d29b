"""The import page in Chromium: a real form post with a file, then the page that renews itself."""

import pytest

from masthead.publishing.models import Post
from tests.portability.conftest import comment, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_uploads_an_export_and_watches_it_finish(
    page, live_server, settings, first_editor, make_wxr, tmp_path
):
    settings.SITE_URL = live_server.url
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    export = make_wxr(item(10, title="Harbour news", extra=comment(1) + comment(2, parent=1)))
    first_editor(page, live_server.url)
    page.locator("#site-name").wait_for()

    page.goto(f"{live_server.url}/admin/portability/importrun/upload/")
    page.set_input_files("input[name=file]", export)
    with page.expect_navigation():
        page.click("input[type=submit][value=Import]")
    page.get_by_text("posts: 1 new, 0 updated").wait_for(timeout=15_000)
    page.screenshot(path=tmp_path / "import-report.png", full_page=True)

    assert "comments: 2 new, 0 updated" in page.inner_text("#content")
    assert Post.objects.get().title == "Harbour news"
