import pytest

from masthead.publishing.markup import render_article, render_comment
from masthead.publishing.sanitize import clean_article, clean_comment
from tests.html_audit import problems_in
from tests.shared_data import shared_data

XSS_DIR = shared_data("xss")


def _payloads():
    if XSS_DIR is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no ../shared/data/xss"))]
    return [
        pytest.param(line, id=f"{path.stem}:{number}")
        for path in sorted(XSS_DIR.glob("*.txt"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip()
    ]


@pytest.mark.parametrize("render", [render_article, render_comment, clean_article, clean_comment])
@pytest.mark.parametrize("payload", _payloads())
def test_no_xss_payload_survives_rendering(render, payload):
    assert problems_in(render(payload)) == []


def test_the_audit_itself_spots_active_content():
    found = problems_in('<script></script><a href=" java&#x09;script:x" onclick="y">z</a>')
    assert len(found) == 3


def test_article_html_keeps_editorial_markup():
    html = (
        '<p><mark>Note</mark> <abbr title="Council">CC</abbr> H<sub>2</sub>O</p>'
        '<ol start="3"><li>Three</li></ol><table><tr><th scope="col">A</th></tr></table>'
    )
    assert clean_article(html) == (
        '<p><mark>Note</mark> <abbr title="Council">CC</abbr> H<sub>2</sub>O</p>'
        '<ol start="3"><li>Three</li></ol>'
        '<table><tbody><tr><th scope="col">A</th></tr></tbody></table>'
    )


def test_article_html_keeps_only_the_classes_the_renderer_uses():
    html = '<figure class="quote wide"><p class="lead">Text</p></figure>'
    assert clean_article(html) == '<figure class="quote"><p>Text</p></figure>'


def test_article_html_drops_a_srcset_with_a_script_url():
    html = '<img src="/a.jpg" srcset="javascript:alert(1) 480w, /a-960.webp 960w" alt="">'
    assert clean_article(html) == '<img src="/a.jpg" alt="">'


def test_article_html_keeps_relative_links_and_images():
    html = '<a href="/about/">About</a><img src="/media/a.jpg" alt="A">'
    assert clean_article(html) == html


def test_article_html_keeps_only_text_alignment_in_table_cells():
    html = '<table><tr><td style="text-align:right;position:fixed">1</td></tr></table>'
    assert 'style="text-align:right"' in clean_article(html)


def test_comment_html_marks_links_as_user_content():
    cleaned = clean_comment('<a href="https://example.org" rel="me" target="_blank">x</a>')
    assert cleaned == '<a href="https://example.org" rel="nofollow ugc noopener">x</a>'


def test_comment_html_drops_headings_images_and_html_comments():
    cleaned = clean_comment("<h2>Big</h2><img src='https://e.org/a.png'><!-- hidden --><p>ok</p>")
    assert cleaned == "Big<p>ok</p>"


@pytest.mark.parametrize("clean", [clean_article, clean_comment])
def test_a_paragraph_freed_from_a_dropped_tag_is_stored_as_a_browser_reads_it(clean):
    # With <object> gone, the cleaner's tree has a paragraph inside a paragraph, and
    # its markup would be read back by a browser (and by the cleaner) as three.
    html = "<p>Before<object><p>Inside</p></object>after</p>"
    assert clean(html) == "<p>Before</p><p>Inside</p>after<p></p>"
    assert clean(clean(html)) == clean(html)


@pytest.mark.parametrize("hidden", ["java&#x09;script:alert(1) 480w", "J\nAVASCRIPT:alert(1)"])
def test_article_html_drops_a_srcset_whose_script_url_is_split_by_whitespace(hidden):
    # A URL parser drops tabs and newlines, so a feed reader may read javascript: here.
    html = f'<img src="/a.jpg" srcset="{hidden}" alt="">'
    assert clean_article(html) == '<img src="/a.jpg" alt="">'


def test_article_html_keeps_a_srcset_of_widths_and_densities():
    html = '<img src="/a.jpg" srcset="/a-480.webp 480w, /a-960.webp 960w, /a.jpg 1.5x" alt="">'
    assert clean_article(html) == html
