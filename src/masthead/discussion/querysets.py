"""What readers may see of a discussion, defined once."""

from django.db import models


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """Approved comments: what every reader sees."""
        return self.filter(status="approved")

    def pending(self):
        return self.filter(status="pending")
