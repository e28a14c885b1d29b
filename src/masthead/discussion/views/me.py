"""The personal parts of an article or standing page, for its script to fill into the
shared copy.

The page everyone gets holds nothing of anyone's; this answer holds only what
belongs to the browser asking, and is never stored by anyone in between.
"""

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from masthead.discussion import cookies, services
from masthead.discussion.forms import issue_form_token
from masthead.discussion.models import Comment
from masthead.discussion.querysets import HELD_TO_AUTHOR, VISIBLE, target_key
from masthead.discussion.rendering import render_comment
from masthead.identity.commenter import commenter_for
from masthead.publishing.models import Page, Post


@never_cache
@require_GET
def me(request):
    post = _target(request)
    data = {"form_token": issue_form_token(target_key(post)), "own": [], "held": []}
    commenter = commenter_for(request)
    if commenter:
        data["csrf_token"] = get_token(request)
        data["identity_html"] = render_to_string(
            "discussion/_identity.html",
            {
                "commenter": commenter,
                "post": post,
                "csrf_token": data["csrf_token"],
                "site_name": settings.SITE_NAME,
            },
            request,
        )
    else:
        data["remembered"] = cookies.remembered_details(request)
    for comment in _mine(request, post):
        if comment.status in HELD_TO_AUTHOR:
            data["held"].append(_held(request, comment))
        elif comment.is_visible and services.can_still_edit(comment):
            data["own"].append(
                {
                    "id": comment.pk,
                    "edit": reverse("discussion:edit-comment", args=[comment.pk]),
                    "delete": reverse("discussion:delete-comment", args=[comment.pk]),
                }
            )
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response


def _target(request) -> Post | Page:
    """The discussion asked about: ``?post=<id>`` or, for a standing page, ``?page=<id>``."""
    if "page" in request.GET:
        return get_object_or_404(Page.objects.published(), pk=_int(request.GET.get("page")))
    return get_object_or_404(Post.objects.published(), pk=_int(request.GET.get("post")))


def _mine(request, post):
    """This browser's comments on the post or page, and the logged-in reader's."""
    mine = Q(pk__in=list(cookies.own_comments(request)))
    if request.user.is_authenticated:
        mine |= Q(user=request.user)
    wanted = [VISIBLE, *HELD_TO_AUTHOR]
    return Comment.objects.on(post).filter(mine, status__in=wanted).order_by("created_at")


def _held(request, comment) -> dict:
    html = render_comment(comment, request=request, own={comment.pk})
    return {"id": comment.pk, "parent": comment.parent_id, "html": html}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
