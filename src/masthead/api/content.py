"""Anonymous reads of what the site publishes: posts, pages, categories, tags, authors."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from masthead.api import represent, schemas
from masthead.api.caching import cached_read
from masthead.api.cursors import DEFAULT_LIMIT, paginate
from masthead.publishing import calendar
from masthead.publishing.caching import COMMENTS
from masthead.publishing.models import Author, Category, Page, Post, Tag

router = Router(tags=["content"])

NEWEST_FIRST = ("-published_at", "-id")


class Paging(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _next(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def listing(request, queryset, ordering, paging: Paging, show) -> dict:
    page = paginate(queryset, ordering, paging.cursor, paging.limit)
    return {"items": [show(obj) for obj in page.items], "next": _next(request, page.cursor)}


def _posts():
    return Post.objects.for_listing().prefetch_related("tags")


class PostFilters(Paging):
    category: str | None = None
    tag: str | None = None
    author: str | None = None


@router.get(
    "/posts",
    response=schemas.answers({200: schemas.PostList}, 404, 422),
    summary="Published posts, newest first",
)
def list_posts(request, filters: Query[PostFilters]):
    def build():
        posts = _posts().defer("body", "body_html")
        if filters.category:
            posts = posts.in_category(get_object_or_404(Category, path=filters.category))
        if filters.tag:
            posts = posts.filter(tags__slug=filters.tag)
        if filters.author:
            posts = posts.filter(bylines__author__slug=filters.author)
        return listing(
            request, posts, NEWEST_FIRST, filters, lambda p: represent.post_summary(request, p)
        )

    return cached_read(request, build, schemas.PostList, COMMENTS)


@router.get(
    "/posts/by-path",
    response=schemas.answers({200: schemas.Post}, 404, 422),
    summary="A published post by its address",
)
def post_by_path(request, path: str):
    def build():
        try:
            match = resolve(path if path.endswith("/") else f"{path}/")
        except Resolver404:
            raise Http404 from None
        if match.url_name != "post" or match.namespace != "publishing":
            raise Http404
        kw = match.kwargs
        start, end = calendar.day_span(kw["year"], kw["month"], kw["day"])
        found = get_object_or_404(
            _posts(), slug=kw["slug"], published_at__gte=start, published_at__lt=end
        )
        return represent.post(request, found)

    return _one(request, build, schemas.Post, "No published post has that address.")


@router.get(
    "/posts/{int:post_id}",
    response=schemas.answers({200: schemas.Post}, 404, 422),
    summary="A published post",
)
def get_post(request, post_id: int):
    def build():
        return represent.post(request, get_object_or_404(_posts(), pk=post_id))

    return _one(request, build, schemas.Post, "No published post has that id.")


def _one(request, build, schema, missing: str):
    try:
        return cached_read(request, build, schema, COMMENTS)
    except Http404:
        raise HttpError(404, missing) from None


@router.get(
    "/pages", response=schemas.answers({200: schemas.PageList}, 422), summary="Published pages"
)
def list_pages(request, paging: Query[Paging]):
    def build():
        pages = Page.objects.published()
        return listing(request, pages, ("path",), paging, lambda p: represent.page(request, p))

    return cached_read(request, build, schemas.PageList)


@router.get(
    "/pages/by-path",
    response=schemas.answers({200: schemas.Page}, 404, 422),
    summary="A published page by its address",
)
def page_by_path(request, path: str):
    def build():
        if "\x00" in path:  # no address holds one, and PostgreSQL refuses to compare it
            raise Http404
        found = get_object_or_404(Page.objects.published(), path=path.strip("/"))
        return represent.page(request, found)

    return _one(request, build, schemas.Page, "No published page has that address.")


@router.get(
    "/pages/{int:page_id}",
    response=schemas.answers({200: schemas.Page}, 404, 422),
    summary="A published page",
)
def get_page(request, page_id: int):
    def build():
        return represent.page(request, get_object_or_404(Page.objects.published(), pk=page_id))

    return _one(request, build, schemas.Page, "No published page has that id.")


@router.get(
    "/categories",
    response=schemas.answers({200: schemas.CategoryList}, 422),
    summary="Categories, by path",
)
def list_categories(request, paging: Query[Paging]):
    def build():
        show = lambda c: represent.category(request, c)  # noqa: E731
        return listing(request, Category.objects.all(), ("path",), paging, show)

    return cached_read(request, build, schemas.CategoryList)


@router.get("/tags", response=schemas.answers({200: schemas.TagList}, 422), summary="Tags, by slug")
def list_tags(request, paging: Query[Paging]):
    def build():
        show = lambda t: represent.tag(request, t)  # noqa: E731
        return listing(request, Tag.objects.all(), ("slug",), paging, show)

    return cached_read(request, build, schemas.TagList)


@router.get(
    "/authors",
    response=schemas.answers({200: schemas.AuthorList}, 422),
    summary="Authors with a published post",
)
def list_authors(request, paging: Query[Paging]):
    def build():
        # A byline made for a draft names no one the public has read yet.
        authors = Author.objects.filter(posts__in=Post.objects.published()).distinct()
        show = lambda a: represent.author(request, a)  # noqa: E731
        return listing(request, authors, ("slug",), paging, show)

    return cached_read(request, build, schemas.AuthorList)
