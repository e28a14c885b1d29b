"""Visibility rules live here so no view has to repeat them."""

from django.db import models
from django.utils import timezone

# A scheduled piece becomes public when its time comes: no cron needed.
PUBLIC_STATUSES = ("published", "scheduled")


class _PublicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=PUBLIC_STATUSES, published_at__lte=timezone.now())


def bylines() -> models.Prefetch:
    """Posts' bylines with their authors, in one query rather than one for each."""
    from masthead.publishing.models import Byline

    return models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))


class PostQuerySet(_PublicQuerySet):
    def for_listing(self):
        """Published posts with what a list shows, in a fixed number of queries."""
        return (
            self.published().select_related("lead_figure").prefetch_related(bylines(), "categories")
        )

    def in_category(self, category):
        """Posts filed under a category or any of its subcategories, as in WordPress."""
        subtree = models.Q(categories=category) | models.Q(
            categories__path__startswith=f"{category.path}/"
        )
        return self.filter(subtree).distinct()


class PageQuerySet(_PublicQuerySet):
    pass
