from django.urls import path

from masthead.publishing import converters, feeds, sitemaps  # noqa: F401 (converters)
from masthead.publishing.views import archives, articles, errors, search, site_files

app_name = "publishing"

urlpatterns = [
    path("", archives.home, name="home"),
    path("search/", search.search, name="search"),
    path("feed/", feeds.LatestRss(), name="feed"),
    path("feed/atom/", feeds.LatestAtom(), name="feed-atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", errors.robots_txt, name="robots"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path("preview/post/<int:pk>/", articles.preview_post, name="preview-post"),
    path("preview/page/<int:pk>/", articles.preview_page, name="preview-page"),
    path("category/<path:path>/feed/", feeds.CategoryRss(), name="category-feed"),
    path("category/<path:path>/feed/atom/", feeds.CategoryAtom(), name="category-feed-atom"),
    path("category/<path:path>/", archives.category, name="category"),
    path("tag/<slug:slug>/feed/", feeds.TagRss(), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtom(), name="tag-feed-atom"),
    path("tag/<slug:slug>/", archives.tag, name="tag"),
    path("author/<slug:slug>/", archives.author, name="author"),
    path("<yyyy:year>/", archives.year, name="archive-year"),
    path("<yyyy:year>/<mm:month>/", archives.month, name="archive-month"),
    path("<yyyy:year>/<mm:month>/<dd:day>/", archives.day, name="archive-day"),
    path("<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/", articles.post_detail, name="post"),
    path("<path:path>/", articles.page_detail, name="page"),
]
