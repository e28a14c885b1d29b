"""Imported posts, a batch at a time: rows, bylines, taxonomies, old links, comments.

Bulk writes bypass ``Post.save``, and with it the new-post announcement: an
archive arriving is not news for subscribers.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.portability.wxr import bulk, content, convert
from masthead.portability.wxr.parse import Record
from masthead.publishing import markup
from masthead.publishing.models import Byline, CommentStatus, Post, PostRevision

UPDATED_FIELDS = [
    *("title", "slug", "status", "published_at", "updated_at", "excerpt", "body"),
    *("body_html", "legacy_url", "comment_status", "sticky", "public_since"),
]


@dataclass
class Prepared:
    post: Post
    record: Record
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)


class PostWriter:
    BATCH = 250

    def __init__(self, session):
        self.session = session
        self.batch: list[Prepared] = []
        self.written: list[int] = []

    def add(self, record: Record) -> None:
        s = self.session
        status, why = content.state(record)
        title = content.title(record)
        wp_id = record.fields.get("wp:post_id", "").strip()
        gallery = s.links.gallery_for(s.key("post", wp_id))
        body, notes = convert.article_body(record.fields.get("content:encoded", ""), gallery)
        label = f"post {wp_id} “{title or '(untitled)'}”"
        s.links.watch(Post, s.key("post", wp_id), label, body)
        s.report.notes.extend((label, note) for note in dict.fromkeys(notes))
        if why:
            s.report.held_back.append((label, why))
        post = Post(
            title=title,
            slug=content.base_slug(record, "post"),
            status=status,
            published_at=content.published_at(record),
            excerpt=content.excerpt(record),
            body=body,
            body_html=markup.render_article(body),
            legacy_id=s.key("post", wp_id),
            legacy_url=record.fields.get("link", "").strip()[:500],
            comment_status=(
                CommentStatus.OPEN
                if record.fields.get("wp:comment_status", "open").strip() == "open"
                else CommentStatus.CLOSED
            ),
            sticky=record.fields.get("wp:is_sticky", "0").strip() == "1",
        )
        prepared = Prepared(post, record)
        author = s.taxonomy.author(record.fields.get("dc:creator", ""))
        prepared.authors = [author] if author else []
        for domain, nicename, name in record.categories:
            if domain == "category":
                prepared.categories.append(s.taxonomy.category(nicename, name))
            elif domain == "post_tag":
                prepared.tags.append(s.taxonomy.tag(nicename, name))
        thumbnail = record.meta.get("_thumbnail_id", "").strip()
        if thumbnail:
            s.thumbnails.append((post.legacy_id, s.key("attachment", thumbnail)))
        self.batch.append(prepared)
        if len(self.batch) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        posts = [p.post for p in batch]
        known = dict(
            Post.objects.filter(legacy_id__in=[p.legacy_id for p in posts]).values_list(
                "legacy_id", "pk"
            )
        )
        _free_slugs(posts, known)
        now = timezone.now()
        new, old = [], []
        for post in posts:
            post.pk = known.get(post.legacy_id)
            post.updated_at = now
            # Public before it came here: publishing.events announces nothing for it.
            post.public_since = post.published_at if post.is_public else None
            (old if post.pk else new).append(post)
        Post.objects.bulk_create(new, batch_size=250)
        Post.objects.bulk_update(old, UPDATED_FIELDS, batch_size=250)
        bulk.insert_rows(
            PostRevision,
            [
                {"post_id": p.pk, "title": p.title, "excerpt": p.excerpt, "body": p.body}
                for p in new
            ],
        )
        self.session.report.count("posts", True, len(new))
        self.session.report.count("posts", False, len(old))
        self._relations(batch)
        for prepared in batch:
            self._links_and_comments(prepared)
        self.written.extend(p.pk for p in posts)

    def _relations(self, batch: list[Prepared]) -> None:
        ids = [p.post.pk for p in batch]
        Byline.objects.filter(post_id__in=ids).delete()
        bulk.insert_rows(
            Byline,
            [
                {"post_id": p.post.pk, "author_id": a.pk, "position": i}
                for p in batch
                for i, a in enumerate(dict.fromkeys(p.authors))
            ],
        )
        for name, attr in (("categories", "categories"), ("tags", "tags")):
            through = getattr(Post, name).through
            column = "category" if name == "categories" else "tag"
            through.objects.filter(post_id__in=ids).delete()
            bulk.insert_rows(
                through,
                [
                    {"post_id": p.post.pk, f"{column}_id": item.pk}
                    for p in batch
                    for item in dict.fromkeys(getattr(p, attr))
                ],
            )

    def _links_and_comments(self, prepared: Prepared) -> None:
        s, post, record = self.session, prepared.post, prepared.record
        wp_id = record.fields.get("wp:post_id", "").strip()
        s.redirect_query(f"p={wp_id}", post.legacy_id)
        if post.legacy_url:
            s.redirects.add(s.local_path(post.legacy_url), post.legacy_id)
        if record.comments:
            s.comments.add(post.pk, record.comments, post.title or post.slug)

    def recount(self) -> None:
        """Each imported post's count of visible comments, in one statement per thousand."""
        counted = (
            Comment.objects.counted()
            .filter(post=OuterRef("pk"))
            .order_by()
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        for start in range(0, len(self.written), 1000):
            chunk = self.written[start : start + 1000]
            Post.objects.filter(pk__in=chunk).update(comment_count=Coalesce(Subquery(counted), 0))


def _free_slugs(posts: list[Post], known: dict) -> None:
    """Slugs are unique per publication day; a clash gets -2, -3 … as the editor's would."""
    slugs = {p.slug for p in posts}
    taken = {
        (slug, timezone.localtime(when).date() if when else None)
        for slug, when in Post.objects.filter(slug__in=slugs)
        .exclude(Q(legacy_id__in=list(known)))
        .values_list("slug", "published_at")
    }
    for post in posts:
        day = timezone.localtime(post.published_at).date() if post.published_at else None
        base, n = post.slug, 2
        while (post.slug, day) in taken:
            post.slug, n = f"{base}-{n}", n + 1
        taken.add((post.slug, day))
