"""Markdown → HTML → sanitizer, the one pipeline for text people write.

Articles get the full editor's toolkit (tables, footnotes, figures, attributed
quotes); comments get a small subset with raw HTML shown as text.
"""

import re
from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser

from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from masthead.publishing import images, sanitize
from masthead.publishing.models import Figure

FIGURE_SRC = re.compile(r"figure:(\d{1,9})")
FIGURE_SIZES = "(min-width: 48rem) 45rem, 100vw"
ATTRIBUTION_MARKS = ("— ", "-- ")
ANCHORED_HEADINGS = ("h2", "h3", "h4")


def _figure_id(token: Token) -> int | None:
    if token.type == "figure_embed":
        return token.meta["id"]
    match = token.type == "image" and FIGURE_SRC.fullmatch(str(token.attrGet("src") or ""))
    return int(match.group(1)) if match else None


def _standalone_figure(tokens: list[Token], i: int) -> Token | None:
    """A paragraph holding nothing but ``![](figure:ID)`` becomes one figure token."""
    opening, inline = tokens[i], tokens[i + 1]
    if opening.type != "paragraph_open" or len(inline.children or []) != 1:
        return None
    figure_id = _figure_id(inline.children[0])
    if figure_id is None:
        return None
    meta = {"id": figure_id, "image": inline.children[0]}
    return Token("figure_embed", "figure", 0, map=opening.map, level=opening.level, meta=meta)


def _embed_figures(state) -> None:
    tokens, i = state.tokens, 0
    while i < len(tokens) - 2:
        figure = _standalone_figure(tokens, i)
        if figure is not None:
            tokens[i : i + 3] = [figure]
        i += 1


def _matching_close(tokens: list[Token], opening: int) -> int:
    level = tokens[opening].level
    return next(
        i
        for i in range(opening + 1, len(tokens))
        if tokens[i].type == "blockquote_close" and tokens[i].level == level
    )


def _attribution_start(tokens: list[Token], opening: int, close: int) -> int | None:
    """Index of a closing "— Name" paragraph, if the quote has one and more besides."""
    start = close - 3
    if start <= opening + 1 or tokens[start].type != "paragraph_open":
        return None
    children = tokens[start + 1].children or []
    first = children[0] if children else None
    if first is None or first.type != "text" or not first.content.startswith(ATTRIBUTION_MARKS):
        return None
    return start


def _cite_source(children: list[Token]) -> list[Token]:
    """Wrap what follows the last top-level comma ("Name, Source") in <cite>."""
    depth, split = 0, None
    for i, child in enumerate(children):
        if depth == 0 and child.type == "text" and "," in child.content:
            split = i
        depth += child.nesting
    if split is None:
        return children
    before, _, after = children[split].content.rpartition(",")
    source = children[split + 1 :]
    if after.strip():
        source = [Token("text", "", 0, content=after.lstrip()), *source]
    if not source:
        return children
    return [
        *children[:split],
        Token("text", "", 0, content=f"{before}, "),
        Token("cite_open", "cite", 1),
        *source,
        Token("cite_close", "cite", -1),
    ]


def _caption_tokens(paragraph: list[Token]) -> list[Token]:
    inline = paragraph[1]
    first = inline.children[0]
    mark = next(m for m in ATTRIBUTION_MARKS if first.content.startswith(m))
    first.content = "— " + first.content[len(mark) :].lstrip()
    inline.children = _cite_source(inline.children)
    return [
        Token("figcaption_open", "figcaption", 1, block=True),
        inline,
        Token("figcaption_close", "figcaption", -1, block=True),
    ]


def _attribute_quote(tokens: list[Token], opening: int) -> bool:
    close = _matching_close(tokens, opening)
    start = _attribution_start(tokens, opening, close)
    if start is None:
        return False
    figure = Token("quote_open", "figure", 1, attrs={"class": "quote"}, block=True)
    tokens[opening : close + 1] = [
        figure,
        *tokens[opening:start],
        tokens[close],
        *_caption_tokens(tokens[start:close]),
        Token("quote_close", "figure", -1, block=True),
    ]
    return True


def _attribute_quotes(state) -> None:
    """Move a blockquote's closing "— Name, Source" line into a figcaption."""
    i = 0
    while i < len(state.tokens):
        # Step over a blockquote just wrapped, so it is not searched a second time.
        wrapped = state.tokens[i].type == "blockquote_open" and _attribute_quote(state.tokens, i)
        i += 2 if wrapped else 1


