"""WordPress content (classic or block editor) as a Masthead body.

A Masthead body is Markdown, and Markdown carries HTML blocks as they are; the
article renderer then sanitizes them with the body allow-list. So imported
content becomes clean HTML in the body: nothing of the original's structure is
guessed away by a conversion, and what the sanitizer would drop is dropped here
already, so an editor sees in the body what readers get.
"""

import re
from html import escape

from masthead.portability.wxr import blocks, gallery_query
from masthead.publishing import sanitize

_CAPTION = re.compile(
    r"\[(?:wp_)?caption(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?:wp_)?caption\]", re.S
)
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)
_SHORTCODE_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
_MEDIA = re.compile(r"\[(video|audio)\b(?P<attrs>[^\]]*)\](?:.*?\[/\1\])?", re.S)
_DROPPED_SHORTCODE = re.compile(r"\[(gallery|playlist)\b[^\]]*\]")
_GALLERY = re.compile(r"\[gallery\b(?P<attrs>[^\]]*)\]")
_BARE_URL = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
_PROTECTED = re.compile(r"<(pre|script|style)\b.*?</\1>", re.S | re.I)
_BLOCK_TAG = re.compile(
    r"^\s*</?(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|thead|"
    r"tbody|tfoot|tr|td|th|caption|pre|hr|address|section|article|aside|header|footer|"
    r"nav|form|fieldset|details|summary|iframe|object|embed|video|audio|style|script|"
    r"noscript|select|math|dl|colgroup|col|legend|map|area)\b",
    re.I,
)
_FIGURE_OPEN = re.compile(r"<figure\b[^>]*>")
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.S)


def shortcode_attrs(raw: str) -> dict[str, str]:
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _SHORTCODE_ATTR.finditer(raw)}


def _captioned(match: re.Match) -> str:
    """[caption]<img> Words[/caption] → a figure whose caption is the words."""
    attrs = shortcode_attrs(match["attrs"])
    found = _CAPTION_IMAGE.match(match["inner"])
    image, words = (found.group(1), found.group(2)) if found else (match["inner"], "")
    words = attrs.get("caption") or words
    caption = f"<figcaption>{words.strip()}</figcaption>" if words.strip() else ""
    return f'<figure class="figure">{image.strip()}{caption}</figure>'


def _media_link(match: re.Match) -> str:
    attrs = shortcode_attrs(match["attrs"])
    url = attrs.get("src") or next(
        (v for k, v in attrs.items() if k in ("mp4", "mp3", "webm", "ogg", "ogv", "m4a", "wav")),
        "",
    )
    return blocks.link_figure(url) if url else ""


def _gallery_shortcode(match: re.Match, gallery) -> str:
    """[gallery ids="3,1"] names its images; without ids it shows those attached, sorted."""
    query = gallery_query.from_shortcode(shortcode_attrs(match["attrs"]))
    items = [{"id": wp_id} for wp_id in query.ids] if query.ids is not None else None
    return gallery(items, query=query)


def expand_shortcodes(html: str, notes: list[str], gallery=None) -> str:
    html = _CAPTION.sub(_captioned, html)
    if gallery is not None:
        html = _GALLERY.sub(lambda match: _gallery_shortcode(match, gallery), html)
    html = _EMBED.sub(lambda m: blocks.link_figure(m.group(1).strip()), html)
    html = _MEDIA.sub(_media_link, html)
    for name in _DROPPED_SHORTCODE.findall(html):
        notes.append(f"shortcode [{name}] dropped: its images are imported as figures")
    return _DROPPED_SHORTCODE.sub("", html)


def autop(html: str) -> str:
    """Classic-editor text: blank lines part paragraphs, a single newline is a break."""
    kept: list[str] = []

    def protect(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    html = _PROTECTED.sub(protect, html.replace("\r\n", "\n"))
    chunks = []
    for chunk in re.split(r"\n\s*\n", html):
        if not chunk.strip():
            continue
        url = _BARE_URL.match(chunk)
        if url:
            chunks.append(blocks.link_figure(url.group(1)))
        elif _BLOCK_TAG.match(chunk) or chunk.strip().startswith("\x00"):
            chunks.append(chunk.strip())
        else:
            chunks.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    html = "\n\n".join(chunks)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], html)


def _as_html_block(html: str) -> str:
    """Sanitized HTML that Markdown passes through whole: no blank line may end the block
    early, so blank lines become a line holding one space (the same to a browser)."""
    html = html.strip()
    if not html:
        return ""
    if not _BLOCK_TAG.match(html):
        html = f"<div>{html}</div>"
    return _BLANK_LINE.sub("\n&#32;", html) + "\n"


def article_body(content: str, gallery=None) -> tuple[str, list[str]]:
    """The body source for an imported post or page, and notes on what was not kept as is.

    ``gallery(items, caption=..., query=...)`` gives the text that stands for a
    gallery until its images are known (see ``media_links``); without it a
    gallery shortcode is dropped and a gallery block kept as HTML.
    """
    notes: list[str] = []
    if blocks.has_blocks(content):
        html = blocks.render(blocks.parse(content), notes, gallery)
        # Classic blocks and leftover text between blocks still follow classic rules.
        html = autop(expand_shortcodes(html, notes, gallery))
    else:
        html = autop(expand_shortcodes(_MORE.sub("", content), notes, gallery))
    html = blocks.attribute_quote(html)
    html = _FIGURE_OPEN.sub(_figure_class, html)
    return _as_html_block(sanitize.clean_article(html)), notes


def _figure_class(match: re.Match) -> str:
    tag = match.group(0)
    return tag if 'class="quote"' in tag else '<figure class="figure">'


def plain(text: str) -> str:
    """Text shown as text, for fields that take no markup (titles, captions in a form)."""
    return escape(text, quote=False)
