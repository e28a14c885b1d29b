"""The post editor with JavaScript on, in a real Chromium against a live server."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from masthead.publishing.models import Figure, PostAutosave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 2 x 2 red PNG.
PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDA"
    "wMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
)

DROP_IMAGE = """([data, name]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    const textarea = document.querySelector("#id_body");
    const box = textarea.getBoundingClientRect();
    const at = { clientX: box.left + 30, clientY: box.top + 12 };
    const options = { dataTransfer: transfer, bubbles: true, cancelable: true, ...at };
    for (const type of ["dragenter", "dragover", "drop"]) {
        textarea.dispatchEvent(new DragEvent(type, options));
    }
}"""

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
def answer_prompts(page):
    """Answer the editor's alt text and caption questions as a writer would."""

    def answer(alt="A red square", caption=""):
        answers = {"alt text": alt, "Caption": caption}
        page.on(
            "dialog",
            lambda dialog: dialog.accept(
                next(text for key, text in answers.items() if key in dialog.message)
            ),
        )

    return answer


@pytest.fixture
def editor_page(page, live_server, editor):
    client = Client()
    client.force_login(editor)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return page


def test_a_pasted_image_becomes_a_figure_in_the_body(
    editor_page, live_server, editor, answer_prompts
):
    page = editor_page
    answer_prompts()
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


def test_a_dropped_image_becomes_a_figure_where_it_was_dropped(
    editor_page, live_server, editor, answer_prompts
):
    page = editor_page
    answer_prompts(alt="The ferry ramp", caption="Level boarding")
    page.goto(f"{live_server.url}/admin/publishing/post/add/")
    page.fill("#id_body", "First line.\n\nSecond line.")
    page.evaluate(DROP_IMAGE, [PNG_BASE64, "ramp.png"])
    page.locator(".post-editor-notice", has_text="Inserted figure").wait_for()
    figure = Figure.objects.get()
    assert (figure.alt_text, figure.caption, figure.uploaded_by) == (
        "The ferry ramp",
        "Level boarding",
        editor,
    )
    # Dropped on the first line: under it, before the second.
    body = page.input_value("#id_body")
    assert body == f"First line.\n\n![](figure:{figure.pk})\n\nSecond line."
    # The live preview shows the figure with its caption.
    expect(page.locator(".markdown-preview-output figcaption")).to_contain_text("Level boarding")


def test_a_figure_is_captioned_and_credited_beside_the_text_after_upload(
    editor_page, live_server, answer_prompts, tmp_path
):
    page = editor_page
    answer_prompts()
    page.goto(f"{live_server.url}/admin/publishing/post/add/")
    page.evaluate(PASTE_IMAGE, [PNG_BASE64, "red.png"])
    panel = page.locator(".post-figure")
    panel.wait_for()
    figure = Figure.objects.get()
    expect(panel.get_by_label("Alt text")).to_have_value("A red square")
    panel.get_by_label("Caption").fill("The new ramp, from the quay")
    panel.get_by_label("Credit").fill("Ines Holm")
    # Enter saves the figure, not the half-written post.
    panel.get_by_label("Credit").press("Enter")
    expect(panel.get_by_role("status")).to_contain_text("Saved at")
    figure.refresh_from_db()
    assert (figure.caption, figure.credit) == ("The new ramp, from the quay", "Ines Holm")
    assert page.url.endswith("/admin/publishing/post/add/")
    expect(page.locator(".markdown-preview-output figure")).to_contain_text("Ines Holm")
    page.locator(".field-body").screenshot(path=tmp_path / "editor-figure-panel.png")
    print(f"\nscreenshot {tmp_path / 'editor-figure-panel.png'}")


