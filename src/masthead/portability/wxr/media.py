"""WordPress attachments: their words always, their files when --media-dir has them.

An image found on disk becomes a Figure (validated, GPS-stripped, with
renditions, as an upload would); another file is stored as it is; a file not
found is recorded with its original address, so nothing of it is lost and a
later run with the files completes it.
"""

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File

from masthead.portability.models import ImportedMedia
from masthead.portability.wxr import content
from masthead.portability.wxr.parse import Record
from masthead.publishing import services

_TAGS = re.compile(r"<[^>]+>")


def _plain(value: str) -> str:
    """Text for a field that takes no markup: a caption's <em> would show as written."""
    return " ".join(html.unescape(_TAGS.sub("", value)).split())


def _number(value: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        return 0


def find_file(media_dir: Path | None, record: Record) -> Path | None:
    """The attachment's file under the media folder, never a path outside it."""
    if media_dir is None:
        return None
    root = media_dir.resolve()
    attached = record.meta.get("_wp_attached_file", "").strip().lstrip("/")
    url_path = unquote(urlsplit(record.fields.get("wp:attachment_url", "")).path).lstrip("/")
    candidates = [attached, f"wp-content/uploads/{attached}" if attached else "", url_path]
    if "/uploads/" in url_path:
        candidates.append(url_path.split("/uploads/", 1)[1])
    for candidate in filter(None, candidates):
        path = (root / candidate).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


def import_attachment(session, record: Record) -> None:
    s = session
    fields = record.fields
    wp_id = fields.get("wp:post_id", "").strip()
    url = fields.get("wp:attachment_url", "").strip() or fields.get("guid", "").strip()
    legacy = s.key("attachment", wp_id)
    media = ImportedMedia.objects.filter(legacy_id=legacy).first()
    created = media is None
    media = media or ImportedMedia(legacy_id=legacy)
    media.original_url = url[:500]
    media.title = content.title(record)
    media.caption = _plain(fields.get("excerpt:encoded", ""))
    media.description = fields.get("content:encoded", "").strip()
    media.alt_text = _plain(record.meta.get("_wp_attachment_image_alt", ""))[:300]
    parent = fields.get("wp:post_parent", "0").strip()
    media.parent_legacy_id = s.key("post", parent) if parent not in ("", "0") else ""
    media.menu_order = _number(fields.get("wp:menu_order", ""))
    media.posted_at = content.published_at(record)
    # A credit line is Masthead's own: WordPress has no field for it.
    credit = _plain(record.meta.get("_masthead_credit", ""))[:200]
    if media.figure_id:
        _update_figure(media, credit)
    elif not media.file:
        found = find_file(s.media_dir, record)
        if found is not None and s.dry_run:
            s.would_copy.add(legacy)  # so the dry run's report says what a real run does
        _store_file(s, media, found, credit)
    media.save()
    s.report.count("attachments", created)
    if not (media.figure_id or media.file or legacy in s.would_copy):
        s.report.count("attachments without their file (original address kept)", created)
    target = media.url if (media.figure_id or media.file) else ""
    # An attachment is a WordPress post too: ?p=ID reached its page as ?attachment_id= does.
    for query in ("attachment_id", "p"):
        s.redirect_query(f"{query}={wp_id}", media.parent_legacy_id, target)
    if fields.get("link"):
        s.redirects.add(s.local_path(fields["link"]), media.parent_legacy_id, target)
    if target and url:
        s.redirects.add(s.local_path(url), "", target)


def _update_figure(media: ImportedMedia, credit: str) -> None:
    figure = media.figure
    figure.alt_text = media.alt_text or media.title or figure.alt_text
    figure.caption = media.caption
    figure.credit = credit or figure.credit
    figure.save(update_fields=["alt_text", "caption", "credit"])


def _store_file(session, media: ImportedMedia, path: Path | None, credit: str) -> None:
    if path is None or session.dry_run:
        return
    with open(path, "rb") as handle:
        try:
            figure = services.create_figure(
                image=File(handle, name=path.name),
                alt_text=(media.alt_text or media.title or path.stem)[:300],
                caption=media.caption,
                credit=credit,
            )
        except ValidationError:
            handle.seek(0)
            media.file.save(path.name, File(handle), save=False)
            session.stored_files.append(media.file.name)
            return
    media.figure = figure
    session.stored_files.extend([figure.image.name, *(r["name"] for r in figure.renditions)])
