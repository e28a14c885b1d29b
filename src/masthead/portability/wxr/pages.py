"""Imported pages, kept until the end of the file so each parent is made before its children."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from masthead.discussion.models import Comment
from masthead.portability.wxr import content, convert
from masthead.portability.wxr.parse import Record
from masthead.publishing import markup
from masthead.publishing.models import CommentStatus, Page


class PageWriter:
    def __init__(self, session):
        self.session = session
        self.records: dict[str, Record] = {}
        self.written: list[int] = []

    def add(self, record: Record) -> None:
        self.records[record.fields.get("wp:post_id", "").strip()] = record

    def finish(self) -> None:
        made: dict[str, Page] = {}
        for wp_id in list(self.records):
            self._page(wp_id, made, set())

    def _page(self, wp_id: str, made: dict, seen: set) -> Page | None:
        if wp_id in made:
            return made[wp_id]
        record = self.records.get(wp_id)
        if record is None or wp_id in seen:
            return None
        seen.add(wp_id)
        parent_id = record.fields.get("wp:post_parent", "0").strip()
        parent = self._page(parent_id, made, seen) if parent_id not in ("", "0") else None
        made[wp_id] = page = self._write(record, wp_id, parent)
        return page

    def _write(self, record: Record, wp_id: str, parent: Page | None) -> Page:
        s = self.session
        legacy = s.key("page", wp_id)
        page = Page.objects.filter(legacy_id=legacy).first()
        created = page is None
        page = page or Page(legacy_id=legacy)
        status, why = content.state(record)
        page.title = content.title(record)
        label = f"page {wp_id} “{page.title or '(untitled)'}”"
        # Attachments name their parent by WordPress id alone, as they would a post.
        gallery = s.links.gallery_for(s.key("post", wp_id))
        page.body, notes = convert.article_body(record.fields.get("content:encoded", ""), gallery)
        s.links.watch(Page, legacy, label, page.body)
        s.report.notes.extend((label, note) for note in dict.fromkeys(notes))
        if why:
            s.report.held_back.append((label, why))
        page.body_html = markup.render_article(page.body)
        page.status, page.published_at = status, content.published_at(record)
        page.excerpt = content.excerpt(record)
        page.legacy_url = record.fields.get("link", "").strip()[:500]
        page.parent = parent
        page.menu_order = int(record.fields.get("wp:menu_order", "0").strip() or 0)
        page.slug = self._free_slug(content.base_slug(record, "page"), parent, page.pk)
        # WordPress has pages closed unless opened; the file says which.
        opened = record.fields.get("wp:comment_status", "closed").strip() == "open"
        page.comment_status = CommentStatus.OPEN if opened else CommentStatus.CLOSED
        page.save()
        self.written.append(page.pk)
        s.report.count("pages", created)
        s.redirect_query(f"page_id={wp_id}", legacy)
        if page.legacy_url:
            s.redirects.add(s.local_path(page.legacy_url), legacy)
        if record.comments:
            s.comments.add(None, record.comments, page.title or page.slug, page_id=page.pk)
        return page

    def recount(self) -> None:
        """Each imported page's count of visible comments, in one statement."""
        counted = (
            Comment.objects.counted()
            .filter(page=OuterRef("pk"))
            .order_by()
            .values("page")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Page.objects.filter(pk__in=self.written).update(
            comment_count=Coalesce(Subquery(counted), 0)
        )

    @staticmethod
    def _free_slug(slug: str, parent: Page | None, pk) -> str:
        if parent is None and (slug in Page.RESERVED_SLUGS or slug.isdigit()):
            slug = f"{slug}-page"
        prefix = f"{parent.path}/" if parent else ""
        base, n = slug, 2
        while Page.objects.filter(path=prefix + slug).exclude(pk=pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug
