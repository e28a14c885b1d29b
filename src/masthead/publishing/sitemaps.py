"""The sitemap: every public URL, absolute to the canonical origin."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.urls import reverse

from masthead.publishing.models import Author, Category, Page, Post, Tag


class SiteSitemap(Sitemap):
    # Without django.contrib.sites Django would use the request's scheme and Host.
    def get_protocol(self, protocol=None):
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.SITE_URL.split("://", 1)[1]

    def lastmod(self, item):
        return item.updated_at


class HomeSitemap(SiteSitemap):
    lastmod = None

    def items(self):
        return ["publishing:home"]

    def location(self, item):
        return reverse(item)


class PostSitemap(SiteSitemap):
    def items(self):
        return Post.objects.published().only("slug", "published_at", "updated_at")


class PageSitemap(SiteSitemap):
    def items(self):
        return Page.objects.published().only("path", "updated_at")


def latest_update(*conditions, **match):
    """When the newest public post matching changed: None if no such post exists."""
    posts = Post.objects.published().filter(*conditions, **match).order_by("-updated_at")
    return Subquery(posts.values("updated_at")[:1])


class CategorySitemap(SiteSitemap):
    """Categories with public posts, of their own or of their subcategories."""

    def items(self):
        subtree = Q(categories__path=OuterRef("path")) | Q(
            categories__path__startswith=Concat(OuterRef("path"), Value("/"))
        )
        return Category.objects.annotate(updated_at=latest_update(subtree)).filter(
            updated_at__isnull=False
        )


class TagSitemap(SiteSitemap):
    def items(self):
        return Tag.objects.annotate(updated_at=latest_update(tags=OuterRef("pk"))).filter(
            updated_at__isnull=False
        )


class AuthorSitemap(SiteSitemap):
    def items(self):
        return Author.objects.annotate(
            updated_at=latest_update(bylines__author=OuterRef("pk"))
        ).filter(updated_at__isnull=False)


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
