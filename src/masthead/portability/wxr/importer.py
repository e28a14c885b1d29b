"""A WordPress export into this publication, all or nothing.

The whole run is one transaction (docs/portability.md says why): a file that
turns out to be broken halfway leaves the database as it was, and so does a
dry run, which does everything and then rolls back. Files copied from
--media-dir are deleted again when the run does not commit.
"""

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from masthead.lib import pagecache
from masthead.portability.models import ImportedMedia, ImportRun, LegacyRedirect
from masthead.portability.redirects import normalize
from masthead.portability.wxr import bulk, media, parse
from masthead.portability.wxr.comments import CommentWriter
from masthead.portability.wxr.media_links import BodyLinks
from masthead.portability.wxr.pages import PageWriter
from masthead.portability.wxr.posts import PostWriter
from masthead.portability.wxr.report import Report
from masthead.portability.wxr.taxonomy import Taxonomy
from masthead.publishing.caching import COMMENTS, SITE
from masthead.publishing.models import Post

SKIPPED_TYPES = {
    "nav_menu_item": "menus are built in Masthead's own settings",
    "revision": "old revisions are not imported",
    "wp_navigation": "menus are built in Masthead's own settings",
}
Progress = Callable[[int, int], None]
PARALLEL_ABOVE = 4_000_000  # bytes: below this, starting workers costs more than it saves


class _Counted:
    """The file, telling how far iterparse has read it."""

    def __init__(self, handle, on_read: Callable[[int], None]):
        self.handle, self.on_read = handle, on_read

    def read(self, size=-1):
        data = self.handle.read(size)
        self.on_read(self.handle.tell())
        return data


class RedirectWriter:
    def __init__(self):
        self.pending: dict[str, tuple[str, str]] = {}

    def add(self, source: str, legacy_id: str, url: str = "") -> None:
        self.pending[normalize(source)[:500]] = (legacy_id, url[:500])
        if len(self.pending) >= 2000:
            self.flush()

    def flush(self) -> None:
        rows = [
            {"source": source, "target_legacy_id": legacy, "target_url": url}
            for source, (legacy, url) in self.pending.items()
        ]
        self.pending = {}
        bulk.insert_rows(
            LegacyRedirect, rows, unique=("source",), update=("target_legacy_id", "target_url")
        )


