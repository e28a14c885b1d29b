"""The sitemap: an index of paged sections, every URL absolute to the canonical origin."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.urls import reverse

from masthead.lib.urls import absolute
from masthead.publishing.caching import reader_page
from masthead.publishing.models import Author, Category, Page, Post, Tag


class SiteSitemap(Sitemap):
    # A page is a COUNT and one narrow query, whatever the size of the site;
    # 2,000 URLs (about 180 kB of XML) keep it quick to build and to fetch.
    limit = 2000

    # Without django.contrib.sites Django would use the request's scheme and Host.
    def get_protocol(self, protocol=None):
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.SITE_URL.split("://", 1)[1]

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's own loads every item to take the newest; one aggregate instead.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class HomeSitemap(SiteSitemap):
    lastmod = None

    def items(self):
        return ["publishing:home"]

    def location(self, item):
        return reverse(item)

    def get_latest_lastmod(self):
        return None


class PostSitemap(SiteSitemap):
    def items(self):
        # In the order of the (status, published_at) index, so a deep page is read off
        # the index instead of sorting every post. Oldest first within a status, so a
        # new post moves the pages after its place, not every page.
        return (
            Post.objects.published()
            .only("slug", "published_at", "updated_at")
            .order_by("status", "published_at", "pk")
        )


class PageSitemap(SiteSitemap):
    def items(self):
        return Page.objects.published().only("path", "updated_at").order_by("path")


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
        return (
            Category.objects.only("path")
            .annotate(updated_at=latest_update(subtree))
            .filter(updated_at__isnull=False)
            .order_by("path")
        )


class TagSitemap(SiteSitemap):
    def items(self):
        return (
            Tag.objects.only("slug")
            .annotate(updated_at=latest_update(tags=OuterRef("pk")))
            .filter(updated_at__isnull=False)
            .order_by("slug")
        )


class AuthorSitemap(SiteSitemap):
    def items(self):
        return (
            Author.objects.only("slug")
            .annotate(updated_at=latest_update(bylines__author=OuterRef("pk")))
            .filter(updated_at__isnull=False)
            .order_by("slug")
        )


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


@reader_page()
def index(request):
    """Every page of every section, with when the section last changed."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="publishing:sitemap-section")
    # Django builds these on the request's scheme and Host; move them to SITE_URL.
    for entry in response.context_data["sitemaps"]:
        parts = urlsplit(entry.location)
        entry.location = absolute(parts.path + (f"?{parts.query}" if parts.query else ""))
    return response


@reader_page()
def section(request, section):
    """One page (``?p=N``) of one section's URLs."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
