"""Hypothesis strategies for text people write: plain, and loaded with HTML and Markdown.

Arbitrary text alone rarely spells a tag or a link, so most strategies here are
biased toward the syntax an attacker (or a careless paste) brings: active tags and
event handlers, script and data URLs hidden behind entities and control
characters, Unicode look-alikes, and Markdown's own links, images and nesting.
"""

from hypothesis import strategies as st

TAG_NAMES = (
    *("script", "style", "iframe", "object", "embed", "applet", "frame", "frameset"),
    *("svg", "math", "mi", "mtext", "foreignObject", "template", "noscript", "noembed"),
    *("xmp", "plaintext", "title", "textarea", "select", "option", "form", "input"),
    *("button", "base", "meta", "link", "video", "audio", "source", "image", "details"),
    *("a", "img", "p", "div", "span", "pre", "code", "table", "caption", "tbody", "tr"),
    *("td", "th", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "figure"),
    *("figcaption", "section", "h1", "h2", "h4", "sup", "small", "em", "strong", "b"),
    *("br", "hr", "abbr", "q", "font", "SCRIPT", "ScRiPt"),
)

# Tags the article or comment allow-list keeps.
KEPT_TAGS = (
    *("a", "img", "p", "td", "th", "ol", "li", "abbr", "h2", "h3", "figure", "small"),
    *("sup", "section", "span", "div", "blockquote", "code", "pre", "table", "hr"),
)
URL_ATTRIBUTES = (
    *("href", "src", "xlink:href", "formaction", "action", "background", "poster"),
    *("data", "codebase", "cite", "longdesc", "usemap", "manifest"),
)
EVENT_ATTRIBUTES = ("onerror", "onclick", "onload", "ONMOUSEOVER", "onfocus", "onbegin")
CLASSES = (
    *("figure", "quote", "credit", "footnote-ref", "footnotes", "footnote-item"),
    *("footnotes-sep", "footnotes-list", "footnote-backref", "lead", "quote figure x"),
)
WIDTHS = ("480w", "2x", "", "960w,", "1.5x")

ATTRIBUTE_NAMES = (
    *("href", "src", "srcset", "style", "class", "id", "title", "alt", "lang", "rel"),
    *("target", "name", "start", "colspan", "scope", "loading", "width", "sizes"),
    *("onerror", "onclick", "onload", "ONMOUSEOVER", "onfocus", "onanimationstart"),
    *("formaction", "action", "xlink:href", "xmlns", "data", "codebase", "background"),
    *("poster", "srcdoc", "autofocus", "tabindex", "contenteditable", "is", "slot"),
)

URLS = (
    *("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)"),
    *("java\tscript:alert(1)", "java\nscript:alert(1)", "\x00javascript:alert(1)"),
    *("java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "javascript&colon;alert(1)"),
    *("&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",),
    *("jav\u200bascript:alert(1)", "\u2028javascript:alert(1)", "javascript://%0aalert(1)"),
    *("vbscript:msgbox(1)", "VBScript:msgbox(1)", "livescript:alert(1)"),
    *("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,x"),
    *("data:image/svg+xml,<svg onload=alert(1)>", "data:image/png;base64,iVBORw0KGgo="),
    *("https://example.org/a?b=1&c=2", "http://example.org", "HTTPS://EXAMPLE.ORG/x"),
    *("mailto:ines@example.org", "/relative/path", "//elsewhere.example/x", "#top"),
    *("?q=1", "figure:1", "feed:javascript:alert(1)", "", " ", "https://ex ample.org"),
)

STYLES = (
    *("text-align:right", "text-align: center; position: fixed", "color:red"),
    *("background:url(javascript:alert(1))", "width:expression(alert(1))"),
    *("behavior:url(x.htc)", "-moz-binding:url(x)", "TEXT-ALIGN:left", "text-align:"),
)

ENTITIES = (
    *("&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#0;", "&#x110000;", "&#xD800;"),
    *("&nbsp", "&nbsp;", "&NotANamedEntity;", "&#60;script&#62;", "&lt;script&gt;"),
    *("&#x3C;", "&", "&#", "&#x;", "&amp;lt;", "&colon;", "&Tab;", "&NewLine;"),
)

UNICODE_TRICKS = (
    *("\u202e", "\u200b", "\u200d", "\ufeff", "\x00", "\r", "\r\n", "\u2028", "\u2029"),
    *("\xa0", "\uff1cscript\uff1e", "\u2039", "e\u0301", "\U0001f600", "\x0c", "\x1b"),
    *("\ufffd", "\u0130", "\u017f", "\u212a", "\x85", "\x7f", "\u00ad", "\U000e0041"),
)

MARKDOWN_MARKS = (
    *("*", "**", "_", "__", "`", "``", "```", "~~~", "~~", "> ", "- ", "* ", "+ ", "1. "),
    *("3) ", "# ", "## ", "###### ", "|", "| a | b |\n|---|:-:|\n| 1 | 2 |", "---"),
    *("===", "\\", "[", "]", "(", ")", "![", "[^1]", "[^1]: a note", "    code", "\n"),
    *("\n\n", "<", ">", "<!--", "-->", "]: ", "— ", "-- ", ", ", "  \n", "\t"),
)


# Any code point but a lone surrogate: no request, form or database text holds one.
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])


