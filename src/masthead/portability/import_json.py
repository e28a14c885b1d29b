"""Load a Masthead JSON export into an empty site, all or nothing.

Bodies and notes are rendered again through the site's own pipeline rather than
trusted from the file, figure references in them are moved to the new figure ids,
and rows go in with bulk inserts, so no announcement or notification email is sent
for what was already published elsewhere.
"""

import base64
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from masthead.discussion.models import Comment, CommentRevision, digest_body
from masthead.identity.models import Profile
from masthead.portability import export_reader
from masthead.portability.export_json import FORMAT, VERSION
from masthead.publishing import markup
from masthead.publishing.models import (
    Author,
    Byline,
    Category,
    Figure,
    Page,
    Post,
    PostNote,
    PostRevision,
    Tag,
)

BATCH = 500
FIGURE_REF = re.compile(r"(\]\(\s*|\]:\s*)figure:(\d{1,9})")


class ImportRefused(Exception):
    """The file cannot be loaded here; the message says why. Nothing was stored."""


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _batches(records: Iterable, size: int) -> Iterator[list]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Loader:
    """Loads the sections as the stream hands them over, each record once."""

    def __init__(self):
        self.users: dict[str, object] = {}
        self.authors: dict[str, Author] = {}
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self.figures: dict[int, int] = {}
        self.posts: dict[int, int] = {}
        self.pages: dict[str, Page] = {}  # by path
        self.comments: dict[int, int] = {}
        self.depths: dict[int, int] = {}
        self.counts: Counter = Counter()
        self.comment_identities: set[str] = set()

    def user(self, username: str | None):
        if username is None:
            return None
        try:
            return self.users[username]
        except KeyError:
            raise ImportRefused(
                f"The file refers to user “{username}”, which it does not hold."
            ) from None

    def ref(self, mapping: dict, key, what: str):
        try:
            return mapping[key]
        except KeyError:
            raise ImportRefused(
                f"The file refers to {what} {key!r}, which it does not hold."
            ) from None

    def body(self, source: str) -> str:
        """The text with its ``figure:ID`` references pointing at the imported figures."""

        def moved(match):
            new = self.figures.get(int(match.group(2)))
            return f"{match.group(1)}figure:{new}" if new else match.group(0)

        return FIGURE_REF.sub(moved, source)

    def comment_identity(self, legacy_id: str) -> str:
        """One comment per imported identity: an export made before that rule held may
        repeat one, and then the first keeps it, as the migration that made the rule did."""
        if legacy_id in self.comment_identities:
            return ""
        if legacy_id:
            self.comment_identities.add(legacy_id)
        return legacy_id

    def save_files(self, files: dict[str, str]) -> None:
        for name, data in files.items():
            if not default_storage.exists(name):
                stored = default_storage.save(name, ContentFile(base64.b64decode(data)))
                if stored != name:
                    raise ImportRefused(f"Media file {name} could not be stored under its name.")

    def run(self, sections: Iterable[tuple[str, object]]) -> Counter:
        steps = {
            "users": self.load_users,
            "authors": self.load_authors,
            "categories": self.load_categories,
            "tags": self.load_tags,
            "figures": self.load_figures,
            "posts": self.load_posts,
            "pages": self.load_pages,
            "comments": self.load_comments,
        }
        for name, records in sections:
            step = steps.get(name)
            if step is not None:
                step(records if isinstance(records, Iterator) else [])
            elif isinstance(records, Iterator):
                for _ in records:  # a section this version does not know: read past it
                    pass
        return self.counts

    def load_users(self, records: Iterable[dict]) -> None:
        model = get_user_model()
        groups = {g.name: g for g in Group.objects.all()}
        for record in records:
            username = record["username"]
            existing = model.objects.filter(**{model.USERNAME_FIELD: username}).first()
            if existing is not None:
                self.users[username] = existing
                continue
            user = model(
                **{model.USERNAME_FIELD: username},
                email=record.get("email", ""),
                first_name=record.get("first_name", ""),
                last_name=record.get("last_name", ""),
                is_active=record.get("is_active", True),
                is_staff=record.get("is_staff", False),
                is_superuser=record.get("is_superuser", False),
                date_joined=_when(record.get("date_joined")),
            )
            # Passwords never travel in an export: people set a new one by email.
            user.set_unusable_password()
            model.objects.bulk_create([user])
            self.users[username] = user
            user.groups.set([groups[n] for n in record.get("groups", []) if n in groups])
            EmailAddress.objects.bulk_create(
                EmailAddress(user=user, **address) for address in record.get("emails", [])
            )
            if record.get("profile"):
                Profile.objects.create(user=user, **record["profile"])
            self.counts["users"] += 1

    def load_authors(self, records: Iterable[dict]) -> None:
        for record in records:
            self.save_files(record.get("files", {}))
            author = Author(
                slug=record["slug"],
                display_name=record["display_name"],
                bio=record.get("bio", ""),
                avatar=record.get("avatar", ""),
                legacy_id=record.get("legacy_id", ""),
                user=self.user(record.get("user")),
            )
            Author.objects.bulk_create([author])
            self.authors[author.slug] = author
            self.counts["authors"] += 1

    def load_categories(self, records: Iterable[dict]) -> None:
        # Few enough to hold: sorted so that each parent is made before its children.
        records = sorted(records, key=lambda r: r["path"].count("/"))
        for record in records:
            parent = record.get("parent")
            category = Category(
                name=record["name"],
                slug=record["slug"],
                description=record.get("description", ""),
                legacy_id=record.get("legacy_id", ""),
                parent=self.ref(self.categories, parent, "category") if parent else None,
            )
            category.save()
            self.categories[category.path] = category
            self.counts["categories"] += 1

    def load_tags(self, records: Iterable[dict]) -> None:
        for record in records:
            tag = Tag(
                slug=record["slug"], name=record["name"], legacy_id=record.get("legacy_id", "")
            )
            self.tags[tag.slug] = tag
        Tag.objects.bulk_create(self.tags.values(), batch_size=BATCH)
        self.counts["tags"] = len(self.tags)

    def load_figures(self, records: Iterable[dict]) -> None:
        for record in records:
            self.save_files(record.get("files", {}))
            figure = Figure(
                image=record["image"],
                width=record.get("width", 0),
                height=record.get("height", 0),
                alt_text=record["alt_text"],
                caption=record.get("caption", ""),
                credit=record.get("credit", ""),
                renditions=record.get("renditions", []),
                uploaded_by=self.user(record.get("uploaded_by")),
                created_at=_when(record.get("created_at")),
                legacy_id=record.get("legacy_id", ""),
            )
            Figure.objects.bulk_create([figure])
            self.figures[record["id"]] = figure.pk
            self.counts["figures"] += 1

    def content(self, record: dict) -> dict:
        body = self.body(record.get("body", ""))
        return {
            "title": record["title"],
            "slug": record["slug"],
            "status": record["status"],
            "published_at": _when(record.get("published_at")),
            "created_at": _when(record.get("created_at")),
            "excerpt": record.get("excerpt", ""),
            "body": body,
            "body_html": markup.render_article(body),
            "legacy_id": record.get("legacy_id", ""),
            "legacy_url": record.get("legacy_url", ""),
        }

    def load_posts(self, records: Iterable[dict]) -> None:
        for batch in _batches(records, BATCH):
            self.load_post_batch(batch)

    def load_post_batch(self, records: list[dict]) -> None:
        posts = []
        for record in records:
            lead = record.get("lead_figure")
            posts.append(
                Post(
                    **self.content(record),
                    comment_status=record.get("comment_status", "open"),
                    sticky=record.get("sticky", False),
                    lead_figure_id=self.ref(self.figures, lead, "figure") if lead else None,
                )
            )
        for post in posts:
            post.public_since = post.published_at if post.is_public else None
        Post.objects.bulk_create(posts)
        bylines, categories, tags, revisions, notes = [], [], [], [], []
        for record, post in zip(records, posts, strict=True):
            self.posts[record["id"]] = post.pk
            # An insert stamps updated_at with now; the file's time is the one to keep.
            Post.objects.filter(pk=post.pk).update(updated_at=_when(record.get("updated_at")))
            for b in record.get("bylines", []):
                author = self.ref(self.authors, b["author"], "author")
                bylines.append(Byline(post=post, author=author, position=b["position"]))
            for path in record.get("categories", []):
                category = self.ref(self.categories, path, "category")
                categories.append(Post.categories.through(post=post, category=category))
            for slug in record.get("tags", []):
                tag = self.ref(self.tags, slug, "tag")
                tags.append(Post.tags.through(post=post, tag=tag))
            for r in record.get("revisions", []):
                revisions.append(
                    PostRevision(
                        post=post,
                        title=r["title"],
                        excerpt=r.get("excerpt", ""),
                        body=self.body(r.get("body", "")),
                        by=self.user(r.get("by")),
                        created_at=_when(r["created_at"]),
                    )
                )
            for n in record.get("notes", []):
                notes.append(
                    PostNote(
                        post=post,
                        kind=n["kind"],
                        text=n["text"],
                        text_html=markup.render_article(n["text"]),
                        created_at=_when(n["created_at"]),
                    )
                )
        for model, rows in (
            (Byline, bylines),
            (Post.categories.through, categories),
            (Post.tags.through, tags),
            (PostRevision, revisions),
            (PostNote, notes),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts["posts"] += len(posts)

    def load_pages(self, records: Iterable[dict]) -> None:
        pages: dict[str, Page] = self.pages
        records = sorted(records, key=lambda r: r["path"].count("/"))
        for record in records:
            parent = record.get("parent")
            page = Page(
                **self.content(record),
                menu_order=record.get("menu_order", 0),
                # An export from before pages took comments says nothing: closed, as new.
                comment_status=record.get("comment_status", "closed"),
                parent=self.ref(pages, parent, "page") if parent else None,
            )
            page.save()
            Page.objects.filter(pk=page.pk).update(updated_at=_when(record.get("updated_at")))
            pages[page.path] = page
        self.counts["pages"] = len(pages)

    def load_comments(self, records: Iterable[dict]) -> None:
        for batch in _batches(records, BATCH):
            self.load_comment_batch(batch)
        # What the page lists show, counted once the threads are all in.
        counted = Counter(Comment.objects.counted().values_list("post_id", "page_id"))
        for (post_id, page_id), n in counted.items():
            if post_id is not None:
                Post.objects.filter(pk=post_id).update(comment_count=n)
            else:
                Page.objects.filter(pk=page_id).update(comment_count=n)

    def target(self, record: dict) -> dict:
        """What a comment is under: the post by its id, or a standing page by its path."""
        if record.get("page") is not None:
            return {"page_id": self.ref(self.pages, record["page"], "page").pk}
        return {"post_id": self.ref(self.posts, record["post"], "post")}

    def load_comment_batch(self, records: list[dict]) -> None:
        comments, later = [], []
        for record in records:
            parent = record.get("parent")
            comment = Comment(
                **self.target(record),
                parent_id=self.comments.get(parent),
                depth=self.depths[parent] + 1 if parent in self.depths else 0,
                kind=record.get("kind", "comment"),
                status=record["status"],
                user=self.user(record.get("user")),
                provider=record.get("provider", ""),
                author_name=record.get("author_name", ""),
                author_email=record.get("author_email", ""),
                author_url=record.get("author_url", ""),
                body=record.get("body", ""),
                body_html=markup.render_comment(record.get("body", "")),
                body_digest=digest_body(record.get("body", "")),
                moderation_note=record.get("moderation_note", ""),
                spam_score=record.get("spam_score"),
                like_count=record.get("like_count", 0),
                created_at=_when(record["created_at"]),
                edited_at=_when(record.get("edited_at")),
                deleted_at=_when(record.get("deleted_at")),
                followers_notified_at=_when(record.get("followers_notified_at")),
                ip_address=record.get("ip_address"),
                user_agent=record.get("user_agent", ""),
                legacy_id=self.comment_identity(record.get("legacy_id", "")),
            )
            comments.append(comment)
            if parent is not None and comment.parent_id is None:
                later.append((comment, parent))
        Comment.objects.bulk_create(comments)
        revisions = []
        for record, comment in zip(records, comments, strict=True):
            self.comments[record["id"]] = comment.pk
            revisions += [
                CommentRevision(
                    comment=comment, body=r["body"], replaced_at=_when(r["replaced_at"])
                )
                for r in record.get("revisions", [])
            ]
        CommentRevision.objects.bulk_create(revisions, batch_size=BATCH)
        self.counts["comments"] += len(comments)
        # A reply whose parent came in the same batch is attached now that both have ids.
        waiting = dict(later)
        for record, comment in zip(records, comments, strict=True):
            if comment in waiting:
                parent = waiting[comment]
                comment.parent_id = self.ref(self.comments, parent, "comment")
                comment.depth = self.ref(self.depths, parent, "comment") + 1
            self.depths[record["id"]] = comment.depth
        Comment.objects.bulk_update(list(waiting), ["parent", "depth"], batch_size=BATCH)


def _site_holds_content() -> str:
    for model in (Post, Page, Comment, Figure, Author, Category, Tag):
        n = model.objects.count()
        if n:
            return f"{n} {model._meta.verbose_name_plural}"
    return ""


def _header(fields: dict) -> None:
    if fields.get("format") != FORMAT:
        raise ImportRefused(f"The file is not a Masthead export (no “format”: “{FORMAT}”).")
    if fields.get("version") != VERSION:
        raise ImportRefused(
            f"The file is version {fields.get('version')} of the export format; "
            f"this Masthead reads version {VERSION}."
        )


def _checked(stream: Iterator[tuple[str, object]]) -> Iterator[tuple[str, object]]:
    """The stream, once the header before the first section says it is an export we read."""
    fields: dict = {}
    for name, value in stream:
        if isinstance(value, Iterator):
            _header(fields)
            yield name, value
            yield from stream
            return
        fields[name] = value
    _header(fields)


def import_site(source: BinaryIO) -> Counter:
    """Load the export in ``source`` into this site, which must hold no content yet.

    The file is read as a stream (``export_reader``), so a site of any size loads
    in the memory of its largest record.
    """
    held = _site_holds_content()
    if held:
        raise ImportRefused(f"This site already holds content ({held}); import into an empty site.")
    try:
        with transaction.atomic():
            return Loader().run(_checked(export_reader.read(source)))
    except export_reader.BadExport as exc:
        raise ImportRefused(f"The file is not valid JSON: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportRefused(f"The file is not a complete Masthead export: {exc!r}") from exc
