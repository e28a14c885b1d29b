"""A post's discussion: reading its approved comments, and posting one the way the
form under the article does (same checks, same rate limits, same moderation)."""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError

from masthead.api import represent, schemas
from masthead.api.caching import cached_read
from masthead.api.content import Paging, listing
from masthead.api.errors import RateLimited, form_errors
from masthead.discussion import services
from masthead.discussion.forms import CommentForm
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.submissions import submission_from_form
from masthead.publishing.caching import discussion_tag
from masthead.publishing.models import Post

router = Router(tags=["discussion"])

OLDEST_FIRST = ("created_at", "id")
MISSING = "No published post has that id."


@router.get(
    "/posts/{int:post_id}/comments",
    response=schemas.answers({200: schemas.CommentList}, 404, 422),
    url_name="post-comments",
    summary="A post's approved comments, oldest first, with their threading",
)
def list_comments(request, post_id: int, paging: Query[Paging]):
    post = Post.objects.published().only("pk").filter(pk=post_id).first()
    if post is None:
        raise HttpError(404, MISSING)

    def build():
        comments = Comment.objects.visible().filter(post=post).defer("body")
        return listing(request, comments, OLDEST_FIRST, paging, represent.comment)

    return cached_read(request, build, schemas.CommentList, discussion_tag(post_id))


class ApiCommentForm(CommentForm):
    """The article's form without the page's own token: an API client loads no form,
    so the "sent too fast after loading" rule has nothing to measure."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].required = False


# The form's field names, as the API calls them.
FIELD_NAMES = {"comment": "body", "author": "author_name", "email": "author_email"}
FIELD_NAMES |= {"url": "author_url", "comment_parent": "parent_id"}


@router.post(
    "/posts/{int:post_id}/comments",
    response=schemas.answers({201: schemas.CommentPosted}, 403, 404, 422, 429),
    summary="Post a comment as a guest; it may wait for moderation",
)
def post_comment(request, post_id: int, payload: schemas.CommentIn):
    articles = Post.objects.published().defer("body", "body_html")
    post = get_object_or_404(articles, pk=post_id)
    # A guest comment: a browser's session must not sign it without the form's protection.
    request.user = AnonymousUser()
    data = {
        "comment": payload.body,
        "author": payload.author_name,
        "email": payload.author_email,
        "url": payload.author_url,
        "comment_parent": payload.parent_id or "",
        "comment_post_ID": post.pk,
        "subscribe_comments": payload.follow_post,
    }
    if not services.comments_open(post):
        raise HttpError(403, "Comments are closed on this article.")
    form = ApiCommentForm(data, post=post, user=request.user)
    if not form.is_valid():
        raise form_errors(form, FIELD_NAMES)
    try:
        comment = services.post_comment(submission_from_form(request, post, form))
    except services.DiscussionClosed as exc:
        raise HttpError(403, str(exc)) from None
    except services.TooManyComments as exc:
        raise RateLimited(str(exc)) from None
    status = services.status_for_author(comment)
    approved = status == CommentStatus.APPROVED
    return Status(
        201,
        {
            "id": comment.pk,
            "status": status,
            "message": "Your comment is published."
            if approved
            else "Your comment is awaiting moderation.",
            "url": request.build_absolute_uri(
                comment.get_absolute_url() if approved else post.get_absolute_url()
            ),
        },
    )
