"""Comment feeds: the whole site's, one article's at ``<permalink>feed/``, and one
standing page's at ``comments/feed/page/<id>/``."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from masthead.discussion.models import Comment
from masthead.lib.urls import absolute
from masthead.publishing import calendar
from masthead.publishing.caching import COMMENTS
from masthead.publishing.feeds import CanonicalFeed
from masthead.publishing.models import Page, Post

LATEST = 30


class LatestComments(CanonicalFeed):
    feed_type = Rss201rev2Feed
    cache_tags = (COMMENTS,)
    ttl = 15

    def title(self, obj):
        return f"Comments on {obj.title}" if obj else f"Comments on {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(obj.get_absolute_url() if obj else "/")

    def description(self, obj):
        return self.title(obj)

    def comments(self, obj):
        return Comment.objects.public()

    def items(self, obj):
        return (
            self.comments(obj)
            .counted()
            .select_related("post", "page")
            .order_by("-created_at", "-id")[:LATEST]
        )

    def item_title(self, item):
        return f"{item.author_name} on {item.target.title}"

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_description(self, item):
        return item.body_html

    def item_author_name(self, item):
        return item.author_name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at


class PostComments(LatestComments):
    def get_object(self, request, year, month, day, slug):
        start, end = calendar.day_span(year, month, day)
        return get_object_or_404(
            Post.objects.published(), slug=slug, published_at__gte=start, published_at__lt=end
        )

    def comments(self, obj):
        return Comment.objects.filter(post=obj)


class PageComments(LatestComments):
    def get_object(self, request, pk):
        return get_object_or_404(Page.objects.published(), pk=pk)

    def comments(self, obj):
        return Comment.objects.on(obj)


def feed_url(target) -> str:
    """Where the comments feed of a post or standing page is."""
    if isinstance(target, Page):
        return reverse("discussion:page-comments-feed", args=[target.pk])
    return f"{target.get_absolute_url()}feed/"  # the article's own feed, under its permalink
