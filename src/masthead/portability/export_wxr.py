"""The site as WordPress eXtended RSS 1.2, the file WordPress's importer reads.

Written element by element with XMLGenerator, so a site of any size streams out.
WordPress keeps posts, pages and attachments in one id space, so pages and figures
are numbered after the highest post id; categories and tags share the term ids the
same way. Text goes in CDATA sections as WordPress's own exports have it, which
its fallback parsers need.
"""

import datetime as dt
import re
from email.utils import format_datetime
from typing import BinaryIO
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.publishing.models import Author, Category, Figure, Page, Post, Tag

NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
POST_STATUS = {"published": "publish", "scheduled": "future", "draft": "draft"}
COMMENT_APPROVED = {"approved": "1", "pending": "0", "spam": "spam", "trash": "trash"}
NO_DATE = "0000-00-00 00:00:00"
CHUNK = 500
# Characters XML 1.0 cannot carry at all.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LOCAL_URL = re.compile(r'(\s(?:src|href|srcset)=")([^"]*)"')


def _site_url(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") and not path.startswith("//") else path


def absolute_urls(html: str) -> str:
    """The site's own links and images made absolute, so they work from another host."""

    def fix(match):
        value = match.group(2)
        if "," in value or " " in value.strip():  # a srcset: "url 480w, url 960w"
            parts = [p.strip().split(" ", 1) for p in value.split(",") if p.strip()]
            value = ", ".join(" ".join([_site_url(p[0]), *p[1:]]) for p in parts)
        else:
            value = _site_url(value)
        return f'{match.group(1)}{value}"'

    return LOCAL_URL.sub(fix, html)


class Writer:
    """XMLGenerator with the few shapes WXR needs: text elements and CDATA, one per line
    and indented, with no self-closed tags, as WordPress's own exports are written."""

    def __init__(self, out: BinaryIO):
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=False)
        self.nested: list[bool] = []  # per open element: has it children yet

    def open(self, name: str, attrs: dict | None = None) -> None:
        if self.nested:
            self.nested[-1] = True
        if self.nested:
            self.xml.ignorableWhitespace("\n" + "\t" * len(self.nested))
        self.xml.startElement(name, attrs or {})
        self.nested.append(False)

    def close(self, name: str) -> None:
        if self.nested.pop():
            self.xml.ignorableWhitespace("\n" + "\t" * len(self.nested))
        self.xml.endElement(name)

    def text(self, name: str, value, attrs: dict | None = None) -> None:
        self.open(name, attrs)
        self.xml.characters(NOT_XML.sub("", str(value if value is not None else "")))
        self.close(name)

    def cdata(self, name: str, value: str, attrs: dict | None = None) -> None:
        self.open(name, attrs)
        if value:
            # A literal "]]>" would end the section early: split it across two.
            safe = NOT_XML.sub("", value).replace("]]>", "]]]]><![CDATA[>")
            # XMLGenerator has no CDATA call; this one writes its argument unescaped.
            self.xml.ignorableWhitespace(f"<![CDATA[{safe}]]>")
        self.close(name)


def _local(when: dt.datetime | None) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S") if when else NO_DATE


def _gmt(when: dt.datetime | None) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if when else NO_DATE


def category_nicenames() -> dict[int, str]:
    """WordPress wants category slugs unique site-wide; a repeated one takes its path."""
    categories = list(Category.objects.all())
    seen: dict[str, int] = {}
    for c in categories:
        seen[c.slug] = seen.get(c.slug, 0) + 1
    return {c.pk: c.slug if seen[c.slug] == 1 else c.path.replace("/", "-") for c in categories}


