"""What readers may see of a discussion, defined once: the statuses, the querysets,
the same rule for a comment already in hand, and who each commenter is to the site."""

from django.db import models


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Trash"


# Readers see approved comments; every other status is the moderators' alone.
VISIBLE = CommentStatus.APPROVED
# What a comment's own author is shown as awaiting moderation: spam looks held to them.
HELD_TO_AUTHOR = (CommentStatus.PENDING, CommentStatus.SPAM)


def is_visible(status: str) -> bool:
    return status == VISIBLE


class CommenterRole(models.TextChoices):
    """What a logged-in commenter is to the site, worked out from their account when
    shown, so no one can claim it by the name they type."""

    AUTHOR = "author", "Author"  # in the byline of the post commented on
    STAFF = "staff", "Staff"


def commenter_role(user_id: int | None, is_staff: bool, byline_user_ids) -> str:
    """A CommenterRole for a logged-in commenter the site knows, else "": worked out
    from the account (never from a typed name), for the post commented on."""
    if user_id is None:
        return ""
    if user_id in byline_user_ids:
        return CommenterRole.AUTHOR
    return CommenterRole.STAFF if is_staff else ""


def target_field(target) -> str:
    """The comment column pointing at ``target``: "page" for a standing page, else "post"."""
    return "page" if target._meta.model_name == "page" else "post"


def target_key(target) -> str:
    """ "post:<id>" or "page:<id>": names a discussion in cache tags and form tokens."""
    return f"{target_field(target)}:{target.pk}"


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

    def on(self, target):
        """The comments under ``target``, a post or a standing page."""
        return self.filter(**{target_field(target): target})

    def public(self):
        """Visible comments under posts or pages the public may read: what an anonymous
        action may touch."""
        from masthead.publishing.models import Page, Post

        published = models.Q(post__in=Post.objects.published()) | models.Q(
            page__in=Page.objects.published()
        )
        return self.visible().filter(published)

    def counted(self):
        """Visible comments that still say something: what counts and feeds show."""
        return self.visible().filter(deleted_at__isnull=True)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def held_to_author(self):
        """Held or spam: shown to their author, and to them alone, as awaiting moderation."""
        return self.filter(status__in=HELD_TO_AUTHOR)

    def awaiting_moderators(self):
        """Held comments no moderators' notice has carried yet."""
        return self.pending().filter(moderators_notified_at__isnull=True)
