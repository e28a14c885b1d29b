"""What the site keeps of the Fediverse: its own key, who follows it and whom it follows,
the remote actors it has met, the notes that became comments, the articles of the
accounts it follows and its replies to them, reactions to articles, and blocks."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.publishing.models import Post


class ActorKey(models.Model):
    """The publication's RSA key pair, made once; every outgoing request is signed with it."""

    private_pem = models.TextField()
    public_pem = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Key made {self.created_at:%Y-%m-%d}"


class RemoteActor(models.Model):
    """A remote actor's document as last fetched: its key, where to deliver, who it is."""

    uri = models.URLField(max_length=500, unique=True)
    key_id = models.URLField(max_length=500, db_index=True)
    public_pem = models.TextField()
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    name = models.CharField(max_length=200, blank=True)
    handle = models.CharField(max_length=200, blank=True, help_text="@user@host")
    icon_url = models.URLField(max_length=500, blank=True)
    # The icon as the site serves it, checked and made small (federation.avatars):
    # readers' browsers never load the remote one.
    avatar = models.FileField(max_length=200, blank=True, editable=False)
    profile_url = models.URLField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.handle or self.uri

    @property
    def domain(self) -> str:
        return (urlsplit(self.uri).hostname or "").lower()


class Follower(models.Model):
    actor = models.OneToOneField(RemoteActor, on_delete=models.CASCADE, related_name="follow")
    follow_id = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.actor)


class RemoteNote(models.Model):
    """A Fediverse note that became a comment: how Update and Delete find it again."""

    uri = models.URLField(max_length=500, unique=True)
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="remote_note")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="notes")

    def __str__(self):
        return self.uri


class ReactionKind(models.TextChoices):
    LIKE = "like", "Like"
    ANNOUNCE = "announce", "Boost"


class Reaction(models.Model):
    """A Like or Announce of an article, once per actor and kind."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="fediverse_reactions")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    actor_uri = models.URLField(max_length=500)
    activity_uri = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "kind", "actor_uri"], name="one_reaction_each")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.actor_uri}"


class Block(models.Model):
    """A domain (and its subdomains) or one actor whose activities the inbox refuses."""

    domain = models.CharField(max_length=253, blank=True, db_index=True)
    actor_uri = models.URLField(max_length=500, blank=True, db_index=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain", "actor_uri"]

    def __str__(self):
        return self.domain or self.actor_uri


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed, to be tried again"
    GIVEN_UP = "given-up", "Given up"
    SKIPPED = "skipped", "Skipped: server unreachable"


# What counts as a failure on the desk: the delivery has not arrived and will not by itself.
UNDELIVERED = (DeliveryState.FAILED, DeliveryState.GIVEN_UP, DeliveryState.SKIPPED)


class DeliveryQuerySet(models.QuerySet):
    def failures_first(self):
        """Undelivered ones on top, the latest of each first."""
        undelivered = models.Case(
            models.When(state__in=UNDELIVERED, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.annotate(undelivered=undelivered).order_by("undelivered", "-updated_at", "-id")


class Delivery(models.Model):
    """One activity on its way to one inbox, updated at every attempt: what the desk
    shows of the Fediverse's answers, and what "retry now" sends again."""

    # What "retry now" sends; emptied once delivered.
    activity = models.JSONField()
    activity_id = models.URLField(max_length=500)
    activity_type = models.CharField(max_length=40)
    inbox = models.URLField(max_length=500)
    host = models.CharField(max_length=253, db_index=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The start of the last answer, or why there was none (bounded by outbound.excerpt).
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["state", "-updated_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.activity_type} to {self.inbox}"

    @property
    def retryable(self) -> bool:
        return self.state in UNDELIVERED


class RemoteServer(models.Model):
    """A server the site delivers to, while it fails: since when, and whether it is
    taken for gone (then nothing is sent to it until it is heard from again)."""

    host = models.CharField(max_length=253, unique=True)
    # The first failure since the last success.
    failing_since = models.DateTimeField(null=True, blank=True)
    unreachable_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["host"]

    def __str__(self):
        return self.host


class FollowingState(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Refused"


class Following(models.Model):
    """A remote account the publication follows: its articles come to the desk."""

    actor = models.OneToOneField(RemoteActor, on_delete=models.CASCADE, related_name="following")
    state = models.CharField(
        max_length=10, choices=FollowingState.choices, default=FollowingState.PENDING
    )
    follow_id = models.URLField(max_length=500, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(self.actor)


class RemoteArticle(models.Model):
    """An article or post of an account the publication follows, as last sent; what
    the publication did with it (a like) is kept beside it."""

    uri = models.URLField(max_length=500, unique=True)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="articles")
    url = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    # Through the comment sanitizer: formatting and links, no images or active content.
    content_html = models.TextField(blank=True)
    # Kept, not shown: the site loads images from itself only.
    image_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)
    like_id = models.URLField(max_length=500, blank=True, help_text="The publication's Like")

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title or self.uri


class LocalNote(models.Model):
    """A reply the publication sent from the desk to a remote article; its id,
    /federation/notes/<pk>, answers with the note."""

    article = models.ForeignKey(
        RemoteArticle, on_delete=models.SET_NULL, null=True, related_name="replies"
    )
    in_reply_to = models.URLField(max_length=500)
    mention_uri = models.URLField(max_length=500)
    mention_handle = models.CharField(max_length=200, blank=True, help_text="@user@host")
    body = models.TextField()
    body_html = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Reply to {self.in_reply_to}"
