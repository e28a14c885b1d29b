"""Imported comments: the renderer new comments go through, their own status, in bulk.

Rows are written with bulk inserts, parents a level before their replies, so
no comment signal fires: no notification email, no spam lesson, no cache churn
per row. ``followers_notified_at`` is set, so approving an imported held
comment later tells no follower about old news either.
"""

import datetime as dt
import functools
import html
import ipaddress
from collections import deque
from collections.abc import Iterable

from django.utils import timezone

from masthead.discussion.models import Comment, CommentKind, CommentStatus, digest_body
from masthead.lib.emails import normalize_email
from masthead.portability.wxr import bulk
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


@functools.lru_cache(maxsize=4096)
def _ip(value: str) -> str | None:
    # Cached: readers come back, so a file names the same few addresses again and again.
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _email(value: str) -> str:
    value = normalize_email(value or "")
    return value if "@" in value and len(value) <= 254 else ""


def render(html_source: str) -> tuple[str, str, str]:
    """A WordPress comment's HTML as Markdown, its rendering and digest, as new comments have."""
    body = comment_markdown(html_source)
    return body, markup.render_comment(body), digest_body(body)


def render_many(sources: list[str]) -> list[tuple[str, str, str]]:
    return [render(source) for source in sources]


def build(
    fields: dict[str, str], post_id: int | None, legacy: str, now: dt.datetime, page_id=None
) -> dict:
    """The comment's row by attribute name, its text still WordPress's HTML until rendered;
    under the post ``post_id``, or the standing page ``page_id``."""
    kind = KINDS.get(fields.get("wp:comment_type", "").strip(), CommentKind.COMMENT)
    name = " ".join(html.unescape(fields.get("wp:comment_author", "")).split())[:100]
    return {
        "post_id": post_id,
        "page_id": page_id,
        "kind": kind,
        "author_name": name or "Anonymous",
        "author_email": _email(fields.get("wp:comment_author_email", "")),
        "author_url": fields.get("wp:comment_author_url", "").strip()[:300],
        "body": fields.get("wp:comment_content", ""),
        "status": STATUSES.get(
            fields.get("wp:comment_approved", "").strip(), CommentStatus.PENDING
        ),
        "created_at": wp_datetime(fields.get("wp:comment_date_gmt"), fields.get("wp:comment_date"))
        or now,
        "ip_address": _ip(fields.get("wp:comment_author_IP", "")),
        "legacy_id": legacy,
        "followers_notified_at": now,
    }


class CommentWriter:
    """Comments gathered post by post (and page by page), written a few thousand at a time.

    Rendering is most of an import's work, so with ``pool`` (worker processes)
    a batch renders there while this process reads and writes the next.
    """

    BATCH = 2000

    def __init__(self, key, report: Report, pool=None):
        self.key = key
        self.report = report
        self.pool = pool
        # (row, legacy id of its parent or "")
        self.pending: list[tuple[dict, str]] = []
        self.in_flight: deque = deque()

    def add(
        self, post_id: int | None, comments: Iterable[dict[str, str]], title: str, *, page_id=None
    ) -> None:
        """The comments under a post, or (``post_id`` None) under the page ``page_id``."""
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
                note = "its parent is not in the file: kept at the top"
                self.report.notes.append((f"comment {wp_id} on “{title}”", note))
                parent = ""
            row = build(fields, post_id, self.key("comment", wp_id), now, page_id=page_id)
            self.pending.append(
                (row, self.key("comment", parent) if parent not in ("", "0") else "")
            )
        if len(self.pending) >= self.BATCH:
            self._send()

    def _send(self) -> None:
        pending, self.pending = _last_of_each(self.pending, self.report), []
        sources = [row["body"] for row, _ in pending]
        if self.pool is None:
            self._write(pending, render_many(sources))
            return
        chunks = [sources[i : i + 250] for i in range(0, len(sources), 250)]
        self.in_flight.append((pending, [self.pool.submit(render_many, c) for c in chunks]))
        # Two batches in the workers' hands keep them busy while this one is written.
        while len(self.in_flight) > 2:
            self._collect()

    def _collect(self) -> None:
        pending, futures = self.in_flight.popleft()
        self._write(pending, [r for future in futures for r in future.result()])

    def flush(self) -> None:
        if self.pending:
            self._send()
        while self.in_flight:
            self._collect()

    def _write(self, pending: list[tuple[dict, str]], rendered: list) -> None:
        for (row, _), (body, body_html, digest) in zip(pending, rendered, strict=True):
            row["body"], row["body_html"], row["body_digest"] = body, body_html, digest
        ids = bulk.known_ids(Comment, "legacy_id", [r["legacy_id"] for r, _ in pending])
        ordered = _parents_first(pending)
        new = [row for row, _ in ordered if row["legacy_id"] not in ids]
        old = [row for row, _ in ordered if row["legacy_id"] in ids]
        ids.update(
            zip((r["legacy_id"] for r in new), bulk.reserve_ids(Comment, len(new)), strict=True)
        )
        depth_of: dict[str, int] = {}
        for row, parent in ordered:
            row["id"] = ids[row["legacy_id"]]
            row["parent_id"] = ids.get(parent) if parent else None
            row["depth"] = depth_of[parent] + 1 if parent in depth_of else 0
            depth_of[row["legacy_id"]] = row["depth"]
        bulk.insert_rows(Comment, new)
        Comment.objects.bulk_update(
            [Comment(pk=row.pop("id"), **row) for row in old], UPDATED_FIELDS, batch_size=500
        )
        self.report.count("comments", True, len(new))
        self.report.count("comments", False, len(old))


def _last_of_each(pending: list[tuple[dict, str]], report: Report) -> list[tuple[dict, str]]:
    """One row per comment id: a comment given twice in the file is the later one."""
    by_legacy = {row["legacy_id"]: (row, parent) for row, parent in pending}
    if len(by_legacy) < len(pending):
        note = "the same comment id appears twice in the file: the later one kept"
        report.notes.append((f"{len(pending) - len(by_legacy)} comments", note))
    return list(by_legacy.values())


def _parents_first(pending: list[tuple[dict, str]]) -> list[tuple[dict, str]]:
    """Order so each comment follows its parent; a loop of parents is broken at the top."""
    in_batch = {row["legacy_id"] for row, _ in pending}
    placed: set[str] = set()
    ordered: list[tuple[dict, str]] = []
    waiting = pending
    while waiting:
        rest = []
        for row, parent in waiting:
            if not parent or parent in placed or parent not in in_batch:
                ordered.append((row, parent))
                placed.add(row["legacy_id"])
            else:
                rest.append((row, parent))
        if len(rest) == len(waiting):
            row, _ = rest.pop(0)
            ordered.append((row, ""))
            placed.add(row["legacy_id"])
        waiting = rest
    return ordered