def short_text() -> st.SearchStrategy[str]:
    """Mostly ASCII, with the odd character from anywhere."""
    ascii_ = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    return st.text(st.one_of(ascii_, ascii_, ANY_CHARACTER), max_size=10)


def _quoted(value: str, quote: str) -> str:
    return f"{quote}{value}{quote}" if quote else value.replace(" ", "")


def _srcsets() -> st.SearchStrategy[str]:
    candidate = st.builds(lambda u, w: f"{u} {w}", st.sampled_from(URLS), st.sampled_from(WIDTHS))
    return st.lists(candidate, min_size=1, max_size=3).map(", ".join)


def _attribute_kinds() -> st.SearchStrategy[tuple]:
    """A name and the values that test it: URLs for URL attributes, CSS for style..."""
    urls = st.sampled_from(URLS)
    anything_ = st.one_of(urls, st.sampled_from(STYLES), st.sampled_from(ENTITIES), short_text())
    return st.sampled_from(
        [
            (URL_ATTRIBUTES, urls),
            (("srcset",), _srcsets()),
            (("style",), st.sampled_from(STYLES)),
            (EVENT_ATTRIBUTES, short_text()),
            (("class",), st.sampled_from(CLASSES)),
            (ATTRIBUTE_NAMES, anything_),
        ]
    )


@st.composite
def attributes(draw) -> str:
    names, values = draw(_attribute_kinds())
    name, value = draw(st.sampled_from(names)), draw(values)
    quote = draw(st.sampled_from(['"', "'", "", "`"]))
    return f"{name}={_quoted(value, quote)}" if draw(st.booleans()) or not value else name


# Where each attack usually sits: the tag and the attribute that carry it.
AIMED = (
    *(("a", "href"), ("a", "href"), ("img", "src"), ("img", "srcset"), ("a", "xlink:href")),
    *(("td", "style"), ("th", "style"), ("p", "style"), ("span", "style"), ("a", "style")),
    *(("figure", "class"), ("sup", "class"), ("a", "class"), ("a", "onclick")),
    *(("img", "onerror"), ("p", "onmouseover"), ("iframe", "src"), ("object", "data")),
    *(("embed", "src"), ("form", "action"), ("button", "formaction"), ("svg", "onload")),
    *(("base", "href"), ("link", "href"), ("area", "href"), ("abbr", "title")),
    *(("blockquote", "cite"), ("video", "poster"), ("table", "background")),
)


def _values_for(name: str) -> st.SearchStrategy[str]:
    if name == "srcset":
        return _srcsets()
    if name == "style":
        return st.sampled_from(STYLES)
    if name == "class":
        return st.sampled_from(CLASSES)
    if name.startswith("on"):
        return st.sampled_from(["alert(1)", "", "javascript:alert(1)"])
    if name in URL_ATTRIBUTES:
        return st.sampled_from(URLS)
    return short_text()


@st.composite
def aimed_tags(draw) -> str:
    """A tag with the attribute an attack would use on it, plus the odd other one."""
    name, attribute = draw(st.sampled_from(AIMED))
    value = draw(_values_for(attribute))
    quote = draw(st.sampled_from(['"', "'", ""]))
    extra = draw(st.lists(attributes(), max_size=1))
    inside = "".join(" " + a for a in [f"{attribute}={_quoted(value, quote)}", *extra])
    return f"<{name}{inside}>"