class WXRExport:
    def __init__(self, out: BinaryIO):
        self.w = Writer(out)
        self.counts = dict.fromkeys(("authors", "categories", "tags", "attachments"), 0)
        self.counts |= {"posts": 0, "pages": 0, "comments": 0}
        self.page_offset = Post.objects.aggregate(m=Max("pk"))["m"] or 0
        self.figure_offset = self.page_offset + (Page.objects.aggregate(m=Max("pk"))["m"] or 0)
        self.tag_offset = Category.objects.aggregate(m=Max("pk"))["m"] or 0
        self.nicenames = category_nicenames()
        self.logins = dict(Author.objects.values_list("pk", "slug"))
        linked = Author.objects.filter(user__isnull=False)
        self.user_logins = dict(linked.values_list("user_id", "slug"))
        # WordPress maps a comment's user through the wp:author_id of the file's authors.
        self.user_authors = dict(linked.values_list("user_id", "pk"))

    def write(self) -> dict[str, int]:
        w = self.w
        w.xml.startDocument()
        w.open("rss", {"version": "2.0", **{f"xmlns:{k}": v for k, v in NAMESPACES.items()}})
        w.open("channel")
        self.channel()
        self.authors()
        self.terms()
        for figure in Figure.objects.order_by("pk").iterator(CHUNK):
            self.attachment(figure)
        self.posts()
        self.pages()
        w.close("channel")
        w.close("rss")
        w.xml.ignorableWhitespace("\n")
        w.xml.endDocument()
        return self.counts

    def channel(self) -> None:
        w = self.w
        for name, value in (
            ("title", settings.SITE_NAME),
            ("link", settings.SITE_URL),
            ("description", getattr(settings, "SITE_TAGLINE", "")),
            ("pubDate", format_datetime(timezone.now())),
            ("language", settings.LANGUAGE_CODE),
            ("wp:wxr_version", "1.2"),
            ("wp:base_site_url", settings.SITE_URL),
            ("wp:base_blog_url", settings.SITE_URL),
            ("generator", "Masthead"),
        ):
            w.text(name, value)

    def authors(self) -> None:
        w = self.w
        for author in Author.objects.select_related("user").order_by("pk"):
            w.open("wp:author")
            w.text("wp:author_id", author.pk)
            w.text("wp:author_login", author.slug)
            w.text("wp:author_email", author.user.email if author.user else "")
            w.cdata("wp:author_display_name", author.display_name)
            w.cdata("wp:author_first_name", author.user.first_name if author.user else "")
            w.cdata("wp:author_last_name", author.user.last_name if author.user else "")
            w.close("wp:author")
            self.counts["authors"] += 1

    def terms(self) -> None:
        w = self.w
        # Parents first: WordPress's importer looks a parent up by its nicename.
        for category in sorted(Category.objects.all(), key=lambda c: (c.path.count("/"), c.path)):
            w.open("wp:category")
            w.text("wp:term_id", category.pk)
            w.text("wp:category_nicename", self.nicenames[category.pk])
            w.text("wp:category_parent", self.nicenames.get(category.parent_id, ""))
            w.cdata("wp:cat_name", category.name)
            w.cdata("wp:category_description", category.description)
            w.close("wp:category")
            self.counts["categories"] += 1
        for tag in Tag.objects.order_by("pk").iterator(CHUNK):
            w.open("wp:tag")
            w.text("wp:term_id", self.tag_offset + tag.pk)
            w.text("wp:tag_slug", tag.slug)
            w.cdata("wp:tag_name", tag.name)
            w.close("wp:tag")
            self.counts["tags"] += 1

    def item(self, *, wp_id, title, link, when, creator, content, excerpt, fields) -> None:
        w = self.w
        w.open("item")
        w.text("title", title)
        w.text("link", link)
        w.text("pubDate", format_datetime(when) if when else "")
        w.cdata("dc:creator", creator)
        w.text("guid", f"{settings.SITE_URL}/?p={wp_id}", {"isPermaLink": "false"})
        w.text("description", "")
        w.cdata("content:encoded", content)
        w.cdata("excerpt:encoded", excerpt)
        w.text("wp:post_id", wp_id)
        for name, value in fields:
            w.text(f"wp:{name}", value)

    def meta(self, key: str, value) -> None:
        w = self.w
        w.open("wp:postmeta")
        w.text("wp:meta_key", key)
        w.cdata("wp:meta_value", str(value))
        w.close("wp:postmeta")

    def dated(self, obj, post_type: str, parent: int, menu_order: int) -> list[tuple]:
        return [
            ("post_date", _local(obj.published_at or obj.created_at)),
            ("post_date_gmt", _gmt(obj.published_at)),
            ("post_modified", _local(obj.updated_at)),
            ("post_modified_gmt", _gmt(obj.updated_at)),
            ("comment_status", getattr(obj, "comment_status", "closed")),
            ("ping_status", "closed"),
            ("post_name", obj.slug),
            ("status", POST_STATUS.get(obj.status, "draft")),
            ("post_parent", parent),
            ("menu_order", menu_order),
            ("post_type", post_type),
            ("post_password", ""),
            ("is_sticky", int(getattr(obj, "sticky", False))),
        ]

    def attachment(self, figure: Figure) -> None:
        url = _site_url(figure.image.url)
        self.item(
            wp_id=self.figure_offset + figure.pk,
            title=figure.alt_text,
            link=url,
            when=figure.created_at,
            creator=self.user_logins.get(figure.uploaded_by_id, ""),
            content="",
            excerpt=figure.caption,
            fields=[
                ("post_date", _local(figure.created_at)),
                ("post_date_gmt", _gmt(figure.created_at)),
                ("comment_status", "closed"),
                ("ping_status", "closed"),
                ("post_name", f"figure-{figure.pk}"),
                ("status", "inherit"),
                ("post_parent", 0),
                ("menu_order", 0),
                ("post_type", "attachment"),
                ("post_password", ""),
                ("is_sticky", 0),
                ("attachment_url", url),
            ],
        )
        # The file's path under the media folder, as WordPress records it under
        # its uploads folder: an import given --media-dir finds the file by it.
        self.meta("_wp_attached_file", figure.image.name)
        self.meta("_wp_attachment_image_alt", figure.alt_text)
        if figure.credit:
            self.meta("_masthead_credit", figure.credit)
        self.w.close("item")
        self.counts["attachments"] += 1

    def posts(self) -> None:
        posts = Post.objects.order_by("pk").prefetch_related("bylines", "categories", "tags")
        comments = Comment.objects.filter(post__isnull=False).order_by("post_id", "pk")
        pending = next(comments := comments.iterator(CHUNK), None)
        for post in posts.iterator(chunk_size=CHUNK):
            self.post(post)
            # Both run in post order, so each post's comments follow it with no query of its own.
            while pending is not None and pending.post_id <= post.pk:
                if pending.post_id == post.pk:
                    self.comment(pending)
                pending = next(comments, None)
            self.w.close("item")

    def pages(self) -> None:
        comments = Comment.objects.filter(page__isnull=False).order_by("page_id", "pk")
        pending = next(comments := comments.iterator(CHUNK), None)
        for page in Page.objects.order_by("pk").iterator(CHUNK):
            self.page(page)
            # As for posts: each page's comments follow it, in the same order.
            while pending is not None and pending.page_id <= page.pk:
                if pending.page_id == page.pk:
                    self.comment(pending)
                pending = next(comments, None)
            self.w.close("item")

    def post(self, post: Post) -> None:
        bylines = list(post.bylines.all())
        self.item(
            wp_id=post.pk,
            title=post.title,
            link=_site_url(post.get_absolute_url()),
            when=post.published_at,
            creator=self.logins.get(bylines[0].author_id, "") if bylines else "",
            content=absolute_urls(post.body_html),
            excerpt=post.excerpt,
            fields=self.dated(post, "post", 0, 0),
        )
        w = self.w
        for category in post.categories.all():
            nicename = self.nicenames[category.pk]
            w.cdata("category", category.name, {"domain": "category", "nicename": nicename})
        for tag in post.tags.all():
            w.cdata("category", tag.name, {"domain": "post_tag", "nicename": tag.slug})
        if post.lead_figure_id:
            self.meta("_thumbnail_id", self.figure_offset + post.lead_figure_id)
        if len(bylines) > 1:
            self.meta("_masthead_bylines", ",".join(self.logins[b.author_id] for b in bylines))
        self.counts["posts"] += 1

    def page(self, page: Page) -> None:
        parent = self.page_offset + page.parent_id if page.parent_id else 0
        self.item(
            wp_id=self.page_offset + page.pk,
            title=page.title,
            link=_site_url(page.get_absolute_url()),
            when=page.published_at,
            creator="",
            content=absolute_urls(page.body_html),
            excerpt=page.excerpt,
            fields=self.dated(page, "page", parent, page.menu_order),
        )
        self.counts["pages"] += 1

    def comment(self, comment: Comment) -> None:
        w = self.w
        w.open("wp:comment")
        w.text("wp:comment_id", comment.pk)
        w.cdata("wp:comment_author", comment.author_name)
        w.text("wp:comment_author_email", comment.author_email)
        w.text("wp:comment_author_url", comment.author_url)
        w.text("wp:comment_author_IP", comment.ip_address or "")
        w.text("wp:comment_date", _local(comment.created_at))
        w.text("wp:comment_date_gmt", _gmt(comment.created_at))
        w.cdata("wp:comment_content", comment.body_html)
        w.text("wp:comment_approved", COMMENT_APPROVED.get(comment.status, "0"))
        w.text("wp:comment_type", comment.kind)
        w.text("wp:comment_parent", comment.parent_id or 0)
        w.text("wp:comment_user_id", self.user_authors.get(comment.user_id, 0))
        w.close("wp:comment")
        self.counts["comments"] += 1


def write_wxr(out: BinaryIO) -> dict[str, int]:
    """Write the site to ``out`` as WXR 1.2; returns how many of each kind it holds."""
    return WXRExport(out).write()
