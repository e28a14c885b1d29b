"""Models as the API shows them, field by field, so nothing private slips in with
a new column."""

from django.urls import reverse


def _url(request, path: str) -> str:
    return request.build_absolute_uri(path)


def author_ref(request, author) -> dict:
    return {
        "id": author.pk,
        "name": author.display_name,
        "slug": author.slug,
        "url": _url(request, author.get_absolute_url()),
    }


def author(request, obj) -> dict:
    return {**author_ref(request, obj), "bio": obj.bio}


def category_ref(category) -> dict:
    return {"id": category.pk, "name": category.name, "path": category.path}


def category(request, obj) -> dict:
    return {
        **category_ref(obj),
        "slug": obj.slug,
        "parent_id": obj.parent_id,
        "description": obj.description,
        "url": _url(request, obj.get_absolute_url()),
    }


def tag(request, obj) -> dict:
    return {
        "id": obj.pk,
        "name": obj.name,
        "slug": obj.slug,
        "url": _url(request, obj.get_absolute_url()),
    }


def _filing(request, post) -> dict:
    return {
        "authors": [author_ref(request, a) for a in post.ordered_authors()],
        "categories": [category_ref(c) for c in post.categories.all()],
        "tags": [tag(request, t) for t in post.tags.all()],
    }


def post_summary(request, post) -> dict:
    path = post.get_absolute_url()
    return {
        "id": post.pk,
        "title": post.title,
        "slug": post.slug,
        "url": _url(request, path),
        "path": path,
        "published_at": post.published_at,
        "updated_at": post.updated_at,
        "excerpt": post.excerpt,
        **_filing(request, post),
        "comment_status": post.comment_status,
        "comment_count": post.comment_count,
    }


def post(request, obj) -> dict:
    return {
        **post_summary(request, obj),
        "body_html": obj.body_html,
        "comments_url": _url(request, reverse("api:post-comments", args=[obj.pk])),
    }


def page(request, obj) -> dict:
    return {
        "id": obj.pk,
        "title": obj.title,
        "path": obj.path,
        "url": _url(request, obj.get_absolute_url()),
        "parent_id": obj.parent_id,
        "published_at": obj.published_at,
        "updated_at": obj.updated_at,
        "excerpt": obj.excerpt,
        "body_html": obj.body_html,
    }


def comment(comment) -> dict:
    # A withdrawn comment keeps its place in the thread and nothing else.
    gone = comment.is_deleted
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "kind": comment.kind,
        "author_name": "" if gone else comment.author_name,
        "author_url": "" if gone else comment.author_url,
        "provider": "" if gone else comment.provider,
        "body_html": "" if gone else comment.body_html,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "like_count": comment.like_count,
        "deleted": gone,
    }


def held_comment(obj) -> dict:
    """A comment as moderators see it: its status, the sender's email, why it is held."""
    return {
        **comment(obj),
        "status": obj.status,
        "author_email": obj.author_email,
        "post_title": obj.post.title,
        "moderation_note": obj.moderation_note,
    }


def staff_post(request, obj) -> dict:
    return {
        "id": obj.pk,
        "title": obj.title,
        "slug": obj.slug,
        "status": obj.status,
        "published_at": obj.published_at,
        "updated_at": obj.updated_at,
        "excerpt": obj.excerpt,
        "body": obj.body,
        "body_html": obj.body_html,
        "url": _url(request, obj.get_absolute_url()),
        **_filing(request, obj),
        "comment_status": obj.comment_status,
    }