@st.composite
def any_tags(draw) -> str:
    """An opening, closing or self-closing tag, attributes and all, or a stray piece."""
    name = draw(st.one_of(st.sampled_from(KEPT_TAGS), st.sampled_from(TAG_NAMES)))
    attrs = draw(st.lists(attributes(), max_size=3))
    spacing = draw(st.sampled_from([" ", "  ", "\n", "/", "\t"]))
    shape = draw(st.sampled_from(["open", "close", "self", "unclosed", "comment"]))
    inside = "".join(spacing + a for a in attrs)
    return {
        "open": f"<{name}{inside}>",
        "close": f"</{name}>",
        "self": f"<{name}{inside}/>",
        "unclosed": f"<{name}{inside}",
        "comment": f"<!--<{name}{inside}>-->",
    }[shape]


def tags() -> st.SearchStrategy[str]:
    """Half aimed at an attribute the allow-lists judge, half any tag in any shape."""
    return st.one_of(aimed_tags(), any_tags())


def links() -> st.SearchStrategy[str]:
    """Markdown links, images, autolinks and reference definitions to hostile URLs."""
    url = st.sampled_from(URLS)
    text = st.one_of(short_text(), st.sampled_from(ENTITIES), tags())
    title = st.one_of(st.just(""), st.text(max_size=8).map(lambda t: f' "{t}"'))
    return st.one_of(
        st.builds(lambda t, u, ti: f"[{t}]({u}{ti})", text, url, title),
        st.builds(lambda t, u, ti: f"![{t}]({u}{ti})", text, url, title),
        st.builds(lambda t, u: f"[{t}](<{u}>)", text, url),
        url.map(lambda u: f"<{u}>"),
        st.builds(lambda t, u: f"[{t}]\n\n[{t}]: {u}", st.text(min_size=1, max_size=5), url),
        st.builds(lambda t, u: f"[![{t}]({u})]({u})", text, url),
    )


def pieces() -> st.SearchStrategy[str]:
    """One bit of what a person types: text, a tag, an entity, a link, a Markdown mark."""
    return st.one_of(
        short_text(),
        st.text(max_size=16),
        tags(),
        links(),
        st.sampled_from(ENTITIES),
        st.sampled_from(UNICODE_TRICKS),
        st.sampled_from(MARKDOWN_MARKS),
        st.sampled_from(URLS),
    )


def _nest(prefix: str, parts: list[str]) -> str:
    lines = "\n".join(parts).split("\n")
    return "\n".join(prefix + line for line in lines)


def lines() -> st.SearchStrategy[str]:
    return st.lists(pieces(), max_size=8).map("".join)


def markdown_documents() -> st.SearchStrategy[str]:
    """Paragraphs, lists and quotes nested inside one another, full of hostile pieces."""
    blocks = st.recursive(
        lines(),
        lambda inner: st.builds(
            _nest,
            st.sampled_from(["> ", "- ", "1. ", "* ", "  ", "    ", ">", "> - ", "10. "]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        max_leaves=6,
    )
    separators = st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n"])
    return st.lists(st.tuples(blocks, separators), max_size=5).map(
        lambda parts: "".join(block + sep for block, sep in parts)
    )


# Tags whose parsing rules move their neighbours about: auto-closing, foster
# parenting, foreign content, raw text.
STRUCTURAL_TAGS = (
    *("p", "button", "a", "table", "tr", "td", "caption", "li", "ul", "ol", "dl", "dt"),
    *("form", "div", "pre", "blockquote", "figure", "h2", "em", "b", "code", "font"),
    *("svg", "math", "mtext", "select", "option", "template", "noscript", "textarea"),
    *("title", "style", "script", "iframe", "object", "xmp", "image", "br", "hr"),
)


def _element(name: str, attrs: list[str], children: list[str], closed: bool) -> str:
    inside = "".join(" " + a for a in attrs)
    return f"<{name}{inside}>{''.join(children)}" + (f"</{name}>" if closed else "")


def html_fragments() -> st.SearchStrategy[str]:
    """Markup as pasted or imported: elements nested in elements, some never closed."""
    leaves = st.one_of(short_text(), st.sampled_from(ENTITIES), tags())
    trees = st.recursive(
        leaves,
        lambda inner: st.builds(
            _element,
            st.sampled_from(STRUCTURAL_TAGS),
            st.lists(attributes(), max_size=2),
            st.lists(inner, max_size=3),
            st.booleans(),
        ),
        max_leaves=12,
    )
    return st.lists(trees, min_size=1, max_size=4).map("".join)


def anything() -> st.SearchStrategy[str]:
    """Plain arbitrary text, and each of the biased kinds."""
    return st.one_of(st.text(), markdown_documents(), html_fragments())