class Session:
    """One run's state: the site's key, the writers, the report."""

    def __init__(
        self, report: Report, *, authors, media_dir: Path | None, dry_run: bool, pool=None
    ):
        self.report = report
        self.media_dir = media_dir
        self.dry_run = dry_run
        self.site = ""
        self.site_hash = ""
        self.site_path = ""
        self.stored_files: list[str] = []
        # Attachments whose file a dry run found but, being a dry run, did not copy.
        self.would_copy: set[str] = set()
        self.thumbnails: list[tuple[str, str]] = []
        self.redirects = RedirectWriter()
        self.comments = CommentWriter(self.key, report, pool)
        self.taxonomy = Taxonomy(self.key, report, authors or {})
        self.links = BodyLinks(self)
        self.posts = PostWriter(self)
        self.pages = PageWriter(self)
        self._header_done = False

    def key(self, kind: str, wp_id: str) -> str:
        """Legacy ids name the site too (by a short hash), so a second site's file adds."""
        wp_id = str(wp_id).strip()
        if len(wp_id) > 30:
            wp_id = hashlib.sha1(wp_id.encode()).hexdigest()[:30]
        return f"wp:{self.site_hash}:{kind}:{wp_id}"

    def local_path(self, url: str) -> str:
        parts = urlsplit(url.strip())
        return f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/"

    def start(self, channel: parse.Channel) -> None:
        self.site = channel.site_url
        self.site_hash = hashlib.sha1(self.site.lower().encode()).hexdigest()[:10]
        self.site_path = urlsplit(self.site).path.rstrip("/")

    def redirect_query(self, query: str, legacy_id: str, url: str = "") -> None:
        """``/?p=12``, and ``/news/?p=12`` too when WordPress lived in a folder (/news)."""
        self.redirects.add(f"/?{query}", legacy_id, url)
        if self.site_path:
            self.redirects.add(f"{self.site_path}/?{query}", legacy_id, url)

    def take(self, record: parse.Record) -> None:
        kind = record.kind
        if kind == "author":
            self.taxonomy.add_author(record)
        elif kind == "category":
            self.taxonomy.add_category(record)
        elif kind == "tag":
            self.taxonomy.add_tag(record)
        elif kind == "item":
            if not self._header_done:
                self.taxonomy.settle_categories()
                self._header_done = True
            self._item(record)

    def _item(self, record: parse.Record) -> None:
        post_type = record.fields.get("wp:post_type", "").strip()
        status = record.fields.get("wp:status", "").strip()
        label = f"{post_type or 'item'} {record.fields.get('wp:post_id', '?').strip()}"
        if not record.fields.get("wp:post_id", "").strip():
            self.report.skipped.append((label, "it has no WordPress id"))
        elif post_type == "attachment":
            media.import_attachment(self, record)
        elif status in ("auto-draft", "inherit") and post_type in ("post", "page"):
            self.report.skipped.append((label, f"a WordPress {status}"))
        elif post_type == "post":
            self.posts.add(record)
        elif post_type == "page":
            self.pages.add(record)
        else:
            reason = SKIPPED_TYPES.get(post_type, f"Masthead has no “{post_type}” content")
            self.report.skipped_kinds[(post_type or "untyped item", reason)] += 1

    def finish(self) -> None:
        self.taxonomy.settle_categories()
        self.posts.flush()
        self.comments.flush()
        self.pages.finish()
        self.comments.flush()  # the pages' own, once the pages are in
        self.links.finish()
        self.redirects.flush()
        self.posts.recount()
        self.pages.recount()
        self._lead_figures()

    def _lead_figures(self) -> None:
        """Featured images, once both the post and its attachment are in."""
        wanted = dict(self.thumbnails)
        figures = dict(
            ImportedMedia.objects.filter(
                legacy_id__in=set(wanted.values()), figure__isnull=False
            ).values_list("legacy_id", "figure_id")
        )
        for post_legacy, media_legacy in wanted.items():
            if media_legacy in figures:
                Post.objects.filter(legacy_id=post_legacy).update(lead_figure=figures[media_legacy])


def import_wxr(
    path: Path,
    *,
    dry_run: bool = False,
    authors=None,
    media_dir: Path | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
    parallel: bool | None = None,
) -> Report:
    """Import the file; raises parse.WxrError (nothing kept) when it cannot be read.

    ``parallel`` renders comments in worker processes; by default a file larger
    than a few megabytes does, on a machine with more than one core.
    """
    report = Report()
    total = os.path.getsize(path)
    run = run or ImportRun.objects.create(source=str(path)[:300], total_bytes=total)
    cores = os.cpu_count() or 1
    if parallel is None:
        parallel = total > PARALLEL_ABOVE and cores > 1
    # Forked workers only render text; they never touch the database connection.
    pool = ProcessPoolExecutor(max(cores, 2), mp_context=get_context("fork")) if parallel else None
    session = Session(report, authors=authors, media_dir=media_dir, dry_run=dry_run, pool=pool)
    try:
        with open(path, "rb") as handle, bulk.roomy_cache(), transaction.atomic():
            stream = _Counted(handle, lambda done: progress and progress(done, total))
            for record in parse.read(stream):
                if isinstance(record, parse.Channel):
                    session.start(record)
                else:
                    session.take(record)
            session.finish()
            if dry_run:
                transaction.set_rollback(True)
    except BaseException as error:
        _discard(session.stored_files)
        if pool:
            pool.shutdown(cancel_futures=True)
        _close(run, ImportRun.State.FAILED, report, error=str(error) or type(error).__name__)
        raise
    _close(
        run, ImportRun.State.DRY_RUN if dry_run else ImportRun.State.DONE, report, site=session.site
    )
    if not dry_run:
        pagecache.invalidate(SITE, COMMENTS)
    return report


def _discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _close(run: ImportRun, state, report: Report, *, error: str = "", site: str = "") -> None:
    run.state, run.report, run.error = state, report.as_dict(), error[:2000]
    run.site_url = site[:300] or run.site_url
    run.finished_at = timezone.now()
    run.save()
