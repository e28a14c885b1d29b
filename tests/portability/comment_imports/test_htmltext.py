"""HTML comments back to Markdown: the formatting kept, everything else inert text."""

import re

import pytest

from masthead.portability.comment_imports.htmltext import html_to_markdown
from masthead.publishing.markup import render_comment
from tests.shared_data import shared_data


def shown(html: str) -> str:
    return render_comment(html_to_markdown(html))


def test_the_formatting_a_comment_may_have_survives():
    html = (
        '<p>One <b>bold</b>, <i>soft</i> and <a href="https://example.org/a_b">a link</a>.</p>'
        "<blockquote><p>quoted</p><p>twice</p></blockquote>"
        '<ol start="3"><li>three</li><li>four</li></ol><pre><code>x = 1 &lt; 2</code></pre>'
    )

    assert shown(html) == (
        "<p>One <strong>bold</strong>, <em>soft</em> and "
        '<a href="https://example.org/a_b" rel="nofollow ugc noopener">a link</a>.</p>\n'
        "<blockquote>\n<p>quoted</p>\n<p>twice</p>\n</blockquote>\n"
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n'
        "<pre><code>x = 1 &lt; 2\n</code></pre>\n"
    )


def test_text_that_looks_like_markdown_shows_as_written():
    html = "<p>1. not a list</p><p># not a heading</p><p>*stars* and [brackets]</p>"

    assert shown(html) == (
        "<p>1. not a list</p>\n<p># not a heading</p>\n<p>*stars* and [brackets]</p>\n"
    )


def test_line_breaks_and_plain_text_lines():
    assert shown("first<br>second") == "<p>first<br>\nsecond</p>\n"
    assert shown("first\nsecond") == "<p>first<br>\nsecond</p>\n"


def test_links_to_anything_but_the_web_lose_their_link():
    assert shown('<a href="javascript:alert(1)">x</a>') == "<p>x</p>\n"


def payloads():
    for name in ("patt-XSS_Polyglots.txt", "patt-IntrudersXSS.txt"):
        path = shared_data("xss", name)
        if path is not None:
            yield from (line for line in path.read_text().splitlines() if line.strip())


@pytest.mark.parametrize("payload", list(payloads()) or [pytest.param("", marks=pytest.mark.skip)])
def test_attack_strings_come_out_inert(payload):
    html = shown(payload)

    assert not re.search(r"<(?!/?(p|br|a|em|strong|code|pre|blockquote|ul|ol|li)\b)", html)
    for tag in re.finditer(r"<[a-z]+((?:\s[a-z-]+=\"[^\"]*\")*)>", html):
        assert set(re.findall(r"\s([a-z-]+)=", tag.group(1))) <= {"href", "rel", "start"}
    assert html.count("<") == len(re.findall(r"</?[a-z]+(?:\s[a-z-]+=\"[^\"]*\")*>", html))
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', html)).lower()
