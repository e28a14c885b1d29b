"""What posts and pages share on the way in: status, slug, dates, text."""

import html
import re
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.text import slugify

from masthead.portability.wxr.dates import wp_datetime
from masthead.portability.wxr.parse import Record
from masthead.publishing.models import Status

# WordPress statuses that never reach readers here: why each is kept as a draft.
HELD_BACK = {
    "draft": "a draft in WordPress",
    "pending": "pending review in WordPress",
    "private": "private in WordPress",
    "future": "scheduled in WordPress",
    "trash": "in WordPress's trash",
}
SKIPPED_STATUSES = {"auto-draft": "an unsaved automatic draft", "inherit": "a revision"}
_TAGS = re.compile(r"<[^>]+>")


def state(record: Record) -> tuple[str, str]:
    """Masthead's status for the item, and why it is held back (empty when it is not)."""
    fields = record.fields
    wp_status = fields.get("wp:status", "").strip()
    if wp_status in HELD_BACK:
        return Status.DRAFT, HELD_BACK[wp_status]
    if fields.get("wp:post_password", "").strip():
        return Status.DRAFT, "password-protected in WordPress"
    published = published_at(record)
    if published is None or published > timezone.now():
        return Status.DRAFT, "dated in the future in WordPress"
    return Status.PUBLISHED, ""


def published_at(record: Record):
    f = record.fields
    return wp_datetime(f.get("wp:post_date_gmt"), f.get("wp:post_date"))


def base_slug(record: Record, fallback: str) -> str:
    name = unquote(record.fields.get("wp:post_name", "").strip())
    slug = slugify(name) or slugify(record.fields.get("title", ""))
    return (slug or f"{fallback}-{record.fields.get('wp:post_id', '').strip()}")[:180]


def title(record: Record) -> str:
    return " ".join(html.unescape(record.fields.get("title", "")).split())[:300]


def excerpt(record: Record) -> str:
    text = _TAGS.sub(" ", record.fields.get("excerpt:encoded", ""))
    return " ".join(html.unescape(text).split())


def old_address(url: str) -> str:
    """The path (and WordPress query, for ?p= links) a reader's old link asks for."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
