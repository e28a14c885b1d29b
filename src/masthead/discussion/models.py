"""Comments under articles, their history, likes, and who asked to hear about them."""

import hashlib
import html
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from masthead.discussion.querysets import CommentQuerySet, CommentStatus, ReaderView
from masthead.publishing.models import Page, Post


def digest_body(text: str) -> str:
    """A comment's text without its case and spacing, hashed; "" for no text."""
    normal = " ".join(text.split()).casefold()
    return hashlib.sha256(normal.encode()).hexdigest() if normal else ""


class CommentKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    PINGBACK = "pingback", "Pingback"
    TRACKBACK = "trackback", "Trackback"


class Comment(ReaderView, models.Model):
    # Under a post or under a standing page: exactly one of the two (see ``target``).
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    kind = models.CharField(max_length=10, choices=CommentKind.choices, default="comment")

    # A guest names themself; a logged-in reader is the user, via a provider.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    provider = models.CharField(max_length=40, blank=True)
    author_name = models.CharField(max_length=100)
    author_email = models.EmailField(blank=True, db_index=True)
    author_url = models.URLField(max_length=300, blank=True)

    body = models.TextField()
    body_html = models.TextField(editable=False)
    # The text with case and spacing set aside, hashed: finds a repeat in one lookup.
    body_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    # Why a comment was held or marked spam, for the moderator.
    moderation_note = models.CharField(max_length=300, blank=True)
    spam_score = models.FloatField(null=True, blank=True, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a comment with replies is withdrawn: the thread keeps its place.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Followers hear of a comment once, however often a moderator flips it.
    followers_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a held comment went out in a moderators' notice; cleared by a held edit.
    moderators_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Kept a limited time (MASTHEAD_COMMENT_IP_DAYS), then blanked.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    # Where an imported comment came from: the source (a WordPress site's hash,
    # "disqus", ...) and its id there, in one string; one comment per identity,
    # so a second run of the same file updates and never duplicates.
    legacy_id = models.CharField(max_length=64, blank=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["page", "status", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            # Small by design: only held comments whose notice has not gone out.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending", moderators_notified_at__isnull=True),
                name="awaiting_moderators",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_id"],
                condition=~models.Q(legacy_id=""),
                name="one_comment_per_legacy_id",
            ),
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, page__isnull=True)
                | models.Q(post__isnull=True, page__isnull=False),
                name="comment_on_post_or_page",
            ),
        ]

    def __str__(self):
        return f"{self.author_name} on {self.target}"

    def save(self, *args, **kwargs):
        self.body_digest = digest_body(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_digest"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    @property
    def target(self) -> Post | Page:
        """What the comment is under: its post, or its standing page."""
        return self.post if self.post_id is not None else self.page

    @property
    def target_key(self) -> str:
        """The discussion's cache tag, "post:<id>" or "page:<id>", without fetching either."""
        if self.post_id is not None:
            return f"post:{self.post_id}"
        return f"page:{self.page_id}"

    def excerpt(self, chars: int = 120) -> str:
        """The comment as one line of plain text, for lists and the command line."""
        if self.is_deleted:
            return "This comment was deleted."
        text = " ".join(html.unescape(strip_tags(self.body_html)).split())
        return Truncator(text).chars(chars)


class CommentRevision(models.Model):
    """An earlier text of an edited comment, for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self):
        return f"Revision of comment {self.comment_id}"


class UsedModerationLink(models.Model):
    """An emailed moderation link that has acted, so it never acts again."""

    key = models.CharField(max_length=64, primary_key=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Moderation link used {self.used_at:%Y-%m-%d %H:%M}"


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    # A keyed hash of the browser's id; never the raw id or the address.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "fingerprint"], name="one_like_per_reader")
        ]

    def __str__(self):
        return f"Like on comment {self.comment_id}"


def _token():
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """Follow-ups on one post or page, or new posts site-wide when both are empty."""

    email = models.EmailField()
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "post"], name="one_subscription_per_post"),
            models.UniqueConstraint(fields=["email", "page"], name="one_subscription_per_page"),
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(post__isnull=True, page__isnull=True),
                name="one_site_subscription",
            ),
            models.CheckConstraint(
                condition=models.Q(post__isnull=True) | models.Q(page__isnull=True),
                name="subscription_to_post_or_page",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.target or 'new posts'}"

    @property
    def target(self):
        """The post or page followed; None for new posts site-wide."""
        return self.post if self.post_id is not None else self.page

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Policy(models.TextChoices):
    HOLD_ALL = "hold_all", "Hold every comment for moderation"
    HOLD_UNKNOWN = "hold_unknown", "Hold the first comment of an unknown email"
    HOLD_NONE = "hold_none", "Publish comments at once (rules still apply)"


class DiscussionSettings(models.Model):
    """The site's discussion rules, edited in the admin. One row."""

    policy = models.CharField(max_length=20, choices=Policy.choices, default=Policy.HOLD_UNKNOWN)
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Hold a comment with more links than this."
    )
    max_depth = models.PositiveSmallIntegerField(
        default=5, help_text="Deeper replies attach to the deepest allowed level."
    )
    close_after_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Close comments this many days after publication."
    )
    edit_minutes = models.PositiveIntegerField(
        default=15, help_text="How long a commenter may edit or delete their comment."
    )
    blocked_words = models.TextField(blank=True, help_text="One per line; a match holds.")
    blocked_emails = models.TextField(blank=True, help_text="One per line; a match holds.")
    blocked_ips = models.TextField(
        blank=True, help_text="One address or network (203.0.113.0/24) per line."
    )
    moderator_emails = models.TextField(
        blank=True, help_text="Who is told of held comments, one per line."
    )
    akismet_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "discussion settings"

    def __str__(self):
        return "Discussion settings"

    CACHE_KEY = "discussion:settings"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        # Again after the commit: a worker reading in between cached the old row.
        transaction.on_commit(lambda: cache.delete(self.CACHE_KEY))

    @classmethod
    def current(cls) -> "DiscussionSettings":
        """The one row, from the cache when it can be; every page under an article asks."""
        config = cache.get(cls.CACHE_KEY)
        if config is None:
            config = cls.objects.get_or_create(pk=1)[0]
            cache.set(cls.CACHE_KEY, config, 300)
        return config


class Announcement(models.Model):
    """A post whose new-post email has gone out, so it goes out once."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="announcement")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Announced {self.post}"


# The spam classifier's shared state, in its own module.
from masthead.discussion.spam_models import SpamFeature, SpamLesson  # noqa: E402, F401
