"""RSS 2.0 and Atom 1.0 feeds for the whole site, a category and a tag."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from masthead.lib.urls import absolute
from masthead.publishing import markup
from masthead.publishing.caching import reader_page
from masthead.publishing.models import Category, Post, Tag

LATEST = 20


class ContentRss(Rss201rev2Feed):
    """RSS with every byline and the full article, which plain RSS 2.0 lacks."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item(self, title, *args, **kwargs):
        # Readers take RSS titles as HTML; Atom's are plain text.
        super().add_item(escape(title), *args, **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("content:encoded", item["content"])


class ContentAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})


class CanonicalFeed(Feed):
    """A feed whose links all stand on SITE_URL, whatever Host the request carried.

    Feeds are cached whole like reader pages; ``cache_tags`` names what else they show.
    """

    cache_tags: tuple[str, ...] = ()

    def __call__(self, request, *args, **kwargs):
        render = reader_page(*self.cache_tags)(super().__call__)
        return render(request, *args, **kwargs)

    @property
    def language(self):
        return settings.LANGUAGE_CODE

    def get_feed(self, obj, request):
        # Django builds the self link from the request's Host.
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute(request.path)
        return feed


class LatestRss(CanonicalFeed):
    """The site's latest posts; subclasses narrow them to ``obj``, a category or tag."""

    feed_type = ContentRss
    ttl = 30
    item_guid_is_permalink = True

    def title(self, obj):
        return f"{settings.SITE_NAME} – {obj.name}" if obj else settings.SITE_NAME

    def link(self, obj):
        return absolute(obj.get_absolute_url() if obj else reverse("publishing:home"))

    def description(self, obj):
        return settings.SITE_TAGLINE or self.title(obj)

    def posts(self, obj):
        return Post.objects.all()

    def items(self, obj):
        posts = self.posts(obj).for_listing().prefetch_related("tags", "notes")
        return posts.defer("body")[:LATEST]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_description(self, item):
        return escape(item.excerpt or markup.excerpt_from_html(item.body_html, words=55))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [c.name for c in item.categories.all()] + [t.name for t in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {
            "authors": [a.display_name for a in item.ordered_authors()],
            # Corrections and updates travel with the article, after its body.
            "content": item.body_html
            + render_to_string("publishing/_article_notes.html", {"post": item}).strip(),
        }


class LatestAtom(LatestRss):
    feed_type = ContentAtom


class CategoryRss(LatestRss):
    """A category's posts, its subcategories' included."""

    def get_object(self, request, path):
        return Category.objects.get(path=path)

    def posts(self, obj):
        return Post.objects.in_category(obj)


class CategoryAtom(CategoryRss):
    feed_type = ContentAtom


class TagRss(LatestRss):
    def get_object(self, request, slug):
        return Tag.objects.get(slug=slug)

    def posts(self, obj):
        return Post.objects.filter(tags=obj)


class TagAtom(TagRss):
    feed_type = ContentAtom
