"""A new editor's first published post, from the command line to the public article."""

import time

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "The ferry is the town's front door."
ATTRIBUTION = "Ilse Varga, harbour master"


def _png(tmp_path):
    path = tmp_path / "harbour.png"
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(path, "PNG")
    return path


def _save(page, button="input[name=_save]"):
    with page.expect_navigation():
        page.click(button)
    assert page.locator(".errornote").count() == 0, page.inner_text("#content")


def test_a_new_editor_publishes_a_post_with_a_figure_and_a_quote(
    page, live_server, settings, first_editor, tmp_path
):
    settings.SITE_URL = live_server.url
    started = time.monotonic()
    first_editor(page, live_server.url)
    page.locator("#site-name").wait_for()

    page.goto(f"{live_server.url}/admin/publishing/figure/add/")
    page.set_input_files("input[name=image]", _png(tmp_path))
    page.fill("input[name=alt_text]", "The ferry at the quay")
    page.fill("textarea[name=caption]", "The ferry back at the quay on Monday.")
    page.fill("input[name=credit]", "Photo: Jonas Berg")
    _save(page)
    snippet = page.locator("#result_list td.field-snippet code").first.inner_text()
    assert snippet.startswith("![](figure:")

    page.goto(f"{live_server.url}/admin/publishing/post/add/")
    page.fill("input[name=title]", "The ferry is back")
    body = f"The harbour ferry runs again.\n\n{snippet}\n\n> {QUOTE}\n>\n> — {ATTRIBUTION}\n"
    page.fill("textarea[name=body]", body)
    # Made on the command line with only a login: asked once how they sign.
    page.get_by_label("Your name on bylines").fill("Ada Lindqvist")
    page.select_option("select[name=status]", "published")
    _save(page)
    assert "was added successfully" in page.inner_text(".messagelist")

    page.goto(live_server.url)
    with page.expect_navigation():
        page.get_by_role("link", name="The ferry is back").first.click()
    elapsed = time.monotonic() - started

    assert page.inner_text("h1.headline") == "The ferry is back"
    figure = page.locator(".article-body figure.figure")
    assert figure.locator("img").get_attribute("alt") == "The ferry at the quay"
    figure.locator("img").scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=figure.locator("img").element_handle()
    )
    assert "The ferry back at the quay on Monday." in figure.locator("figcaption").inner_text()
    # Shown in capitals by the stylesheet; the text is as the editor typed it.
    assert figure.locator("figcaption small.credit").text_content() == "Photo: Jonas Berg"
    quote = page.locator(".article-body figure.quote")
    assert quote.locator("blockquote").inner_text().strip() == QUOTE
    assert quote.locator("figcaption").inner_text().strip() == f"— {ATTRIBUTION}"
    assert quote.locator("figcaption cite").inner_text() == "harbour master"
    # The editor, as none was chosen, by the name they gave, never their login.
    assert page.inner_text(".byline") == "By Ada Lindqvist"

    shot = tmp_path / "first-post.png"
    page.screenshot(path=shot, full_page=True)
    print(f"\ncreatesuperuser to published article: {elapsed:.1f}s; screenshot {shot}")