def test_someone_elses_figure_is_shown_but_not_editable_to_an_author(
    page, live_server, author_user, editor, make_post, answer_prompts
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from masthead.publishing import services
    from tests.conftest import image_bytes

    image = SimpleUploadedFile("ferry.png", image_bytes("PNG", size=(40, 30)))
    figure = services.create_figure(image=image, alt_text="Ferry", uploaded_by=editor)
    post = make_post(status="draft", body=f"Look:\n\n{figure.markdown}\n")
    services.add_byline(post, services.author_for(author_user))
    client = Client()
    client.force_login(author_user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/publishing/post/{post.pk}/change/")
    item = page.locator(f'.post-figure[data-figure-id="{figure.pk}"]')
    expect(item).to_contain_text("only they or an editor may change it")
    expect(item.get_by_label("Alt text")).to_have_attribute("readonly", "")
    assert item.get_by_role("button").count() == 0


def test_typing_is_autosaved_on_the_server_and_offered_back_on_reopening(
    editor_page, live_server, editor
):
    page = editor_page
    page.clock.install()
    url = f"{live_server.url}/admin/publishing/post/add/"
    page.goto(url)
    page.fill("#id_title", "Night ferries")
    page.fill("#id_body", "Half a thought")
    page.clock.run_for(11_000)
    expect(page.locator(".post-editor-notice")).to_contain_text("Draft autosaved at")
    copy = PostAutosave.objects.get(user=editor, post=None)
    assert (copy.title, copy.body) == ("Night ferries", "Half a thought")
    # Another browser, later: the text is on the server, not in this one.
    page.context.clear_cookies()
    page.context.storage_state()
    page.evaluate("localStorage.clear()")
    client = Client()
    client.force_login(editor)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(url)
    assert page.input_value("#id_body") == ""
    page.get_by_role("button", name="Restore the autosaved text from").click()
    assert page.input_value("#id_body") == "Half a thought"
    assert page.input_value("#id_title") == "Night ferries"
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    assert not PostAutosave.objects.exists()
    page.goto(url)
    assert page.get_by_role("button", name="Restore the autosaved text from").count() == 0


def test_autosave_never_changes_the_published_article(editor_page, live_server, make_post):
    page = editor_page
    post = make_post(body="The ferry is back.")
    page.clock.install()
    page.goto(f"{live_server.url}/admin/publishing/post/{post.pk}/change/")
    page.fill("#id_body", "An unfinished correction")
    page.clock.run_for(11_000)
    expect(page.locator(".post-editor-notice")).to_contain_text("Draft autosaved at")
    reader = page.context.browser.new_page()
    reader.goto(f"{live_server.url}{post.get_absolute_url()}")
    assert "The ferry is back." in reader.inner_text("article")
    assert "unfinished" not in reader.content()
    reader.close()
    post.refresh_from_db()
    assert post.body == "The ferry is back."


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("desktop", {"width": 1440, "height": 1000}), ("phone", {"width": 390, "height": 844})],
)
def test_the_editor_gives_the_text_room_at_each_width(
    editor_page, live_server, make_post, tmp_path, name, viewport
):
    page = editor_page
    post = make_post(status="draft", body="# The night ferry\n\n" + "A long paragraph. " * 60)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/admin/publishing/post/{post.pk}/change/")
    expect(page.locator(".markdown-preview-output")).to_contain_text("The night ferry")
    body = page.locator("#id_body").bounding_box()
    preview = page.locator(".markdown-preview").bounding_box()
    page.screenshot(path=tmp_path / f"editor-{name}.png", full_page=False)
    page.screenshot(path=tmp_path / f"editor-{name}-full.png", full_page=True)
    print(f"\nscreenshots in {tmp_path}")
    width = viewport["width"]
    # Nothing runs off the screen sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if name == "desktop":
        # Text and preview side by side, each wide enough to read a line of prose in.
        assert body["width"] >= 580 and preview["width"] >= 360
        assert abs(body["y"] - preview["y"]) < 80
        assert body["height"] >= 500
    else:
        # One column, the text as wide as the screen allows, the preview under it.
        assert body["width"] >= width - 60
        assert preview["y"] > body["y"] + body["height"]
