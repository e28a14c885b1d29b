"""Allow-lists for HTML that people write: one per context, applied after Markdown.

Anything not listed is dropped, so a new feature in the renderer shows up here
as a missing tag rather than as a hole.
"""

import re

import nh3

URL_SCHEMES = {"http", "https", "mailto"}

_ARTICLE_TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "a"),
    *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
    *("abbr", "cite", "q", "code", "pre", "kbd", "blockquote", "figure", "figcaption"),
    *("img", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
    *("section", "div", "span"),
}

_ARTICLE_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "srcset", "sizes", "alt", "title", "width", "height"},
    "ol": {"start"},
    "li": {"id"},
    "th": {"colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    **{h: {"id"} for h in ("h2", "h3", "h4", "h5", "h6")},
}

_ARTICLE_VALUES = {
    "img": {"loading": {"lazy", "eager"}, "decoding": {"async", "sync", "auto"}},
    "th": {"scope": {"row", "col", "rowgroup", "colgroup"}},
}

# Classes the renderer itself emits (footnotes, figures, quotes) and nothing else.
_ARTICLE_CLASSES = {
    "figure": {"figure", "quote"},
    "small": {"credit"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
}


def _is_safe_url(url: str) -> bool:
    scheme, colon, _ = url.partition(":")
    relative = not colon or any(c in scheme for c in "/?#")
    return relative or scheme.lower() in URL_SCHEMES


# A srcset candidate's optional descriptor: a width or a pixel density.
_DESCRIPTOR = re.compile(r"\d+w|\d+(\.\d+)?x")


def _safe_candidate(parts: list[str]) -> bool:
    url, *descriptors = parts
    if len(descriptors) > 1 or not _is_safe_url(url):
        return False
    return not descriptors or bool(_DESCRIPTOR.fullmatch(descriptors[0]))


def _safe_srcset(value: str) -> str | None:
    """Ammonia leaves srcset alone, so its URLs get the same scheme check as src.

    Each candidate must be one URL and at most one descriptor: whitespace inside a
    URL ("java<TAB>script:") would otherwise leave only "java" to be checked.
    """
    candidates = [candidate.split() for candidate in value.split(",") if candidate.strip()]
    return value if candidates and all(map(_safe_candidate, candidates)) else None


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "srcset":
        return _safe_srcset(value)
    return value


_article = nh3.Cleaner(
    tags=_ARTICLE_TAGS,
    attributes=_ARTICLE_ATTRIBUTES,
    tag_attribute_values=_ARTICLE_VALUES,
    allowed_classes=_ARTICLE_CLASSES,
    attribute_filter=_filter_attribute,
    # Only table-cell alignment from Markdown tables survives as style.
    filter_style_properties={"text-align"},
    url_schemes=URL_SCHEMES,
    # No target attribute is allowed, so links cannot reach window.opener.
    link_rel=None,
)

_comment = nh3.Cleaner(
    tags={"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"},
    attributes={"a": {"href"}, "ol": {"start"}},
    url_schemes=URL_SCHEMES,
    url_relative="deny",
    link_rel="nofollow ugc noopener",
)


# Passes after the first; one is enough for any markup seen so far.
MAX_PASSES = 4


def _clean(cleaner: nh3.Cleaner, html: str) -> str:
    """Clean until nothing changes, so the markup stored reads back as written.

    Dropping a tag can leave a tree no HTML parser would build: a paragraph inside a
    paragraph, once the <object> between them goes. Its markup then means something
    else to the browser than to the cleaner; a second pass is the browser's reading.
    """
    cleaned = cleaner.clean(html)
    for _ in range(MAX_PASSES):
        again = cleaner.clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def clean_article(html: str) -> str:
    """Sanitize an article body: editors' formatting stays, active content goes."""
    return _clean(_article, html)


def clean_comment(html: str) -> str:
    """Sanitize a reader's comment: plain formatting and outbound, unranked links."""
    return _clean(_comment, html)
