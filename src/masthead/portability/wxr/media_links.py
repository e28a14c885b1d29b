"""Images in imported bodies moved to the imported media, once the whole file is read.

WordPress writes an image into a post as its upload address (or a resized
copy of it, ``x-300x200.jpg``, and a ``srcset`` of them) and a gallery as
``[gallery ids="…"]`` or a gallery block. Attachments may come after the posts
that show them, so bodies are finished at the end of the run, from what this
run or an earlier one stored: an address whose file was copied points at the
copy; one whose file was not stays as it was, and the report says so.
"""

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import unquote, urlsplit

from django.core.files.storage import default_storage

from masthead.portability.models import ImportedMedia
from masthead.portability.wxr.gallery_query import GalleryQuery
from masthead.publishing import markup, sanitize
from masthead.publishing.models import Page, Post, PostRevision

_TAGS = re.compile(r"<[^>]+>")
_URL_ATTR = re.compile(r'\b(src|href|srcset)="([^"]*)"')
_SIZED = re.compile(r"^(?P<stem>.+?)(?:-(?P<width>\d+)x\d+|-scaled)(?P<ext>\.\w+)$")
_FILE_URL = re.compile(r"""\b(?:src|href|srcset)="[^"]*\.\w{2,5}\b""")
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff"})


@dataclass
class Gallery:
    owner: str  # the legacy key attachments name as their parent
    items: list[dict] | None  # {"id", "src", "alt", "caption"}; None: the owner's images
    caption: str = ""
    query: GalleryQuery | None = None  # a shortcode's choice and order; a block's is as given


