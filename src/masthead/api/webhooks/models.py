"""Registered hooks and every attempt at delivering an event to one."""

import json
import secrets

from django.conf import settings
from django.db import connection, models
from django.utils import timezone


class Event(models.TextChoices):
    POST_PUBLISHED = "post.published", "Post published"
    POST_UPDATED = "post.updated", "Post updated"
    POST_UNPUBLISHED = "post.unpublished", "Post unpublished"
    COMMENT_CREATED = "comment.created", "Comment created"
    COMMENT_APPROVED = "comment.approved", "Comment approved"
    COMMENT_SPAM = "comment.spam", "Comment marked spam"


# Sent from the desk to check a receiver; never retried, and no sign of a failing hook.
PING = "ping"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookQuerySet(models.QuerySet):
    def listening(self, event: str):
        """Active hooks that asked for ``event``; the list is short, so it is read whole."""
        if not self._any_listening(event):
            return []
        return [hook for hook in self.filter(active=True) if event in hook.events]

    def _any_listening(self, event: str) -> bool:
        # Asked on every new comment, and most sites have no hook: one plain SQL read
        # costs a tenth of building the queryset.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT events FROM {self.model._meta.db_table} WHERE active = %s", [True]
            )
            rows = cursor.fetchall()
        return any(event in (e if isinstance(e, list) else json.loads(e)) for (e,) in rows)


class Webhook(models.Model):
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    # Kept readable: every delivery is signed with it.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The first failure since the last success; a hook failing long enough is disabled.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.description or self.url

    def event_labels(self) -> list[str]:
        return [Event(e).label for e in self.events if e in Event.values]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    GIVEN_UP = "given-up", "Given up"


class Delivery(models.Model):
    """One attempt at sending one event to one hook; a retry is the next attempt's row."""

    hook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    event_id = models.UUIDField(db_index=True)
    payload = models.JSONField()
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["hook", "-created_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.event} to {self.hook} (attempt {self.attempt})"