def _heading_text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def _anchor_headings(state) -> None:
    """Give h2 to h4 stable ids from their text; a body's h1 becomes h2 under the page title."""
    used: set[str] = set()
    for i, token in enumerate(state.tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        if token.tag == "h1":
            token.tag = "h2"
        if token.nesting == 1 and token.tag in ANCHORED_HEADINGS:
            token.attrSet("id", _unique(_slug(state.tokens[i + 1]), used))


def _slug(inline: Token) -> str:
    return slugify(_heading_text(inline), allow_unicode=True) or "section"


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _img_tag(figure: Figure, alt: str) -> str:
    srcset = images.srcset(figure)
    attrs = {
        "src": figure.image.url,
        "srcset": srcset,
        "sizes": FIGURE_SIZES if srcset else "",
        "alt": alt,
        "width": figure.width or "",
        "height": figure.height or "",
        "loading": "lazy",
        "decoding": "async",
    }
    shown = " ".join(f'{k}="{escape(str(v))}"' for k, v in attrs.items() if v != "" or k == "alt")
    return f"<img {shown}>"


def _figcaption(figure: Figure, caption: str | None = None) -> str:
    caption = figure.caption if caption is None else caption
    parts = [escape(caption.strip())] if caption.strip() else []
    if figure.credit.strip():
        parts.append(f'<small class="credit">{escape(figure.credit.strip())}</small>')
    return f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""


def _alt(renderer, image: Token, figure: Figure, options, env) -> str:
    return renderer.renderInlineAsText(image.children, options, env) or figure.alt_text


def _render_figure_embed(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    figure = env["figures"].get(token.meta["id"])
    if figure is None:
        return ""
    return figure_html(figure, _alt(self, token.meta["image"], figure, options, env)) + "\n"


def figure_html(figure: Figure, alt: str = "", caption: str | None = None) -> str:
    """The figure as a body shows it; for HTML written outside Markdown, such as an import.

    ``caption`` (plain text) stands in for the figure's own, the credit staying.
    """
    img = _img_tag(figure, alt or figure.alt_text)
    return f'<figure class="figure">{img}{_figcaption(figure, caption)}</figure>'


def _render_image(self, tokens, idx, options, env) -> str:
    """A figure used inline, next to text or in a link, shows as its bare image."""
    figure_id = _figure_id(tokens[idx])
    if figure_id is None:
        return self.image(tokens, idx, options, env)
    figure = env["figures"].get(figure_id)
    return _img_tag(figure, _alt(self, tokens[idx], figure, options, env)) if figure else ""


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from token.children or []


def _figures_for(tokens: list[Token]) -> dict[int, Figure]:
    ids = {figure_id for token in _walk(tokens) if (figure_id := _figure_id(token)) is not None}
    return Figure.objects.in_bulk(ids) if ids else {}


def _article_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    md.core.ruler.push("masthead_figures", _embed_figures)
    md.core.ruler.push("masthead_quotes", _attribute_quotes)
    md.core.ruler.push("masthead_headings", _anchor_headings)
    md.add_render_rule("figure_embed", _render_figure_embed)
    md.add_render_rule("image", _render_image)
    return md


def _is_web_link(url: str) -> bool:
    """Comments link out only; anything else stays visible as the text typed."""
    return url.strip().lower().startswith(("http://", "https://", "mailto:"))


def _comment_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.validateLink = _is_web_link
    return md.disable(["heading", "lheading", "hr", "image", "html_block", "html_inline"])


_article_md = _article_parser()
_comment_md = _comment_parser()


def render_article(source: str) -> str:
    """An editor's Markdown as safe HTML, with its figures looked up in one query."""
    env: dict = {}
    tokens = _article_md.parse(source, env)
    env["figures"] = _figures_for(tokens)
    return sanitize.clean_article(_article_md.renderer.render(tokens, _article_md.options, env))


def render_comment(source: str) -> str:
    """A reader's Markdown as safe HTML: simple formatting, HTML shown as typed."""
    return sanitize.clean_comment(_comment_md.render(source))


class _TextCollector(HTMLParser):
    """Visible text of sanitized HTML; block edges count as spaces."""

    BLOCKS = frozenset(
        {
            *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre"),
            *("blockquote", "figure", "figcaption", "table", "tr", "td", "th"),
            *("section", "div", "ul", "ol", "dl"),
        }
    )
    VOID = frozenset(
        {
            *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
            *("source", "track", "wbr"),
        }
    )
    # Script, footnote markers and image captions are not what a piece is about.
    SKIP_TAGS = frozenset(("script", "style", "template"))
    SKIP_CLASSES = frozenset(("footnote-ref", "footnotes", "figure"))

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def _skipped(self, tag, attrs) -> bool:
        classes = set((dict(attrs).get("class") or "").split())
        return tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)

    def handle_starttag(self, tag, attrs):
        if self.skipping or self._skipped(tag, attrs):
            self.skipping += tag not in self.VOID
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def excerpt_from_html(html: str, words: int = 55) -> str:
    """Plain text for lists, feeds and previews, cut to ``words`` words."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    found = "".join(collector.parts).split()
    if len(found) <= words:
        return " ".join(found)
    return " ".join(found[:words]).rstrip(".,;:!?—–-") + "…"
