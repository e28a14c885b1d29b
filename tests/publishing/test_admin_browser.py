"""The post editor with JavaScript on, in a real Chromium against a live server."""

import pytest
from django.test import Client

from masthead.publishing.models import Figure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 2 x 2 red PNG.
PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDA"
    "wMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
)

PASTE_IMAGE = """([data, name]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    const textarea = document.querySelector("#id_body");
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    const options = { clipboardData: transfer, bubbles: true, cancelable: true };
    textarea.dispatchEvent(new ClipboardEvent("paste", options));
}"""


@pytest.fixture
def editor_page(page, live_server, editor):
    client = Client()
    client.force_login(editor)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return page


def test_a_pasted_image_becomes_a_figure_in_the_body(editor_page, live_server, editor):
    page = editor_page
    answers = {"alt text": "A red square", "Caption": ""}
    page.on(
        "dialog",
        lambda dialog: dialog.accept(
            next(text for key, text in answers.items() if key in dialog.message)
        ),
    )
    page.goto(f"{live_server.url}/admin/publishing/post/add/")
    page.fill("#id_body", "Before the picture.")
    page.evaluate(PASTE_IMAGE, [PNG_BASE64, "red.png"])
    page.locator(".post-editor-notice", has_text="Inserted figure").wait_for()
    figure = Figure.objects.get()
    assert figure.uploaded_by == editor and figure.alt_text == "A red square"
    body = page.input_value("#id_body")
    assert body == f"Before the picture.\n\n![](figure:{figure.pk})\n\n"


def test_a_pasted_file_that_is_not_an_image_is_refused_in_the_editor(editor_page, live_server):
    page = editor_page
    page.goto(f"{live_server.url}/admin/publishing/post/add/")
    page.evaluate(PASTE_IMAGE.replace("image/png", "text/plain"), ["aGVsbG8=", "notes.txt"])
    notice = page.locator(".post-editor-notice.post-editor-error")
    notice.wait_for()
    assert "is not an image" in notice.inner_text()
    assert page.input_value("#id_body") == ""
    assert not Figure.objects.exists()


def test_unsaved_text_is_offered_back_when_the_page_is_opened_again(editor_page, live_server):
    page = editor_page
    page.clock.install()
    url = f"{live_server.url}/admin/publishing/post/add/"
    page.goto(url)
    page.fill("#id_title", "Night ferries")
    page.fill("#id_body", "Half a thought")
    page.clock.run_for(6000)
    page.goto(url)
    restore = page.get_by_role("button", name="Restore the unsaved text from")
    restore.click()
    assert page.input_value("#id_body") == "Half a thought"
    assert page.input_value("#id_title") == "Night ferries"


def test_the_unsaved_copy_is_forgotten_once_the_post_is_saved(editor_page, live_server):
    page = editor_page
    page.clock.install()
    url = f"{live_server.url}/admin/publishing/post/add/"
    page.goto(url)
    page.fill("#id_title", "Night ferries")
    page.fill("#id_body", "A whole thought.")
    page.clock.run_for(6000)
    assert page.evaluate("localStorage.getItem('masthead:post-draft:/admin/publishing/post/add/')")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    page.goto(url)
    assert page.locator(".post-editor-restore").count() == 0
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [key for key in keys if key.startswith("masthead:post-draft:")]
