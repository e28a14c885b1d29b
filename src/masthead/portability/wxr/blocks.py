"""Gutenberg block markup (``<!-- wp:name {attrs} -->…<!-- /wp:name -->``) as HTML.

Blocks that store their HTML keep it, adjusted where Masthead has its own
form (figures, attributed quotes, embeds as links); blocks that WordPress
draws at view time (latest posts, search, query loops) store nothing to keep
and are listed as dropped; blocks this module does not know keep their HTML,
sanitized later, and are listed too.
"""

import json
import re
from dataclasses import dataclass, field
from html import escape, unescape

_DELIMITER = re.compile(
    r"<!--\s+(?P<close>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)"
    r"(?:\s+(?P<attrs>\{.*?\}))?\s+(?P<void>/)?-->",
    re.S,
)

# Blocks whose saved HTML is the content, kept as it is (then sanitized).
KEPT = frozenset(
    {
        *("paragraph", "heading", "list", "list-item", "table", "code", "preformatted"),
        *("verse", "separator", "html", "group", "columns", "column", "freeform"),
        *("buttons", "button", "media-text", "cover", "details", "footnotes", "image"),
        *("gallery", "quote", "pullquote", "missing", "text-columns", "subhead"),
    }
)
# Blocks that hold no words a reader needs, dropped without a note.
SILENT = frozenset({"more", "nextpage", "spacer", "read-more"})
MEDIA = frozenset({"video", "audio", "file"})


@dataclass
class Block:
    name: str
    attrs: dict = field(default_factory=dict)
    parts: list = field(default_factory=list)

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("core/")


def _attrs(raw: str | None) -> dict:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def parse(html: str) -> list:
    """The content as a list of strings and Blocks, nested as written."""
    root = Block("root")
    stack = [root]
    position = 0
    for match in _DELIMITER.finditer(html):
        stack[-1].parts.append(html[position : match.start()])
        position = match.end()
        name = match["name"]
        if match["close"]:
            # A closer with no opener is stray markup: ignore it.
            if len(stack) > 1 and stack[-1].name == name:
                stack.pop()
            continue
        block = Block(name, _attrs(match["attrs"]))
        stack[-1].parts.append(block)
        if not match["void"]:
            stack.append(block)
    stack[-1].parts.append(html[position:])
    return root.parts


def has_blocks(html: str) -> bool:
    return _DELIMITER.search(html) is not None


def render(parts: list, notes: list[str], gallery=None) -> str:
    """``gallery``, when given, turns a gallery's images into what it returns (a marker)."""
    return "".join(
        part if isinstance(part, str) else _render(part, notes, gallery) for part in parts
    )


def _render(block: Block, notes: list[str], gallery) -> str:
    name = block.short_name
    inner = render(block.parts, notes, gallery)
    if name in SILENT:
        return ""
    if name == "gallery" and gallery is not None:
        items, caption = gallery_items(inner, block.attrs.get("ids"))
        return f"<p>{gallery(items, caption=caption)}</p>"
    if name == "embed" or name.startswith("core-embed/"):
        return _embed(block, inner)
    if name in MEDIA:
        return _media(inner)
    if name in ("quote", "pullquote"):
        return attribute_quote(inner)
    if name in KEPT:
        return inner
    if not inner.strip():
        notes.append(f"block {block.name} dropped: WordPress draws it when the page is viewed")
        return ""
    notes.append(f"block {block.name} kept as sanitized HTML")
    return inner


_IMG = re.compile(r"<img\b[^>]*>")
_ITEM_CAPTION = re.compile(
    r"<figcaption(?![^>]*blocks-gallery-caption)[^>]*>(.*?)</figcaption>", re.S
)
_GALLERY_CAPTION = re.compile(
    r"<figcaption[^>]*blocks-gallery-caption[^>]*>(.*?)</figcaption>", re.S
)
_ATTACHMENT_ID = re.compile(r"""\bwp-image-(\d+)\b|\bdata-id=["'](\d+)""")


def _attr(tag: str, name: str) -> str:
    match = re.search(rf"""\s{name}=(?:"([^"]*)"|'([^']*)')""", tag)
    return unescape(match.group(1) or match.group(2) or "") if match else ""


def gallery_items(inner: str, ids=None) -> tuple[list[dict], str]:
    """A gallery block's images in order (attachment id, address, alt, caption), and its caption.

    Each image's caption is the first one after it, before the next image; the
    gallery's own caption is marked as such. Older blocks list the ids in ``ids``.
    """
    ids = ids if isinstance(ids, list) else []
    images = list(_IMG.finditer(inner))
    items = []
    for i, match in enumerate(images):
        tag = match.group(0)
        end = images[i + 1].start() if i + 1 < len(images) else len(inner)
        caption = _ITEM_CAPTION.search(inner, match.end(), end)
        found = _ATTACHMENT_ID.search(tag)
        wp_id = (found.group(1) or found.group(2)) if found else ""
        if not wp_id and i < len(ids):
            wp_id = str(ids[i])
        items.append(
            {
                "id": wp_id,
                "src": _attr(tag, "src"),
                "alt": _attr(tag, "alt"),
                "caption": caption.group(1).strip() if caption else "",
            }
        )
    caption = _GALLERY_CAPTION.search(inner)
    return items, caption.group(1).strip() if caption else ""


_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S)
_SRC = re.compile(
    r"""<(?:video|audio|source|a|object|embed)\b[^>]*?(?:src|href|data)=["']([^"']+)"""
)


def link_figure(url: str, caption: str = "") -> str:
    """What an embed or a media file becomes: a link, with its caption when it had one."""
    link = f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
    if not caption.strip():
        return link
    return f'<figure class="figure">{link}<figcaption>{caption}</figcaption></figure>'


def _caption(inner: str) -> str:
    match = _FIGCAPTION.search(inner)
    return match.group(1) if match else ""


def _embed(block: Block, inner: str) -> str:
    url = str(block.attrs.get("url") or "").strip()
    if not url:
        url = re.sub(r"<figcaption.*?</figcaption>|<[^>]+>", "", inner, flags=re.S).strip()
    return link_figure(url, _caption(inner)) if url else ""


def _media(inner: str) -> str:
    match = _SRC.search(inner)
    if not match:
        return inner
    return link_figure(match.group(1), _caption(inner))


_CITED = re.compile(
    r"<blockquote[^>]*>(?P<words>.*?)<cite[^>]*>(?P<who>.*?)</cite>\s*</blockquote>", re.S
)
_OUTER_FIGURE = re.compile(r"^\s*<figure[^>]*>(.*)</figure>\s*$", re.S)


def attribute_quote(html: str) -> str:
    """A quote with a <cite> takes Masthead's form: a figure with a "— Name" caption."""
    outer = _OUTER_FIGURE.match(html)
    if outer and "<blockquote" in outer.group(1):
        html = outer.group(1)

    def figure(match: re.Match) -> str:
        who = match["who"].strip()
        if not who:
            return f"<blockquote>{match['words']}</blockquote>"
        return (
            f'<figure class="quote"><blockquote>{match["words"]}</blockquote>'
            f"<figcaption>— {who}</figcaption></figure>"
        )

    return _CITED.sub(figure, html)
