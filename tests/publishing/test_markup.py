from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.publishing import services
from masthead.publishing.markup import excerpt_from_html, render_article, render_comment
from tests.conftest import image_bytes


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def _parsed(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


def tags(html: str, name: str) -> list[dict]:
    return [attrs for tag, attrs in _parsed(html) if tag == name]


@pytest.fixture
def figure(db):
    return services.create_figure(
        image=SimpleUploadedFile("ferry.jpg", image_bytes(size=(1200, 800))),
        alt_text="The ferry leaving the quay",
        caption="The <b>first</b> crossing & its crew",
        credit="Photo: Ines Vall",
    )


def test_a_figure_renders_with_caption_credit_and_srcset(figure):
    html = render_article(f"Before.\n\n![](figure:{figure.pk})\n\nAfter.")
    (img,) = tags(html, "img")
    small, large = (default_storage.url(r["name"]) for r in figure.renditions)
    assert img == {
        "src": figure.image.url,
        "srcset": f"{small} 480w, {large} 960w, {figure.image.url} 1200w",
        "sizes": img["sizes"],
        "alt": "The ferry leaving the quay",
        "width": "1200",
        "height": "800",
        "loading": "lazy",
        "decoding": "async",
    }
    assert '<figure class="figure"><img ' in html
    assert (
        "<figcaption>The &lt;b&gt;first&lt;/b&gt; crossing &amp; its crew "
        '<small class="credit">Photo: Ines Vall</small></figcaption></figure>'
    ) in html


def test_markdown_alt_text_overrides_the_figures_own(figure):
    html = render_article(f"![Crew waving *goodbye*](figure:{figure.pk})")
    assert tags(html, "img")[0]["alt"] == "Crew waving goodbye"


def test_a_figure_without_caption_or_credit_has_no_figcaption(figure):
    figure.caption = figure.credit = ""
    figure.save()
    assert "figcaption" not in render_article(f"![](figure:{figure.pk})")


def test_an_unknown_figure_renders_nothing(db):
    html = render_article("Text.\n\n![](figure:999999)\n\nSee ![x](figure:999998) here.")
    assert "<img" not in html
    assert "<figure" not in html


def test_a_figure_inside_a_sentence_shows_as_a_plain_image(figure):
    html = render_article(f"The ferry ![](figure:{figure.pk}) sails.")
    assert "<figure" not in html
    assert tags(html, "img")[0]["src"] == figure.image.url


def test_all_figures_of_a_body_load_in_one_query(figure, django_assert_num_queries):
    other = services.create_figure(
        image=SimpleUploadedFile("quay.png", image_bytes("PNG")), alt_text="The quay"
    )
    body = f"![](figure:{figure.pk})\n\n![](figure:{other.pk})\n\n![](figure:424242)"
    with django_assert_num_queries(1):
        html = render_article(body)
    assert len(tags(html, "figure")) == 2


def test_a_body_without_figures_needs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        render_article("Just *words*.")


def test_an_ordinary_image_stays_a_plain_image():
    html = render_article('![A gull](https://example.org/gull.jpg "Gull")')
    assert html == '<p><img src="https://example.org/gull.jpg" alt="A gull" title="Gull"></p>\n'


def test_a_quote_with_attribution_becomes_a_figure():
    html = render_article(
        "> The harbour will stay open.\n>\n> — Ana Ruiz, [*Port Gazette*](https://example.org)"
    )
    assert html == (
        '<figure class="quote">\n<blockquote>\n<p>The harbour will stay open.</p>\n'
        "</blockquote>\n<figcaption>— Ana Ruiz, <cite>"
        '<a href="https://example.org"><em>Port Gazette</em></a></cite></figcaption>\n'
        "</figure>\n"
    )


def test_two_hyphens_also_introduce_an_attribution():
    html = render_article("> We sail at dawn.\n>\n> -- The captain")
    assert "<figcaption>— The captain</figcaption>" in html


def test_a_comma_inside_markup_does_not_split_the_source():
    html = render_article("> Quoted.\n>\n> — *Smith, Jones and Partners*")
    assert "<figcaption>— <em>Smith, Jones and Partners</em></figcaption>" in html


def test_only_the_last_paragraph_of_a_quote_is_its_attribution():
    html = render_article("> First.\n>\n> — a dash line inside\n>\n> — Ana Ruiz")
    assert html.count("<figcaption>") == 1
    assert "<p>— a dash line inside</p>" in html
    assert "<figcaption>— Ana Ruiz</figcaption>" in html


def test_a_quote_without_attribution_stays_a_blockquote():
    html = render_article("> — not an attribution on its own")
    assert html == "<blockquote>\n<p>— not an attribution on its own</p>\n</blockquote>\n"


def test_footnotes_link_both_ways():
    html = render_article("The tide[^tide] turned.\n\n[^tide]: Measured at the pier.")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in html
    assert '<li id="fn1" class="footnote-item"><p>Measured at the pier.' in html
    assert '<a href="#fnref1" class="footnote-backref">' in html
    assert '<section class="footnotes">' in html


def test_headings_get_stable_unique_anchors():
    source = "## What changed\n\n### Fares & *times*\n\n## What changed\n\n##### Small print"
    html = render_article(source)
    assert html == render_article(source)
    assert [h.get("id") for h in tags(html, "h2") + tags(html, "h3")] == [
        "what-changed",
        "what-changed-2",
        "fares-times",
    ]
    assert tags(html, "h5") == [{}]


def test_a_top_level_heading_in_a_body_sits_under_the_page_title():
    assert render_article("# Timeline") == '<h2 id="timeline">Timeline</h2>\n'


def test_tables_and_strikethrough_render():
    html = render_article("| Route | Fare |\n|---|--:|\n| A | ~~3~~ 2 |")
    assert '<td style="text-align:right"><s>3</s> 2</td>' in html


def test_raw_html_in_an_article_is_sanitized_not_escaped():
    html = render_article('<mark>Updated</mark> <span onclick="x()">now</span><script>x()</script>')
    assert html == "<p><mark>Updated</mark> <span>now</span></p>\n"


def test_a_comment_keeps_simple_formatting():
    html = render_comment("*Good* **point**, see `code`\nnext line\n\n> quoted\n\n- one\n- two")
    assert html == (
        "<p><em>Good</em> <strong>point</strong>, see <code>code</code><br>\nnext line</p>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )


def test_a_comment_cannot_have_headings_images_or_tables():
    html = render_comment("# Shout\n\n![x](https://example.org/x.png)\n\n| a |\n|---|\n| 1 |")
    assert not {"h1", "h2", "img", "table"} & {tag for tag, _ in _parsed(html)}
    assert "# Shout" in html


def test_a_comment_shows_raw_html_as_text():
    assert render_comment("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_comment_links_are_marked_and_limited_to_web_schemes():
    html = render_comment("[site](https://example.org) [x](/admin/) [y](ftp://example.org)")
    assert tags(html, "a") == [{"href": "https://example.org", "rel": "nofollow ugc noopener"}]
    assert "[x](/admin/)" in html


def test_an_excerpt_is_plain_text_with_entities_decoded():
    html = "<h2>Fares</h2><p>Tickets &amp; passes <em>cost</em>\n  less.</p><p>From May.</p>"
    assert excerpt_from_html(html) == "Fares Tickets & passes cost less. From May."


def test_an_excerpt_is_cut_at_a_word_with_an_ellipsis():
    assert excerpt_from_html("<p>one two, three four</p>", words=2) == "one two…"


def test_an_excerpt_leaves_out_footnotes_and_image_captions(figure):
    html = render_article(f"![](figure:{figure.pk})\n\nThe tide[^1] turned.\n\n[^1]: At the pier.")
    assert excerpt_from_html(html) == "The tide turned."