class MediaIndex:
    """This site's imported attachments, by WordPress id, by address and by parent."""

    def __init__(self, prefix: str, site_url: str):
        self.by_id: dict[str, ImportedMedia] = {}
        self.by_path: dict[str, ImportedMedia] = {}
        self.children: dict[str, list[str]] = defaultdict(list)  # in the order of the file
        self.hosts = {"", urlsplit(site_url).netloc.lower()}  # "": an address without host
        rows = ImportedMedia.objects.filter(legacy_id__startswith=prefix).select_related("figure")
        rows = rows.order_by("pk")
        for media in rows.iterator(chunk_size=1000):
            wp_id = media.legacy_id.removeprefix(prefix)
            self.by_id[wp_id] = media
            parts = urlsplit(media.original_url)
            self.hosts.add(parts.netloc.lower())
            path = unquote(parts.path)
            self.by_path[path] = media
            sized = _SIZED.match(path)
            if sized and not sized["width"]:  # "x-scaled.jpg" is WordPress's copy of x.jpg
                self.by_path.setdefault(sized["stem"] + sized["ext"], media)
            if media.parent_legacy_id and _is_image(media):
                self.children[media.parent_legacy_id].append(wp_id)

    def find(self, url: str) -> tuple[ImportedMedia | None, int | None]:
        """The attachment an address shows, and the width asked for when it is a resized copy."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("", "http", "https") or parts.netloc.lower() not in self.hosts:
            return None, None
        path = unquote(parts.path)
        if path in self.by_path:
            return self.by_path[path], None
        sized = _SIZED.match(path)
        if sized and sized["width"]:
            return self.by_path.get(sized["stem"] + sized["ext"]), int(sized["width"])
        return None, None

    def attached(self, owner: str) -> list[str]:
        return list(self.children.get(owner, []))


def _is_image(media: ImportedMedia) -> bool:
    return bool(media.figure_id) or (
        urlsplit(media.original_url).path.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS
    )


def new_url(media: ImportedMedia, width: int | None = None) -> str:
    """Where the copied file is served; for a resized copy, the nearest rendition; "" if none."""
    figure = media.figure if media.figure_id else None
    if figure is not None and figure.image:
        for rendition in figure.renditions if width else []:
            if rendition["width"] >= width:
                return default_storage.url(rendition["name"])
        return figure.image.url
    return media.file.url if media.file else ""


class BodyLinks:
    def __init__(self, session):
        self.session = session
        self.nonce = secrets.token_hex(4)
        self.marker = re.compile(
            # A gallery paragraph, with the lines standing for blank ones around it.
            rf"(?P<lead>(?:&#32;\n)*)<p>\s*\[masthead-gallery {self.nonce}-(?P<para>\d+)\]\s*</p>"
            rf"(?P<tail>(?:\n&#32;)*)|\[masthead-gallery {self.nonce}-(?P<inline>\d+)\]"
        )
        self.galleries: list[Gallery] = []
        self.watched: dict[type, dict[str, str]] = {Post: {}, Page: {}}

    def gallery_for(self, owner: str):
        """What ``convert.article_body`` calls for each gallery of the item ``owner``."""

        def gallery(items, caption="", query=None):
            if query is not None and query.post:
                shown = self.session.key("post", query.post)
            else:
                shown = owner
            self.galleries.append(Gallery(shown, items, caption, query))
            return f"[masthead-gallery {self.nonce}-{len(self.galleries) - 1}]"

        return gallery

    def watch(self, model: type, legacy_id: str, label: str, body: str) -> None:
        """Remember a body that shows a gallery or links a file, to finish at the end."""
        if f"[masthead-gallery {self.nonce}-" in body or _FILE_URL.search(body):
            self.watched[model][legacy_id] = label

    def finish(self) -> None:
        if not any(self.watched.values()):
            return
        s = self.session
        index = MediaIndex(s.key("attachment", ""), s.site)
        if not index.by_id and not self.galleries:
            return  # links to files, but no attachment to move them to
        for model, wanted in self.watched.items():
            keys = list(wanted)
            for start in range(0, len(keys), 250):
                rows = model.objects.filter(legacy_id__in=keys[start : start + 250])
                changed = []
                for row in rows.only("pk", "legacy_id", "body"):
                    body = self.rewrite(row.body, index, wanted[row.legacy_id])
                    if body != row.body:
                        if model is Post:  # the first revision is the text as imported
                            PostRevision.objects.filter(post=row, body=row.body).update(body=body)
                        row.body, row.body_html = body, markup.render_article(body)
                        changed.append(row)
                model.objects.bulk_update(changed, ["body", "body_html"], batch_size=250)

    def rewrite(self, body: str, index: MediaIndex, label: str) -> str:
        left: set[str] = set()
        body = self.marker.sub(lambda m: self._gallery(m, index, label), body)
        body = _URL_ATTR.sub(lambda m: _moved(m, index, left), body)
        left -= {url for url in left if index.find(url)[0].legacy_id in self.session.would_copy}
        if len(left) == 1:
            note = f"{left.pop()} left at its old address: its file was not copied"
            self.session.report.notes.append((label, note))
        elif left:
            note = f"{len(left)} media files left at their old addresses, not copied"
            self.session.report.notes.append((label, f"{note} (first: {min(left)})"))
        return body

    def _gallery(self, match: re.Match, index: MediaIndex, label: str) -> str:
        gallery = self.galleries[int(match["para"] or match["inline"])]
        items = gallery.items
        if items is None:
            items = [{"id": wp_id} for wp_id in index.attached(gallery.owner)]
        if gallery.query is not None:
            wp_ids = gallery.query.arrange([i["id"] for i in items], index.by_id)
            items = [{"id": wp_id} for wp_id in wp_ids]
        as_markdown = _stands_alone(match)
        shown, unknown = [], []
        for item in items:
            wp_id = item.get("id", "")
            media = index.by_id.get(wp_id) or index.find(item.get("src", ""))[0]
            if media is None and not item.get("src"):
                unknown.append(wp_id)
                continue
            shown.append((as_markdown and _figure_markdown(media, item)) or _figure(media, item))
        if unknown:
            note = f"gallery images {', '.join(unknown)} are not in the file"
            self.session.report.notes.append((label, note))
        if not shown:
            self.session.report.notes.append((label, "a gallery with no image in the file"))
        if gallery.caption:
            shown.append(f"<p>{gallery.caption}</p>")
        if not as_markdown:
            html = sanitize.clean_article("\n".join(shown))
            return f"{match['lead'] or ''}{html}{match['tail'] or ''}"
        # Each figure a paragraph of its own, apart from the HTML around it by blank lines.
        chunks = [c if c.startswith("![") else sanitize.clean_article(c) for c in shown]
        return "\n" + "\n\n".join(chunks) + "\n"


def _stands_alone(match: re.Match) -> bool:
    """Whether the gallery is a paragraph on lines of its own, where Markdown figures can
    go: not within a line of other text, nor before a line Markdown would read as code."""
    body, after = match.string, match.string[match.end() :]
    return (
        match["para"] is not None
        and (match.start() == 0 or body[match.start() - 1] == "\n")
        and (not after or (after[0] == "\n" and not after[1:].startswith(("    ", "\t"))))
    )


def _figure_markdown(media: ImportedMedia | None, item: dict) -> str:
    """``![alt](figure:ID)`` for an image imported as a figure, shown with the figure's own
    caption; "" when the gallery gives it a caption of its own, which only HTML can carry."""
    if media is None or not media.figure_id:
        return ""
    caption = unescape(_TAGS.sub("", item.get("caption", ""))).strip()
    if caption and caption != media.figure.caption.strip():
        return ""
    alt = " ".join(item.get("alt", "").split())
    alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}](figure:{media.figure_id})"


def _figure(media: ImportedMedia | None, item: dict) -> str:
    """One gallery image as a figure: the imported one, or the image as the old site had it."""
    caption = unescape(_TAGS.sub("", item.get("caption", ""))).strip()
    if media is not None and media.figure_id:
        return markup.figure_html(media.figure, item.get("alt", ""), caption or None)
    src = media.url if media is not None else item["src"]
    alt = item.get("alt") or (media.alt_text or media.title if media else "")
    caption = caption or (media.caption if media else "")
    words = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="figure"><img src="{escape(src)}" alt="{escape(alt)}">{words}</figure>'


def _moved(match: re.Match, index: MediaIndex, left: set[str]) -> str:
    name, value = match.group(1), unescape(match.group(2))
    if name == "srcset":
        candidates = [c.strip().split(None, 1) for c in value.split(",") if c.strip()]
        moved = [[_new(c[0], index, left), *c[1:]] for c in candidates]
        new = ", ".join(" ".join(c) for c in moved)
        changed = any(m[0] != c[0] for m, c in zip(moved, candidates, strict=True))
    else:
        new = _new(value, index, left)
        changed = new != value
    return f'{name}="{escape(new)}"' if changed else match.group(0)


def _new(url: str, index: MediaIndex, left: set[str]) -> str:
    media, width = index.find(url)
    if media is None:
        return url
    moved = new_url(media, width)
    if not moved:
        left.add(url)
    return moved or url
