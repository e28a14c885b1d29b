"""What the API sends and takes. Only what a reader of the site may see is in the
public shapes: no drafts, no commenter emails or addresses."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = Field(None, description="Field by field, on a 422.")


def answers(ok: dict, *codes: int) -> dict:
    """A response map for the OpenAPI document: the good answer, then each error's shape."""
    return {**ok, **dict.fromkeys(codes, Error)}


class AuthorRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class Author(AuthorRef):
    bio: str


class CategoryRef(Schema):
    id: int
    name: str
    path: str


class Category(CategoryRef):
    slug: str
    parent_id: int | None
    description: str
    url: str


class Tag(Schema):
    id: int
    name: str
    slug: str
    url: str


class PostSummary(Schema):
    id: int
    title: str
    slug: str
    url: str
    path: str
    published_at: dt.datetime
    updated_at: dt.datetime
    excerpt: str
    authors: list[AuthorRef]
    categories: list[CategoryRef]
    tags: list[Tag]
    comment_status: str
    comment_count: int


class Post(PostSummary):
    body_html: str
    comments_url: str


class Page(Schema):
    id: int
    title: str
    path: str
    url: str
    parent_id: int | None
    published_at: dt.datetime
    updated_at: dt.datetime
    excerpt: str
    body_html: str


class Comment(Schema):
    id: int
    post_id: int
    parent_id: int | None = Field(description="The comment this one replies to.")
    depth: int = Field(description="0 for a comment on the article, 1 for a reply, …")
    kind: str
    author_name: str
    author_url: str
    provider: str
    body_html: str
    created_at: dt.datetime
    edited_at: dt.datetime | None
    like_count: int
    deleted: bool = Field(description="Withdrawn by its author; kept so replies stay in place.")


class PostList(Schema):
    items: list[PostSummary]
    next: str | None


class PageList(Schema):
    items: list[Page]
    next: str | None


class CategoryList(Schema):
    items: list[Category]
    next: str | None


class TagList(Schema):
    items: list[Tag]
    next: str | None


class AuthorList(Schema):
    items: list[Author]
    next: str | None


class CommentList(Schema):
    items: list[Comment]
    next: str | None


class CommentIn(Schema):
    body: str = Field(description="Markdown, as in the form under each article.")
    author_name: str = ""
    author_email: str = Field("", description="Required; never published.")
    author_url: str = ""
    parent_id: int | None = Field(None, description="The comment replied to, if any.")
    follow_post: bool = Field(False, description="Email me follow-up comments.")


class CommentPosted(Schema):
    id: int
    status: Literal["approved", "pending"]
    message: str
    url: str


class HeldComment(Comment):
    status: str
    author_email: str
    post_title: str
    moderation_note: str


class HeldCommentList(Schema):
    items: list[HeldComment]
    next: str | None


class DraftIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    body: str = ""
    excerpt: str = ""
    categories: list[int] = []
    tags: list[int] = []
    comment_status: Literal["open", "closed"] = "open"


class DraftPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    body: str | None = None
    excerpt: str | None = None
    categories: list[int] | None = None
    tags: list[int] | None = None
    comment_status: Literal["open", "closed"] | None = None


class PublishIn(Schema):
    at: dt.datetime | None = Field(None, description="Schedule for this time; now if absent.")


class StaffPost(Schema):
    id: int
    title: str
    slug: str
    status: str
    published_at: dt.datetime | None
    updated_at: dt.datetime
    excerpt: str
    body: str
    body_html: str
    url: str
    authors: list[AuthorRef]
    categories: list[CategoryRef]
    tags: list[Tag]
    comment_status: str
