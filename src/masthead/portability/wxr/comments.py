"""Imported comments: the renderer new comments go through, their own status, in bulk.

Rows are written with bulk inserts, parents a level before their replies, so
no comment signal fires: no notification email, no spam lesson, no cache churn
per row. ``followers_notified_at`` is set, so approving an imported held
comment later tells no follower about old news either.
"""

import datetime as dt
import html
import ipaddress
from collections.abc import Iterable

from django.utils import timezone

from masthead.discussion.models import Comment, CommentKind, CommentStatus, digest_body
from masthead.lib.emails import normalize_email
from masthead.portability.wxr.comment_text import comment_markdown
from masthead.portability.wxr.dates import wp_datetime
from masthead.portability.wxr.report import Report
from masthead.publishing import markup

STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "approved": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    "post-trashed": CommentStatus.TRASH,
}
KINDS = {"pingback": CommentKind.PINGBACK, "trackback": CommentKind.TRACKBACK}
UPDATED_FIELDS = [
    *("parent", "depth", "kind", "author_name", "author_email", "author_url", "body"),
    *("body_html", "body_digest", "status", "created_at", "ip_address"),
]


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _email(value: str) -> str:
    value = normalize_email(value or "")
    return value if "@" in value and len(value) <= 254 else ""


def build(fields: dict[str, str], post_id: int, legacy: str, now: dt.datetime) -> Comment:
    body = comment_markdown(fields.get("wp:comment_content", ""))
    kind = KINDS.get(fields.get("wp:comment_type", "").strip(), CommentKind.COMMENT)
    name = " ".join(html.unescape(fields.get("wp:comment_author", "")).split())[:100]
    return Comment(
        post_id=post_id,
        kind=kind,
        author_name=name or "Anonymous",
        author_email=_email(fields.get("wp:comment_author_email", "")),
        author_url=fields.get("wp:comment_author_url", "").strip()[:300],
        body=body,
        body_html=markup.render_comment(body),
        body_digest=digest_body(body),
        status=STATUSES.get(fields.get("wp:comment_approved", "").strip(), CommentStatus.PENDING),
        created_at=wp_datetime(fields.get("wp:comment_date_gmt"), fields.get("wp:comment_date"))
        or now,
        ip_address=_ip(fields.get("wp:comment_author_IP", "")),
        legacy_id=legacy,
        followers_notified_at=now,
    )


class CommentWriter:
    """Comments gathered post by post, written a few thousand at a time."""

    BATCH = 2000

    def __init__(self, key, report: Report):
        self.key = key
        self.report = report
        # (comment, legacy id of its parent or "")
        self.pending: list[tuple[Comment, str]] = []
        self.touched_posts: set[int] = set()

    def add(self, post_id: int, comments: Iterable[dict[str, str]], title: str) -> None:
        now = timezone.now()
        items = list(comments)
        own = {c.get("wp:comment_id", "").strip() for c in items}
        for fields in items:
            wp_id = fields.get("wp:comment_id", "").strip()
            if not wp_id:
                self.report.skipped.append((f"comment on “{title}”", "it has no comment id"))
                continue
            parent = fields.get("wp:comment_parent", "0").strip()
            if parent not in ("", "0") and parent not in own:
                self.report.notes.append(
                    (
                        f"comment {wp_id} on “{title}”",
                        "its parent is not in the file: kept at the top",
                    )
                )
                parent = ""
            comment = build(fields, post_id, self.key("comment", wp_id), now)
            self.pending.append(
                (comment, self.key("comment", parent) if parent not in ("", "0") else "")
            )
        self.touched_posts.add(post_id)
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        known = dict(
            Comment.objects.filter(legacy_id__in=[c.legacy_id for c, _ in pending]).values_list(
                "legacy_id", "pk"
            )
        )
        depth_of: dict[str, int] = {}
        levels: list[list[tuple[Comment, str]]] = []
        for comment, parent in _parents_first(pending):
            depth = depth_of[parent] + 1 if parent in depth_of else 0
            depth_of[comment.legacy_id] = depth
            comment.depth = depth
            while len(levels) <= depth:
                levels.append([])
            levels[depth].append((comment, parent))
        ids = dict(known)
        for level in levels:
            new, old = [], []
            for comment, parent in level:
                comment.parent_id = ids.get(parent) if parent else None
                comment.pk = known.get(comment.legacy_id)
                (old if comment.pk else new).append(comment)
            Comment.objects.bulk_create(new, batch_size=500)
            Comment.objects.bulk_update(old, UPDATED_FIELDS, batch_size=500)
            ids.update((c.legacy_id, c.pk) for c in new)
            self.report.count("comments", True, len(new))
            self.report.count("comments", False, len(old))


def _parents_first(pending: list[tuple[Comment, str]]) -> list[tuple[Comment, str]]:
    """Order so each comment follows its parent; parents in earlier batches count as placed."""
    in_batch = {c.legacy_id for c, _ in pending}
    placed: set[str] = set()
    ordered: list[tuple[Comment, str]] = []
    waiting = pending
    while waiting:
        rest = []
        for comment, parent in waiting:
            if not parent or parent in placed or parent not in in_batch:
                ordered.append((comment, parent))
                placed.add(comment.legacy_id)
            else:
                rest.append((comment, parent))
        if len(rest) == len(waiting):
            # A loop of parents: the first of it goes to the top.
            comment, _ = rest.pop(0)
            ordered.append((comment, ""))
            placed.add(comment.legacy_id)
        waiting = rest
    return ordered
