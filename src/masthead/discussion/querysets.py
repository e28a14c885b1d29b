"""What readers may see of a discussion, defined once: the statuses, the querysets,
and the same rule for a comment already in hand."""

from django.db import models


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Trash"


# Readers see approved comments; every other status is the moderators' alone.
VISIBLE = CommentStatus.APPROVED


def is_visible(status: str) -> bool:
    return status == VISIBLE


class ReaderView:
    """How readers see a comment, from its columns: for models and plain rows alike."""

    @property
    def is_visible(self) -> bool:
        return is_visible(self.status)

    @property
    def is_deleted(self) -> bool:
        """Withdrawn by its author: its place stays while replies hang from it."""
        return self.deleted_at is not None


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What every reader sees, withdrawn comments' placeholders included."""
        return self.filter(status=VISIBLE)

    def counted(self):
        """Visible comments that still say something: what counts and feeds show."""
        return self.visible().filter(deleted_at__isnull=True)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)
