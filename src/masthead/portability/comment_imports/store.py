"""Parsed comments into Masthead: matched to posts, threaded, stored in one transaction.

The rules every format shares:

- A thread goes to the post its link or identifier names (see ``posts``); the
  comments of a thread that fits no post, or that name no thread in the file,
  are skipped and counted with the reason.
- Parents are stored before their replies. A reply whose parent is not in the
  file (or sits under another post) starts its own thread.
- A deleted comment, or one without text, is kept as a placeholder (withdrawn:
  no text, its place kept) when replies hang from it, and skipped otherwise.
- Text goes through the comment pipeline (``markup.render_comment``) like a
  reader's. The status comes from the file: spam stays spam, held stays held.
- Nothing is announced: no signal for new comments, no email, no lesson for the
  spam classifier. Followers count the comments as already told, so approving
  an imported held comment later sends no follow-up about old news either.
- ``legacy_id`` is "<format>:<site>:<id>" (Disqus: "disqus:<id>", its ids being
  unique across Disqus): running the same file again updates those comments in
  place, and two sites' exports never collide. A comment stored before ids
  named their site ("<format>:<id>") is found under that form, when it is under
  the same post, and renamed.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from masthead.discussion import services, signals
from masthead.discussion.models import Comment, DiscussionSettings, digest_body
from masthead.portability.comment_imports.parsed import BadFile, Entry, Parsed
from masthead.portability.comment_imports.posts import PostIndex
from masthead.publishing import markup
from masthead.publishing.models import Post

LEGACY_ID_LENGTH = 64
BATCH = 500
# What an import sets, and compares to tell an update from an unchanged comment.
FIELDS = (
    *("post_id", "parent_id", "depth", "author_name", "author_email", "author_url"),
    *("body", "body_html", "body_digest", "status", "created_at", "deleted_at", "ip_address"),
)
FIELDS_TO_WRITE = [*FIELDS, "legacy_id", "followers_notified_at"]


@dataclass
class Report:
    label: str
    dry_run: bool = False
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    placeholders: int = 0
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    posts: set[int] = field(default_factory=set)

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        verb = "would import" if self.dry_run else "imported"
        lines = [
            f"{self.label}: {verb} {self.imported}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {sum(self.skipped.values())}, "
            f"on {len(self.posts)} posts."
        ]
        if self.placeholders:
            lines.append(f"  {self.placeholders} kept as placeholders for their replies")
        lines += [f"  skipped {n}: {reason}" for reason, n in sorted(self.skipped.items())]
        lines += [f"  {n} {note}" for note, n in sorted(self.notes.items())]
        lines += [f"  thread {key} matched no post: {why}" for key, why in self.unmatched]
        if self.dry_run:
            lines.append("Dry run: nothing was stored.")
        return lines


def legacy_id(format_name: str, key: str, site: str = "") -> str:
    """ "<format>:<site>:<id>" ("<format>:<id>" without a site), or a hash of the site
    and id where a long one would not fit the column."""
    value = f"{format_name}:{site}:{key}" if site else f"{format_name}:{key}"
    if len(value) <= LEGACY_ID_LENGTH:
        return value
    digest = hashlib.sha256((f"{site}\n{key}" if site else key).encode()).hexdigest()
    return f"{format_name}:#{digest}"[:LEGACY_ID_LENGTH]


def sites_of(parsed: Parsed, site: str = "") -> dict[str, str]:
    """Each thread's site: ``site`` when given (``--site``), else the one the file names.

    Raises BadFile when a thread with comments has none, before anything is stored.
    """
    if not parsed.by_site:
        return dict.fromkeys(parsed.threads, "")
    sites = {key: site or thread.site for key, thread in parsed.threads.items()}
    used = {entry.thread for entry in parsed.entries}
    nameless = sorted(key for key, name in sites.items() if not name and key in used)
    if nameless:
        raise BadFile(
            f"the {parsed.label} file does not say which site thread {nameless[0]!r} was on; "
            "pass --site with the old site's host (--site old.example), so that its "
            "comments cannot be mistaken for another site's"
        )
    return sites


def store_comments(parsed: Parsed, *, site: str = "", dry_run: bool = False) -> Report:
    """Store a parsed file, all or nothing; ``dry_run`` reports and rolls back."""
    report = Report(parsed.label, dry_run=dry_run, skipped=Counter(parsed.skipped))
    sites = sites_of(parsed, site)
    with transaction.atomic():
        touched = _store(parsed, sites, report)
        _recount(touched)
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(lambda: _renew(touched))
    return report


def _recount(post_ids: set[int]) -> None:
    """Every touched post's count in one grouped query (``recount_comments`` does one post)."""
    ids = sorted(post_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        counted = Comment.objects.counted().filter(post_id__in=batch)
        counts = dict(counted.values_list("post_id").annotate(n=Count("id")).order_by())
        stale = Post.objects.filter(pk__in=batch).only("comment_count")
        changed = [post for post in stale if post.comment_count != counts.get(post.pk, 0)]
        for post in changed:
            post.comment_count = counts.get(post.pk, 0)
        Post.objects.bulk_update(changed, ["comment_count"], batch_size=BATCH)


def _renew(post_ids: Iterable[int]) -> None:
    # Bulk writes send no post_save: tell the page cache what changed under which post.
    for post_id in post_ids:
        signals.discussion_changed.send(Comment, post_id=post_id)


def _store(parsed: Parsed, sites: dict[str, str], report: Report) -> set[int]:
    """Write level by level, a batch at a time; returns the posts whose comments changed.

    Only comments with replies stay in memory once written (as their replies'
    parents), so a large export does not hold every comment at once.
    """
    post_of = _match_threads(parsed, report)
    entries = _placed_entries(parsed, post_of, report)
    parents = _parents(entries, post_of, report)
    kept = _kept(entries, parents, report)
    with_replies = set(parents.values())
    writer = _Writer(parsed.name, sites, post_of, DiscussionSettings.current().max_depth, report)
    parents_saved: dict[str, Comment] = {}
    for level in _levels(kept, parents):
        saved = {}
        for start in range(0, len(level), BATCH):
            batch = level[start : start + BATCH]
            saved.update(
                writer.write(batch, {e.key: parents.get(e.key) for e in batch}, parents_saved)
            )
        parents_saved = {key: c for key, c in saved.items() if key in with_replies}
    report.posts = {post_of[entry.thread] for entry in kept.values()}
    return writer.touched


class _Writer:
    """Stores batches of entries, updating what an earlier run stored, counting as it goes."""

    def __init__(self, format_name: str, sites, post_of: dict[str, int], max_depth: int, report):
        self.format_name, self.sites, self.post_of = format_name, sites, post_of
        self.max_depth, self.report = max_depth, report
        self.touched: set[int] = set()

    def legacy_id(self, entry: Entry) -> str:
        return legacy_id(self.format_name, entry.key, self.sites[entry.thread])

    def write(self, batch: list[Entry], parents, parents_saved) -> dict[str, Comment]:
        existing = self._existing(batch)
        self.touched |= {comment.post_id for comment in existing.values()}
        new, changed, saved, renamed = [], [], {}, []
        for entry in batch:
            comment = existing.get(entry.key)
            before = (_values(comment), comment.legacy_id) if comment else None
            parent = parents_saved.get(parents.get(entry.key))
            comment = _fill(comment or Comment(), entry, self.post_of, parent, self.max_depth)
            comment.legacy_id = self.legacy_id(entry)
            saved[entry.key] = comment
            self.touched.add(comment.post_id)
            if before is None:
                new.append(comment)
            elif before[0] != _values(comment):
                changed.append(comment)
            elif before[1] != comment.legacy_id:
                renamed.append(comment)
        Comment.objects.bulk_create(new)
        Comment.objects.bulk_update(changed + renamed, FIELDS_TO_WRITE)
        self.report.imported += len(new)
        self.report.updated += len(changed)
        self.report.unchanged += len(batch) - len(new) - len(changed)
        if renamed:
            self.report.notes["stored by an earlier version, now named by their site"] += len(
                renamed
            )
        return saved

    def _existing(self, batch: list[Entry]) -> dict[str, Comment]:
        """Comments an earlier run stored, by their key in the file.

        Those stored before legacy ids named their site are looked up under the old
        form as well, and taken only when under the post their thread names now: a
        comment another site's import left under another post is not this one.
        """
        by_legacy = {self.legacy_id(entry): entry.key for entry in batch}
        found = Comment.objects.filter(legacy_id__in=list(by_legacy))
        existing = {by_legacy[comment.legacy_id]: comment for comment in found}
        old_form = {}
        for entry in batch:
            old = legacy_id(self.format_name, entry.key)
            if entry.key not in existing and old not in by_legacy:
                old_form.setdefault(old, entry)
        for comment in Comment.objects.filter(legacy_id__in=list(old_form)):
            entry = old_form[comment.legacy_id]
            if comment.post_id == self.post_of[entry.thread]:
                existing[entry.key] = comment
        return existing


def _match_threads(parsed: Parsed, report: Report) -> dict[str, int]:
    index = PostIndex()
    post_of = {}
    used = {entry.thread for entry in parsed.entries}
    for key, thread in parsed.threads.items():
        post_id, why = index.find(thread.locators)
        if post_id is not None:
            post_of[key] = post_id
        elif key in used:
            report.unmatched.append((key, why))
    return post_of


def _placed_entries(parsed: Parsed, post_of: dict[str, int], report: Report) -> dict[str, Entry]:
    """Entries whose thread is a known post, by key; a key seen twice keeps its last entry."""
    entries: dict[str, Entry] = {}
    for entry in parsed.entries:
        if entry.thread not in parsed.threads:
            report.skipped["its thread is not in the file"] += 1
        elif entry.thread not in post_of:
            report.skipped["its thread matched no post"] += 1
        else:
            if entry.key in entries:
                report.skipped["the same id appears twice in the file (last kept)"] += 1
            entries[entry.key] = entry
    return entries


def _parents(entries: dict[str, Entry], post_of: dict[str, int], report: Report) -> dict[str, str]:
    """Each reply's parent key, when the parent is here, under the same post, and no loop."""
    parents = {}
    for key, entry in entries.items():
        parent = entries.get(entry.parent) if entry.parent else None
        if entry.parent and parent is None:
            report.notes["replies to comments not imported, kept as new threads"] += 1
        elif parent and post_of[parent.thread] != post_of[entry.thread]:
            report.notes["replies to comments under another post, kept as new threads"] += 1
        elif parent:
            parents[key] = parent.key
    for key in list(parents):
        seen, current = {key}, parents.get(key)
        while current is not None:
            if current in seen:
                parents.pop(key)
                report.notes["replies in a loop of replies, kept as new threads"] += 1
                break
            seen.add(current)
            current = parents.get(current)
    return parents


def _kept(entries: dict[str, Entry], parents: dict[str, str], report: Report) -> dict[str, Entry]:
    """What is stored: comments with text, and those that replies with text hang from."""
    needed = set()
    for key, entry in entries.items():
        if entry.has_text:
            current = key
            while current is not None and current not in needed:
                needed.add(current)
                current = parents.get(current)
    for key, entry in entries.items():
        if key not in needed:
            report.skipped["deleted, no replies" if entry.deleted else "no text, no replies"] += 1
        elif not entry.has_text:
            report.placeholders += 1
    return {key: entry for key, entry in entries.items() if key in needed}


def _levels(kept: dict[str, Entry], parents: dict[str, str]) -> list[list[Entry]]:
    """The comments by depth in their threads: every parent comes a level before its replies."""
    children = defaultdict(list)
    for key in kept:
        children[parents.get(key)].append(key)
    levels, current = [], children[None]
    while current:
        levels.append([kept[key] for key in current])
        current = [child for key in current for child in children[key]]
    return levels


def _values(comment: Comment) -> tuple:
    return tuple(getattr(comment, name) for name in FIELDS)


def _fill(comment: Comment, entry: Entry, post_of, parent, max_depth) -> Comment:
    parent = services.attach_point(parent, max_depth)
    comment.post_id = post_of[entry.thread]
    comment.parent = parent
    comment.depth = parent.depth + 1 if parent else 0
    comment.author_name = entry.author_name
    comment.author_email = entry.author_email
    comment.author_url = entry.author_url
    comment.ip_address = entry.ip_address
    comment.status = entry.status
    comment.created_at = entry.created_at
    body = entry.body if entry.has_text else ""
    if comment.pk is None or body != comment.body:  # a second run renders only what changed
        comment.body = body
        comment.body_html = markup.render_comment(body) if body else ""
        comment.body_digest = digest_body(body)
    comment.deleted_at = None if entry.has_text else comment.deleted_at or entry.created_at
    comment.followers_notified_at = comment.followers_notified_at or timezone.now()
    return comment
