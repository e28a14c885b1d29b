"""Articles, pages and what classifies and illustrates them."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from masthead.publishing.querysets import PageQuerySet, PostQuerySet


class PathFromParent:
    """Keeps ``path`` ("parent/child") in step with slug and parent, down the tree,
    so an address resolves in one query."""

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)
        for child in self.children.all():
            child.save()


class Author(models.Model):
    """A byline. Imported bylines may have no login, so the user is optional."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/", blank=True)
    legacy_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("publishing:author", args=[self.slug])


class Category(PathFromParent, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    description = models.TextField(blank=True)
    # Cached slug path ("world/europe") so URLs resolve in one query.
    path = models.CharField(max_length=500, unique=True, editable=False)
    legacy_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="category_unique_slug")
        ]

    def __str__(self):
        return self.path.replace("/", " › ") if self.path else self.name

    def get_absolute_url(self):
        return reverse("publishing:category", args=[self.path])


class Tag(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    legacy_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("publishing:tag", args=[self.slug])


class Figure(models.Model):
    """An uploaded image with what a reader needs to understand and credit it.

    Placed in a body as ``![](figure:ID)``; renditions are generated on upload.
    """

    image = models.ImageField(
        upload_to="figures/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        max_length=300, help_text="What the image shows, for readers who cannot see it."
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True)
    # [{"width": 480, "name": "figures/2026/11/x-480.webp"}, ...], smallest first.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    legacy_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt_text[:60]

    @property
    def markdown(self):
        return f"![](figure:{self.pk})"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


class CommentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Content(models.Model):
    """What posts and pages share: a title, a Markdown body and its rendering."""

    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the piece."
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    excerpt = models.TextField(blank=True, help_text="Shown in lists, feeds and link previews.")
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    legacy_id = models.CharField(max_length=64, blank=True, db_index=True)
    legacy_url = models.CharField(max_length=500, blank=True)
    # Posts open by default, pages closed (as WordPress has them); each kind says so.
    comment_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    # Approved comments, kept by the discussion app so lists need no join.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or "(untitled)"

    @property
    def was_updated(self) -> bool:
        """Edited after it went out (backdated or imported pieces don't count)."""
        if self.published_at is None or self.updated_at is None:
            return False
        since = max(self.published_at, self.created_at)
        return self.updated_at - since > dt.timedelta(minutes=10)

    @property
    def is_public(self):
        return (
            self.status in (Status.PUBLISHED, Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Post(Content):
    slug = models.SlugField(max_length=200, unique_for_date="published_at")
    authors = models.ManyToManyField(Author, through="Byline", related_name="posts", blank=True)
    categories = models.ManyToManyField(Category, related_name="posts", blank=True)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    lead_figure = models.ForeignKey(
        Figure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    sticky = models.BooleanField(default=False, help_text="Keep at the top of the home page.")
    # When going public was announced (publishing.events); empty while it is not public.
    public_since = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]
        permissions = [("publish_post", "Can publish posts")]

    def get_absolute_url(self):
        if self.published_at is None:
            return reverse("publishing:preview-post", args=[self.pk])
        local = timezone.localtime(self.published_at)
        return reverse(
            "publishing:post",
            kwargs={
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    def ordered_authors(self):
        """Bylines in the order the editor gave; uses prefetched data when present."""
        return [b.author for b in self.bylines.all()]

    def notes_heading(self) -> str:
        """What the notes under the article are called; uses prefetched notes when present."""
        kinds = {note.kind for note in self.notes.all()}
        if kinds == {NoteKind.CORRECTION}:
            return "Corrections"
        if kinds == {NoteKind.UPDATE}:
            return "Updates"
        return "Corrections and updates"


class Byline(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "author"], name="byline_unique_author")
        ]

    def __str__(self):
        return str(self.author)


class Page(PathFromParent, Content):
    """A standing page (About, Contact) at /<path>/, outside the date archive."""

    slug = models.SlugField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    menu_order = models.IntegerField(
        default=0, help_text="Pages with a positive order are in the menu."
    )
    comment_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.CLOSED
    )

    objects = PageQuerySet.as_manager()

    # First path segments the site's own URLs take before pages are looked up.
    RESERVED_SLUGS = frozenset(
        {
            *("accounts", "admin", "api", "author", "category", "comments", "desk", "email"),
            *("federation", "feed", "media", "nodeinfo", "preview", "search", "static", "tag"),
        }
    )

    class Meta:
        ordering = ["menu_order", "title"]

    def get_absolute_url(self):
        return reverse("publishing:page", args=[self.path])

    def clean(self):
        if not self.parent_id and (self.slug in self.RESERVED_SLUGS or self.slug.isdigit()):
            raise ValidationError(
                {"slug": f"“{self.slug}” is taken by the site's own addresses; choose another."}
            )


class PostRevision(models.Model):
    """A post's words as one save left them: the editors' history, never shown to readers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=300)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Importers and commands save without a person; a deleted account leaves its edits.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    TEXT_FIELDS = ("title", "excerpt", "body")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    def same_text(self, post: Post) -> bool:
        return all(getattr(self, name) == getattr(post, name) for name in self.TEXT_FIELDS)


class NoteKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"


class PostNote(models.Model):
    """A dated correction or update appended to an article, as newsrooms owe their readers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.CORRECTION)
    text = models.TextField(help_text="Markdown: what was wrong or what changed.")
    text_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.created_at:%Y-%m-%d}"


class PostAutosave(models.Model):
    """What one person had typed in the editor, kept by the editor's script while they work.

    Never shown to readers and never written onto the post: the writer chooses to
    restore it into the form and saves as usual. ``post`` is empty for a post not
    saved yet; each person has one copy per post and one for a new post.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    title = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    TEXT_FIELDS = ("title", "excerpt", "body")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post"],
                condition=models.Q(post__isnull=False),
                name="autosave_one_per_user_and_post",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(post__isnull=True),
                name="autosave_one_new_post_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.title or '(untitled)'} ({self.saved_at:%Y-%m-%d %H:%M})"

    def differs_from(self, post: Post | None) -> bool:
        if post is None:
            return any(getattr(self, name) for name in self.TEXT_FIELDS)
        return any(getattr(self, name) != getattr(post, name) for name in self.TEXT_FIELDS)
