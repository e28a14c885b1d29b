"""Comment HTML becomes Markdown that the comment renderer shows as WordPress did."""

import pytest

from masthead.portability.wxr import comment_text
from masthead.portability.wxr.comment_text import comment_markdown
from masthead.publishing.markup import render_comment

SIMPLE = [
    "<p>One <em>two</em>.</p>\n<p>Three</p>",
    "Plain\nnext\n\nPara *x*",
    "<p>a<br />b</p>",
    "line one<br>\nline two",
    "<strong>Bold</strong> start\n\nand <i>it</i>",
    "x <b>y</b>\n\n<b>z</b> w",
    "<p>[link](javascript:x) # not a heading</p>",
]


def _full_converter(html):
    converter = comment_text._Converter()
    converter.feed(html)
    converter.close()
    return "".join(converter.out)


@pytest.mark.parametrize("html", SIMPLE)
def test_the_quick_path_renders_as_the_full_converter_does(html):
    assert render_comment(comment_markdown(html)) == render_comment(_full_converter(html))


def test_paragraphs_breaks_and_emphasis_survive():
    shown = render_comment(
        comment_markdown("<p>First <em>line</em><br />\nsecond</p>\n<p>Next</p>")
    )
    assert shown == "<p>First <em>line</em><br>\nsecond</p>\n<p>Next</p>\n"


def test_links_quotes_and_code_survive_and_markdown_typed_as_text_stays_text():
    html = (
        '<p>See <a href="https://example.org/a b">this</a> *not emphasis*</p>'
        "<blockquote>Quoted\nwords</blockquote><pre>x = 1\n\ny</pre>"
    )
    shown = render_comment(comment_markdown(html))
    assert '<a href="https://example.org/a%20b" rel="nofollow ugc noopener">this</a>' in shown
    assert "*not emphasis*" in shown
    assert "<blockquote>\n<p>Quoted<br>\nwords</p>\n</blockquote>" in shown
    assert "<pre><code>x = 1\n\ny\n</code></pre>" in shown


def test_script_and_javascript_links_never_survive():
    shown = render_comment(
        comment_markdown('<script>alert(1)</script><a href="javascript:alert(1)">x</a>')
    )
    assert shown == "<p>x</p>\n"
